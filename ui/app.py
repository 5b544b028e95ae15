"""The Gradio app: search, compare and browse the plans, in Swedish and English.

A thin layer: every view calls the same library functions as the CLI
(:class:`~regionplans.index.search.Searcher`, ``compare.table.build_table``,
``ingest.pipeline.ingest_files``, ``index.build.index_corpus``). All document text
is rendered through :mod:`ui.render`, which escapes before marking.
"""

from __future__ import annotations

import os
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import gradio as gr  # noqa: E402

from regionplans.config import Settings  # noqa: E402
from regionplans.errors import RegionPlansError  # noqa: E402
from regionplans.ingest.uploads import UPLOAD_TYPES, add_uploads  # noqa: E402
from regionplans.ingest.uploads import safe_name as _safe_name  # noqa: E402
from regionplans.records import DOC_TYPES, SEARCH_MODES, SearchFilters  # noqa: E402
from regionplans.ui import compare_view, render  # noqa: E402
from regionplans.ui import documents_view as dv  # noqa: E402
from regionplans.ui import search_view as sv  # noqa: E402
from regionplans.ui.compare_tab import CompareHandlers  # noqa: E402
from regionplans.ui.guard import ExportFolder, HeavyCalls, RequestGuard, uploaded_file  # noqa: E402
from regionplans.ui.i18n import DEFAULT_LANGUAGE, t  # noqa: E402
from regionplans.ui.inputs import hits, regions_of, say, words  # noqa: E402
from regionplans.ui.state import GRADIO_LOCALE_JS, AppState  # noqa: E402

PUBLIC_ENDPOINTS = frozenset({"search", "compare", "documents", "add_documents"})
EXPORTS = ExportFolder()


def _topic_sets() -> dict[str, dict[str, Any]]:
    """Ready-made topic sets (name → {topic, aspects}) from ``compare.topics``; none when
    a topic file is broken (the app still starts; ``regionplans compare`` names the file)."""
    from regionplans.compare.topics import load_topics

    try:
        found = load_topics()
    except RegionPlansError:
        return {}
    return {name: {"topic": ts["topic"], "aspects": [str(a) for a in ts["aspects"]]} for name, ts in found.items()}


def build_app(settings: Settings, state: AppState | None = None) -> gr.Blocks:
    """The four views and the language switch, wired to the library."""
    state = state or AppState(settings)
    limits = settings.limits
    heavy = HeavyCalls(limits.heavy_calls)  # uploads and comparison tables at once
    topic_sets = _topic_sets()
    try:
        choices = state.choices()
    except Exception:  # noqa: BLE001 - an empty data dir still gets an app
        choices = {"regions": [], "publishers": [], "doc_types": [], "languages": []}
    lang0 = DEFAULT_LANGUAGE
    labelled: list[tuple[Any, str, str]] = []  # (component, text key, attribute)

    def L(component: Any, key: str, attr: str = "label") -> Any:
        labelled.append((component, key, attr))
        return component

    def opts(kind: str, lg: str) -> list[tuple[str, str]]:
        """A choice list's (label in ``lg``, value) pairs."""
        if kind == "modes":
            return [(t(f"mode_{m}", lg), m) for m in SEARCH_MODES]
        if kind == "languages":
            return [(sv.language_name(v, lg), v) for v in choices["languages"]]
        return [(sv.doc_type(v, lg), v) for v in (DOC_TYPES if kind == "all_types" else choices["doc_types"])]

    with gr.Blocks(title=t("title", lang0), analytics_enabled=False) as demo:
        lang = gr.State(lang0)
        with gr.Row(equal_height=True):
            with gr.Column(scale=5):
                L(gr.Markdown(f"## {t('title', lang0)}\n{t('intro', lang0)}", elem_id="rp-title"), "title", "md_title")
            with gr.Column(scale=1, min_width=180):
                lang_radio = L(gr.Radio([("Svenska", "sv"), ("English", "en")], value=lang0, label=t("language", lang0), elem_id="rp-lang"), "language")
        status_html = gr.HTML("", elem_id="rp-status")
        timer = gr.Timer(1.0)  # until the first build is done (tick stops it)

        # ---------------------------------------------------------------- Search
        with L(gr.Tab(t("tab_search", lang0), id="search", elem_id="tab-search"), "tab_search"):
            with gr.Row():
                query = L(gr.Textbox(label=t("query", lang0), placeholder=t("query_placeholder", lang0), scale=5, elem_id="rp-query"), "query")
                search_btn = L(gr.Button(t("search_button", lang0), variant="primary", scale=1, elem_id="rp-search-btn"), "search_button", "value")
            with L(gr.Accordion(t("filters", lang0), open=True), "filters"):
                with gr.Row():
                    f_regions = L(gr.Dropdown(choices["regions"], multiselect=True, label=t("regions", lang0), elem_id="rp-regions"), "regions")
                    f_publishers = L(gr.Dropdown(choices["publishers"], multiselect=True, label=t("publishers", lang0), elem_id="rp-publishers"), "publishers")
                    f_types = L(gr.Dropdown(opts("types", lang0), multiselect=True, label=t("doc_types", lang0), elem_id="rp-types"), "doc_types", "choices:types")
                    f_langs = L(gr.Dropdown(opts("languages", lang0), multiselect=True, label=t("languages", lang0)), "languages", "choices:languages")
                with gr.Row():
                    f_from = L(gr.Textbox(label=t("date_from", lang0), max_lines=1, elem_id="rp-date-from"), "date_from")
                    f_to = L(gr.Textbox(label=t("date_to", lang0), max_lines=1, elem_id="rp-date-to"), "date_to")
                    f_mode = L(gr.Radio(opts("modes", lang0), value="hybrid", label=t("mode", lang0), elem_id="rp-mode"), "mode", "choices:modes")
                    f_limit = L(gr.Slider(1, 50, value=10, step=1, label=t("limit", lang0)), "limit")
            detect = gr.State(True)
            remove_btn = L(gr.Button(t("remove_detected", lang0), size="sm", visible=False, elem_id="rp-remove-detected"), "remove_detected", "value")
            results = gr.HTML(elem_id="rp-results")

        # --------------------------------------------------------------- Compare
        with L(gr.Tab(t("tab_compare", lang0), id="compare", elem_id="tab-compare"), "tab_compare"):
            with gr.Row():
                c_set = L(gr.Dropdown(compare_view.topic_set_choices(topic_sets, lang0), value=None, label=t("topic_set", lang0), elem_id="rp-topicset"), "topic_set")
                c_topic = L(gr.Textbox(label=t("topic", lang0), elem_id="rp-topic", scale=3), "topic")
            with gr.Row():
                c_aspects = L(gr.Textbox(label=t("aspects", lang0), lines=3, elem_id="rp-aspects"), "aspects")
                c_regions = L(gr.Dropdown(choices["regions"], multiselect=True, label=t("compare_regions", lang0)), "compare_regions")
            compare_btn = L(gr.Button(t("compare_button", lang0), variant="primary", elem_id="rp-compare-btn"), "compare_button", "value")
            c_table = gr.State(None)
            with gr.Row():
                c_column = L(gr.Dropdown([], label=t("map_column", lang0), elem_id="rp-map-column"), "map_column")
                c_hide = L(gr.Checkbox(False, label=t("hide_empty", lang0), elem_id="rp-hide-empty"), "hide_empty")
            with gr.Row():
                map_out = gr.HTML(elem_id="rp-map", min_height=0)
                with gr.Column():
                    side_out = gr.HTML(compare_view.legend_html(lang0), elem_id="rp-map-side")
                    map_files = L(gr.File(label=t("map_files", lang0), file_count="multiple", interactive=False, elem_id="rp-map-files"), "map_files")
            table_out = gr.HTML(elem_id="rp-table")
            downloads = L(gr.File(label=t("downloads", lang0), file_count="multiple", interactive=False, elem_id="rp-downloads"), "downloads")

        # ------------------------------------------------------------- Documents
        with L(gr.Tab(t("tab_documents", lang0), id="documents", elem_id="tab-documents"), "tab_documents"):
            refresh_btn = L(gr.Button(t("refresh", lang0), size="sm"), "refresh", "value")
            docs_table = gr.HTML(elem_id="rp-docs")
            report_md = gr.Markdown(elem_id="rp-report")
            doc_pick = L(gr.Dropdown([], label=t("choose_document", lang0), elem_id="rp-docpick"), "choose_document")
            with L(gr.Accordion(t("edit_heading", lang0), open=True, elem_id="rp-edit"), "edit_heading"):
                with gr.Row():
                    e_title = L(gr.Textbox(label=t("e_title", lang0), max_lines=1, elem_id="rp-e-title", scale=2), "e_title")
                    e_publisher = L(gr.Textbox(label=t("e_publisher", lang0), max_lines=1, elem_id="rp-e-publisher"), "e_publisher")
                    e_regions = L(gr.Textbox(label=t("e_regions", lang0), max_lines=1, elem_id="rp-e-regions"), "e_regions")
                with gr.Row():
                    e_type = L(gr.Dropdown(opts("all_types", lang0), label=t("e_type", lang0), elem_id="rp-e-type"), "e_type", "choices:all_types")
                    e_date = L(gr.Textbox(label=t("e_date", lang0), max_lines=1, elem_id="rp-e-date"), "e_date")
                    e_url = L(gr.Textbox(label=t("e_url", lang0), max_lines=1, elem_id="rp-e-url", scale=2), "e_url")
                with gr.Row():
                    save_btn = L(gr.Button(t("save_button", lang0), variant="primary", elem_id="rp-save"), "save_button", "value")
                    delete_btn = L(gr.Button(t("delete_button", lang0), variant="stop", elem_id="rp-delete"), "delete_button", "value")
                edit_out = gr.HTML(elem_id="rp-edit-out")
            doc_view = gr.HTML(elem_id="rp-docview")

        # ------------------------------------------------------------------- Add
        with L(gr.Tab(t("tab_add", lang0), id="add", elem_id="tab-add"), "tab_add"):
            up_files = L(gr.File(label=t("upload", lang0, mb=f"{limits.max_upload_mb:g}"), file_count="multiple", file_types=list(UPLOAD_TYPES), elem_id="rp-upload"), "upload")
            up_url = L(gr.Textbox(label=t("upload_url", lang0), max_lines=1, elem_id="rp-upload-url"), "upload_url")
            up_btn = L(gr.Button(t("upload_button", lang0), variant="primary", elem_id="rp-upload-btn"), "upload_button", "value")
            up_out = gr.HTML(elem_id="rp-upload-out")
            up_last = gr.State(None)  # the last upload's outcome, shown again in another language

        # ------------------------------------------------------------- handlers
        def do_search(q: str, regions: list[str], publishers: list[str], types: list[str], langs: list[str],
                      dfrom: str, dto: str, mode: str, limit: float, detect_regions: bool, lg: str) -> tuple[str, Any]:
            """Search the index (same call as `regionplans search`)."""
            if not isinstance(q, str) or not isinstance(lg, str):
                return render.message_html(t("bad_text", DEFAULT_LANGUAGE, field=t("query", DEFAULT_LANGUAGE)), "error"), gr.update(visible=False)
            if not q.strip():
                return render.message_html(t("empty_query", lg)), gr.update(visible=False)
            if not state.startup.ready:
                return render.message_html(t("building_wait", lg)), gr.update(visible=False)
            if not settings.ingest_dir.exists():
                return render.message_html(t("no_index", lg)), gr.update(visible=False)
            bad_date = sv.date_error((dfrom, dto), lg)
            if bad_date:
                return render.message_html(bad_date, "error"), gr.update(visible=False)
            try:
                filters = SearchFilters(
                    regions=words(regions, t("regions", lg), lg), publishers=words(publishers, t("publishers", lg), lg),
                    doc_types=words(types, t("doc_types", lg), lg), languages=words(langs, t("languages", lg), lg),
                    date_from=(dfrom or "").strip() or None, date_to=(dto or "").strip() or None,
                )
                if mode not in SEARCH_MODES:
                    raise gr.Error(t("bad_mode", lg, mode=repr(str(mode)[:40])))
                result = state.searcher.search(q, filters=filters, mode=mode, limit=hits(limit, limits.max_hits, lg),
                                               per_doc=3, detect_regions=bool(detect_regions))  # fmt: skip
            except gr.Error as err:
                return render.message_html(str(err.message), "error"), gr.update(visible=False)
            except (RegionPlansError, FileNotFoundError) as err:
                return render.message_html(say(err, lg), "error"), gr.update(visible=False)
            shown = bool(result.region_detection_applied and result.detected_regions)
            return sv.search_html(result, state.searcher.documents(), lg), gr.update(visible=shown)

        search_inputs = [query, f_regions, f_publishers, f_types, f_langs, f_from, f_to, f_mode, f_limit, detect, lang]
        for trigger in (search_btn.click, query.submit):
            trigger(lambda: True, None, detect, queue=False, api_name=False).then(do_search, search_inputs, [results, remove_btn], api_name=False)
        # A script-facing endpoint with the same behaviour.
        def search_api(q: str, regions: list[str] | None = None, mode: str = "hybrid", limit: int = 10,
                       request: gr.Request | None = None) -> list[dict]:  # fmt: skip
            """Hits as dicts (the same call as `regionplans search --format json`); bad input
            is refused with a message in the language the client asks for (Accept-Language:
            en, else Swedish)."""
            asked = str((request.headers.get("accept-language") if request is not None else None) or "")
            lg = "en" if asked.strip().lower().startswith("en") else DEFAULT_LANGUAGE
            if not isinstance(q, str):
                raise gr.Error(t("bad_text", lg, field=t("query", lg)))
            if not q.strip():
                raise gr.Error(t("empty_query", lg))
            if mode not in SEARCH_MODES:
                raise gr.Error(t("bad_mode", lg, mode=repr(str(mode)[:40])))
            filters = SearchFilters(regions=regions_of(words(regions, t("regions", lg), lg), lg))
            try:
                result = state.searcher.search(q, filters=filters, mode=mode, limit=hits(limit, limits.max_hits, lg))
            except RegionPlansError as err:
                raise gr.Error(say(err, lg)) from None
            return [h.to_dict() for h in result.hits]

        gr.api(search_api, api_name="search")
        remove_btn.click(lambda: False, None, detect, queue=False, api_name=False).then(do_search, search_inputs, [results, remove_btn], api_name=False)

        ch = CompareHandlers(state, heavy, settings, EXPORTS)
        shown = [c_column, map_out, side_out, table_out, map_files]
        c_inputs = [c_topic, c_aspects, c_regions, lang]
        gr.Button(visible=False).click(ch.api, c_inputs, [table_out, downloads], api_name="compare")
        compare_btn.click(ch.build, c_inputs, [table_out, downloads, c_table], api_name=False).then(
            ch.show, [c_table, c_column, c_hide, lang], shown, api_name=False)
        for change in (c_column.input, c_hide.input):
            change(ch.show, [c_table, c_column, c_hide, lang], shown, api_name=False)

        def pick_set(name: str) -> tuple[Any, Any]:
            ts = topic_sets.get(name or "")
            if not ts:
                return gr.update(), gr.update()
            return ts["topic"], "\n".join(ts["aspects"])

        c_set.change(pick_set, c_set, [c_topic, c_aspects], api_name=False)

        def load_documents(lg: str, picked: str | None = None) -> tuple[Any, str, Any]:
            """The corpus table, the last ingest report and the document picker (by store key)."""
            try:
                infos = state.infos()
                table = dv.table_html(infos, lg)
                report = dv.report_md(state.store().last_report(), lg) if settings.ingest_dir.exists() else ""
            except Exception as err:  # noqa: BLE001 - show the problem in the view, keep the app alive
                return "", t("error", lg, message=str(err)), gr.update()
            keys = [i.key for i in infos]
            return (table, report,
                    gr.update(choices=[(i.document.title, i.key) for i in infos], value=picked if picked in keys else None))  # fmt: skip

        def show_document(key: str, lg: str) -> tuple[Any, ...]:
            """A document's sections and its edit form's values."""
            from regionplans.ingest.documents import find

            if not key:
                return (render.message_html(t("no_document", lg)), *dv.edit_values(None))
            try:
                _, entry = find(settings.ingest_dir, str(key))
                info = next(i for i in state.infos() if i.key == key)
                store = state.store()
                html = dv.sections_html(entry.doc_id, info.document, store.sections(entry.doc_id), lg)
            except (KeyError, StopIteration, RegionPlansError, OSError):
                return (render.message_html(t("document_missing", lg), "error"), *dv.edit_values(None))
            return (html, *dv.edit_values(info))

        doc_outputs = [docs_table, report_md, doc_pick]
        refresh_btn.click(load_documents, lang, doc_outputs, api_name="documents")
        demo.load(load_documents, lang, doc_outputs, api_name=False)
        doc_pick.change(show_document, [doc_pick, lang], [doc_view, e_title, e_publisher, e_regions, e_type, e_date, e_url], api_name=False)

        def do_save(key: str, title: str, publisher: str, regions: str, doc_type: str | None, date: str, url: str,
                    lg: str) -> tuple[Any, ...]:  # fmt: skip
            """Correct a document's metadata (ingest.documents.set_metadata); the index follows."""
            from regionplans.ingest.documents import set_metadata

            if not key:
                return (render.message_html(t("need_document", lg), "error"), *load_documents(lg))
            info = next((i for i in state.infos() if i.key == key), None)
            if info is None:
                return (render.message_html(t("document_missing", lg), "error"), *load_documents(lg))
            changes, problem = dv.changes(info, title, publisher, regions, doc_type, date, url, lg)
            if problem:
                return (render.message_html(problem, "error"), *load_documents(lg, key))
            try:
                with heavy.slot():
                    done = set_metadata(settings, key, changes)
            except RegionPlansError as err:
                return (render.message_html(say(err, lg), "error"), *load_documents(lg, key))
            finally:
                state.reset()
            return (render.message_html(t("saved", lg, title=done.document.title)), *load_documents(lg, key))

        edit_inputs = [doc_pick, e_title, e_publisher, e_regions, e_type, e_date, e_url, lang]
        save_btn.click(do_save, edit_inputs, [edit_out, *doc_outputs], api_name=False)

        def do_delete(key: str, lg: str) -> tuple[Any, ...]:
            """Delete a document (ingest.documents.delete_document); the index follows."""
            from regionplans.ingest.documents import delete_document

            info = next((i for i in state.infos() if i.key == key), None) if key else None
            if info is None:
                return (render.message_html(t("need_document", lg), "error"), *load_documents(lg))
            try:
                with heavy.slot():
                    delete_document(settings, key)
            except RegionPlansError as err:
                return (render.message_html(say(err, lg), "error"), *load_documents(lg, key))
            finally:
                state.reset()
            return (render.message_html(t("deleted", lg, title=info.document.title)), *load_documents(lg))

        delete_btn.click(do_delete, [doc_pick, lang], [edit_out, *doc_outputs], api_name=False)

        urls: dict[str, str] = {}  # the source URL each browser session typed

        def do_upload(files: list[Any] | None, lg: str, request: gr.Request = None,  # type: ignore[assignment]
                      progress: gr.Progress = gr.Progress()) -> tuple[Any, ...]:  # noqa: B008
            """Store and ingest the uploaded files (ingest.uploads.add_uploads), update the index."""
            from regionplans.index.build import index_corpus

            url = urls.get(getattr(request, "session_hash", None) or "", "")
            if not files:
                return (render.message_html(t("upload_none", lg)), *load_documents(lg), None)
            url = url.strip()
            if url and not url.startswith(("http://", "https://")):
                return (render.message_html(t("bad_url", lg), "error"), *load_documents(lg), None)
            received: list[tuple[str, Path]] = []
            refused: list[tuple[str, str]] = []
            for f in files if isinstance(files, list) else [files]:
                given = Path(str(getattr(f, "path", None) or getattr(f, "name", None) or f))
                original = str(getattr(f, "orig_name", None) or given.name)
                src = uploaded_file(given)
                if src is None:  # a path the client names but never uploaded: never read it
                    refused.append((original, "not_uploaded"))
                    continue
                received.append((original, src))
            result = None
            if received:
                progress(0.2, desc=t("progress_ingest", lg))
                try:
                    with heavy.slot():
                        result = add_uploads(settings, received, source_url=url or None)
                        if result.report is not None and result.report.ingested:
                            progress(0.6, desc=t("progress_index", lg))
                            index_corpus(settings)
                except RegionPlansError as err:
                    # The previous index stays in place: a failed build never replaces it.
                    return (render.message_html(say(err, lg), "error"), *load_documents(lg), None)
                finally:
                    state.reset()
            last = (result, [n for n, _ in received], refused, len(state.documents()))
            return (dv.upload_html(*last, lg, limits.max_upload_mb), *load_documents(lg), last)

        def keep_url(value: str, request: gr.Request) -> None:  # per session: the endpoint's inputs stay
            urls[getattr(request, "session_hash", None) or ""] = str(value)[:2000]

        up_url.change(keep_url, up_url, None, api_name=False, show_progress="hidden")
        up_btn.click(do_upload, [up_files, lang], [up_out, *doc_outputs, up_last], api_name="add_documents")

        # ---------------------------------------------------- start-up progress
        def tick(lg: str) -> tuple[Any, ...]:
            """How far the first build has come; when done, the views see the new index."""
            if not state.startup.done.is_set():
                return (render.message_html(state.startup.text(lg)), gr.update(), *(gr.update(),) * 6)
            state.reset()
            choices.update(state.choices())
            note = render.message_html(state.startup.text(lg), "error") if state.startup.phase == "failed" else ""
            return (note, gr.Timer(active=False), *load_documents(lg), gr.update(choices=choices["publishers"]),
                    gr.update(choices=opts("types", lg)), gr.update(choices=opts("languages", lg)))  # fmt: skip

        timer.tick(tick, lang, [status_html, timer, *doc_outputs, f_publishers, f_types, f_langs], api_visibility="private",
                   show_progress="hidden")  # fmt: skip

        # --------------------------------------------------------- language
        def switch(lg: str) -> list[Any]:
            updates: list[Any] = [lg]
            for _comp, key, attr in labelled:
                if attr == "md_title":
                    updates.append(gr.update(value=f"## {t('title', lg)}\n{t('intro', lg)}"))
                elif key == "query":
                    updates.append(gr.update(label=t(key, lg), placeholder=t("query_placeholder", lg)))
                elif key == "upload":
                    updates.append(gr.update(label=t(key, lg, mb=f"{limits.max_upload_mb:g}")))
                elif attr.startswith("choices:"):
                    updates.append(gr.update(label=t(key, lg), choices=opts(attr.split(":", 1)[1], lg)))
                elif attr == "value":
                    updates.append(gr.update(value=t(key, lg)))
                else:
                    updates.append(gr.update(label=t(key, lg)))
            return updates

        search_again: Any = do_search

        def rerender(lg: str, shown: str, last: Any, picked: str | None, *search: Any) -> tuple[Any, ...]:
            """What is on screen again in ``lg``: results, the upload's outcome, the document."""
            again = search_again(*search, lg) if shown and isinstance(search[0], str) and search[0].strip() else (gr.update(), gr.update())
            upload = dv.upload_html(last[0], last[1], last[2], last[3], lg, limits.max_upload_mb) if last else gr.update()
            view = show_document(picked, lg)[0] if picked else gr.update()
            status = render.message_html(state.startup.text(lg)) if not state.startup.done.is_set() else gr.update()
            return (*again, upload, view, status, *load_documents(lg, picked))

        labelled_outputs = [lang] + [c for c, _, _ in labelled]
        relabel = lang_radio.input(switch, lang_radio, labelled_outputs, api_name=False, js=GRADIO_LOCALE_JS)
        relabel.then(ch.show, [c_table, c_column, c_hide, lang], shown, api_name=False).then(
            lambda table, lg: (gr.update(choices=compare_view.topic_set_choices(topic_sets, lg)), ch.export(table, lg)[0] if table else None),
            [c_table, lang], [c_set, downloads], api_name=False)
        relabel.then(
            rerender, [lang, results, up_last, doc_pick, *search_inputs[:-1]],
            [results, remove_btn, up_out, doc_view, status_html, *doc_outputs], api_name=False, show_progress="hidden",
        ).then(lambda: gr.update(visible=False), None, up_files, api_name=False, show_progress="hidden").then(
            lambda: gr.update(visible=True), None, up_files, api_name=False, show_progress="hidden")  # Gradio's texts again

        def from_link(request: gr.Request) -> tuple[Any, ...]:
            """The page in the language a link asks for (``?lang=en``; Gradio's own texts: ui.locale)."""
            asked = str(request.query_params.get("lang", "")) if request is not None else ""
            if asked not in ("sv", "en") or asked == lang0:
                return tuple(gr.skip() for _ in range(len(labelled_outputs) + 1))
            return (asked, *switch(asked))

        demo.load(from_link, None, [lang_radio, *labelled_outputs], api_name=False, show_progress="hidden").then(
            load_documents, lang, doc_outputs, api_name=False, show_progress="hidden")
    return demo


def make_fastapi(settings: Settings) -> Any:
    """The app served: the Gradio Blocks at ``/`` plus ``/document/{doc_id}``."""
    from fastapi import FastAPI
    from fastapi.responses import HTMLResponse

    api = FastAPI(title="regionplans", docs_url=None, redoc_url=None, openapi_url=None)

    @api.get("/document/{doc_id}", response_class=HTMLResponse)
    def document(doc_id: str, lang: str = DEFAULT_LANGUAGE) -> HTMLResponse:
        """A document's cleaned text with every section anchored (ids are looked up, never paths)."""
        if not re.fullmatch(r"[0-9A-Za-z_\-]{1,128}", doc_id) or not settings.ingest_dir.exists():
            return HTMLResponse("not found", status_code=404)
        from regionplans.ingest.store import IngestStore

        store = IngestStore(settings.ingest_dir)
        try:
            doc = store.document(doc_id)
        except (KeyError, RegionPlansError, FileNotFoundError):
            return HTMLResponse("not found", status_code=404)
        if doc is None:
            return HTMLResponse("not found", status_code=404)
        return HTMLResponse(render.document_page(doc, store.sections(doc_id), lang if lang in ("sv", "en") else "sv"))

    state = AppState(settings)
    state.startup.start()  # the first ingest and index build, when there is no index yet

    @api.get("/ready")
    def ready() -> dict[str, Any]:
        """Whether the index is built (``phase``: ready, ingest, index or failed)."""
        return state.startup.to_dict()

    blocks = build_app(settings, state)
    blocks.queue(default_concurrency_limit=2)
    limits = settings.limits
    app = gr.mount_gradio_app(
        api, blocks, path="", footer_links=["api"], allowed_paths=[], blocked_paths=[str(settings.data_dir.resolve())],
        max_file_size=f"{int(limits.max_upload_mb * 1024)}kb", theme=render.theme(), css=render.APP_CSS + compare_view.CSS, ssr_mode=False,
        show_error=True,
    )  # fmt: skip
    from regionplans.ui.locale import StartLocale

    app.add_middleware(StartLocale)  # Gradio's own texts start in the app's language
    # Request bodies over the limit and calls of private handlers by name never reach Gradio.
    app.add_middleware(RequestGuard, max_bytes=limits.max_request_kb * 1024, public=PUBLIC_ENDPOINTS,
                       message=lambda lang, kb: t("request_too_big", lang, kb=kb))  # fmt: skip
    # Gradio checks that an input file was uploaded (and copies nothing else into its
    # cache) only in an app marked as launched, which mount_gradio_app does not do:
    # without the mark, a call naming any server path had that file copied and ingested.
    # Handlers check again with uploaded_file().
    blocks.has_launched = True
    return app


def serve(settings: Settings, host: str = "127.0.0.1", port: int = 7860) -> None:
    """Run the app on ``host:port`` (loopback unless told otherwise)."""
    import uvicorn

    app = make_fastapi(settings)
    uvicorn.run(app, host=host, port=port, log_level="warning")


__all__ = ["UPLOAD_TYPES", "_safe_name", "build_app", "make_fastapi", "replace", "serve",
           "uploaded_file"]

"""The Gradio app: search, compare and browse the plans, in Swedish and English.

A thin layer: every view calls the same library functions as the CLI
(:class:`~regionplans.index.search.Searcher`, ``compare.table.build_table``,
``ingest.pipeline.ingest_files``, ``index.build.index_corpus``). All document text
is rendered through :mod:`ui.render`, which escapes before marking.
"""

from __future__ import annotations

import contextlib
import os
import re
import threading
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
from regionplans.records import SEARCH_MODES, SearchFilters  # noqa: E402
from regionplans.ui import compare_view, render  # noqa: E402
from regionplans.ui.guard import ExportFolder, HeavyCalls, RequestGuard, uploaded_file  # noqa: E402
from regionplans.ui.i18n import DEFAULT_LANGUAGE, t  # noqa: E402
from regionplans.ui.inputs import hits, regions_of, say, words  # noqa: E402

DATE_RE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")
PUBLIC_ENDPOINTS = frozenset({"search", "compare", "documents", "add_documents"})
EXPORTS = ExportFolder()


def _theme() -> Any:
    """A theme with system fonts only: nothing is fetched from the internet."""
    system = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "sans-serif"]
    mono = ["ui-monospace", "SFMono-Regular", "Menlo", "monospace"]
    return gr.themes.Soft(primary_hue="blue", font=system, font_mono=mono)


class AppState:
    """The library objects the views share: one Searcher, reopened after uploads."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._searcher: Any = None
        self._lock = threading.Lock()

    @property
    def searcher(self) -> Any:
        from regionplans.index.search import Searcher

        with self._lock:
            if self._searcher is None:
                self._searcher = Searcher(self.settings)
            return self._searcher

    def reset(self) -> None:
        with self._lock:
            if self._searcher is not None:
                # Closing a stale reader must not block a reload.
                with contextlib.suppress(Exception):
                    self._searcher.close()
            self._searcher = None

    def store(self) -> Any:
        from regionplans.ingest.store import IngestStore

        return IngestStore(self.settings.ingest_dir)

    def documents(self) -> list[Any]:
        if not self.settings.ingest_dir.exists():
            return []
        return list(self.store().documents())

    # -- views' library calls -------------------------------------------------
    def choices(self) -> dict[str, list[str]]:
        from regionplans.ingest.regions import REGIONS

        docs = self.documents()
        names = [getattr(r, "name", r) for r in REGIONS]
        return {
            "regions": sorted({str(n) for n in names}),
            "publishers": sorted({d.publisher for d in docs if d.publisher}),
            "doc_types": sorted({d.doc_type for d in docs if d.doc_type}),
            "languages": sorted({d.language for d in docs if d.language}),
        }


def _topic_sets() -> dict[str, dict[str, Any]]:
    """Ready-made topic sets (name → {topic, aspects}) from ``compare.topics``; none when
    a topic file is broken (the app still starts; ``regionplans compare`` names the file)."""
    from regionplans.compare.topics import load_topics

    try:
        found = load_topics()
    except RegionPlansError:
        return {}
    return {name: {"topic": ts["topic"], "aspects": [str(a) for a in ts["aspects"]]} for name, ts in found.items()}


def build_app(settings: Settings) -> gr.Blocks:
    """The four views and the language switch, wired to the library."""
    state = AppState(settings)
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

    with gr.Blocks(title=t("title", lang0), analytics_enabled=False) as demo:
        lang = gr.State(lang0)
        with gr.Row(equal_height=True):
            with gr.Column(scale=5):
                title_md = L(gr.Markdown(f"## {t('title', lang0)}\n{t('intro', lang0)}", elem_id="rp-title"), "title", "md_title")
            with gr.Column(scale=1, min_width=180):
                lang_radio = L(gr.Radio([("Svenska", "sv"), ("English", "en")], value=lang0, label=t("language", lang0), elem_id="rp-lang"), "language")

        # ---------------------------------------------------------------- Search
        with L(gr.Tab(t("tab_search", lang0), id="search", elem_id="tab-search"), "tab_search"):
            with gr.Row():
                query = L(gr.Textbox(label=t("query", lang0), placeholder=t("query_placeholder", lang0), scale=5, elem_id="rp-query"), "query")
                search_btn = L(gr.Button(t("search_button", lang0), variant="primary", scale=1, elem_id="rp-search-btn"), "search_button", "value")
            with L(gr.Accordion(t("filters", lang0), open=True), "filters"):
                with gr.Row():
                    f_regions = L(gr.Dropdown(choices["regions"], multiselect=True, label=t("regions", lang0), elem_id="rp-regions"), "regions")
                    f_publishers = L(gr.Dropdown(choices["publishers"], multiselect=True, label=t("publishers", lang0), elem_id="rp-publishers"), "publishers")
                    f_types = L(gr.Dropdown(choices["doc_types"], multiselect=True, label=t("doc_types", lang0)), "doc_types")
                    f_langs = L(gr.Dropdown(choices["languages"], multiselect=True, label=t("languages", lang0)), "languages")
                with gr.Row():
                    f_from = L(gr.Textbox(label=t("date_from", lang0), max_lines=1), "date_from")
                    f_to = L(gr.Textbox(label=t("date_to", lang0), max_lines=1), "date_to")
                    f_mode = L(gr.Radio(list(SEARCH_MODES), value="hybrid", label=t("mode", lang0)), "mode")
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
            docs_table = L(gr.Dataframe(interactive=False, label=t("documents_table", lang0), wrap=True, elem_id="rp-docs"), "documents_table")
            report_md = gr.Markdown()
            doc_pick = L(gr.Dropdown([], label=t("choose_document", lang0), elem_id="rp-docpick"), "choose_document")
            doc_view = gr.HTML(elem_id="rp-docview")

        # ------------------------------------------------------------------- Add
        with L(gr.Tab(t("tab_add", lang0), id="add", elem_id="tab-add"), "tab_add"):
            up_files = L(gr.File(label=t("upload", lang0, mb=f"{limits.max_upload_mb:g}"), file_count="multiple", file_types=list(UPLOAD_TYPES), elem_id="rp-upload"), "upload")
            up_btn = L(gr.Button(t("upload_button", lang0), variant="primary", elem_id="rp-upload-btn"), "upload_button", "value")
            up_out = gr.HTML(elem_id="rp-upload-out")

        # ------------------------------------------------------------- handlers
        def do_search(q: str, regions: list[str], publishers: list[str], types: list[str], langs: list[str],
                      dfrom: str, dto: str, mode: str, limit: float, detect_regions: bool, lg: str) -> tuple[str, Any]:
            """Search the index (same call as `regionplans search`)."""
            if not isinstance(q, str) or not isinstance(lg, str):
                return render.message_html(t("bad_text", DEFAULT_LANGUAGE, field=t("query", DEFAULT_LANGUAGE)), "error"), gr.update(visible=False)
            if not q.strip():
                return render.message_html(t("empty_query", lg)), gr.update(visible=False)
            if not settings.ingest_dir.exists():
                return render.message_html(t("no_index", lg)), gr.update(visible=False)
            for value in (dfrom, dto):
                if value and (not isinstance(value, str) or not DATE_RE.fullmatch(value.strip())):
                    return render.message_html(t("error", lg, message=f"{value!r}: YYYY[-MM[-DD]]"), "error"), gr.update(visible=False)
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
            return render.search_html(result, lg), gr.update(visible=shown)

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

        def do_compare(topic: str, aspects_text: str, regions: list[str], lg: str, progress: gr.Progress = gr.Progress()) -> tuple[str, Any, Any]:  # noqa: B008
            """Build the region × aspect table (same call as `regionplans compare`)."""
            if not isinstance(topic, str) or not isinstance(aspects_text or "", str):
                return render.message_html(t("bad_text", DEFAULT_LANGUAGE, field=t("topic", DEFAULT_LANGUAGE)), "error"), None, None
            if not topic.strip():
                return render.message_html(t("compare_empty_topic", lg)), None, None
            from regionplans.compare.table import build_table

            try:
                rows = words(regions, t("compare_regions", lg), lg)
                aspects = [a.strip() for a in (aspects_text or "").splitlines() if a.strip()]
                limits.check_comparison(topic, aspects, rows)
                progress(0.1, desc=t("compare_button", lg))
                with heavy.slot():
                    table = build_table(state.searcher, topic.strip(), aspects=aspects or None, regions=list(rows) or None)
            except gr.Error as err:
                return render.message_html(str(err.message), "error"), None, None
            except RegionPlansError as err:
                return render.message_html(say(err, lg), "error"), None, None
            files, failed = _export(table, lg, settings)  # each file on its own: a failed export costs only itself
            notes = "".join(render.message_html(t("export_failed", lg, fmt=fmt, error=error), "error") for fmt, error in failed)
            return compare_view.table_html(table, lg) + notes, files, table

        def show_compare(table: Any, column: str, hide: bool, lg: str) -> tuple[Any, str, str, Any, list[str]]:
            """The map, coverage, legend and table for the chosen column (compare_view.show)."""
            view = compare_view.show(table, lg, column=column, hide_empty=bool(hide), folder=EXPORTS.new() if table else None)
            table_html = view.table_html if table is not None else gr.update()
            return gr.update(choices=list(view.columns), value=view.column), view.map_html, view.side_html, table_html, [str(p) for p in view.map_files]

        def compare_api(topic: str, aspects_text: str, regions: list[str], lg: str, progress: gr.Progress = gr.Progress()) -> tuple[str, Any]:  # noqa: B008
            """`/compare` for scripts: the table's HTML and files (the view keeps the table too)."""
            return do_compare(topic, aspects_text, regions, lg, progress)[:2]

        shown = [c_column, map_out, side_out, table_out, map_files]
        c_inputs = [c_topic, c_aspects, c_regions, lang]
        gr.Button(visible=False).click(compare_api, c_inputs, [table_out, downloads], api_name="compare")
        compare_btn.click(do_compare, c_inputs, [table_out, downloads, c_table], api_name=False).then(
            show_compare, [c_table, c_column, c_hide, lang], shown, api_name=False)
        for change in (c_column.input, c_hide.input):
            change(show_compare, [c_table, c_column, c_hide, lang], shown, api_name=False)

        def pick_set(name: str) -> tuple[Any, Any]:
            ts = topic_sets.get(name or "")
            if not ts:
                return gr.update(), gr.update()
            return ts["topic"], "\n".join(ts["aspects"])

        c_set.change(pick_set, c_set, [c_topic, c_aspects], api_name=False)

        def load_documents(lg: str) -> tuple[Any, str, Any]:
            """The corpus table, the last ingest report and the document picker."""
            rows: list[list[Any]] = []
            picks: list[tuple[str, str]] = []
            report_text = ""
            try:
                store = state.store() if settings.ingest_dir.exists() else None
                docs = state.documents()
                for d in docs:
                    n_sections = len(store.sections(d.doc_id)) if store else 0
                    rows.append([d.title, d.publisher, ", ".join(d.regions) or t("national", lg), d.doc_type, d.date or "", d.language, n_sections])
                    picks.append((d.title, d.doc_id))
                report = store.last_report() if store else None
                report_text = _report_md(report, lg) if report is not None else ""
            except Exception as err:  # noqa: BLE001 - show the problem in the view, keep the app alive
                report_text = t("error", lg, message=str(err))
            headers = [t(k, lg) for k in ("col_title", "col_publisher", "col_regions", "col_type", "col_date", "col_language", "col_sections")]
            import pandas as pd

            return pd.DataFrame(rows, columns=headers), report_text, gr.update(choices=picks, value=None)

        def show_document(doc_id: str, lg: str) -> str:
            """A document's sections by heading path."""
            if not doc_id:
                return render.message_html(t("no_document", lg))
            store = state.store()
            try:
                doc = store.document(str(doc_id))
            except (KeyError, RegionPlansError, OSError):
                return render.message_html(t("document_missing", lg), "error")
            parts = [f"<h3>{render.esc(doc.title)}</h3>"]
            for s in store.sections(doc_id):
                link = render.document_link(doc_id, s.heading_path, s.page_number)
                heading = " › ".join(s.heading_path) or "—"
                parts.append(
                    f'<details><summary><a href="{render.esc(link)}" target="_blank" rel="noopener">{render.esc(heading)}</a> '
                    f'({render.esc(t("page", lg))} {s.page_number})</summary><p class="rp-passage">{render.esc(s.text)}</p></details>'
                )
            return "".join(parts)

        refresh_btn.click(load_documents, lang, [docs_table, report_md, doc_pick], api_name="documents")
        demo.load(load_documents, lang, [docs_table, report_md, doc_pick], api_name=False)
        doc_pick.change(show_document, [doc_pick, lang], doc_view, api_name=False)

        def do_upload(files: list[Any] | None, lg: str, progress: gr.Progress = gr.Progress()) -> tuple[str, Any, str, Any]:  # noqa: B008
            """Store and ingest the uploaded files (ingest.uploads.add_uploads), update the index."""
            from regionplans.index.build import index_corpus

            if not files:
                return render.message_html(t("upload_none", lg)), *load_documents(lg)
            received: list[tuple[str, Path]] = []
            notes: list[str] = []
            for f in files if isinstance(files, list) else [files]:
                given = Path(str(getattr(f, "path", None) or getattr(f, "name", None) or f))
                original = str(getattr(f, "orig_name", None) or given.name)
                src = uploaded_file(given)
                if src is None:
                    # A path the client names but never uploaded: never read it.
                    notes.append(t("upload_rejected", lg, name=original, reason=t("not_uploaded", lg)))
                    continue
                received.append((original, src))
            # Refused uploads count as failed, as do files ingest skipped.
            counts = {"ingested": 0, "unchanged": 0, "failed": len(notes), "duplicate": 0}
            if received:
                progress(0.2, desc=t("progress_ingest", lg))
                try:
                    with heavy.slot():
                        result = add_uploads(settings, received)
                        for refused in result.refused:
                            reason = t(refused.reason, lg, mb=f"{limits.max_upload_mb:g}")
                            notes.append(t("upload_rejected", lg, name=refused.name, reason=reason))
                            counts["failed"] += 1
                        report = result.report
                        if report is not None:
                            for line in report.files:
                                counts[line.status if line.status in counts else "failed"] += 1
                                if line.status != "ingested":
                                    status = t(f"status_{line.status}", lg)
                                    notes.append(f"{Path(line.path).name}: {status}" + (f" ({line.reason})" if line.reason else ""))
                        if report is not None and report.ingested:
                            progress(0.6, desc=t("progress_index", lg))
                            index_corpus(settings)
                except RegionPlansError as err:
                    # The previous index stays in place: a failed build never replaces it.
                    return (render.message_html(say(err, lg), "error"), *load_documents(lg))
                finally:
                    state.reset()
            docs_n = len(state.documents())
            html_out = render.message_html(t("upload_done", lg, ok=counts["ingested"], unchanged=counts["unchanged"],
                                             failed=counts["failed"], dup=counts["duplicate"], docs=docs_n))  # fmt: skip
            if notes:
                html_out += "<ul>" + "".join(f"<li>{render.esc(n)}</li>" for n in notes) + "</ul>"
            return (html_out, *load_documents(lg))

        up_btn.click(do_upload, [up_files, lang], [up_out, docs_table, report_md, doc_pick], api_name="add_documents")

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
                elif attr == "value":
                    updates.append(gr.update(value=t(key, lg)))
                else:
                    updates.append(gr.update(label=t(key, lg)))
            return updates

        relabel = lang_radio.change(switch, lang_radio, [lang] + [c for c, _, _ in labelled], api_name=False)
        relabel.then(load_documents, lang, [docs_table, report_md, doc_pick], api_name=False)
        relabel.then(show_compare, [c_table, c_column, c_hide, lang], shown, api_name=False).then(
            lambda table, lg: (gr.update(choices=compare_view.topic_set_choices(topic_sets, lg)), _export(table, lg, settings)[0] if table else None),
            [c_table, lang], [c_set, downloads], api_name=False)
        _ = title_md
    return demo


def _report_md(report: Any, lang: str) -> str:
    """The last ingest report: its summary, then failed, skipped and duplicate files with
    their reasons, and the run's warnings."""
    lines = [f"**{t('ingest_report', lang)}**: {report.summary()}"]
    for status, key in (("failed", "failed"), ("skipped", "skipped"), ("duplicate", "duplicates")):
        files = report.by_status(status)
        listed = "; ".join(f"`{Path(f.path).name}`: {f.reason}" for f in files) or t("none", lang)
        lines.append(f"- {t(key, lang)}: {listed}")
    if report.warnings:
        lines.append(f"- {t('warnings', lang)}: " + "; ".join(report.warnings))
    return "\n".join(lines)


def _export(table: Any, lang: str, settings: Settings) -> tuple[list[str], list[tuple[str, str]]]:
    """The table's files for download (compare_view.export_files) in a folder of this
    process that is cleaned up (:class:`~regionplans.ui.guard.ExportFolder`)."""
    return compare_view.export_files(table, lang, EXPORTS.new(), (settings.corpus_dir, settings.data_dir))


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

    blocks = build_app(settings)
    blocks.queue(default_concurrency_limit=2)
    limits = settings.limits
    app = gr.mount_gradio_app(
        api, blocks, path="", footer_links=["api"], allowed_paths=[], blocked_paths=[str(settings.data_dir.resolve())],
        max_file_size=f"{int(limits.max_upload_mb * 1024)}kb", theme=_theme(), css=render.APP_CSS + compare_view.CSS, ssr_mode=False,
        show_error=True,
    )  # fmt: skip
    # Request bodies over the limit and calls of private handlers by name never reach Gradio.
    app.add_middleware(RequestGuard, max_bytes=limits.max_request_kb * 1024, public=PUBLIC_ENDPOINTS,
                       message=lambda lang, kb: t("request_too_big", lang, kb=kb))  # fmt: skip
    # Gradio checks that an input file was uploaded (and copies nothing else into its
    # cache) only in an app marked as launched, which mount_gradio_app does not do:
    # without the mark, a call naming any server path had that file copied and ingested.
    # Handlers check again with uploaded_file().
    blocks.has_launched = True
    return app


def ensure_index(settings: Settings) -> None:
    """Ingest and index ``settings.corpus_dir`` when no index exists yet."""
    from regionplans.index.build import index_corpus
    from regionplans.ingest.pipeline import ingest_directory

    if settings.index_dir.exists() and any(settings.index_dir.iterdir()) and settings.ingest_dir.exists():
        return
    ingest_directory(settings.corpus_dir, settings.ingest_dir)
    index_corpus(settings)


def serve(settings: Settings, host: str = "127.0.0.1", port: int = 7860) -> None:
    """Run the app on ``host:port`` (loopback unless told otherwise)."""
    import uvicorn

    app = make_fastapi(settings)
    uvicorn.run(app, host=host, port=port, log_level="warning")


__all__ = ["UPLOAD_TYPES", "_safe_name", "build_app", "ensure_index", "make_fastapi", "replace", "serve",
           "uploaded_file"]

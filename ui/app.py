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
import shutil
import tempfile
import threading
from dataclasses import replace
from pathlib import Path
from typing import Any

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import gradio as gr  # noqa: E402

from regionplans.config import Settings  # noqa: E402
from regionplans.errors import RegionPlansError  # noqa: E402
from regionplans.records import SEARCH_MODES, SearchFilters  # noqa: E402
from regionplans.ui import render  # noqa: E402
from regionplans.ui.i18n import DEFAULT_LANGUAGE, t  # noqa: E402

UPLOAD_TYPES: tuple[str, ...] = (".pdf", ".html", ".htm", ".txt", ".md", ".docx")
MAX_UPLOAD_MB = 25
DATE_RE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


def _theme() -> Any:
    """A theme with system fonts only: nothing is fetched from the internet."""
    system = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "sans-serif"]
    mono = ["ui-monospace", "SFMono-Regular", "Menlo", "monospace"]
    return gr.themes.Soft(primary_hue="blue", font=system, font_mono=mono)


def _safe_name(name: str) -> str:
    """A file name with no directory part and only harmless characters."""
    base = Path(name.replace("\\", "/")).name
    base = re.sub(r"[^\w.\-]+", "_", base, flags=re.UNICODE).lstrip(".")
    return base or "upload"


def upload_folder() -> Path:
    """Where Gradio stores the files a client uploads (``GRADIO_TEMP_DIR`` or the
    system temp folder's ``gradio/``), resolved."""
    from gradio.utils import get_upload_folder

    return Path(get_upload_folder()).resolve()


def uploaded_file(path: Path | str) -> Path | None:
    """``path`` resolved, when it is a regular file inside the upload folder; else None.

    The app is mounted on FastAPI rather than launched, so Gradio's own check that an
    input file was uploaded is not in force: any client could name a server path in a
    call and have that file ingested and served by search. Only files that arrived
    through the upload route are accepted; links are resolved before the check.
    """
    try:
        resolved = Path(path).resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    if not resolved.is_relative_to(upload_folder()) or not resolved.is_file():
        return None
    return resolved


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
    """Ready-made topic sets (name → {topic, aspects}) from compare/topics/.

    Uses the compare package's own loader when it has one, otherwise reads the
    JSON, TOML or YAML files in the folder (each with ``topic`` and ``aspects``).
    """
    import importlib

    out: dict[str, dict[str, Any]] = {}
    for mod_name in ("regionplans.compare.topics", "regionplans.compare.table"):
        try:
            mod = importlib.import_module(mod_name)
        except ImportError:
            continue
        loader = getattr(mod, "load_topics", None) or getattr(mod, "topic_sets", None)
        if loader is None:
            continue
        try:
            found = loader()
        except Exception:  # noqa: BLE001 - a broken topic file must not stop the app
            return {}
        items = found.items() if isinstance(found, dict) else ((getattr(x, "name", str(x)), x) for x in found)
        for name, ts in items:
            out[str(name)] = _topic_entry(str(name), ts)
        return out
    import regionplans.compare as compare_pkg

    folder = Path(compare_pkg.__file__).parent / "topics"
    for path in sorted(folder.glob("*")) if folder.is_dir() else []:
        try:
            if path.suffix == ".json":
                import json

                data = json.loads(path.read_text(encoding="utf-8"))
            elif path.suffix == ".toml":
                import tomllib

                data = tomllib.loads(path.read_text(encoding="utf-8"))
            elif path.suffix in (".yaml", ".yml"):
                import yaml

                data = yaml.safe_load(path.read_text(encoding="utf-8"))
            else:
                continue
        except Exception:  # noqa: BLE001 - a broken topic file must not stop the app
            continue
        if isinstance(data, dict):
            name = str(data.get("name") or data.get("title") or path.stem)
            out[name] = _topic_entry(name, data)
    return out


def _topic_entry(name: str, ts: Any) -> dict[str, Any]:
    topic = ts.get("topic") if isinstance(ts, dict) else getattr(ts, "topic", None)
    aspects = ts.get("aspects") if isinstance(ts, dict) else getattr(ts, "aspects", None)
    names = [a if isinstance(a, str) else (a.get("name") if isinstance(a, dict) else getattr(a, "name", str(a))) for a in aspects or []]
    return {"topic": topic or name, "aspects": [str(a) for a in names]}


def build_app(settings: Settings) -> gr.Blocks:
    """The four views and the language switch, wired to the library."""
    state = AppState(settings)
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
                c_set = L(gr.Dropdown(list(topic_sets), value=None, label=t("topic_set", lang0), elem_id="rp-topicset"), "topic_set")
                c_topic = L(gr.Textbox(label=t("topic", lang0), elem_id="rp-topic", scale=3), "topic")
            with gr.Row():
                c_aspects = L(gr.Textbox(label=t("aspects", lang0), lines=3, elem_id="rp-aspects"), "aspects")
                c_regions = L(gr.Dropdown(choices["regions"], multiselect=True, label=t("compare_regions", lang0)), "compare_regions")
            compare_btn = L(gr.Button(t("compare_button", lang0), variant="primary", elem_id="rp-compare-btn"), "compare_button", "value")
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
            up_files = L(gr.File(label=t("upload", lang0, mb=MAX_UPLOAD_MB), file_count="multiple", file_types=list(UPLOAD_TYPES), elem_id="rp-upload"), "upload")
            up_btn = L(gr.Button(t("upload_button", lang0), variant="primary", elem_id="rp-upload-btn"), "upload_button", "value")
            up_out = gr.HTML(elem_id="rp-upload-out")

        # ------------------------------------------------------------- handlers
        def do_search(q: str, regions: list[str], publishers: list[str], types: list[str], langs: list[str],
                      dfrom: str, dto: str, mode: str, limit: float, detect_regions: bool, lg: str) -> tuple[str, Any]:
            """Search the index (same call as `regionplans search`)."""
            if not (q or "").strip():
                return render.message_html(t("empty_query", lg)), gr.update(visible=False)
            if not settings.ingest_dir.exists():
                return render.message_html(t("no_index", lg)), gr.update(visible=False)
            for value in (dfrom, dto):
                if value and not DATE_RE.fullmatch(value.strip()):
                    return render.message_html(t("error", lg, message=f"{value!r}: YYYY[-MM[-DD]]"), "error"), gr.update(visible=False)
            filters = SearchFilters(
                regions=tuple(regions or ()), publishers=tuple(publishers or ()), doc_types=tuple(types or ()),
                languages=tuple(langs or ()), date_from=(dfrom or "").strip() or None, date_to=(dto or "").strip() or None,
            )
            try:
                result = state.searcher.search(q, filters=filters, mode=mode, limit=int(limit), per_doc=3, detect_regions=bool(detect_regions))
            except (RegionPlansError, FileNotFoundError) as err:
                return render.message_html(t("error", lg, message=str(err)), "error"), gr.update(visible=False)
            shown = bool(result.region_detection_applied and result.detected_regions)
            return render.search_html(result, lg), gr.update(visible=shown)

        search_inputs = [query, f_regions, f_publishers, f_types, f_langs, f_from, f_to, f_mode, f_limit, detect, lang]
        for trigger in (search_btn.click, query.submit):
            trigger(lambda: True, None, detect, queue=False, api_name=False).then(do_search, search_inputs, [results, remove_btn], api_name=False)
        # A script-facing endpoint with the same behaviour.
        def search_api(q: str, regions: list[str] | None = None, mode: str = "hybrid", limit: int = 10) -> list[dict]:
            """Hits as dicts (the same call as `regionplans search --format json`)."""
            result = state.searcher.search(q, filters=SearchFilters(regions=tuple(regions or ())), mode=mode, limit=int(limit))
            return [h.to_dict() for h in result.hits]

        gr.api(search_api, api_name="search")
        remove_btn.click(lambda: False, None, detect, queue=False, api_name=False).then(do_search, search_inputs, [results, remove_btn], api_name=False)

        def do_compare(topic: str, aspects_text: str, regions: list[str], lg: str, progress: gr.Progress = gr.Progress()) -> tuple[str, Any]:  # noqa: B008
            """Build the region × aspect table (same call as `regionplans compare`)."""
            if not (topic or "").strip():
                return render.message_html(t("compare_empty_topic", lg)), None
            from regionplans.compare.table import build_table

            aspects = [a.strip() for a in (aspects_text or "").splitlines() if a.strip()] or None
            progress(0.1, desc=t("compare_button", lg))
            try:
                table = build_table(state.searcher, topic.strip(), aspects=aspects, regions=list(regions) or None)
            except RegionPlansError as err:
                return render.message_html(t("error", lg, message=str(err)), "error"), None
            files = _export(table, settings)
            return render.table_html(table, lg), files

        compare_btn.click(do_compare, [c_topic, c_aspects, c_regions, lang], [table_out, downloads], api_name="compare")

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
            doc = store.document(doc_id)
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
            """Copy accepted files into the data dir, ingest them, update the index."""
            from regionplans.index.build import index_corpus
            from regionplans.ingest.pipeline import ingest_files

            if not files:
                return render.message_html(t("upload_none", lg)), *load_documents(lg)
            dest_dir = settings.data_dir / "uploads"
            dest_dir.mkdir(parents=True, exist_ok=True)
            accepted: list[Path] = []
            notes: list[str] = []
            for f in files:
                given = Path(getattr(f, "name", None) or getattr(f, "path", None) or str(f))
                name = _safe_name(getattr(f, "orig_name", None) or given.name)
                src = uploaded_file(given)
                if src is None:
                    # A path the client names but never uploaded: never read it.
                    notes.append(t("upload_rejected", lg, name=name, reason=t("not_uploaded", lg)))
                    continue
                if Path(name).suffix.lower() not in UPLOAD_TYPES:
                    notes.append(t("upload_rejected", lg, name=name, reason=t("bad_type", lg)))
                    continue
                if src.stat().st_size > MAX_UPLOAD_MB * 1024 * 1024:
                    notes.append(t("upload_rejected", lg, name=name, reason=t("too_big", lg, mb=MAX_UPLOAD_MB)))
                    continue
                target = dest_dir / name
                shutil.copyfile(src, target)
                accepted.append(target)
            ok = failed = dup = 0
            if accepted:
                progress(0.2, desc=t("progress_ingest", lg))
                try:
                    report = ingest_files(accepted, settings.ingest_dir)
                    data = report.to_dict()
                    failed_items = list(data.get("failed", []) or [])
                    dup_items = list(data.get("duplicates", []) or [])
                    ok = len(data.get("ingested", []) or data.get("documents", []) or []) or max(
                        len(accepted) - len(failed_items) - len(dup_items), 0
                    )
                    failed, dup = len(failed_items), len(dup_items)
                    for item in failed_items:
                        notes.append(f"{_item_name(item)}: {_item_reason(item)}")
                    progress(0.6, desc=t("progress_index", lg))
                    index_corpus(settings)
                except RegionPlansError as err:
                    # The previous index stays in place: a failed build never replaces it.
                    return (render.message_html(t("error", lg, message=str(err)), "error"), *load_documents(lg))
                finally:
                    state.reset()
            docs_n = len(state.documents())
            html_out = render.message_html(t("upload_done", lg, ok=ok, failed=failed, dup=dup, docs=docs_n))
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
                    updates.append(gr.update(label=t(key, lg, mb=MAX_UPLOAD_MB)))
                elif attr == "value":
                    updates.append(gr.update(value=t(key, lg)))
                else:
                    updates.append(gr.update(label=t(key, lg)))
            return updates

        lang_radio.change(switch, lang_radio, [lang] + [c for c, _, _ in labelled], api_name=False).then(
            load_documents, lang, [docs_table, report_md, doc_pick], api_name=False
        )
        _ = title_md
    return demo


def _item_name(item: Any) -> str:
    if isinstance(item, dict):
        return str(item.get("file") or item.get("path") or item.get("file_path") or item)
    return str(getattr(item, "file_path", None) or getattr(item, "path", None) or item)


def _item_reason(item: Any) -> str:
    if isinstance(item, dict):
        return str(item.get("reason") or item.get("error") or "")
    return str(getattr(item, "reason", None) or getattr(item, "error", "") or "")


def _report_md(report: Any, lang: str) -> str:
    data = report.to_dict() if hasattr(report, "to_dict") else dict(report)
    failed = data.get("failed", []) or []
    dups = data.get("duplicates", []) or []
    summary = report.summary() if hasattr(report, "summary") else ""
    lines = [f"**{t('ingest_report', lang)}**: {summary}"]
    lines.append(f"- {t('failed', lang)}: " + ("; ".join(f"`{_item_name(i)}`: {_item_reason(i)}" for i in failed) or t("none", lang)))
    lines.append(f"- {t('duplicates', lang)}: " + ("; ".join(f"`{_item_name(i)}` {_item_reason(i)}" for i in dups) or t("none", lang)))
    return "\n".join(lines)


def _export(table: Any, settings: Settings) -> list[str]:
    """CSV, XLSX and Markdown files of the table (via compare.export) for download."""
    from regionplans.compare import export

    out_dir = Path(tempfile.mkdtemp(prefix="regionplans-export-"))
    slug = re.sub(r"[^\w]+", "-", str(getattr(table, "topic", "table")).lower()).strip("-")[:40] or "table"
    paths: list[str] = []
    for fmt, ext in (("csv", "csv"), ("xlsx", "xlsx"), ("md", "md")):
        path = out_dir / f"{slug}.{ext}"
        writer = getattr(export, f"write_{fmt}", None) or getattr(export, f"to_{fmt}", None)
        if writer is None and hasattr(export, "write"):
            export.write(table, path, fmt)
        elif writer is not None:
            writer(table, path)
        else:
            continue
        paths.append(str(path))
    return paths


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
    app = gr.mount_gradio_app(
        api, blocks, path="", footer_links=["api"], allowed_paths=[], blocked_paths=[str(settings.data_dir.resolve())],
        max_file_size=f"{MAX_UPLOAD_MB}mb", theme=_theme(), css=render.APP_CSS, ssr_mode=False, show_error=True,
    )
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


__all__ = ["build_app", "ensure_index", "make_fastapi", "serve", "replace"]

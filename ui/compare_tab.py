"""The comparison tab's handlers: build a table (the same call as ``regionplans compare``),
show its map, legend and table for a column, and make its downloads."""

from __future__ import annotations

from typing import Any

import gradio as gr

from regionplans.config import Settings
from regionplans.errors import RegionPlansError
from regionplans.ui import compare_view, render
from regionplans.ui.guard import ExportFolder, HeavyCalls
from regionplans.ui.i18n import DEFAULT_LANGUAGE, t
from regionplans.ui.inputs import say, words


class CompareHandlers:
    """Handlers of one app: ``state.searcher`` answers, ``heavy`` bounds the tables built at
    once, downloads go to ``exports`` (folders of this process, cleaned up)."""

    def __init__(self, state: Any, heavy: HeavyCalls, settings: Settings, exports: ExportFolder) -> None:
        self.state, self.heavy, self.settings, self.exports = state, heavy, settings, exports

    def build(self, topic: str, aspects_text: str, regions: list[str], lg: str, progress: gr.Progress = gr.Progress()) -> tuple[str, Any, Any]:  # noqa: B008
        """The table's HTML, its files and the table itself (kept by the view)."""
        if not isinstance(topic, str) or not isinstance(aspects_text or "", str):
            return render.message_html(t("bad_text", DEFAULT_LANGUAGE, field=t("topic", DEFAULT_LANGUAGE)), "error"), None, None
        if not topic.strip():
            return render.message_html(t("compare_empty_topic", lg)), None, None
        from regionplans.compare.table import build_table

        try:
            rows = words(regions, t("compare_regions", lg), lg)
            aspects = [a.strip() for a in (aspects_text or "").splitlines() if a.strip()]
            self.settings.limits.check_comparison(topic, aspects, rows)
            progress(0.1, desc=t("compare_button", lg))
            with self.heavy.slot():
                table = build_table(self.state.searcher, topic.strip(), aspects=aspects or None, regions=list(rows) or None)
        except gr.Error as err:
            return render.message_html(str(err.message), "error"), None, None
        except RegionPlansError as err:
            return render.message_html(say(err, lg), "error"), None, None
        files, failed = self.export(table, lg)  # each file on its own: a failed export costs only itself
        notes = "".join(render.message_html(t("export_failed", lg, fmt=fmt, error=error), "error") for fmt, error in failed)
        return compare_view.table_html(table, lg) + notes, files, table

    def api(self, topic: str, aspects_text: str, regions: list[str], lg: str, progress: gr.Progress = gr.Progress()) -> tuple[str, Any]:  # noqa: B008
        """`/compare` for scripts: the table's HTML and files (the view keeps the table too)."""
        return self.build(topic, aspects_text, regions, lg, progress)[:2]

    def show(self, table: Any, column: str, hide: bool, lg: str) -> tuple[Any, str, str, Any, list[str]]:
        """The map, coverage, legend and table for the chosen column (compare_view.show)."""
        view = compare_view.show(table, lg, column=column, hide_empty=bool(hide), folder=self.exports.new() if table else None)
        table_html = view.table_html if table is not None else gr.update()
        # Without a table the column picker stays as it is (an empty value is no choice).
        column_update = gr.update(choices=list(view.columns), value=view.column) if table is not None else gr.update()
        return column_update, view.map_html, view.side_html, table_html, [str(p) for p in view.map_files]

    def export(self, table: Any, lang: str) -> tuple[list[str], list[tuple[str, str]]]:
        """The table's files for download (compare_view.export_files)."""
        roots = (self.settings.corpus_dir, self.settings.data_dir)
        return compare_view.export_files(table, lang, self.exports.new(), roots)

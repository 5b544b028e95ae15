"""Render rows (a list of flat dicts) as table, json, jsonl, csv or md.

One function for every command, so ``--format`` means the same everywhere.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from typing import Any

FORMATS: tuple[str, ...] = ("table", "json", "jsonl", "csv", "md")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "; ".join(_cell(v) for v in value)
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def render(rows: Sequence[dict[str, Any]], fmt: str, columns: Iterable[str] | None = None) -> str:
    """Render ``rows`` in ``fmt``; ``columns`` picks and orders the keys for table/csv/md."""
    if fmt == "json":
        return json.dumps(list(rows), ensure_ascii=False, indent=2)
    if fmt == "jsonl":
        return "\n".join(json.dumps(row, ensure_ascii=False) for row in rows)
    cols = list(columns) if columns is not None else _columns(rows)
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(cols)
        for row in rows:
            writer.writerow([_cell(row.get(c)) for c in cols])
        return buf.getvalue().rstrip("\n")
    if fmt == "md":
        lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
        for row in rows:
            cells = [_cell(row.get(c)).replace("|", "\\|").replace("\n", " ") for c in cols]
            lines.append("| " + " | ".join(cells) + " |")
        return "\n".join(lines)
    if fmt == "table":
        table = [[_cell(row.get(c)).replace("\n", " ") for c in cols] for row in rows]
        widths = [
            min(60, max([len(c)] + [len(r[i]) for r in table])) for i, c in enumerate(cols)
        ]

        def line(cells: Sequence[str]) -> str:
            return "  ".join(
                (cell if len(cell) <= w else cell[: w - 1] + "…").ljust(w)
                for cell, w in zip(cells, widths, strict=True)
            ).rstrip()

        out = [line(cols), line(["-" * w for w in widths])]
        out.extend(line(r) for r in table)
        return "\n".join(out)
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")


def _columns(rows: Sequence[dict[str, Any]]) -> list[str]:
    cols: list[str] = []
    for row in rows:
        for key in row:
            if key not in cols:
                cols.append(key)
    return cols

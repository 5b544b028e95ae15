"""Render rows (a list of flat dicts) as table, json, jsonl, csv or md.

One function for every command, so ``--format`` means the same everywhere. File names
and document text are untrusted: in every format, control characters (a terminal's
escape sequences start with one) and bidirectional overrides are shown as visible
escapes (``\x1b``), never sent to the terminal (JSON escapes them by itself).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Sequence
from typing import Any

FORMATS: tuple[str, ...] = ("table", "json", "jsonl", "csv", "md")


# C0 and C1 controls but tab and line feed, DEL, and the bidirectional embeddings,
# overrides and isolates that reorder what a terminal shows ("Trojan source").
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """``text`` with control characters and bidirectional overrides as visible escapes.

    >>> print(printable("plan" + chr(27) + "]0;owned" + chr(7) + ".txt"))
    plan\\x1b]0;owned\\x07.txt
    """
    return _UNPRINTABLE.sub(lambda m: ascii(m.group(0))[1:-1], text)


def to_json(data: Any, indent: int | None = 2) -> str:
    """``data`` as JSON for a terminal: non-ASCII letters kept, and every character
    :func:`printable` escapes written as a ``\\uXXXX`` escape (JSON's own leaves C1
    controls and bidirectional overrides raw)."""
    text = json.dumps(data, ensure_ascii=False, indent=indent)
    return _UNPRINTABLE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "; ".join(_cell(v) for v in value)
    if isinstance(value, float):
        return f"{value:.4g}"
    return printable(str(value))


def render(rows: Sequence[dict[str, Any]], fmt: str, columns: Iterable[str] | None = None) -> str:
    """Render ``rows`` in ``fmt``; ``columns`` picks and orders the keys for table/csv/md."""
    if fmt == "json":
        return to_json(list(rows))
    if fmt == "jsonl":
        return "\n".join(to_json(row, indent=None) for row in rows)
    cols = list(columns) if columns is not None else _columns(rows)
    heads = [_cell(c) for c in cols]
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(heads)
        for row in rows:
            writer.writerow([_cell(row.get(c)) for c in cols])
        return buf.getvalue().rstrip("\n")
    if fmt == "md":
        lines = ["| " + " | ".join(heads) + " |", "|" + "---|" * len(cols)]
        for row in rows:
            cells = [_cell(row.get(c)).replace("|", "\\|").replace("\n", " ") for c in cols]
            lines.append("| " + " | ".join(cells) + " |")
        return "\n".join(lines)
    if fmt == "table":
        table = [[_cell(row.get(c)).replace("\n", " ") for c in cols] for row in rows]
        widths = [
            min(60, max([len(c)] + [len(r[i]) for r in table])) for i, c in enumerate(heads)
        ]

        def line(cells: Sequence[str]) -> str:
            return "  ".join(
                (cell if len(cell) <= w else cell[: w - 1] + "…").ljust(w)
                for cell, w in zip(cells, widths, strict=True)
            ).rstrip()

        out = [line(heads), line(["-" * w for w in widths])]
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

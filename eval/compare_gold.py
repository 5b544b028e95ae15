"""Cell accuracy of the comparison table against a gold file (``compare_gold.json``).

Gold format: ``{"topics": [{"topic": str, "aspects": [str] | null, "cells": [{"row": str,
"aspect": str | null, "label": str, "evidence": str | null}]}]}``. ``label`` "none" means
"no mention". A cell is correct when its label equals the gold label and, if the gold
names evidence, one of its evidence quotes contains it (whitespace-normalised; half
overlap also counts). A gold row names a table row or its start ("Lif" for
"Lif (national)"). With ``"aspect": null`` the gold applies to the whole row: correct
when some cell of the row has the label and evidence ("none": every cell of the row is empty).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from regionplans.errors import ConfigError
from regionplans.eval.dataset import matches
from regionplans.records import normalise_text

LABELS = ("commitment", "plan", "proposal", "status", "none")


def load_gold(path: Path) -> list[dict[str, Any]]:
    """Read and validate the gold file; errors name the file and the cell."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: gold file not found") from None
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{path}: not valid JSON (line {exc.lineno}: {exc.msg})") from None
    topics = data.get("topics") if isinstance(data, dict) else None
    if not isinstance(topics, list) or not topics:
        raise ConfigError(f'{path}: expected {{"topics": [...]}} with at least one topic')
    for t, topic in enumerate(topics, 1):
        if not isinstance(topic.get("topic"), str) or not isinstance(topic.get("cells"), list):
            raise ConfigError(f"{path}: topic {t} needs 'topic' (string) and 'cells' (list)")
        for c, cell in enumerate(topic["cells"], 1):
            if not isinstance(cell.get("row"), str) or cell.get("label") not in LABELS:
                raise ConfigError(
                    f"{path}: topic {topic['topic']!r} cell {c}: needs 'row' and 'label' in {LABELS}"
                )
    return topics


def _same(a: str, b: str) -> bool:
    return normalise_text(a).casefold() == normalise_text(b).casefold()


def _row_matches(cell_row: str, gold_row: str) -> bool:
    # Rows may carry a qualifier ("Lif (national)"): a gold row names the start of the row.
    row, gold = normalise_text(cell_row).casefold(), normalise_text(gold_row).casefold()
    return row == gold or row.startswith(gold + " ")


def cell_correct(gold: dict[str, Any], cell: Any) -> bool:
    """Whether one table cell agrees with one gold cell (label, and evidence when given)."""
    if gold["label"] == "none":
        return cell.label == "none" or not cell.evidence
    if cell.label != gold["label"]:
        return False
    evidence = gold.get("evidence")
    return not evidence or any(matches(evidence, e.quote) for e in cell.evidence)


def score_cells(gold_cells: Sequence[dict[str, Any]], cells: Iterable[Any]) -> list[dict[str, Any]]:
    """One verdict per gold cell against the table's cells (rows matched case-insensitively)."""
    cells = list(cells)
    verdicts = []
    for gold in gold_cells:
        row = [c for c in cells if _row_matches(c.row, gold["row"])]
        if gold.get("aspect"):
            row = [c for c in row if _same(c.column, gold["aspect"])]
        if gold["label"] == "none":
            ok = all(cell_correct(gold, c) for c in row)
        else:
            ok = any(cell_correct(gold, c) for c in row)
        got = sorted({c.label for c in row}) or ["(no row)"]
        verdicts.append({"row": gold["row"], "aspect": gold.get("aspect"), "expected": gold["label"],
                         "got": ",".join(got), "correct": ok})  # fmt: skip
    return verdicts


def score_gold(searcher: Any, gold_path: Path) -> dict[str, Any]:
    """Build each gold topic's table with ``searcher`` and return verdicts and cell accuracy."""
    from regionplans.compare.table import build_table

    verdicts = []
    for topic in load_gold(gold_path):
        table = build_table(searcher, topic["topic"], aspects=topic.get("aspects"))
        for v in score_cells(topic["cells"], table.cells):
            verdicts.append({"topic": topic["topic"]} | v)
    correct = sum(v["correct"] for v in verdicts)
    return {"cells": verdicts, "correct": correct, "total": len(verdicts),
            "accuracy": correct / len(verdicts) if verdicts else 0.0}  # fmt: skip

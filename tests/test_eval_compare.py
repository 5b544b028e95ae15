"""Cell accuracy of a comparison table against gold, on hand-built cells."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from regionplans.errors import ConfigError
from regionplans.eval.compare_gold import load_gold, score_cells

GOLD = Path(__file__).resolve().parent.parent / "eval" / "dev" / "compare_gold.json"


@dataclass(frozen=True)
class Ev:
    quote: str
    doc_name: str = "d"


@dataclass(frozen=True)
class Cell:
    row: str
    column: str
    label: str
    evidence: tuple[Ev, ...] = ()
    empty_reason: str | None = None


GOLD_CELLS = [
    {
        "row": "Region Örebro län",
        "aspect": None,
        "label": "status",
        "evidence": "Vi ingår i Genomic medicine Sweden",
    },
    {"row": "Lif", "aspect": None, "label": "proposal", "evidence": None},
    {"row": "Region Östergötland", "aspect": None, "label": "none", "evidence": None},
    {
        "row": "Region Stockholm",
        "aspect": "samverkan",
        "label": "commitment",
        "evidence": "delta i relevanta",
    },
]


def test_scores_label_evidence_and_no_mention() -> None:
    cells = [
        Cell(
            "Region Örebro län",
            "status",
            "status",
            (Ev("Inom regionen ... Vi ingår i Genomic medicine Sweden, GMS"),),
        ),
        Cell("Lif (national)", "förslag", "proposal", (Ev("GMS ges långsiktiga förutsättningar"),)),
        Cell("Region Östergötland", "status", "none", (), "nothing_relevant"),
        Cell(
            "Region Stockholm", "samverkan", "plan", (Ev("delta i relevanta nationella initiativ"),)
        ),
        Cell("Region Stockholm", "finansiering", "commitment", (Ev("delta i relevanta"),)),
    ]
    verdicts = score_cells(GOLD_CELLS, cells)
    # Stockholm's "samverkan" cell has the wrong label; the right label in another column does not count.
    assert [v["correct"] for v in verdicts] == [True, True, True, False]


def test_wrong_evidence_and_false_mention_are_errors() -> None:
    cells = [
        Cell("Region Örebro län", "status", "status", (Ev("Centrumet ska utgöra basen"),)),
        Cell("Region Östergötland", "status", "plan", (Ev("Ett kompetenscentrum"),)),
    ]
    verdicts = score_cells(GOLD_CELLS[:3], cells)
    assert [v["correct"] for v in verdicts] == [False, False, False]
    assert verdicts[1]["got"] == "(no row)"


def test_gold_file_is_valid_and_errors_name_the_file(tmp_path: Path) -> None:
    assert len(load_gold(GOLD)) >= 3
    bad = tmp_path / "gold.json"
    bad.write_text(
        json.dumps({"topics": [{"topic": "x", "cells": [{"row": "R", "label": "maybe"}]}]})
    )
    with pytest.raises(ConfigError, match=r"gold.json: topic 'x' cell 1"):
        load_gold(bad)

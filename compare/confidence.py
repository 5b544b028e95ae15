"""A cell's confidence: the probability that the cell is right, from its evidence.

Fitted on the development set's gold tables (``regionplans eval compare --fit``, see
:mod:`regionplans.eval.compare_gold`) as a logistic model of a few features of the cell;
the coefficients live in ``confidence.json`` beside this module. The evaluation reports
its calibration (reliability table and expected calibration error) on the development
and the held-out test set.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from typing import Any

FEATURES: tuple[str, ...] = (
    "bias", "own", "in_sentence", "dense_top3", "dense_candidate", "quotes", "labelled", "relevance",
)  # fmt: skip


def features(evidence: Sequence[Any]) -> list[float]:
    """The cell's features from its quotes (``compare.table.Evidence``), first quote first."""
    first = evidence[0]
    return [
        1.0,
        0.0 if first.secondary else 1.0,
        0.0 if first.in_heading else 1.0,
        1.0 if first.dense_rank is not None and first.dense_rank <= 3 else 0.0,
        1.0 if first.dense_rank is not None else 0.0,
        min(len(evidence), 3) / 3.0,
        1.0 if first.label != "none" else 0.0,
        first.relevance if first.relevance is not None else 0.5,
    ]


@lru_cache(maxsize=1)
def coefficients() -> tuple[float, ...]:
    """The fitted coefficients, one per feature (an unfitted model says 0.5)."""
    try:
        data = json.loads(resources.files(__package__).joinpath("confidence.json").read_text("utf-8"))
    except FileNotFoundError:
        return tuple(0.0 for _ in FEATURES)
    return tuple(float(data["coefficients"].get(name, 0.0)) for name in FEATURES)


def cell_confidence(evidence: Sequence[Any]) -> float:
    """P(the cell is right), rounded to two decimals."""
    z = sum(w * x for w, x in zip(coefficients(), features(evidence), strict=True))
    return round(1.0 / (1.0 + math.exp(-z)), 2)

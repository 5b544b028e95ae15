"""Whether a topic sentence is evidence for a row.

A sentence reaches a cell only when it names the topic (:mod:`compare.terms`) and
speaks for the row (:mod:`compare.attribution`). Many such sentences still are no
evidence: the topic named in passing ("... analyserna görs vid ett av landets GMC" in a
sentence about sequencing), a negation or a heading's help, another actor's matter.
:func:`probability` is the probability that a candidate sentence is evidence, from a
logistic model of its signals (:data:`FEATURES`):

- ``whole``: the topic's own phrase or acronym is named (not only its parts);
- ``early``: the topic is named in the first third of the sentence;
- ``passing``: every mention stands after a preposition ("vid", "inom ramen för",
  "genom", "through");
- ``in_heading``: part of the topic is named only in the section heading;
- ``names_row``: the sentence names the row or speaks in its voice ("regionen", "vi");
- ``secondary``, ``plain_fact``: another's text; a plain statement with no wording of
  position. A negation ("Regionen har ingen strategi") is evidence like any statement;
- ``generic``: every mention is of any one of its kind, not a named one ("vid ett av
  landets GMC", "med de övriga GMC", "sitt GMC", "handed over to the other centres").

The coefficients are fitted on the development set's gold evidence
(``regionplans eval tables --set eval/dev --fit``) and live in ``relevance.json``
beside this module with the threshold a sentence must reach. The multilingual model's
similarity of sentence and topic was measured as a further signal and left out: among
sentences that already name the topic it does not tell evidence from the rest (see
``eval/README.md``).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from typing import Any

FEATURES: tuple[str, ...] = (
    "bias", "whole", "early", "passing", "in_heading", "names_row", "secondary", "plain_fact", "generic",
)  # fmt: skip

# A topic named as any one of its kind: "ett av landets GMC", "de övriga GMC", "sitt GMC".
_GENERIC = re.compile(
    r"\b(?:ett\s+av(?:\s+landets)?|en\s+av(?:\s+landets)?|de\s+övriga|övriga|andra|sitt|sin|sina|varje|alla|"
    r"one\s+of\s+the|the\s+other|other|each|every|all\s+the)\s*$",
    re.IGNORECASE,
)
# A reflexive possessive is the subject's own: "varje region ska ha sitt GMC" is any
# region's, "Region Skåne ska revidera sin strategi" the row's.
_POSSESSIVE = re.compile(r"\b(?:sitt|sin|sina)\s*$", re.IGNORECASE)

# A topic named right after one of these is named in passing ("analyserna görs vid ett
# GMC", "inom ramen för Genomic Medicine Sweden", "funded through Vinnova").
_PASSING = re.compile(
    r"\b(?:vid|inom|genom|via|från|av|hos|med|till|mellan|within|through|at|by|from|with|of|between|to)"
    r"(?:\s+(?:ramen\s+för|stöd\s+från|hjälp\s+av|the|a|an|ett|en|de|det|landets|sitt|sin|sina|våra|vårt|vår|"
    r"övriga|andra|other|remaining))*\s*$",
    re.IGNORECASE,
)


def features(ev: Any, names_row: bool, wholes: Sequence[str]) -> list[float]:
    """A candidate's features (``ev`` a ``compare.table.Evidence``; ``wholes`` the
    topic's own phrase and acronym)."""
    low = ev.quote.casefold()
    spots = [i for w in ev.matched if (i := low.find(w.casefold())) >= 0]
    first = min(spots, default=-1)
    return [
        1.0,
        1.0 if any(w.casefold() == x.casefold() for w in ev.matched for x in wholes) else 0.0,
        1.0 if 0 <= first <= len(low) // 3 else 0.0,
        1.0 if spots and all(_PASSING.search(ev.quote[max(0, i - 40) : i]) for i in spots) else 0.0,
        1.0 if ev.in_heading else 0.0,
        1.0 if names_row else 0.0,
        1.0 if ev.secondary else 0.0,
        1.0 if ev.label == "status" and not ev.triggers else 0.0,
        1.0 if spots and all(_generic(ev.quote[max(0, i - 25) : i], names_row) for i in spots) else 0.0,
    ]


def _generic(before: str, names_row: bool) -> bool:
    """Whether the words before a mention of the topic make it any one of its kind."""
    return bool(_GENERIC.search(before)) and not (names_row and _POSSESSIVE.search(before))


@lru_cache(maxsize=1)
def model() -> tuple[tuple[float, ...], float, float]:
    """(coefficients, threshold, further): a cell's first quote must reach
    ``threshold``, each further quote ``further``; an unfitted model keeps every
    candidate."""
    try:
        data = json.loads(
            resources.files(__package__).joinpath("relevance.json").read_text("utf-8")
        )
    except FileNotFoundError:
        return tuple(0.0 for _ in FEATURES), 0.0, 0.0
    coefficients = tuple(float(data["coefficients"].get(name, 0.0)) for name in FEATURES)
    return coefficients, float(data["threshold"]), float(data["further"])


def probability(x: Sequence[float]) -> float:
    """P(the candidate is evidence) from its :func:`features`."""
    z = sum(w * v for w, v in zip(model()[0], x, strict=True))
    return 1.0 / (1.0 + math.exp(-z))

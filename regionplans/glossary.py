"""The field's glossary: terms that mean the same, in Swedish and English.

Shared by the comparison table (a topic's components and their terms, see
:mod:`regionplans.compare.terms`) and the lexical search (a question's terms in the
other language, see :mod:`regionplans.index.lexical`). The search also uses
:func:`translations`, the field's everyday words in both languages ("hjärtsvikt" ↔
"heart failure"), which are no topic components of the table.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any


@lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(resources.files(__package__).joinpath("glossary.json").read_text("utf-8"))
    return data


def groups() -> tuple[tuple[str, ...], ...]:
    """Every group of terms that mean the same."""
    return tuple(tuple(group) for group in _data()["groups"])


def generic_groups() -> frozenset[str]:
    """First terms of the groups no topic is about on their own ("strategi", "centrum")."""
    return frozenset(_data().get("generic", ()))


def other_words() -> tuple[str, ...]:
    """Words that start with a term but are other words ("strategisk", "medelvärde")."""
    return tuple(_data().get("other_words", ()))


def translations() -> tuple[tuple[str, ...], ...]:
    """Groups of words of the field that translate each other (Swedish ↔ English),
    for the search only: the comparison table's components are :func:`groups`."""
    return tuple(tuple(group) for group in _data().get("translations", ()))

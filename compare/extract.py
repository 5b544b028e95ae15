"""Deadlines, dates of past decisions and money amounts in Swedish and English text."""

from __future__ import annotations

import re

_NUMBER_WORDS = {
    "en": 1, "ett": 1, "två": 2, "tre": 3, "fyra": 4, "fem": 5, "sex": 6, "sju": 7, "åtta": 8,
    "nio": 9, "tio": 10, "elva": 11, "tolv": 12, "femton": 15, "tjugo": 20, "trettio": 30,
    "fyrtio": 40, "femtio": 50, "hundra": 100, "etthundra": 100, "tusen": 1000,
}  # fmt: skip
_NUM = (
    r"(?:\d{1,3}(?:[ \u00a0]\d{3})+|\d+(?:[,.]\d+)?|"
    + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True))
    + r")"
)
_SCALE = r"(?:miljoner|miljon|mnkr|mkr|miljarder|miljard|mdkr|tusen|tkr|msek|mdr)"
_AMOUNT = re.compile(
    rf"\b{_NUM}\s*(?:{_SCALE}\s*)?(?:kronor|kr|sek|mnkr|mkr|mdkr|tkr|msek)\b"
    r"(?:\s+(?:per|om|i)\s+(?:år|året|månad))?",
    re.IGNORECASE,
)
_YEAR = r"(?:19|20)\d{2}"
_DEADLINE = re.compile(
    rf"\b(?:(?:fram\s+)?till\s+(?:och\s+med\s+)?(?:år\s+)?{_YEAR}"
    rf"|(?:under|senast|före|inom|från|sedan|efter|år|i|by|until)\s+(?:år\s+)?{_YEAR}"
    rf"|{_YEAR}\s*[–—-]\s*{_YEAR})\b",
    re.IGNORECASE,
)


_PAST = re.compile(
    r"\b(?:beslutade|beslutades|antog|antogs|fastställde|fastställdes|startade|startades|inleddes|"
    r"etablerades|infördes|genomfördes|invigdes|öppnade|påbörjades|tog\s+fram|togs\s+fram|var|blev|"
    r"decided|adopted|approved|started|launched|established|opened|was|were)\b",
    re.IGNORECASE,
)
# A year that only dates an event ("Under 2018 beslutade ...", "in 2019 the region adopted").
_EVENT_YEAR = re.compile(rf"\b(?:under|i|år|in|sedan|since|hösten|våren|efter)\s+(?:år\s+)?({_YEAR})\b", re.IGNORECASE)
_TARGET = re.compile(r"^(?:(?:fram\s+)?till|senast|före|inom|by|until)\b|[–—-]", re.IGNORECASE)


def deadlines(text: str, *, written: int | None = None) -> tuple[str, ...]:
    """Future targets and plan periods as written ("till 2025", "senast 2026",
    "2021–2030", "under 2026"). A year that dates a past event ("Under 2018 beslutade
    regionfullmäktige ...", or any year before ``written``, the document's year, that
    is not a target) is no deadline: see :func:`decided_in`. A bare year is none."""
    past = bool(_PAST.search(text))
    out = []
    for m in _DEADLINE.finditer(text):
        phrase = " ".join(m.group(0).split())
        years = [int(y) for y in re.findall(_YEAR, phrase)]
        if not _TARGET.search(phrase) and (past or (written is not None and max(years) < written)):
            continue
        out.append(phrase)
    return tuple(dict.fromkeys(out))


def decided_in(text: str) -> tuple[str, ...]:
    """Years of past events in ``text`` ("Under 2018 beslutade ..." → ("2018",)): when
    something was decided or started, shown as such and never as a deadline."""
    if not _PAST.search(text):
        return ()
    return tuple(dict.fromkeys(m.group(1) for m in _EVENT_YEAR.finditer(text)))


def amounts(text: str) -> tuple[str, ...]:
    """Money amounts as written ("tio miljoner kronor per år", "50 mnkr")."""
    return tuple(dict.fromkeys(" ".join(m.group(0).split()) for m in _AMOUNT.finditer(text)))



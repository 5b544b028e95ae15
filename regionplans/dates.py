"""Dates, read and checked in one place.

Two kinds of date reach the tool:

- a *partial* date a person gives (a search filter, a manifest row): ``YYYY``,
  ``YYYY-MM`` or ``YYYY-MM-DD`` with a real month and day (:func:`parse_partial`,
  :func:`check_partial`);
- a *full* date found in a document: ISO (``2021-05-19``) or written out in Swedish
  or English (``14 mars 2023``, ``4 June 2021``), read by :func:`parse_date`.

>>> parse_partial("2021-05"), parse_partial("2021-13"), parse_date("14 mars 2023")
('2021-05', None, '2023-03-14')
"""

from __future__ import annotations

import datetime as dt
import re

from regionplans.errors import ConfigError

MONTHS = {
    "januari": 1, "februari": 2, "mars": 3, "april": 4, "maj": 5, "juni": 6, "juli": 7,
    "augusti": 8, "september": 9, "oktober": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "okt": 10, "nov": 11, "dec": 12,
    "january": 1, "february": 2, "march": 3, "may": 5, "june": 6, "july": 7, "august": 8,
    "october": 10,
}  # fmt: skip
# Month names, longest first, for use inside other patterns ("(?:{MONTH_PATTERN})").
MONTH_PATTERN = "|".join(sorted(MONTHS, key=len, reverse=True))
PARTIAL_FORMAT = "YYYY, YYYY-MM or YYYY-MM-DD"

_PARTIAL = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_WRITTEN = re.compile(rf"(\d{{1,2}})\s+({MONTH_PATTERN})\.?\s+(\d{{4}})")
_MONTH_FIRST = re.compile(rf"({MONTH_PATTERN})\.?\s+(\d{{1,2}}),?\s+(\d{{4}})")


def parse_partial(text: str) -> str | None:
    """``text`` (stripped) when it is ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` with a real
    month and day, else ``None``."""
    text = text.strip()
    match = _PARTIAL.fullmatch(text)
    if not match:
        return None
    try:
        dt.date(int(match[1]), int(match[2] or 1), int(match[3] or 1))
    except ValueError:
        return None
    return text


def check_partial(value: str, what: str) -> str:
    """``value`` as :func:`parse_partial` reads it, else a :class:`ConfigError` naming ``what``."""
    date = parse_partial(value)
    if date is None:
        raise ConfigError(f"{what} {value!r}: give a real date as {PARTIAL_FORMAT}")
    return date


def parse_date(text: str) -> str | None:
    """``"14 mars 2023"`` / ``"2021-05-19"`` / ``"4 June 2021"`` / ``"May 3, 2024"`` → ISO
    date, or ``None`` when ``text`` is not a real date."""
    text = " ".join(text.strip().lower().rstrip(".").split())
    try:
        if iso := _ISO.fullmatch(text):
            return dt.date(int(iso[1]), int(iso[2]), int(iso[3])).isoformat()
        if written := _WRITTEN.fullmatch(text):
            return dt.date(int(written[3]), MONTHS[written[2]], int(written[1])).isoformat()
        if english := _MONTH_FIRST.fullmatch(text):
            return dt.date(int(english[3]), MONTHS[english[1]], int(english[2])).isoformat()
    except ValueError:
        return None
    return None

"""Document metadata read from the text: dates, language and acronyms; and the manifest.

Every value here is *detected* from the text; the manifest (``corpus/manifest.csv``)
overrides what it states. Publisher, regions, title and type are settled in
:mod:`regionplans.ingest.describe`.

>>> document_date("Publicerad: 2021-05-19 20:08 ... Senast uppdaterad: den 4 juni 2021")
'2021-05-19'
>>> find_acronyms("Precisionsmedicin (PM) ställer krav. Vi arbetar med precisionsmedicin.")
(('PM', 'precisionsmedicin'),)
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from regionplans.dates import MONTH_PATTERN, MONTHS, parse_date

_MONTH_RE = MONTH_PATTERN
# "2024-03-12", "12 mars 2024", "3 May 2024", "May 3, 2024".
_DATE = (
    rf"(?:\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}\s+(?:{_MONTH_RE})\.?\s+\d{{4}}"
    rf"|(?:{_MONTH_RE})\.?\s+\d{{1,2}},?\s+\d{{4}})"
)
# Formatting around labels and dates in copied pages and Markdown ("**Datum:**").
_MARKUP = r"[*_\s]*"
_LINE_MARKUP = r"[*_ \t]*"  # the same within one line
_PUBLISHED = re.compile(
    rf"(?:publicerad|publicerat|publiceringsdatum|published|utkom\s+från\s+trycket|utgiven|"
    rf"beslutad|fastställd|antagen|adopted)"
    rf"(?:\s+(?:av|by|i|in)\s+[^\W\d_][\w\s.-]{{1,60}}?)?{_MARKUP}:?{_MARKUP}(?:den\s+|on\s+)?({_DATE})",
    re.IGNORECASE,
)
# A date under a label in a letterhead or minutes: "Datum 2024-03-12", "Sammanträdesdatum
# 2024-10-08", "**Datum:** 18 september 2025, kl. 13.00", "Date: 3 May 2024".
_LABELLED = re.compile(
    rf"(?<![^\W\d_])(?:sammanträdesdatum|mötesdatum|beslutsdatum|datum|date)"
    rf"{_MARKUP}:?{_MARKUP}(?:den\s+)?({_DATE})",
    re.IGNORECASE,
)
# A cover's or a foreword's month ("Oktober 2024", "Stockholm i september 2025"), also
# after a label or a report number ("Rapport 2024:7, juni 2024", "News, September 2021").
_MONTH_LINE = re.compile(
    rf"^{_LINE_MARKUP}(?:(?P<label>[^\n]{{0,60}}?)(?:,|·|\||–|—)[ \t]*)?(?:[A-ZÅÄÖ][a-zåäö]+[ \t]+i[ \t]+)?"
    rf"(?P<month>{_MONTH_RE})[ \t]+(?P<year>\d{{4}})(?:\.?{_LINE_MARKUP}$|\.\s)",
    re.IGNORECASE | re.MULTILINE,
)
# A cover's year line: an organisation's or a place's name and the year it was issued
# ("Norra sjukvårdsregionen 2024", "Samverkansnämnden för Sydöstra sjukvårdsregionen, 2024").
_COVER_YEAR = re.compile(
    r"^[^\W\d_][^\d\n:]{2,80}?,?\s+((?:19|20)\d{2})\s*$|^((?:19|20)\d{2})\s*$", re.MULTILINE
)
_NEWS_LABEL = re.compile(r"\b(?:nyhet|nyheter|news|pressmeddelande|press release)\b", re.IGNORECASE)
_UPDATED = re.compile(
    rf"(?:senast\s+uppdaterad|uppdaterad|uppdaterades|senast\s+ändrad|ändrad|reviderad|last\s+updated|updated)"
    rf"{_MARKUP}:?{_MARKUP}(?:den\s+|on\s+)?({_DATE})",
    re.IGNORECASE,
)
_DECIDED = re.compile(
    rf"(?:antog|antogs|beslutade|beslutades|fastställde|fastställdes|godkände|godkändes)\b[^.\n]{{0,40}}?({_DATE})",
    re.IGNORECASE,
)
# A date alone on a line, after a short label ("Nyhet · 5 mars 2024") or before a time.
_PLAIN_LINE = re.compile(
    rf"^{_LINE_MARKUP}(?:[^\W\d_]{{2,20}}(?:[ \t]+[^\W\d_]{{2,20}})?[ \t]*[·|•:–-]{_LINE_MARKUP})?(?:den[ \t]+)?({_DATE})"
    rf"(?:,?[ \t]*(?:kl\.?[ \t]*)?\d{{1,2}}[:.]\d{{2}})?{_LINE_MARKUP}$",
    re.IGNORECASE | re.MULTILINE,
)


@dataclass(frozen=True, slots=True)
class DateMention:
    kind: str  # "published" | "updated" | "decided" | "dateline" | "labelled" | "month" (YYYY-MM) | "year"
    date: str


def find_dates(text: str, *, cover: bool = False) -> list[DateMention]:
    """Every publication, update and decision date in ``text``, the date lines and labelled
    dates of its head, and the month a cover or foreword gives; with ``cover`` (a file
    with a first page) also the year a cover line states. In order of position."""
    found: list[tuple[int, DateMention]] = []
    pages, text = text, text.replace("\f", "\n")  # a page's last line ends at the page break
    for kind, pattern in (("published", _PUBLISHED), ("updated", _UPDATED), ("decided", _DECIDED)):
        for match in pattern.finditer(text):
            date = parse_date(match.group(1))
            if date:
                found.append((match.start(), DateMention(kind, date)))
    head = "\n".join(text.splitlines()[:25])
    for kind, pattern in (("dateline", _PLAIN_LINE), ("labelled", _LABELLED)):
        for match in pattern.finditer(head):
            date = parse_date(match.group(1))
            if date and not _UPDATED.search(match.group(0)):  # "Sidan uppdaterades: ..." is an update
                # "Datum: 2024-02-07" on a line of its own is a letterhead's date, not a dateline.
                labelled = kind == "labelled" or _LABELLED.match(match.group(0).strip(" *_")) is not None
                found.append((match.start(), DateMention("labelled" if labelled else kind, date)))
    for match in _MONTH_LINE.finditer(text[:6000]):
        month = f"{match['year']}-{MONTHS[match['month'].lower()]:02d}"
        # "News, September 2021", "Pressmeddelande · mars 2024": a news item's date line.
        news = bool(match["label"]) and _NEWS_LABEL.search(match["label"]) is not None
        found.append((match.start(), DateMention("dateline" if news else "month", month)))
    if cover:
        first = [line for line in pages.split("\f")[0].splitlines() if line.strip()][:10]
        for match in _COVER_YEAR.finditer("\n".join(first)):
            year = match.group(1) or match.group(2)
            if not _target_year(year):
                found.append((match.start(), DateMention("year", year)))
    found.sort(key=lambda pair: pair[0])
    return [mention for _, mention in found]


_PRIORITY = ("published", "dateline", "labelled", "decided", "month", "year", "updated")


def document_date(text: str, *, cover: bool = False) -> str | None:
    """The date a document is known by: published (or adopted, or issued in print), else
    a date line or labelled date ("Datum 2024-03-12") near the top, else the date of a
    decision ("antog planen den 12 mars 2024"), else the month a cover or foreword gives
    ("Oktober 2024" → "2024-10"), else (``cover``) the year of a cover line ("Norra
    sjukvårdsregionen 2024"), else last updated."""
    mentions = find_dates(text, cover=cover)
    for kind in _PRIORITY:
        for mention in mentions:
            if mention.kind == kind:
                return mention.date
    return None


def file_year(file_date: str | None) -> str | None:
    """The year of a file's own creation date (a PDF's or Word file's metadata): the last
    resort, and only its year, since it is often a template's or an export's date."""
    match = re.match(r"(?:19|20)\d{2}", file_date or "")
    return match.group(0) if match else None


def detect_language(text: str) -> str:
    """ISO 639-1 code of the text's language (langdetect, seeded so runs agree); "und" if unknown."""
    from langdetect import DetectorFactory, LangDetectException, detect

    DetectorFactory.seed = 0
    sample = " ".join(text.split())[:4000]
    if len(re.findall(r"[^\W\d_]+", sample)) < 3:
        return "und"
    try:
        return str(detect(sample))
    except LangDetectException:
        return "und"


_SHORT = r"[A-ZÅÄÖ][A-Za-zÅÄÖåäö0-9&\-]{1,9}"
_PAREN_DEF = re.compile(rf"\(\s*({_SHORT})\s*\)")
_COMMA_DEF = re.compile(rf",\s*({_SHORT})\s*,")


def _long_form(short: str, before: str) -> str | None:
    """Schwartz & Hearst: the shortest phrase ending ``before`` whose letters spell ``short``."""
    words = before.split()
    words = words[-min(len(short) + 5, 2 * len(short)) :]
    candidate = " ".join(words).strip(" \"'”“‘’–-:")
    s, l_ = len(short) - 1, len(candidate) - 1
    while s >= 0:
        c = short[s].lower()
        if not c.isalnum():
            s -= 1
            continue
        while l_ >= 0 and (
            candidate[l_].lower() != c or (s == 0 and l_ > 0 and candidate[l_ - 1].isalnum())
        ):
            l_ -= 1
        if l_ < 0:
            return None
        l_ -= 1
        s -= 1
    start = candidate.rfind(" ", 0, l_ + 1) + 1
    long = candidate[start:].strip(" \"'”“‘’–-")
    if len(long) <= len(short) or long.casefold() == short.casefold():
        return None
    if long[0].lower() != short[0].lower():
        return None
    return long


def find_acronyms(text: str) -> tuple[tuple[str, str], ...]:
    """Acronyms the text defines, as ``(short, long)`` in order of first definition.

    "precisionsmedicin (PM)" and "Genomic Medicine Sweden, GMS, ..." both count; a
    long form capitalised only because it opens a sentence is lower-cased when the
    text also uses it in lower case.
    """
    found: dict[str, str] = {}
    for pattern in (_PAREN_DEF, _COMMA_DEF):
        for match in pattern.finditer(text):
            short = match.group(1)
            if sum(ch.isupper() for ch in short) < 2 or short in found:
                continue
            before = text[: match.start()]
            # Only the clause the acronym closes: after the last sentence end or bracket.
            cut = max(before.rfind(ch) for ch in ".!?\n(;:")
            long = _long_form(short, before[cut + 1 :])
            if long is None:
                continue
            first, _, rest = long.partition(" ")
            lowered = first[0].lower() + first[1:]
            if first[0].isupper() and (not rest or rest == rest.lower()) and re.search(
                rf"(?<!\w){re.escape(lowered + (' ' + rest if rest else ''))}(?!\w)", text
            ):
                long = lowered + (" " + rest if rest else "")
            found[short] = " ".join(long.split())
    return tuple(found.items())


def publication_dated(text: str) -> bool:
    """Whether the text shows when it was published (not only when it was updated):
    what makes a dated page a news item rather than an information page."""
    return any(m.kind in ("published", "dateline") for m in find_dates(text))


def title_year(title: str) -> str | None:
    """The one year a title names ("Kliniska studier i norr 2024"), not a period nor a goal."""
    if re.search(r"(?:19|20)\d{2}\s*[–—-]\s*(?:19|20)?\d{2}", title):
        return None
    years = re.findall(r"(?<!\d)((?:19|20)\d{2})(?!\d)", title)
    return years[0] if len(years) == 1 and not _target_year(years[0]) else None


def _target_year(year: str) -> bool:
    """A year still to come is a goal ("Life science-strategi 2030"), never a date."""
    return int(year) > dt.date.today().year

"""Document metadata: dates, language, acronyms, type, title, regions and publisher.

Every value here is *detected* from the text; the manifest (``corpus/manifest.csv``)
overrides what it states. Regions and publishers come from the gazetteer in
:mod:`regionplans.ingest.regions`.

>>> document_date("Publicerad: 2021-05-19 20:08 ... Senast uppdaterad: den 4 juni 2021")
'2021-05-19'
>>> find_acronyms("Precisionsmedicin (PM) ställer krav. Vi arbetar med precisionsmedicin.")
(('PM', 'precisionsmedicin'),)
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from regionplans.records import DOC_TYPES

MONTHS = {
    "januari": 1, "februari": 2, "mars": 3, "april": 4, "maj": 5, "juni": 6, "juli": 7,
    "augusti": 8, "september": 9, "oktober": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "okt": 10, "nov": 11, "dec": 12,
    "january": 1, "february": 2, "march": 3, "may": 5, "june": 6, "july": 7, "august": 8,
    "october": 10,
}  # fmt: skip
_MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))
_DATE = rf"(?:\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}\s+(?:{_MONTH_RE})\.?\s+\d{{4}})"
_PUBLISHED = re.compile(
    rf"(?:publicerad|publicerat|publiceringsdatum|published|beslutad|fastställd|antagen)\s*:?\s*(?:den\s+)?({_DATE})",
    re.IGNORECASE,
)
_UPDATED = re.compile(
    rf"(?:senast\s+uppdaterad|uppdaterad|senast\s+ändrad|ändrad|reviderad|updated)\s*:?\s*(?:den\s+)?({_DATE})",
    re.IGNORECASE,
)
_DECIDED = re.compile(
    rf"(?:antog|antogs|beslutade|beslutades|fastställde|fastställdes|godkände|godkändes)\b[^.\n]{{0,40}}?({_DATE})",
    re.IGNORECASE,
)
_PLAIN_LINE = re.compile(rf"^\s*(?:den\s+)?({_DATE})\s*$", re.IGNORECASE | re.MULTILINE)


def parse_date(text: str) -> str | None:
    """ "14 mars 2023" / "2021-05-19" / "4 juni 2021" → ISO date, or ``None`` if not a real date."""
    text = text.strip().lower().rstrip(".")
    iso = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text)
    try:
        if iso:
            return dt.date(int(iso[1]), int(iso[2]), int(iso[3])).isoformat()
        match = re.fullmatch(rf"(\d{{1,2}})\s+({_MONTH_RE})\.?\s+(\d{{4}})", text)
        if match:
            return dt.date(int(match[3]), MONTHS[match[2]], int(match[1])).isoformat()
    except ValueError:
        return None
    return None


@dataclass(frozen=True, slots=True)
class DateMention:
    kind: str  # "published" | "updated" | "decided" | "dateline"
    date: str


def find_dates(text: str) -> list[DateMention]:
    """Every publication, update and stand-alone date line in ``text``, in order of kind."""
    found: list[tuple[int, DateMention]] = []
    for kind, pattern in (("published", _PUBLISHED), ("updated", _UPDATED), ("decided", _DECIDED)):
        for match in pattern.finditer(text):
            date = parse_date(match.group(1))
            if date:
                found.append((match.start(), DateMention(kind, date)))
    head = "\n".join(text.splitlines()[:25])
    for match in _PLAIN_LINE.finditer(head):
        date = parse_date(match.group(1))
        if date:
            found.append((match.start(), DateMention("dateline", date)))
    found.sort(key=lambda pair: pair[0])
    return [mention for _, mention in found]


def document_date(text: str) -> str | None:
    """The date a document is known by: published, else a dateline near the top, else the
    date of a decision ("antog planen den 12 mars 2024"), else last updated."""
    mentions = find_dates(text)
    for kind in ("published", "dateline", "decided", "updated"):
        for mention in mentions:
            if mention.kind == kind:
                return mention.date
    return None


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


_TYPE_WORDS = (
    ("action plan", ("handlingsplan", "åtgärdsplan", "action plan", "handlingsprogram")),
    ("strategy", ("strategi", "strategy", "färdplan", "roadmap", "vision")),
    ("report", ("rapport", "report", "utvärdering", "kartläggning", "förstudie", "utredning", "analys")),
    ("position", ("prioriteringar", "ståndpunkt", "positionspapper", "remissvar", "yttrande")),
)


def guess_doc_type(title: str, text: str, kind: str) -> str:
    """Document type from the title's words, else from its form (a dated page is news)."""
    lowered = title.casefold()
    for doc_type, words in _TYPE_WORDS:
        if any(word in lowered for word in words):
            return doc_type if doc_type in DOC_TYPES else "report"
    dates = find_dates(text)
    if any(d.kind in ("published", "dateline") for d in dates):
        return "news"
    if kind in ("pdf", "docx"):
        return "report"
    return "web page"


_GENERIC_HEADINGS = frozenset(
    {"inledning", "sammanfattning", "innehåll", "innehållsförteckning", "förord", "bakgrund",
     "introduktion", "faktaruta", "summary", "contents", "introduction"}
)  # fmt: skip
_TITLE_WORDS = ("handlingsplan", "strategi", "rapport", "plan ", "program", "färdplan", "policy")


def guess_title(headings: Sequence[str], first_lines: Sequence[str], path: Path) -> str:
    """A title: a heading naming the kind of document, else the first specific heading,
    else the first line, else the file name."""
    for heading in headings:
        if any(word in (heading.casefold() + " ") for word in _TITLE_WORDS):
            return heading
    for heading in headings:
        if heading.casefold() not in _GENERIC_HEADINGS:
            return heading
    for line in first_lines:
        line = line.strip()
        if 3 <= len(line) <= 150:
            return line
    return path.stem.replace("_", " ").replace("-", " ")


def about_regions(text: str, title: str = "") -> tuple[str, ...]:
    """The regions a document is about: named in its title, or named by their full
    name in the text (when many regions are named in passing, only those named twice)."""
    from regionplans.ingest.regions import find_regions, region_mentions

    in_title = list(find_regions(title)) if title else []
    counts: Counter[str] = Counter()
    order: list[str] = []
    for mention in region_mentions(text):
        if mention.weak:
            continue
        counts[mention.name] += 1
        if mention.name not in order:
            order.append(mention.name)
    if len(order) > 3:
        order = [name for name in order if counts[name] >= 2]
    return tuple(dict.fromkeys(in_title + order))


def detect_publisher(raw_text: str) -> str | None:
    """Who published a text: the region or actor its site chrome or opening names."""
    from regionplans.ingest.regions import find_publisher

    return find_publisher(raw_text)

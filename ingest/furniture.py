"""Document furniture: what a page carries besides its text, found and taken out.

- running headers and footers (lines at the top or bottom of most pages) and page
  counters ("Sida 3 av 14", "20 (59)", "– 3 –");
- tables of contents: lines with dot leaders, or runs of lines ending in page numbers,
  with their "Innehåll" heading;
- a cover page (page 1 of a longer PDF: a few short lines and no sentence), kept as
  title material only;
- photo credits closing a caption ("... i länet. Foto: Anna Berg");
- footnote markers glued to words ("sårbarhetsanalys2" → "sårbarhetsanalys",
  "vården.3" → "vården.", "analys²" → "analys");
- a site's own chrome: lines that open or close at least two of one site's documents
  (a line of prose, at least three); a contact/address footer at the end of a page.

Each finder works on normalised lines (:func:`~regionplans.ingest.lines.normalise_line`)
and says what it found, so the ingest report can tell ("table of contents dropped:
pages 2-3").
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from regionplans.ingest.lines import normalise_line

# A page counter alone on a line: "3", "Sida 3", "Sida 3 av 14", "3/14", "Page 3 of 14",
# "20 (59)", "Sida 3 (14)", "– 3 –", "s. 3".
PAGE_COUNTER = re.compile(
    r"^(?:[-–—]\s*)?(?:(?:sida|sid|page|s\.)\s*)?\d{1,4}"
    r"(?:\s*(?:(?:av|/|of)\s*\d{1,4}|\(\d{1,4}\)))?(?:\s*[-–—])?$",
    re.IGNORECASE,
)
# A counter no body line is mistaken for, wherever it stands on the page.
_NAMED_COUNTER = re.compile(r"^(?:sida|page)\s*\d{1,4}\s*(?:av|of|/|\()\s*\d{1,4}\)?$", re.IGNORECASE)

_TOC_HEADING = re.compile(
    r"^(?:innehåll(?:sförteckning)?|innehåll och läsanvisning|contents|table of contents|"
    r"disposition)\s*:?$",
    re.IGNORECASE,
)
# "Inledning ........ 3", "2.1 Syfte . . . . . 4", "Bilagor ____ 12", "Förord ..... iv".
_TOC_LEADER = re.compile(r"^(?:.*?\S)?\s*(?:[.…·•_‥]\s?){4,}\s*(?:\d{1,3}|[ivxlc]{1,6})$", re.IGNORECASE)
# "Inledning 3", "2.1 Syfte och avgränsning 4": an entry without leaders.
_TOC_NUMBERED = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2})*\.?\s+)?[A-ZÅÄÖ0-9][^.!?]{1,90}?\s(\d{1,3})$")

# A footnote number glued to a word of four or more lower-case letters, or to the
# sentence's end: "sårbarhetsanalys2", "sjukvården.3". Superscript digits after a word.
_FOOTNOTE_WORD = re.compile(r"(?<=[a-zåäöéü]{4})\d{1,2}(?=[\s,;:)]|[.](?:\s|$)|$)")
_FOOTNOTE_STOP = re.compile(r"(?<=[a-zåäöéü]{3}[.,;:])\d{1,2}(?=\s+[A-ZÅÄÖ]|$)")
_ANY_DIGIT = re.compile(r"[\d¹²³⁴⁵⁶⁷⁸⁹⁰]")
_SUPERSCRIPT = re.compile(r"(?<=[^\W\d_]{3})[¹²³⁴⁵⁶⁷⁸⁹⁰]+")
# Words that carry a number as part of their name.
_NUMBERED_WORDS = frozenset({"covid", "sars", "mers", "agenda", "vision", "horizon", "interreg", "omikron"})


@dataclass(frozen=True, slots=True)
class Line:
    """A normalised line of text on one page (1-based)."""

    text: str
    page: int


def fold_digits(line: str) -> str:
    return re.sub(r"\d+", "#", line.casefold())


def repeated_page_lines(pages: Sequence[Sequence[str]]) -> frozenset[str]:
    """Running headers and footers: lines at the top or bottom of most pages.

    Digits are folded (``#``) so "Sida 3" and "Sida 4" count as one line. Odd and even
    pages are also counted apart, for headers that alternate (title left, chapter right).
    """
    if len(pages) < 2:
        return frozenset()
    counts: Counter[str] = Counter()
    by_parity: tuple[Counter[str], Counter[str]] = (Counter(), Counter())
    for number, lines in enumerate(pages):
        body = [line for line in lines if line]
        edge = {fold_digits(line) for line in body[:2] + body[-2:]}
        counts.update(edge)
        by_parity[number % 2].update(edge)
    need = max(2, math.ceil(0.5 * len(pages)))
    found = {key for key, count in counts.items() if count >= need}
    if len(pages) >= 6:
        for parity, counter in enumerate(by_parity):
            pages_of_parity = (len(pages) + 1 - parity) // 2
            found |= {k for k, n in counter.items() if n >= max(3, math.ceil(0.6 * pages_of_parity))}
    return frozenset(found)


def is_page_counter(line: str, *, at_edge: bool) -> bool:
    """Whether ``line`` is a page counter; bare numbers only count at a page's edge."""
    if _NAMED_COUNTER.match(line):
        return True
    return at_edge and bool(PAGE_COUNTER.match(line))


def site_boilerplate(texts: Sequence[str], *, edge: int = 12) -> frozenset[str]:
    """The chrome of one site: lines that open or close several of its documents.

    ``texts`` are the documents of ONE site (one publisher, see
    :func:`~regionplans.ingest.corpus.site_of`): chrome repeats across the pages of a
    site, while a press release, an agency text or a joint statement republished by
    another site is content there, so documents of other sites are never compared.

    A menu item, a share or cookie line, an address counts when it opens or closes two
    of the site's documents; a line of prose (:func:`is_prose`: a sentence of eight
    words or more) only when it opens or closes three. Prose chrome (an "about us"
    paragraph, a cookie notice) stands on every page of a site, while the same news
    told on two of its pages (or on two sites taken for one) shares its prose with
    no third. Only the first and last ``edge`` non-blank lines of each document are
    compared, so a heading shared by two long articles in their body is never removed.
    """
    if len(texts) < 2:
        return frozenset()
    seen: Counter[str] = Counter()
    counted: list[set[str]] = []
    for text in texts:
        lines = [normalise_line(line) for line in text.splitlines()]
        lines = [line for line in lines if line]
        # The same page saved twice shares its prose too; that is a duplicate, not chrome.
        prose = {line.casefold() for line in lines if len(line) >= 40} or {line.casefold() for line in lines}
        if any(len(prose & other) > 0.5 * min(len(prose), len(other)) for other in counted):
            continue
        counted.append(prose)
        seen.update({line.casefold() for line in lines[:edge] + lines[-edge:] if len(line) <= 300})
    return frozenset(line for line, count in seen.items() if count >= (PROSE_REPEATS if is_prose(line) else 2))


# How many of a site's documents a line of prose must open or close to be its chrome.
PROSE_REPEATS = 3
_SENTENCE_END = re.compile(r"[.!?][\"”»’)]*$")


def is_prose(line: str) -> bool:
    """Whether ``line`` is a sentence of running text: eight words or more, ending in a
    full stop, question or exclamation mark (not a menu, a heading or an address line)."""
    return len(line.split()) >= 8 and bool(_SENTENCE_END.search(line))


def toc_lines(lines: Sequence[str], page_count: int = 0) -> set[int]:
    """Indexes of the table-of-contents lines of one page (its "Innehåll" heading too).

    A table of contents is three or more entries: lines with dot leaders, or lines
    ending in a page number whose numbers never go down. The second kind is only looked
    for in documents of several pages (``page_count``), and its numbers must be pages of
    the document (a table of figures sorted by size is no table of contents). Short lines
    between entries (an entry's title wrapped over two lines) go with them.
    """
    nonblank = [i for i, line in enumerate(lines) if line]
    leader = [i for i in nonblank if len(lines[i]) <= 200 and _TOC_LEADER.match(lines[i])]
    entries = set(leader)
    if len(leader) < 3:
        entries = set(_numbered_run(lines, nonblank, page_count)) if page_count > 1 else set()
        if len(entries) < 3:
            return set()
    first, last = min(entries), max(entries)
    inside = [i for i in nonblank if first < i < last and i not in entries]
    if len(inside) > len(entries) or any(len(lines[i]) > 120 for i in inside):
        return set()
    found = entries | set(inside)
    # The heading just above ("Innehåll"), if there is one.
    above = [i for i in nonblank if i < first][-2:]
    found |= {i for i in above if _TOC_HEADING.match(lines[i])}
    return found


def _numbered_run(lines: Sequence[str], nonblank: Sequence[int], page_count: int) -> list[int]:
    """The longest run of consecutive lines ending in non-decreasing page numbers."""
    best: list[int] = []
    run: list[int] = []
    last_page = -1
    for i in nonblank:
        match = _TOC_NUMBERED.match(lines[i]) if len(lines[i]) <= 120 else None
        page = int(match.group(1)) if match else -1
        if page > page_count + 4:  # front matter may be numbered apart
            match, page = None, -1
        if match and page >= last_page and page > 0:
            run.append(i)
            last_page = page
            continue
        if len(run) > len(best):
            best = run
        run, last_page = ([i], page) if match and page > 0 else ([], -1)
    if len(run) > len(best):
        best = run
    # Without leaders, only a page that is mostly entries is a table of contents.
    return best if len(best) >= 4 and len(best) >= 0.6 * len(nonblank) else []


def is_cover(lines: Sequence[str], page_count: int) -> bool:
    """Whether page 1 (its normalised lines) is a cover: a title, maybe a subtitle, a
    year, a publisher, a photo credit; no sentence and no more than 60 words."""
    body = [line for line in lines if line]
    if page_count < 3 or not body or len(body) > 12:
        return False
    if sum(len(line.split()) for line in body) > 60:
        return False
    return not any(len(line.split()) >= 15 or (len(line.split()) >= 6 and line.endswith(".")) for line in body)


def strip_footnote_marks(line: str) -> str:
    """A line without footnote markers glued to its words."""
    if not _ANY_DIGIT.search(line):
        return line
    line = _FOOTNOTE_WORD.sub(_keep_named, line)
    line = _FOOTNOTE_STOP.sub("", line)
    return _SUPERSCRIPT.sub("", line)


def _keep_named(match: re.Match[str]) -> str:
    start = match.start()
    word = re.search(r"[^\W\d_]+$", match.string[max(0, start - 40) : start])
    if word and word.group(0).casefold() in _NUMBERED_WORDS:
        return match.group(0)
    return ""


_CREDIT_TAIL = re.compile(
    r"(?<=[.!?”])\s+(?:foto|bild|fotograf|photo|illustration)\s*[:©]\s*[^.!?:\n]{2,60}$", re.IGNORECASE
)


def strip_photo_credit(text: str) -> str:
    """A paragraph without the photo credit a caption ends in ("... i länet. Foto: Anna Berg")."""
    if "oto" not in text and "ild" not in text and "llustration" not in text:
        return text
    return _CREDIT_TAIL.sub("", text)


def page_ranges(pages: Sequence[int]) -> str:
    """[2, 3, 5] → "2-3, 5"."""
    ranges: list[str] = []
    ordered = sorted(set(pages))
    start = prev = ordered[0] if ordered else 0
    for page in [*ordered[1:], None]:
        if page is not None and page == prev + 1:
            prev = page
            continue
        ranges.append(str(start) if start == prev else f"{start}-{prev}")
        if page is not None:
            start = prev = page
    return ", ".join(ranges)

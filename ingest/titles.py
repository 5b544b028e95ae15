"""A document's title as a reader sees it, and titles that are no title.

A page's ``og:title`` or ``<h1>`` without the site name; a PDF's or Word file's
cover title or metadata title unless that is a producer's leftover ("Microsoft Word -
PROPGR~1.DOC", "NFS 2007-10k2.indd.indd", "Kopia av ..."); else the first heading or
line that names the kind of document.

>>> useless_title("Microsoft Word - PROPGR~1.DOC")
True
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from regionplans.ingest.readers import Signals
from regionplans.ingest.regions import organisation_mentions

# "Page – Section – Site", "Page | Site".
SUFFIX_SPLIT = re.compile(r"\s+[|–—-]\s+|\s*\|\s*")

_USELESS_TITLE = re.compile(
    r"^(?:microsoft (?:word|powerpoint|excel)\s*-.*|.*\.(?:docx?|pptx?|xlsx?|indd|pdf|odt|rtf|tmp|txt|qxp|ai|eps|html?)"
    r"|kopia av .*|(?:nytt )?dokument\s*\d*|presentation\s*\d*|document\s*\d*|untitled.*|namnlös.*"
    r"|powerpoint-presentation|mall.*|template.*|föreskriftens namn|rubrik|titel|title|upprättad.*|\W*|[\d\s.\-:/]+"
    r"|\w+(?:[_.~]\w+)+|\w*\d+\w*"
    # A form's name alone is no title: the subject line below it is.
    r"|tjänsteskrivelse|protokollsutdrag|protokoll|minnesanteckningar|promemoria|remissvar|yttrande)$",
    re.IGNORECASE,
)


def useless_title(title: str | None, path: Path | None = None) -> bool:
    """Whether a metadata title says nothing a reader would call the title: a file
    name (``path``'s own among them), a template's placeholder, "Microsoft Word - ...",
    a date, one shouted word."""
    if not title or not title.strip():
        return True
    value = " ".join(title.split())
    if _USELESS_TITLE.fullmatch(value) or not any(c.isalpha() for c in value):
        return True
    if path is not None and value.casefold() in (path.stem.casefold(), path.name.casefold()):
        return True
    words = value.split()
    return len(words) == 1 and (value.isupper() or len(value) < 4)


def useful_title(title: str | None, path: Path | None = None) -> str | None:
    """A metadata title with its spaces normalised, or None when it is :func:`useless_title`."""
    return None if useless_title(title, path) else " ".join((title or "").split())


def _clean_title(value: str) -> str:
    return " ".join(value.split()).strip(" -–—|:")


def choose_title(kind: str, extracted_title: str | None, signals: Signals, headings: Sequence[str],
                 first_lines: Sequence[str], path: Path, raw_lines: Sequence[str] = ()) -> str:  # fmt: skip
    """The title a reader sees: a page's ``og:title`` or ``<h1>`` without the site
    name; a PDF's metadata title unless it is useless, else its first heading or first
    substantial line; a text file's first line when it reads as a title."""
    if kind == "html":
        for value in (signals.og_title, extracted_title, SUFFIX_SPLIT.split(signals.page_title)[0]):
            if value and not useless_title(value):
                return _clean_title(value)
    if kind in ("pdf", "docx") and len(signals.cover_title.split()) >= 2 and not useless_title(signals.cover_title):
        return _clean_title(signals.cover_title)
    meta = signals.meta_title or (extracted_title if kind in ("pdf", "docx") else "")
    if kind in ("pdf", "docx") and meta and not useless_title(meta):
        return _clean_title(meta)
    if kind == "text" and raw_lines:
        found = _text_title(raw_lines)
        if found:
            return found
    lines = [_strip_kicker(_clean_title(line)) for line in first_lines if not _chrome_line(line)]
    heads = [_clean_title(h) for h in headings if not _chrome_line(h)]
    # A line or heading naming the kind of document ("Handlingsplan för ...") is its title.
    for value in lines + heads[:8]:
        if 8 <= len(value) <= 160 and any(w in value.casefold() + " " for w in _TITLE_WORDS):
            return value
    if kind == "text" and raw_lines:
        found = _first_title_like(raw_lines)
        if found:
            return found
    for value in lines:
        if 8 <= len(value) <= 160 and not value.endswith(".") and not _only_names(value) and \
                value.casefold() not in _GENERIC_HEADINGS and not useless_title(value) and \
                not _LETTERHEAD.search(value):  # fmt: skip
            return value
    for value in heads:
        if not useless_title(value) and not _only_names(value) and value.casefold() not in _GENERIC_HEADINGS:
            return value
    return path.stem.replace("_", " ").replace("-", " ")


# A letterhead's lines: the date and file number, the addressee ("Till regionstyrelsen").
_LETTERHEAD = re.compile(r"\b(?:datum|diarienummer|dnr|sammanträdesdatum)\b|^till\s+\S+(?:\s+\S+)?$", re.IGNORECASE)
_GENERIC_HEADINGS = frozenset(
    {"inledning", "sammanfattning", "innehåll", "innehållsförteckning", "förord", "bakgrund",
     "introduktion", "faktaruta", "summary", "contents", "introduction", "syfte", "nyheter", "news"}
)  # fmt: skip
_TITLE_WORDS = ("handlingsplan", "strategi", "strategy", "rapport", "report", "plan ", "program",
                "färdplan", "policy", "remissvar", "yttrande", "föreskrift", "utredning")  # fmt: skip


_CHROME_LINE = re.compile(
    r"^(?:(?:gå |hoppa )?till (?:huvud)?innehåll(?:et)?(?: på sidan)?|lyssna|skriv ut|meny|sök|dela|"
    r"startsida|in english|logga in|kontakta oss|kontakt|nyheter|prenumerera|annons|skip to content|"
    r"menu|search|print|share|home|cookies?.*|vi använder kakor.*|.*webbläsare.*)$",
    re.IGNORECASE,
)


def _chrome_line(line: str) -> bool:
    """A line of site chrome ("Till innehållet", "Lyssna"), a table of contents line
    (dot leaders), a bullet or a table header: never a title."""
    value = " ".join(line.split())
    return bool(
        _CHROME_LINE.match(value) or re.search(r"\.{4,}|…{2,}", value) or value.startswith(("•", "-", "–", "*"))
    )


_DATE_LINE = re.compile(r"^(?:publicerad|publicerat|uppdaterad|published|datum)\b|^\d{1,2}\s+\w+\s+\d{4}|^\d{4}-\d{2}-\d{2}", re.IGNORECASE)


def _title_like(line: str) -> bool:
    words = line.split()
    if not 4 <= len(words) <= 25 or len(line) > 180 or line.endswith((".", ":", ",")):
        return False
    if _chrome_line(line) or _only_names(line):
        return False
    capitalised = sum(w[0].isupper() for w in words)
    return capitalised <= max(2, len(words) // 2)  # a menu capitalises every item


def _blocks(raw_lines: Sequence[str]) -> list[str]:
    """Paragraphs of raw lines (a title broken over two lines is one), menus and
    breadcrumbs (items set apart by wide gaps, bars or arrows) left out."""
    blocks: list[str] = []
    current: list[str] = []
    for raw in [*raw_lines, ""]:
        if not raw.strip():
            if current:
                blocks.append(" ".join(current))
            current = []
            continue
        if re.search(r"\S {3,}\S|(?:\|.*){2}|(?:\s[>»/›·]\s.*){2}|^du är här", raw, re.IGNORECASE):
            if current:
                blocks.append(" ".join(current))
            current = []
            continue
        current.append(" ".join(raw.split()))
    return blocks


_KICKER = re.compile(r"^(?:pressmeddelande|nyhet|news|press release|debatt|krönika|reportage)\b", re.IGNORECASE)


def _text_title(raw_lines: Sequence[str]) -> str | None:
    """A text file's title: its first line when that names the document, else the
    paragraph just before a "Publicerad ..." line (a copied news page), unless that is
    a kicker ("Pressmeddelande från ...")."""
    lines = [" ".join(x.split()) for x in raw_lines if x.strip()]
    if lines and any(w in lines[0].casefold() + " " for w in _TITLE_WORDS) and len(lines[0]) <= 180:
        return _clean_title(lines[0])
    blocks = _blocks(raw_lines)
    for i, block in enumerate(blocks[1:], 1):
        if _DATE_LINE.match(block):
            before = _strip_kicker(blocks[i - 1])
            if _title_like(before) and not _KICKER.match(before):
                return _clean_title(before)
    return None


def _first_title_like(raw_lines: Sequence[str]) -> str | None:
    for block in _blocks(raw_lines)[:30]:
        block = _strip_kicker(block)
        if _title_like(block) and not _KICKER.match(block):
            return _clean_title(block)
    return None


def _strip_kicker(line: str) -> str:
    """"LIFE SCIENCE Stockholms strategi ..." → "Stockholms strategi ...": a section
    label in capitals before a title."""
    m = re.match(r"^((?:[A-ZÅÄÖ]{2,}[\s&-]+){1,3})(?=[A-ZÅÄÖ][a-zåäö])", line)
    if not m or (len(m.group(1).split()) == 1 and len(m.group(1).strip()) < 5) or len(line[m.end():].split()) < 3:
        return line
    return line[m.end() :]


def _only_names(line: str) -> bool:
    """A line that is nothing but an organisation's name or a date (a cover's logo text)."""
    rest = line
    for m in reversed(organisation_mentions(line)):
        rest = rest[: m.start] + rest[m.end :]
    rest = re.sub(r"[\d\s.\-–:/,|]+", " ", rest)
    return len(rest.split()) == 0

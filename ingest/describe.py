"""What a document is, by its own signals: publisher, regions it is about, title, type.

Signals are read in order of trust. Who published a file is told by the file itself —
a page's site name (``og:site_name``), its ``<title>`` suffix, its canonical address,
a footer with an organisation number, a byline, a PDF's author or cover — before
any organisation merely mentioned in the text. Which regions it is about is a matter
of salience: the title, the publisher's own region, the lead, and names repeated in the
body; a national text that lists the regions in passing stays national.

>>> publisher_from_signals(Signals(site_name="Sahlgrenska Universitetssjukhuset"), "")
'Sahlgrenska Universitetssjukhuset'
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from regionplans.ingest.regions import OrgMention, organisation, organisation_mentions

MAX_SIGNAL_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Signals:
    """What a file says about itself, apart from its text."""

    site_name: str = ""  # og:site_name / application-name
    page_title: str = ""  # <title>
    og_title: str = ""
    url: str = ""  # og:url / canonical / a source URL
    author: str = ""  # meta author / PDF author
    footer: str = ""  # the page's footer text
    meta_title: str = ""  # a PDF's or Word file's metadata title
    cover_title: str = ""  # the largest text of a PDF's first page; a Word file's Title paragraph


def file_signals(path: Path, kind: str) -> Signals:
    """Read the signals of an HTML page (head and footer) or a PDF/Word file (metadata).

    Never raises: a file that cannot be read gives empty signals (its text was read
    by its reader already, which reports real problems)."""
    try:
        if kind == "html":
            return _html_signals(path)
        if kind == "pdf":
            return _pdf_signals(path)
        if kind == "docx":
            return _docx_signals(path)
    except Exception:  # noqa: BLE001 - signals are a bonus; the reader reports damage
        return Signals()
    return Signals()


def _html_signals(path: Path) -> Signals:
    from selectolax.lexbor import LexborHTMLParser

    with path.open("rb") as handle:
        raw = handle.read(MAX_SIGNAL_BYTES).decode("utf-8", errors="replace")
    tree = LexborHTMLParser(raw)

    def meta(*selectors: str) -> str:
        for selector in selectors:
            node = tree.css_first(selector)
            if node is not None:
                value = node.attributes.get("content") or node.attributes.get("href") or ""
                if value.strip():
                    return " ".join(value.split())
        return ""

    title = tree.css_first("title")
    footer_nodes = tree.css("footer, [role=contentinfo], #footer, .footer, [class*=footer]")
    footer = " ".join(" ".join(n.text(separator=" ").split()) for n in footer_nodes[:3])
    return Signals(
        site_name=meta('meta[property="og:site_name"]', 'meta[name="application-name"]'),
        page_title=" ".join(title.text().split()) if title else "",
        og_title=meta('meta[property="og:title"]'),
        url=meta('meta[property="og:url"]', 'link[rel="canonical"]'),
        author=meta('meta[name="author"]', 'meta[name="DC.publisher"]', 'meta[name="dcterms.publisher"]'),
        footer=footer[:3000],
    )


def _pdf_signals(path: Path) -> Signals:
    import pypdf

    reader = pypdf.PdfReader(str(path), strict=False)
    meta: Any = reader.metadata or {}
    cover = _largest_text(reader.pages[0]) if len(reader.pages) else ""
    return Signals(author=str(meta.get("/Author") or ""), meta_title=str(meta.get("/Title") or ""),
                   cover_title=cover)  # fmt: skip


def _largest_text(page: object) -> str:
    """The text set in the largest type on a page (a cover's title), in reading order."""
    runs: list[tuple[float, str]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        scale = abs(tm[3] * cm[3]) if tm and cm else 1.0
        if text.strip():
            runs.append((round(float(size) * (scale or 1.0), 1), text))

    page.extract_text(visitor_text=visit)  # type: ignore[attr-defined]
    sized = [(size, text) for size, text in runs if re.search(r"[^\W\d_]{2}", text)]
    if not sized:
        return ""
    top = max(size for size, _ in sized)
    by_chars = sorted((size, len(text)) for size, text in sized)
    half, seen, body = sum(n for _, n in by_chars) / 2, 0, by_chars[0][0]
    for size, n in by_chars:  # the size of the median character: the body text's
        seen += n
        if seen >= half:
            body = size
            break
    if top < body * 1.3:  # no text stands out: no cover title
        return ""
    return " ".join(" ".join(text for size, text in sized if size >= top - 0.5).split())[:200]


def _docx_signals(path: Path) -> Signals:
    import docx

    document = docx.Document(str(path))
    props = document.core_properties
    cover = ""
    for paragraph in document.paragraphs[:40]:
        style = (paragraph.style.name if paragraph.style is not None else "") or ""
        if paragraph.text.strip() and (style == "Title" or (not cover and style == "Heading 1")):
            cover = paragraph.text.strip()
            if style == "Title":
                break
    return Signals(author=props.author or "", meta_title=props.title or "", cover_title=cover)


# -- publisher ------------------------------------------------------------------------

_SUFFIX_SPLIT = re.compile(r"\s+[|–—-]\s+|\s*\|\s*")
_ORG_NUMBER = re.compile(r"(?:org(?:anisations)?\.?\s*nr|organisationsnummer)", re.IGNORECASE)
_BYLINE = re.compile(
    r"(?:publicerad av|utgiven av|utgivare|ansvarig utgivare|©|copyright|text:|källa:|published by)"
    r"\s*:?\s*(?:\d{4}\s+)?([^\n|]{3,80})",
    re.IGNORECASE,
)
# Who cannot be a publisher by being named in running text: places and regions' towns.
_PUBLISHING_KINDS = frozenset(
    {"region", "hospital", "university", "municipality", "healthcare region", "rcc", "agency",
     "authority", "network", "association", "industry", "government", "infrastructure", "press",
     "other"}
)  # fmt: skip


def _named(text: str) -> str | None:
    org = organisation(text) if text and len(text) < 200 else None
    if org is not None:
        return org.name
    mentions = [m for m in organisation_mentions(text, with_places=False) if m.kind in _PUBLISHING_KINDS]
    return mentions[0].name if mentions else None


def publisher_from_signals(signals: Signals, raw_text: str) -> str | None:
    """The publisher by the file's own signals, strongest first; None when it has none.

    Order: the site name, the ``<title>`` suffix, the address, the author field, a footer
    naming an organisation (by its organisation number or copyright line), a byline or
    copyright line in the text, and last the organisations named in the opening and
    closing lines (site chrome and a report's cover and back page).
    """
    candidates = [signals.site_name]
    if signals.page_title:
        parts = _SUFFIX_SPLIT.split(signals.page_title)
        candidates.extend(reversed(parts[1:]))  # "Page – Section – Site": the site is last
    candidates.extend([signals.url, signals.author])
    for candidate in candidates:
        found = _named(candidate) if candidate else None
        if found:
            return found
    for text in (signals.footer, raw_text[-1500:]):
        for match in _ORG_NUMBER.finditer(text):
            before = text[max(0, match.start() - 300) : match.start()]
            mentions = [m for m in organisation_mentions(before, with_places=False) if m.kind in _PUBLISHING_KINDS]
            if mentions:
                return mentions[-1].name
    for match in _BYLINE.finditer(signals.footer + "\n" + raw_text[:1500] + "\n" + raw_text[-1500:]):
        found = _named(match.group(1))
        if found:
            return found
    head = raw_text[:400]
    tail = raw_text[-400:]
    for part in (head, signals.footer, tail):
        mentions = [m for m in organisation_mentions(part, with_places=False) if m.kind in _PUBLISHING_KINDS]
        if mentions:
            return Counter(m.name for m in mentions).most_common(1)[0][0]
    return None


# -- regions the document is about ------------------------------------------------------

# Weights of a region's mention by where it is and what names it.
_KIND_WEIGHT = {"region": 1.0, "hospital": 1.0, "municipality": 0.8, "healthcare region": 0.6,
                "rcc": 0.6, "university": 0.5, "place": 0.4}  # fmt: skip


def about_regions(text: str, title: str, publisher: str | None) -> tuple[str, ...]:
    """The regions a document is about, by salience.

    A region scores for its publisher's own region (a hospital's page is about its
    region), for being named in the title, in the lead (the first 600 characters)
    and for each further mention, weighted by how it is named (the region itself or
    its hospital over its university or a town). Regions scoring at least 40 % of the
    best are kept; a text naming five regions or more, none in its title and none its
    publisher's, is a national text and about none.
    """
    scores: dict[str, float] = defaultdict(float)
    owner: tuple[str, ...] = ()
    org = organisation(publisher) if publisher else None
    if org is not None and org.kind in ("region", "hospital", "municipality", "healthcare region", "rcc"):
        owner = org.regions
    elif org is not None and org.kind == "university":
        owner = ()  # a university writes about many regions' care; its own counts as a mention
    for region in owner:
        scores[region] += 4.0
    for m in _region_mentions(title):
        for region in m.regions:
            scores[region] += 5.0 * _KIND_WEIGHT.get(m.kind, 0.5) / len(m.regions)
    lead_end = min(len(text), 600)
    body_counts: Counter[str] = Counter()
    for m in _region_mentions(text):
        weight = _KIND_WEIGHT.get(m.kind, 0.5) / len(m.regions)
        for region in m.regions:
            scores[region] += weight * (2.0 if m.start < lead_end else 1.0)
            body_counts[region] += 1
    if not scores:
        return ()
    in_title = {r for m in _region_mentions(title) for r in m.regions}
    if len(body_counts) >= 5 and not in_title and not owner:
        return ()
    best = max(scores.values())
    if best < 2.0:
        return ()
    # Beyond the publisher's own region, a region is a subject only when it is named as
    # a region or through its hospital, not only through a town ("GMC Uppsala").
    strong = {r for m in _region_mentions(title + " " + text) if m.kind in _STRONG_KINDS for r in m.regions}
    ranked = sorted(scores.items(), key=lambda item: -item[1])
    keep = [r for r, s in ranked if s >= 0.4 * best and (r in owner or r in strong or not owner)]
    return tuple(sorted(keep, key=lambda r: -scores[r]))


_STRONG_KINDS = frozenset({"region", "hospital", "healthcare region", "rcc", "municipality"})


def _region_mentions(text: str) -> list[OrgMention]:
    return [m for m in organisation_mentions(text) if m.regions and m.kind in _KIND_WEIGHT]


# -- title ---------------------------------------------------------------------------

_USELESS_TITLE = re.compile(
    r"^(?:microsoft (?:word|powerpoint|excel) - .*|.*\.(?:docx?|pptx?|xlsx?|indd|pdf|odt|rtf|tmp)"
    r"|kopia av .*|dokument\s*\d*|presentation\s*\d*|document\s*\d*|untitled.*|namnlös.*"
    r"|mall.*|template.*|föreskriftens namn|rubrik|title|upprättad.*|\W*|[\d\s.\-:/]+"
    r"|\w+(?:[_.~]\w+)+|\w*\d+\w*)$",
    re.IGNORECASE,
)


def useless_title(title: str | None) -> bool:
    """Whether a metadata title says nothing a reader would call the title: a file
    name, a template's placeholder, "Microsoft Word - ...", a date, one shouted word."""
    if not title or not title.strip():
        return True
    value = " ".join(title.split())
    if _USELESS_TITLE.fullmatch(value):
        return True
    words = value.split()
    return len(words) == 1 and (value.isupper() or len(value) < 4)


def _clean_title(value: str) -> str:
    return " ".join(value.split()).strip(" -–—|:")


def choose_title(kind: str, extracted_title: str | None, signals: Signals, headings: Sequence[str],
                 first_lines: Sequence[str], path: Path, raw_lines: Sequence[str] = ()) -> str:  # fmt: skip
    """The title a reader sees: a page's ``og:title`` or ``<h1>`` without the site
    name; a PDF's metadata title unless it is useless, else its first heading or first
    substantial line; a text file's first line when it reads as a title."""
    if kind == "html":
        for value in (signals.og_title, extracted_title, _SUFFIX_SPLIT.split(signals.page_title)[0]):
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
                value.casefold() not in _GENERIC_HEADINGS:  # fmt: skip
            return value
    for value in heads:
        if not useless_title(value) and not _only_names(value) and value.casefold() not in _GENERIC_HEADINGS:
            return value
    return path.stem.replace("_", " ").replace("-", " ")


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
        if re.search(r"\S {3,}\S|(?:\|.*){2}|(?:\s[>»/›]\s.*){2}|^du är här", raw, re.IGNORECASE):
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


# -- type ----------------------------------------------------------------------------

_TYPE_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("regulation", ("föreskrift", "föreskrifter", "författningssamling", "förordning", "lag om",
                    "allmänna råd", "regulation", "hslf-fs", "sosfs", "lvfs")),
    ("position", ("remissvar", "yttrande", "positionspapper", "ståndpunkt", "prioriteringar",
                  "debattartikel", "debatt:", "position paper", "consultation response")),
    ("decision", ("protokoll", "sammanträdesprotokoll", "tjänsteskrivelse", "beslut om",
                  "beslutsunderlag", "minutes")),
    ("action plan", ("handlingsplan", "åtgärdsplan", "genomförandeplan", "handlingsprogram",
                     "action plan", "implementation plan")),
    # A report on a strategy ("... – lägesrapport 2024") is a report.
    ("report", ("lägesrapport", "uppföljning", "utvärdering", "kartläggning", "årsredovisning",
                "rapport ", "rapport:", "report")),
    ("strategy", ("strategi", "strategy", "färdplan", "roadmap", "vision", "policy", "agenda")),
    ("report", ("rapport", "report", "utredning", "utvärdering", "kartläggning", "förstudie",
                "analys", "årsredovisning", "sou ", "sårbarhetsanalys", "uppföljning", "review")),
)  # fmt: skip
_NEWS_MARKERS = re.compile(
    r"\b(?:nyhet(?:er)?|pressmeddelande|press release|news|nyhetsarkiv|artikel|publicerad|"
    r"published|debatt)\b",
    re.IGNORECASE,
)


def choose_type(kind: str, title: str, raw_text: str, signals: Signals, dated: bool) -> str:
    """The document type: a dated page in a news layout is news, whatever its title
    says ("Ny life science-strategi antagen" is a news item); else the title's words;
    else a file with pages is a report and a page an information page."""
    low_title = title.casefold() + " "
    if kind in ("html", "text") and dated:
        chrome = " ".join((signals.url, signals.page_title, raw_text[:600]))
        if _NEWS_MARKERS.search(chrome) or kind == "html":
            for doc_type in ("regulation", "position", "decision"):
                words = dict(_TYPE_WORDS)[doc_type]
                if any(w in low_title for w in words):
                    return doc_type
            return "news"
    for doc_type, words in _TYPE_WORDS:
        # A web page about a strategy is a page; its title must open with the type.
        if kind == "html" and doc_type in ("strategy", "report"):
            if any(low_title.startswith(w) for w in words):
                return doc_type
        elif any(w in low_title for w in words):
            return doc_type
    head = raw_text[:300].casefold()
    for doc_type, words in _TYPE_WORDS:
        if doc_type != "decision" and any(w in head for w in words) and kind in ("pdf", "docx"):
            return doc_type
    if kind in ("pdf", "docx"):
        return "report"
    return "news" if dated else "web page"

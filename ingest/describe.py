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

from regionplans.ingest.readers import Signals
from regionplans.ingest.regions import OrgMention, organisation, organisation_mentions
from regionplans.ingest.titles import SUFFIX_SPLIT, choose_title, useless_title

__all__ = ["Signals", "about_regions", "choose_title", "choose_type", "publisher_from_signals", "useless_title"]

# -- publisher ------------------------------------------------------------------------

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
        parts = SUFFIX_SPLIT.split(signals.page_title)
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
    found = _masthead(raw_text) or _postal_address(signals.footer + "\n" + raw_text[-800:]) or _region_paper(raw_text)
    if found:
        return found
    head = raw_text[:400]
    tail = raw_text[-400:]
    for part in (head, signals.footer, tail):
        mentions = _publishing(part)
        if len({m.name for m in mentions if m.kind == "region"}) >= 3:  # a list of regions names no publisher
            mentions = [m for m in mentions if m.kind != "region"]
        if mentions:
            return Counter(m.name for m in mentions).most_common(1)[0][0]
    return None


def _publishing(text: str) -> list[OrgMention]:
    return [m for m in organisation_mentions(text, with_places=False) if m.kind in _PUBLISHING_KINDS]


_CRUMB = re.compile(r"\s+[·›>|»]\s+")


def _masthead(raw_text: str) -> str | None:
    """An organisation standing alone on one of the first lines (a page's logo above its
    menu, a cover's publisher line), or opening a breadcrumb or running header whose
    other items are no organisations ("Region Skåne · Forskning · Genomisk medicin")."""
    for line in [x for x in raw_text.splitlines() if x.strip()][:15]:
        value = " ".join(line.strip(" *_#").split())
        items = _CRUMB.split(value)
        if len(items) > 1 and any(_publishing(item) for item in items[1:]):
            continue
        mentions = _publishing(items[0])
        if len(mentions) == 1 and mentions[0].start == 0 and mentions[0].end >= len(items[0].rstrip(" .:")):
            return mentions[0].name
    return None


_POSTCODE = re.compile(r"(?<!\d)\d{3}\s?\d{2}\s+[A-ZÅÄÖ][a-zåäö]+")


def _postal_address(text: str) -> str | None:
    """The organisation whose postal address closes a page or a report ("Region
    Västernorrland, 871 85 Härnösand"; "Forum Norr, c/o Region Västerbotten, 901 89 Umeå")."""
    matches = list(_POSTCODE.finditer(text))
    if not matches:
        return None
    end = matches[-1].start()
    line_start = text.rfind("\n", 0, end)
    start = text.rfind("\n", 0, max(0, line_start))  # the address's line and the one before it
    mentions = _publishing(text[start + 1 : end])
    return mentions[0].name if mentions else None


# A paper put to a region's board or assembly: its addressee, or the proposal it makes.
_REGION_BODY = re.compile(
    r"^\W*till\s+(?:regionstyrelsen|regionfullmäktige|[\w\s-]{0,40}nämnden)\s*$"
    r"|\b(?:regionstyrelsen|regionfullmäktige)\s+(?:föreslås\s+besluta|beslutar)\b",
    re.IGNORECASE | re.MULTILINE,
)


def _region_paper(raw_text: str) -> str | None:
    """A paper put to a region's board or assembly ("Till regionstyrelsen") is the
    region's own: the region it names most."""
    if not _REGION_BODY.search(raw_text[:600]):
        return None
    named = Counter(m.name for m in organisation_mentions(raw_text, with_places=False) if m.kind == "region")
    return named.most_common(1)[0][0] if named else None


# -- regions the document is about ------------------------------------------------------

# Weights of a region's mention by where it is and what names it.
_KIND_WEIGHT = {"region": 1.0, "hospital": 1.0, "municipality": 0.8, "healthcare region": 0.6,
                "rcc": 0.6, "university": 0.5, "place": 0.4}  # fmt: skip


def about_regions(text: str, title: str, publisher: str | None, doc_type: str = "") -> tuple[str, ...]:
    """The regions a document is about, by salience.

    - A region's decision (a minute, an official's paper) is about that region alone.
    - A title that names regions (as regions, through a hospital or a town, or a
      healthcare region for all its members) names the subject: those regions, and the
      publisher's own.
    - A region's (or its hospital's) own document is about that region, and about
      other regions only when its lead names them as regions.
    - A national organisation's text that names no region in its title is national,
      whatever regions it lists as examples or partners.
    - Otherwise each region scores for the publisher's own region, the lead (the first
      600 characters) and each further mention, weighted by how it is named (the
      region itself or its hospital over its university or a town); regions scoring at
      least 40 % of the best are kept, and a text naming five regions or more, none
      its publisher's, is a national text and about none.
    """
    org = organisation(publisher) if publisher else None
    owner: tuple[str, ...] = ()
    if org is not None and org.kind in ("region", "hospital", "municipality", "healthcare region", "rcc"):
        owner = org.regions
    if doc_type == "decision" and len(owner) == 1:
        return owner
    in_title = tuple(dict.fromkeys(r for m in _region_mentions(title) for r in m.regions))
    if in_title:
        return tuple(dict.fromkeys((*owner, *in_title)))
    lead_end = min(len(text), 600)
    mentions = _region_mentions(text)
    if org is not None and not org.regions and org.kind != "press":
        return ()
    scores: dict[str, float] = defaultdict(float)
    for region in owner:
        scores[region] += 4.0
    body_counts: Counter[str] = Counter()
    for m in mentions:
        weight = _KIND_WEIGHT.get(m.kind, 0.5) / len(m.regions)
        for region in m.regions:
            scores[region] += weight * (2.0 if m.start < lead_end else 1.0)
            body_counts[region] += 1
    if not scores:
        return ()
    best = max(scores.values())
    if len(owner) == 1 and org is not None and org.kind in ("region", "hospital", "municipality"):
        named_lead = {r for m in mentions if m.start < lead_end and m.kind == "region" for r in m.regions}
        return tuple(dict.fromkeys((*owner, *(r for r in named_lead if scores[r] >= 0.4 * best))))
    if len(body_counts) >= 5 and not owner:
        return ()
    if best < 2.0:
        return ()
    # Beyond the publisher's own regions, a region is a subject only when it is named as
    # a region or through its hospital, not only through a town ("GMC Uppsala").
    strong = {r for m in mentions if m.kind in _STRONG_KINDS for r in m.regions}
    ranked = sorted(scores.items(), key=lambda item: -item[1])
    return tuple(r for r, s in ranked if s >= 0.4 * best and (r in owner or r in strong or not owner))


_STRONG_KINDS = frozenset({"region", "hospital", "healthcare region", "rcc", "municipality"})


def _region_mentions(text: str) -> list[OrgMention]:
    return [m for m in organisation_mentions(text) if m.regions and m.kind in _KIND_WEIGHT]


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
    ("report", ("lägesrapport", "minnesanteckningar", "uppföljning", "utvärdering", "kartläggning", "årsredovisning",
                "rapport ", "rapport:", "report")),
    ("strategy", ("strategi", "strategy", "färdplan", "roadmap", "vision", "policy", "agenda")),
    ("report", ("rapport", "report", "utredning", "utvärdering", "kartläggning", "förstudie",
                "analys", "årsredovisning", "sou ", "sårbarhetsanalys", "uppföljning", "review")),
)  # fmt: skip
_DECISION_FORM = re.compile(
    r"^\W*(?:protokollsutdrag|(?:sammanträdes)?protokoll|tjänsteskrivelse|beslutsunderlag|delegationsbeslut)\b"
    r"|^\W*sammanträdesdatum\b",
    re.IGNORECASE | re.MULTILINE,
)
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
    # Minutes and officials' reports state their form above the subject ("PROTOKOLLSUTDRAG",
    # "Tjänsteskrivelse"): a decision on a strategy is a decision.
    if kind in ("pdf", "docx", "text") and _DECISION_FORM.search(raw_text[:300]):
        return "decision"
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

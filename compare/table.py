"""The region × aspect comparison table: one cell per row and aspect, each with quotes.

Rows are the 21 regions and the national actors. For every row the topic (and each
aspect) is searched only in that row's documents, all rows in one batched call. A
passage counts as evidence when its sentence names the topic lexically (the phrase,
its acronym or expansion, or all its content words by stem) and, for an aspect, the
passage also names one of the aspect's words; the search ranking (dense + BM25)
decides the order. Quotes are sentences cut from the chunk text, so each is an exact
passage of the document's cleaned text.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal, Protocol

from regionplans.compare import extract, labels
from regionplans.errors import ConfigError
from regionplans.records import Document, Hit, SearchFilters, SearchResult, normalise_text

EmptyReason = Literal["no_documents", "nothing_relevant"]


class SearcherLike(Protocol):
    """What the table needs from a searcher (``regionplans.index.search.Searcher``)."""

    def search_batch(
        self, requests: Sequence[tuple[str, SearchFilters]], *, mode: str = ..., limit: int = ...,
        per_doc: int | None = ...,
    ) -> list[SearchResult]: ...  # fmt: skip

    def documents(self) -> list[Document]: ...

    def index_info(self) -> dict[str, Any]: ...


def _one_generation(searcher: SearcherLike) -> contextlib.AbstractContextManager[SearcherLike]:
    """The searcher held on one index generation for the whole table, where it can be
    (``Searcher.pinned``): the document list and every search then read the same index,
    even while a build switches to the next one."""
    pinned = getattr(searcher, "pinned", None)
    return pinned() if callable(pinned) else contextlib.nullcontext(searcher)


@dataclass(frozen=True, slots=True)
class Evidence:
    """One quoted passage and where it is written."""

    quote: str
    doc_id: str
    doc_name: str
    title: str
    heading_path: tuple[str, ...]
    page_number: int
    date: str | None
    source_url: str | None
    file_path: str
    secondary: bool
    score: float
    publisher: str = ""
    label: str = "none"
    triggers: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Cell:
    """What one row says about one column, how binding, by when, and where."""

    row: str
    group: str  # "region" | "national"
    column: str
    label: str
    triggers: tuple[str, ...]
    evidence: tuple[Evidence, ...]
    deadlines: tuple[str, ...]
    amounts: tuple[str, ...]
    confidence: float
    empty_reason: EmptyReason | None
    searched_documents: int
    closest_miss: Evidence | None = None


@dataclass(frozen=True, slots=True)
class ComparisonTable:
    """The whole table plus how it was made (``provenance``) so it can be made again."""

    topic: str
    aspects: tuple[str, ...]
    rows: tuple[tuple[str, str], ...]  # (row name, group)
    cells: tuple[Cell, ...]
    provenance: dict[str, Any] = field(default_factory=dict)

    @property
    def columns(self) -> tuple[str, ...]:
        return self.aspects or (self.topic,)

    def cell(self, row: str, column: str | None = None) -> Cell:
        """The cell of ``row`` (and ``column``; the only column when omitted)."""
        col = column or self.columns[0]
        for c in self.cells:
            if c.row == row and c.column == col:
                return c
        raise KeyError(f"no cell for row {row!r}, column {col!r}")


# -- topic terms ---------------------------------------------------------------------

_WORD = re.compile(r"[\wåäöÅÄÖéÉ]+")
_STOP = {
    "och", "i", "på", "för", "med", "av", "till", "om", "en", "ett", "det", "den", "att", "som",
    "the", "of", "and", "in", "for", "to", "a", "an", "on", "inom", "kring", "samt",
}  # fmt: skip
# Aspect words that ask for dates ("deadlines", "tidsplan", "årtal").
DEADLINE_WORDS = ("deadline", "tidsplan", "tidpunkt", "årtal", "timeline", "datum")
STEM_LEN = 5  # Swedish inflection changes the ending; a 5-letter prefix keeps the stem.


@dataclass(frozen=True, slots=True)
class Terms:
    """How to recognise a topic or aspect in a sentence."""

    phrases: tuple[str, ...]  # case-folded phrases (the name and its expansions)
    acronyms: tuple[str, ...]  # case-sensitive whole words
    stems: tuple[str, ...]  # content-word prefixes; all must occur when no phrase does
    dated: bool = False  # an aspect about deadlines: its evidence must carry a date

    def coverage(self, sentence: str, *, any_stem: bool = False) -> float:
        """1.0 for a phrase or acronym, else the share of stems present (0 unless all
        are present, or any when ``any_stem``)."""
        low = normalise_text(sentence).casefold()
        if any(p in low for p in self.phrases):
            return 1.0
        if any(re.search(rf"(?<![\w]){re.escape(a)}(?![\w])", sentence) for a in self.acronyms):
            return 1.0
        if not self.stems:
            return 0.0
        words = {w.casefold() for w in _WORD.findall(sentence)}
        hit = sum(any(w.startswith(s) for w in words) for s in self.stems)
        if any_stem:
            return 1.0 if hit else 0.0
        return 1.0 if hit == len(self.stems) else 0.0


def topic_terms(topic: str, documents: Sequence[Document] = ()) -> Terms:
    """Phrases, acronyms and stems for ``topic``, expanded with known acronyms."""
    from regionplans.ingest.regions import NATIONAL_ACTORS

    name = normalise_text(topic)
    phrases = {name.casefold()}
    acronyms: set[str] = set()
    pairs: list[tuple[str, str]] = []
    for actor in NATIONAL_ACTORS:
        for short in actor.acronyms:
            for long in (actor.name, *actor.variants):
                pairs.append((short, long))
    for doc in documents:
        pairs.extend(doc.acronyms)
    for short, long in pairs:
        if long.casefold() == name.casefold() or short == name:
            phrases.add(long.casefold())
            acronyms.add(short)
    if name.isupper() and len(name) <= 6:
        acronyms.add(name)
        phrases.discard(name.casefold())
    stems = tuple(
        dict.fromkeys(
            w.casefold()[:STEM_LEN]
            for w in _WORD.findall(name)
            if w.casefold() not in _STOP and len(w) > 2
        )
    )
    return Terms(tuple(sorted(phrases)), tuple(sorted(acronyms)), stems)


# -- rows ----------------------------------------------------------------------------


def _actor_of(publisher: str) -> str | None:
    from regionplans.ingest.regions import resolve_actor

    try:
        return resolve_actor(publisher)
    except Exception:  # noqa: BLE001 - a publisher that is no national actor
        return None


def _region_of(publisher: str) -> str | None:
    from regionplans.ingest.regions import resolve_region

    try:
        return resolve_region(publisher)
    except Exception:  # noqa: BLE001 - a publisher that is no region
        return None


def row_documents(documents: Sequence[Document]) -> dict[str, list[tuple[Document, bool]]]:
    """Row name → (document, secondary) pairs: a region's documents are those about it
    (secondary when someone else published them); a national actor's are those it
    published with no region, or national documents whose title names it."""
    from regionplans.ingest.regions import NATIONAL_ACTORS, REGIONS, find_actors

    rows: dict[str, list[tuple[Document, bool]]] = {r.name: [] for r in REGIONS}
    rows.update({a.name: [] for a in NATIONAL_ACTORS})
    for doc in documents:
        for region in doc.regions:
            if region in rows:
                rows[region].append((doc, _region_of(doc.publisher) != region))
        if not doc.regions:
            actor = _actor_of(doc.publisher)
            if actor in rows:
                rows[actor].append((doc, False))
            for named in find_actors(doc.title):
                if named in rows and named != actor:
                    rows[named].append((doc, True))
    for pairs in rows.values():
        pairs.sort(key=lambda p: p[1])  # own documents first
    return rows


# -- cells ---------------------------------------------------------------------------


def _evidence_from_hit(
    hit: Hit, terms: Terms, aspect: Terms | None, secondary: bool
) -> list[tuple[Evidence, float]]:
    """Topic-carrying sentences of a hit's chunk as evidence, with lexical coverage."""
    text = hit.chunk.text
    spans = labels.sentence_spans(text)
    out: list[tuple[Evidence, float]] = []
    # An aspect column quotes sentences about the aspect from chunks about the topic;
    # a deadline aspect quotes only sentences that carry a date.
    topic_in_chunk = terms.coverage(text) > 0 or any(
        terms.coverage(text[s:e]) > 0 for s, e in spans
    )
    lead: str | None = None
    prev_end = 0
    for s, e in spans:
        sentence = text[s:e]
        bullet = "•" in text[prev_end:s]
        if not bullet:
            lead = None
        if aspect is None:
            cov = terms.coverage(sentence)
        elif aspect.dated:
            cov = 1.0 if topic_in_chunk and extract.deadlines(sentence) else 0.0
        else:
            cov = aspect.coverage(sentence, any_stem=True) if topic_in_chunk else 0.0
        if cov > 0:
            # A list item takes its binding-ness from the lead-in ("föreslår Lif att:").
            lab = labels.label_text(sentence)
            if lab.label == "none" and bullet and lead:
                lab = labels.label_text(lead)
            doc = hit.document
            out.append((Evidence(
                quote=sentence, doc_id=doc.doc_id, doc_name=doc.name, title=doc.title,
                heading_path=hit.chunk.heading_path, page_number=hit.chunk.page_number,
                date=doc.date, source_url=doc.source_url, file_path=doc.file_path,
                secondary=secondary, score=hit.score, publisher=doc.publisher,
                label=lab.label, triggers=lab.triggers,
            ), cov))  # fmt: skip
        if sentence.rstrip().endswith(":"):
            lead = sentence
        prev_end = e
    return out


def _confidence(hit_rank: int | None, coverage: float) -> float:
    rank_part = 1.0 / (1.0 + (hit_rank - 1) / 5.0) if hit_rank else 0.2
    return round(0.5 * coverage + 0.5 * rank_part, 3)


def _miss(hit: Hit, secondary: bool) -> Evidence:
    text = hit.chunk.text
    s, e = labels.sentence_spans(text)[0]
    doc = hit.document
    return Evidence(
        quote=text[s:e], doc_id=doc.doc_id, doc_name=doc.name, title=doc.title,
        heading_path=hit.chunk.heading_path, page_number=hit.chunk.page_number, date=doc.date,
        source_url=doc.source_url, file_path=doc.file_path, secondary=secondary, score=hit.score,
        publisher=doc.publisher,
    )  # fmt: skip


def _aspect_terms(aspect: str) -> Terms:
    words = [
        w.casefold() for w in _WORD.findall(aspect) if w.casefold() not in _STOP and len(w) > 2
    ]
    acr = tuple(w for w in _WORD.findall(aspect) if w.isupper() and 1 < len(w) <= 6)
    dated = any(w.startswith(DEADLINE_WORDS) for w in words)
    return Terms((), acr, tuple(dict.fromkeys(w[:STEM_LEN] for w in words)), dated)


def build_table(
    searcher: SearcherLike,
    topic: str,
    *,
    aspects: Sequence[str] | None = None,
    regions: Sequence[str] | None = None,
    min_score: float = 0.0,
    max_evidence: int = 3,
    mode: str = "hybrid",
    limit: int = 20,
) -> ComparisonTable:
    """Build the region × aspect table for ``topic``.

    ``regions`` restricts the rows (region or actor names, resolved with did-you-mean);
    ``min_score`` drops hits below that fused search score; every kept quote must also
    name the topic (and the aspect) lexically. The whole table reads one index generation.
    """
    with _one_generation(searcher) as view:
        return _build_table(
            view, topic, aspects=aspects, regions=regions, min_score=min_score,
            max_evidence=max_evidence, mode=mode, limit=limit,
        )  # fmt: skip


def _build_table(
    searcher: SearcherLike,
    topic: str,
    *,
    aspects: Sequence[str] | None,
    regions: Sequence[str] | None,
    min_score: float,
    max_evidence: int,
    mode: str,
    limit: int,
) -> ComparisonTable:
    from regionplans.ingest.regions import NATIONAL_ACTORS, REGIONS, resolve_row

    topic = normalise_text(topic or "")
    if not topic:
        raise ConfigError('empty topic: give what to compare, e.g. "Genomic Medicine Sweden"')
    aspect_list = tuple(normalise_text(a) for a in (aspects or ()) if normalise_text(a))
    columns = aspect_list or (topic,)
    documents = searcher.documents()
    terms = topic_terms(topic, documents)
    by_row = row_documents(documents)
    all_rows = [(r.name, "region") for r in REGIONS] + [
        (a.name, "national") for a in NATIONAL_ACTORS
    ]
    if regions:
        wanted = {resolve_row(r) for r in regions}
        all_rows = [r for r in all_rows if r[0] in wanted]

    requests: list[tuple[str, SearchFilters]] = []
    slots: list[tuple[str, str]] = []
    for row, _group in all_rows:
        docs = by_row.get(row, [])
        if not docs:
            continue
        flt = SearchFilters(doc_ids=tuple(d.doc_id for d, _ in docs))
        for col in columns:
            query = topic if col == topic else f"{topic} {col}"
            requests.append((query, flt))
            slots.append((row, col))
    results = (
        searcher.search_batch(requests, mode=mode, limit=limit, per_doc=None) if requests else []
    )
    by_slot = dict(zip(slots, results, strict=True))

    cells: list[Cell] = []
    for row, group in all_rows:
        docs = by_row.get(row, [])
        secondary_of = {d.doc_id: sec for d, sec in docs}
        for col in columns:
            if not docs:
                cells.append(Cell(row, group, col, "none", (), (), (), (), 0.0, "no_documents", 0))
                continue
            result = by_slot[(row, col)]
            aspect = _aspect_terms(col) if col != topic else None
            found: list[tuple[Evidence, float, int | None]] = []
            for hit in result.hits:
                if hit.score < min_score:
                    continue
                for ev, cov in _evidence_from_hit(
                    hit, terms, aspect, secondary_of.get(hit.document.doc_id, True)
                ):
                    found.append((ev, cov, hit.dense_rank or hit.lexical_rank))
            # Own documents first, then by search score; one quote once.
            found.sort(key=lambda f: (f[0].secondary, -f[0].score))
            seen: set[str] = set()
            chosen: list[tuple[Evidence, float, int | None]] = []
            for f in found:
                if f[0].quote not in seen:
                    seen.add(f[0].quote)
                    chosen.append(f)
            chosen = chosen[:max_evidence]
            if not chosen:
                miss = None
                if result.hits:
                    top = result.hits[0]
                    miss = _miss(top, secondary_of.get(top.document.doc_id, True))
                cells.append(
                    Cell(
                        row,
                        group,
                        col,
                        "none",
                        (),
                        (),
                        (),
                        (),
                        0.0,
                        "nothing_relevant",
                        len(docs),
                        miss,
                    )
                )
                continue
            first = chosen[0][0]
            quotes = " ".join(e.quote for e, _, _ in chosen)
            cells.append(Cell(
                row=row, group=group, column=col, label=first.label,
                triggers=first.triggers, evidence=tuple(e for e, _, _ in chosen),
                deadlines=extract.deadlines(quotes), amounts=extract.amounts(quotes),
                confidence=_confidence(chosen[0][2], chosen[0][1]), empty_reason=None,
                searched_documents=len(docs),
            ))  # fmt: skip

    info: dict[str, Any] = {}
    try:
        info = searcher.index_info()
    except Exception:  # noqa: BLE001 - provenance is best effort; the table still stands
        info = {}
    provenance = {
        "topic": topic,
        "aspects": list(aspect_list),
        "regions": [r for r, _ in all_rows],
        "thresholds": {
            "min_score": min_score,
            "max_evidence": max_evidence,
            "limit": limit,
            "lexical_rule": "quote names the topic (phrase, acronym or all stems)",
            "stem_length": STEM_LEN,
        },  # fmt: skip
        "mode": mode,
        "model": info.get("model"),
        "index_version": info.get("version"),
        "index_built_at": info.get("built_at"),
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "terms": {
            "phrases": list(terms.phrases),
            "acronyms": list(terms.acronyms),
            "stems": list(terms.stems),
        },
    }
    return ComparisonTable(topic, aspect_list, tuple(all_rows), tuple(cells), provenance)

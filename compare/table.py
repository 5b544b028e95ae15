"""The region × aspect comparison table: one cell per row and aspect, each with quotes.

Rows are the 21 regions and the national actors (see :mod:`compare.attribution` for
whose documents a row reads). For every row the topic (and each aspect) is searched only
in that row's documents, all rows in one batched call, plus one search of the national
texts whose sentences name regions. Which sentences of a hit are evidence is
:mod:`compare.evidence`'s; a cell keeps those the relevance model
(:mod:`compare.relevance`) accepts. A cell's label is its first quote's: the row's own
documents first, the most binding wording first.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any, Literal, Protocol

from regionplans.compare import extract, labels, relevance
from regionplans.compare.attribution import (
    refers_to,
    row_documents,
    sentence_regions,
)
from regionplans.compare.confidence import cell_confidence
from regionplans.compare.evidence import Evidence, closest_miss, evidence_from_hit
from regionplans.compare.terms import (
    STEM_LEN,
    Terms,
    aspect_terms,
    topic_terms,
)
from regionplans.errors import ConfigError
from regionplans.records import Document, SearchFilters, SearchResult, normalise_text

EmptyReason = Literal["no_documents", "nothing_relevant"]


class SearcherLike(Protocol):
    """What the table needs from a searcher (``regionplans.index.search.Searcher``)."""

    def search_batch(
        self, requests: Sequence[tuple[str, SearchFilters]], *, mode: str = ..., limit: int = ...,
        per_doc: int | None = ..., explain: bool = ..., rescore: bool = ..., candidates: int = ...,
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
    decided: tuple[str, ...] = ()  # years of past decisions in the quotes (never deadlines)


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


# -- cells ---------------------------------------------------------------------------


def _rank(e: Evidence) -> tuple[bool, int, bool, float]:
    return (e.secondary, labels.strength(e.label), not e.triggers, -e.score)


def _judge(terms: Terms, cells: Sequence[tuple[str, list[Evidence]]], min_relevance: float | None) -> list[list[Evidence]]:
    """Each cell's candidates with their relevance (:mod:`compare.relevance`), those
    below the threshold left out."""
    threshold = relevance.model()[1] if min_relevance is None else min_relevance
    out: list[list[Evidence]] = []
    for row, found in cells:
        kept = []
        for ev in found:
            p = relevance.probability(relevance.features(ev, ev.covered or refers_to(row, ev.quote), terms.wholes))
            if p >= threshold:
                kept.append(replace(ev, relevance=round(p, 3)))
        out.append(kept)
    return out


def _order(found: list[Evidence], max_evidence: int, further: float = 0.0) -> list[Evidence]:
    """Own documents first, the most binding wording first (a stated position before a
    plain fact), then the search's order; one quote once. A quote past the first must
    reach the relevance ``further``."""
    found = sorted(found, key=_rank)
    seen: set[str] = set()
    chosen: list[Evidence] = []
    for ev in found:
        key = normalise_text(ev.quote)
        # Past the first quote, only stated positions: a further plain fact or negation
        # ("none") adds more doubt than support (measured on the development tables).
        if key not in seen and (not chosen or (ev.triggers and ev.label != "none" and (ev.relevance or 0.0) >= further)):
            seen.add(key)
            chosen.append(ev)
    return chosen[:max_evidence]


def _filled_cell(row: str, group: str, col: str, chosen: list[Evidence], searched: int) -> Cell:
    first = chosen[0]
    quotes = " ".join(e.quote for e in chosen)
    written = min((int(e.date[:4]) for e in chosen if e.date), default=None)
    return Cell(
        row=row, group=group, column=col, label=first.label, triggers=first.triggers,
        evidence=tuple(chosen), deadlines=extract.deadlines(quotes, written=written),
        amounts=extract.amounts(quotes), confidence=cell_confidence(chosen), empty_reason=None,
        searched_documents=searched, decided=extract.decided_in(quotes),
    )  # fmt: skip


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
    min_relevance: float | None = None,
) -> ComparisonTable:
    """Build the region × aspect table for ``topic``.

    ``regions`` restricts the rows (region or actor names, resolved with did-you-mean);
    ``min_score`` drops hits below that fused search score; every kept quote must also
    name the topic (and the aspect) and reach ``min_relevance`` (default: the fitted
    threshold of :mod:`compare.relevance`). The whole table reads one index generation.
    """
    with _one_generation(searcher) as view:
        return _build_table(
            view, topic, aspects=aspects, regions=regions, min_score=min_score,
            max_evidence=max_evidence, mode=mode, limit=limit, min_relevance=min_relevance,
        )  # fmt: skip


ROW_FILTER_VALUES = 8  # at most this many publishers stand for a row's documents in its filter


def _row_filters(
    documents: Sequence[Document], rows: dict[str, list[tuple[Document, bool]]]
) -> dict[str, SearchFilters]:
    """The search restriction of each row that has documents: the row's region, or its
    publishers, when that indexed keyword selects exactly the row's documents (in this
    index generation), else the documents' ids. One keyword is one posting list for
    the store; a long list of ids is a ``MatchAny`` the store pays for in every search
    (`regionplans bench --parts compare`). Either way the same chunks are searched."""
    by_region: dict[str, set[str]] = {}
    by_publisher: dict[str, set[str]] = {}
    for doc in documents:
        for region in doc.regions:
            by_region.setdefault(region, set()).add(doc.doc_id)
        by_publisher.setdefault(doc.publisher, set()).add(doc.doc_id)
    out: dict[str, SearchFilters] = {}
    for row, docs in rows.items():
        if not docs:
            continue
        ids = {d.doc_id for d, _ in docs}
        publishers = sorted({d.publisher for d, _ in docs})
        if by_region.get(row) == ids:
            out[row] = SearchFilters(regions=(row,))
        elif "" not in publishers and len(publishers) <= ROW_FILTER_VALUES and set().union(*(by_publisher[p] for p in publishers)) == ids:
            out[row] = SearchFilters(publishers=tuple(publishers))
        else:
            out[row] = SearchFilters(doc_ids=tuple(d.doc_id for d, _ in docs))
    return out


NATIONAL_LIMIT = 100  # hits of the national texts read for sentences naming regions
# Hits each side of a row's hybrid search fetches for fusion (a search page's 100 is more
# than a row's 20 hits need; half the time of the table's searches at 100k chunks).
ROW_CANDIDATES = 50


def _searches(
    searcher: SearcherLike, requests: Sequence[tuple[str, SearchFilters]], slots: Sequence[tuple[str, str]],
    *, mode: str, limit: int,
) -> dict[tuple[str, str], SearchResult]:  # fmt: skip
    """Every slot's result ((row, column); row "" for the national texts). Rows read
    their first ``limit`` hits, the national texts NATIONAL_LIMIT: two batches, so no
    row pays for the national depth. Without the best-sentence second stage: the table
    judges every sentence itself (eval/dev: the same rows, 305 against 303 right cells
    of 350), and skipping it saves about a tenth of the table's time at 100k."""
    by_slot: dict[tuple[str, str], SearchResult] = {}
    for national_batch, depth in ((False, limit), (True, max(limit, NATIONAL_LIMIT))):
        batch = [i for i, (row, _col) in enumerate(slots) if (not row) is national_batch]
        if batch:
            answers = searcher.search_batch([requests[i] for i in batch], mode=mode, limit=depth, per_doc=None,
                                            explain=False, rescore=False, candidates=max(ROW_CANDIDATES, depth))  # fmt: skip
            by_slot.update(zip([slots[i] for i in batch], answers, strict=True))
    return by_slot


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
    min_relevance: float | None,
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
    all_rows = [(r.name, "region") for r in REGIONS] + [(a.name, "national") for a in NATIONAL_ACTORS]
    if regions:
        wanted = {resolve_row(r) for r in regions}
        all_rows = [r for r in all_rows if r[0] in wanted]
    region_rows = {r for r, g in all_rows if g == "region"}
    national = tuple(d.doc_id for d in documents if not d.regions)

    requests: list[tuple[str, SearchFilters]] = []
    slots: list[tuple[str, str]] = []
    row_filters = _row_filters(documents, {row: by_row.get(row, []) for row, _group in all_rows})
    for col in columns:
        query = topic if col == topic else f"{topic} {col}"
        for row, _group in all_rows:
            if row in row_filters:
                requests.append((query, row_filters[row]))
                slots.append((row, col))
        if national and region_rows:
            requests.append((query, SearchFilters(doc_ids=national)))
            slots.append(("", col))
    listed: dict[tuple[str, str], list[Evidence]] = {}
    pending: list[tuple[str, str, str, list[Evidence], int, Evidence | None]] = []
    empty: dict[tuple[str, str], Cell] = {}
    by_slot = _searches(searcher, requests, slots, mode=mode, limit=limit)
    for col in columns:
        aspect = aspect_terms(col) if col != topic else None
        # National texts naming regions in a sentence: secondary evidence for those regions.
        result = by_slot.get(("", col))
        for hit in result.hits if result else ():
            if hit.score < min_score:
                continue
            for ev in evidence_from_hit(hit, terms, aspect, True, None):
                for region in sentence_regions(ev.quote):
                    if region in region_rows:
                        listed.setdefault((region, col), []).append(ev)
        for row, group in all_rows:
            docs = by_row.get(row, [])
            extra = listed.get((row, col), [])
            if not docs and not extra:
                empty[(row, col)] = Cell(row, group, col, "none", (), (), (), (), 0.0, "no_documents", 0)
                continue
            secondary_of = {d.doc_id: sec for d, sec in docs}
            result = by_slot.get((row, col))
            found: list[Evidence] = list(extra)
            for hit in (result.hits[:limit] if result else ()):
                if hit.score >= min_score:
                    found.extend(evidence_from_hit(hit, terms, aspect, secondary_of.get(hit.document.doc_id, True), row))
            miss = None
            if result is not None and result.hits:
                top = result.hits[0]
                miss = closest_miss(top, secondary_of.get(top.document.doc_id, True))
            searched = len(docs) + len({e.doc_id for e in extra})
            pending.append((row, group, col, found, searched, miss))
    judged = _judge(terms, [(row, found) for row, _g, _c, found, _s, _m in pending], min_relevance)
    for (row, group, col, _found, searched, miss), candidates in zip(pending, judged, strict=True):
        chosen = _order(candidates, max_evidence, relevance.model()[2] if min_relevance is None else min_relevance)
        if chosen:
            empty[(row, col)] = _filled_cell(row, group, col, chosen, searched)
        else:
            empty[(row, col)] = Cell(row, group, col, "none", (), (), (), (), 0.0, "nothing_relevant", searched, miss)
    cells = [empty[(row, col)] for row, _group in all_rows for col in columns]

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
            "min_score": min_score, "max_evidence": max_evidence, "limit": limit,
            "lexical_rule": "every component of the topic named in the sentence (or its heading), by any glossary term",
            "aspect_stem_length": STEM_LEN,
            "min_relevance": relevance.model()[1] if min_relevance is None else min_relevance,
            "relevance_model": "logistic on lexical and attribution signals (compare/relevance.json)",
        },  # fmt: skip
        "mode": mode,
        "model": info.get("model"),
        "index_version": info.get("version"),
        "index_built_at": info.get("built_at"),
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "terms": {c.name: list(c.terms) for c in terms.components},
    }
    return ComparisonTable(topic, aspect_list, tuple(all_rows), tuple(cells), provenance)

"""Search the index: hybrid (dense and BM25 candidate lists fused with RRF), dense or lexical.

:class:`Searcher` is cheap to build; the store, the model and the lexical analyzer are
opened on the first search. A region named in the query ("Vad gör Region Östergötland
inom AI?") becomes a region filter (or only a boost), reported in the result and
switchable off. Every hit explains its dense and lexical ranks and the words that
matched lexically. Every answer comes from one index generation, even while a build
switches to the next (see :meth:`Searcher.pinned`).
"""

from __future__ import annotations

import contextlib
import threading
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import Any

from regionplans.config import Settings
from regionplans.errors import ConfigError, IndexError_
from regionplans.index.build import check_model
from regionplans.index.embed import Embedder, load_embedder
from regionplans.index.fusion import (
    CANDIDATES,
    TIE_MARGIN,
    by_score,
    fuse,
    language_weights,
    query_language,
)
from regionplans.index.lexical import Analyzer
from regionplans.index.rescore import DEPTH as RESCORE_DEPTH
from regionplans.index.rescore import rescore as best_sentence_order
from regionplans.index.store import (
    NO_FILTERS,
    QuerySpec,
    ScoredPayload,
    StoreSnapshot,
    VectorStore,
    open_store,
)
from regionplans.records import SEARCH_MODES, Chunk, Document, Hit, SearchFilters, SearchResult

__all__ = ["CANDIDATES", "PinnedSearcher", "Searcher", "fuse", "query_language"]


def _chunk(payload: dict[str, Any]) -> Chunk:
    return Chunk(
        chunk_id=payload["chunk_id"],
        doc_id=payload["doc_id"],
        text=payload.get("text", ""),
        heading_path=tuple(payload.get("heading_path", ())),
        page_number=int(payload.get("page_number", 1)),
        split_id=int(payload.get("split_id", 0)),
        split_idx_start=int(payload.get("split_idx_start", 0)),
        split_idx_end=int(payload.get("split_idx_end", 0)),
    )


MAX_CANDIDATES = 1000  # hits a side of a hybrid search may fetch for fusion


class _Pinned:
    """One index generation as a searcher reads it: the store snapshot and everything
    derived from its metadata (analyzer, documents, counts). Immutable once built,
    except the count cache, which only ever holds this generation's counts."""

    def __init__(self, snapshot: StoreSnapshot, backend: str) -> None:
        meta = snapshot.meta
        self.snapshot = snapshot
        self.backend = backend
        self.analyzer = Analyzer(
            vocabulary=frozenset(meta.get("vocabulary", ())),
            acronyms=tuple((a[0], a[1]) for a in meta.get("acronyms", ())),
            avg_len=float(meta.get("avg_len", 256.0)),
        )
        self.documents = {
            doc_id: Document.from_dict(entry["document"]) for doc_id, entry in meta["docs"].items()
        }
        self.counts: dict[SearchFilters, int] = {}
        self.users = 0
        self.retired = False
        languages = Counter(d.language for d in self.documents.values() if d.language in ("sv", "en"))
        self.majority_language = languages.most_common(1)[0][0] if languages else None
        # Every chunk's language, when the generation holds one: hybrid candidates then
        # need no payload (reading it costs the store more than the search itself).
        written = {d.language for d in self.documents.values()}
        self.only_language = next(iter(written)) if len(written) == 1 else None

    @property
    def generation(self) -> str:
        return self.snapshot.generation

    @property
    def meta(self) -> dict[str, Any]:
        return self.snapshot.meta


class _Queries:
    """The public calls, written once: a :class:`Searcher` runs each on the generation
    live when it starts, a :class:`PinnedSearcher` on the one it holds."""

    settings: Settings

    def _view(self) -> contextlib.AbstractContextManager[PinnedSearcher]:
        raise NotImplementedError

    def detect_regions(self, query: str) -> tuple[str, ...]:
        """Canonical names of the regions the query names."""
        from regionplans.ingest.regions import find_regions

        return tuple(find_regions(query))

    def documents(self) -> list[Document]:
        """The indexed documents (metadata; ``text`` is empty), by title."""
        with self._view() as view:
            return sorted(view._pinned.documents.values(), key=lambda d: (d.title, d.doc_id))

    def index_info(self) -> dict[str, Any]:
        """Model identity, index version, backend and counts."""
        with self._view() as view:
            meta = view._pinned.meta
            return {
                "backend": view._pinned.backend,
                "location": view._searcher._where(),
                "generation": view._pinned.generation,
                "version": meta.get("version"),
                "built_at": meta.get("built_at"),
                "model": meta.get("model"),
                "documents": len(meta.get("docs", {})),
                "chunks": view._count(NO_FILTERS),
                "vocabulary": len(meta.get("vocabulary", ())),
            }

    def search(
        self,
        query: str,
        *,
        filters: SearchFilters = NO_FILTERS,
        mode: str = "hybrid",
        limit: int = 10,
        per_doc: int | None = 3,
        detect_regions: bool = True,
        region_boost_only: bool = False,
        rescore: bool = True,
    ) -> SearchResult:
        """The best chunks for ``query``, at most ``per_doc`` per document. ``rescore=False``
        leaves a hybrid search's fused order as it is (no best-sentence second stage)."""
        self.settings.limits.check_request(query, filters, limit)
        with self._view() as view:
            if not query.strip():
                raise ConfigError("empty query: give a question or some words to search for")
            detected: tuple[str, ...] = ()
            applied = False
            effective = filters
            if detect_regions and not filters.regions:
                detected = self.detect_regions(query)
                if detected and not region_boost_only:
                    effective = replace(filters, regions=detected)
                    applied = True
            result = view._run([(query, effective)], mode=mode, limit=limit, per_doc=per_doc,
                               boost_regions=detected if region_boost_only else (), rescore=rescore)[0]  # fmt: skip
        # ``filters`` in the result is what was searched (detected regions included).
        return replace(
            result,
            detected_regions=detected,
            region_detection_applied=applied or bool(detected and region_boost_only),
        )

    def search_batch(
        self,
        requests: Sequence[tuple[str, SearchFilters]],
        *,
        mode: str = "hybrid",
        limit: int = 10,
        per_doc: int | None = None,
        explain: bool = True,
        rescore: bool = True,
        candidates: int = CANDIDATES,
    ) -> list[SearchResult]:
        """Many searches in one batched Qdrant call (no region detection); ``explain``
        False leaves out each hit's matched words (a comparison table reads none),
        ``rescore`` False the best-sentence second stage (``index.rescore``);
        ``candidates``: how many hits each side of a hybrid search fetches for fusion."""
        self.settings.limits.check_batch(requests, limit)
        with self._view() as view:
            return view._run(requests, mode=mode, limit=limit, per_doc=per_doc, explain=explain, rescore=rescore,
                             candidates=candidates)  # fmt: skip


class Searcher(_Queries):
    """Searches one index. ``Searcher(settings)`` opens nothing until the first query.

    Safe to share between threads. Each call reads one index generation from start to
    end; when a build switches generations, the next call reads the new one, and the
    old one is released once its last call is done. :meth:`pinned` holds one
    generation across several calls (a comparison table is many searches).
    """

    def __init__(
        self,
        settings: Settings,
        *,
        embedder: Embedder | None = None,
        store: VectorStore | None = None,
    ) -> None:
        self.settings = settings
        self._embedder = embedder
        self._store = store
        self._current: _Pinned | None = None
        self._checked: str | None = None  # the generation whose model was checked
        self._lock = threading.Lock()

    # -- pinning ---------------------------------------------------------------
    def _acquire(self) -> _Pinned:
        """The live generation, pinned for one call (or one :meth:`pinned` block)."""
        with self._lock:
            if self._store is None:
                self._store = open_store(self.settings)
            store = self._store
            live = store.generation()
            if live is None:
                raise IndexError_(
                    f"no index found ({self._where()}); "
                    "run `regionplans ingest` and `regionplans index` first"
                )
            if self._current is None or self._current.generation != live:
                try:
                    snapshot = store.snapshot(live)
                except IndexError_:
                    # A build switched (and cleaned up) between reading the pointer and
                    # pinning it: pin whatever is live now.
                    snapshot = store.snapshot()
                pinned = _Pinned(snapshot, store.backend)
                self._retire(self._current)
                self._current = pinned
            current = self._current
            current.users += 1
        try:
            self._check_model(current)
        except BaseException:
            self._release(current)
            raise
        return current

    def _check_model(self, pinned: _Pinned) -> None:
        if self._checked == pinned.generation:
            return
        with self._lock:
            if self._embedder is None:
                self._embedder = load_embedder(self.settings.model, query_engine=self.settings.query_engine)
            embedder = self._embedder
        check_model(pinned.meta, embedder)
        self._checked = pinned.generation

    def _retire(self, pinned: _Pinned | None) -> None:
        """Called under the lock: close ``pinned`` now, or when its last user is done."""
        if pinned is None:
            return
        pinned.retired = True
        if pinned.users == 0:
            pinned.snapshot.close()

    def _release(self, pinned: _Pinned) -> None:
        with self._lock:
            pinned.users -= 1
            if pinned.retired and pinned.users == 0:
                pinned.snapshot.close()

    @contextlib.contextmanager
    def pinned(self) -> Iterator[PinnedSearcher]:
        """Hold the live index generation for several calls, e.g.::

            with searcher.pinned() as view:
                documents = view.documents()
                results = view.search_batch(requests)  # the same generation

        Builds may switch generations meanwhile; ``view`` keeps reading its own.
        """
        pinned = self._acquire()
        try:
            yield PinnedSearcher(self, pinned)
        finally:
            self._release(pinned)

    def _where(self) -> str:
        return self.settings.qdrant_url or str(self.settings.index_dir)

    def _view(self) -> contextlib.AbstractContextManager[PinnedSearcher]:
        return self.pinned()

    def close(self) -> None:
        """Release the index (calls still running finish first); a later call reopens it."""
        with self._lock:
            self._retire(self._current)
            self._current = None
            self._checked = None
            if self._store is not None:
                self._store.close()
                self._store = None


class PinnedSearcher(_Queries):
    """A :class:`Searcher` held on one index generation (from :meth:`Searcher.pinned`)."""

    def __init__(self, searcher: Searcher, pinned: _Pinned) -> None:
        self.settings = searcher.settings
        self._searcher = searcher
        self._pinned = pinned

    @property
    def generation(self) -> str:
        return self._pinned.generation

    def _view(self) -> contextlib.AbstractContextManager[PinnedSearcher]:
        return contextlib.nullcontext(self)

    # -- engine ----------------------------------------------------------------
    def _run(
        self,
        requests: Sequence[tuple[str, SearchFilters]],
        *,
        mode: str,
        limit: int,
        per_doc: int | None,
        boost_regions: tuple[str, ...] = (),
        explain: bool = True,
        rescore: bool = True,
        candidates: int = CANDIDATES,
    ) -> list[SearchResult]:
        if mode not in SEARCH_MODES:
            raise ConfigError(
                f"unknown search mode {mode!r}; choose one of {', '.join(SEARCH_MODES)}"
            )
        if limit < 1:
            raise ConfigError("limit must be at least 1")
        if not 1 <= candidates <= MAX_CANDIDATES:
            raise ConfigError(f"candidates must be between 1 and {MAX_CANDIDATES}, not {candidates}")
        if not requests:
            return []
        embedder = self._searcher._embedder
        analyzer = self._pinned.analyzer
        assert embedder is not None  # loaded when the generation was pinned
        queries = [q for q, _ in requests]
        # The comparison table asks the same few questions of every region: embed each once.
        unique = list(dict.fromkeys(queries))
        dense: list[Any] | None = None
        sparse: list[tuple[list[int], list[float]]] | None = None
        if mode in ("hybrid", "dense"):
            by_query = dict(zip(unique, embedder.embed_queries(unique), strict=True))
            dense = [by_query[q] for q in queries]
        if mode in ("hybrid", "lexical"):
            # Hybrid always asks for the glossary's other terms (the fusion weighs each
            # chunk by its language); lexical alone only for a cross-lingual question.
            sparse_by_query = {
                q: analyzer.embed_query(q, glossary=mode == "hybrid" or self._cross_lingual(q)) for q in unique
            }
            sparse = [sparse_by_query[q] for q in queries]
        # Over-fetch so the per-document cap and a region boost still fill the page, and
        # so that hits tied at the last place are all there to be ordered.
        fetch = (max(limit * 4, 40) if (per_doc or boost_regions) else limit) + TIE_MARGIN
        specs: list[QuerySpec] = []
        for i, (_q, flt) in enumerate(requests):
            d = dense[i] if dense is not None else None
            s = sparse[i] if sparse is not None else None
            if mode == "hybrid":
                # Both candidate lists, fused here (see ``fuse``).
                language = ("language",) if self._pinned.only_language is None else False
                specs.append(QuerySpec("dense", d, None, flt, limit=candidates, with_payload=language))
                specs.append(QuerySpec("lexical", None, s, flt, limit=candidates, with_payload=language,
                                       with_terms=True))  # fmt: skip
            else:
                specs.append(QuerySpec(mode, d, s, flt, limit=fetch))
        snapshot = self._pinned.snapshot
        results = snapshot.query_batch(specs)
        counts = [self._count(flt) for _, flt in requests]
        ranked: list[tuple[list[ScoredPayload], dict[str, int], dict[str, int]]] = []
        fusion_terms = {q: self._fusion_terms(q) for q in unique} if mode == "hybrid" else {}
        for i in range(len(requests)):
            if mode == "hybrid":
                dense_list, lexical_list = by_score(results[2 * i]), by_score(results[2 * i + 1])
                dense_ranks = {p.id: r for r, p in enumerate(dense_list, 1)}
                lexical_ranks = {p.id: r for r, p in enumerate(lexical_list, 1)}
                fused = self._fuse(requests[i][0], dense_list, lexical_list, dense_ranks, lexical_ranks,
                                   fusion_terms[requests[i][0]])  # fmt: skip
                ranked.append((fused[: max(fetch, RESCORE_DEPTH) if rescore else fetch], dense_ranks, lexical_ranks))
            else:
                main = by_score(results[i])
                ranks = {p.id: r for r, p in enumerate(main, 1)}
                ranked.append((main, ranks, {}) if mode == "dense" else (main, {}, ranks))
        if mode == "hybrid":
            # The fused hits' payloads, in one call for the whole batch.
            payloads = snapshot.retrieve(list(dict.fromkeys(p.id for main, _, _ in ranked for p in main)))
            ranked = [([ScoredPayload(p.id, p.score, payloads[p.id]) for p in main if p.id in payloads], d, lx)
                      for main, d, lx in ranked]  # fmt: skip
            # Second stage: the top fused candidates reordered by their best sentence.
            assert dense is not None
            ranked = [((best_sentence_order(main, dense[i]) if rescore else main)[:fetch], d, lx)
                      for i, (main, d, lx) in enumerate(ranked)]  # fmt: skip
        out: list[SearchResult] = []
        for i, ((query, flt), (main, dense_ranks, lexical_ranks)) in enumerate(zip(requests, ranked, strict=True)):
            q_indices = [] if not explain else analyzer.embed_query(query)[0] if sparse is None else sparse[i][0]
            hits = self._hits(
                main, dense_ranks, lexical_ranks, q_indices, limit, per_doc, boost_regions
            )
            out.append(
                SearchResult(query=query, mode=mode, hits=hits, filters=flt, searched_chunks=counts[i])
            )
        return out

    def _cross_lingual(self, query: str) -> bool:
        """Whether the question is in the other language than most of the documents."""
        lang = query_language(query)
        corpus = self._pinned.majority_language
        return bool(lang and corpus and lang != corpus)

    def _fuse(
        self,
        query: str,
        dense_list: list[ScoredPayload],
        lexical_list: list[ScoredPayload],
        dense_ranks: dict[str, int],
        lexical_ranks: dict[str, int],
        terms: tuple[frozenset[int], tuple[frozenset[int], ...]] | None = None,
    ) -> list[ScoredPayload]:
        """The two lists fused with weights by language and term coverage (see
        :func:`~regionplans.index.fusion.language_weights`); ``terms`` is the question's
        :meth:`_fusion_terms` where a batch asks the same question more than once."""
        only = self._pinned.only_language or ""
        languages = {p.id: str(p.payload.get("language", only)) for p in (*dense_list, *lexical_list)}
        query_terms, word_terms = terms or self._fusion_terms(query)
        # A question of no telling language ("GMS Region Halland") makes no chunk foreign.
        dense_w, lexical_w = language_weights(
            query_language(query), languages, query_terms, {p.id: p.terms for p in lexical_list}, word_terms,
        )  # fmt: skip
        return fuse(dense_ranks, lexical_ranks, dense_weights=dense_w, lexical_weights=lexical_w)

    def _fusion_terms(self, query: str) -> tuple[frozenset[int], tuple[frozenset[int], ...]]:
        """The question's lexical terms and each word's terms with its translations."""
        analyzer = self._pinned.analyzer
        return frozenset(analyzer.embed_query(query)[0]), analyzer.word_terms(query)

    def _count(self, flt: SearchFilters) -> int:
        # Counts are fixed within a generation: each is asked of the store once.
        cache = self._pinned.counts
        if flt not in cache:
            if len(cache) > 4096:
                cache.clear()
            cache[flt] = self._pinned.snapshot.count(flt)
        return cache[flt]

    def _hits(
        self,
        points: list[ScoredPayload],
        dense_ranks: dict[str, int],
        lexical_ranks: dict[str, int],
        q_indices: list[int],
        limit: int,
        per_doc: int | None,
        boost_regions: tuple[str, ...],
    ) -> tuple[Hit, ...]:
        analyzer = self._pinned.analyzer
        documents = self._pinned.documents
        if boost_regions:
            wanted = set(boost_regions)
            # Stable: hits from the named regions first, each group in score order.
            points = sorted(points, key=lambda p: not (wanted & set(p.payload.get("regions", ()))))
        hits: list[Hit] = []
        per: dict[str, int] = {}
        for point in points:
            doc_id = point.payload["doc_id"]
            if per_doc is not None and per.get(doc_id, 0) >= per_doc:
                continue
            per[doc_id] = per.get(doc_id, 0) + 1
            chunk = _chunk(point.payload)
            document = documents.get(doc_id) or Document(
                doc_id=doc_id, file_path="", title="", publisher=point.payload.get("publisher", ""),
                regions=tuple(point.payload.get("regions", ())), doc_type=point.payload.get("doc_type", ""),
                language=point.payload.get("language", ""), date=None, text="", file_hash="",
            )  # fmt: skip
            hits.append(
                Hit(
                    chunk=chunk,
                    document=document,
                    score=point.score,
                    rank=len(hits) + 1,
                    dense_rank=dense_ranks.get(point.id),
                    lexical_rank=lexical_ranks.get(point.id),
                    matched_terms=analyzer.matched_terms(chunk.text, q_indices),
                )
            )
            if len(hits) >= limit:
                break
        return tuple(hits)

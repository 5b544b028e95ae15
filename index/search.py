"""Search the index: hybrid (dense + BM25 fused with RRF inside Qdrant), dense or lexical.

:class:`Searcher` is cheap to build; the store, the model and the lexical analyzer are
opened on the first search. A region named in the query ("Vad gör Region Östergötland
inom AI?") becomes a region filter (or only a boost), reported in the result and
switchable off. Every hit explains its dense and lexical ranks and the words that
matched lexically.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from regionplans.config import Settings
from regionplans.errors import ConfigError, IndexError_
from regionplans.index.build import check_model
from regionplans.index.embed import Embedder, load_embedder
from regionplans.index.lexical import Analyzer
from regionplans.index.store import NO_FILTERS, QuerySpec, ScoredPayload, VectorStore, open_store
from regionplans.records import SEARCH_MODES, Chunk, Document, Hit, SearchFilters, SearchResult

# Candidates each branch fetches before fusion: enough that a good lexical-only or
# dense-only match survives RRF (Haystack's default of 10 loses them).
CANDIDATES = 100


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


class Searcher:
    """Searches one index. ``Searcher(settings)`` opens nothing until the first query."""

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
        self._meta: dict[str, Any] | None = None
        self._generation: str | None = None
        self._checked = False
        self._count_cache: dict[SearchFilters, int] = {}
        self._analyzer: Analyzer | None = None
        self._documents: dict[str, Document] = {}
        self._lock = threading.Lock()

    # -- lazy state ------------------------------------------------------------
    def _open(self) -> tuple[VectorStore, dict[str, Any]]:
        with self._lock:
            if self._store is None:
                self._store = open_store(self.settings)
            generation = self._store.generation()
            # Re-read the metadata only when a build switched generations (cheap check).
            if self._meta is None or generation != self._generation:
                meta = self._store.meta()
                if meta is None:
                    raise IndexError_(
                        f"no index found ({self._where()}); "
                        "run `regionplans ingest` and `regionplans index` first"
                    )
                self._meta = meta
                self._generation = generation
                self._analyzer = Analyzer(
                    vocabulary=frozenset(meta.get("vocabulary", ())),
                    acronyms=tuple((a[0], a[1]) for a in meta.get("acronyms", ())),
                    avg_len=float(meta.get("avg_len", 256.0)),
                )
                self._documents = {
                    doc_id: Document.from_dict(entry["document"])
                    for doc_id, entry in meta["docs"].items()
                }
                self._checked = False
                self._count_cache = {}
            meta = self._meta
            if self._embedder is None:
                self._embedder = load_embedder(self.settings.model)
            if not self._checked:
                check_model(meta, self._embedder)
                self._checked = True
            assert self._meta is not None
            return self._store, self._meta

    def _where(self) -> str:
        return self.settings.qdrant_url or str(self.settings.index_dir)

    @property
    def analyzer(self) -> Analyzer:
        self._open()
        assert self._analyzer is not None
        return self._analyzer

    # -- public ----------------------------------------------------------------
    def documents(self) -> list[Document]:
        """The indexed documents (metadata; ``text`` is empty), by title."""
        self._open()
        return sorted(self._documents.values(), key=lambda d: (d.title, d.doc_id))

    def index_info(self) -> dict[str, Any]:
        """Model identity, index version, backend and counts."""
        store, meta = self._open()
        return {
            "backend": store.backend,
            "location": self._where(),
            "version": meta.get("version"),
            "built_at": meta.get("built_at"),
            "model": meta.get("model"),
            "documents": len(meta.get("docs", {})),
            "chunks": store.count(),
            "vocabulary": len(meta.get("vocabulary", ())),
        }

    def detect_regions(self, query: str) -> tuple[str, ...]:
        """Canonical names of the regions the query names."""
        from regionplans.ingest.regions import find_regions

        return tuple(find_regions(query))

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
    ) -> SearchResult:
        """The best chunks for ``query``, at most ``per_doc`` per document."""
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
        result = self._run([(query, effective)], mode=mode, limit=limit, per_doc=per_doc,
                           boost_regions=detected if region_boost_only else ())[0]  # fmt: skip
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
    ) -> list[SearchResult]:
        """Many searches in one batched Qdrant call (no region detection)."""
        return self._run(requests, mode=mode, limit=limit, per_doc=per_doc)

    # -- engine ----------------------------------------------------------------
    def _run(
        self,
        requests: Sequence[tuple[str, SearchFilters]],
        *,
        mode: str,
        limit: int,
        per_doc: int | None,
        boost_regions: tuple[str, ...] = (),
    ) -> list[SearchResult]:
        if mode not in SEARCH_MODES:
            raise ConfigError(
                f"unknown search mode {mode!r}; choose one of {', '.join(SEARCH_MODES)}"
            )
        if limit < 1:
            raise ConfigError("limit must be at least 1")
        store, _meta = self._open()
        assert self._embedder is not None and self._analyzer is not None
        if not requests:
            return []
        queries = [q for q, _ in requests]
        # The comparison table asks the same few questions of every region: embed each once.
        unique = list(dict.fromkeys(queries))
        dense: list[Any] | None = None
        sparse: list[tuple[list[int], list[float]]] | None = None
        if mode in ("hybrid", "dense"):
            vectors = self._embedder.embed_queries(unique)
            by_query = dict(zip(unique, vectors, strict=True))
            dense = [by_query[q] for q in queries]
        if mode in ("hybrid", "lexical"):
            sparse_by_query = {q: self._analyzer.embed_query(q) for q in unique}
            sparse = [sparse_by_query[q] for q in queries]
        # Over-fetch so the per-document cap and a region boost still fill the page.
        fetch = max(limit * 4, 40) if (per_doc or boost_regions) else limit
        specs: list[QuerySpec] = []
        for i, (_q, flt) in enumerate(requests):
            d = dense[i] if dense is not None else None
            s = sparse[i] if sparse is not None else None
            specs.append(QuerySpec(mode, d, s, flt, limit=fetch, candidates=CANDIDATES))
            # The branches alone, to explain each hit's dense and lexical rank.
            if mode == "hybrid":
                specs.append(QuerySpec("dense", d, None, flt, limit=CANDIDATES, with_payload=False))
                specs.append(
                    QuerySpec("lexical", None, s, flt, limit=CANDIDATES, with_payload=False)
                )
        results = store.query_batch(specs)
        counts = self._counts([flt for _, flt in requests], store)
        out: list[SearchResult] = []
        step = 3 if mode == "hybrid" else 1
        for i, (query, flt) in enumerate(requests):
            main = results[i * step]
            if mode == "hybrid":
                dense_ranks = {p.id: r for r, p in enumerate(results[i * step + 1], 1)}
                lexical_ranks = {p.id: r for r, p in enumerate(results[i * step + 2], 1)}
            elif mode == "dense":
                dense_ranks, lexical_ranks = {p.id: r for r, p in enumerate(main, 1)}, {}
            else:
                dense_ranks, lexical_ranks = {}, {p.id: r for r, p in enumerate(main, 1)}
            q_indices = sparse[i][0] if sparse is not None else self._analyzer.embed_query(query)[0]
            hits = self._hits(
                main, dense_ranks, lexical_ranks, q_indices, limit, per_doc, boost_regions
            )
            out.append(
                SearchResult(
                    query=query, mode=mode, hits=hits, filters=flt, searched_chunks=counts[i]
                )
            )
        return out

    def _counts(self, filters: list[SearchFilters], store: VectorStore) -> list[int]:
        # Counts only change with the generation; the cache is reset when it switches.
        for flt in filters:
            if flt not in self._count_cache:
                if len(self._count_cache) > 4096:
                    self._count_cache.clear()
                self._count_cache[flt] = store.count(flt)
        return [self._count_cache[f] for f in filters]

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
        assert self._analyzer is not None
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
            document = self._documents.get(doc_id) or Document(
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
                    matched_terms=self._analyzer.matched_terms(chunk.text, q_indices),
                )
            )
            if len(hits) >= limit:
                break
        return tuple(hits)

    def close(self) -> None:
        if self._store is not None:
            self._store.close()

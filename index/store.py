"""One vector-store interface over two Qdrant backends: the records and protocols.

- :class:`~regionplans.index.store_edge.EdgeStore`: qdrant-edge, the Qdrant engine
  in-process, data under ``settings.index_dir/edge`` (the default); its readers load
  hard-linked views of a generation (:mod:`regionplans.index.store_views`).
- :class:`~regionplans.index.store_client.ClientStore`: qdrant-client, a Qdrant server
  or cluster by URL (API key from ``QDRANT_API_KEY``), or its in-process local mode
  (``":memory:"`` or a path).

Both use the same layout: a named dense vector ``dense`` (cosine), a named sparse
vector ``bm25`` with the IDF modifier, payload indexes on the filter fields. Both
write in *generations*: a build writes a new generation (a new shard directory, or a
new collection) and then switches a pointer atomically (``os.replace`` of a pointer
file, or a collection alias), so readers see the old or the new index, never a mix,
and a killed build leaves the previous generation in place.

Readers pin one generation: :meth:`VectorStore.snapshot` returns a
:class:`StoreSnapshot` whose queries, counts and metadata all come from that
generation until it is closed, whatever builds switch meanwhile.

A store runs dense and lexical queries; the searcher fuses the two lists itself
(``index.search.fuse``) so that equal scores are ordered alike in every run.
"""

from __future__ import annotations

import contextlib
import threading
import uuid
from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

from regionplans.config import Settings
from regionplans.errors import ConfigError
from regionplans.records import SearchFilters

DENSE = "dense"
SPARSE = "bm25"
KEYWORD_FIELDS = ("regions", "publisher", "doc_type", "language", "doc_id")
INTEGER_FIELDS = ("year", "date_num")
# A filtered BM25 question scores every matching point itself below this many points,
# and walks the inverted index (skipping points the filter rejects) above it. Qdrant's
# default, 5,000, scored a region's ~4,800 points at 100k chunks one by one: 4.8 ms a
# question against 1.4 ms through the postings (the same hits; `regionplans bench
# --parts compare`).
SPARSE_FULL_SCAN = 1000
NO_FILTERS = SearchFilters()


def point_id(chunk_id: str) -> str:
    """Qdrant point ids are UUIDs; a chunk id is a sha256 hex digest."""
    return str(uuid.UUID(chunk_id[:32]))


def date_num(date: str | None) -> int | None:
    """``"2021-05-19"`` → ``20210519`` (an integer for range filters); partial dates padded."""
    if not date:
        return None
    digits = date.replace("-", "")[:8]
    return int(digits.ljust(8, "0")) if digits.isdigit() else None


@dataclass(frozen=True, slots=True)
class StoredPoint:
    """One chunk as written: its id, dense vector, sparse vector and payload."""

    id: str
    dense: np.ndarray
    sparse: tuple[list[int], list[float]]
    payload: dict[str, Any]


@dataclass(frozen=True, slots=True)
class QuerySpec:
    """One query: the vectors, the restriction, and how many hits to return.

    ``mode`` is ``dense`` or ``lexical``. ``with_payload`` is all of it, none, or the
    named fields; ``with_terms`` also returns each hit's BM25 term ids.
    """

    mode: str
    dense: np.ndarray | None
    sparse: tuple[list[int], list[float]] | None
    filters: SearchFilters = field(default_factory=SearchFilters)
    limit: int = 10
    with_payload: bool | tuple[str, ...] = True
    with_terms: bool = False


@dataclass(frozen=True, slots=True)
class ScoredPayload:
    id: str
    score: float
    payload: dict[str, Any]
    terms: frozenset[int] = frozenset()  # the BM25 term ids (QuerySpec.with_terms)


class StoreWriter(Protocol):
    """A generation being written; nothing is visible to readers until ``commit``."""

    def upsert(self, points: Sequence[StoredPoint]) -> None: ...

    def delete_docs(self, doc_ids: Sequence[str]) -> None: ...

    def update_sparse(self, vectors: Sequence[tuple[str, tuple[list[int], list[float]]]]) -> None:
        """Replace the sparse vectors of existing points ``(id, sparse)``; dense kept."""
        ...

    def commit(self, meta: dict[str, Any]) -> None: ...

    def abort(self) -> None: ...


class StoreSnapshot(Protocol):
    """One committed generation, pinned: every query, count and the metadata come
    from it until :meth:`close`, whatever builds switch meanwhile."""

    generation: str
    meta: dict[str, Any]

    def query_batch(self, specs: Sequence[QuerySpec]) -> list[list[ScoredPayload]]: ...

    def count(self, filters: SearchFilters = ...) -> int: ...

    def retrieve(self, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        """The payloads of the points ``ids`` (missing ids are left out)."""
        ...

    def close(self) -> None: ...


class VectorStore(Protocol):
    """What the index builder and the searcher need from a backend."""

    backend: str

    def meta(self) -> dict[str, Any] | None:
        """The live generation's metadata (model identity, version, ...), None if no index."""
        ...

    def generation(self) -> str | None:
        """The live generation's name (cheap): readers re-pin when it changes."""
        ...

    def build_lock(self) -> AbstractContextManager[None]:
        """Held around a build (reading the live generation, :meth:`begin`, commit) so
        builds take turns; on a server, builders on other machines too."""
        ...

    def begin(self, dim: int, *, fresh: bool) -> StoreWriter:
        """Start a new generation: a copy of the live one, or empty when ``fresh``."""
        ...

    def snapshot(self, generation: str | None = None) -> StoreSnapshot:
        """Pin ``generation`` (the live one by default) for reading.

        Raises :class:`~regionplans.errors.IndexError_` when there is no index or the
        generation is gone (a build removed it; pin the live one again)."""
        ...

    def close(self) -> None: ...


def conditions(filters: SearchFilters) -> list[tuple[str, str, Any]]:
    """Backend-neutral conditions: (field, "any"|"range", value)."""
    conds: list[tuple[str, str, Any]] = []
    for name, values in (
        ("regions", filters.regions),
        ("publisher", filters.publishers),
        ("doc_type", filters.doc_types),
        ("language", filters.languages),
        ("doc_id", filters.doc_ids),
    ):
        if values:
            conds.append((name, "any", list(values)))
    low, high = date_num(filters.date_from), date_num(filters.date_to)
    if filters.date_to and high is not None and len(filters.date_to) < 10:
        high = int(filters.date_to.replace("-", "")[:8].ljust(8, "9"))  # "2022" means all of 2022
    if low is not None or high is not None:
        conds.append(("date_num", "range", (low, high)))
    return conds


def payload_fields(spec: QuerySpec) -> bool | list[str]:
    """What a query asks back of each point's payload: all, none, or the named fields."""
    return list(spec.with_payload) if isinstance(spec.with_payload, tuple) else spec.with_payload


def close_all(registry: dict[str, Any], lock: threading.Lock) -> None:
    """Empty a process-wide registry of open things and close each (at exit: a process
    that ends without closing its searchers; errors are ignored)."""
    with lock:
        left = list(registry.values())
        registry.clear()
    for item in left:
        with contextlib.suppress(Exception):
            item.close()


def sparse_terms(vectors: Any) -> frozenset[int]:
    """The BM25 term ids of a returned point's vectors (none unless asked for)."""
    sparse = vectors.get(SPARSE) if isinstance(vectors, dict) else None
    # Both clients return the indices as a list of ints: no per-item conversion.
    return frozenset(sparse.indices) if sparse is not None else frozenset()


def can_run(spec: QuerySpec) -> bool:
    """A lexical query with no known terms (only stop words) matches nothing."""
    if spec.mode == "dense":
        return spec.dense is not None
    return spec.sparse is not None and bool(spec.sparse[0])

def open_store(settings: Settings) -> VectorStore:
    """The store ``settings`` name: qdrant-client for a URL (or ``:memory:``/local path
    given as ``qdrant_url``), otherwise qdrant-edge under ``settings.index_dir``."""
    from regionplans.index.store_client import ClientStore
    from regionplans.index.store_edge import EdgeStore

    url = settings.qdrant_url
    if not url:
        return EdgeStore(settings.index_dir / "edge")
    if url.startswith("local:"):
        url = url[len("local:") :]
    if not url:
        raise ConfigError("qdrant url 'local:' needs a path, e.g. local:./data/qdrant")
    return ClientStore(
        url,
        collection=settings.collection,
        api_key=settings.qdrant_api_key,
        shard_number=settings.qdrant_shards,
        replication_factor=settings.qdrant_replication,
    )

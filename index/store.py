"""One vector-store interface over two Qdrant backends.

- :class:`EdgeStore`: qdrant-edge, the Qdrant engine in-process, data under
  ``settings.index_dir/edge`` (the default).
- :class:`ClientStore`: qdrant-client, a Qdrant server or cluster by URL (API key
  from ``QDRANT_API_KEY``), or its in-process local mode (``":memory:"`` or a path).

Both use the same layout: a named dense vector ``dense`` (cosine), a named sparse
vector ``bm25`` with the IDF modifier, payload indexes on the filter fields. Both
write in *generations*: a build writes a new generation (a new shard directory, or a
new collection) and then switches a pointer atomically (``os.replace`` of a pointer
file, or a collection alias), so readers see the old or the new index, never a mix,
and a killed build leaves the previous generation in place.

Readers pin one generation: :meth:`VectorStore.snapshot` returns a
:class:`StoreSnapshot` whose queries, counts and metadata all come from that
generation until it is closed, whatever builds switch meanwhile. A qdrant-edge reader
loads a private *view* of a committed generation (its segment files hard-linked, not
copied, under ``readers/``), so readers never write into a generation, any number of
processes (the app, a command-line search, the evaluation) read one index at once,
and a view keeps working after a later build removes its generation. Within a
process, one view per generation is shared by every snapshot of it.

qdrant-edge shards are created without a write-ahead log: a generation is durable
when its build flushes it and only then becomes visible, and a build that dies
before that is thrown away, so a WAL would add nothing but a lock and 64 MB of files.

A store runs dense and lexical queries; the searcher fuses the two lists itself
(``index.search.fuse``) so that equal scores are ordered alike in every run.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import shutil
import tempfile
import threading
import uuid
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from regionplans.config import Settings
from regionplans.errors import ConfigError, IndexError_, storage_message
from regionplans.ingest.store import write_atomic
from regionplans.records import SearchFilters

DENSE = "dense"
SPARSE = "bm25"
KEYWORD_FIELDS = ("regions", "publisher", "doc_type", "language", "doc_id")
INTEGER_FIELDS = ("year", "date_num")
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

    def begin(self, dim: int, *, fresh: bool) -> StoreWriter:
        """Start a new generation: a copy of the live one, or empty when ``fresh``."""
        ...

    def snapshot(self, generation: str | None = None) -> StoreSnapshot:
        """Pin ``generation`` (the live one by default) for reading.

        Raises :class:`~regionplans.errors.IndexError_` when there is no index or the
        generation is gone (a build removed it; pin the live one again)."""
        ...

    def close(self) -> None: ...


# --------------------------------------------------------------------------- filters
def _conditions(filters: SearchFilters) -> list[tuple[str, str, Any]]:
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


# --------------------------------------------------------------------------- edge
def _storage_error(action: str, path: Path, exc: BaseException) -> IndexError_:
    return IndexError_(storage_message(action, path, exc))


class _EdgeWriter:
    def __init__(self, store: EdgeStore, gen_dir: Path) -> None:
        from qdrant_edge import EdgeShard

        self.store = store
        self.gen_dir = gen_dir
        self.shard = EdgeShard.load(str(gen_dir / "shard"))

    def upsert(self, points: Sequence[StoredPoint]) -> None:
        from qdrant_edge import Point, SparseVector, UpdateOperation

        if not points:
            return
        self.shard.update(
            UpdateOperation.upsert_points(
                [
                    Point(
                        p.id,
                        {DENSE: p.dense.tolist(), SPARSE: SparseVector(p.sparse[0], p.sparse[1])},
                        p.payload,
                    )
                    for p in points
                ]
            )
        )

    def delete_docs(self, doc_ids: Sequence[str]) -> None:
        from qdrant_edge import FieldCondition, Filter, MatchAny, UpdateOperation

        if doc_ids:
            cond = FieldCondition("doc_id", match=MatchAny(list(doc_ids)))
            self.shard.update(UpdateOperation.delete_points_by_filter(Filter(must=[cond])))

    def commit(self, meta: dict[str, Any]) -> None:
        self.shard.optimize()
        self.shard.flush()
        self.shard.close()
        try:
            write_atomic(self.gen_dir / "meta.json", json.dumps(meta))
            self.store._switch(self.gen_dir.name)
        except OSError as exc:
            raise _storage_error("commit the index generation", self.gen_dir, exc) from exc

    def abort(self) -> None:
        try:
            self.shard.close()
        finally:
            shutil.rmtree(self.gen_dir, ignore_errors=True)


def copy_sparse(src: str, dst: str) -> None:
    """Copy a file with its holes kept: qdrant preallocates its storage files (32 MB
    mostly empty pages), so a plain copy writes ~100x the bytes the data needs."""
    with open(src, "rb") as fin, open(dst, "wb") as fout:
        size = os.fstat(fin.fileno()).st_size
        pos = 0
        while pos < size:
            try:
                start = os.lseek(fin.fileno(), pos, os.SEEK_DATA)
            except OSError:  # ENXIO: nothing but a hole up to the end
                break
            end = os.lseek(fin.fileno(), start, os.SEEK_HOLE)
            fin.seek(start)
            fout.seek(start)
            left = end - start
            while left > 0:
                block = fin.read(min(left, 1 << 20))
                if not block:
                    break
                fout.write(block)
                left -= len(block)
            pos = end
        fout.truncate(size)
    shutil.copystat(src, dst)


def _link_or_copy(src: str, dst: str) -> None:
    """Hard-link a segment file into a view; copy where links are impossible."""
    try:
        os.link(src, dst)
    except OSError:
        copy_sparse(src, dst)


def pid_alive(pid: int) -> bool:
    """Whether a process with this id runs (one we may not signal counts as running)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class _ShardView:
    """A committed generation loaded for reading through a private view directory.

    ``readers/<gen>.<pid>.<random>/`` holds the generation's segment files
    hard-linked (shared on disk, never copied) and its config. Loading and closing a
    shard rewrites some state files; in a view that touches only the view, and the
    generation's bytes stay as they were (tested). Links keep the files alive after a
    build removes the generation. The view is removed on close; views of processes
    that died are swept by the next reader or build.
    """

    def __init__(self, gen_dir: Path, readers: Path) -> None:
        self.key = str(gen_dir.resolve())
        self.refs = 0
        source = gen_dir / "shard"
        if not (source / "segments").is_dir():
            raise IndexError_(f"index generation {gen_dir} is gone or incomplete")
        prefix = f"{gen_dir.name}.{os.getpid()}."
        error: BaseException | None = None
        # In the data directory (links); where that is read-only or full, in the temp
        # folder (links where it is the same file system, copies where not).
        for place in (readers, None):
            free = shutil.disk_usage(place.parent if place is not None else tempfile.gettempdir()).free
            if free < VIEW_MIN_FREE:
                # qdrant-edge writes small state files through mmap when it loads a shard;
                # on a full disk that ends the process (SIGBUS) instead of raising.
                where = place or tempfile.gettempdir()
                error = OSError(28, f"only {free} bytes free for a reader view in {where}")
                continue
            try:
                if place is not None:
                    place.mkdir(exist_ok=True)
                    _sweep_views(place)
                    self.view = Path(tempfile.mkdtemp(prefix=prefix, dir=place))
                else:
                    self.view = Path(tempfile.mkdtemp(prefix=f"regionplans-{prefix}"))
            except OSError as exc:
                error = exc
                continue
            try:
                self.shard = self._load(source)
                return
            except FileNotFoundError as exc:
                shutil.rmtree(self.view, ignore_errors=True)
                raise IndexError_(f"index generation {gen_dir} is gone or incomplete") from exc
            except Exception as exc:  # noqa: BLE001 - full or read-only: try the next place
                shutil.rmtree(self.view, ignore_errors=True)
                error = exc
        assert error is not None
        raise _storage_error("open a reader view of", gen_dir, error) from error

    def _load(self, source: Path) -> Any:
        from qdrant_edge import EdgeShard

        shutil.copytree(source / "segments", self.view / "segments", copy_function=_link_or_copy)
        _link_or_copy(str(source / "edge_config.json"), str(self.view / "edge_config.json"))
        return EdgeShard.load(str(self.view))

    def close(self) -> None:
        try:
            self.shard.close()
        finally:
            shutil.rmtree(self.view, ignore_errors=True)


# Free space a reader view needs before it is loaded (its new files are a few KiB).
VIEW_MIN_FREE = 16 << 20
# Free space a build needs beyond the apparent size of the generation it copies.
BUILD_MIN_FREE = 64 << 20


def _sweep_views(readers: Path) -> None:
    """Remove views left by reader processes that no longer run."""
    for view in readers.glob("gen-*.*.*"):
        try:
            pid = int(view.name.split(".")[1])
        except (IndexError, ValueError):
            continue
        if not pid_alive(pid):
            shutil.rmtree(view, ignore_errors=True)


# One view per generation per process, shared by every snapshot of it.
_VIEWS: dict[str, _ShardView] = {}
_VIEWS_LOCK = threading.Lock()


def _acquire_view(gen_dir: Path) -> _ShardView:
    key = str(gen_dir.resolve())
    with _VIEWS_LOCK:
        view = _VIEWS.get(key)
        if view is None:
            view = _ShardView(gen_dir, gen_dir.parent / "readers")
            _VIEWS[key] = view
        view.refs += 1
        return view


@atexit.register
def _close_views() -> None:
    """A process that ends without closing its searchers still removes its views."""
    with _VIEWS_LOCK:
        left = list(_VIEWS.values())
        _VIEWS.clear()
    for view in left:
        with contextlib.suppress(Exception):
            view.close()


def _release_view(view: _ShardView) -> None:
    with _VIEWS_LOCK:
        view.refs -= 1
        if view.refs > 0:
            return
        _VIEWS.pop(view.key, None)
    view.close()


class _EdgeSnapshot:
    """A pinned qdrant-edge generation (see :class:`_ShardView`)."""

    def __init__(self, generation: str, meta: dict[str, Any], view: _ShardView) -> None:
        self.generation = generation
        self.meta = meta
        self._view: _ShardView | None = view
        self._lock = threading.Lock()

    def _shard(self) -> Any:
        view = self._view
        if view is None:
            raise IndexError_(f"index snapshot {self.generation} is closed")
        return view.shard

    def query_batch(self, specs: Sequence[QuerySpec]) -> list[list[ScoredPayload]]:
        from qdrant_edge import QueryBatchRequest

        runnable = [i for i, s in enumerate(specs) if _runnable(s)]
        out: list[list[ScoredPayload]] = [[] for _ in specs]
        if not runnable:
            return out
        requests = [_edge_request(specs[i]) for i in runnable]
        results = self._shard().query_batch(QueryBatchRequest(requests))
        for i, points in zip(runnable, results, strict=True):
            out[i] = [
                ScoredPayload(str(p.id), float(p.score), dict(p.payload or {}), _terms(p.vector))
                for p in points
            ]
        return out

    def count(self, filters: SearchFilters = NO_FILTERS) -> int:
        from qdrant_edge import CountRequest

        request = CountRequest(exact=True, filter=_edge_filter(filters))
        return int(self._shard().count(request))

    def retrieve(self, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        if not ids:
            return {}
        records = self._shard().retrieve(list(ids), True, False)
        return {str(r.id): dict(r.payload or {}) for r in records}

    def close(self) -> None:
        with self._lock:
            view, self._view = self._view, None
        if view is not None:
            _release_view(view)


def _edge_filter(filters: SearchFilters) -> Any:
    from qdrant_edge import FieldCondition, Filter, MatchAny, RangeFloat

    must: list[Any] = []
    for name, kind, value in _conditions(filters):
        if kind == "any":
            must.append(FieldCondition(name, match=MatchAny(value)))
        else:
            low, high = value
            must.append(FieldCondition(name, range=RangeFloat(gte=low, lte=high)))
    return Filter(must=must) if must else None


def _edge_request(spec: QuerySpec) -> Any:
    from qdrant_edge import Query, QueryRequest, SparseVector

    if spec.mode == "dense":
        assert spec.dense is not None  # _runnable
        query = Query.Nearest(spec.dense.tolist(), using=DENSE)
    else:
        assert spec.sparse is not None
        query = Query.Nearest(SparseVector(spec.sparse[0], spec.sparse[1]), using=SPARSE)
    return QueryRequest(
        limit=spec.limit, query=query, filter=_edge_filter(spec.filters),
        with_payload=_payload_fields(spec), with_vector=[SPARSE] if spec.with_terms else None,
    )  # fmt: skip


def _payload_fields(spec: QuerySpec) -> bool | list[str]:
    return list(spec.with_payload) if isinstance(spec.with_payload, tuple) else spec.with_payload


def _terms(vectors: Any) -> frozenset[int]:
    """The BM25 term ids of a returned point's vectors (none unless asked for)."""
    sparse = vectors.get(SPARSE) if isinstance(vectors, dict) else None
    return frozenset(int(i) for i in sparse.indices) if sparse is not None else frozenset()


class EdgeStore:
    """qdrant-edge under ``root``: ``gen-NNNNNN/`` directories, a ``CURRENT`` pointer
    and ``readers/`` (the reader views)."""

    backend = "edge"

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    # -- generations -----------------------------------------------------------
    def _current_name(self) -> str | None:
        try:
            name = (self.root / "CURRENT").read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return None
        return name if (self.root / name / "meta.json").exists() else None

    def _switch(self, name: str) -> None:
        tmp = self.root / "CURRENT.tmp"
        tmp.write_text(name, encoding="utf-8")
        os.replace(tmp, self.root / "CURRENT")
        self._cleanup(keep={name})

    def _cleanup(self, keep: set[str]) -> None:
        """Remove generations other than the live one and the one before it.

        Readers never depend on a generation's directory once their view is loaded
        (the view holds hard links), so older generations can go at once; the one
        before stays for readers that are just pinning it.
        """
        gens = sorted(p.name for p in self.root.glob("gen-*"))
        live = sorted(g for g in gens if (self.root / g / "meta.json").exists())
        keep = set(keep) | set(live[-2:])
        for gen in gens:
            if gen not in keep:
                shutil.rmtree(self.root / gen, ignore_errors=True)
        if (self.root / "readers").is_dir():
            _sweep_views(self.root / "readers")

    def generation(self) -> str | None:
        return self._current_name()

    def _read_meta(self, name: str) -> dict[str, Any]:
        try:
            data: dict[str, Any] = json.loads(
                (self.root / name / "meta.json").read_text(encoding="utf-8")
            )
        except FileNotFoundError as exc:
            raise IndexError_(f"index generation {self.root / name} is gone") from exc
        return data

    def meta(self) -> dict[str, Any] | None:
        name = self._current_name()
        return None if name is None else self._read_meta(name)

    def begin(self, dim: int, *, fresh: bool) -> StoreWriter:
        try:
            self._check_space(fresh=fresh)
            return self._begin(dim, fresh=fresh)
        except OSError as exc:
            raise _storage_error("write a new index generation under", self.root, exc) from exc

    def _check_space(self, *, fresh: bool) -> None:
        """Refuse a build the disk cannot hold, before it starts.

        qdrant-edge preallocates its storage files sparsely and writes them through
        mmap; a write into a hole on a full disk ends the process with SIGBUS instead
        of raising. The new generation may fill the files it copies up to their
        apparent size, so that much plus a margin must be free.
        """
        current = None if fresh else self._current_name()
        needed = BUILD_MIN_FREE
        if current is not None:
            needed += sum(
                p.stat().st_size for p in (self.root / current / "shard").rglob("*") if p.is_file()
            )
        self.root.mkdir(parents=True, exist_ok=True)
        free = shutil.disk_usage(self.root).free
        if free < needed:
            raise IndexError_(
                f"not enough free disk space to build the index under {self.root}: "
                f"{free / 2**20:.0f} MiB free, about {needed / 2**20:.0f} MiB needed; the previous "
                "index is untouched (free disk space, then run again)"
            )

    def _begin(self, dim: int, *, fresh: bool) -> StoreWriter:
        from qdrant_edge import (
            Distance,
            EdgeConfig,
            EdgeShard,
            EdgeSparseVectorParams,
            EdgeVectorParams,
            Modifier,
            PayloadSchemaType,
            UpdateOperation,
        )

        self.root.mkdir(parents=True, exist_ok=True)
        gens = sorted(p.name for p in self.root.glob("gen-*"))
        number = int(gens[-1].split("-")[1]) + 1 if gens else 1
        gen_dir = self.root / f"gen-{number:06d}"
        current = self._current_name()
        try:
            if not fresh and current is not None:
                shutil.copytree(
                    self.root / current / "shard", gen_dir / "shard", copy_function=copy_sparse
                )
            else:
                gen_dir.mkdir(parents=True)
                config = EdgeConfig(
                    vectors={DENSE: EdgeVectorParams(size=dim, distance=Distance.Cosine)},
                    sparse_vectors={SPARSE: EdgeSparseVectorParams(modifier=Modifier.Idf)},
                    wal_enabled=False,  # see the module docstring
                )
                shard = EdgeShard.create(str(gen_dir / "shard"), config)
                for name in KEYWORD_FIELDS:
                    shard.update(UpdateOperation.create_field_index(name, PayloadSchemaType.Keyword))
                for name in INTEGER_FIELDS:
                    shard.update(UpdateOperation.create_field_index(name, PayloadSchemaType.Integer))
                shard.flush()
                shard.close()
            return _EdgeWriter(self, gen_dir)
        except BaseException:
            shutil.rmtree(gen_dir, ignore_errors=True)
            raise

    # -- reading ---------------------------------------------------------------
    def snapshot(self, generation: str | None = None) -> StoreSnapshot:
        name = generation or self._current_name()
        if name is None:
            raise IndexError_(f"no index under {self.root}; run `regionplans index` first")
        meta = self._read_meta(name)
        return _EdgeSnapshot(name, meta, _acquire_view(self.root / name))

    def close(self) -> None:
        """Nothing to release: snapshots own their views."""


def _runnable(spec: QuerySpec) -> bool:
    """A lexical query with no known terms (only stop words) matches nothing."""
    if spec.mode == "dense":
        return spec.dense is not None
    return spec.sparse is not None and bool(spec.sparse[0])


# --------------------------------------------------------------------------- client
_LOCAL_CLIENTS: dict[str, Any] = {}


def _client_for(url: str, api_key: str | None) -> Any:
    """A qdrant-client; local-mode clients are shared per location (one per process).
    A server's client reports a lost connection as an :class:`IndexError_` naming the URL."""
    from qdrant_client import QdrantClient

    if url == ":memory:" or not url.startswith(("http://", "https://")):
        if url not in _LOCAL_CLIENTS:
            _LOCAL_CLIENTS[url] = (
                QdrantClient(location=":memory:") if url == ":memory:" else QdrantClient(path=url)
            )
        return _LOCAL_CLIENTS[url]
    return _ServerClient(QdrantClient(url=url, api_key=api_key, timeout=60), url)


def server_error(url: str, exc: BaseException) -> IndexError_ | None:
    """The one-line error for a failed call to the Qdrant server at ``url``, when ``exc``
    is a connection or authorisation failure (None for other errors)."""
    from qdrant_client.http.exceptions import ResponseHandlingException, UnexpectedResponse

    reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if isinstance(exc, UnexpectedResponse) and exc.status_code in (401, 403):
        return IndexError_(
            f"the Qdrant server at {url} refused the API key ({exc.status_code}); "
            "set QDRANT_API_KEY to a key of that server"
        )
    if isinstance(exc, ResponseHandlingException | ConnectionError | TimeoutError) or (
        type(exc).__module__.startswith(("httpx", "httpcore", "grpc"))
    ):
        return IndexError_(
            f"cannot reach the Qdrant server at {url} ({reason}); start the server or correct "
            "--qdrant-url/QDRANT_URL, or unset QDRANT_URL to use the embedded engine"
        )
    return None


class _ServerClient:
    """A qdrant-client for a server whose connection failures are :class:`IndexError_`s
    naming the URL and the fix (qdrant-client raises them as long tracebacks that never
    name the server)."""

    def __init__(self, client: Any, url: str) -> None:
        self._client = client
        self._url = url

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._client, name)
        if not callable(attr):
            return attr

        def call(*args: Any, **kwargs: Any) -> Any:
            try:
                return attr(*args, **kwargs)
            except Exception as exc:
                wrapped = server_error(self._url, exc)
                if wrapped is None:
                    raise
                raise wrapped from None

        return call


class _ClientWriter:
    def __init__(self, store: ClientStore, name: str) -> None:
        self.store = store
        self.name = name

    def upsert(self, points: Sequence[StoredPoint]) -> None:
        from qdrant_client import models

        if points:
            self.store.client.upsert(
                self.name,
                points=[
                    models.PointStruct(
                        id=p.id,
                        vector={
                            DENSE: p.dense.tolist(),
                            SPARSE: models.SparseVector(indices=p.sparse[0], values=p.sparse[1]),
                        },
                        payload=p.payload,
                    )
                    for p in points
                ],
                wait=True,
            )

    def delete_docs(self, doc_ids: Sequence[str]) -> None:
        from qdrant_client import models

        if doc_ids:
            flt = models.Filter(
                must=[models.FieldCondition(key="doc_id", match=models.MatchAny(any=list(doc_ids)))]
            )
            self.store.client.delete(
                self.name, points_selector=models.FilterSelector(filter=flt), wait=True
            )

    def commit(self, meta: dict[str, Any]) -> None:
        self.store.client.update_collection(self.name, metadata={"regionplans": json.dumps(meta)})
        self.store._switch(self.name)

    def abort(self) -> None:
        self.store.client.delete_collection(self.name)


class ClientStore:
    """qdrant-client: collections ``<name>-gNNNNNN`` behind the alias ``<name>``."""

    backend = "client"

    def __init__(
        self,
        url: str,
        *,
        collection: str = "regionplans",
        api_key: str | None = None,
        shard_number: int | None = None,
        replication_factor: int | None = None,
    ) -> None:
        self.url = url
        self.api_key = api_key
        self.collection = collection
        self.shard_number = shard_number
        self.replication_factor = replication_factor
        self._client: Any = None

    @property
    def client(self) -> Any:
        if self._client is None:
            self._client = _client_for(self.url, self.api_key)
        return self._client

    def _current_name(self) -> str | None:
        for alias in self.client.get_aliases().aliases:
            if alias.alias_name == self.collection:
                return str(alias.collection_name)
        return None

    def _generations(self) -> list[str]:
        prefix = f"{self.collection}-g"
        return sorted(
            c.name for c in self.client.get_collections().collections if c.name.startswith(prefix)
        )

    def _switch(self, name: str) -> None:
        from qdrant_client import models

        old = self._current_name()
        actions: list[Any] = []
        if old is not None:
            actions.append(
                models.DeleteAliasOperation(
                    delete_alias=models.DeleteAlias(alias_name=self.collection)
                )
            )
        actions.append(
            models.CreateAliasOperation(
                create_alias=models.CreateAlias(collection_name=name, alias_name=self.collection)
            )
        )
        self.client.update_collection_aliases(change_aliases_operations=actions)
        # Keep the previous generation for readers that still use it; drop older ones.
        for gen in self._generations():
            if gen not in (name, old):
                self.client.delete_collection(gen)

    def generation(self) -> str | None:
        return self._current_name()

    def _collection_meta(self, name: str) -> dict[str, Any] | None:
        try:
            info = self.client.get_collection(name)
        except IndexError_:
            raise
        except Exception as exc:  # noqa: BLE001 - qdrant-client raises several kinds for "missing"
            raise IndexError_(f"index generation {name!r} at {self.url} is gone ({exc})") from exc
        raw = (getattr(info.config, "metadata", None) or {}).get("regionplans")
        return json.loads(raw) if raw else None

    def meta(self) -> dict[str, Any] | None:
        name = self._current_name()
        return None if name is None else self._collection_meta(name)

    def begin(self, dim: int, *, fresh: bool) -> StoreWriter:
        from qdrant_client import models

        gens = self._generations()
        number = int(gens[-1].rsplit("-g", 1)[1]) + 1 if gens else 1
        name = f"{self.collection}-g{number:06d}"
        kwargs: dict[str, Any] = {}
        if self.shard_number:
            kwargs["shard_number"] = self.shard_number
        if self.replication_factor:
            kwargs["replication_factor"] = self.replication_factor
        self.client.create_collection(
            name,
            vectors_config={DENSE: models.VectorParams(size=dim, distance=models.Distance.COSINE)},
            sparse_vectors_config={SPARSE: models.SparseVectorParams(modifier=models.Modifier.IDF)},
            **kwargs,
        )
        with warnings.catch_warnings():
            # Local mode ignores payload indexes (and says so); a server uses them.
            warnings.simplefilter("ignore", UserWarning)
            for fld in KEYWORD_FIELDS:
                self.client.create_payload_index(name, fld, models.PayloadSchemaType.KEYWORD)
            for fld in INTEGER_FIELDS:
                self.client.create_payload_index(name, fld, models.PayloadSchemaType.INTEGER)
        current = self._current_name()
        if not fresh and current is not None:
            # Copy the live generation's points (vectors included): nothing is re-embedded.
            offset = None
            while True:
                records, offset = self.client.scroll(
                    current, limit=512, offset=offset, with_payload=True, with_vectors=True
                )
                if records:
                    self.client.upsert(
                        name,
                        points=[
                            models.PointStruct(id=r.id, vector=r.vector, payload=r.payload)
                            for r in records
                        ],
                        wait=True,
                    )
                if offset is None:
                    break
        return _ClientWriter(self, name)

    @staticmethod
    def _filter(filters: SearchFilters) -> Any:
        from qdrant_client import models

        must: list[Any] = []
        for name, kind, value in _conditions(filters):
            if kind == "any":
                must.append(models.FieldCondition(key=name, match=models.MatchAny(any=value)))
            else:
                low, high = value
                must.append(models.FieldCondition(key=name, range=models.Range(gte=low, lte=high)))
        return models.Filter(must=must) if must else None

    def _request(self, spec: QuerySpec) -> Any:
        from qdrant_client import models

        flt = self._filter(spec.filters)
        sparse = (
            models.SparseVector(indices=spec.sparse[0], values=spec.sparse[1])
            if spec.sparse is not None
            else None
        )
        dense = spec.dense.tolist() if spec.dense is not None else None
        with_vector = [SPARSE] if spec.with_terms else False
        if spec.mode == "dense":
            return models.QueryRequest(
                query=dense, using=DENSE, filter=flt, limit=spec.limit,
                with_payload=_payload_fields(spec), with_vector=with_vector,
            )  # fmt: skip
        return models.QueryRequest(
            query=sparse, using=SPARSE, filter=flt, limit=spec.limit,
            with_payload=_payload_fields(spec), with_vector=with_vector,
        )  # fmt: skip

    def snapshot(self, generation: str | None = None) -> StoreSnapshot:
        name = generation or self._current_name()
        if name is None:
            raise IndexError_(
                f"no collection {self.collection!r} at {self.url}; run `regionplans index` first"
            )
        meta = self._collection_meta(name)
        if meta is None:
            raise IndexError_(f"collection {name!r} at {self.url} is no regionplans index")
        return _ClientSnapshot(self, name, meta)

    def close(self) -> None:
        # Local-mode clients are shared per location; only remote clients are closed.
        if self._client is not None and self.url.startswith(("http://", "https://")):
            self._client.close()
        self._client = None


class _ClientSnapshot:
    """A pinned generation on qdrant-client: queries name the generation's collection,
    not the alias, so a build switching the alias does not change what is read. A
    build removes the generation before the previous one; a snapshot older than that
    fails with a clear error and the searcher pins the live generation again."""

    def __init__(self, store: ClientStore, generation: str, meta: dict[str, Any]) -> None:
        self.store = store
        self.generation = generation
        self.meta = meta

    def query_batch(self, specs: Sequence[QuerySpec]) -> list[list[ScoredPayload]]:
        runnable = [i for i, s in enumerate(specs) if _runnable(s)]
        out: list[list[ScoredPayload]] = [[] for _ in specs]
        if not runnable:
            return out
        requests = [self.store._request(specs[i]) for i in runnable]
        try:
            responses = self.store.client.query_batch_points(self.generation, requests=requests)
        except IndexError_:
            raise
        except Exception as exc:  # noqa: BLE001 - a removed collection, a lost server
            raise IndexError_(f"cannot query {self.generation!r} at {self.store.url}: {exc}") from exc
        for i, response in zip(runnable, responses, strict=True):
            out[i] = [
                ScoredPayload(str(p.id), float(p.score), dict(p.payload or {}), _terms(p.vector))
                for p in response.points
            ]
        return out

    def count(self, filters: SearchFilters = NO_FILTERS) -> int:
        flt = self.store._filter(filters)
        try:
            return int(self.store.client.count(self.generation, count_filter=flt, exact=True).count)
        except IndexError_:
            raise
        except Exception as exc:  # noqa: BLE001
            raise IndexError_(f"cannot count {self.generation!r} at {self.store.url}: {exc}") from exc

    def retrieve(self, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        if not ids:
            return {}
        try:
            records = self.store.client.retrieve(self.generation, ids=list(ids), with_payload=True)
        except IndexError_:
            raise
        except Exception as exc:  # noqa: BLE001
            raise IndexError_(f"cannot read {self.generation!r} at {self.store.url}: {exc}") from exc
        return {str(r.id): dict(r.payload or {}) for r in records}

    def close(self) -> None:
        """Nothing to release: the client belongs to the store."""


def open_store(settings: Settings) -> VectorStore:
    """The store ``settings`` name: qdrant-client for a URL (or ``:memory:``/local path
    given as ``qdrant_url``), otherwise qdrant-edge under ``settings.index_dir``."""
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

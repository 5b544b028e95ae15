"""Reader views of qdrant-edge generations, and the pinned snapshots that read them.

A qdrant-edge reader loads a private *view* of a committed generation (its segment
files hard-linked, not copied, under ``readers/``), so readers never write into a
generation, any number of processes (the app, a command-line search, the evaluation)
read one index at once, and a view keeps working after a later build removes its
generation. Within a process, one view per generation is shared by every snapshot of it.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from regionplans.errors import IndexError_, storage_message
from regionplans.index.store import (
    DENSE,
    NO_FILTERS,
    SPARSE,
    QuerySpec,
    ScoredPayload,
    can_run,
    close_all,
    conditions,
    payload_fields,
    sparse_terms,
)
from regionplans.records import SearchFilters


def storage_error(action: str, path: Path, exc: BaseException) -> IndexError_:
    return IndexError_(storage_message(action, path, exc))


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
                    sweep_views(place)
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
        raise storage_error("open a reader view of", gen_dir, error) from error

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


def sweep_views(readers: Path) -> None:
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


def acquire_view(gen_dir: Path) -> _ShardView:
    key = str(gen_dir.resolve())
    with _VIEWS_LOCK:
        view = _VIEWS.get(key)
        if view is None:
            view = _ShardView(gen_dir, gen_dir.parent / "readers")
            _VIEWS[key] = view
        view.refs += 1
        return view


# A process that ends without closing its searchers still removes its views.
atexit.register(close_all, _VIEWS, _VIEWS_LOCK)


def _release_view(view: _ShardView) -> None:
    with _VIEWS_LOCK:
        view.refs -= 1
        if view.refs > 0:
            return
        _VIEWS.pop(view.key, None)
    view.close()


class EdgeSnapshot:
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

        runnable = [i for i, s in enumerate(specs) if can_run(s)]
        out: list[list[ScoredPayload]] = [[] for _ in specs]
        if not runnable:
            return out
        requests = [_edge_request(specs[i]) for i in runnable]
        results = self._shard().query_batch(QueryBatchRequest(requests))
        for i, points in zip(runnable, results, strict=True):
            out[i] = [
                ScoredPayload(str(p.id), float(p.score), dict(p.payload or {}), sparse_terms(p.vector))
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
    for name, kind, value in conditions(filters):
        if kind == "any":
            must.append(FieldCondition(name, match=MatchAny(value)))
        else:
            low, high = value
            must.append(FieldCondition(name, range=RangeFloat(gte=low, lte=high)))
    return Filter(must=must) if must else None


def _edge_request(spec: QuerySpec) -> Any:
    from qdrant_edge import Query, QueryRequest, SparseVector

    if spec.mode == "dense":
        assert spec.dense is not None  # can_run
        query = Query.Nearest(spec.dense.tolist(), using=DENSE)
    else:
        assert spec.sparse is not None
        query = Query.Nearest(SparseVector(spec.sparse[0], spec.sparse[1]), using=SPARSE)
    return QueryRequest(
        limit=spec.limit, query=query, filter=_edge_filter(spec.filters),
        with_payload=payload_fields(spec), with_vector=[SPARSE] if spec.with_terms else None,
    )  # fmt: skip

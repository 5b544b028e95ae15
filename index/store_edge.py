"""The qdrant-edge store: the Qdrant engine in-process, one shard directory per generation.

qdrant-edge shards are created without a write-ahead log: a generation is durable
when its build flushes it and only then becomes visible, and a build that dies
before that is thrown away, so a WAL would add nothing but a lock and 64 MB of files.
Readers read through views (:mod:`regionplans.index.store_views`).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from collections.abc import Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from regionplans.errors import IndexError_
from regionplans.index.store import (
    DENSE,
    INTEGER_FIELDS,
    KEYWORD_FIELDS,
    SPARSE,
    SPARSE_FULL_SCAN,
    StoredPoint,
    StoreSnapshot,
    StoreWriter,
)
from regionplans.index.store_views import (
    EdgeSnapshot,
    acquire_view,
    copy_sparse,
    storage_error,
    sweep_views,
)
from regionplans.ingest.store import write_atomic

# Free space a build needs beyond the apparent size of the generation it copies.
BUILD_MIN_FREE = 64 << 20


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

    def update_sparse(self, vectors: Sequence[tuple[str, tuple[list[int], list[float]]]]) -> None:
        from qdrant_edge import PointVectors, SparseVector, UpdateOperation

        if vectors:
            self.shard.update(
                UpdateOperation.update_vectors(
                    [PointVectors(i, {SPARSE: SparseVector(v[0], v[1])}) for i, v in vectors]
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
            raise storage_error("commit the index generation", self.gen_dir, exc) from exc

    def abort(self) -> None:
        try:
            self.shard.close()
        finally:
            shutil.rmtree(self.gen_dir, ignore_errors=True)


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
            sweep_views(self.root / "readers")

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

    def build_lock(self) -> AbstractContextManager[None]:
        """Nothing to hold here: the build's lock on the data directory covers the
        store under it (:func:`regionplans.index.build.index_documents`)."""
        return contextlib.nullcontext()

    def begin(self, dim: int, *, fresh: bool) -> StoreWriter:
        try:
            self._check_space(fresh=fresh)
            return self._begin(dim, fresh=fresh)
        except OSError as exc:
            raise storage_error("write a new index generation under", self.root, exc) from exc

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
                    sparse_vectors={SPARSE: EdgeSparseVectorParams(modifier=Modifier.Idf,
                                                                   full_scan_threshold=SPARSE_FULL_SCAN)},
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
        return EdgeSnapshot(name, meta, acquire_view(self.root / name))

    def close(self) -> None:
        """Nothing to release: snapshots own their views."""


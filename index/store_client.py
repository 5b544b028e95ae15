"""The qdrant-client store: a Qdrant server or cluster by URL, or qdrant-client's local mode.

Each generation is a collection ``<name>-g<number>``; the alias ``<name>`` names the
live one. A build holds a lease lock in the server itself
(:mod:`regionplans.index.store_lock`), so builders on several machines take turns.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import threading
import warnings
from collections.abc import Iterator, Sequence
from typing import Any

from regionplans.errors import IndexError_
from regionplans.index.store import (
    DENSE,
    INTEGER_FIELDS,
    KEYWORD_FIELDS,
    NO_FILTERS,
    SPARSE,
    SPARSE_FULL_SCAN,
    QuerySpec,
    ScoredPayload,
    StoredPoint,
    StoreSnapshot,
    StoreWriter,
    can_run,
    close_all,
    conditions,
    payload_fields,
    sparse_terms,
)
from regionplans.index.store_lock import LEASE_SECONDS, WAIT_SECONDS, LeaseLock
from regionplans.records import SearchFilters

_LOCAL_CLIENTS: dict[str, Any] = {}
_LOCAL_LOCK = threading.Lock()


def _client_for(url: str, api_key: str | None) -> Any:
    """A qdrant-client; local-mode clients are shared per location (one per process).
    A server's client reports a lost connection as an :class:`IndexError_` naming the URL."""
    from qdrant_client import QdrantClient

    if url == ":memory:" or not url.startswith(("http://", "https://")):
        with _LOCAL_LOCK:
            if url not in _LOCAL_CLIENTS:
                _LOCAL_CLIENTS[url] = _LocalClient(
                    QdrantClient(location=":memory:") if url == ":memory:" else QdrantClient(path=url)
                )
            return _LOCAL_CLIENTS[url]
    return _ServerClient(QdrantClient(url=url, api_key=api_key, timeout=60), url)


# The shared local-mode clients closed while the interpreter still can: left to the
# garbage collector at exit, each printed a traceback ("sys.meta_path is None").
atexit.register(close_all, _LOCAL_CLIENTS, _LOCAL_LOCK)


class _LocalClient:
    """A local-mode qdrant-client whose calls run one at a time, as a server applies
    them: local mode has no locks of its own, and the threads of a process share it."""

    def __init__(self, client: Any) -> None:
        self._client = client
        self._lock = threading.RLock()

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._client, name)
        if not callable(attr):
            return attr

        def call(*args: Any, **kwargs: Any) -> Any:
            with self._lock:
                return attr(*args, **kwargs)

        return call


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

        self.store._still_locked()
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

    def update_sparse(self, vectors: Sequence[tuple[str, tuple[list[int], list[float]]]]) -> None:
        from qdrant_client import models

        self.store._still_locked()
        if vectors:
            self.store.client.update_vectors(
                self.name,
                points=[
                    models.PointVectors(
                        id=i, vector={SPARSE: models.SparseVector(indices=v[0], values=v[1])}
                    )
                    for i, v in vectors
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
        self.store._still_locked(renew=True)
        self.store._switch(self.name)

    def abort(self) -> None:
        # Gone already when a builder that took the lock over cleaned up.
        with contextlib.suppress(Exception):
            self.store.client.delete_collection(self.name)


class ClientStore:
    """qdrant-client: collections ``<name>-gNNNNNN`` behind the alias ``<name>``, and
    the build lock in ``<name>-lock``."""

    backend = "client"

    def __init__(
        self,
        url: str,
        *,
        collection: str = "regionplans",
        api_key: str | None = None,
        shard_number: int | None = None,
        replication_factor: int | None = None,
        lock_wait: float = WAIT_SECONDS,
        lock_lease: float = LEASE_SECONDS,
    ) -> None:
        self.url = url
        self.api_key = api_key
        self.collection = collection
        self.shard_number = shard_number
        self.replication_factor = replication_factor
        self.lock_wait = lock_wait
        self.lock_lease = lock_lease
        self._client: Any = None
        self._lease: LeaseLock | None = None

    @property
    def client(self) -> Any:
        if self._client is None:
            self._client = _client_for(self.url, self.api_key)
        return self._client

    @contextlib.contextmanager
    def build_lock(self) -> Iterator[None]:
        """Hold this index's build lock, kept in Qdrant itself (builders on other
        machines wait for it), for one build: :meth:`begin` needs it."""
        lease = LeaseLock(
            self.client, self.collection, where=self.url, wait=self.lock_wait, lease=self.lock_lease
        )
        with lease:
            self._lease = lease
            try:
                yield
            finally:
                self._lease = None

    def _still_locked(self, *, renew: bool = False) -> None:
        """Raise when this build's lease was taken over (``renew``: ask the server now)."""
        if self._lease is None:
            raise IndexError_(f"an index build at {self.url} must hold the build lock (build_lock)")
        if renew or self._lease.lost:
            self._lease.check()

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
        # Under the build lock no other builder is writing one (a builder whose lease
        # ran out finds its generation gone, and its commit is refused).
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

        self._still_locked()
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
            sparse_vectors_config={SPARSE: models.SparseVectorParams(
                modifier=models.Modifier.IDF, index=models.SparseIndexParams(full_scan_threshold=SPARSE_FULL_SCAN))},
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
        for name, kind, value in conditions(filters):
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
                with_payload=payload_fields(spec), with_vector=with_vector,
            )  # fmt: skip
        return models.QueryRequest(
            query=sparse, using=SPARSE, filter=flt, limit=spec.limit,
            with_payload=payload_fields(spec), with_vector=with_vector,
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
        runnable = [i for i, s in enumerate(specs) if can_run(s)]
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
                ScoredPayload(str(p.id), float(p.score), dict(p.payload or {}), sparse_terms(p.vector))
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


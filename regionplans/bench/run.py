"""Run the selected benchmark parts over the given sizes and write the report."""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from regionplans.bench.common import run_part

# Part name → what it measures (shown by `regionplans bench --help`).
PARTS: dict[str, str] = {
    "ingest": "parse throughput by format, re-ingest, ingest at the largest size",
    "embed": "embedding engines side by side; `regionplans index` in a fresh process",
    "search": "index build, latency by mode and hybrid stages, HNSW recall@10 vs exact (generated and real vectors)",
    "compare": "the comparison table, 21 regions + national actors × 8 aspects",
    "backends": "qdrant-client local mode on the same corpus (sizes up to 10k)",
    "app": "the served app over HTTP at the largest size: latency and peak RSS",
}
BACKENDS_MAX = 10_000  # qdrant-client local mode takes seconds a query beyond this


@dataclass(frozen=True, slots=True)
class BenchReport:
    """Each part's rows, the summary, and where the report was written."""

    summary: tuple[dict[str, Any], ...]
    parts: dict[str, tuple[dict[str, Any], ...]] = field(default_factory=dict)
    markdown: Path | None = None
    plot: Path | None = None


def parse_parts(text: str) -> tuple[str, ...]:
    """``"search,compare"`` → ``("search", "compare")``; ``"all"`` → every part."""
    from regionplans.errors import ConfigError

    names = [p.strip().lower() for p in text.split(",") if p.strip()]
    if not names or names == ["all"]:
        return tuple(PARTS)
    unknown = [n for n in names if n not in PARTS]
    if unknown:
        raise ConfigError(f"unknown benchmark part {unknown[0]!r}; choose from {', '.join(PARTS)} or all")
    return tuple(p for p in PARTS if p in names)


def run_benchmarks(sizes: Sequence[int], out_dir: Path, *, parts: Sequence[str] = tuple(PARTS),
                   corpus_dir: Path = Path("corpus"), cache_dir: Path | None = None, rounds: int = 3,
                   smoke: bool = False, echo: bool = True, isolate: bool = True) -> BenchReport:  # fmt: skip
    """Measure ``parts`` at ``sizes`` (chunks); write ``out_dir/bench.md`` and ``bench.png``.

    ``smoke`` shrinks the generated file corpora and skips what loads a second engine or
    embeds for real (the embedding part and the real-vector check), so a test runs the
    pipeline in seconds. ``isolate=False`` runs the parts in this process (no per-part
    RSS). ``cache_dir`` keeps real embeddings across runs (default: a temporary one).
    """
    from regionplans.bench.report import write_report
    from regionplans.synth import load_vocabulary, write_corpus

    sizes = tuple(sorted(set(sizes)))
    corpus_dir = Path(corpus_dir).resolve()
    rows: dict[str, list[dict[str, Any]]] = {k: [] for k in (
        "parse", "incremental", "ingest_scale", "embedding", "seed_index", "vectors", "sizes", "backends", "app")}  # fmt: skip
    wall: dict[str, float] = {}
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="regionplans-bench-") as tmp:
        base = Path(tmp)
        cache = Path(cache_dir) if cache_dir else base / "cache"

        def part(name: str, **kwargs: Any) -> dict[str, Any]:
            result, secs = _run(name, isolate, kwargs)
            wall[name] = wall.get(name, 0.0) + secs
            return result

        if "ingest" in parts:
            vocab = load_vocabulary(corpus_dir)
            counts = {"txt": 10, "html": 10, "pdf": 3} if smoke else {"txt": 200, "html": 200, "pdf": 40}
            for fmt, count in counts.items():
                try:
                    write_corpus(vocab, base / f"files-{fmt}", count, fmt)
                except Exception as exc:  # noqa: BLE001 - e.g. fpdf2 missing: say so, go on
                    rows["parse"].append({"format": fmt, "error": f"not measured: {type(exc).__name__}: {exc}"})
                    continue
                row = part("parse", corpus_dir=str(base / f"files-{fmt}"), store_dir=str(base / f"store-{fmt}"), fmt=fmt)
                rows["parse"].append({"format": fmt, **row})
            rows["incremental"].append(part("incremental", corpus_dir=str(corpus_dir),
                                            store_dir=str(base / "inc-seed"), label="seed corpus"))  # fmt: skip
            if (base / "files-txt").exists():
                rows["incremental"].append(part("incremental", corpus_dir=str(base / "files-txt"),
                                                store_dir=str(base / "inc-txt"),
                                                label=f"{counts['txt']} generated plans"))  # fmt: skip
            if not smoke:
                row = part("ingest", corpus_dir=str(corpus_dir), work_dir=str(base / "ingest-scale"), chunks=max(sizes))
                rows["ingest_scale"].append({"target_chunks": max(sizes), **row})
                shutil.rmtree(base / "ingest-scale", ignore_errors=True)
        if "embed" in parts:
            if smoke:
                rows["embedding"].append({"error": "not measured: skipped in the smoke run"})
            else:
                embed = part("embed", corpus_dir=str(corpus_dir), data_dir=str(base / "seed-data"), rounds=rounds)
                if "error" in embed:
                    rows["embedding"].append(embed)
                else:
                    rows["embedding"], rows["seed_index"] = embed["engines"], embed["index"]
        if "search" in parts and not smoke:
            rows["vectors"].append(part("vectors", corpus_dir=str(corpus_dir), cache_dir=str(cache),
                                        work_dir=str(base)))  # fmt: skip
        for size in sizes:
            if "backends" in parts and size <= BACKENDS_MAX:
                rows["backends"].append(part("backends", corpus_dir=str(corpus_dir), size=size, rounds=rounds))
            if not {"search", "compare", "app"} & set(parts):
                continue
            data = base / f"synth-{size}"
            built = part("build", corpus_dir=str(corpus_dir), data_dir=str(data), size=size)
            entry: dict[str, Any] = {"chunks": size, **({"error": built["error"]} if "error" in built else {
                "build_s": built["build_s"], "build_rss_mb": built["peak_rss_mb"]})}  # fmt: skip
            if "error" not in built:
                if "search" in parts:
                    entry["search"] = part("search", data_dir=str(data), rounds=rounds)
                if "compare" in parts:
                    entry["compare"] = part("compare", data_dir=str(data), rounds=rounds)
                if "app" in parts and size == max(sizes) and not smoke:
                    rows["app"].append({"chunks": size, **part("app", data_dir=str(data), rounds=rounds)})
            rows["sizes"].append(entry)
            shutil.rmtree(data, ignore_errors=True)
    wall_s = time.perf_counter() - started
    return write_report(rows, sizes, parts, Path(out_dir), wall=wall, wall_s=wall_s, echo=echo)


def _run(name: str, isolate: bool, kwargs: dict[str, Any]) -> tuple[dict[str, Any], float]:
    start = time.perf_counter()
    result = run_part(name, isolate=isolate, **kwargs)
    return result, time.perf_counter() - start

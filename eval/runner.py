"""Run judged queries against a throw-away index in every search configuration and report."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from regionplans.config import Settings
from regionplans.eval.dataset import Query, missing_evidence
from regionplans.eval.metrics import (
    METRICS,
    RankedChunk,
    aggregate,
    paired_difference,
    score_queries,
)
from regionplans.records import SearchFilters


@dataclass(frozen=True, slots=True)
class Config:
    """One search configuration: a mode, region handling, and whether a hybrid search
    rescores its top candidates by their best sentence (``index.rescore``)."""

    name: str
    mode: str
    detect_regions: bool = False
    region_boost_only: bool = False
    rescore: bool = True


CONFIGS: dict[str, Config] = {
    c.name: c
    for c in (
        Config("lexical", "lexical"),
        Config("dense", "dense"),
        Config("hybrid", "hybrid"),
        Config("hybrid+regions", "hybrid", detect_regions=True),
        Config("hybrid+region-boost", "hybrid", detect_regions=True, region_boost_only=True),
        Config("hybrid-fused", "hybrid", rescore=False),
        Config("random", "random"),
    )
}
DEPTH = 20


def run_config(
    searcher: Any, queries: Sequence[Query], config: Config, pool: Sequence[RankedChunk] = ()
) -> dict[str, list[RankedChunk]]:
    """The top ``DEPTH`` chunks per query (no per-document cap) for one configuration;
    ``random`` draws ``DEPTH`` chunks of ``pool`` (seeded by the query id): the baseline."""
    import random

    out: dict[str, list[RankedChunk]] = {}
    for q in queries:
        if config.mode == "random":
            out[q.qid] = random.Random(q.qid).sample(list(pool), min(DEPTH, len(pool)))
            continue
        filters = SearchFilters(regions=(q.region_filter,)) if q.region_filter else SearchFilters()
        result = searcher.search(
            q.query, filters=filters, mode=config.mode, limit=DEPTH, per_doc=None,
            detect_regions=config.detect_regions, region_boost_only=config.region_boost_only,
            rescore=config.rescore,
        )  # fmt: skip
        out[q.qid] = [RankedChunk(h.document.name, h.chunk.text, h.chunk.chunk_id) for h in result.hits]
    return out


def chunk_pool(ingest_dir: Path) -> list[RankedChunk]:
    """Every chunk of the ingested corpus: the judged pool of chunk-level metrics."""
    from regionplans.ingest.store import IngestStore

    return [RankedChunk(d.name, c.text, c.chunk_id) for d, c in IngestStore(ingest_dir).iter_chunks()]


def ingested_texts(ingest_dir: Path) -> dict[str, str]:
    """Cleaned text of every ingested document, by document name."""
    from regionplans.ingest.store import IngestStore

    return {d.name: d.text for d in IngestStore(ingest_dir).documents()}


def evaluate(
    corpus: Path, queries: Sequence[Query], *, configs: Sequence[str] = tuple(CONFIGS),
    settings: Settings | None = None,
) -> dict[str, Any]:  # fmt: skip
    """Ingest and index ``corpus`` in a temporary data directory, then score every configuration.

    The main index is never touched: the data directory is created and removed here.
    """
    from regionplans.errors import ConfigError

    unknown = [c for c in configs if c not in CONFIGS]
    if unknown:
        raise ConfigError(
            f"unknown configuration {', '.join(unknown)}; choose from {', '.join(CONFIGS)}"
        )
    from regionplans.index.build import index_corpus
    from regionplans.index.search import Searcher
    from regionplans.ingest.pipeline import ingest_directory

    base = settings or Settings()
    with tempfile.TemporaryDirectory(prefix="regionplans-eval-") as tmp:
        run_settings = replace(
            base, data_dir=Path(tmp) / "data", corpus_dir=Path(corpus), qdrant_url=None
        )
        ingest_directory(Path(corpus), run_settings.ingest_dir)
        problems = missing_evidence(list(queries), ingested_texts(run_settings.ingest_dir))
        pool = chunk_pool(run_settings.ingest_dir)
        index_corpus(run_settings)
        searcher = Searcher(run_settings)
        results: dict[str, Any] = {}
        try:
            for name in configs:
                scores = score_queries(queries, run_config(searcher, queries, CONFIGS[name], pool), pool)
                results[name] = {"summary": aggregate(queries, scores), "per_query": scores}
        finally:
            searcher.close()
    comparisons = {}
    if "hybrid" in results:
        hybrid = {q: v["nDCG@10"] for q, v in results["hybrid"]["per_query"].items()}
        for name, res in results.items():
            if name != "hybrid":
                other = {q: v["nDCG@10"] for q, v in res["per_query"].items()}
                comparisons[f"hybrid − {name}"] = paired_difference(hybrid, other)
    return {
        "queries": len(queries),
        "query_info": {q.qid: {"query": q.query, "kind": q.kind, "lang": q.lang} for q in queries},
        "missing_evidence": problems,
        "configs": results,
        "comparisons": comparisons,
    }


def summary_rows(report: dict[str, Any], group: str = "all") -> list[dict[str, Any]]:
    """One row per configuration with the group's mean metrics."""
    rows = []
    for name, res in report["configs"].items():
        summ = res["summary"].get(group)
        if summ:
            rows.append({"config": name} | {m: round(summ[m], 3) for m in METRICS})
    return rows


def markdown(report: dict[str, Any]) -> str:
    """The Markdown report: overall table, then per kind and per language nDCG@10."""
    lines = [f"Queries: {report['queries']}", "", "| config | " + " | ".join(METRICS) + " |",
             "|---" * (len(METRICS) + 1) + "|"]  # fmt: skip
    for row in summary_rows(report):
        lines.append(f"| {row['config']} | " + " | ".join(f"{row[m]:.3f}" for m in METRICS) + " |")
    groups = sorted({g for r in report["configs"].values() for g in r["summary"] if g != "all"})
    names = list(report["configs"])
    lines += ["", "nDCG@10 by group:", "", "| group | n | " + " | ".join(names) + " |",
              "|---" * (len(names) + 2) + "|"]  # fmt: skip
    for g in ["all", *groups]:
        first = report["configs"][names[0]]["summary"][g]
        vals = " | ".join(_with_ci(report["configs"][n]["summary"][g]) for n in names)
        lines.append(f"| {g} | {int(first['n'])} | {vals} |")
    if report.get("comparisons"):
        lines += ["", "Paired differences of nDCG@10 (mean, 95 % paired-bootstrap interval):", "",
                  "| comparison | mean | 95% CI |", "|---|---|---|"]  # fmt: skip
        for name, c in report["comparisons"].items():
            lines.append(f"| {name} | {c['mean']:+.3f} | {c['lo']:+.3f} … {c['hi']:+.3f} |")
    if report["missing_evidence"]:
        lines += ["", "Evidence not found in the ingested text:", ""]
        lines += [f"- {p}" for p in report["missing_evidence"]]
    return "\n".join(lines) + "\n"


def _with_ci(summary: dict[str, Any]) -> str:
    lo, hi = summary.get("nDCG@10_ci", (0.0, 0.0))
    return f"{summary['nDCG@10']:.3f} [{lo:.2f}, {hi:.2f}]"


def bar_chart(report: dict[str, Any], path: Path) -> None:
    """A grouped bar chart of the overall metrics per configuration (PNG)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = summary_rows(report)
    fig, ax = plt.subplots(figsize=(8, 4))
    width = 0.8 / max(len(rows), 1)
    for n, row in enumerate(rows):
        ax.bar(
            [i + n * width for i in range(len(METRICS))],
            [row[m] for m in METRICS],
            width,
            label=row["config"],
        )
    ax.set_xticks([i + width * (len(rows) - 1) / 2 for i in range(len(METRICS))], list(METRICS))
    ax.set_ylim(0, 1)
    ax.set_title(f"Retrieval quality ({report['queries']} queries)")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def write_reports(report: dict[str, Any], out: Path) -> list[Path]:
    """Save ``retrieval.md``, ``retrieval.json`` (per-query scores) and ``retrieval.png``."""
    out.mkdir(parents=True, exist_ok=True)
    md, js, png = out / "retrieval.md", out / "retrieval.json", out / "retrieval.png"
    md.write_text(markdown(report), encoding="utf-8")
    js.write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
    bar_chart(report, png)
    return [md, js, png]

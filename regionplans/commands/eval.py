"""``regionplans eval``: retrieval quality on judged queries; ``eval compare``: table accuracy."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from regionplans.cli import settings_options
from regionplans.config import Settings


def _configs() -> tuple[str, ...]:
    from regionplans.eval.runner import CONFIGS

    return tuple(CONFIGS)


@click.group(
    "eval",
    invoke_without_command=True,
    epilog="\b\nExamples:\n  regionplans eval --corpus corpus --queries eval/dev/queries.jsonl"
    "\n  regionplans eval compare --gold eval/dev/compare_gold.json",
)
@click.option("--corpus", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None,
              help="Corpus directory to ingest and index in a throw-away data directory.")  # fmt: skip
@click.option(
    "--queries", type=click.Path(path_type=Path), default=None, help="Judged queries (JSONL)."
)
@click.option("--modes", "modes", multiple=True,
              help="Configurations to compare (repeatable or comma-separated; default all): "
              "lexical, dense, hybrid, hybrid+regions, hybrid+region-boost.")  # fmt: skip
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Write retrieval.md, retrieval.json and retrieval.png here.")  # fmt: skip
@click.option(
    "--format", "fmt", type=click.Choice(("table", "json")), default="table", show_default=True
)
@click.option("--min-ndcg", type=float, default=None,
              help="Exit with status 2 if any chosen configuration's nDCG@10 is below this.")  # fmt: skip
@click.pass_context
def command(ctx: click.Context, corpus: Path | None, queries: Path | None, modes: tuple[str, ...],
            out: Path | None, fmt: str, min_ndcg: float | None) -> None:  # fmt: skip
    """Measure retrieval quality of every search configuration on judged queries.

    Builds a throw-away index for --corpus (the main index is never touched) and prints
    nDCG@10, Recall@10/@20 and MRR@10 per configuration.
    """
    if ctx.invoked_subcommand is not None:
        return
    if corpus is None or queries is None:
        raise click.UsageError("give --corpus DIR and --queries FILE (or a subcommand: compare)")
    from regionplans.eval.dataset import load_queries
    from regionplans.eval.runner import evaluate, summary_rows, write_reports
    from regionplans.output import render, to_json

    chosen = tuple(m.strip() for spec in modes for m in spec.split(",") if m.strip()) or _configs()
    judged = load_queries(queries)
    report = evaluate(corpus, judged, configs=chosen)
    if out is not None:
        for path in write_reports(report, out):
            click.echo(f"wrote {path}", err=True)
    if fmt == "json":
        click.echo(to_json(report))
    else:
        click.echo(render(summary_rows(report), "table"))
    for problem in report["missing_evidence"]:
        click.echo(f"warning: {problem}", err=True)
    if min_ndcg is not None:
        low = [r for r in summary_rows(report) if r["nDCG@10"] < min_ndcg]
        if low:
            names = ", ".join(f"{r['config']} {r['nDCG@10']:.3f}" for r in low)
            click.echo(f"nDCG@10 below {min_ndcg}: {names}", err=True)
            ctx.exit(2)


@command.command("compare")
@click.option(
    "--gold", type=click.Path(path_type=Path), required=True, help="Gold comparison table (JSON)."
)
@click.option("--corpus", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None,
              help="Score against a throw-away index of this corpus instead of the main index.")  # fmt: skip
@click.option(
    "--format", "fmt", type=click.Choice(("table", "json")), default="table", show_default=True
)
@settings_options
def compare_command(settings: Settings, gold: Path, corpus: Path | None, fmt: str) -> None:
    """Score the comparison table against a gold table as cell accuracy."""
    from regionplans.eval.compare_gold import load_gold, score_gold
    from regionplans.output import to_json

    load_gold(gold)  # fail fast on a bad gold file, before any index is built
    report = _with_searcher(settings, corpus, lambda s: score_gold(s, gold))
    if fmt == "json":
        click.echo(to_json(report))
        return
    from regionplans.output import render

    click.echo(render(report["cells"], "table"))
    click.echo(f"cell accuracy: {report['correct']}/{report['total']} = {report['accuracy']:.3f}")


def _with_searcher(settings: Settings, corpus: Path | None, fn: Any) -> Any:
    import tempfile
    from dataclasses import replace

    from regionplans.index.search import Searcher

    if corpus is None:
        searcher = Searcher(settings)
        try:
            return fn(searcher)
        finally:
            searcher.close()
    from regionplans.index.build import index_corpus
    from regionplans.ingest.pipeline import ingest_directory

    with tempfile.TemporaryDirectory(prefix="regionplans-eval-") as tmp:
        local = replace(settings, data_dir=Path(tmp) / "data", corpus_dir=corpus, qdrant_url=None)
        ingest_directory(corpus, local.ingest_dir)
        index_corpus(local)
        searcher = Searcher(local)
        try:
            return fn(searcher)
        finally:
            searcher.close()

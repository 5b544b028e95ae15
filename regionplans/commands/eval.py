"""``regionplans eval``: retrieval quality on judged queries; ``eval compare``: table accuracy."""

from __future__ import annotations

import json
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
    "\n  regionplans eval --set eval/dev --out eval/reports/dev"
    "\n  regionplans eval compare --gold eval/dev/compare_gold.json",
)
@click.option("--corpus", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None,
              help="Corpus directory to ingest and index in a throw-away data directory.")  # fmt: skip
@click.option(
    "--queries", type=click.Path(path_type=Path), default=None, help="Judged queries (JSONL)."
)
@click.option("--set", "set_dir", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None,
              help="A development or test set: its corpus and every part's queries (instead of --corpus/--queries).")  # fmt: skip
@click.option("--modes", "modes", multiple=True,
              help="Configurations to compare (repeatable or comma-separated; default all): "
              "lexical, dense, hybrid, hybrid+regions, hybrid+region-boost, hybrid-fused (no second stage), random.")  # fmt: skip
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Write retrieval.md, retrieval.json and retrieval.png here.")  # fmt: skip
@click.option(
    "--format", "fmt", type=click.Choice(("table", "json")), default="table", show_default=True
)
@click.option("--min-ndcg", type=float, default=None,
              help="Exit with status 2 if any chosen configuration's nDCG@10 is below this.")  # fmt: skip
@click.pass_context
def command(ctx: click.Context, corpus: Path | None, queries: Path | None, set_dir: Path | None,
            modes: tuple[str, ...], out: Path | None, fmt: str, min_ndcg: float | None) -> None:  # fmt: skip
    """Measure retrieval quality of every search configuration on judged queries.

    Builds a throw-away index for --corpus (the main index is never touched) and prints
    nDCG@10, Recall@10/@20 and MRR@10 per configuration.
    """
    if ctx.invoked_subcommand is not None:
        return
    from regionplans.eval.dataset import load_queries
    from regionplans.eval.runner import evaluate, summary_rows, write_reports
    from regionplans.output import render, to_json

    if set_dir is not None:
        from regionplans.eval.devset import load_set

        devset = load_set(set_dir)
        corpus = devset.corpus
        judged = [q for path in devset.queries_files for q in load_queries(path)]
    elif corpus is None or queries is None:
        raise click.UsageError("give --set DIR, or --corpus DIR and --queries FILE (or a subcommand)")
    else:
        judged = load_queries(queries)
    chosen = tuple(m.strip() for spec in modes for m in spec.split(",") if m.strip()) or _configs()
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
    """``fn(searcher)`` over the index of ``settings``, or over a throw-away index of ``corpus``."""
    from regionplans.eval.devset import indexed
    from regionplans.index.search import Searcher

    if corpus is not None:
        with indexed(corpus, settings) as searcher:
            return fn(searcher)
    searcher = Searcher(settings)
    try:
        return fn(searcher)
    finally:
        searcher.close()


def _set_option(func: Any) -> Any:
    return click.option("--set", "set_dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
                        default=Path("eval/dev"), show_default=True,
                        help="A development or test set (corpus/ and gold/<part>/).")(func)  # fmt: skip


def _emit(report: dict[str, Any], rows: list[dict[str, Any]], fmt: str, out: Path | None, name: str) -> None:
    from regionplans.output import render

    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        target = out / f"{name}.json"
        target.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        (out / f"{name}.md").write_text(render(rows, "md") + "\n", encoding="utf-8")
        click.echo(f"wrote {target} and {name}.md", err=True)
    from regionplans.output import to_json

    click.echo(to_json(report) if fmt == "json" else render(rows, "table"))


@command.command("tables", epilog="\b\nExample:\n  regionplans eval tables --set eval/dev --out eval/reports/dev")
@_set_option
@click.option("--concept", "only", multiple=True, help="Only these concepts (ids in eval/concepts.json).")
@click.option("--fit", is_flag=True, help="Fit the relevance and confidence models on this set and write "
              "compare/relevance.json and compare/confidence.json.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None, help="Write tables.json/.md here.")
@click.option("--format", "fmt", type=click.Choice(("table", "json")), default="table", show_default=True)
@click.option("--errors", is_flag=True, help="Also list every wrong quote and every missed gold row.")
@settings_options
def tables_command(settings: Settings, set_dir: Path, only: tuple[str, ...], fit: bool, out: Path | None,
                   fmt: str, errors: bool) -> None:  # fmt: skip
    """Score comparison tables against the set's gold evidence: row recall, cell
    precision, label accuracy, false-empty rate and calibration, per topic and language."""
    from regionplans.eval.devset import indexed, load_set
    from regionplans.eval.tables import error_rows, evaluate_tables, fit_confidence, summary_rows

    devset = load_set(set_dir)
    with indexed(devset.corpus, settings) as searcher:
        if fit:
            _fit_relevance(searcher, devset, set_dir)
        report = evaluate_tables(searcher, devset, only=only)
        if fit:
            import regionplans.compare as compare_pkg
            from regionplans.compare import confidence

            cells = [c for t in report["topics"] for c in t["cells"]]
            coefficients = fit_confidence(cells)
            target = Path(compare_pkg.__file__).parent / "confidence.json"
            target.write_text(json.dumps({"fitted_on": str(set_dir), "cells": sum(c["filled"] for c in cells),
                                          "coefficients": coefficients}, indent=2) + "\n", encoding="utf-8")  # fmt: skip
            click.echo(f"wrote {target}", err=True)
            confidence.coefficients.cache_clear()
            report = evaluate_tables(searcher, devset, only=only)  # the report reads the fitted models
    _emit(report, summary_rows(report), fmt, out, "tables")
    if errors:
        from regionplans.output import render

        click.echo(render(error_rows(report), "table"))


def _fit_relevance(searcher: Any, devset: Any, set_dir: Path) -> None:
    """Fit ``compare/relevance.json`` on the set's candidate sentences; the tables
    scored after it use the new model."""
    import regionplans.compare as compare_pkg
    from regionplans.compare import relevance
    from regionplans.eval.tables import fit_relevance, relevance_samples

    model = fit_relevance(relevance_samples(searcher, devset))
    target = Path(compare_pkg.__file__).parent / "relevance.json"
    target.write_text(json.dumps({"fitted_on": str(set_dir), **model}, indent=2) + "\n", encoding="utf-8")
    relevance.model.cache_clear()
    click.echo(f"wrote {target}", err=True)


@command.command("metadata", epilog="\b\nExample:\n  regionplans eval metadata --set eval/dev")
@_set_option
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None, help="Write metadata.json/.md here.")
@click.option("--format", "fmt", type=click.Choice(("table", "json")), default="table", show_default=True)
def metadata_command(set_dir: Path, out: Path | None, fmt: str) -> None:
    """Score detected publisher, regions, type, title, date and language per field."""
    from regionplans.eval.devset import load_set
    from regionplans.eval.metadata import evaluate_metadata

    report = evaluate_metadata(load_set(set_dir))
    rows = [{"field": f, "right": f"{m['k']}/{m['n']}", "share": round(m["value"] or 0, 3),
             "95% CI": f"{m['ci'][0]:.2f}–{m['ci'][1]:.2f}"} for f, m in report["fields"].items()]  # fmt: skip
    _emit(report, rows, fmt, out, "metadata")


@command.command("labels", epilog="\b\nExample:\n  regionplans eval labels --set eval/dev")
@_set_option
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None, help="Write labels.json/.md here.")
@click.option("--format", "fmt", type=click.Choice(("table", "json")), default="table", show_default=True)
def labels_command(set_dir: Path, out: Path | None, fmt: str) -> None:
    """Score the binding-ness labels on the set's hand-labelled sentences."""
    from regionplans.eval.devset import load_set
    from regionplans.eval.labels import evaluate_labels

    report = evaluate_labels(load_set(set_dir))
    rows = [{"group": g, "right": f"{m['k']}/{m['n']}", "accuracy": round(m["value"], 3),
             "95% CI": f"{m['ci'][0]:.2f}–{m['ci'][1]:.2f}"} for g, m in report["groups"].items()]  # fmt: skip
    _emit(report, rows, fmt, out, "labels")

"""``regionplans bench``: the benchmark tables and plot."""

from __future__ import annotations

from pathlib import Path

import click

from regionplans.bench.run import PARTS

_PARTS_HELP = "Parts to run, comma-separated, or all: " + "; ".join(f"{k}: {v}" for k, v in PARTS.items()) + "."


@click.command()
@click.option("--parts", default="all", show_default=True, help=_PARTS_HELP)
@click.option("--sizes", default="1k,10k,100k", show_default=True,
              help="Generated corpus sizes in chunks, comma-separated (1k = 1000).")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default="eval/reports",
              show_default=True, help="Where bench.md and bench.png are written.")
@click.option("--corpus", "corpus_dir", type=click.Path(file_okay=False, exists=True),
              default="corpus", show_default=True, help="The corpus the generator learns from.")
@click.option("--cache", "cache_dir", type=click.Path(file_okay=False), default=None,
              help="Keep the real embeddings of the vector check here across runs (default: none kept).")
@click.option("--rounds", type=click.IntRange(min=1), default=3, show_default=True,
              help="How many times each query set is timed.")
@click.option("--smoke", is_flag=True, help="Small file corpora, no embedding-engine comparison, no real vectors.")
def command(parts: str, sizes: str, out_dir: str, corpus_dir: str, cache_dir: str | None, rounds: int,
            smoke: bool) -> None:  # fmt: skip
    """Measure ingest, embedding, search, comparison and memory; print the summary table.

    Timings are reported with their range across rounds, never asserted. A part that
    cannot run is shown as "not measured: <reason>".

    \b
    Example:
      regionplans bench --parts search,compare --sizes 100k
    """
    from regionplans.bench import parse_parts, parse_sizes, run_benchmarks

    report = run_benchmarks(parse_sizes(sizes), Path(out_dir), parts=parse_parts(parts),
                            corpus_dir=Path(corpus_dir), cache_dir=Path(cache_dir) if cache_dir else None,
                            rounds=rounds, smoke=smoke)  # fmt: skip
    click.echo(f"wrote {report.markdown}" + (f" and {report.plot}" if report.plot else ""))

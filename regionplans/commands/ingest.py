"""``regionplans ingest``: read a folder of plans into the ingest store and print the report."""

from __future__ import annotations

from pathlib import Path

import click

from regionplans.cli import output_options, settings_options
from regionplans.config import Settings

COLUMNS = ("file", "status", "reason", "sections", "chunks", "detected", "given")


@click.command("ingest", epilog="\b\nExample:\n  regionplans ingest corpus --format json")
@click.argument(
    "directory", type=click.Path(exists=True, file_okay=False, path_type=Path), required=False
)
@click.option(
    "--manifest",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Manifest CSV (default: DIRECTORY/manifest.csv).",
)
@click.option(
    "--max-file-mb",
    type=click.FloatRange(min=0, min_open=True),
    default=None,
    help="Skip files larger than this (env REGIONPLANS_MAX_FILE_MB, default 100).",
)
@click.option("--progress", is_flag=True, help="Show a progress bar.")
@settings_options
@output_options()
def command(
    settings: Settings,
    directory: Path | None,
    manifest: Path | None,
    max_file_mb: float | None,
    progress: bool,
    fmt: str,
    limit: int | None,
) -> None:
    """Ingest PDFs, web pages, text and Word files from DIRECTORY (default: the corpus folder).

    Incremental: unchanged files are skipped, changed ones replaced, deleted ones
    removed. Every file gets a line with its status and, if it failed or was
    skipped, the reason; a one-line summary ends the report.
    """
    from regionplans.ingest.pipeline import IngestOptions, ingest_directory
    from regionplans.output import printable, render, to_json

    options = IngestOptions.from_limits(settings.limits)
    if max_file_mb is not None:
        options = IngestOptions.from_limits(settings.limits, max_file_bytes=int(max_file_mb * 1024 * 1024))
    report = ingest_directory(
        directory or settings.corpus_dir,
        settings.ingest_dir,
        manifest=manifest,
        progress=progress,
        options=options,
    )
    if fmt == "json":
        click.echo(to_json(report.to_dict()))
        return
    for warning in report.warnings:
        click.echo(f"warning: {printable(warning)}", err=True)
    rows = [
        {
            "file": Path(f.path).name,
            "status": f.status,
            "reason": f.reason,
            "sections": f.sections,
            "chunks": f.chunks,
            "metadata": f.metadata_source or "",
            "detected": ", ".join(f.detected),
            "given": ", ".join(f.given),
        }
        for f in report.files
    ]
    if limit is not None:
        rows = rows[:limit]
    if fmt == "jsonl":
        click.echo(render(rows, fmt))
        return
    click.echo(render(rows, fmt, COLUMNS))
    click.echo(report.summary(), err=fmt != "table")

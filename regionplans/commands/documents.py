"""``regionplans documents``: list the stored documents, correct their metadata, delete them."""

from __future__ import annotations

import click

from regionplans.cli import output_options, settings_options
from regionplans.config import Settings

COLUMNS = ("key", "title", "publisher", "regions", "doc_type", "date", "source", "detected", "given")


@click.group("documents", epilog="\b\nExample:\n  regionplans documents set plan.pdf --region Dalarna --type strategy")
def command() -> None:
    """The stored documents: list them, correct their metadata, delete them.

    Corrections are kept in the ingest store (corrections.json) and applied again by
    every later ingest; the index is updated at once.
    """


@command.command("list", epilog="\b\nExample:\n  regionplans documents list --format json")
@settings_options
@output_options()
def list_(settings: Settings, fmt: str, limit: int | None) -> None:
    """Every document with its metadata and which fields were detected and which given."""
    from regionplans.ingest.documents import list_documents
    from regionplans.output import render

    rows = []
    for info in list_documents(settings.ingest_dir):
        data = info.to_dict()
        if fmt in ("json", "jsonl"):
            rows.append(data)
            continue
        data["regions"] = "; ".join(data["regions"]) or "national"
        data["detected"] = ", ".join(data["detected"])
        data["given"] = ", ".join(f"{k} ({v})" for k, v in data["given"].items())
        rows.append(data)
    rows = rows[:limit] if limit is not None else rows
    click.echo(render(rows, fmt, None if fmt in ("json", "jsonl") else COLUMNS))


@command.command("set", epilog="\b\nExample:\n  regionplans documents set plan.pdf --title 'Handlingsplan' --date 2025-01-15")
@click.argument("document")
@click.option("--title", default=None)
@click.option("--publisher", default=None)
@click.option("--region", "regions", multiple=True, help="A region it is about (repeatable; any spelling).")
@click.option("--national", is_flag=True, help="About no region in particular (clears the regions).")
@click.option("--type", "doc_type", default=None, help="strategy, action plan, report, news, position, ...")
@click.option("--date", default=None, help="YYYY, YYYY-MM or YYYY-MM-DD.")
@click.option("--source-url", default=None, help="Where the document is published (http:// or https://).")
@click.option("--clear", "clear", multiple=True, help="Give a field back to the manifest or detection (repeatable).")
@click.option("--no-index", is_flag=True, help="Correct the store only; `regionplans index` updates the index later.")
@settings_options
def set_(settings: Settings, document: str, title: str | None, publisher: str | None, regions: tuple[str, ...],
         national: bool, doc_type: str | None, date: str | None, source_url: str | None, clear: tuple[str, ...],
         no_index: bool) -> None:  # fmt: skip
    """Set or fix a DOCUMENT's metadata (DOCUMENT: its id, key or file name)."""
    from regionplans.errors import ConfigError
    from regionplans.ingest.documents import set_metadata

    if national and regions:
        raise ConfigError("give --region or --national, not both")
    changes = {"title": title, "publisher": publisher, "doc_type": doc_type, "date": date, "source_url": source_url,
               "regions": [] if national else (list(regions) or None)}  # fmt: skip
    info = set_metadata(settings, document, changes, clear=tuple(clear), index=not no_index)
    doc = info.document
    click.echo(f"{info.key}: {doc.title} · {doc.publisher} · {', '.join(doc.regions) or 'national'} · "
               f"{doc.doc_type} · {doc.date or 'undated'} (corrected: {', '.join(info.correction.fields()) if info.correction else 'nothing'})")  # fmt: skip


@command.command("delete", epilog="\b\nExample:\n  regionplans documents delete plan.pdf")
@click.argument("document")
@click.option("--no-index", is_flag=True, help="Delete from the store only; `regionplans index` updates the index later.")
@settings_options
def delete(settings: Settings, document: str, no_index: bool) -> None:
    """Remove a DOCUMENT from the store and the index (a corpus file is left out of later ingests)."""
    from regionplans.ingest.documents import delete_document

    key = delete_document(settings, document, index=not no_index)
    click.echo(f"{key}: deleted")


@command.command("restore", epilog="\b\nExample:\n  regionplans documents restore plan.pdf")
@click.argument("key")
@settings_options
def restore(settings: Settings, key: str) -> None:
    """Take back the deletion of a corpus file (KEY: its path in the corpus); the next ingest reads it."""
    from regionplans.ingest.documents import restore_document

    restore_document(settings, key)
    click.echo(f"{key}: restored; run `regionplans ingest` and `regionplans index`")

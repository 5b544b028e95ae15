"""``regionplans search``: hybrid, dense or lexical search over the indexed plans."""

from __future__ import annotations

import click

from regionplans.cli import output_options, settings_options
from regionplans.config import Settings
from regionplans.dates import check_partial
from regionplans.records import SEARCH_MODES, SearchFilters

COLUMNS = ("rank", "document", "regions", "page", "heading", "ranks", "text")


@click.command(
    "search",
    epilog='\b\nExample:\n  regionplans search "kompetensförsörjning bioinformatiker" --region Stockholm',
)
@click.argument("query")
@click.option(
    "--region", "regions", multiple=True, help="Only these regions (repeatable; any spelling)."
)
@click.option("--publisher", "publishers", multiple=True, help="Only this publisher (repeatable).")
@click.option("--type", "doc_types", multiple=True, help="Only this document type (repeatable).")
@click.option(
    "--language", "languages", multiple=True, help="Only this language, e.g. sv or en (repeatable)."
)
@click.option(
    "--from", "date_from", default=None, help="Documents dated on or after (YYYY[-MM[-DD]])."
)
@click.option(
    "--to", "date_to", default=None, help="Documents dated on or before (YYYY[-MM[-DD]])."
)
@click.option("--mode", type=click.Choice(SEARCH_MODES), default="hybrid", show_default=True)
@click.option(
    "--no-region-detection", is_flag=True, help="Do not filter on regions named in the query."
)
@click.option(
    "--model", default=None, help="Query model; must be the model the index was built with."
)
@click.option(
    "--per-doc", type=click.IntRange(min=1), default=3, show_default=True, help="Hits per document."
)
@settings_options
@output_options()
def command(
    settings: Settings,
    query: str,
    regions: tuple[str, ...],
    publishers: tuple[str, ...],
    doc_types: tuple[str, ...],
    languages: tuple[str, ...],
    date_from: str | None,
    date_to: str | None,
    mode: str,
    no_region_detection: bool,
    model: str | None,
    per_doc: int,
    fmt: str,
    limit: int | None,
) -> None:
    """Search every region's plans; each hit shows where it comes from and why it ranked.

    A region named in the query becomes a filter (switch off with --no-region-detection).
    Matched words are marked **like this**; "ranks" gives the dense/lexical ranks.
    """
    from regionplans.index.lexical import snippet
    from regionplans.index.search import Searcher
    from regionplans.ingest.regions import resolve_region
    from regionplans.output import render, to_json

    if model:
        from dataclasses import replace

        settings = replace(settings, model=model)
    filters = SearchFilters(
        regions=tuple(resolve_region(r) for r in regions),
        publishers=publishers,
        doc_types=doc_types,
        languages=languages,
        date_from=None if date_from is None else check_partial(date_from, "--from"),
        date_to=None if date_to is None else check_partial(date_to, "--to"),
    )
    result = Searcher(settings).search(
        query, filters=filters, mode=mode, limit=limit or 10, per_doc=per_doc,
        detect_regions=not no_region_detection,
    )  # fmt: skip
    if fmt in ("json", "jsonl"):
        payload = {
            "query": result.query,
            "mode": result.mode,
            "detected_regions": list(result.detected_regions),
            "region_detection_applied": result.region_detection_applied,
            "searched_chunks": result.searched_chunks,
            "words_matched": result.words_matched,
            "hits": [h.to_dict() for h in result.hits],
        }
        click.echo(to_json(payload, indent=2 if fmt == "json" else None))
        return
    if result.region_detection_applied:
        click.echo(
            f"Region in the query: {', '.join(result.detected_regions)} (filtering; --no-region-detection to search all)",
            err=True,
        )
    if not result.hits:
        click.echo(f"No hits among {result.searched_chunks} searched chunks.", err=True)
        return
    if result.mode != "dense" and not result.words_matched:
        click.echo("No hit contains the words of the query; the nearest in meaning:", err=True)
    rows = []
    for hit in result.hits:
        rows.append(
            {
                "rank": hit.rank,
                "document": hit.document.title or hit.document.name,
                "regions": list(hit.document.regions) or hit.document.publisher,
                "page": hit.chunk.page_number,
                "heading": " > ".join(hit.chunk.heading_path),
                "ranks": f"d{hit.dense_rank or '-'}/l{hit.lexical_rank or '-'}",
                "text": snippet(hit.chunk.text, hit.matched_terms, width=50),
            }
        )
    click.echo(render(rows, fmt, COLUMNS))

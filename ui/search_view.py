"""The search view's HTML: hits with labelled metadata, and results that say plainly why
they are few or none (no documents from a region, undated documents a date filter left
out, no word of the question in any hit). Document text is escaped before marking."""

from __future__ import annotations

from collections.abc import Sequence

from regionplans.errors import ConfigError
from regionplans.ingest.corrections import check_date
from regionplans.records import Document, Hit, SearchFilters, SearchResult
from regionplans.ui.i18n import TEXTS, t
from regionplans.ui.render import document_link, esc, highlight


def date_error(values: Sequence[object], lang: str) -> str | None:
    """The message for the first date filter that is no real date (e.g. 2022-13-45)."""
    for value in values:
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        try:
            check_date(value if isinstance(value, str) else "")
        except ConfigError:
            return t("bad_date", lang, value=repr(str(value)[:40]))
    return None


def doc_type(value: str, lang: str) -> str:
    """A document type in ``lang`` (an unknown one as it is)."""
    return t(f"type_{value}", lang) if f"type_{value}" in TEXTS else value


def language_name(value: str, lang: str) -> str:
    return t(f"lang_{value}", lang) if f"lang_{value}" in TEXTS else value


def has_pages(document: Document) -> bool:
    """Whether the document's page numbers mean something (a PDF's pages)."""
    return document.file_path.lower().endswith(".pdf")


def meta_html(document: Document, lang: str, page: int | None = None) -> str:
    """A document's metadata, each value labelled, none repeated."""
    regions = ", ".join(document.regions) or t("national", lang)
    parts = []
    if document.publisher and document.publisher != "unknown":
        parts.append((t("meta_publisher", lang), document.publisher))
    if regions != document.publisher:
        parts.append((t("meta_regions", lang), regions))
    parts.append((t("meta_type", lang), doc_type(document.doc_type, lang)))
    parts.append((t("meta_date", lang), document.date or t("undated", lang)))
    if page is not None and has_pages(document):
        parts.append((t("page", lang).capitalize(), str(page)))
    names = {document.publisher, *document.regions}  # proper names: the same in every language
    return " · ".join(f'<span class="rp-field"><span class="rp-field-name">{esc(k)}:</span> '
                      f'<span class="{"rp-content" if v in names else "rp-value"}">{esc(v)}</span></span>'
                      for k, v in parts)  # fmt: skip


def hit_card(hit: Hit, lang: str) -> str:
    """One result card: passage with matched terms marked, labelled metadata and a section link."""
    doc, chunk = hit.document, hit.chunk
    heading = " › ".join(chunk.heading_path)
    terms = '<span class="rp-content">' + ", ".join(esc(x) for x in hit.matched_terms) + "</span>"
    link = document_link(doc.doc_id, chunk.heading_path, chunk.page_number, lang)
    return (
        '<article class="rp-card">'
        f'<div class="rp-rank">{hit.rank}</div>'
        f'<h3 class="rp-title">{esc(doc.title)}</h3>'
        f'<div class="rp-meta">{meta_html(doc, lang, chunk.page_number)}</div>'
        + (f'<div class="rp-heading">{esc(heading)}</div>' if heading else "")
        + f'<p class="rp-passage">{highlight(chunk.text, hit.matched_terms)}</p>'
        + (f'<div class="rp-terms">{esc(t("matched", lang))}: {terms}</div>' if hit.matched_terms else "")
        + f'<a class="rp-link" href="{esc(link)}" target="_blank" rel="noopener">{esc(t("open_section", lang))} ↗</a>'
        "</article>"
    )


def _matches(doc: Document, flt: SearchFilters) -> bool:
    """Whether ``doc`` passes every filter but the dates."""
    return all((
        not flt.regions or bool(set(flt.regions) & set(doc.regions)),
        not flt.publishers or doc.publisher in flt.publishers,
        not flt.doc_types or doc.doc_type in flt.doc_types,
        not flt.languages or doc.language in flt.languages,
    ))  # fmt: skip


def regions_without_documents(flt: SearchFilters, documents: Sequence[Document]) -> tuple[str, ...]:
    """The filter's regions that no indexed document is about."""
    covered = {r for d in documents for r in d.regions}
    return tuple(r for r in flt.regions if r not in covered)


def undated_left_out(flt: SearchFilters, documents: Sequence[Document]) -> int:
    """Undated documents a date filter leaves out that the other filters would keep."""
    if not (flt.date_from or flt.date_to):
        return 0
    return sum(1 for d in documents if not d.date and _matches(d, flt))


def _filters_text(flt: SearchFilters, lang: str) -> str:
    parts = []
    for label, values in (("regions", flt.regions), ("publishers", flt.publishers),
                          ("doc_types", tuple(doc_type(v, lang) for v in flt.doc_types)),
                          ("languages", tuple(language_name(v, lang) for v in flt.languages))):  # fmt: skip
        if values:
            parts.append(f"{t(label, lang)}: {', '.join(values)}")
    for key, value in (("date_from", flt.date_from), ("date_to", flt.date_to)):
        if value:
            parts.append(f"{t(key, lang).split(' (')[0]}: {value}")
    return "; ".join(parts) or t("no_filters", lang)


def search_html(result: SearchResult, documents: Sequence[Document], lang: str) -> str:
    """The result list with its notices, or an empty result that says why."""
    flt = result.filters
    detected = ""
    if result.region_detection_applied and result.detected_regions:
        chips = "".join(f'<span class="rp-chip">{esc(r)}</span>' for r in result.detected_regions)
        detected = f'<div class="rp-detected">{esc(t("detected", lang))} {chips}</div>'
    notes = []
    missing = regions_without_documents(flt, documents)
    if missing:
        notes.append(t("region_no_documents", lang, regions=", ".join(missing)))
    undated = undated_left_out(flt, documents)
    if undated:
        notes.append(t("undated_excluded", lang, n=undated))
    notices = "".join(f'<p class="rp-note">{esc(n)}</p>' for n in notes)
    searched = t("searched", lang, chunks=result.searched_chunks, mode=t(f"mode_{result.mode}", lang),
                 filters=_filters_text(flt, lang))  # fmt: skip
    if not result.hits:
        if missing and len(missing) == len(flt.regions):
            return f'<div class="rp-empty">{detected}{notices}</div>'
        hint = t("suggest_loosen" if result.mode == "hybrid" else "suggest", lang)
        return (f'<div class="rp-empty">{detected}<p><strong>{esc(t("no_hits", lang, query=result.query))}</strong></p>'
                f"{notices}<p>{esc(searched)}</p><p>{esc(hint)}</p></div>")  # fmt: skip
    head = f'<p class="rp-summary">{esc(t("hits_for", lang, n=len(result.hits), query=result.query))}. {esc(searched)}</p>'
    if result.mode != "dense" and not result.words_matched:
        head += f'<p class="rp-nearest">{esc(t("nearest_only", lang))}</p>'
    return detected + notices + head + "".join(hit_card(h, lang) for h in result.hits)

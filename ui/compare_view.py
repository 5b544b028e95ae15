"""The comparison view: the region × aspect table, the map beside it, the coverage bar
and the legend, in Swedish or English, built only from escaped text.

Text that comes from documents or the user (quotes, titles, publishers, aspects) is
escaped and marked ``rp-doc``: it stays in its own language when the app switches.
The table scrolls sideways under a sticky first column; each quote links to the
document at its section in the user's language; a secondary source is marked on the
cell with its publisher; the map's regions link to their cells (``regionmap.cell_id``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from regionplans.ui import regionmap
from regionplans.ui.i18n import t
from regionplans.ui.render import document_link, esc, hyphenated

SHORT_QUOTE = 160  # characters of the first quote shown on the cell


@dataclass(frozen=True, slots=True)
class CompareView:
    """What the comparison view shows for one table, column and language."""

    table_html: str
    map_html: str
    side_html: str
    columns: tuple[str, ...]
    column: str
    map_files: tuple[Path, ...] = field(default=())


def quote_link(ev: Any, lang: str) -> str:
    """The document view at the quote's section, in ``lang``."""
    path, _, anchor = document_link(ev.doc_id, ev.heading_path, ev.page_number).partition("#")
    return f"{path}?lang={lang}#{anchor}"


def _swatch(cat: str) -> str:
    hatch = " rp-swatch-hatch" if cat in regionmap.HATCH else ""
    return f'<span class="rp-swatch{hatch}" style="background-color:{regionmap.PALETTE[cat]}" aria-hidden="true"></span>'


def _secondary_marks(evidence: Sequence[Any], lang: str) -> str:
    publishers = list(dict.fromkeys(ev.publisher or ev.title for ev in evidence if ev.secondary))
    if not publishers:
        return ""
    names = ", ".join(f'<span class="rp-doc">{esc(p)}</span>' for p in publishers)
    return f'<div class="rp-secondary" title="{esc(t("secondary_explained", lang))}">{esc(t("secondary", lang))}: {names}</div>'


def evidence_html(evidence: Sequence[Any], lang: str) -> str:
    """Every quote of a cell with its source, each linking to the document's section."""
    items = []
    for ev in evidence:
        heading = " › ".join(ev.heading_path)
        src = " · ".join(
            x
            for x in (
                esc(ev.title),
                esc(heading),
                f"{esc(t('page', lang))} {ev.page_number}",
                esc(ev.date or ""),
            )
            if x
        )
        if ev.secondary:
            src += (
                f' · <em class="rp-secondary">{esc(t("secondary", lang))}: {esc(ev.publisher)}</em>'
            )
        url = ev.source_url or ""
        if url.startswith(("http://", "https://")):
            src += (
                f' · <a href="{esc(url)}" target="_blank" rel="noopener noreferrer">{esc(url)}</a>'
            )
        items.append(
            f'<li><a class="rp-quote-link" href="{esc(quote_link(ev, lang))}" target="_blank" rel="noopener">'
            f'<q class="rp-doc">{esc(ev.quote)}</q></a><div class="rp-src"><span class="rp-doc">{src}</span></div></li>'
        )
    return f"<ul class='rp-evidence'>{''.join(items)}</ul>" if items else ""


def cell_html(cell: Any, lang: str) -> str:
    """A cell: colour and label word, confidence, secondary sources, the first quote
    (a link to its section) and the full evidence; or why it is empty."""
    cat = regionmap.category(cell)
    evidence = list(cell.evidence)
    if not evidence:
        reason = cell.empty_reason or "nothing_relevant"
        return (f'<div class="rp-cell rp-cell-empty" data-reason="{esc(reason)}">{_swatch(cat)}'
                f"{esc(t(f'reason_{reason}', lang))}</div>")  # fmt: skip
    first = evidence[0]
    short = (
        first.quote
        if len(first.quote) <= SHORT_QUOTE
        else first.quote[: SHORT_QUOTE - 3].rsplit(" ", 1)[0] + " …"
    )
    extra = []
    if cell.triggers:
        extra.append(
            f"<div>{esc(t('triggers', lang))}: <span class='rp-doc'>{esc(', '.join(cell.triggers))}</span></div>"
        )
    for key in ("deadlines", "amounts"):
        values = getattr(cell, key)
        if values:
            extra.append(
                f"<div>{esc(t(key, lang))}: <span class='rp-doc'>{esc(', '.join(values))}</span></div>"
            )
    conf = f'<span class="rp-conf" title="{esc(t("confidence_explained", lang))}">{esc(t("confidence", lang))} {cell.confidence:.2f}</span>'
    return (
        f'<div class="rp-cell" data-label="{esc(cell.label)}">{_swatch(cat)}'
        f'<strong class="rp-label">{esc(regionmap.category_text(cat, lang))}</strong> {conf}'
        f"{_secondary_marks(evidence, lang)}"
        f'<a class="rp-quote rp-quote-link" href="{esc(quote_link(first, lang))}" target="_blank" rel="noopener" '
        f'title="{esc(t("open_section", lang))}"><span class="rp-doc">“{esc(short)}”</span> ↗</a>'
        f"<details><summary>{esc(t('evidence', lang))} ({len(evidence)})</summary>{''.join(extra)}"
        f"{evidence_html(evidence, lang)}</details></div>"
    )


def table_html(table: Any, lang: str, *, hide_empty: bool = False) -> str:
    """The region × aspect table; ``hide_empty`` drops rows without any documents."""
    cols = list(table.columns)
    by_key = {(c.row, c.column): c for c in table.cells}
    head = "".join(
        f'<th scope="col"><span class="rp-doc rp-colhead">{esc(c)}</span></th>' for c in cols
    )
    body = []
    for row, _group in table.rows:
        cells = [by_key.get((row, c)) for c in cols]
        if hide_empty and all(c is None or c.empty_reason == "no_documents" for c in cells):
            continue
        tds = "".join(
            f'<td id="{regionmap.cell_id(row, i)}">{cell_html(c, lang) if c is not None else ""}</td>'
            for i, c in enumerate(cells)
        )
        # Names are Swedish; their long words break only at hyphenation points.
        body.append(f'<tr><th scope="row" data-row="{esc(row)}"><span class="rp-doc rp-rowname" lang="sv">'
                    f"{hyphenated(row, 'sv')}</span></th>{tds}</tr>")  # fmt: skip
    shown = f"{len(body)}/{len(table.rows)}"
    return (
        f'<p class="rp-table-caption"><span class="rp-doc">{esc(table.topic)}</span> '
        f"<small>({esc(t('rows_shown', lang, shown=shown))})</small></p>"
        f'<div class="rp-table-wrap" tabindex="0"><table class="rp-table">'
        f"<thead><tr><th scope='col'>{esc(t('region', lang))}</th>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
    )


def legend_html(lang: str) -> str:
    """What each colour and label word means, and what confidence and a secondary source are."""
    items = "".join(
        f"<dt>{_swatch(cat)}{esc(regionmap.category_text(cat, lang))}</dt><dd>{esc(t(f'explain_{cat}', lang))}</dd>"
        for cat in regionmap.CATEGORIES
    )
    return (
        f'<div class="rp-legend"><h4>{esc(t("legend", lang))}</h4><dl>{items}</dl>'
        f"<p><strong>{esc(t('confidence', lang))}</strong>: {esc(t('confidence_explained', lang))}</p>"
        f"<p><strong>{esc(t('secondary', lang))}</strong>: {esc(t('secondary_explained', lang))}</p></div>"
    )


def coverage_html(table: Any, column: str, lang: str) -> str:
    """Two bars: regions with documents, and regions with evidence for ``column``."""
    cov = regionmap.coverage(table, column)
    bars = []
    for key, n, cls in (
        ("coverage_documents", cov.with_documents, "docs"),
        ("coverage_evidence", cov.with_evidence, "ev"),
    ):
        pct = round(100 * n / cov.regions) if cov.regions else 0
        bars.append(
            f'<div class="rp-cov-line">{esc(t(key, lang, n=n, total=cov.regions))}</div>'
            f'<div class="rp-bar" role="img" aria-label="{n}/{cov.regions}"><span class="rp-bar-{cls}" style="width:{pct}%"></span></div>'
        )
    return f'<div class="rp-coverage" data-documents="{cov.with_documents}" data-evidence="{cov.with_evidence}">{"".join(bars)}</div>'


def file_stem(table: Any) -> str:
    """A file name for the table's downloads, from its topic ("genomic-medicine-sweden")."""
    import re

    topic = str(getattr(table, "topic", "table")).lower()
    return re.sub(r"[^\w]+", "-", topic).strip("-")[:40] or "table"


def show(table: Any, lang: str, *, column: str | None = None, hide_empty: bool = False,
         folder: Path | None = None) -> CompareView:  # fmt: skip
    """The whole view for ``table`` (None: an empty view) coloured by ``column`` (the
    first when unknown); with ``folder``, the map is also saved there as PNG and SVG."""
    if table is None:
        return CompareView("", "", legend_html(lang), (), "")
    columns: tuple[str, ...] = tuple(table.columns)
    col = column if column is not None and column in columns else columns[0]
    files = (
        tuple(regionmap.write_map(table, lang, folder, column=col, stem=f"{file_stem(table)}-map"))
        if folder is not None
        else ()
    )
    caption = f'<p class="rp-map-hint">{esc(t("map_click", lang))}</p>'
    return CompareView(
        table_html=table_html(table, lang, hide_empty=hide_empty),
        map_html=f'<figure class="rp-map-figure">{regionmap.map_svg(table, lang, col)}</figure>{caption}',
        side_html=coverage_html(table, col, lang) + legend_html(lang),
        columns=columns, column=col, map_files=files,
    )  # fmt: skip


def topic_set_choices(names: Sequence[str] | Mapping[str, Any], lang: str) -> list[tuple[str, str]]:
    """The ready-made topic sets as (name in ``lang``, key) for a dropdown."""
    from regionplans.ui.i18n import TEXTS

    return [(t(f"topicset_{n}", lang) if f"topicset_{n}" in TEXTS else n, n) for n in names]


CSS = """
.rp-table-wrap{overflow-x:auto;max-width:100%;-webkit-overflow-scrolling:touch}
.rp-table{border-collapse:separate;border-spacing:0;width:max-content;min-width:100%}
.rp-table th,.rp-table td{border:1px solid #e5e7eb;padding:.5rem;vertical-align:top;text-align:left;overflow-wrap:break-word}
.rp-rowname,.rp-label,.rp-cell-empty{overflow-wrap:normal;word-break:normal;hyphens:manual}
.rp-rowname{display:block;max-width:10rem;min-width:min-content}
.rp-table .rp-cell,.rp-colhead{display:block;width:16rem}
.rp-table thead th{background:#f3f4f6;white-space:normal}
.rp-table th[scope=row],.rp-table thead th:first-child{position:sticky;left:0;z-index:2;background:#f9fafb;min-width:8rem}
.rp-table td:target{outline:3px solid #111827;outline-offset:-3px;background:#fefce8}
.rp-table td{scroll-margin:6rem}
.rp-table-caption{font-weight:600;margin:.3rem 0}
.rp-cell-empty{color:#4b5563;font-size:.85rem}
.rp-swatch{display:inline-block;width:.9rem;height:.9rem;border:1px solid #4d4d4d;border-radius:2px;margin-right:.35rem;vertical-align:-.1rem}
.rp-swatch-hatch{background-image:repeating-linear-gradient(45deg,#4d4d4d 0 1px,transparent 1px 5px)}
.rp-label{font-weight:600}
.rp-conf{color:#4b5563;font-size:.8rem;margin-left:.3rem;white-space:nowrap}
.rp-secondary{font-size:.8rem;color:#7c2d12;background:#fff7ed;border-radius:4px;padding:0 .3rem;margin:.2rem 0;display:inline-block}
.rp-quote{display:block;font-size:.9rem;margin:.25rem 0;color:inherit;text-decoration:none;text-align:left}
.rp-quote:hover{text-decoration:underline}
.rp-evidence li{margin:.4rem 0}
.rp-src{color:#6b7280;font-size:.85rem}
.rp-map-figure{margin:0}.rp-map-figure svg{width:100%;height:auto;max-height:72vh}
.rp-region path{cursor:pointer}.rp-region:hover path{stroke:#000;stroke-width:1.5}
.rp-map-hint{font-size:.85rem;color:#4b5563}
.rp-bar{height:.8rem;background:#e5e7eb;border-radius:4px;overflow:hidden;margin:.15rem 0 .5rem}
.rp-bar span{display:block;height:100%}.rp-bar-docs{background:#56b4e9}.rp-bar-ev{background:#009e73}
.rp-legend dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem .6rem;font-size:.85rem;margin:.3rem 0}
.rp-legend dt{font-weight:600}.rp-legend dd{margin:0}.rp-legend p{font-size:.85rem;margin:.3rem 0}
@media (max-width:640px){
 .rp-table th[scope=row],.rp-table thead th:first-child{min-width:0;font-size:.8rem}
 .rp-rowname{max-width:6rem}
 .rp-table .rp-cell,.rp-colhead{width:min(13rem,calc(100vw - 15rem))}
 .rp-legend dl{grid-template-columns:1fr}
}
"""


def export_files(
    table: Any, lang: str, folder: Path, roots: Sequence[Path] = ()
) -> tuple[list[str], list[tuple[str, str]]]:
    """The table as CSV (with its provenance file), XLSX, Markdown and JSON in ``folder``,
    in ``lang``, each made on its own; with the formats that failed."""
    from regionplans.compare import export

    slug = file_stem(table)
    options = export.ExportOptions(lang=lang, roots=tuple(roots))
    written, failed = export.write_each(
        table, folder, ("csv", "xlsx", "md", "json"), stem=slug, options=options
    )
    return [str(path) for path in written], failed

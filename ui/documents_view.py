"""The documents and upload views: the corpus table with where each field comes from,
the last ingest report and every upload's outcome per file, all in the user's language;
the edit form's values. Escaped like everything the app shows (:mod:`ui.render`)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from regionplans.ingest.documents import DocumentInfo
from regionplans.ingest.store import IngestReport
from regionplans.ingest.uploads import UploadResult, upload_name
from regionplans.ui.i18n import t
from regionplans.ui.reasons import reason, status
from regionplans.ui.render import document_link, esc, message_html, section_anchor
from regionplans.ui.search_view import doc_type, has_pages, language_name

COLUMNS = ("col_title", "col_publisher", "col_regions", "col_type", "col_date", "col_language", "col_source",
           "col_sections", "col_detected", "col_given")  # fmt: skip


def field_names(fields: dict[str, str], wanted: str, lang: str) -> str:
    """The fields whose source is ``wanted`` (``detected``) or not (``given``), named in ``lang``."""
    if wanted == "detected":
        return ", ".join(t(f"field_{k}", lang) for k, v in fields.items() if v == "detected")
    return ", ".join(f"{t(f'field_{k}', lang)} ({t(f'src_{v}', lang)})" for k, v in fields.items() if v != "detected")


def table_rows(infos: Sequence[DocumentInfo], lang: str) -> tuple[list[str], list[list[Any]]]:
    """The corpus table: headers and one row per document."""
    rows = []
    for info in infos:
        d = info.document
        rows.append([d.title, d.publisher, ", ".join(d.regions) or t("national", lang), doc_type(d.doc_type, lang),
                     d.date or t("undated", lang), language_name(d.language, lang), info.source, info.sections,
                     field_names(info.fields, "detected", lang), field_names(info.fields, "given", lang)])  # fmt: skip
    return [t(k, lang) for k in COLUMNS], rows


CONTENT = {"col_title", "col_publisher", "col_regions", "col_source"}  # the documents' own words and names


def table_html(infos: Sequence[DocumentInfo], lang: str) -> str:
    """The corpus table as HTML (every value escaped; the documents' own words marked)."""
    headers, rows = table_rows(infos, lang)
    marks = ["rp-content" if key in CONTENT else "rp-value" for key in COLUMNS]
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f'<td class="{m}">{esc(v)}</td>' for m, v in zip(marks, row, strict=True)) + "</tr>"
                   for row in rows)  # fmt: skip
    return (f'<div class="rp-table-wrap"><table class="rp-table rp-docs-table"><caption>{esc(t("documents_table", lang))}'
            f"</caption><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>")  # fmt: skip


def report_md(report: IngestReport | None, lang: str) -> str:
    """The last ingest report: its counts, then every file not ingested with its reason."""
    if report is None:
        return ""
    c = report.counts()
    lines = [f"**{t('ingest_report', lang)}**: " + t("report_summary", lang, **c)]
    for state, key in (("failed", "failed"), ("skipped", "skipped"), ("duplicate", "duplicates")):
        files = report.by_status(state)
        listed = "; ".join(f"`{Path(f.path).name}`: {reason(f.reason, lang)}" for f in files) or t("none", lang)
        lines.append(f"- {t(key, lang)}: {listed}")
    return "\n".join(lines)


def upload_html(result: UploadResult | None, names: Sequence[str], refused: Sequence[tuple[str, str]],
                docs: int, lang: str, mb: float) -> str:  # fmt: skip
    """Every uploaded file's outcome: a line each with its status and reason, and the counts.

    ``names`` are the original names of the files received (an ingest report names them
    by :func:`~regionplans.ingest.uploads.upload_name`); ``refused`` (name, reason key)
    are files the app turned away before ingest."""
    original = {upload_name(n): n for n in names}
    lines: list[tuple[str, str, str]] = [(name, "rejected", t(key, lang, mb=f"{mb:g}")) for name, key in refused]
    if result is not None:
        lines += [(r.name, "rejected", t(r.reason, lang, mb=f"{mb:g}")) for r in result.refused]
        if result.report is not None:
            for line in result.report.files:
                name = original.get(Path(line.path).name, Path(line.path).name)
                why = "" if line.status == "ingested" else reason(line.reason, lang)
                lines.append((name, line.status, why))
    counts = {s: sum(1 for _, st, _ in lines if st == s) for s in ("ingested", "unchanged", "failed", "duplicate")}
    counts["failed"] += sum(1 for _, st, _ in lines if st in ("skipped", "rejected"))
    head = message_html(t("upload_done", lang, ok=counts["ingested"], unchanged=counts["unchanged"],
                          failed=counts["failed"], dup=counts["duplicate"], docs=docs))  # fmt: skip
    items = "".join(
        f'<li class="rp-file rp-file-{esc(st)}">{esc(t("upload_file_line", lang, name=name, status=status(st, lang)))}'
        + (f" ({esc(why)})" if why else "") + "</li>"
        for name, st, why in lines
    )
    return head + (f'<ul class="rp-files">{items}</ul>' if items else "")


def sections_html(doc_id: str, document: Any, sections: Sequence[Any], lang: str) -> str:
    """A document's sections by heading path, each linking to the document page in ``lang``."""
    paged = has_pages(document)
    parts = [f"<h3>{esc(document.title)}</h3>"]
    for s in sections:
        link = document_link(doc_id, s.heading_path, s.page_number, lang)
        heading = " › ".join(s.heading_path) or "—"
        page = f" ({esc(t('page', lang))} {s.page_number})" if paged else ""
        parts.append(f'<details id="{esc(section_anchor(s.heading_path, s.page_number))}"><summary>'
                     f'<a href="{esc(link)}" target="_blank" rel="noopener">{esc(heading)}</a>{page}</summary>'
                     f'<p class="rp-passage">{esc(s.text)}</p></details>')  # fmt: skip
    return "".join(parts)


def edit_values(info: DocumentInfo | None) -> tuple[str, str, str, str | None, str, str]:
    """The edit form's values for a document (empty for none)."""
    if info is None:
        return "", "", "", None, "", ""
    d = info.document
    return d.title, d.publisher, "; ".join(d.regions), d.doc_type or None, d.date or "", d.source_url or ""


def changes(info: DocumentInfo, title: Any, publisher: Any, regions: Any, doc_type_: Any, date: Any, url: Any,
            lang: str) -> tuple[dict[str, Any], str | None]:  # fmt: skip
    """The fields the edit form changes (only those: a field left as it is stays detected),
    or the first problem with them in ``lang``."""
    from regionplans.records import DOC_TYPES
    from regionplans.ui.search_view import date_error

    def text(value: Any) -> str:
        return " ".join(value.split()) if isinstance(value, str) else ""

    d = info.document
    out: dict[str, Any] = {}
    for name, value, current in (("title", text(title), d.title), ("publisher", text(publisher), d.publisher)):
        if value != current:
            if not value:
                return {}, t("empty_field", lang, field=t(f"field_{name}", lang))
            out[name] = value
    if regions is not None:
        from regionplans.errors import ConfigError
        from regionplans.ingest.regions import resolve_region

        if not isinstance(regions, str):
            return {}, t("bad_text", lang, field=t("e_regions", lang))
        named = []
        for part in filter(None, (p.strip() for p in regions.replace(",", ";").split(";"))):
            try:
                named.append(resolve_region(part))
            except ConfigError as err:
                return {}, t("bad_region", lang, value=part[:100], hint=str(err)[:300])
        if tuple(dict.fromkeys(named)) != d.regions:
            out["regions"] = list(dict.fromkeys(named))
    if doc_type_ and doc_type_ != d.doc_type:
        if doc_type_ not in DOC_TYPES:
            return {}, t("bad_type_choice", lang)
        out["doc_type"] = doc_type_
    if text(date) and text(date) != (d.date or ""):
        problem = date_error((text(date),), lang)
        if problem:
            return {}, problem
        out["date"] = text(date)
    if text(url) and text(url) != (d.source_url or ""):
        if not text(url).startswith(("http://", "https://")):
            return {}, t("bad_url", lang)
        out["source_url"] = text(url)
    return out, None

"""HTML for the app, built only from escaped text: document text is untrusted.

Every string that comes from a document (passages, titles, headings, quotes) goes
through :func:`html.escape` before any markup is added, so a document containing
``<script>`` or ``<img onerror=...>`` is shown as text and runs nothing.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any
from urllib.parse import quote

from regionplans.ui.i18n import t


def esc(value: object) -> str:
    """Escape any value for HTML text and attribute context."""
    return html.escape("" if value is None else str(value), quote=True)


SHY = "\u00ad"  # a soft hyphen: where a word may break, shown as "-" only when it does
HYPHENATE_FROM = 13  # letters: shorter words fit a narrow column whole


@lru_cache(maxsize=4)
def _hyphenator(lang: str) -> Any:
    import pyphen

    return pyphen.Pyphen(lang={"sv": "sv_SE", "en": "en_GB"}.get(lang, lang), left=3, right=3)


def hyphenated(text: str, lang: str = "sv") -> str:
    """``text`` escaped for HTML, with soft hyphens at the hyphenation points of its long
    words (``lang``'s dictionary), so a narrow column breaks a name like
    "Västernorrland" as "Väster-/norrland", never at an arbitrary letter.

    >>> hyphenated("Region Västernorrland").replace(SHY, "|")
    'Region Väs|ter|norr|land'
    """
    words = re.split(r"(\w+)", text)
    return "".join(
        esc(_hyphenator(lang).inserted(w, hyphen=SHY) if len(w) >= HYPHENATE_FROM else w) for w in words
    )


def highlight(text: str, terms: Iterable[str]) -> str:
    """Escape ``text``, then wrap whole-word occurrences of ``terms`` in ``<mark>``.

    Matching runs on the escaped text with escaped terms, so marking can never
    reintroduce markup from the document.
    """
    escaped = esc(text)
    words = sorted({esc(term) for term in terms if term and term.strip()}, key=len, reverse=True)
    if not words:
        return escaped
    pattern = re.compile(
        r"(?<![\w&])(" + "|".join(re.escape(w) for w in words) + r")(?!\w)", re.IGNORECASE
    )
    return pattern.sub(lambda m: f"<mark>{m.group(1)}</mark>", escaped)


def section_anchor(heading_path: Sequence[str], page_number: int) -> str:
    """A stable HTML id for a section: page plus a slug of its heading path."""
    import unicodedata

    # ASCII only, so the fragment in a link is the same string as the id it targets.
    ascii_text = unicodedata.normalize("NFKD", " ".join(heading_path).lower()).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    return f"p{page_number}-{slug[:80]}" if slug else f"p{page_number}"


def document_link(doc_id: str, heading_path: Sequence[str], page_number: int, lang: str | None = None) -> str:
    """The URL of the document view in ``lang`` (when given), anchored at a section."""
    query = f"?lang={quote(lang)}" if lang else ""
    return f"/document/{quote(doc_id)}{query}#{quote(section_anchor(heading_path, page_number))}"


def message_html(text: str, kind: str = "info") -> str:
    """A short escaped notice."""
    return f'<div class="rp-notice rp-{esc(kind)}">{esc(text)}</div>'


def document_page(doc: Any, sections: Sequence[Any], lang: str) -> str:
    """A standalone page with a document's cleaned text in ``lang``'s frame, each section
    anchored by heading path (page numbers only where the document has pages)."""
    from regionplans.ui.search_view import has_pages, meta_html

    paged = has_pages(doc)
    parts = []
    for s in sections:
        anchor = section_anchor(s.heading_path, s.page_number)
        heading = " › ".join(s.heading_path) or "—"
        page = f' <small>({esc(t("page", lang))} {s.page_number})</small>' if paged else ""
        paras = "".join(f"<p>{esc(p)}</p>" for p in re.split(r"\n\s*\n", s.text) if p.strip())
        parts.append(f'<section id="{esc(anchor)}"><h2>{esc(heading)}{page}</h2>{paras}</section>')
    return (
        f"<!doctype html><html lang='{esc(lang)}'><head><meta charset='utf-8'>"
        f"<title>{esc(doc.title)}</title><style>{DOC_CSS}</style></head><body>"
        f"<p><a href='/?lang={esc(lang)}'>← {esc(t('back', lang))}</a></p><h1>{esc(doc.title)}</h1>"
        f"<p class='meta'>{meta_html(doc, lang)}</p>{''.join(parts)}</body></html>"
    )


DOC_CSS = """
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;line-height:1.55;color:#1f2937}
h1{font-size:1.6rem} h2{font-size:1.1rem;margin-top:2rem;color:#1e3a8a} .meta{color:#6b7280}
section:target{background:#fef9c3;outline:3px solid #facc15;border-radius:6px;padding:.25rem .75rem}
"""

APP_CSS = """
.rp-card{border:1px solid #e5e7eb;border-radius:10px;padding:.9rem 1.1rem;margin:.7rem 0;background:#fff;position:relative}
.rp-rank{position:absolute;right:1rem;top:.8rem;color:#9ca3af;font-weight:600}
.rp-title{margin:0 0 .2rem 0;font-size:1.05rem;color:#1e3a8a}
.rp-meta,.rp-terms,.rp-src{color:#6b7280;font-size:.85rem}
.rp-heading{font-size:.9rem;font-style:italic;color:#374151;margin:.2rem 0}
.rp-passage{margin:.5rem 0;white-space:pre-wrap}
.rp-passage mark{background:#fde68a;padding:0 .1rem;border-radius:2px}
.rp-chip{display:inline-block;background:#dbeafe;color:#1e40af;border-radius:999px;padding:.1rem .6rem;margin:0 .2rem;font-size:.85rem}
.rp-empty{border:1px dashed #d1d5db;border-radius:10px;padding:1rem}
.rp-notice{padding:.6rem .9rem;border-radius:8px;background:#eff6ff}
.rp-error{background:#fef2f2;color:#991b1b}
"""


def theme() -> Any:
    """The app's theme with system fonts only: nothing is fetched from the internet."""
    import gradio as gr

    system = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "sans-serif"]
    mono = ["ui-monospace", "SFMono-Regular", "Menlo", "monospace"]
    return gr.themes.Soft(primary_hue="blue", font=system, font_mono=mono)

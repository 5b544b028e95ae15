"""Build real inputs in tests: multi-page PDFs with a text layer, HTML pages, .docx,
a private copy of a data directory, the seeds as documents with paragraph chunks, and
hand-built documents (with a searcher over them for comparison tables).

Every builder writes a genuine file that the production readers parse (pypdf,
selectolax, python-docx); nothing is mocked.

>>> make_pdf(tmp / "plan.pdf", [["# Inledning", "Text på sida ett."], ["Text på sida två."]],
...          header="Region Testlän | Handlingsplan")
"""

from __future__ import annotations

import csv
import html as _html
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from regionplans.records import Chunk, Document, Hit, SearchFilters, SearchResult, content_hash

PageSpec = Sequence[str]


def make_pdf(
    path: Path,
    pages: Sequence[PageSpec],
    header: str | None = None,
    *,
    title: str | None = None,
    footer_page_numbers: bool = False,
    encrypt_password: str | None = None,
    text_layer: bool = True,
) -> Path:
    """Write a PDF with one page per item of ``pages``.

    Each page is a list of lines. A line starting with ``"# "`` is set as a heading
    (bold, larger); every other line is body text set exactly as given, so a line
    ending in ``"-"`` produces a real hyphenated line break in the text layer.
    ``header`` is printed at the top of every page (the running header readers must
    drop); ``footer_page_numbers`` prints "Sida n" at the bottom. ``text_layer=False``
    draws only shapes (a scanned page without text). ``encrypt_password`` encrypts
    the file with a user password.
    """
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=False)
    if title:
        pdf.set_title(title)
    for number, lines in enumerate(pages, start=1):
        pdf.add_page()
        if not text_layer:
            pdf.set_fill_color(120, 120, 120)
            for row in range(len(lines) or 1):
                pdf.rect(20, 30 + row * 8, 150, 5, style="F")
            continue
        y = 15.0
        if header:
            pdf.set_font("Helvetica", size=8)
            pdf.text(20, y, header)
            y += 12
        for line in lines:
            if line.startswith("# "):
                y += 4
                pdf.set_font("Helvetica", style="B", size=14)
                pdf.text(20, y, line[2:])
                y += 9
            elif line == "":
                y += 5
            else:
                pdf.set_font("Helvetica", size=11)
                pdf.text(20, y, line)
                y += 6
        if footer_page_numbers:
            pdf.set_font("Helvetica", size=8)
            pdf.text(100, 287, f"Sida {number}")
    if encrypt_password is not None:
        pdf.set_encryption(owner_password=encrypt_password + "-owner", user_password=encrypt_password)
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(path))
    return path


NAV = (
    '<nav class="main-nav"><ul><li><a href="/">Start</a></li><li><a href="/vard">Vård och hälsa</a>'
    '</li><li><a href="/om">Om regionen</a></li><li><a href="/sok">Sök</a></li></ul></nav>'
)
COOKIE = (
    '<div id="cookie-banner" class="cookie-consent"><p>Vi använder kakor (cookies) för att '
    "förbättra din upplevelse av webbplatsen.</p><button>Godkänn alla kakor</button></div>"
)
BROWSER_WARNING = (
    '<div class="browser-warning"><p>Din webbläsare stödjs inte längre!</p><p>Din webbläsare, '
    "Internet Explorer, är för gammal. Vänligen uppdatera din webbläsare.</p></div>"
)
FOOTER = (
    "<footer><p>Region Testlän</p><p>Box 123, 701 16 Örebro</p><p>Telefon: 019-602 10 00</p>"
    "<p>Organisationsnummer: 232100-0164</p></footer>"
)


def make_html(
    path: Path,
    title: str,
    body_html: str,
    with_nav: bool = True,
    with_cookie_banner: bool = True,
    with_footer: bool = True,
    *,
    with_browser_warning: bool = False,
    lang: str = "sv",
    published: str | None = None,
    script: bool = True,
) -> Path:
    """Write an HTML page: ``<h1>title</h1>`` then ``body_html`` inside ``<main>``,
    wrapped in the chrome a real regional site has (nav, cookie banner, footer,
    script and style tags) so readers must find the main content.
    ``published`` (ISO date) adds a ``<meta name="date">`` and a "Publicerad:" line.
    """
    head = [f"<title>{_html.escape(title)} - Region Testlän</title>", "<style>body{font:1em sans-serif}</style>"]
    if published:
        head.append(f'<meta name="date" content="{published}">')
    if script:
        head.append('<script>window.dataLayer=[];function track(){return "Sök spårning";}</script>')
    parts = ["<!DOCTYPE html>", f'<html lang="{lang}"><head><meta charset="utf-8">', *head, "</head><body>"]
    if with_cookie_banner:
        parts.append(COOKIE)
    if with_browser_warning:
        parts.append(BROWSER_WARNING)
    if with_nav:
        parts.append(NAV)
    parts.append(f"<main><article><h1>{_html.escape(title)}</h1>")
    if published:
        parts.append(f'<p class="date">Publicerad: {published}</p>')
    parts.append(body_html)
    parts.append("</article></main>")
    if with_footer:
        parts.append(FOOTER)
    if script:
        parts.append('<script>console.log("analys");</script>')
    parts.append("</body></html>")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(parts), encoding="utf-8")
    return path


def make_docx(
    path: Path,
    blocks: Sequence[tuple[str, str]],
    *,
    title: str | None = None,
) -> Path:
    """Write a Word file from ``(kind, text)`` blocks: kind ``"h1"``..``"h3"`` for a
    heading (Word's Heading n style), ``"p"`` for a paragraph, ``"li"`` for a bullet."""
    import docx

    document = docx.Document()
    if title:
        document.core_properties.title = title
    for kind, text in blocks:
        if kind.startswith("h") and kind[1:].isdigit():
            document.add_heading(text, level=int(kind[1:]))
        elif kind == "li":
            document.add_paragraph(text, style="List Bullet")
        else:
            document.add_paragraph(text)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path


def copy_data_dir(source: Path, dest: Path) -> Path:
    """A private copy of a data directory (ingest store and index) for a test to change.

    Holes kept (qdrant preallocates its storage files, mostly empty), and without the
    lock files and the reader views that other tests of the session hold open.
    """
    import shutil

    from regionplans.index.store_views import copy_sparse

    shutil.copytree(source, dest, dirs_exist_ok=True, copy_function=copy_sparse,
                    ignore=shutil.ignore_patterns("*.lock", "readers"))  # fmt: skip
    return dest


# Four one-sentence paragraphs on the topics of the plans, for tiny indexes.
TOPICS = [
    "Regionen bygger upp ett kompetenscentrum för precisionshälsa med universitetet.",
    "Bioinformatiker behövs för att analysera genomdata i vården.",
    "Biobanken samlar prover för forskning om cancer och sällsynta diagnoser.",
    "Life science-strategin lyfter samverkan mellan akademi, näringsliv och vård.",
]


def make_doc(
    name: str, region: str, paragraphs: list[str], date: str = "2023-01-01"
) -> tuple[Document, list[Chunk]]:
    """A plain-text document ``name`` whose chunks are ``paragraphs`` (no ingest needed)."""
    text = "\n\n".join(paragraphs)
    doc_id = content_hash(name)
    doc = Document(
        doc_id=doc_id, file_path=f"{name}.txt", title=name, publisher=region, regions=(region,),
        doc_type="strategy", language="sv", date=date, text=text, file_hash=content_hash(text),
    )  # fmt: skip
    chunks = [
        Chunk(Chunk.make_id(doc_id, (), p, i), doc_id, p, (), 1, i, 0, len(p))
        for i, p in enumerate(paragraphs)
    ]
    return doc, chunks


def selects(flt: SearchFilters, doc: Document) -> bool:
    """Whether ``flt``'s region, publisher and document-id restrictions (those the
    comparison table uses) admit ``doc``, as the store's filter would."""
    return ((not flt.regions or bool(set(flt.regions) & set(doc.regions)))
            and (not flt.publishers or doc.publisher in flt.publishers)
            and (not flt.doc_ids or doc.doc_id in flt.doc_ids))  # fmt: skip


class HandSearcher:
    """A searcher over hand-built documents for comparison-table tests: every document
    is one chunk, returned for any query in the order given (no index needed)."""

    def __init__(self, documents: list) -> None:  # type: ignore[type-arg]
        self.docs = documents

    def documents(self) -> list:  # type: ignore[type-arg]
        return self.docs

    def index_info(self) -> dict:  # type: ignore[type-arg]
        return {"model": "hand", "version": "v1"}

    def search_batch(self, requests, *, mode="hybrid", limit=10, per_doc=None, explain=True, rescore=True, candidates=100):  # type: ignore[no-untyped-def]
        from regionplans.records import Chunk, Hit, SearchResult

        out = []
        for query, flt in requests:
            hits = []
            for i, doc in enumerate(d for d in self.docs if selects(flt, d)):
                chunk = Chunk(f"c{doc.doc_id}", doc.doc_id, doc.text, (), 1, 0, 0, len(doc.text))
                hits.append(Hit(chunk, doc, score=1.0 - i / 100, rank=i + 1, dense_rank=i + 1))
            out.append(SearchResult(query, mode, tuple(hits[:limit]), flt))
        return out


CORPUS = Path(__file__).resolve().parent.parent / "corpus"
HEADING = re.compile(r"^(MÅL \d+):?\s*$")


def paragraph_chunks(doc_id: str, text: str, max_chars: int) -> list[Chunk]:
    """Paragraph chunks of about ``max_chars``; a "MÅL n" line starts a new heading."""
    chunks: list[Chunk] = []
    heading: tuple[str, ...] = ()
    buf: list[str] = []
    start = pos = 0

    def emit(end: int) -> None:
        body = "\n".join(buf).strip()
        if body:
            sid = len(chunks)
            chunk_id = Chunk.make_id(doc_id, heading, body, sid)
            chunks.append(Chunk(chunk_id, doc_id, body, heading, 1, sid, start, end))

    for line in text.splitlines(keepends=True):
        match = HEADING.match(line.strip())
        if match or (sum(len(b) for b in buf) > max_chars and not line.strip()):
            emit(pos)
            buf, start = [], pos
            if match:
                heading = (match.group(1),)
        buf.append(line.rstrip("\n"))
        pos += len(line)
    emit(pos)
    return chunks


def seed_items(corpus: Path = CORPUS, max_chars: int = 700) -> list[tuple[Document, list[Chunk]]]:
    """The seed texts as documents (metadata from the manifest) and paragraph chunks."""
    items = []
    with (corpus / "manifest.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        text = (corpus / row["file"]).read_text(encoding="utf-8")
        doc_id = content_hash(row["file"], text)
        doc = Document(
            doc_id=doc_id,
            file_path=row["file"],
            title=row["title"],
            publisher=row["publisher"],
            regions=tuple(r for r in row["regions"].split(";") if r),
            doc_type=row["doc_type"],
            language=row["language"],
            date=row["date"] or None,
            text=text,
            file_hash=content_hash(text),
            acronyms=(("PM", "precisionsmedicin"),) if "PM" in text else (),
            metadata_source="manifest",
        )
        items.append((doc, paragraph_chunks(doc_id, text, max_chars)))
    return items


# Three hand-built documents for comparison-table tests (no index needed).
TABLE_TEXTS = {
    "own": "Om oss\n\nRegionen ska senast 2025 inrätta ett centrum för precisionsmedicin med 50 mnkr. Övrigt arbete pågår.",
    "news": "Lif skriver att Region Uppsala avser att satsa på precisionsmedicin under 2024.",
    "other": "Dalarna bygger nya vårdcentraler.",
}


def _table_doc(key: str, publisher: str, regions: tuple[str, ...]) -> Document:
    return Document(doc_id=key, file_path=f"{key}.txt", title=key.title(), publisher=publisher,
                    regions=regions, doc_type="news", language="sv", date="2024-01-01",
                    text=TABLE_TEXTS[key], file_hash=key)  # fmt: skip


TABLE_DOCS = [_table_doc("own", "Region Uppsala", ("Region Uppsala",)), _table_doc("news", "Lif", ("Region Uppsala",)),
        _table_doc("other", "Region Dalarna", ("Region Dalarna",))]  # fmt: skip


class TableSearcher:
    """Returns every chunk of the filtered documents, own text first (fixed scores)."""

    def documents(self) -> list[Document]:
        return TABLE_DOCS

    def index_info(self) -> dict[str, Any]:
        return {"model": "test-model", "version": "v1"}

    def search_batch(self, requests: Sequence[tuple[str, SearchFilters]], *, mode: str = "hybrid",
                     limit: int = 10, per_doc: int | None = None, explain: bool = True,
                     rescore: bool = True, candidates: int = 100) -> list[SearchResult]:  # fmt: skip
        out = []
        for query, flt in requests:
            hits = []
            for i, doc in enumerate(d for d in TABLE_DOCS if selects(flt, d)):
                chunk = Chunk(
                    f"c{doc.doc_id}", doc.doc_id, doc.text, ("Del 1",), 2, 0, 0, len(doc.text)
                )
                hits.append(Hit(chunk, doc, score=1.0 - i / 10, rank=i + 1, dense_rank=i + 1))
            out.append(SearchResult(query, mode, tuple(hits), flt))
        return out

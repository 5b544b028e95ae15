"""PDF: each page's text in reading order, headings from type sizes, scans OCR'd.

PDFium (pypdfium2) reads the text layer with every character's box and font
(:mod:`~regionplans.ingest.pdf_layout`: columns kept apart, headings from size and
weight); pages without a text layer are rendered and read by Tesseract
(:mod:`~regionplans.ingest.ocr`), and the document notes say which ("OCR on 5 of 5
pages"). A file PDFium cannot open is tried with pypdf, which repairs more kinds of
damage, before it is reported. Encrypted, corrupt and image-only files get clear errors.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from regionplans.errors import IngestError
from regionplans.ingest.readers import Extracted, Signals
from regionplans.ingest.titles import useful_title

log = logging.getLogger(__name__)

_ENCRYPTED = "encrypted PDF (password protected); save an unprotected copy"


def read_pdf(path: Path) -> Extracted:
    """Read every page. Page *n* of the file is ``pages[n - 1]``."""
    import pypdfium2 as pdfium

    with path.open("rb") as handle:
        head = handle.read(1024)
    if b"%PDF-" not in head:
        raise IngestError(str(path), "not a PDF file (no %PDF header); corrupt or wrong extension")
    try:
        document = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        if exc.err_code == pdfium.raw.FPDF_ERR_PASSWORD:
            raise IngestError(str(path), _ENCRYPTED) from exc
        log.info("PDFium cannot open %s (%s); trying pypdf", path, exc)
        return _read_with_pypdf(path)
    try:
        return _read_document(path, document)
    finally:
        document.close()


def _read_document(path: Path, document: Any) -> Extracted:
    from regionplans.ingest.pdf_layout import PageLayout, headings, read_layout

    count = len(document)
    if count == 0:
        raise IngestError(str(path), "PDF has no pages")
    layouts: list[PageLayout] = []
    scanned: list[int] = []
    from regionplans.ingest.ocr import page_needs_ocr

    for index in range(count):
        layout = PageLayout((), (), ())
        page = textpage = None
        try:
            page = document[index]
            textpage = page.get_textpage()
            chars = textpage.count_chars()
            layout = read_layout(textpage)
            if page_needs_ocr(page, chars if any(line.strip() for line in layout.lines) else 0):
                scanned.append(index)
        except Exception as exc:  # noqa: BLE001 - one damaged page must not lose the others
            log.warning("%s: page %d could not be read: %s", path, index + 1, exc)
        finally:
            for handle in (textpage, page):
                if handle is not None:
                    handle.close()
        layouts.append(layout)
    pages, declared = headings(layouts)
    texts = ["\n".join(lines) for lines in pages]
    notes: list[str] = []
    columns = [i + 1 for i, layout in enumerate(layouts) if layout.reordered]
    if columns:
        from regionplans.ingest.furniture import page_ranges

        notes.append(f"columns read apart on page{'s' if len(columns) > 1 else ''} {page_ranges(columns)}")
    spaced = sum(layout.spaced for layout in layouts)
    if spaced:
        notes.append(f"letter-spaced lines set solid: {spaced}")
    if scanned:
        texts, note = _ocr(path, document, scanned, texts)
        notes.append(note)
    if not any(text.strip() for text in texts):
        why = f", and OCR found no text ({notes[-1]})" if scanned else " and nothing drawn on them to OCR"
        raise IngestError(str(path), f"no text layer on any of its {count} page(s){why}")
    metadata: dict[str, str] = {}
    try:
        metadata = document.get_metadata_dict(skip_empty=True)
    except Exception:  # noqa: BLE001 - broken metadata must not lose the text
        metadata = {}
    title = useful_title(metadata.get("Title"), path)
    cover = cover_title(layouts[0].lines, layouts[0].sizes) if layouts else ""
    return Extracted(kind="pdf", pages=tuple(texts), headings=tuple(declared), title=title, notes=tuple(notes),
                     signals=_signals(metadata, cover))  # fmt: skip


def _signals(metadata: Mapping[str, object], cover: str = "") -> Signals:
    """The document information dictionary's author, title and creation date, and the cover title."""
    created = re.match(r"(?:D:)?((?:19|20)\d{2})(\d{2})?(\d{2})?", str(metadata.get("CreationDate") or ""))
    date = "-".join(part for part in created.groups() if part) if created else ""
    return Signals(author=str(metadata.get("Author") or "").strip(), meta_title=str(metadata.get("Title") or "").strip(),
                   cover_title=cover, file_date=date)  # fmt: skip


def cover_title(lines: Sequence[str], sizes: Sequence[float]) -> str:
    """The text set in the largest type on a first page (a cover's title), in reading
    order; empty when nothing stands out from the body text."""
    sized = [(size, line) for line, size in zip(lines, sizes, strict=False) if size > 0 and re.search(r"[^\W\d_]{2}", line)]
    if not sized:
        return ""
    top = max(size for size, _ in sized)
    by_chars = sorted((size, len(text)) for size, text in sized)
    half, seen, body = sum(n for _, n in by_chars) / 2, 0, by_chars[0][0]
    for size, n in by_chars:  # the size of the median character: the body text's
        seen += n
        if seen >= half:
            body = size
            break
    if top < body * 1.3:
        return ""
    return " ".join(" ".join(text for size, text in sized if size >= top * 0.95).split())[:200]


def _ocr(path: Path, document: Any, scanned: list[int], texts: list[str]) -> tuple[list[str], str]:
    """``texts`` with the scanned pages OCR'd, and the note saying so."""
    from regionplans.ingest.ocr import OcrUnavailable, ocr_pages

    total = len(texts)
    try:
        result = ocr_pages(document, scanned, label=path.name)
    except OcrUnavailable as exc:
        if len(scanned) == total:
            raise IngestError(str(path), f"no text layer on any of its {total} page(s) (a scan): {exc}") from exc
        return texts, f"{len(scanned)} of {total} pages have no text layer and were not OCR'd: {exc}"
    texts = list(texts)
    for index, text in result.texts.items():
        texts[index] = text
    found = [i for i, text in result.texts.items() if text.strip()]
    from regionplans.ingest.furniture import page_ranges

    note = f"OCR on {len(scanned)} of {total} pages"
    if len(scanned) < total:
        note += f" (page{'s' if len(scanned) > 1 else ''} {page_ranges([i + 1 for i in scanned])})"
    note += f", {result.seconds:.1f} s"
    if len(found) < len(result.texts):
        note += f"; no text found on {len(result.texts) - len(found)}"
    if result.failed:
        first = next(iter(result.failed.values()))
        note += f"; {len(result.failed)} failed ({first})"
    return texts, note


def _read_with_pypdf(path: Path) -> Extracted:
    """The text layer through pypdf, for files PDFium refuses (no layout, no OCR)."""
    import pypdf
    from pypdf.errors import PdfReadError

    # pypdf logs recoverable damage as warnings; keep them out of the user's report.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = pypdf.PdfReader(str(path), strict=False)
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")
            except Exception as exc:  # noqa: BLE001 - pypdf raises several types here
                raise IngestError(
                    str(path), f"encrypted PDF that cannot be opened ({exc}); save an unprotected copy"
                ) from exc
            if not opened:
                raise IngestError(str(path), _ENCRYPTED)
        pages = tuple(_page_text(page) for page in reader.pages)
        info: dict[str, object] = {}
        try:
            info = {str(k).lstrip("/"): v for k, v in (reader.metadata or {}).items()}
        except Exception:  # noqa: BLE001 - broken metadata must not lose the text
            info = {}
    except IngestError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError, RecursionError) as exc:
        raise IngestError(str(path), f"corrupt PDF ({type(exc).__name__}: {exc})") from exc
    if not pages:
        raise IngestError(str(path), "PDF has no pages")
    if not any(page.strip() for page in pages):
        raise IngestError(
            str(path),
            f"no text layer on any of its {len(pages)} page(s), and the file is too damaged to render for OCR",
        )
    return Extracted(kind="pdf", pages=pages, title=useful_title(str(info.get("Title") or ""), path),
                     notes=("read with pypdf (damaged file)",), signals=_signals(info))  # fmt: skip


def _page_text(page: object) -> str:
    try:
        return page.extract_text() or ""  # type: ignore[attr-defined]
    except Exception as exc:  # noqa: BLE001 - one damaged page must not lose the others
        log.warning("page text could not be extracted: %s", exc)
        return ""


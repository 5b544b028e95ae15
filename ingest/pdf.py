"""PDF: text per page with pypdf; clear errors for encrypted, corrupt and image-only files."""

from __future__ import annotations

import logging
from pathlib import Path

from regionplans.errors import IngestError
from regionplans.ingest.readers import Extracted

log = logging.getLogger(__name__)


def read_pdf(path: Path) -> Extracted:
    """Read the text layer of every page. Page *n* of the file is ``pages[n - 1]``."""
    import pypdf
    from pypdf.errors import PdfReadError

    with path.open("rb") as handle:
        head = handle.read(1024)
    if b"%PDF-" not in head:
        raise IngestError(str(path), "not a PDF file (no %PDF header); corrupt or wrong extension")
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
                raise IngestError(
                    str(path), "encrypted PDF (password protected); save an unprotected copy"
                )
        pages = tuple(_page_text(page) for page in reader.pages)
        title = None
        try:
            meta = reader.metadata
            title = str(meta.title).strip() if meta and meta.title else None
        except Exception:  # noqa: BLE001 - broken metadata must not lose the text
            title = None
    except IngestError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError) as exc:
        raise IngestError(str(path), f"corrupt PDF ({type(exc).__name__}: {exc})") from exc
    if not pages:
        raise IngestError(str(path), "PDF has no pages")
    if not any(page.strip() for page in pages):
        raise IngestError(
            str(path),
            f"no text layer on any of its {len(pages)} page(s) (a scan?); run OCR first, "
            "e.g. ocrmypdf in.pdf out.pdf",
        )
    return Extracted(kind="pdf", pages=pages, title=title or None)


def _page_text(page: object) -> str:
    try:
        return page.extract_text() or ""  # type: ignore[attr-defined]
    except Exception as exc:  # noqa: BLE001 - one damaged page must not lose the others
        log.warning("page text could not be extracted: %s", exc)
        return ""

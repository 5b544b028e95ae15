"""Word (.docx) with python-docx: paragraphs in order, headings from paragraph styles."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from regionplans.errors import IngestError
from regionplans.ingest.readers import Extracted

_HEADING_STYLE = re.compile(r"^(?:heading|rubrik)\s*(\d)$", re.IGNORECASE)


def read_docx(path: Path) -> Extracted:
    """Read body paragraphs and tables; "Heading n"/"Rubrik n"/"Title" styles become headings."""
    import docx

    if not zipfile.is_zipfile(path):
        raise IngestError(str(path), "not a Word .docx file (not a zip package); corrupt or wrong extension")
    try:
        document = docx.Document(str(path))
    except Exception as exc:  # noqa: BLE001 - python-docx raises many types for broken files
        raise IngestError(str(path), f"corrupt .docx ({type(exc).__name__}: {exc})") from exc
    blocks: list[str] = []
    headings: list[tuple[int, str]] = []
    for paragraph in document.paragraphs:
        text = " ".join(paragraph.text.split())
        if not text:
            continue
        style = (paragraph.style.name if paragraph.style is not None else "") or ""
        match = _HEADING_STYLE.match(style)
        if match or style.lower() in ("title", "rubrik"):
            headings.append((int(match.group(1)) if match else 1, text))
        elif "list" in style.lower() or "lista" in style.lower():
            text = "• " + text
        blocks.append(text)
    for table in document.tables:
        for row in table.rows:
            cells = [" ".join(cell.text.split()) for cell in row.cells]
            line = " | ".join(dict.fromkeys(c for c in cells if c))
            if line:
                blocks.append(line)
    title = document.core_properties.title or next((t for level, t in headings if level == 1), None)
    return Extracted(kind="docx", pages=("\n\n".join(blocks),), headings=tuple(headings), title=title or None)

"""Plain text and Markdown: decode with the right encoding, keep Markdown headings."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from regionplans.errors import IngestError
from regionplans.ingest.readers import Extracted

# Bytes that never occur in text: a file with many of them is binary whatever its name.
_CONTROL = set(range(0, 9)) | {11, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31}


def decode(data: bytes, path: str = "<bytes>") -> tuple[str, str]:
    """Decode ``data``: UTF-8 (with or without BOM), UTF-16 with BOM, else cp1252, else latin-1.

    Returns ``(text, encoding)``. Raises :class:`IngestError` for binary data.
    """
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        return data.decode("utf-16"), "utf-16"
    sample = data[:65536]
    if sample and sum(b in _CONTROL for b in sample) / len(sample) > 0.01:
        raise IngestError(path, "binary data, not text (wrong extension?)")
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        # cp1252 leaves five bytes undefined; latin-1 decodes everything.
        return data.decode("latin-1"), "latin-1"


_MD_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$", re.MULTILINE)


def read_text(path: Path) -> Extracted:
    """Read a ``.txt``/``.md`` file; form feeds separate pages, ``#`` lines are headings."""
    text, encoding = decode(path.read_bytes(), str(path))
    notes: tuple[str, ...] = ()
    if encoding not in ("utf-8", "utf-16"):
        notes = (f"decoded as {encoding} (not valid UTF-8)",)
    headings: list[tuple[int, str]] = []
    if path.suffix.lower() == ".md":
        headings = [(len(m.group(1)), m.group(2)) for m in _MD_HEADING.finditer(text)]
        text = _MD_HEADING.sub(lambda m: m.group(2), text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return Extracted(kind="text", pages=tuple(text.split("\f")), headings=tuple(headings), notes=notes)

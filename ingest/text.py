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
    """Decode ``data``: UTF-32 or UTF-16 with a BOM (UTF-32 first: its little-endian BOM
    starts with UTF-16's), UTF-16/32 without one when the zero bytes say so, UTF-8 (with
    or without BOM), else cp1252, else latin-1.

    Returns ``(text, encoding)``. Raises :class:`IngestError` for binary data.
    """
    for bom, codec in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                       (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):  # fmt: skip
        if data.startswith(bom):
            try:
                return data.decode(codec), codec
            except UnicodeDecodeError as exc:
                raise IngestError(path, f"not valid {codec.upper()} although it starts with its byte order mark") from exc
    sample = data[:65536]
    wide = _wide_codec(sample)
    if wide is not None:
        try:
            return data.decode(wide), wide
        except UnicodeDecodeError:
            pass
    controls = sum(b in _CONTROL for b in sample)
    # A stray NUL or two in a short text is damage (removed in cleaning), not binary data.
    if sample and (controls > 0.1 * len(sample) or (controls > 0.01 * len(sample) and controls > 3)):
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


def _wide_codec(sample: bytes) -> str | None:
    """UTF-16 or UTF-32 without a BOM: the zero bytes of Latin text fall in fixed places."""
    if len(sample) < 16 or sample.count(0) < len(sample) // 3:
        return None
    units = [sample[i : i + 4] for i in range(0, min(len(sample) // 4 * 4, 4096), 4)]
    if sum(u[1:] == b"\0\0\0" and u[0] != 0 for u in units) > 0.9 * len(units):
        return "utf-32-le"
    if sum(u[:3] == b"\0\0\0" and u[3] != 0 for u in units) > 0.9 * len(units):
        return "utf-32-be"
    pairs = len(sample) // 2 * 2
    odd = sum(1 for i in range(1, pairs, 2) if sample[i] == 0)
    even = sum(1 for i in range(0, pairs, 2) if sample[i] == 0)
    if odd > 0.4 * pairs / 2 and even < 0.05 * pairs / 2:
        return "utf-16-le"
    if even > 0.4 * pairs / 2 and odd < 0.05 * pairs / 2:
        return "utf-16-be"
    return None


_MD_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$", re.MULTILINE)


def read_text(path: Path) -> Extracted:
    """Read a ``.txt``/``.md`` file; form feeds separate pages, ``#`` lines are headings."""
    text, encoding = decode(path.read_bytes(), str(path))
    notes: tuple[str, ...] = ()
    if encoding not in ("utf-8", "utf-16", "utf-32"):
        notes = (f"decoded as {encoding} (not valid UTF-8)",)
    headings: list[tuple[int, str]] = []
    if path.suffix.lower() == ".md":
        headings = [(len(m.group(1)), m.group(2)) for m in _MD_HEADING.finditer(text)]
        text = _MD_HEADING.sub(lambda m: m.group(2), text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return Extracted(kind="text", pages=tuple(text.split("\f")), headings=tuple(headings), notes=notes)

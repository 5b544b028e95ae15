"""What a reader returns, and the choice of reader by file extension.

Each format has its own module (``pdf``, ``html``, ``text``, ``docx``); all of them
return an :class:`Extracted`: raw text per page plus whatever structure the format
states explicitly (headings with their level, a title, a date, a language).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path

from regionplans.errors import IngestError

# Bump when a reader changes what it extracts: stored reader output of another
# version is read again from the file (OCR, columns and headings came with "2").
READER_VERSION = "3"  # "3": signals (site name, footer, author, cover title, file date)


@dataclass(frozen=True, slots=True)
class Signals:
    """What a file says about itself, apart from its text."""

    site_name: str = ""  # og:site_name / application-name
    page_title: str = ""  # <title>
    og_title: str = ""
    url: str = ""  # og:url / canonical / a source URL
    author: str = ""  # meta author / PDF author
    footer: str = ""  # the page's footer text
    meta_title: str = ""  # a PDF's or Word file's metadata title, as the file has it
    cover_title: str = ""  # the largest text of a PDF's first page; a Word file's Title paragraph
    file_date: str = ""  # a PDF's or Word file's creation date (ISO), as the file has it


@dataclass(frozen=True, slots=True)
class Extracted:
    """Raw text of one file as its reader found it, before cleaning.

    ``pages`` holds one string per page (one page for formats without pages);
    ``headings`` are headings the markup declares, as ``(level, text)``;
    ``title``/``date``/``language`` come from file metadata where present.
    """

    kind: str
    pages: tuple[str, ...]
    headings: tuple[tuple[int, str], ...] = ()
    title: str | None = None
    date: str | None = None
    language: str | None = None
    notes: tuple[str, ...] = ()
    signals: Signals = Signals()

    @property
    def text(self) -> str:
        return "\f".join(self.pages)

    def to_dict(self) -> dict[str, object]:
        return {
            "reader": READER_VERSION,
            "kind": self.kind,
            "pages": list(self.pages),
            "headings": [list(h) for h in self.headings],
            "title": self.title,
            "date": self.date,
            "language": self.language,
            "notes": list(self.notes),
            "signals": asdict(self.signals),
        }

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> Extracted:
        return cls(
            kind=str(data["kind"]),
            pages=tuple(data["pages"]),  # type: ignore[arg-type]
            headings=tuple((int(level), str(text)) for level, text in data.get("headings", ())),  # type: ignore[attr-defined]
            title=data.get("title"),  # type: ignore[arg-type]
            date=data.get("date"),  # type: ignore[arg-type]
            language=data.get("language"),  # type: ignore[arg-type]
            notes=tuple(data.get("notes", ())),  # type: ignore[arg-type]
            signals=_signals(data.get("signals")),
        )


def _signals(data: object) -> Signals:
    if not isinstance(data, dict):
        return Signals()
    known = {f.name for f in fields(Signals)}
    return Signals(**{k: str(v) for k, v in data.items() if k in known})


_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
def _readers() -> dict[str, Callable[[Path], Extracted]]:
    from regionplans.ingest import docx, html, pdf, text

    return {
        ".pdf": pdf.read_pdf,
        ".html": html.read_html,
        ".htm": html.read_html,
        ".txt": text.read_text,
        ".md": text.read_text,
        ".text": text.read_text,
        ".docx": docx.read_docx,
    }


SUPPORTED_SUFFIXES: tuple[str, ...] = (".pdf", ".html", ".htm", ".txt", ".md", ".text", ".docx")


def is_supported(path: Path) -> bool:
    return path.suffix.lower() in SUPPORTED_SUFFIXES


def read_file(path: Path) -> Extracted:
    """Read any supported file. Raises :class:`IngestError` naming the file and the problem."""
    suffix = path.suffix.lower()
    reader = _readers().get(suffix)
    if reader is None:
        raise IngestError(
            str(path),
            f"unsupported file type {suffix or '(no extension)'!r}; "
            f"supported: {', '.join(SUPPORTED_SUFFIXES)}",
        )
    if path.stat().st_size == 0:
        raise IngestError(str(path), "empty file (0 bytes)")
    extracted = reader(path)
    # NULs and other control characters are never text (tab, line breaks and the form
    # feed between pages are kept); stored reader output stays free of them.
    pages = tuple(_CONTROL.sub("", page) for page in extracted.pages)
    if pages != extracted.pages:
        extracted = replace(extracted, pages=pages)
    if extracted.title:
        # The title is used as it stands (pages and headings are repaired in cleaning).
        from regionplans.ingest.unicode import repair

        extracted = replace(extracted, title=" ".join(repair(extracted.title).split()) or None)
    if not any(page.strip() for page in extracted.pages):
        raise IngestError(str(path), "no text found in the file")
    return extracted

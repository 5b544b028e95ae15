"""Hostile and broken input files for the tests, each small on disk and built here.

Every case of issue 19 that is a file: bombs that inflate, files that take a reader or
a cleaning rule minutes, names and links that must not be followed, text that must not
reach a spreadsheet or a terminal. ``CASES`` maps a case name to a builder writing it
into a folder; each builder returns the paths it wrote.
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Callable
from pathlib import Path

MB = 1024 * 1024
PLAIN = "Region Gävleborg inför en handlingsplan för life science.\n\nPlanen omfattar hälsodata och kompetensförsörjning.\n"

_DOCX_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
)
_DOCX_TAIL = "</w:body></w:document>"
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="word/document.xml"/></Relationships>'
)


def _docx(path: Path, paragraphs: int, text: str, *, styled: bool = False) -> Path:
    """A minimal .docx whose body is ``paragraphs`` copies of one paragraph, written in
    pieces so that even a bomb costs the test little memory."""
    style = '<w:pPr><w:pStyle w:val="Heading1"/></w:pPr>' if styled else ""
    para = f"<w:p>{style}<w:r><w:t>{text}</w:t></w:r></w:p>"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as package:
        package.writestr("[Content_Types].xml", _CONTENT_TYPES)
        package.writestr("_rels/.rels", _RELS)
        with package.open("word/document.xml", "w", force_zip64=True) as body:
            body.write(_DOCX_HEAD.encode())
            block = (para * 1000).encode()
            for _ in range(paragraphs // 1000):
                body.write(block)
            body.write((para * (paragraphs % 1000)).encode())
            body.write(_DOCX_TAIL.encode())
    return path


def docx_large(folder: Path, paragraphs: int = 800_000) -> list[Path]:
    """A large Word file that is no bomb: every paragraph different (it compresses about
    tenfold, under the reader's ratio check), about 70 MB of XML. Parsing it takes
    seconds and far more memory than a small budget."""
    path = folder / "stor.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as package:
        package.writestr("[Content_Types].xml", _CONTENT_TYPES)
        package.writestr("_rels/.rels", _RELS)
        with package.open("word/document.xml", "w", force_zip64=True) as body:
            body.write(_DOCX_HEAD.encode())
            for start in range(0, paragraphs, 1000):
                body.write("".join(
                    f"<w:p><w:r><w:t>Stycke {n}: region {n * 7919 % 21} satsar {n * 104729 % 9973} kronor.</w:t></w:r></w:p>"
                    for n in range(start, min(start + 1000, paragraphs))
                ).encode())  # fmt: skip
            body.write(_DOCX_TAIL.encode())
    return [path]


def docx_many_paragraphs(folder: Path) -> list[Path]:
    """A 42 KB .docx of 35,000 styled paragraphs (2 MB of XML): a style lookup per paragraph."""
    return [_docx(folder / "stycken.docx", 35_000, "Region Skåne satsar på genomik.", styled=True)]


def docx_bomb(folder: Path) -> list[Path]:
    """A .docx of under 1 MB whose XML inflates to over 200 MB."""
    return [_docx(folder / "bomb.docx", 1_200_000, "Region Skåne satsar på genomik och AI i vården.")]


def text_unpunctuated(folder: Path) -> list[Path]:
    """400 KB of short lines without punctuation: each joined to a growing paragraph."""
    line = "region halland bygger ett centrum för genomik och precisionsmedicin i halmstad\n"
    path = folder / "rader.txt"
    path.write_text(line * (400_000 // len(line)), encoding="utf-8")
    return [path]


def html_nested(folder: Path) -> list[Path]:
    """100,000 nested ``<div class=...>`` (RecursionError in a recursive walk)."""
    depth = 100_000
    path = folder / "nastlad.html"
    path.write_text("<html><body><main>" + '<div class="a">' * depth + "<p>Region Uppsala satsar på AI.</p>"
                    + "</div>" * depth + "</main></body></html>", encoding="utf-8")  # fmt: skip
    return [path]


def html_pull_quotes(folder: Path) -> list[Path]:
    """A 5 MB page of blocks that repeat each other (pull-quote removal compares blocks)."""
    blocks = "".join(f"<p>Region Örebro län stycke {i} om precisionshälsa och biobanker i regionen.</p>"
                     f"<blockquote>Region Örebro län stycke {i} om precisionshälsa.</blockquote>"
                     for i in range(40_000))  # fmt: skip
    path = folder / "citat.html"
    path.write_text(f"<html><body><main><h1>Plan</h1>{blocks}</main></body></html>", encoding="utf-8")
    return [path]


def utf32_text(folder: Path) -> list[Path]:
    """UTF-32 with a byte-order mark (read as UTF-16 it is full of NULs)."""
    path = folder / "utf32.txt"
    path.write_bytes(PLAIN.replace("Gävleborg", "Jämtland Härjedalen").encode("utf-32"))
    return [path]


def control_characters(folder: Path) -> list[Path]:
    """Text with NUL, backspace and terminal escapes inside sentences."""
    path = folder / "styrtecken.txt"
    path.write_text("Region Västmanland\n\nRegion Västmanland satsar\x00 på genomik\x08 och "
                    "\x1b[31mprecisionsmedicin\x1b[0m under 2025.\n", encoding="utf-8")  # fmt: skip
    return [path]


def links(folder: Path) -> list[Path]:
    """A link to a file outside the corpus, to a folder outside it, and a broken link."""
    outside = folder.parent / f"{folder.name}-outside"
    outside.mkdir(exist_ok=True)
    secret = outside / "hemlig.txt"
    secret.write_text("Region Blekinge\n\nKvasarhemligheten ska aldrig läsas in.\n", encoding="utf-8")
    (folder / "passwd.txt").symlink_to(secret)
    (folder / "mapp").symlink_to(outside, target_is_directory=True)
    (folder / "trasig.txt").symlink_to(outside / "finns-inte.txt")
    return [folder / "passwd.txt", folder / "mapp", folder / "trasig.txt"]


def fifo(folder: Path) -> list[Path]:
    """A named pipe called .txt: opening it to read would wait forever."""
    path = folder / "ror.txt"
    os.mkfifo(path)
    return [path]


def undecodable_name(folder: Path) -> list[Path]:
    """A file whose name is not valid UTF-8."""
    path = Path(os.fsdecode(os.fsencode(folder) + b"/plan-\xff\xfe.txt"))
    path.write_text(PLAIN, encoding="utf-8")
    return [path]


def escape_name(folder: Path) -> list[Path]:
    """A file whose name carries terminal escapes."""
    path = folder / "plan\x1b]0;pwned\x07\x1b[31m.txt"
    path.write_text(PLAIN.replace("Gävleborg", "Kronoberg"), encoding="utf-8")
    return [path]


def formula_text(folder: Path) -> list[Path]:
    """A document that opens with a spreadsheet command."""
    path = folder / "formel.txt"
    path.write_text("=cmd|' /C calc'!A0\n\nRegion Dalarna satsar på genomik och precisionsmedicin.\n",
                    encoding="utf-8")  # fmt: skip
    return [path]


CASES: dict[str, Callable[[Path], list[Path]]] = {
    "docx_many_paragraphs": docx_many_paragraphs,
    "docx_bomb": docx_bomb,
    "text_unpunctuated": text_unpunctuated,
    "html_nested": html_nested,
    "html_pull_quotes": html_pull_quotes,
    "utf32_text": utf32_text,
    "control_characters": control_characters,
    "links": links,
    "fifo": fifo,
    "undecodable_name": undecodable_name,
    "escape_name": escape_name,
    "formula_text": formula_text,
}

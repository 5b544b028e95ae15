"""The manifest (``corpus/manifest.csv``): what a person states about each file.

One row a file: title, publisher, regions, type, language, date, source URL and notes.
A stated value overrides what :mod:`regionplans.ingest.metadata` detects.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from regionplans.dates import PARTIAL_FORMAT, parse_partial
from regionplans.errors import ConfigError
from regionplans.records import DOC_TYPES

MANIFEST_COLUMNS = ("file", "title", "publisher", "regions", "doc_type", "language", "date", "source_url", "notes")


@dataclass(frozen=True, slots=True)
class ManifestRow:
    """One manifest line: what a person states about a file (empty fields are unknown)."""

    file: str
    title: str = ""
    publisher: str = ""
    regions: tuple[str, ...] = ()
    doc_type: str = ""
    language: str = ""
    date: str = ""
    source_url: str = ""
    notes: str = ""
    line: int = 0
    problems: tuple[str, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class Manifest:
    """A manifest read: rows by file name, and warnings about the file as a whole."""

    rows: dict[str, ManifestRow]
    warnings: tuple[str, ...] = ()


def read_manifest(path: Path) -> dict[str, ManifestRow]:
    """Rows of a manifest CSV by file name (see :func:`load_manifest`)."""
    return load_manifest(path).rows


def _decode(path: Path, data: bytes) -> tuple[str, list[str]]:
    """The manifest's text: UTF-8 (with or without a byte-order mark), UTF-16 with a
    mark (Excel's "Unicode text"), else Windows-1252 with a warning."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), []
        except UnicodeDecodeError as exc:
            raise ConfigError(f"{path}: a UTF-16 byte-order mark but not UTF-16 text ({exc.reason}); "
                              "save the manifest as UTF-8") from None  # fmt: skip
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as utf8:
        line = data.count(b"\n", 0, utf8.start) + 1
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise ConfigError(
                f"{path} line {line}: not UTF-8 or Windows-1252 text (byte 0x{data[utf8.start]:02x}); "
                "save the manifest as UTF-8"
            ) from None
        return text, [f"{path}: not UTF-8 (first at line {line}); read as Windows-1252, "
                      "save it as UTF-8 to be sure of its letters"]  # fmt: skip


def load_manifest(path: Path) -> Manifest:
    """Rows of a manifest CSV by file name, and warnings. A missing manifest is an empty one.

    A row's invalid values (unknown region or type, malformed date) are kept as
    ``problems`` so that the one file fails with a clear reason while the rest
    of the batch goes on. Quoted fields may span lines (their line breaks are kept).
    A manifest without a ``file`` column, in an unknown encoding or with a field over
    csv's field limit is a config error naming the file and line; a file named on two
    rows is a warning (the later row is used).
    """
    if not path.exists():
        return Manifest({})
    from regionplans.ingest.regions import resolve_region

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the manifest: {exc.strerror or exc}") from None
    text, warnings = _decode(path, data)
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise ConfigError(f"{path} line {line}: a NUL byte, so no text CSV (UTF-16 without a byte-order "
                          "mark?); save the manifest as UTF-8")  # fmt: skip
    # strict: a quote left open or text after a closing quote is an error, not a silent
    # shift of every later field.
    reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
    try:
        fieldnames = reader.fieldnames
    except csv.Error as exc:
        raise ConfigError(f"{path} line {reader.line_num}: {exc}; correct the manifest's header") from None
    if not fieldnames or "file" not in fieldnames:
        raise ConfigError(
            f"{path}: the manifest needs a header with at least a 'file' column "
            f"(columns: {','.join(MANIFEST_COLUMNS)})"
        )
    rows: dict[str, ManifestRow] = {}
    number = reader.line_num + 1  # the line a record starts on
    while True:
        try:
            raw = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise ConfigError(f"{path} line {number}: {exc}; correct that line of the manifest "
                              "(a field of over 131,072 characters? a quote not closed?)") from None  # fmt: skip
        line, number = number, reader.line_num + 1
        values = {k: (v or "").strip() for k, v in raw.items() if isinstance(k, str) and k}
        name = values.get("file", "")
        if not name:
            continue
        if name in rows:
            warnings.append(f"{path} line {line}: {name!r} is named again (first on line {rows[name].line}); "
                            f"line {line} is used")  # fmt: skip
        problems: list[str] = []
        regions: list[str] = []
        for region in filter(None, (r.strip() for r in values.get("regions", "").split(";"))):
            try:
                regions.append(resolve_region(region))
            except ConfigError as exc:
                problems.append(f"manifest line {line}: {exc}")
        doc_type = values.get("doc_type", "")
        if doc_type and doc_type not in DOC_TYPES:
            problems.append(
                f"manifest line {line}: unknown doc_type {doc_type!r}; choose one of {', '.join(DOC_TYPES)}"
            )
        date = values.get("date", "")
        if date and parse_partial(date) is None:
            problems.append(f"manifest line {line}: date {date!r} is not a real date as {PARTIAL_FORMAT}")
        rows[name] = ManifestRow(
            file=name, title=values.get("title", ""), publisher=values.get("publisher", ""),
            regions=tuple(dict.fromkeys(regions)), doc_type=doc_type,
            language=values.get("language", ""), date=date,
            source_url=values.get("source_url", ""), notes=values.get("notes", ""),
            line=line, problems=tuple(problems),
        )  # fmt: skip
    return Manifest(rows, tuple(warnings))


def row_fingerprint(row: ManifestRow | None) -> str:
    """What of a manifest row affects ingest (so a changed row re-ingests its file)."""
    if row is None:
        return ""
    return "|".join(
        (row.title, row.publisher, ";".join(row.regions), row.doc_type, row.language, row.date,
         row.source_url, row.notes, ";".join(row.problems))
    )  # fmt: skip

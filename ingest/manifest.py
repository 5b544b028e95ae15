"""The manifest (``corpus/manifest.csv``): what a person states about each file.

One row a file: title, publisher, regions, type, language, date, source URL and notes.
A stated value overrides what :mod:`regionplans.ingest.metadata` detects.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

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


def read_manifest(path: Path) -> dict[str, ManifestRow]:
    """Rows of a manifest CSV by file name. A missing manifest is an empty one.

    A row's invalid values (unknown region or type, malformed date) are kept as
    ``problems`` so that the one file fails with a clear reason while the rest
    of the batch goes on. A manifest without a ``file`` column is a config error.
    """
    if not path.exists():
        return {}
    from regionplans.ingest.regions import resolve_region

    text = path.read_text(encoding="utf-8-sig")
    reader = csv.DictReader(text.splitlines())
    if not reader.fieldnames or "file" not in reader.fieldnames:
        raise ConfigError(
            f"{path}: the manifest needs a header with at least a 'file' column "
            f"(columns: {','.join(MANIFEST_COLUMNS)})"
        )
    rows: dict[str, ManifestRow] = {}
    for number, raw in enumerate(reader, start=2):
        values = {k: (v or "").strip() for k, v in raw.items() if k}
        name = values.get("file", "")
        if not name:
            continue
        problems: list[str] = []
        regions: list[str] = []
        for region in filter(None, (r.strip() for r in values.get("regions", "").split(";"))):
            try:
                regions.append(resolve_region(region))
            except ConfigError as exc:
                problems.append(f"manifest line {number}: {exc}")
        doc_type = values.get("doc_type", "")
        if doc_type and doc_type not in DOC_TYPES:
            problems.append(
                f"manifest line {number}: unknown doc_type {doc_type!r}; choose one of {', '.join(DOC_TYPES)}"
            )
        date = values.get("date", "")
        if date and not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", date):
            problems.append(f"manifest line {number}: date {date!r} is not YYYY[-MM[-DD]]")
        rows[name] = ManifestRow(
            file=name, title=values.get("title", ""), publisher=values.get("publisher", ""),
            regions=tuple(dict.fromkeys(regions)), doc_type=doc_type,
            language=values.get("language", ""), date=date,
            source_url=values.get("source_url", ""), notes=values.get("notes", ""),
            line=number, problems=tuple(problems),
        )  # fmt: skip
    return rows


def row_fingerprint(row: ManifestRow | None) -> str:
    """What of a manifest row affects ingest (so a changed row re-ingests its file)."""
    if row is None:
        return ""
    return "|".join(
        (row.title, row.publisher, ";".join(row.regions), row.doc_type, row.language, row.date,
         row.source_url, row.notes, ";".join(row.problems))
    )  # fmt: skip

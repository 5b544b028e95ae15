"""One file's text → one document: cleaned text, sections, chunks and metadata.

:func:`build_document` is what the pipeline runs for each file, in its worker process
(:func:`clean_traced`), given the corpus context (:class:`~regionplans.ingest.corpus.Context`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from regionplans.errors import IngestError
from regionplans.ingest.clean import Vocabulary, assemble, clean_document
from regionplans.ingest.corpus import Context, Counts, Trace, traced
from regionplans.ingest.corrections import Correction, provenance
from regionplans.ingest.dedup import shingles
from regionplans.ingest.describe import (
    about_regions,
    choose_title,
    choose_type,
    publisher_from_signals,
)
from regionplans.ingest.listing import display
from regionplans.ingest.manifest import ManifestRow
from regionplans.ingest.metadata import (
    detect_language,
    document_date,
    file_year,
    find_acronyms,
    publication_dated,
    title_year,
)
from regionplans.ingest.readers import Extracted
from regionplans.ingest.sections import build_sections, chunk_sections
from regionplans.records import Chunk, Document, Section, content_hash

DETECTED_NOTE = "no manifest row: title, publisher, regions, type, language and date were detected"


@dataclass(frozen=True, slots=True)
class Candidate:
    """A file to (re)ingest, with what is known about it before cleaning."""

    key: str
    path: Path
    origin: str
    file_hash: str
    fingerprint: str
    row: ManifestRow | None
    extracted: Extracted
    counts: Counts | None = None  # word_counts of the text
    site: str = ""
    spent: float = 0.0  # seconds of the file's budget that reading it took
    correction: Correction | None = None  # what a user set (wins over the manifest row)


@dataclass(frozen=True, slots=True)
class Built:
    document: Document
    sections: list[Section]
    chunks: list[Chunk]
    report: tuple[str, ...] = ()  # what reading and cleaning did ("OCR on 5 of 5 pages")


def clean_traced(candidate: Candidate, vocabulary: Vocabulary, chrome: frozenset[str],
                 options: Any) -> tuple[Built, Trace, np.ndarray]:  # fmt: skip
    """:func:`build_document` with what it asked of the vocabulary noted, and the shingles
    of its text for the duplicate check (run in the worker)."""
    trace = Trace()
    built = build_document(candidate, Context(traced(vocabulary, trace), {candidate.site: chrome}), options)
    return built, trace, shingles(built.document.text)


def build_document(candidate: Candidate, context: Context, options: Any) -> Built:
    """Clean one file's text, find its sections and chunks, and settle its metadata."""
    extracted, row, path = candidate.extracted, candidate.row, candidate.path
    cleaned = clean_document(
        extracted.pages,
        headings=extracted.headings,
        vocabulary=context.vocabulary,
        boilerplate=context.chrome(candidate.site),
        wrapped=True if extracted.kind == "pdf" else None,
    )
    blocks = cleaned.blocks
    text, spans = assemble(blocks, len(extracted.pages))
    if not text.strip():
        raise IngestError(display(path), "no text left after removing site chrome and boilerplate")
    raw = extracted.text
    headings = [b.text for b in blocks if b.kind == "heading"]
    signals = extracted.signals
    fix = candidate.correction or Correction()
    given = {k for k in ("title", "publisher", "doc_type", "language", "date", "source_url")
             if row is not None and getattr(row, k)} | ({"regions"} if row is not None else set())  # fmt: skip
    source_url = fix.source_url or (row.source_url if row else "")
    title = fix.title or (row.title if row and row.title else "") or choose_title(
        extracted.kind, extracted.title, signals, headings, [b.text for b in blocks[:4]], path,
        extracted.pages[0].splitlines()[:60] if extracted.pages else (),
    )
    notes: list[str] = []
    if row is not None and row.notes:
        notes.append(row.notes)
    notes.extend(extracted.notes)
    notes.extend(cleaned.notes)
    publisher = fix.publisher or (row.publisher if row and row.publisher else "") or publisher_from_signals(
        replace(signals, url=signals.url or source_url), raw
    ) or "unknown"
    paged = extracted.kind in ("pdf", "docx")
    date = fix.date or (row.date if row and row.date else "") or extracted.date \
        or document_date(raw, cover=paged) or title_year(title) or file_year(signals.file_date)  # fmt: skip
    doc_type = fix.doc_type or (row.doc_type if row and row.doc_type else "") or choose_type(
        extracted.kind, title, raw, signals, bool(extracted.date) or publication_dated(raw)
    )
    # A manifest row states the regions, an empty field included (a national document).
    regions = fix.regions if fix.regions is not None else (
        row.regions if row is not None else about_regions(text, title, publisher, doc_type))
    language = (row.language if row and row.language else "") or detect_language(text)
    detected = [k for k in ("title", "publisher", "regions", "doc_type", "language", "date") if k not in given]
    if row is None and candidate.correction is None:
        notes.append(DETECTED_NOTE)
    elif candidate.correction is not None:
        where = provenance(row, candidate.correction)
        notes.append("; ".join(f"{source}: " + ", ".join(k for k, v in where.items() if v == source)
                               for source in ("detected", "manifest", "corrected") if source in where.values()))
    elif detected:
        notes.append("detected: " + ", ".join(detected) + "; from the manifest: " + (", ".join(sorted(given)) or "nothing"))
    # The id names the cleaned text too: a document cleaned again in another context is
    # written under a new id, never over the file the committed catalog names.
    doc_id = content_hash(candidate.key, candidate.file_hash, candidate.fingerprint, text)[:16]
    document = Document(
        doc_id=doc_id,
        # A file added on its own (an upload) is named by its store key, never a server path.
        file_path=candidate.key if candidate.origin == "files" else display(path),
        title=title,
        publisher=publisher,
        regions=tuple(regions),
        doc_type=doc_type,
        language=language,
        date=date or None,
        text=text,
        file_hash=candidate.file_hash,
        source_url=source_url or None,
        acronyms=find_acronyms(text),
        metadata_source="manifest" if row is not None or candidate.correction is not None else "detected",
        notes=tuple(notes),
    )
    sections = build_sections(doc_id, text, spans, title)
    chunks = chunk_sections(doc_id, text, sections, max_words=options.max_words, max_chars=options.max_chars)
    return Built(document, sections, chunks, (*extracted.notes, *cleaned.notes))


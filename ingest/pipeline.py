"""The ingest pipeline: a folder (or a few files) → documents, sections and chunks in the store.

>>> report = ingest_directory(Path("corpus"), Path("data/ingest"))
>>> print(report.summary())
5 files: 5 ingested, 0 unchanged, 0 failed, 0 duplicates, 0 skipped, 0 removed; ...

Incremental: a file whose content and manifest row are unchanged is skipped by
content hash; a changed file replaces its old document; a file gone from the
folder is removed. A file that cannot be read is reported with the reason and
the rest of the batch goes on; its previously ingested version (if any) is kept.
Exact and near duplicates (the same page saved twice) are reported and stored once.
"""

from __future__ import annotations

import functools
import logging
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from regionplans.errors import ConfigError, IngestError
from regionplans.ingest.clean import (
    Vocabulary,
    assemble,
    clean_document,
    site_boilerplate,
    word_counts,
)
from regionplans.ingest.corpus import FILENAME as CORPUS_STATE
from regionplans.ingest.corpus import CorpusState, Counts, site_of
from regionplans.ingest.dedup import NearDuplicates, shingles, signature
from regionplans.ingest.metadata import (
    ManifestRow,
    about_regions,
    detect_language,
    detect_publisher,
    document_date,
    find_acronyms,
    guess_doc_type,
    guess_title,
    read_manifest,
    row_fingerprint,
)
from regionplans.ingest.readers import READER_VERSION, Extracted, is_supported, read_file
from regionplans.ingest.sections import build_sections, chunk_sections
from regionplans.ingest.store import CatalogEntry, FileReport, IngestReport, IngestStore
from regionplans.records import Chunk, Document, Section, content_hash, file_sha256

log = logging.getLogger(__name__)

# Bump when cleaning, sectioning or metadata rules change: every file is then re-ingested.
PIPELINE_VERSION = "2"
DETECTED_NOTE = "no manifest row: title, publisher, regions, type, language and date were detected"


def _default_max_bytes() -> int:
    value = os.environ.get("REGIONPLANS_MAX_FILE_MB", "100")
    try:
        return int(float(value) * 1024 * 1024)
    except ValueError as exc:
        raise ConfigError(f"REGIONPLANS_MAX_FILE_MB={value!r} is not a number of megabytes") from exc


@dataclass(frozen=True, slots=True)
class IngestOptions:
    """Limits for one run. ``max_file_bytes`` defaults to ``REGIONPLANS_MAX_FILE_MB`` (100 MB)."""

    max_file_bytes: int = field(default_factory=_default_max_bytes)
    max_words: int = 200
    max_chars: int = 1500


@dataclass(frozen=True, slots=True)
class _Candidate:
    """A file to (re)ingest, with what is known about it before processing."""

    key: str
    path: Path
    origin: str
    file_hash: str
    fingerprint: str
    row: ManifestRow | None
    extracted: Extracted


@dataclass(frozen=True, slots=True)
class _Built:
    document: Document
    sections: list[Section]
    chunks: list[Chunk]
    report: tuple[str, ...] = ()  # what reading and cleaning did ("OCR on 5 of 5 pages")



def _list_files(corpus_dir: Path, manifest: Path) -> list[Path]:
    files = []
    for path in sorted(corpus_dir.rglob("*")):
        rel = path.relative_to(corpus_dir)
        if any(part.startswith(".") for part in rel.parts) or not path.is_file():
            continue
        if path.resolve() == manifest.resolve():
            continue
        files.append(path)
    return files


def ingest_directory(
    corpus_dir: Path,
    store_dir: Path,
    *,
    manifest: Path | None = None,
    progress: bool = False,
    options: IngestOptions | None = None,
) -> IngestReport:
    """Ingest every file under ``corpus_dir`` into the store at ``store_dir``.

    ``manifest`` defaults to ``corpus_dir/manifest.csv``; files without a row are
    ingested with detected metadata and a note saying so. Documents of files no
    longer in the folder are removed (files added with :func:`ingest_files` stay).
    """
    corpus_dir = Path(corpus_dir)
    if not corpus_dir.is_dir():
        raise ConfigError(f"corpus folder {corpus_dir} does not exist or is not a folder")
    manifest = Path(manifest) if manifest is not None else corpus_dir / "manifest.csv"
    rows = read_manifest(manifest)
    paths = _list_files(corpus_dir, manifest)
    items = []
    for path in paths:
        key = path.relative_to(corpus_dir).as_posix()
        items.append((key, path, rows.get(key) or rows.get(path.name)))
    return _run(items, Path(store_dir), origin="directory", progress=progress, options=options or IngestOptions())


def ingest_files(
    paths: Sequence[Path],
    store_dir: Path,
    *,
    progress: bool = False,
    options: IngestOptions | None = None,
) -> IngestReport:
    """Add or replace individual files (e.g. uploads) without touching other documents.

    A ``manifest.csv`` next to a file is used for its row when present.
    """
    items = []
    manifests: dict[Path, dict[str, ManifestRow]] = {}
    for path in map(Path, paths):
        folder = path.parent
        if folder not in manifests:
            manifests[folder] = read_manifest(folder / "manifest.csv")
        items.append((f"files/{path.name}", path, manifests[folder].get(path.name)))
    return _run(items, Path(store_dir), origin="files", progress=progress, options=options or IngestOptions())


def _run(
    items: Sequence[tuple[str, Path, ManifestRow | None]],
    store_dir: Path,
    *,
    origin: str,
    progress: bool,
    options: IngestOptions,
) -> IngestReport:
    store = IngestStore(store_dir)
    with store.lock():
        old = store.catalog()
        entries = dict(old)
        reports: dict[str, FileReport] = {}
        candidates: list[_Candidate] = []
        unchanged: list[CatalogEntry] = []

        iterator: Iterable[tuple[str, Path, ManifestRow | None]] = items
        if progress:
            from tqdm import tqdm

            iterator = tqdm(items, desc="reading", unit="file")
        for key, path, row in iterator:
            outcome = _examine(store, key, path, row, old.get(key), origin, options)
            if isinstance(outcome, FileReport):
                reports[key] = outcome
            elif isinstance(outcome, CatalogEntry):
                unchanged.append(outcome)
                reports[key] = FileReport(
                    str(path), "unchanged", "same content and manifest row as last run",
                    outcome.doc_id, outcome.sections, outcome.chunks, outcome.metadata_source,
                )  # fmt: skip
            else:
                candidates.append(outcome)

        # Cleaning and duplicate checks need the stored corpus: its saved state (word
        # counts, sites, signatures), loaded only when some file is to be cleaned.
        state = CorpusState.load(store, old) if candidates else None
        context = _Context.build(store, state, candidates) if state is not None else None
        # Stored documents are the originals; new files that repeat them are duplicates.
        accepted_hashes: dict[str, str] = {}
        accepted = NearDuplicates()
        candidate_keys = {c.key for c in candidates}
        signatures = state.signatures if state is not None else {}
        for entry in sorted(old.values(), key=lambda e: e.key) if state is not None else ():
            if entry.key in candidate_keys:
                continue
            accepted_hashes.setdefault(entry.file_hash, entry.path)
            sig = signatures.get(entry.doc_id)
            if sig:
                accepted.add_signature(entry.path, sig, functools.partial(_stored_shingles, store, entry.doc_id))
        added_files: dict[str, tuple[str, Counts]] = {}  # file hash → (site, word counts)
        added_signatures: dict[str, tuple[int, ...]] = {}

        built_iter: Iterable[_Candidate] = candidates
        if progress:
            from tqdm import tqdm

            built_iter = tqdm(candidates, desc="cleaning", unit="file")
        for candidate in built_iter:
            label = str(candidate.path)
            if candidate.file_hash in accepted_hashes:
                reports[candidate.key] = FileReport(
                    label, "duplicate", f"same content as {accepted_hashes[candidate.file_hash]}"
                )
                entries.pop(candidate.key, None)
                continue
            assert context is not None  # built whenever there are candidates
            try:
                built = build_document(candidate, context, options)
            except IngestError as exc:
                log.warning("ingest failed for %s: %s", label, exc.reason)
                reports[candidate.key] = FileReport(label, "failed", exc.reason)
                continue
            except Exception as exc:  # noqa: BLE001 - one bad file must not stop the batch
                log.exception("unexpected error while ingesting %s", label)
                reports[candidate.key] = FileReport(label, "failed", f"unexpected error: {type(exc).__name__}: {exc}")
                continue
            grams = shingles(built.document.text)
            near = accepted.find(grams)
            if near is not None:
                reports[candidate.key] = FileReport(label, "duplicate", f"near-duplicate of {near} (≥ 90 % the same text)")
                entries.pop(candidate.key, None)
                continue
            accepted_hashes[candidate.file_hash] = label
            accepted.add(label, grams)
            added_files[candidate.file_hash] = (site_of(built.document.publisher, candidate.extracted),
                                                context.counts[candidate.file_hash])  # fmt: skip
            added_signatures[built.document.doc_id] = signature(grams)
            store.write_document(built.document, built.sections, built.chunks)
            entries[candidate.key] = CatalogEntry(
                key=candidate.key, doc_id=built.document.doc_id, file_hash=candidate.file_hash,
                fingerprint=candidate.fingerprint, path=label, origin=candidate.origin,
                sections=len(built.sections), chunks=len(built.chunks),
                metadata_source=built.document.metadata_source,
            )  # fmt: skip
            detected = built.document.notes[-1:] if built.document.metadata_source == "detected" else ()
            reports[candidate.key] = FileReport(
                label, "ingested", "; ".join((*built.report, *detected)),
                built.document.doc_id, len(built.sections), len(built.chunks), built.document.metadata_source,
            )  # fmt: skip

        if origin == "directory":
            present = {key for key, _, _ in items}
            for key, entry in sorted(old.items()):
                if entry.origin == "directory" and key not in present:
                    entries.pop(key, None)
                    reports[key] = FileReport(entry.path, "removed", "file no longer in the folder", entry.doc_id)

        ordered = tuple(reports[key] for key, _, _ in items if key in reports) + tuple(
            r for key, r in sorted(reports.items()) if r.status == "removed"
        )
        version = IngestStore.version_of(entries)
        report = IngestReport(files=ordered, store_dir=str(store_dir), version=version)
        changed = entries != old
        if changed:
            # Before the commit, which removes the reader output of files that went.
            state = _updated_state(state or CorpusState.load(store, old), store, entries,
                                   added_files, added_signatures)  # fmt: skip
        store.commit(entries, report)
        if changed:
            # After it: a crash in between leaves a state the next run sees is stale.
            if state is not None:
                state.save(store)
            else:
                store.remove(CORPUS_STATE)
        log.info("%s", report.summary())
        return report


def _stored_shingles(store: IngestStore, doc_id: str) -> np.ndarray:
    return shingles(store.document(doc_id).text)


def _updated_state(
    state: CorpusState,
    store: IngestStore,
    entries: dict[str, CatalogEntry],
    added_files: dict[str, tuple[str, Counts]],
    added_signatures: dict[str, tuple[int, ...]],
) -> CorpusState | None:
    """``state`` after this run: files that went subtracted, files that came added.
    None when a file that went left no reader output to subtract (rebuilt next run)."""
    final_files = {e.file_hash for e in entries.values()}
    for file_hash in [h for h in state.files if h not in final_files]:
        cached = store.raw(file_hash)
        if cached is None:
            return None
        state.remove_file(file_hash, word_counts(Extracted.from_dict(cached).text))
    for file_hash, (site, counts) in added_files.items():
        if file_hash in final_files:
            state.add_file(file_hash, site, counts)
    final_docs = {e.doc_id for e in entries.values()}
    merged = {**state.signatures, **added_signatures}
    state.signatures = {doc_id: sig for doc_id, sig in merged.items() if doc_id in final_docs}
    return state if state.matches(entries) else None


def _examine(
    store: IngestStore,
    key: str,
    path: Path,
    row: ManifestRow | None,
    previous: CatalogEntry | None,
    origin: str,
    options: IngestOptions,
) -> FileReport | CatalogEntry | _Candidate:
    """Check one file before any cleaning: skip, fail, unchanged, or a candidate to ingest."""
    label = str(path)
    if not path.is_file():
        return FileReport(label, "failed", "file not found")
    if not is_supported(path):
        from regionplans.ingest.readers import SUPPORTED_SUFFIXES

        suffix = path.suffix.lower() or "(no extension)"
        return FileReport(label, "skipped", f"unsupported file type {suffix}; supported: {', '.join(SUPPORTED_SUFFIXES)}")
    size = path.stat().st_size
    if size > options.max_file_bytes:
        return FileReport(
            label, "skipped",
            f"file too large ({size / 1048576:.1f} MB > limit {options.max_file_bytes / 1048576:.1f} MB); "
            "raise REGIONPLANS_MAX_FILE_MB or --max-file-mb to ingest it",
        )  # fmt: skip
    if size == 0:
        return FileReport(label, "failed", "empty file (0 bytes)")
    if row is not None and row.problems:
        return FileReport(label, "failed", "; ".join(row.problems))
    try:
        file_hash = file_sha256(path)
    except OSError as exc:
        return FileReport(label, "failed", f"cannot read the file: {exc.strerror or exc}")
    fingerprint = f"{PIPELINE_VERSION}|{row_fingerprint(row)}"
    if (
        previous is not None
        and previous.file_hash == file_hash
        and previous.fingerprint == fingerprint
        and store.doc_path(previous.doc_id).exists()
    ):
        return previous
    cached = store.raw(file_hash)
    if cached is not None and cached.get("reader") == READER_VERSION:
        extracted = Extracted.from_dict(cached)
    else:
        try:
            extracted = read_file(path)
        except IngestError as exc:
            return FileReport(label, "failed", exc.reason)
        except Exception as exc:  # noqa: BLE001 - a reader crash on one file must not stop the batch
            log.exception("reader crashed on %s", label)
            return FileReport(label, "failed", f"could not be read: {type(exc).__name__}: {exc}")
        store.write_raw(file_hash, extracted.to_dict())
    return _Candidate(key, path, origin, file_hash, fingerprint, row, extracted)


@dataclass(frozen=True)
class _Context:
    """What cleaning one document needs to know about the others."""

    vocabulary: Vocabulary
    site_lines: dict[str, frozenset[str]]
    sites: dict[str, str]  # file hash → site
    counts: dict[str, Counts]  # file hash → word counts of the files being ingested

    @classmethod
    def build(cls, store: IngestStore, state: CorpusState, candidates: Sequence[_Candidate]) -> _Context:
        """The context of ``candidates``: the corpus vocabulary with them counted in, and
        the chrome of their sites (read from the stored files of those sites only)."""
        sites = {c.file_hash: site_of(c.row.publisher if c.row else "", c.extracted) for c in candidates}
        by_site: dict[str, list[str]] = {site: [] for site in sites.values()}
        for file_hash, site in state.files.items():
            if site in by_site and file_hash not in sites:
                cached = store.raw(file_hash)
                if cached is not None:
                    by_site[site].append(Extracted.from_dict(cached).text)
        for candidate in candidates:
            by_site[sites[candidate.file_hash]].append(candidate.extracted.text)
        counts = {c.file_hash: word_counts(c.extracted.text) for c in candidates}
        return cls(
            vocabulary=state.vocabulary(n for h, n in counts.items() if h not in state.files),
            site_lines={site: site_boilerplate(group) for site, group in by_site.items()},
            sites=sites,
            counts=counts,
        )


def build_document(candidate: _Candidate, context: _Context, options: IngestOptions) -> _Built:
    """Clean one file's text, find its sections and chunks, and settle its metadata."""
    extracted, row, path = candidate.extracted, candidate.row, candidate.path
    site = context.sites.get(candidate.file_hash, "")
    cleaned = clean_document(
        extracted.pages,
        headings=extracted.headings,
        vocabulary=context.vocabulary,
        boilerplate=context.site_lines.get(site, frozenset()),
        wrapped=True if extracted.kind == "pdf" else None,
    )
    blocks = cleaned.blocks
    text, spans = assemble(blocks, len(extracted.pages))
    if not text.strip():
        raise IngestError(str(path), "no text left after removing site chrome and boilerplate")
    raw = extracted.text
    headings = [b.text for b in blocks if b.kind == "heading"]
    detected_title = extracted.title or guess_title(headings, [b.text for b in blocks[:3]], path)
    title = (row.title if row and row.title else "") or detected_title
    notes: list[str] = []
    if row is not None and row.notes:
        notes.append(row.notes)
    notes.extend(extracted.notes)
    notes.extend(cleaned.notes)
    if row is None:
        notes.append(DETECTED_NOTE)
    publisher = (row.publisher if row and row.publisher else "") or detect_publisher(raw) or "unknown"
    regions = row.regions if row is not None else about_regions(text, title)
    doc_type = (row.doc_type if row and row.doc_type else "") or guess_doc_type(title, raw, extracted.kind)
    language = (row.language if row and row.language else "") or detect_language(text)
    date = (row.date if row and row.date else "") or extracted.date or document_date(raw)
    doc_id = content_hash(candidate.key, candidate.file_hash, candidate.fingerprint)[:16]
    document = Document(
        doc_id=doc_id,
        file_path=str(path),
        title=title,
        publisher=publisher,
        regions=tuple(regions),
        doc_type=doc_type,
        language=language,
        date=date or None,
        text=text,
        file_hash=candidate.file_hash,
        source_url=(row.source_url if row and row.source_url else None),
        acronyms=find_acronyms(text),
        metadata_source="manifest" if row is not None else "detected",
        notes=tuple(notes),
    )
    sections = build_sections(doc_id, text, spans, title)
    chunks = chunk_sections(doc_id, text, sections, max_words=options.max_words, max_chars=options.max_chars)
    return _Built(document, sections, chunks, (*extracted.notes, *cleaned.notes))

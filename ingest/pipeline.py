"""The ingest pipeline: a folder (or a few files) → documents, sections and chunks in the store.

>>> report = ingest_directory(Path("corpus"), Path("data/ingest"))
>>> print(report.summary())
5 files: 5 ingested, 0 unchanged, 0 failed, 0 duplicates, 0 skipped, 0 removed; ...

Incremental: a file whose content and manifest row are unchanged is skipped by
content hash; a changed file replaces its old document; a file gone from the
folder is removed. A file that cannot be read is reported with the reason and
the rest of the batch goes on; its previously ingested version (if any) is kept.
Exact and near duplicates (the same page saved twice) are reported and stored once.

Only regular files inside the folder are read: symbolic links are reported as skipped,
never followed. Each file is read and cleaned in a worker process under a time and
memory budget (:mod:`regionplans.ingest.worker`). Cleaning depends on the other files
(word counts, site chrome) but never on history: the documents after a run are those
a fresh ingest of the same files gives (:mod:`regionplans.ingest.corpus`).
"""

from __future__ import annotations

import functools
import logging
import stat
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from regionplans.config import Limits
from regionplans.errors import ConfigError, IngestError
from regionplans.ingest.clean import word_counts
from regionplans.ingest.corpus import FILENAME as CORPUS_STATE
from regionplans.ingest.corpus import (
    CorpusState,
    Counts,
    Trace,
    chrome_fingerprint,
    file_site,
    move_to,
)
from regionplans.ingest.corrections import Correction, Corrections, described, fingerprint
from regionplans.ingest.dedup import NearDuplicates, shingles, signature
from regionplans.ingest.document import Built, Candidate, clean_traced
from regionplans.ingest.listing import Item, display, list_folder, refuse_link
from regionplans.ingest.manifest import ManifestRow, load_manifest, read_manifest, row_fingerprint
from regionplans.ingest.readers import READER_VERSION, Extracted, is_supported, read_file
from regionplans.ingest.rules import pipeline_version
from regionplans.ingest.store import CatalogEntry, FileReport, IngestReport, IngestStore
from regionplans.ingest.worker import Budget, Shared, Worker, pooled
from regionplans.records import content_hash, file_sha256

log = logging.getLogger(__name__)

RECLEANED = "cleaned again: files it shares words or site chrome with came or went"


@dataclass(frozen=True, slots=True)
class IngestOptions:
    """Limits for one run: the largest file read (``REGIONPLANS_MAX_FILE_MB``, 100 MB),
    chunk sizes, and each file's time and memory budget (``REGIONPLANS_FILE_SECONDS``,
    ``REGIONPLANS_FILE_MEMORY_MB``); see :class:`~regionplans.config.Limits`."""

    max_file_bytes: int = field(default_factory=lambda: int(Limits.from_env().max_file_mb * 1048576))
    max_words: int = 200
    max_chars: int = 1500
    budget: Budget = field(default_factory=lambda: Budget.from_limits(Limits.from_env()))

    @classmethod
    def from_limits(cls, limits: Limits, **changes: Any) -> IngestOptions:
        """The options ``limits`` set (``changes`` override them)."""
        base = cls(max_file_bytes=int(limits.max_file_mb * 1048576), budget=Budget.from_limits(limits))
        return replace(base, **changes)


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
    loaded = load_manifest(manifest)
    listed = list_folder(corpus_dir, skip=manifest)
    items = [replace(item, row=loaded.rows.get(item.key) or loaded.rows.get(item.path.name)) for item in listed]
    names = {item.key for item in listed} | {item.path.name for item in listed}
    warnings = list(loaded.warnings)
    for name, row in loaded.rows.items():
        if name not in names:
            warnings.append(f"{display(manifest)} line {row.line}: no file {name!r} in {display(corpus_dir)}; "
                            "correct the name or remove the row")  # fmt: skip
    return _run(items, Path(store_dir), origin="directory", progress=progress,
                options=options or IngestOptions(), warnings=warnings)  # fmt: skip


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
        items.append(Item(f"files/{path.name}", path, manifests[folder].get(path.name)))
    return _run(items, Path(store_dir), origin="files", progress=progress, options=options or IngestOptions())


DELETED = "deleted by the user"


def _fingerprint(row: ManifestRow | None, correction: Correction | None) -> str:
    """What besides its bytes makes a file's document (see :func:`~regionplans.ingest.corrections.fingerprint`)."""
    return fingerprint(f"{pipeline_version()}|{row_fingerprint(row)}", correction)


def apply_corrections(store_dir: Path, *, options: IngestOptions | None = None) -> IngestReport:
    """Bring the stored documents in line with the store's corrections
    (:mod:`regionplans.ingest.corrections`) without reading any file again: a corrected
    document is cleaned again from its stored reader output, a deleted one removed."""
    store_dir = Path(store_dir)
    store, corrections = IngestStore(store_dir), Corrections(store_dir).load()
    options = options or IngestOptions()
    with store.lock(), pooled(options.budget) as worker:
        store.sweep_temporary()
        old = store.catalog()
        reports: dict[str, FileReport] = {}
        candidates: list[Candidate] = []
        rows: dict[str, ManifestRow | None] = {}
        gone: set[str] = set()
        for key, entry in sorted(old.items()):
            correction = corrections.get(key)
            if correction is not None and correction.deleted:
                gone.add(key)
                continue
            found, row = store.row(entry.doc_id)
            fingerprint = _fingerprint(row, correction)
            cached = store.raw(entry.file_hash) if entry.fingerprint != fingerprint else None
            if entry.fingerprint == fingerprint:
                continue
            if cached is None or not found:
                reports[key] = FileReport(entry.path, "failed", "its reader output is not kept: ingest its folder "
                                          "again to apply the correction")  # fmt: skip
                continue
            rows[key] = row
            extracted = Extracted.from_dict(cached)
            candidates.append(Candidate(key, Path(entry.path), entry.origin, entry.file_hash, fingerprint, row,
                                        extracted, site=file_site(row, correction, extracted),
                                        correction=correction))  # fmt: skip
        for key in sorted(gone):
            reports[key] = FileReport(old[key].path, "removed", DELETED, old[key].doc_id)
        if not candidates and not gone:
            return IngestReport(files=tuple(reports.values()), store_dir=str(store_dir), version=store.version)
        entries, state = _Cleaning(store, worker, options, old, rows, reports, corrections).run(candidates, gone, False)
        files = tuple(described(reports[k], rows.get(k), corrections.get(k)) for k in sorted(reports))
        return _commit(store, old, entries, state, IngestReport(files=files, store_dir=str(store_dir),
                                                                version=IngestStore.version_of(entries)))  # fmt: skip


def _commit(store: IngestStore, old: dict[str, CatalogEntry], entries: dict[str, CatalogEntry],
            state: CorpusState | None, report: IngestReport) -> IngestReport:  # fmt: skip
    changed = entries != old
    store.commit(entries, report)
    if changed and state is not None:
        # After the commit: a crash in between leaves a state the next run sees is stale.
        state.save(store)
    elif changed:
        store.remove(CORPUS_STATE)
    log.info("%s", report.summary())
    return report


def _progress(items: Sequence[Any], desc: str, show: bool) -> Iterable[Any]:
    if not show:
        return items
    from tqdm import tqdm

    return tqdm(items, desc=desc, unit="file")


def _run(
    items: Sequence[Item],
    store_dir: Path,
    *,
    origin: str,
    progress: bool,
    options: IngestOptions,
    warnings: Sequence[str] = (),
) -> IngestReport:
    for warning in warnings:
        log.warning("%s", warning)
    store = IngestStore(store_dir)
    corrections = Corrections(store_dir).load()
    with store.lock(), pooled(options.budget) as worker:
        store.sweep_temporary()
        old = store.catalog()
        reports: dict[str, FileReport] = {}
        candidates: list[Candidate] = []
        rows: dict[str, ManifestRow | None] = {}  # rows of the files examined, by key
        deleted = {item.key for item in items if item.key in corrections and corrections[item.key].deleted}
        for item in _progress(items, "reading", progress):
            rows[item.key] = item.row
            if item.key in deleted:
                if item.key not in old:
                    reports[item.key] = FileReport(display(item.path), "skipped", f"{DELETED}; `regionplans documents "
                                                   f"restore {item.key}` ingests it again")  # fmt: skip
                continue
            outcome = _examine(store, item, old.get(item.key), origin, options, worker, corrections.get(item.key))
            if isinstance(outcome, FileReport):
                reports[item.key] = outcome
            elif isinstance(outcome, CatalogEntry):
                reports[item.key] = FileReport(
                    display(item.path), "unchanged", "same content and manifest row as last run",
                    outcome.doc_id, outcome.sections, outcome.chunks, outcome.metadata_source,
                )  # fmt: skip
            else:
                candidates.append(outcome)

        present = {item.key for item in items}
        gone = {k for k, e in old.items() if origin == "directory" and e.origin == "directory" and k not in present}
        for key in sorted(gone):
            reports[key] = FileReport(old[key].path, "removed", "file no longer in the folder", old[key].doc_id)
        for key in sorted(deleted & old.keys()):
            reports[key] = FileReport(old[key].path, "removed", DELETED, old[key].doc_id)
        gone |= deleted & old.keys()
        state: CorpusState | None = None
        entries = dict(old)
        if candidates or gone:
            cleaning = _Cleaning(store, worker, options, old, rows, reports, corrections)
            entries, state = cleaning.run(candidates, gone, progress)

        ordered = tuple(described(reports[item.key], item.row, corrections.get(item.key))
                        for item in items if item.key in reports) + tuple(
            reports[key] for key in sorted(gone - present)
        )  # fmt: skip
        report = IngestReport(files=ordered, store_dir=str(store_dir), version=IngestStore.version_of(entries),
                              warnings=tuple(warnings))  # fmt: skip
        return _commit(store, old, entries, state, report)


def _examine(
    store: IngestStore,
    item: Item,
    previous: CatalogEntry | None,
    origin: str,
    options: IngestOptions,
    worker: Worker,
    correction: Correction | None = None,
) -> FileReport | CatalogEntry | Candidate:
    """Check one file before any cleaning: skip, fail, unchanged, or a candidate to ingest."""
    path, row = item.path, item.row
    label = display(path)
    if item.refusal is not None:
        return item.refusal
    try:
        info = path.lstat()
    except OSError:
        return FileReport(label, "failed", "file not found")
    if stat.S_ISLNK(info.st_mode):
        return refuse_link(path)
    if not stat.S_ISREG(info.st_mode):
        return FileReport(label, "skipped", "not a regular file (a folder, pipe, socket or device)")
    if not is_supported(path):
        from regionplans.ingest.readers import SUPPORTED_SUFFIXES

        suffix = path.suffix.lower() or "(no extension)"
        return FileReport(label, "skipped", f"unsupported file type {suffix}; supported: {', '.join(SUPPORTED_SUFFIXES)}")
    size = info.st_size
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
    # The rules' version comes from their code: a rule change cleans every file again.
    fingerprint = _fingerprint(row, correction)
    if (
        previous is not None
        and previous.file_hash == file_hash
        and previous.fingerprint == fingerprint
        and store.doc_path(previous.doc_id).exists()
    ):
        return previous
    cached = store.raw(file_hash)
    started = time.monotonic()
    if cached is not None and cached.get("reader") == READER_VERSION:
        extracted = Extracted.from_dict(cached)
    else:
        try:
            extracted = worker.call(label, read_file, path)
        except IngestError as exc:
            log.warning("cannot read %s: %s", label, exc.reason)
            return FileReport(label, "failed", exc.reason)
        except Exception as exc:  # noqa: BLE001 - a reader crash on one file must not stop the batch
            log.exception("reader crashed on %s", label)
            return FileReport(label, "failed", f"could not be read: {type(exc).__name__}: {exc}")
        store.write_raw(file_hash, extracted.to_dict())
    try:  # in the worker too: counting a large file's words takes seconds
        counts = worker.call(label, word_counts, extracted.text, spent=time.monotonic() - started)
    except IngestError as exc:
        return FileReport(label, "failed", exc.reason)
    site = file_site(row, correction, extracted)
    return Candidate(item.key, path, origin, file_hash, fingerprint, row, extracted, counts, site,
                      time.monotonic() - started, correction)  # fmt: skip


class _Cleaning:
    """One run's cleaning: the corpus state moved to this run's files, the stored
    documents the move affects cleaned again, the candidates cleaned and checked for
    duplicates, and the state moved once more if some of them were not accepted."""

    def __init__(self, store: IngestStore, worker: Worker, options: IngestOptions,
                 old: dict[str, CatalogEntry], rows: Mapping[str, ManifestRow | None],
                 reports: dict[str, FileReport], corrections: Mapping[str, Correction]) -> None:  # fmt: skip
        self.store, self.worker, self.options, self.corrections = store, worker, options, corrections
        self.old, self.rows, self.reports = old, rows, reports
        self.state = CorpusState.load(store, old)
        self.old_sites = dict(self.state.files)
        self.texts: dict[str, str] = {}
        self.counts: dict[str, Counts] = {}
        self.chrome: dict[str, frozenset[str]] = {}

    def run(self, candidates: list[Candidate], gone: set[str], progress: bool) -> tuple[dict[str, CatalogEntry], CorpusState]:
        keys = {c.key for c in candidates}
        entries = {k: e for k, e in self.old.items() if k not in keys and k not in gone}
        self.texts = {c.file_hash: c.extracted.text for c in candidates}
        self.counts.update({c.file_hash: c.counts for c in candidates if c.counts is not None})
        files = {e.file_hash: self.old_sites.get(e.file_hash, "") for e in entries.values()}
        files.update({c.file_hash: c.site for c in candidates})
        self._move(files, {c.site for c in candidates}, entries)
        accepted_hashes: dict[str, str] = {}
        accepted = NearDuplicates()
        for entry in sorted(entries.values(), key=lambda e: e.key):
            accepted_hashes.setdefault(entry.file_hash, entry.path)
            sig = self.state.signatures.get(entry.doc_id)
            if sig:
                accepted.add_signature(entry.path, sig, functools.partial(_stored_shingles, self.store, entry.doc_id))
        for candidate in _progress(candidates, "cleaning", progress):
            label = display(candidate.path)
            previous = self.old.get(candidate.key)
            if candidate.file_hash in accepted_hashes:
                self.reports[candidate.key] = FileReport(label, "duplicate", f"same content as {accepted_hashes[candidate.file_hash]}")
                continue
            try:
                built, trace, grams = self._clean(candidate)
            except IngestError as exc:
                log.warning("ingest failed for %s: %s", label, exc.reason)
                self.reports[candidate.key] = FileReport(label, "failed", exc.reason)
                if previous is not None:  # its previously ingested version is kept
                    entries[candidate.key] = previous
                continue
            near = accepted.find(grams)
            if near is not None:
                self.reports[candidate.key] = FileReport(label, "duplicate", f"near-duplicate of {near} (≥ 90 % the same text)")
                continue
            accepted_hashes[candidate.file_hash] = label
            accepted.add(label, grams)
            entries[candidate.key] = self._write(candidate, built, trace, grams)
            self.reports[candidate.key] = FileReport(
                label, "ingested", "; ".join((*built.report, *(built.document.notes[-1:] if built.document.metadata_source == "detected" else ()))),
                built.document.doc_id, len(built.sections), len(built.chunks), built.document.metadata_source,
            )  # fmt: skip
        final = {e.file_hash: self.state.files.get(e.file_hash) or self.old_sites.get(e.file_hash, "")
                 for e in entries.values()}  # fmt: skip
        if final != self.state.files:
            # Duplicates and failures leave the corpus: clean what they touched once more.
            self._move(final, (), entries)
        live = {e.doc_id for e in entries.values()}
        self.state.signatures = {k: v for k, v in self.state.signatures.items() if k in live}
        self.state.traces = {k: v for k, v in self.state.traces.items() if k in live}
        return entries, self.state

    def _move(self, files: dict[str, str], sites: Iterable[str], entries: dict[str, CatalogEntry]) -> None:
        """Move the state to ``files`` and clean again the stored documents the move touches."""
        moved = move_to(self.state, self.store, files, self.texts, sites_wanted=sites, count=self._count)
        if moved is None:  # the words of a file that went are lost: start from the stored files
            self.state = CorpusState.rebuild(self.store, entries)
            moved = move_to(self.state, self.store, files, self.texts, sites_wanted=sites, count=self._count)
            assert moved is not None  # every file is now either counted or in ``texts``
        self.context, change = moved
        self.chrome = dict(change.site_lines)
        self.worker.share("vocabulary", self.context.vocabulary)
        for key, entry in sorted(entries.items()):
            site = self.state.files.get(entry.file_hash, "")
            if change.touches(self.state.traces.get(entry.doc_id), site):
                entries[key] = self._reclean(entry, site)

    def _count(self, file_hash: str, text: str) -> Counts:
        """A file's word counts, counted in the worker (a large file's take seconds)."""
        if file_hash not in self.counts:
            self.counts[file_hash] = self.worker.call(f"file {file_hash[:12]}", word_counts, text)
        return self.counts[file_hash]

    def _chrome(self, site: str) -> frozenset[str]:
        if site not in self.chrome:
            from regionplans.ingest.clean import site_boilerplate

            texts = []
            for file_hash in sorted(h for h, s in self.state.files.items() if s == site):
                text = self.texts.get(file_hash)
                if text is None:
                    cached = self.store.raw(file_hash)
                    text = Extracted.from_dict(cached).text if cached is not None else None
                if text is not None:
                    texts.append(text)
            self.chrome[site] = site_boilerplate(texts)
        return self.chrome[site]

    def _clean(self, candidate: Candidate) -> tuple[Built, Trace, np.ndarray]:
        result: tuple[Built, Trace, np.ndarray] = self.worker.call(
            display(candidate.path), clean_traced, candidate, Shared("vocabulary"),
            self._chrome(candidate.site), self.options, spent=candidate.spent,
        )  # fmt: skip
        return result

    def _write(self, candidate: Candidate, built: Built, trace: Trace, grams: np.ndarray) -> CatalogEntry:
        trace.site = chrome_fingerprint(self._chrome(candidate.site))
        self.store.write_document(built.document, built.sections, built.chunks, row=candidate.row)
        self.state.signatures[built.document.doc_id] = signature(grams)
        self.state.traces[built.document.doc_id] = trace
        return CatalogEntry(
            key=candidate.key, doc_id=built.document.doc_id, file_hash=candidate.file_hash,
            fingerprint=candidate.fingerprint, path=display(candidate.path), origin=candidate.origin,
            sections=len(built.sections), chunks=len(built.chunks),
            metadata_source=built.document.metadata_source, text_hash=_text_hash(built),
        )  # fmt: skip

    def _reclean(self, entry: CatalogEntry, site: str) -> CatalogEntry:
        """``entry``'s document cleaned again in the present context (kept as it was,
        to be tried again at the next change, when that fails)."""
        cached = self.store.raw(entry.file_hash)
        if entry.key in self.rows:
            row = self.rows[entry.key]
        else:
            found, row = self.store.row(entry.doc_id)
            if not found:
                cached = None  # stored before rows were: its row is not known
        if cached is None:
            log.warning("cannot clean %s again (no reader output or manifest row kept); keeping it", entry.path)
            self.state.traces.pop(entry.doc_id, None)
            return entry
        candidate = Candidate(entry.key, Path(entry.path), entry.origin, entry.file_hash, entry.fingerprint,
                               row, Extracted.from_dict(cached), site=site,
                               correction=self.corrections.get(entry.key))  # fmt: skip
        try:
            built, trace, grams = self._clean(candidate)
        except IngestError as exc:
            log.warning("cannot clean %s again (%s); keeping it as it was", entry.path, exc.reason)
            self.state.traces.pop(entry.doc_id, None)
            return entry
        if entry.key in self.reports and self.reports[entry.key].status == "unchanged":
            self.reports[entry.key] = replace(self.reports[entry.key], reason=RECLEANED, doc_id=built.document.doc_id,
                                              sections=len(built.sections), chunks=len(built.chunks))  # fmt: skip
        return self._write(candidate, built, trace, grams)


def _text_hash(built: Built) -> str:
    return content_hash(built.document.text, *(c.chunk_id for c in built.chunks))[:16]


def _stored_shingles(store: IngestStore, doc_id: str) -> np.ndarray:
    return shingles(store.written_text(doc_id))

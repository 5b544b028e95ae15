"""The documents of the store as a user manages them: list them with where each field
of their metadata comes from, correct their metadata, delete them. The index follows.

>>> info = set_metadata(Settings(), "plan.txt", {"regions": ["Region Dalarna"]})  # doctest: +SKIP
>>> info.document.regions, info.fields["regions"]  # doctest: +SKIP
(('Region Dalarna',), 'corrected')
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from regionplans.config import Settings
from regionplans.errors import ConfigError
from regionplans.ingest.corrections import Correction, Corrections, provenance
from regionplans.ingest.store import CatalogEntry, IngestReport, IngestStore
from regionplans.records import Document


@dataclass(frozen=True, slots=True)
class DocumentInfo:
    """One stored document: its store key, metadata, counts, and for each metadata field
    where it comes from (``detected``, ``manifest`` or ``corrected``)."""

    key: str
    document: Document
    origin: str
    sections: int
    chunks: int
    fields: dict[str, str]
    correction: Correction | None = None

    @property
    def source(self) -> str:
        """Where the document comes from as a user may see it: its URL, else its file
        (an upload by its name, a corpus file by its path in the corpus)."""
        return self.document.source_url or self.key

    def to_dict(self) -> dict[str, Any]:
        doc = self.document
        return {
            "doc_id": doc.doc_id, "key": self.key, "title": doc.title, "publisher": doc.publisher,
            "regions": list(doc.regions), "doc_type": doc.doc_type, "language": doc.language, "date": doc.date,
            "source_url": doc.source_url, "source": self.source, "sections": self.sections, "chunks": self.chunks,
            "detected": [k for k, v in self.fields.items() if v == "detected"],
            "given": {k: v for k, v in self.fields.items() if v != "detected"},
        }  # fmt: skip


def _info(store: IngestStore, key: str, entry: CatalogEntry, corrections: Mapping[str, Correction]) -> DocumentInfo:
    document = store.document(entry.doc_id)
    _, row = store.row(entry.doc_id)
    correction = corrections.get(key)
    return DocumentInfo(key, document, entry.origin, entry.sections, entry.chunks, provenance(row, correction), correction)


def list_documents(store_dir: Path) -> list[DocumentInfo]:
    """Every stored document by key (none when there is no store yet)."""
    store = IngestStore(store_dir)
    corrections = Corrections(store_dir).load()
    return [_info(store, key, entry, corrections) for key, entry in sorted(store.catalog().items())]


def find(store_dir: Path, ref: str) -> tuple[str, CatalogEntry]:
    """The stored file a user names: by document id, store key or file name; a
    ConfigError listing what matched when the name is ambiguous or unknown."""
    catalog = IngestStore(store_dir).catalog()
    ref = str(ref).strip()
    if ref in catalog:
        return ref, catalog[ref]
    found = [(k, e) for k, e in catalog.items() if ref in (e.doc_id, Path(k).name, Path(k).stem)]
    if len(found) == 1:
        return found[0]
    if found:
        raise ConfigError(f"{ref!r} names {len(found)} documents ({', '.join(k for k, _ in found)}); give the key")
    raise ConfigError(f"no document {ref!r} in {store_dir}; `regionplans documents list` shows the ids and keys")


def _apply(settings: Settings, index: bool) -> IngestReport:
    """The store brought in line with the corrections, then the index with the store."""
    from regionplans.ingest.pipeline import IngestOptions, apply_corrections

    report = apply_corrections(settings.ingest_dir, options=IngestOptions.from_limits(settings.limits))
    failed = report.by_status("failed")
    if failed:
        raise ConfigError(f"{failed[0].path}: {failed[0].reason}")
    if index and report.files:
        from regionplans.index.build import index_corpus

        index_corpus(settings)
    return report


def set_metadata(settings: Settings, ref: str, changes: Mapping[str, Any], *, clear: tuple[str, ...] = (),
                 index: bool = True) -> DocumentInfo:  # fmt: skip
    """Set (or, with ``clear``, give back to the manifest or detection) a document's title,
    publisher, regions, type, date or source URL; kept in the store's corrections, so
    every later ingest applies it again. The document is cleaned again from its stored
    reader output and, with ``index``, the index updated. ``regions=[]`` says national."""
    key, _ = find(settings.ingest_dir, ref)
    Corrections(settings.ingest_dir).update(key, changes, clear=clear)
    _apply(settings, index)
    store = IngestStore(settings.ingest_dir)
    return _info(store, key, store.catalog()[key], Corrections(settings.ingest_dir).load())


def delete_document(settings: Settings, ref: str, *, index: bool = True) -> str:
    """Remove a document from the store and (with ``index``) the index; its key.

    A corpus file stays in its folder, marked deleted in the corrections so that the next
    ingest leaves it out (:func:`restore_document` takes it back); an upload's stored copy
    is removed with it (uploading it again adds it again)."""
    key, entry = find(settings.ingest_dir, ref)
    corrections = Corrections(settings.ingest_dir)
    corrections.update(key, deleted=True)
    _apply(settings, index)
    if entry.origin == "files":
        uploads = (settings.data_dir / "uploads").resolve()
        path = Path(entry.path).resolve()
        if path.parent == uploads:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
        corrections.drop(key)
    return key


def restore_document(settings: Settings, key: str) -> None:
    """Take back the deletion of a corpus file: the next ``regionplans ingest`` reads it."""
    corrections = Corrections(settings.ingest_dir)
    current = corrections.load().get(key)
    if current is None or not current.deleted:
        raise ConfigError(f"{key!r} is not a deleted document; deleted ones are listed in the ingest report")
    corrections.update(key, deleted=False)

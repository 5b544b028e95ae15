"""The ingest store: documents, sections and chunks on disk, written atomically.

Layout under ``store_dir``::

    catalog.json          which file maps to which document (the source of truth)
    docs/<doc_id>.json    one document with its sections and chunks
    raw/<file_hash>.json  the reader's output per file content (so unchanged files
                          need not be read again to give corpus context)
    report.json           the last ingest report

Every file is written to a temporary name and moved into place with
``os.replace``; the catalog is replaced last. A crash mid-ingest therefore leaves
the previous catalog, which only names complete document files: the store is
never half-written and nothing already ingested is lost.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import tempfile
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from regionplans.errors import IngestError, StorageError
from regionplans.records import Chunk, Document, Section, content_hash

FORMAT = 1


@dataclass(frozen=True, slots=True)
class FileReport:
    """What happened to one file: ``status`` is one of :data:`STATUSES`."""

    path: str
    status: str
    reason: str = ""
    doc_id: str | None = None
    sections: int = 0
    chunks: int = 0
    metadata_source: str | None = None
    detected: tuple[str, ...] = ()  # metadata fields detected in the file
    given: tuple[str, ...] = ()  # fields given, with where: "title (manifest)", "date (corrected)"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FileReport:
        return cls(**{**data, "detected": tuple(data.get("detected", ())), "given": tuple(data.get("given", ()))})


STATUSES = ("ingested", "unchanged", "failed", "duplicate", "removed", "skipped")


@dataclass(frozen=True, slots=True)
class IngestReport:
    """The outcome of one ingest run, one :class:`FileReport` per file met."""

    files: tuple[FileReport, ...]
    store_dir: str = ""
    version: str = ""
    warnings: tuple[str, ...] = ()  # about the run as a whole (manifest rows, ...)

    def count(self, status: str) -> int:
        return sum(1 for f in self.files if f.status == status)

    @property
    def ingested(self) -> int:
        return self.count("ingested")

    @property
    def unchanged(self) -> int:
        return self.count("unchanged")

    @property
    def failed(self) -> int:
        return self.count("failed")

    @property
    def duplicates(self) -> int:
        return self.count("duplicate")

    @property
    def removed(self) -> int:
        return self.count("removed")

    @property
    def skipped(self) -> int:
        return self.count("skipped")

    @property
    def sections(self) -> int:
        """Sections of the documents this run ingested or found unchanged."""
        return sum(f.sections for f in self.files if f.status in ("ingested", "unchanged"))

    @property
    def chunks(self) -> int:
        return sum(f.chunks for f in self.files if f.status in ("ingested", "unchanged"))

    def counts(self) -> dict[str, int]:
        return {
            "files": len([f for f in self.files if f.status != "removed"]),
            "ingested": self.ingested,
            "unchanged": self.unchanged,
            "failed": self.failed,
            "duplicates": self.duplicates,
            "removed": self.removed,
            "skipped": self.skipped,
            "sections": self.sections,
            "chunks": self.chunks,
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "store_dir": self.store_dir,
            "version": self.version,
            "counts": self.counts(),
            "summary": self.summary(),
            "warnings": list(self.warnings),
            "files": [f.to_dict() for f in self.files],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> IngestReport:
        return cls(
            files=tuple(FileReport.from_dict(f) for f in data.get("files", ())),
            store_dir=data.get("store_dir", ""),
            version=data.get("version", ""),
            warnings=tuple(data.get("warnings", ())),
        )

    def by_status(self, status: str) -> tuple[FileReport, ...]:
        """The files of one status (``failed``, ``duplicate``...), in report order."""
        return tuple(f for f in self.files if f.status == status)

    def summary(self) -> str:
        """One line, e.g. "6 files: 5 ingested, 0 unchanged, 1 failed, ...; 40 sections, 55 chunks"."""
        c = self.counts()
        return (
            f"{c['files']} files: {c['ingested']} ingested, {c['unchanged']} unchanged, "
            f"{c['failed']} failed, {c['duplicates']} duplicates, {c['skipped']} skipped, "
            f"{c['removed']} removed; {c['sections']} sections, {c['chunks']} chunks"
        )


@dataclass(frozen=True, slots=True)
class CatalogEntry:
    """One stored file: its key (path relative to its corpus, or ``files/<name>``)."""

    key: str
    doc_id: str
    file_hash: str
    fingerprint: str
    path: str
    origin: str  # "directory" | "files"
    sections: int
    chunks: int
    metadata_source: str
    text_hash: str = ""  # the cleaned text and chunks: changes when the file is cleaned again


TEMPORARY = ".*.tmp"  # what write_atomic leaves when its process is killed mid-write


def to_json(data: Any, indent: int | None = None) -> str:
    """``data`` as JSON text that can be written as UTF-8: letters as they are, unless some
    string holds a lone surrogate (a file name that is not UTF-8), then all escaped."""
    text = json.dumps(data, ensure_ascii=False, indent=indent)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(data, ensure_ascii=True, indent=indent)
    return text


def write_atomic(path: Path, data: str) -> None:
    """Write ``data`` to ``path`` via a temporary file in the same directory and ``os.replace``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


class IngestStore:
    """Read (and, for the pipeline, write) the ingest store at ``store_dir``.

    Cheap to construct; files are read on first use. Documents are immutable by
    id (ids are content hashes), so loaded documents are cached.
    """

    def __init__(self, store_dir: Path | str) -> None:
        self.store_dir = Path(store_dir)
        self._payloads: dict[str, dict[str, Any]] = {}
        self._catalog: dict[str, CatalogEntry] | None = None
        self._catalog_mtime: float | None = None

    # -- paths -------------------------------------------------------------------
    @property
    def catalog_path(self) -> Path:
        return self.store_dir / "catalog.json"

    def doc_path(self, doc_id: str) -> Path:
        return self.store_dir / "docs" / f"{doc_id}.json"

    def raw_path(self, file_hash: str) -> Path:
        return self.store_dir / "raw" / f"{file_hash}.json"

    # -- reading -----------------------------------------------------------------
    def catalog(self) -> dict[str, CatalogEntry]:
        """The stored files by key (re-read when the catalog file changed)."""
        try:
            mtime = self.catalog_path.stat().st_mtime_ns
        except FileNotFoundError:
            return {}
        if self._catalog is None or self._catalog_mtime != mtime:
            try:
                data = json.loads(self.catalog_path.read_text(encoding="utf-8"))
            except (OSError, json.JSONDecodeError) as exc:
                raise IngestError(
                    str(self.catalog_path), f"unreadable ingest catalog ({exc}); delete the store and ingest again"
                ) from exc
            self._catalog = {key: CatalogEntry(key=key, **value) for key, value in data["entries"].items()}
            self._catalog_mtime = mtime
        return dict(self._catalog)

    @property
    def version(self) -> str:
        """Changes whenever the stored contents change (a hash of the catalog)."""
        return self.version_of(self.catalog())

    @staticmethod
    def version_of(entries: dict[str, CatalogEntry]) -> str:
        return content_hash("catalog", *(f"{k}:{e.doc_id}:{e.text_hash}" for k, e in sorted(entries.items())))[:16]

    def _payload(self, doc_id: str) -> dict[str, Any]:
        if doc_id not in {e.doc_id for e in self.catalog().values()}:
            raise KeyError(f"no document {doc_id!r} in the ingest store at {self.store_dir}")
        if doc_id not in self._payloads:
            path = self.doc_path(doc_id)
            try:
                self._payloads[doc_id] = json.loads(path.read_text(encoding="utf-8"))
            except FileNotFoundError as exc:
                raise KeyError(f"document {doc_id!r} is missing from {path.parent}") from exc
        return self._payloads[doc_id]

    def written_text(self, doc_id: str) -> str:
        """The text of a document file, committed or written by the run in progress."""
        path = self.doc_path(doc_id)
        try:
            return str(json.loads(path.read_text(encoding="utf-8"))["document"]["text"])
        except FileNotFoundError as exc:
            raise KeyError(f"document {doc_id!r} is missing from {path.parent}") from exc

    def documents(self) -> list[Document]:
        """Every stored document, ordered by file key."""
        return [self.document(e.doc_id) for _, e in sorted(self.catalog().items())]

    def document(self, doc_id: str) -> Document:
        """One document by id; :class:`KeyError` when it is not stored."""
        return Document.from_dict(self._payload(doc_id)["document"])

    def row(self, doc_id: str) -> tuple[bool, Any]:
        """``(True, row)``: the manifest row a document was cleaned with (``None`` for none);
        ``(False, None)`` for a document stored before rows were kept."""
        payload = self._payload(doc_id)
        if "row" not in payload:
            return False, None
        if payload["row"] is None:
            return True, None
        from regionplans.ingest.manifest import ManifestRow

        data = dict(payload["row"])
        return True, ManifestRow(**{**data, "regions": tuple(data["regions"]), "problems": tuple(data["problems"])})

    def sections(self, doc_id: str) -> list[Section]:
        return [
            Section(**{**s, "heading_path": tuple(s["heading_path"])})
            for s in self._payload(doc_id)["sections"]
        ]

    def chunks(self, doc_id: str) -> list[Chunk]:
        return [Chunk.from_dict(c) for c in self._payload(doc_id)["chunks"]]

    def iter_chunks(self) -> Iterator[tuple[Document, Chunk]]:
        """Every chunk with its document, documents in file order."""
        for document in self.documents():
            for chunk in self.chunks(document.doc_id):
                yield document, chunk

    def last_report(self) -> IngestReport | None:
        path = self.store_dir / "report.json"
        if not path.exists():
            return None
        try:
            return IngestReport.from_dict(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, json.JSONDecodeError, TypeError):
            return None

    def raw(self, file_hash: str) -> dict[str, Any] | None:
        """The cached reader output for a file content, if any."""
        path = self.raw_path(file_hash)
        if not path.exists():
            return None
        try:
            data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            return None
        return data

    # -- writing (used by the pipeline) -----------------------------------------------
    @contextlib.contextmanager
    def _writing(self, action: str = "write the ingest store at") -> Iterator[None]:
        """A failed write (full disk, read-only folder) as a clear :class:`StorageError`."""
        try:
            yield
        except OSError as exc:
            raise StorageError(str(self.store_dir), action, exc) from exc

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        """One writer at a time per store (the CLI and the app's upload view may overlap)."""
        with self._writing("lock the ingest store at"):
            self.store_dir.mkdir(parents=True, exist_ok=True)
            handle = (self.store_dir / ".lock").open("w")
        with handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def write_document(self, document: Document, sections: list[Section], chunks: list[Chunk],
                       *, row: Any = None) -> None:  # fmt: skip
        """Store a document with its sections, chunks and the manifest row it was made with
        (a dataclass, or None), replacing an earlier cleaning of the same document."""
        payload = {
            "format": FORMAT,
            "document": document.to_dict(),
            "sections": [asdict(s) for s in sections],
            "chunks": [c.to_dict() for c in chunks],
            "row": asdict(row) if row is not None else None,
        }
        with self._writing():
            write_atomic(self.doc_path(document.doc_id), to_json(payload))
        self._payloads.pop(document.doc_id, None)

    def sweep_temporary(self) -> list[Path]:
        """Remove the temporary files of writes that a killed run left (call under
        :meth:`lock`: no other writer is then busy). Returns what was removed."""
        removed = []
        for folder in (self.store_dir, self.store_dir / "docs", self.store_dir / "raw"):
            for path in folder.glob(TEMPORARY):
                with contextlib.suppress(FileNotFoundError), self._writing("clean up"):
                    path.unlink()
                    removed.append(path)
        return removed

    def remove(self, name: str) -> None:
        """Remove ``store_dir/name`` if it is there."""
        with self._writing(), contextlib.suppress(FileNotFoundError):
            (self.store_dir / name).unlink()

    def write_json(self, name: str, data: dict[str, Any]) -> None:
        """Write ``data`` to ``store_dir/name`` atomically."""
        with self._writing():
            write_atomic(self.store_dir / name, to_json(data))

    def write_raw(self, file_hash: str, data: dict[str, Any]) -> None:
        with self._writing():
            write_atomic(self.raw_path(file_hash), to_json(data))

    def commit(self, entries: dict[str, CatalogEntry], report: IngestReport) -> None:
        """Replace the catalog (the atomic switch), save the report, drop unreferenced files."""
        with self._writing():
            self._commit(entries, report)

    def _commit(self, entries: dict[str, CatalogEntry], report: IngestReport) -> None:
        data = {
            "format": FORMAT,
            "entries": {
                key: {k: v for k, v in asdict(e).items() if k != "key"} for key, e in sorted(entries.items())
            },
        }
        write_atomic(self.catalog_path, to_json(data, indent=1))
        self._catalog = None
        write_atomic(self.store_dir / "report.json", to_json(report.to_dict(), indent=1))
        live_docs = {e.doc_id for e in entries.values()}
        live_raw = {e.file_hash for e in entries.values()}
        for folder, live in (("docs", live_docs), ("raw", live_raw)):
            for path in (self.store_dir / folder).glob("*.json"):
                if path.stem not in live:
                    with contextlib.suppress(FileNotFoundError):
                        path.unlink()
        self._payloads = {k: v for k, v in self._payloads.items() if k in live_docs}

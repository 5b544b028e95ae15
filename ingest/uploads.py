"""Files sent to the app: named so that no upload replaces a different file, checked
against the upload limits, copied into the data directory and ingested.

An upload keeps its name when that name is harmless; otherwise the harmless form gets a
short hash of the original name, so "plan 2.txt" and "plan_2.txt" become two files,
while the same name sent again replaces its earlier version (an update).

>>> upload_name("plan_2.txt"), upload_name("plan 2.txt")
('plan_2.txt', 'plan_2-1231b77d.txt')
"""

from __future__ import annotations

import hashlib
import re
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from regionplans.config import Settings
from regionplans.ingest.pipeline import IngestOptions, ingest_files
from regionplans.ingest.store import IngestReport

UPLOAD_TYPES: tuple[str, ...] = (".pdf", ".html", ".htm", ".txt", ".md", ".docx")


def safe_name(name: str) -> str:
    """A file name with no directory part and only harmless characters."""
    base = Path(name.replace("\\", "/")).name
    base = re.sub(r"[^\w.\-]+", "_", base, flags=re.UNICODE).lstrip(".")
    return base or "upload"


def upload_name(name: str) -> str:
    """The name an upload is stored under: :func:`safe_name`, with a hash of the original
    name when making it safe changed it (so two different names never meet)."""
    safe = safe_name(name)
    if safe == name:
        return safe
    digest = hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    stem, dot, suffix = safe.rpartition(".")
    return f"{stem}-{digest}.{suffix}" if dot and stem else f"{safe}-{digest}"


@dataclass(frozen=True, slots=True)
class Refused:
    """An upload not ingested: its name and why (``bad_type`` or ``too_big``)."""

    name: str
    reason: str


@dataclass(frozen=True, slots=True)
class UploadResult:
    """What :func:`add_uploads` did: the ingest report of the files it kept (None when
    it kept none) and the uploads it refused before ingesting."""

    report: IngestReport | None
    refused: tuple[Refused, ...]
    stored: tuple[Path, ...]


def add_uploads(settings: Settings, uploads: Sequence[tuple[str, Path]], *, source_url: str | None = None) -> UploadResult:
    """Store and ingest ``uploads`` (original name, path of the received file): each
    file of a supported type within ``settings.limits.max_upload_mb`` is copied to
    ``data/uploads/`` under :func:`upload_name` and ingested with the others.
    ``source_url`` (http or https) is kept as the files' source, as a correction
    (:mod:`regionplans.ingest.corrections`), so it outlives later ingests."""
    from regionplans.ingest.corrections import Corrections, checked

    if source_url:
        checked({"source_url": source_url})
    folder = settings.data_dir / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    limit = settings.limits.max_upload_mb * 1024 * 1024
    refused: list[Refused] = []
    stored: dict[str, Path] = {}
    for original, source in uploads:
        name = upload_name(original)
        if Path(name).suffix.lower() not in UPLOAD_TYPES:
            refused.append(Refused(original, "bad_type"))
        elif source.stat().st_size > limit:
            refused.append(Refused(original, "too_big"))
        else:
            target = folder / name
            shutil.copyfile(source, target)
            stored[name] = target
    if not stored:
        return UploadResult(None, tuple(refused), ())
    if source_url:
        corrections = Corrections(settings.ingest_dir)
        for name in stored:
            corrections.update(f"files/{name}", {"source_url": source_url})
    paths = tuple(stored.values())
    report = ingest_files(paths, settings.ingest_dir, options=IngestOptions.from_limits(settings.limits))
    return UploadResult(report, tuple(refused), paths)

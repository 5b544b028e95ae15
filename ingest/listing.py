"""The files of a corpus folder: regular files inside it, and a report for everything else.

A symbolic link is never followed (``corpus/passwd.txt -> /etc/passwd`` would otherwise
be ingested and served by search): it is reported as skipped with where it points, as
are links to folders, broken links, pipes and devices. A file whose name is not valid
UTF-8 is reported as failed (rename it) instead of breaking the report. Hidden files
and folders (a leading dot) are passed over silently, as before.

>>> [item.key for item in list_folder(Path("corpus"))]  # doctest: +SKIP
['lif-2022-02-22-prioriteringar-precisionsmedicin.txt', ...]
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from regionplans.ingest.manifest import ManifestRow
from regionplans.ingest.store import FileReport


@dataclass(frozen=True, slots=True)
class Item:
    """One file to ingest: its key (its path relative to the folder), path and manifest
    row, or the report that refuses it before it is opened."""

    key: str
    path: Path
    row: ManifestRow | None = None
    refusal: FileReport | None = None


def display(path: Path | str) -> str:
    """``path`` as text that can be printed and stored: bytes of a name that is not valid
    UTF-8 shown as ``\\xNN`` escapes."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def valid_name(path: Path | str) -> bool:
    """Whether every part of ``path`` is valid UTF-8."""
    try:
        os.fsencode(path).decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def refuse_link(path: Path) -> FileReport:
    """The report of a symbolic link: skipped, with where it points and why."""
    try:
        target = display(os.readlink(path))
    except OSError:
        target = "?"
    try:
        info = path.stat()
    except OSError:
        return FileReport(display(path), "skipped", f"a broken symbolic link (to {target}); links are not followed")
    kind = "a folder" if stat.S_ISDIR(info.st_mode) else "a file"
    return FileReport(
        display(path), "skipped",
        f"a symbolic link to {kind} ({target}); links are not followed: copy what it points to "
        "into the corpus folder to ingest it",
    )  # fmt: skip


def list_folder(folder: Path, *, skip: Path | None = None) -> list[Item]:
    """Every entry under ``folder`` (not hidden), by key: regular files to ingest, and
    links, special files and undecodable names with the report that refuses them.
    ``skip`` (the manifest) is left out."""
    skipped = _identity(skip) if skip is not None else None
    items: list[Item] = []
    _walk(Path(folder), "", skipped, items)
    return sorted(items, key=lambda item: item.key)


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_dev, info.st_ino


def _walk(folder: Path, prefix: str, skipped: tuple[int, int] | None, items: list[Item]) -> None:
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as exc:
        key = prefix.rstrip("/") or "."
        items.append(Item(key, folder, refusal=FileReport(display(folder), "failed",
                                                         f"cannot list the folder: {exc.strerror or exc}")))  # fmt: skip
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = Path(entry.path)
        key = prefix + entry.name
        label = display(path)
        if not valid_name(entry.name):
            items.append(Item(display(key), path, refusal=FileReport(
                label, "failed", "the file name is not valid UTF-8; rename the file (e.g. with convmv) "
                "and ingest again")))  # fmt: skip
            continue
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError as exc:
            items.append(Item(key, path, refusal=FileReport(label, "failed", f"cannot read the file: {exc.strerror or exc}")))
            continue
        if stat.S_ISLNK(info.st_mode):
            items.append(Item(key, path, refusal=refuse_link(path)))
        elif stat.S_ISDIR(info.st_mode):
            _walk(path, key + "/", skipped, items)
        elif not stat.S_ISREG(info.st_mode):
            items.append(Item(key, path, refusal=FileReport(
                label, "skipped", "not a regular file (a pipe, socket or device); only files are read")))  # fmt: skip
        elif skipped is None or (info.st_dev, info.st_ino) != skipped:
            items.append(Item(key, path))

"""Disk full and read-only data directories: the update fails, the existing ingest
store and index are untouched and keep answering, and the next run (with space, or
writable again) completes.

Tests run as root, where chmod stops nothing; so the read-only directory is a real
read-only bind mount and the full disk a real, small tmpfs (both skipped where
mounting is not allowed), and the unwritable path that needs no mount is a file
standing where a directory is expected.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from builders import copy_data_dir
from required import unavailable

from regionplans.config import Settings
from regionplans.errors import IndexError_, RegionPlansError, StorageError
from regionplans.index.build import index_corpus
from regionplans.index.search import Searcher
from regionplans.ingest.pipeline import RECLEANED, ingest_directory
from regionplans.synth import load_vocabulary, write_corpus

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
QUERY = "kompetenscentrum för precisionshälsa"


def _mount(*args: str) -> bool:
    return subprocess.run(["mount", *args], capture_output=True).returncode == 0


def _umount(path: Path) -> None:
    subprocess.run(["umount", "-l", str(path)], capture_output=True)


def snapshot(root: Path) -> dict[str, str]:
    """Every file under ``root`` with the sha256 of its bytes (locks excluded)."""
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.name.endswith(".lock")
    }


def _copy_seeds(seed_settings: Settings, data: Path, corpus: Path) -> Settings:
    copy_data_dir(seed_settings.data_dir, data)
    shutil.copytree(seed_settings.corpus_dir, corpus)
    return replace(seed_settings, data_dir=data, corpus_dir=corpus)


def _add_plans(settings: Settings, count: int) -> None:
    write_corpus(load_vocabulary(ROOT / "corpus"), settings.corpus_dir / "nya", count, "txt")


@pytest.fixture
def read_only(tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    """(source, view): ``view`` shows ``source`` through a read-only bind mount."""
    source, view = tmp_path / "source", tmp_path / "view"
    source.mkdir()
    view.mkdir()
    if not _mount("--bind", str(source), str(view)):
        unavailable("disk", "bind mounts are not allowed here (the disk tests need root and mount)")
    try:
        if not _mount("-o", "remount,ro,bind", str(view)):
            unavailable("disk", "read-only remount is not allowed here (the disk tests need root and mount)")
        yield source, view
    finally:
        _umount(view)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 320 MiB file system (tmpfs) to fill up: room for a build of the seed index
    (qdrant's preallocated files count at their full size) once it is emptied again."""
    disk = tmp_path / "disk"
    disk.mkdir()
    if not _mount("-t", "tmpfs", "-o", "size=320m", "tmpfs", str(disk)):
        unavailable("disk", "tmpfs mounts are not allowed here (the disk tests need root and mount)")
    try:
        yield disk
    finally:
        _umount(disk)


def _fill(disk: Path, leave: int) -> Path:
    """Fill ``disk`` up to ``leave`` free bytes with one file (removed to free space)."""
    filler = disk / "filler"
    free = shutil.disk_usage(disk).free
    with filler.open("wb") as handle:
        handle.write(b"\0" * max(0, free - leave))
    return filler


def test_read_only_data_directory(seed_settings: Settings, read_only: tuple[Path, Path], tmp_path: Path) -> None:
    source, view = read_only
    writable = _copy_seeds(seed_settings, source, tmp_path / "corpus")
    _add_plans(writable, 3)
    settings = replace(writable, data_dir=view)
    before = snapshot(source)

    with pytest.raises(StorageError, match="Read-only file system") as ingest_error:
        ingest_directory(settings.corpus_dir, settings.ingest_dir)
    assert str(settings.ingest_dir) in str(ingest_error.value)
    with pytest.raises(IndexError_, match="Read-only file system") as index_error:
        index_corpus(settings)
    assert str(settings.index_dir) in str(index_error.value)
    # Reading works on a read-only data directory (the reader's view goes elsewhere).
    assert Searcher(settings).search(QUERY, limit=3).hits
    assert snapshot(source) == before  # nothing written, nothing half-written

    # Writable again: the existing index answers, and the update completes. A seed
    # document whose cleaning the new plans change (they share its site's chrome) is
    # cleaned again under a new id, as a fresh ingest of all the files would clean it.
    assert Searcher(writable).search(QUERY, limit=3).hits
    ingested = ingest_directory(writable.corpus_dir, writable.ingest_dir)
    assert ingested.ingested == 3
    recleaned = [f for f in ingested.files if f.reason == RECLEANED]
    report = index_corpus(writable)
    assert report.version == 2 and len(report.added) == 3 + len(recleaned)
    assert len(report.removed) == len(recleaned) and {f.doc_id for f in recleaned} <= set(report.added)


def test_disk_full_during_ingest(seed_settings: Settings, small_disk: Path, tmp_path: Path) -> None:
    settings = _copy_seeds(seed_settings, small_disk / "data", tmp_path / "corpus")
    _add_plans(settings, 40)
    before = snapshot(settings.ingest_dir)
    filler = _fill(small_disk, leave=16 * 1024)

    with pytest.raises(StorageError, match="No space left") as error:
        ingest_directory(settings.corpus_dir, settings.ingest_dir)
    assert str(settings.ingest_dir) in str(error.value)
    after = snapshot(settings.ingest_dir)
    # The store is the previous one: its catalog and documents are byte for byte the
    # same (new document files written before the disk filled are unreferenced).
    assert {k: v for k, v in after.items() if k in before} == before
    assert Searcher(settings).search(QUERY, limit=3).hits

    filler.unlink()
    assert ingest_directory(settings.corpus_dir, settings.ingest_dir).ingested == 40


CHILD_INDEX = """
import sys
from pathlib import Path
from regionplans.config import Settings
from regionplans.index.build import index_corpus
try:
    index_corpus(Settings(data_dir=Path(sys.argv[1]), qdrant_url=None))
except Exception as exc:
    print("ERROR", type(exc).__name__, exc, flush=True)
    raise SystemExit(3)
print("DONE", flush=True)
"""


@pytest.mark.slow
def test_disk_full_during_index_build(seed_settings: Settings, small_disk: Path, tmp_path: Path) -> None:
    settings = _copy_seeds(seed_settings, small_disk / "data", tmp_path / "corpus")
    _add_plans(settings, 6)
    ingested = ingest_directory(settings.corpus_dir, settings.ingest_dir)
    assert ingested.ingested == 6
    recleaned = [f for f in ingested.files if f.reason == RECLEANED]  # see test_read_only_data_directory
    live = sorted(p.name for p in (settings.index_dir / "edge").glob("gen-*"))
    before = snapshot(settings.index_dir / "edge" / live[-1])
    filler = _fill(small_disk, leave=64 * 1024)

    # In a child: were the build to start, an mmap write on a full disk could end the
    # process (SIGBUS); it must refuse up front with a clear error instead.
    proc = subprocess.run([sys.executable, "-c", CHILD_INDEX, str(settings.data_dir)],
                          capture_output=True, text=True, env=ENV, timeout=300)  # fmt: skip
    assert proc.returncode == 3, f"the build cannot have succeeded on a full disk: {proc.stderr[-2000:]}"
    assert "ERROR IndexError_ not enough free disk space" in proc.stdout
    assert str(settings.index_dir) in proc.stdout
    filler.unlink()

    assert snapshot(settings.index_dir / "edge" / live[-1]) == before
    reader = Searcher(settings)
    assert reader.index_info()["version"] == 1
    assert reader.search(QUERY, limit=3).hits
    reader.close()
    report = index_corpus(settings)  # the next run completes the update
    assert report.version == 2 and len(report.added) == 6 + len(recleaned)
    assert len(report.removed) == len(recleaned) and {f.doc_id for f in recleaned} <= set(report.added)


def test_unwritable_ingest_store_is_a_clear_error(seed_corpus: Path, tmp_path: Path) -> None:
    """A file where the store's folder should be: a RegionPlansError naming the path."""
    blocker = tmp_path / "data"
    blocker.write_text("not a folder", encoding="utf-8")
    try:
        ingest_directory(seed_corpus, blocker / "ingest")
    except RegionPlansError as exc:
        assert str(blocker) in str(exc)
    except OSError as exc:
        raise AssertionError(f"bare {type(exc).__name__}: {exc}") from exc
    else:
        raise AssertionError("ingest into a file did not fail")


def test_unwritable_index_is_a_clear_error(seed_settings: Settings, tmp_path: Path) -> None:
    """A file where the index folder should be: an IndexError_ naming the path; the
    ingest store it reads is untouched."""
    settings = replace(seed_settings, data_dir=tmp_path / "data")
    shutil.copytree(seed_settings.ingest_dir, settings.ingest_dir, ignore=shutil.ignore_patterns("*.lock"))
    settings.index_dir.write_text("not a folder", encoding="utf-8")
    before = snapshot(settings.ingest_dir)
    try:
        index_corpus(settings)
    except IndexError_ as exc:
        assert str(settings.index_dir) in str(exc)
    except OSError as exc:
        raise AssertionError(f"bare {type(exc).__name__}: {exc}") from exc
    else:
        raise AssertionError("indexing into a file did not fail")
    finally:
        assert snapshot(settings.ingest_dir) == before

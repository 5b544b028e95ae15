"""Crash safety: a process killed (SIGKILL) in the middle of ingest leaves the previous
ingest store whole and usable, the reader view (index, search) keeps answering from
it, and the next run completes the update.

The index's own kill test (a build killed mid-write) lives in test_index_build.py;
here the killed processes are an ingest run, at random moments and exactly inside the
commit, and an index build seen from a reader that stays open throughout.

One test breaks the guarantee on purpose (a writer that streams into the live
catalog instead of replacing it atomically) to show the check catches the damage.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from builders import copy_data_dir

from regionplans.config import Settings
from regionplans.index.build import index_corpus
from regionplans.index.search import Searcher
from regionplans.ingest.pipeline import ingest_directory
from regionplans.ingest.store import IngestStore
from regionplans.synth import load_vocabulary, write_corpus

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}

# The child ingests argv[1] into argv[2]. With argv[3] == "block-at-commit" it stops
# inside the catalog write (at the fsync, the last step before the switch) so the
# parent can kill it exactly there; "non-atomic" also swaps in a writer that streams
# into the live file, the broken writer the check must catch.
CHILD = """
import os, sys, time
from pathlib import Path
import regionplans.ingest.store as store
from regionplans.ingest.pipeline import ingest_directory

mode = sys.argv[3] if len(sys.argv) > 3 else "plain"
real_fsync = os.fsync

def fsync(fd):
    if mode != "plain" and "catalog.json" in os.readlink(f"/proc/self/fd/{fd}"):
        print("AT-COMMIT", flush=True)
        time.sleep(120)
    real_fsync(fd)

os.fsync = fsync

def streaming_write(path, data):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(data[: len(data) // 2])
        handle.flush()
        os.fsync(handle.fileno())
        handle.write(data[len(data) // 2 :])

if mode == "non-atomic":
    store.write_atomic = streaming_write
print("STARTED", flush=True)
report = ingest_directory(Path(sys.argv[1]), Path(sys.argv[2]))
print("DONE", report.ingested, flush=True)
"""


def check_store(store_dir: Path) -> list[str]:
    """Every way the store can be damaged: an unreadable catalog, a missing or torn
    document, chunks that do not match their document's text. Empty when whole."""
    try:
        catalog = json.loads((store_dir / "catalog.json").read_text(encoding="utf-8"))
        entries = catalog["entries"]
    except (OSError, ValueError, KeyError) as exc:
        return [f"catalog unreadable: {type(exc).__name__}: {exc}"]
    problems = []
    store = IngestStore(store_dir)
    for key, entry in entries.items():
        try:
            document = store.document(entry["doc_id"])
            chunks = store.chunks(entry["doc_id"])
        except (KeyError, ValueError) as exc:
            problems.append(f"{key}: document unreadable: {exc}")
            continue
        if len(chunks) != entry["chunks"]:
            problems.append(f"{key}: {len(chunks)} chunks stored, catalog says {entry['chunks']}")
        for chunk in chunks:
            if document.text[chunk.split_idx_start : chunk.split_idx_end] != chunk.text:
                problems.append(f"{key}: chunk {chunk.split_id} does not match the document text")
    return problems


def _catalog(store_dir: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((store_dir / "catalog.json").read_text(encoding="utf-8"))
    return data["entries"]


def _spawn(corpus: Path, store: Path, mode: str = "plain") -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", CHILD, str(corpus), str(store), mode],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV)  # fmt: skip


def _wait_for(proc: subprocess.Popen[str], marker: str, timeout: float = 60) -> None:
    assert proc.stdout is not None
    deadline = time.time() + timeout
    while time.time() < deadline:
        line = proc.stdout.readline()
        if line.startswith(marker):
            return
        if not line and proc.poll() is not None:
            raise AssertionError(f"child exited before {marker}: {proc.stderr.read() if proc.stderr else ''}")
    raise AssertionError(f"child never reached {marker}")


def _kill(proc: subprocess.Popen[str]) -> None:
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL


@pytest.fixture
def indexed(seed_settings: Settings, tmp_path: Path) -> Settings:
    """A private copy of the session's ingested and indexed seed corpus (no re-embedding)."""
    data = tmp_path / "data"
    copy_data_dir(seed_settings.data_dir, data)
    corpus = tmp_path / "corpus"
    shutil.copytree(seed_settings.corpus_dir, corpus)
    return replace(seed_settings, data_dir=data, corpus_dir=corpus)


@pytest.mark.parametrize("writer", ["atomic", "non-atomic"])
def test_kill_inside_the_commit(indexed: Settings, writer: str) -> None:
    """Killed exactly while the new catalog is being written: the real (atomic) writer
    leaves the previous store whole; a streaming writer tears it, and the check sees it."""
    store_dir = indexed.ingest_dir
    before = _catalog(store_dir)
    assert check_store(store_dir) == []
    write_corpus(load_vocabulary(indexed.corpus_dir), indexed.corpus_dir / "nya", 3, "txt")

    proc = _spawn(indexed.corpus_dir, store_dir, "block-at-commit" if writer == "atomic" else writer)
    _wait_for(proc, "AT-COMMIT")
    _kill(proc)

    problems = check_store(store_dir)
    if writer == "non-atomic":
        # The guarantee broken on purpose: the same check must report the damage.
        assert problems and problems[0].startswith("catalog unreadable"), problems
        return
    assert problems == []
    assert _catalog(store_dir) == before
    # The reader view: the index still matches the store, search answers from it.
    assert not index_corpus(indexed).changed
    assert Searcher(indexed).search("kompetenscentrum för precisionshälsa", limit=3).hits

    done = ingest_directory(indexed.corpus_dir, store_dir)
    assert done.ingested == 3 and done.unchanged == len(before)
    assert check_store(store_dir) == []


@pytest.mark.slow
def test_kill_at_random_moments_then_complete(tmp_path: Path) -> None:
    """Kill a long ingest at several random moments; after each kill the store is the
    previous one, whole; the last, uninterrupted run ingests everything."""
    vocab = load_vocabulary(ROOT / "corpus")
    corpus, store_dir = tmp_path / "corpus", tmp_path / "store"
    write_corpus(vocab, corpus, 20, "txt", seed=1)
    first = ingest_directory(corpus, store_dir)
    assert first.ingested == 20
    before = _catalog(store_dir)
    # The update: many new plans and a few changed ones.
    write_corpus(vocab, corpus / "nya", 250, "txt", seed=2)
    for path in sorted(corpus.glob("synth-*.txt"))[:5]:
        path.write_text(path.read_text(encoding="utf-8") + "\nEtt tillägg om biobanker.\n", encoding="utf-8")

    rng = random.Random(7)
    for attempt in range(3):
        proc = _spawn(corpus, store_dir)
        _wait_for(proc, "STARTED")
        time.sleep(rng.uniform(0.3, 2.0))
        if proc.poll() is not None:
            pytest.fail(f"ingest finished before kill {attempt}; make the update larger")
        _kill(proc)
        assert check_store(store_dir) == [], f"after kill {attempt}"
        assert _catalog(store_dir) == before, f"after kill {attempt}"

    done = ingest_directory(corpus, store_dir)
    assert done.failed == 0
    assert done.ingested == 255 and done.unchanged == 15
    assert check_store(store_dir) == []
    assert len(_catalog(store_dir)) == 270


@pytest.mark.slow
def test_open_reader_survives_a_killed_build(indexed: Settings) -> None:
    """A searcher that stays open (as in the app) keeps answering, from the previous
    index only, while a build is killed under it; after the next build it answers
    from the new one."""
    vocab = load_vocabulary(indexed.corpus_dir)
    write_corpus(vocab, indexed.corpus_dir / "nya", 30, "txt")
    assert ingest_directory(indexed.corpus_dir, indexed.ingest_dir).ingested == 30
    reader = Searcher(indexed)
    seeds = {d.doc_id for d in reader.documents()}
    assert reader.index_info()["version"] == 1

    answers: list[tuple[int, set[str]]] = []
    errors: list[BaseException] = []
    stop = threading.Event()

    def keep_searching() -> None:
        while not stop.is_set():
            try:
                result = reader.search("precisionsmedicin och genomik", limit=10, detect_regions=False)
                answers.append((result.searched_chunks, {h.document.doc_id for h in result.hits}))
            except BaseException as exc:  # noqa: BLE001 - collected and asserted below
                errors.append(exc)
            time.sleep(0.02)

    worker = threading.Thread(target=keep_searching)
    worker.start()
    try:
        script = "import sys; from regionplans.config import Settings; from regionplans.index.build import index_corpus; " \
                 "index_corpus(Settings(data_dir=__import__('pathlib').Path(sys.argv[1]), qdrant_url=None))"
        proc = subprocess.Popen([sys.executable, "-c", script, str(indexed.data_dir)], env=ENV, text=True,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip
        edge = indexed.index_dir / "edge"
        deadline = time.time() + 90
        while time.time() < deadline and not any(
            (g / "shard").exists() for g in edge.glob("gen-*") if not (g / "meta.json").exists()
        ):
            time.sleep(0.05)
        time.sleep(1.0)  # into the embedding and writing of the new generation
        assert proc.poll() is None, "build finished before it could be killed"
        _kill(proc)
        time.sleep(0.3)
        during = len(answers)
        assert reader.index_info()["version"] == 1
        index_corpus(indexed)  # the next run completes the update
        time.sleep(0.5)
    finally:
        stop.set()
        worker.join()
    assert not errors, errors[:3]
    assert during > 5
    v1_chunks = answers[0][0]
    for searched, docs in answers[:during]:
        assert searched == v1_chunks and docs <= seeds  # only the previous index, whole
    after = reader.search("precisionsmedicin och genomik", limit=10, detect_regions=False)
    assert reader.index_info()["version"] == 2
    assert after.searched_chunks > v1_chunks

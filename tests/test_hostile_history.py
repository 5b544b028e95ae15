"""Cleaning is a function of the files ingested, never of what was stored before.

Cleaning one file uses the others (word counts to rejoin broken words, the chrome its
site repeats). Ingesting corpus B and then corpus A into one store used to keep B's
words and chrome in A's context: whole lines of A were lost for good, under the same
ids. Now every order of runs gives the documents and chunks of a fresh ingest."""

from __future__ import annotations

import shutil
from pathlib import Path

from regionplans.ingest.pipeline import RECLEANED, ingest_directory, ingest_files
from regionplans.ingest.store import IngestStore
from regionplans.synth import load_vocabulary, write_corpus

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "corpus"


def contents(store_dir: Path) -> list[tuple[str, str, tuple[tuple[str, str], ...]]]:
    """Every stored document as (file, text, chunks): what search and compare see."""
    store = IngestStore(store_dir)
    out = []
    for key, entry in sorted(store.catalog().items()):
        doc = store.document(entry.doc_id)
        chunks = tuple((c.chunk_id, c.text) for c in store.chunks(entry.doc_id))
        out.append((key, doc.text, chunks))
    return out


def plans(folder: Path, count: int, fmt: str, seed: int) -> Path:
    write_corpus(load_vocabulary(SEEDS), folder, count, fmt, seed=seed)
    return folder


def fresh(corpus: Path, tmp_path: Path, name: str) -> list[tuple[str, str, tuple[tuple[str, str], ...]]]:
    store = tmp_path / f"fresh-{name}"
    ingest_directory(corpus, store)
    return contents(store)


def test_corpus_b_then_corpus_a_is_a_fresh_ingest_of_a(tmp_path: Path) -> None:
    # B: the seed plans and generated web pages; A: other generated pages of the same
    # sites and plain text plans. One store, B first.
    b = tmp_path / "b"
    shutil.copytree(SEEDS, b)
    plans(b / "webb", 12, "html", seed=3)
    a = plans(tmp_path / "a", 12, "html", seed=7)
    plans(a / "text", 8, "txt", seed=8)
    store = tmp_path / "store"
    ingest_directory(b, store)
    report = ingest_directory(a, store)
    assert report.removed > 0 and report.ingested == 20
    assert contents(store) == fresh(a, tmp_path, "a")
    # And back: A then B is a fresh B.
    ingest_directory(b, store)
    assert contents(store) == fresh(b, tmp_path, "b")


def test_overlapping_corpora_in_any_order(tmp_path: Path) -> None:
    """A shares files with B (the same bytes, the same names): those are "unchanged" in
    the second run, and are cleaned again when their context changed."""
    b = plans(tmp_path / "b", 14, "html", seed=11)
    a = tmp_path / "a"
    a.mkdir()
    shared = sorted(b.glob("*.html"))[:6]
    for path in shared:
        shutil.copy(path, a / path.name)
    shutil.copy(b / "manifest.csv", a / "manifest.csv")  # the same rows: rows of absent files warn
    plans(a / "mer", 6, "html", seed=12)
    shutil.copytree(SEEDS, a / "seeds")
    store = tmp_path / "store"
    ingest_directory(b, store)
    report = ingest_directory(a, store)
    statuses = {Path(f.path).name: f.status for f in report.files}
    assert all(statuses[p.name] == "unchanged" for p in shared)
    assert len(report.warnings) == 14 - 6 and all("no file" in w for w in report.warnings)
    assert contents(store) == fresh(a, tmp_path, "a")
    recleaned = [f for f in report.files if f.reason == RECLEANED]
    assert {f.doc_id for f in recleaned} <= {e.doc_id for e in IngestStore(store).catalog().values()}


def test_files_added_one_by_one_and_removed_again(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    extra = plans(tmp_path / "extra", 5, "txt", seed=21)
    store = tmp_path / "store"
    ingest_directory(corpus, store)
    for path in sorted(extra.glob("*.txt")):
        shutil.copy(path, corpus / path.name)
        ingest_directory(corpus, store)
        assert contents(store) == fresh(corpus, tmp_path, path.stem)
    for path in sorted(extra.glob("*.txt"))[:3]:
        (corpus / path.name).unlink()
    ingest_directory(corpus, store)
    assert contents(store) == fresh(corpus, tmp_path, "after-removal")


def test_uploads_count_as_files_of_the_store(tmp_path: Path) -> None:
    """Files added with ingest_files belong to the store's files like the folder's."""
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    uploads = plans(tmp_path / "uploads", 3, "txt", seed=31)
    store = tmp_path / "store"
    ingest_directory(corpus, store)
    ingest_files(sorted(uploads.glob("*.txt")), store)
    together = tmp_path / "together"
    ingest_files(sorted(uploads.glob("*.txt")), together)
    ingest_directory(corpus, together)
    assert contents(store) == contents(together)

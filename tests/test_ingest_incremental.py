"""Repeated runs: unchanged files skipped by hash, changed replaced, deleted removed,
duplicates reported once, uploads added without touching the rest, crashes harmless."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from regionplans.ingest import pipeline
from regionplans.ingest.pipeline import ingest_directory, ingest_files
from regionplans.ingest.store import IngestStore

A = "Region Halland satsar på precisionsmedicin.\n\nEtt centrum för genomik byggs i Halmstad under 2025 och ska samverka med industrin.\n"
B = "Region Gävleborg inför en handlingsplan för life science.\n\nPlanen omfattar hälsodata, kliniska prövningar och kompetensförsörjning inom bioinformatik.\n"
C = "Region Dalarna utreder AI i vården.\n\nEn förstudie om beslutsstöd inom radiologi och patologi redovisas under hösten.\n"


def statuses(report: pipeline.IngestReport) -> dict[str, str]:
    return {Path(f.path).name: f.status for f in report.files}


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.txt").write_text(A, encoding="utf-8")
    (folder / "b.txt").write_text(B, encoding="utf-8")
    return folder


def test_unchanged_changed_and_deleted(corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store_dir = tmp_path / "store"
    first = ingest_directory(corpus, store_dir)
    assert statuses(first) == {"a.txt": "ingested", "b.txt": "ingested"}
    store = IngestStore(store_dir)
    version = store.version
    old_b = next(d for d in store.documents() if d.name == "b")

    # Unchanged files are not even read again.
    def no_read(path: Path) -> None:
        raise AssertionError(f"{path} was read again")

    monkeypatch.setattr(pipeline, "read_file", no_read)
    second = ingest_directory(corpus, store_dir)
    assert statuses(second) == {"a.txt": "unchanged", "b.txt": "unchanged"}
    assert store.version == version and second.chunks == first.chunks
    monkeypatch.undo()

    (corpus / "b.txt").write_text(B.replace("bioinformatik", "bioinformatik och AI"), encoding="utf-8")
    (corpus / "a.txt").unlink()
    (corpus / "c.txt").write_text(C, encoding="utf-8")
    third = ingest_directory(corpus, store_dir)
    assert statuses(third) == {"b.txt": "ingested", "c.txt": "ingested", "a.txt": "removed"}
    assert store.version != version
    docs = {d.name: d for d in store.documents()}
    assert set(docs) == {"b", "c"}
    assert "bioinformatik och AI" in docs["b"].text
    assert docs["b"].doc_id != old_b.doc_id
    with pytest.raises(KeyError):
        store.document(old_b.doc_id)
    # Old document files are gone from disk: nothing is double-counted.
    assert len(list((store_dir / "docs").glob("*.json"))) == 2
    assert sum(1 for _ in store.iter_chunks()) == third.chunks


def test_manifest_change_reingests(corpus: Path, tmp_path: Path) -> None:
    store_dir = tmp_path / "store"
    ingest_directory(corpus, store_dir)
    (corpus / "manifest.csv").write_text(
        "file,title,publisher,regions,doc_type,language,date,source_url,notes\n"
        "a.txt,Genomikcentrum i Halland,Region Halland,Region Halland,news,sv,2024-05-02,,\n",
        encoding="utf-8",
    )
    report = ingest_directory(corpus, store_dir)
    assert statuses(report) == {"a.txt": "ingested", "b.txt": "unchanged"}
    doc = next(d for d in IngestStore(store_dir).documents() if d.name == "a")
    assert (doc.title, doc.date, doc.metadata_source) == ("Genomikcentrum i Halland", "2024-05-02", "manifest")


def test_exact_and_near_duplicates_reported_not_double_counted(corpus: Path, tmp_path: Path) -> None:
    shutil.copy(corpus / "a.txt", corpus / "kopia-av-a.txt")
    (corpus / "sparad-igen-b.txt").write_text(B.rstrip("\n") + " \n\nSkriv ut\n", encoding="utf-8")
    report = ingest_directory(corpus, tmp_path / "store")
    got = statuses(report)
    assert got["a.txt"] == "ingested" and got["b.txt"] == "ingested"
    assert got["kopia-av-a.txt"] == "duplicate" and got["sparad-igen-b.txt"] == "duplicate"
    reasons = {Path(f.path).name: f.reason for f in report.files}
    assert "same content as" in reasons["kopia-av-a.txt"] and "a.txt" in reasons["kopia-av-a.txt"]
    assert "near-duplicate" in reasons["sparad-igen-b.txt"]
    assert report.duplicates == 2
    assert len(IngestStore(tmp_path / "store").documents()) == 2


def test_ingest_files_adds_without_removing(corpus: Path, tmp_path: Path) -> None:
    store_dir = tmp_path / "store"
    ingest_directory(corpus, store_dir)
    uploads = tmp_path / "uploads"
    uploads.mkdir()
    (uploads / "c.txt").write_text(C, encoding="utf-8")
    report = ingest_files([uploads / "c.txt"], store_dir)
    assert statuses(report) == {"c.txt": "ingested"}
    assert {d.name for d in IngestStore(store_dir).documents()} == {"a", "b", "c"}
    # A later directory run keeps the upload.
    again = ingest_directory(corpus, store_dir)
    assert "removed" not in statuses(again).values()
    assert {d.name for d in IngestStore(store_dir).documents()} == {"a", "b", "c"}
    # Re-uploading a changed file replaces it.
    (uploads / "c.txt").write_text(C.replace("hösten", "våren"), encoding="utf-8")
    assert statuses(ingest_files([uploads / "c.txt"], store_dir)) == {"c.txt": "ingested"}
    docs = [d for d in IngestStore(store_dir).documents() if d.name == "c"]
    assert len(docs) == 1 and "våren" in docs[0].text


def test_crash_mid_ingest_leaves_previous_store(corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store_dir = tmp_path / "store"
    ingest_directory(corpus, store_dir)
    before = [(d.doc_id, d.text) for d in IngestStore(store_dir).documents()]
    (corpus / "a.txt").write_text(A + "\nEtt nytt stycke om finansiering.\n", encoding="utf-8")
    (corpus / "c.txt").write_text(C, encoding="utf-8")

    def crash(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt  # the process dies before the catalog is replaced

    monkeypatch.setattr(pipeline.IngestStore, "commit", crash)
    with pytest.raises(KeyboardInterrupt):
        ingest_directory(corpus, store_dir)
    monkeypatch.undo()
    assert [(d.doc_id, d.text) for d in IngestStore(store_dir).documents()] == before
    # The next run completes normally.
    report = ingest_directory(corpus, store_dir)
    assert statuses(report) == {"a.txt": "ingested", "b.txt": "unchanged", "c.txt": "ingested"}

"""Every kind of bad input gets a clear report line naming the file; the batch goes on."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from builders import make_pdf

from regionplans.errors import ConfigError
from regionplans.ingest.pipeline import IngestOptions, ingest_directory
from regionplans.ingest.store import FileReport, IngestReport, IngestStore

GOOD = "Region Kalmar län satsar på precisionsmedicin.\n\nRegionen inrättar ett centrum för genomik under 2025.\n"


def run(corpus: Path, store: Path, **kwargs: object) -> tuple[IngestReport, dict[str, FileReport]]:
    report = ingest_directory(corpus, store, **kwargs)  # type: ignore[arg-type]
    return report, {Path(f.path).name: f for f in report.files}


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "kalmar.txt").write_text(GOOD, encoding="utf-8")
    return folder


def test_each_bad_file_is_reported_and_the_rest_ingested(corpus: Path, tmp_path: Path) -> None:
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "junk.pdf").write_bytes(os.urandom(2048))
    (corpus / "truncated.pdf").write_bytes(b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n%%broken")
    make_pdf(corpus / "locked.pdf", [["Hemlig plan för Region Kalmar län."]], encrypt_password="hemligt")
    make_pdf(corpus / "scan.pdf", [["rad ett", "rad två"], ["rad tre"]], text_layer=False)
    (corpus / "tabell.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    (corpus / "binary.txt").write_bytes(bytes(range(256)) * 4)
    report, files = run(corpus, tmp_path / "store")

    assert files["kalmar.txt"].status == "ingested"
    assert files["empty.txt"].status == "failed" and "empty" in files["empty.txt"].reason
    assert files["junk.pdf"].status == "failed" and "not a PDF" in files["junk.pdf"].reason
    assert files["truncated.pdf"].status == "failed" and "PDF" in files["truncated.pdf"].reason
    assert files["locked.pdf"].status == "failed" and "encrypted" in files["locked.pdf"].reason
    assert files["scan.pdf"].status == "failed" and "no text layer" in files["scan.pdf"].reason
    assert files["tabell.xlsx"].status == "skipped" and "unsupported file type .xlsx" in files["tabell.xlsx"].reason
    assert files["binary.txt"].status == "failed" and "binary" in files["binary.txt"].reason
    assert report.ingested == 1 and report.failed == 6 and report.skipped == 1
    # Every line names its file.
    for name, entry in files.items():
        assert entry.path.endswith(name) and entry.reason or entry.status == "ingested"
    assert "1 ingested" in report.summary() and "6 failed" in report.summary()
    assert [d.name for d in IngestStore(tmp_path / "store").documents()] == ["kalmar"]


def test_cp1252_and_latin1_text(corpus: Path, tmp_path: Path) -> None:
    text = "Region Jönköpings län: hälso- och sjukvården ska använda precisionsmedicin – även i primärvården.\n"
    (corpus / "cp1252.txt").write_bytes(text.encode("cp1252"))
    other = "Region Värmland bygger ett kompetenscentrum för AI och genomik i Karlstad år 2025.\n"
    (corpus / "latin1.txt").write_bytes(other.encode("latin-1"))
    _, files = run(corpus, tmp_path / "store")
    store = IngestStore(tmp_path / "store")
    docs = {d.name: d for d in store.documents()}
    assert files["cp1252.txt"].status == "ingested"
    assert "Jönköpings län: hälso- och sjukvården" in docs["cp1252"].text and "–" in docs["cp1252"].text
    assert docs["latin1"].text.startswith("Region Värmland bygger ett kompetenscentrum")
    assert any("cp1252" in note for note in docs["cp1252"].notes)
    assert docs["cp1252"].regions == ("Region Jönköpings län",)


def test_file_over_the_size_limit_is_skipped(corpus: Path, tmp_path: Path) -> None:
    (corpus / "stor.txt").write_text(GOOD * 2000, encoding="utf-8")
    _, files = run(corpus, tmp_path / "store", options=IngestOptions(max_file_bytes=50_000))
    assert files["stor.txt"].status == "skipped"
    assert "too large" in files["stor.txt"].reason and "REGIONPLANS_MAX_FILE_MB" in files["stor.txt"].reason
    assert files["kalmar.txt"].status == "ingested"


def test_failure_keeps_the_previously_ingested_version(corpus: Path, tmp_path: Path) -> None:
    store_dir = tmp_path / "store"
    run(corpus, store_dir)
    before = IngestStore(store_dir).documents()
    (corpus / "kalmar.txt").write_bytes(b"\x00\x01\x02" * 100)  # the file is damaged
    _, files = run(corpus, store_dir)
    assert files["kalmar.txt"].status == "failed"
    assert IngestStore(store_dir).documents() == before


def test_bad_manifest_row_fails_only_its_file(corpus: Path, tmp_path: Path) -> None:
    (corpus / "annan.txt").write_text(GOOD.replace("Kalmar", "Gotland"), encoding="utf-8")
    (corpus / "manifest.csv").write_text(
        "file,title,publisher,regions,doc_type,language,date,source_url,notes\n"
        "kalmar.txt,Plan,Region Kalmar län,Region Kalmr,strategy,sv,2024-01-01,,\n",
        encoding="utf-8",
    )
    _, files = run(corpus, tmp_path / "store")
    assert files["kalmar.txt"].status == "failed"
    assert "manifest line 2" in files["kalmar.txt"].reason and "Region Kalmar län" in files["kalmar.txt"].reason
    assert files["annan.txt"].status == "ingested" and files["annan.txt"].metadata_source == "detected"


def test_missing_folder_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        ingest_directory(tmp_path / "nope", tmp_path / "store")

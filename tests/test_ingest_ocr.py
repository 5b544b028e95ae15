"""Scanned PDFs: pages without a text layer OCR'd with Tesseract's Swedish model.

The scans are generated: text rendered to page images (``eval.devfiles.render_scan``,
150 dpi, slightly rotated, grey), then put in a PDF with no text layer at all.
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from builders import make_pdf
from required import unavailable

from regionplans.config import Settings
from regionplans.eval.devfiles import parse, render_scan
from regionplans.ingest.pipeline import ingest_directory
from regionplans.ingest.store import IngestStore

if shutil.which("tesseract") is None:
    unavailable("ocr", "Tesseract is not installed (scripts/install-system-deps.sh installs it)", module=True)

SCAN = """---
out: protokoll.pdf
---
= Protokoll från regionstyrelsen
== Genomisk medicin
Regionstyrelsen beslutar att inrätta ett kompetenscentrum för genomisk medicin vid universitetssjukhuset.
Centrumet ska erbjuda helgenomsekvensering till barn med misstänkt sällsynt sjukdom från och med hösten 2025.
== Finansiering
Satsningen finansieras med tolv miljoner kronor per år under tre år.
"""


@pytest.mark.slow
def test_scanned_pdf_is_ocrd_and_searchable(tmp_path: Path, settings: Settings) -> None:
    from regionplans.index.build import index_corpus
    from regionplans.index.search import Searcher

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    render_scan(parse(SCAN), corpus / "protokoll.pdf")
    (corpus / "annat.txt").write_text("Region Gotland bygger ut cykelvägar längs kusten.\n", encoding="utf-8")
    report = ingest_directory(corpus, settings.ingest_dir)
    files = {Path(f.path).name: f for f in report.files}
    assert files["protokoll.pdf"].status == "ingested", files["protokoll.pdf"].reason
    assert "OCR on 1 of 1 pages" in files["protokoll.pdf"].reason
    doc = next(d for d in IngestStore(settings.ingest_dir).documents() if d.name == "protokoll")
    assert "helgenomsekvensering" in doc.text and "kompetenscentrum för genomisk medicin" in doc.text
    assert any("OCR on 1 of 1 pages" in note for note in doc.notes)

    index_corpus(replace(settings, corpus_dir=corpus))
    searcher = Searcher(settings)
    try:
        for mode in ("lexical", "hybrid"):
            hits = searcher.search("helgenomsekvensering av barn med sällsynt sjukdom", mode=mode).hits
            assert hits and hits[0].document.name == "protokoll", mode
        hits = searcher.search("tolv miljoner kronor", mode="lexical").hits
        assert hits[0].document.name == "protokoll" and "Finansiering" in hits[0].chunk.heading_path
    finally:
        searcher.close()


@pytest.mark.slow
def test_only_pages_without_text_are_ocrd(tmp_path: Path) -> None:
    """A text PDF with one scanned page in the middle (a signed decision, say)."""
    from pypdf import PdfReader, PdfWriter

    corpus = tmp_path / "corpus"
    make_pdf(tmp_path / "text.pdf", [["# Handlingsplan", "Regionen antog planen i juni 2024 efter remiss."],
                                     ["# Uppföljning", "Planen följs upp årligen av nämnden."]])  # fmt: skip
    render_scan(parse(SCAN), tmp_path / "scan.pdf")
    writer = PdfWriter()
    text, scan = PdfReader(tmp_path / "text.pdf"), PdfReader(tmp_path / "scan.pdf")
    for page in (text.pages[0], scan.pages[0], text.pages[1]):
        writer.add_page(page)
    corpus.mkdir()
    with (corpus / "blandad.pdf").open("wb") as handle:
        writer.write(handle)
    report = ingest_directory(corpus, tmp_path / "store")
    (entry,) = report.files
    assert entry.status == "ingested" and "OCR on 1 of 3 pages (page 2)" in entry.reason
    (doc,) = IngestStore(tmp_path / "store").documents()
    pages = doc.text.split("\f")
    assert "antog planen" in pages[0] and "helgenomsekvensering" in pages[1] and "följs upp" in pages[2]


def test_missing_engine_is_a_clear_report_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    render_scan(parse(SCAN), corpus / "protokoll.pdf")
    (corpus / "plan.txt").write_text("Region Gotland satsar på life science.\n", encoding="utf-8")
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))  # no tesseract on this PATH
    report = ingest_directory(corpus, tmp_path / "store")
    files = {Path(f.path).name: f for f in report.files}
    assert files["plan.txt"].status == "ingested"
    scan = files["protokoll.pdf"]
    assert scan.status == "failed"
    assert "no text layer" in scan.reason and "Tesseract is not installed" in scan.reason
    assert "apt-get install tesseract-ocr tesseract-ocr-swe" in scan.reason


def test_missing_language_names_its_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    render_scan(parse(SCAN), corpus / "protokoll.pdf")
    monkeypatch.setenv("REGIONPLANS_OCR_LANG", "swe+zzz")
    report = ingest_directory(corpus, tmp_path / "store")
    (entry,) = report.files
    assert entry.status == "failed" and "apt-get install tesseract-ocr-zzz" in entry.reason

"""Corrections that last: set and delete through the library, the index follows, and a
re-ingest keeps them (search filters and comparison rows read the corrected values)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from regionplans.compare.table import build_table
from regionplans.config import Settings
from regionplans.errors import ConfigError
from regionplans.index.build import index_corpus
from regionplans.index.search import Searcher
from regionplans.ingest.corrections import Corrections, check_date
from regionplans.ingest.documents import delete_document, list_documents, set_metadata
from regionplans.ingest.pipeline import ingest_directory
from regionplans.records import SearchFilters

DALARNA = """Region Dalarna: Handlingsplan för precisionsmedicin 2025–2027

Inledning

Region Dalarna ska ansluta sig till Genomic Medicine Sweden under 2025 och bygga upp
helgenomsekvensering för patienter med sällsynta diagnoser vid Falu lasarett.
"""

HALLAND = """Region Halland: Strategi för life science

Bakgrund

Region Halland ska utveckla samverkan med näringslivet om kliniska prövningar och
life science i Halmstad.
"""


@pytest.fixture
def corpus_settings(tmp_path: Path) -> Settings:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "dalarna.txt").write_text(DALARNA, encoding="utf-8")
    (corpus / "halland.txt").write_text(HALLAND, encoding="utf-8")
    return replace(Settings(), data_dir=tmp_path / "data", corpus_dir=corpus, qdrant_url=None)


def _search_docs(settings: Settings, **filters: object) -> set[str]:
    searcher = Searcher(settings)
    try:
        result = searcher.search("Genomic Medicine Sweden helgenomsekvensering", filters=SearchFilters(**filters),  # type: ignore[arg-type]
                                 detect_regions=False)  # fmt: skip
        return {h.document.name for h in result.hits}
    finally:
        searcher.close()


def _gms_row(settings: Settings, region: str) -> tuple[str | None, set[str]]:
    searcher = Searcher(settings)
    try:
        cell = build_table(searcher, "Genomic Medicine Sweden").cell(region)
    finally:
        searcher.close()
    return cell.empty_reason, {ev.doc_name for ev in cell.evidence}


@pytest.mark.slow
def test_correct_reingest_delete(corpus_settings: Settings) -> None:
    settings = corpus_settings
    ingest_directory(settings.corpus_dir, settings.ingest_dir)
    index_corpus(settings)
    assert _search_docs(settings, regions=("Region Dalarna",)) == {"dalarna"}
    assert _gms_row(settings, "Region Dalarna")[1] == {"dalarna"}

    info = set_metadata(settings, "dalarna.txt", {"regions": ["Gävleborg"], "title": "Rättad titel",
                                                  "date": "2024-03-01", "publisher": "Region Gävleborg"})  # fmt: skip
    assert info.document.regions == ("Region Gävleborg",) and info.document.title == "Rättad titel"
    assert info.fields["regions"] == info.fields["title"] == "corrected" and info.fields["language"] == "detected"

    # A re-ingest of the folder keeps the correction (the file is unchanged under it).
    report = ingest_directory(settings.corpus_dir, settings.ingest_dir)
    line = next(f for f in report.files if f.path.endswith("dalarna.txt"))
    assert line.status == "unchanged"
    assert "regions (corrected)" in line.given and "language" in line.detected
    index_corpus(settings)
    assert _search_docs(settings, regions=("Region Gävleborg",)) == {"dalarna"}
    assert _search_docs(settings, regions=("Region Dalarna",)) == set()
    assert _search_docs(settings, date_from="2024-01-01", date_to="2024-12-31") == {"dalarna"}
    assert _gms_row(settings, "Region Gävleborg")[1] == {"dalarna"}
    assert _gms_row(settings, "Region Dalarna")[0] == "no_documents"

    # A changed file is ingested again with the correction applied to it.
    (settings.corpus_dir / "dalarna.txt").write_text(DALARNA + "\nNy mening om biobanker.\n", encoding="utf-8")
    ingest_directory(settings.corpus_dir, settings.ingest_dir)
    (doc,) = [i.document for i in list_documents(settings.ingest_dir) if i.key == "dalarna.txt"]
    assert doc.regions == ("Region Gävleborg",) and doc.date == "2024-03-01" and doc.publisher == "Region Gävleborg"

    # Delete: out of the store and the index at once, and the next ingest leaves it out.
    assert delete_document(settings, "dalarna") == "dalarna.txt"
    assert [i.key for i in list_documents(settings.ingest_dir)] == ["halland.txt"]
    assert "dalarna" not in _search_docs(settings)
    report = ingest_directory(settings.corpus_dir, settings.ingest_dir)
    assert {Path(f.path).name: f.status for f in report.files}["dalarna.txt"] == "skipped"
    index_corpus(settings)
    assert "dalarna" not in _search_docs(settings)
    assert _gms_row(settings, "Region Gävleborg")[0] == "no_documents"


def test_corrections_are_checked(tmp_path: Path) -> None:
    corrections = Corrections(tmp_path)
    for changes in ({"date": "2022-13-45"}, {"doc_type": "poem"}, {"regions": ["Stokholm"]},
                    {"source_url": "/tmp/x.pdf"}, {"colour": "red"}, {"title": "  "}):  # fmt: skip
        with pytest.raises(ConfigError):
            corrections.update("a.txt", changes)
    assert corrections.load() == {}
    kept = corrections.update("a.txt", {"regions": [], "date": "2024-02"})
    assert kept is not None and kept.regions == () and kept.fields() == ("regions", "date")
    assert corrections.update("a.txt", clear=("regions", "date")) is None
    assert check_date("2024") == "2024"
    with pytest.raises(ConfigError, match="2023-02-30"):
        check_date("2023-02-30")

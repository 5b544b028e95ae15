"""The comparison table's candidate retrieval: a row's searches are restricted by one
indexed keyword (its region or its publishers) where that selects exactly the row's
documents, else by their ids; the tables are the same either way, on a real index, in
both stores, and after a correction changes a document's regions."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from builders import TABLE_DOCS, paragraph_chunks, selects

from regionplans.compare import table
from regionplans.compare.attribution import row_documents
from regionplans.config import Settings
from regionplans.index.build import index_documents
from regionplans.index.search import Searcher
from regionplans.records import Document, SearchFilters

# A national text (no region) whose title names an actor: secondary for that actor's row;
# its publisher also wrote another text, so no keyword of the index selects it alone.
NATIONAL = Document(
    doc_id="gms-report", file_path="gms.txt", title="Rapport om Genomic Medicine Sweden",
    publisher="Dagens Medicin", regions=(), doc_type="news", language="sv", date="2024-02-01",
    text="Genomic Medicine Sweden ska under 2025 bygga ut precisionsmedicin i hela landet med nya medel.",
    file_hash="gms",
)  # fmt: skip
OTHER = dataclasses.replace(NATIONAL, doc_id="clinics", file_path="clinics.txt", title="Vårdcentraler i norr",
                            text="Nya vårdcentraler öppnar i norr under året.", file_hash="clinics")  # fmt: skip
DOCS = [*TABLE_DOCS, NATIONAL, OTHER]
ASPECTS = ["finansiering", "tidsplan"]


def _by_ids(documents: list[Document], rows: dict[str, list[tuple[Document, bool]]]) -> dict[str, SearchFilters]:
    """Every row restricted by its documents' ids (the restriction before keywords)."""
    return {row: SearchFilters(doc_ids=tuple(d.doc_id for d, _ in docs)) for row, docs in rows.items() if docs}


def _cells(t: table.ComparisonTable) -> list[dict[str, object]]:
    return [dataclasses.asdict(c) for c in t.cells]


def test_row_filters_use_a_keyword_only_when_it_selects_exactly_the_rows_documents() -> None:
    rows = row_documents(DOCS)
    filters = table._row_filters(DOCS, rows)
    assert filters["Region Uppsala"] == SearchFilters(regions=("Region Uppsala",))
    assert filters["Region Dalarna"] == SearchFilters(regions=("Region Dalarna",))
    assert filters["Lif"] == SearchFilters(publishers=("Lif",))
    assert filters["Genomic Medicine Sweden"] == SearchFilters(doc_ids=("gms-report",))
    assert set(filters) == {row for row, docs in rows.items() if docs}
    for row, flt in filters.items():
        assert {d.doc_id for d in DOCS if selects(flt, d)} == {d.doc_id for d, _ in rows[row]}, row


def test_row_filters_fall_back_to_ids_when_a_publisher_also_writes_for_other_rows() -> None:
    # Lif also publishes a national text naming GMS: Lif's publisher keyword still selects
    # exactly Lif's row (both are its own), GMS's row is the national text alone.
    lif_gms = dataclasses.replace(NATIONAL, doc_id="lif-gms", publisher="Lif")
    docs = [*TABLE_DOCS, lif_gms]
    rows = row_documents(docs)
    filters = table._row_filters(docs, rows)
    assert filters["Lif"] == SearchFilters(publishers=("Lif",))
    assert filters["Genomic Medicine Sweden"] == SearchFilters(doc_ids=("lif-gms",))
    for row, flt in filters.items():
        assert {d.doc_id for d in docs if selects(flt, d)} == {d.doc_id for d, _ in rows[row]}, row


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["edge", "client"])
def test_table_is_the_same_restricted_by_keywords_or_by_ids(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, backend: str
) -> None:
    url = None if backend == "edge" else ":memory:"
    settings = Settings(data_dir=tmp_path / "data", qdrant_url=url, collection=f"rows{backend}")
    index_documents(settings, [(d, paragraph_chunks(d.doc_id, d.text, 700)) for d in DOCS])
    searcher = Searcher(settings)
    try:
        keyword = table.build_table(searcher, "precisionsmedicin", aspects=ASPECTS)
        monkeypatch.setattr(table, "_row_filters", _by_ids)
        by_ids = table.build_table(searcher, "precisionsmedicin", aspects=ASPECTS)
    finally:
        searcher.close()
    assert _cells(keyword) == _cells(by_ids)
    filled = {(c.row, c.column) for c in keyword.cells if c.evidence}
    assert {("Region Uppsala", "tidsplan"), ("Lif", "tidsplan"), ("Genomic Medicine Sweden", "tidsplan")} <= filled


@pytest.mark.slow
def test_row_keywords_follow_a_correction_in_an_incremental_build(tmp_path: Path) -> None:
    from regionplans.index.build import index_corpus
    from regionplans.ingest.documents import set_metadata
    from regionplans.ingest.pipeline import ingest_directory

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for doc in DOCS:
        (corpus / doc.file_path).write_text(f"{doc.title}\n\n{doc.text}\n", encoding="utf-8")
    settings = Settings(data_dir=tmp_path / "data", corpus_dir=corpus, qdrant_url=None)
    ingest_directory(corpus, settings.ingest_dir)
    index_corpus(settings)
    set_metadata(settings, "other.txt", {"regions": ["Region Gävleborg"], "publisher": "Region Gävleborg"})
    searcher = Searcher(settings)
    try:
        with searcher.pinned() as view:
            documents = view.documents()
            rows = row_documents(documents)
            filters = table._row_filters(documents, rows)
            assert filters["Region Gävleborg"] == SearchFilters(regions=("Region Gävleborg",))
            assert "Region Dalarna" not in filters
            for row, flt in filters.items():
                ids = _by_ids(documents, rows)[row]
                # The keyword selects the very chunks the ids do (the payload followed the correction).
                both = dataclasses.replace(flt, doc_ids=ids.doc_ids)
                assert view._count(flt) == view._count(ids) == view._count(both) > 0, row
    finally:
        searcher.close()

"""Cell assembly, row documents and exports with hand-built hits (no index needed)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from regionplans.compare import export
from regionplans.compare.table import build_table, topic_terms
from regionplans.records import Chunk, Document, Hit, SearchFilters, SearchResult

TEXTS = {
    "own": "Om oss\n\nRegionen ska senast 2025 inrätta ett centrum för precisionsmedicin med 50 mnkr. Övrigt arbete pågår.",
    "news": "Lif skriver att Region Uppsala avser att satsa på precisionsmedicin under 2024.",
    "other": "Dalarna bygger nya vårdcentraler.",
}


def _doc(key: str, publisher: str, regions: tuple[str, ...]) -> Document:
    return Document(doc_id=key, file_path=f"{key}.txt", title=key.title(), publisher=publisher,
                    regions=regions, doc_type="news", language="sv", date="2024-01-01",
                    text=TEXTS[key], file_hash=key)  # fmt: skip


DOCS = [_doc("own", "Region Uppsala", ("Region Uppsala",)), _doc("news", "Lif", ("Region Uppsala",)),
        _doc("other", "Region Dalarna", ("Region Dalarna",))]  # fmt: skip


class HandSearcher:
    """Returns every chunk of the filtered documents, own text first (fixed scores)."""

    def documents(self) -> list[Document]:
        return DOCS

    def index_info(self) -> dict[str, Any]:
        return {"model": "test-model", "version": "v1"}

    def search_batch(self, requests: Sequence[tuple[str, SearchFilters]], *, mode: str = "hybrid",
                     limit: int = 10, per_doc: int | None = None) -> list[SearchResult]:  # fmt: skip
        out = []
        for query, flt in requests:
            hits = []
            for i, doc in enumerate(d for d in DOCS if d.doc_id in flt.doc_ids):
                chunk = Chunk(
                    f"c{doc.doc_id}", doc.doc_id, doc.text, ("Del 1",), 2, 0, 0, len(doc.text)
                )
                hits.append(Hit(chunk, doc, score=1.0 - i / 10, rank=i + 1, dense_rank=i + 1))
            out.append(SearchResult(query, mode, tuple(hits), flt))
        return out


def test_cells_labels_secondary_and_empty_reasons(tmp_path: Path) -> None:
    table = build_table(HandSearcher(), "precisionsmedicin")
    up = table.cell("Region Uppsala")
    assert up.label == "commitment" and up.triggers == ("ska",)
    assert [e.secondary for e in up.evidence] == [False, True]
    assert (
        up.evidence[0].quote
        == "Regionen ska senast 2025 inrätta ett centrum för precisionsmedicin med 50 mnkr."
    )
    assert up.evidence[1].label == "plan"
    assert (
        "senast 2025" in up.deadlines
        and "under 2024" in up.deadlines
        and up.amounts == ("50 mnkr",)
    )
    assert all(e.quote in TEXTS[e.doc_id] for e in up.evidence)
    dal = table.cell("Region Dalarna")
    assert dal.empty_reason == "nothing_relevant" and dal.searched_documents == 1
    assert dal.closest_miss is not None and dal.closest_miss.quote in TEXTS["other"]
    assert table.cell("Region Gotland").empty_reason == "no_documents"
    assert table.provenance["model"] == "test-model" and table.provenance["index_version"] == "v1"

    rows = export.cell_rows(table)
    for fmt in ("csv", "xlsx"):
        back = export.read_rows(export.write(table, tmp_path / f"t.{fmt}", fmt))
        assert [(r["row"], r["label"], r["quote"], r["secondary"]) for r in back] == [
            (r["row"], r["label"], r["quote"], r["secondary"]) for r in rows
        ]


def test_rows_filter_and_acronym_expansion() -> None:
    table = build_table(HandSearcher(), "precisionsmedicin", regions=["Uppsala", "GMS"])
    assert [r for r, _ in table.rows] == ["Region Uppsala", "Genomic Medicine Sweden"]
    terms = topic_terms("GMS")
    assert "GMS" in terms.phrases and "Genomic Medicine Sweden" in terms.phrases
    assert terms.match("Vi ingår i Genomic medicine Sweden.").matched
    assert not terms.match("Vi ingår i nätverket.").matched

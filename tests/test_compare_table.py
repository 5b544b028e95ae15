"""Cell assembly, row documents and exports with hand-built hits (no index needed)."""

from __future__ import annotations

from pathlib import Path

from builders import TABLE_TEXTS as TEXTS
from builders import TableSearcher as HandSearcher

from regionplans.compare import export
from regionplans.compare.table import build_table, topic_terms


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


def test_a_word_that_only_starts_like_a_term_does_not_name_it() -> None:
    funding = topic_terms("finansiering")
    assert funding.match("Regionen får medel från Vinnova.").matched
    assert not funding.match("Medelvärdet för väntetiden sjönk.").matched
    assert not funding.match("Rökning är en bidragande orsak.").matched
    centre = topic_terms("centrum för precisionsmedicin")
    assert centre.match("Ett centrum för precisionsmedicin inrättas.").matched
    assert not centre.match("Centerpartiet vill satsa på precisionsmedicin.").matched
    strategy = topic_terms("life science strategy")
    assert not strategy.match("Life science is a strategic priority.").matched

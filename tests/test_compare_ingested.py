"""The GMS table over the seeds as the ingest stage cleans and chunks them."""

from __future__ import annotations

import pytest

from regionplans.compare.table import build_table
from regionplans.config import Settings
from regionplans.index.search import Searcher


@pytest.mark.slow
def test_gms_table_on_ingested_seeds(seed_settings: Settings) -> None:
    searcher = Searcher(seed_settings)
    try:
        table = build_table(searcher, "Genomic Medicine Sweden")
    finally:
        searcher.close()
    assert table.cell("Region Örebro län").label == "status"
    assert table.cell("Region Stockholm").label == "commitment"
    assert not table.cell("Region Stockholm").evidence[0].secondary
    assert table.cell("Lif").label == "proposal"
    assert table.cell("Region Östergötland").empty_reason == "nothing_relevant"
    assert sum(c.empty_reason == "no_documents" for c in table.cells if c.group == "region") == 18

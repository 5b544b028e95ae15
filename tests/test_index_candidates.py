"""Hybrid candidates without payload where every chunk's language is known: an index
of one language ranks exactly as when each candidate's language is read from the store."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from builders import make_doc

from regionplans.config import Settings
from regionplans.index.build import index_documents
from regionplans.index.search import Searcher

PARAGRAPHS = [
    "Regionen ska inrätta ett centrum för precisionsmedicin och helgenomsekvensering senast 2026.",
    "Biobanken samlar prover för forskning och sekundäranvändning av hälsodata.",
    "Kompetensförsörjning av bioinformatiker är en förutsättning för genomikens utveckling.",
    "Samverkan med akademi och näringsliv om kliniska studier stärker life science i regionen.",
]
QUERIES = ["precisionsmedicin och helgenomsekvensering", "How do regions fund biobanks?", "kliniska studier"]


def _ranking(searcher: Searcher) -> list[list[tuple[str, float, int | None, int | None]]]:
    return [[(h.chunk.chunk_id, h.score, h.dense_rank, h.lexical_rank) for h in searcher.search(
        q, detect_regions=False, limit=8, per_doc=None).hits] for q in QUERIES]  # fmt: skip


@pytest.mark.slow
def test_one_language_index_ranks_alike_without_language_payloads(tmp_path: Path) -> None:
    items = [make_doc(f"plan{i}", region, PARAGRAPHS[i:] + PARAGRAPHS[:i])
             for i, region in enumerate(["Region Uppsala", "Region Skåne", "Region Örebro län"])]  # fmt: skip
    settings = Settings(data_dir=tmp_path / "data", qdrant_url=None)
    index_documents(settings, items)
    searcher = Searcher(settings)
    try:
        with searcher.pinned() as view:
            assert view._pinned.only_language == "sv"
            fast = _ranking(view)  # type: ignore[arg-type]
            view._pinned.only_language = None  # every candidate's language read from the store
            assert _ranking(view) == fast  # type: ignore[arg-type]
        assert all(fast) and any(len({r[0] for r in q}) > 1 for q in fast)
        # An English document too: each candidate's language is read again.
        english = dataclasses.replace(items[0][0], doc_id="en", language="en", file_path="en.txt")
        index_documents(settings, [*items, (english, [dataclasses.replace(c, doc_id="en", chunk_id=c.chunk_id[::-1])
                                                      for c in items[0][1]])])  # fmt: skip
        with searcher.pinned() as view:
            assert view._pinned.only_language is None
    finally:
        searcher.close()

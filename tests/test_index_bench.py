"""The benchmark runs end to end on a tiny size (numbers are not asserted: it is not a timed test)."""

from __future__ import annotations

from pathlib import Path

import pytest

from regionplans.index.bench import bench_search, synthetic_corpus

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def test_synthetic_corpus_shape() -> None:
    items = synthetic_corpus(120, CORPUS)
    assert sum(len(chunks) for _, chunks in items) == 120
    assert len({doc.regions for doc, _ in items}) == 3
    assert len({c.chunk_id for _, chunks in items for c in chunks}) == 120


@pytest.mark.slow
def test_bench_runs_on_every_backend(tmp_path: Path) -> None:
    rows = bench_search((150,), tmp_path, corpus_dir=CORPUS, rounds=1, echo=False)
    assert [r["backend"] for r in rows] == [
        "qdrant-edge",
        "qdrant-client local",
        "numpy brute force (dense only)",
    ]
    for row in rows:
        assert row["chunks"] == 150 and row["hybrid_p50_ms"] > 0 and row["filtered_p95_ms"] > 0
    assert rows[0]["build_s"] is not None and rows[0]["batch_21x8_ms"] > 0

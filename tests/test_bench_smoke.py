"""The benchmark cannot rot: its generator, its parts and a small end-to-end run.

No time is asserted anywhere: benchmarks report, they never fail on speed.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from builders import copy_data_dir
from click.testing import CliRunner

from regionplans.bench import PARTS, parse_parts, parse_sizes, run_part
from regionplans.bench.report import summary
from regionplans.cli import cli
from regionplans.config import Settings
from regionplans.errors import ConfigError
from regionplans.ingest.pipeline import ingest_directory
from regionplans.ingest.regions import REGIONS
from regionplans.synth import load_vocabulary, synth_document, synth_items, write_corpus

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def test_parse_sizes_and_parts() -> None:
    assert parse_sizes("1k,10k, 100k") == (1000, 10000, 100000)
    assert parse_sizes("250") == (250,)
    with pytest.raises(ConfigError, match="bad size"):
        parse_sizes("1k,lots")
    assert parse_parts("compare, search") == ("search", "compare")  # the suite's order
    assert parse_parts("all") == tuple(PARTS)
    with pytest.raises(ConfigError, match="unknown benchmark part 'serch'"):
        parse_parts("serch")


def test_bench_help_lists_the_parts() -> None:
    result = CliRunner().invoke(cli, ["bench", "--help"], terminal_width=400)
    assert result.exit_code == 0
    for name in PARTS:
        assert f"{name}:" in result.output, name


def test_synth_items_are_deterministic_and_consistent() -> None:
    vocab = load_vocabulary(CORPUS)
    items = synth_items(1000, vocab, seed=3)
    assert sum(len(chunks) for _doc, chunks in items) == 1000
    assert [c.chunk_id for _d, cs in items for c in cs] == [
        c.chunk_id for _d, cs in synth_items(1000, vocab, seed=3) for c in cs
    ]
    assert {d.regions[0] for d, _cs in items} == {r.name for r in REGIONS}
    ids = [c.chunk_id for _d, cs in items for c in cs]
    assert len(set(ids)) == len(ids)
    for doc, chunks in items[:5]:
        assert doc.date and doc.date[:2] == "20"
        for chunk in chunks:
            assert doc.text[chunk.split_idx_start : chunk.split_idx_end] == chunk.text
            assert chunk.heading_path
    # The seeds' own region names are replaced by the plan's region.
    skane = next(d for d, _ in items if d.regions == ("Region Skåne",))
    assert "Region Stockholm" not in skane.text and "Skåne" in skane.title + skane.text


def test_generated_files_ingest_with_structure(tmp_path: Path) -> None:
    vocab = load_vocabulary(CORPUS)
    plan = synth_document(vocab, 7)
    assert any(path[-1] == "Åtgärder" for path, _ in plan.sections)
    for fmt in ("txt", "html", "pdf"):
        write_corpus(vocab, tmp_path / fmt, 2, fmt)
        report = ingest_directory(tmp_path / fmt, tmp_path / f"store-{fmt}")
        assert report.ingested == 2, [(f.path, f.status, f.reason) for f in report.files]
        assert report.chunks >= 4
    assert (tmp_path / "txt" / "manifest.csv").read_text(encoding="utf-8").count("\n") == 3


def test_a_failing_part_is_reported_not_raised(tmp_path: Path) -> None:
    row = run_part("parse", isolate=False, corpus_dir=str(tmp_path / "missing"),
                   store_dir=str(tmp_path / "s"), fmt="txt")  # fmt: skip
    assert row["error"].startswith("not measured: ConfigError")
    rows = summary({"parse": [{"format": "txt", **row}], "sizes": [{"chunks": 1000, "error": row["error"]}]}, 1000)
    assert [r["value"].startswith("not measured") for r in rows] == [True, True]


def test_a_part_runs_in_its_own_process(tmp_path: Path) -> None:
    vocab = load_vocabulary(CORPUS)
    write_corpus(vocab, tmp_path / "txt", 3, "txt")
    ballast = b"\x01" * (400 * 1024 * 1024)  # touched pages: the parent is big, the child is not
    row = run_part("parse", corpus_dir=str(tmp_path / "txt"), store_dir=str(tmp_path / "s"), fmt="txt")
    del ballast
    assert row["ingested"] == 3 and row["docs_per_s"] > 0
    assert 1 < row["peak_rss_mb"] < 300, row


@pytest.mark.slow
def test_bench_command_runs_only_the_parts_asked(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["bench", "--parts", "search,compare", "--sizes", "200", "--out", str(tmp_path),
              "--corpus", str(CORPUS), "--rounds", "1", "--smoke"], catch_exceptions=False)  # fmt: skip
    assert result.exit_code == 0, result.output
    text = (tmp_path / "bench.md").read_text(encoding="utf-8")
    assert "## Summary" in text and "| metric | size | value | note |" in text
    for metric in ("index build from chunks (BM25, upsert, HNSW; vectors generated, no embedding)",
                   "hybrid query, end to end", "filtered query, end to end", "hybrid stages p50",
                   "HNSW recall@10 vs exact search, this index", "comparison table ("):  # fmt: skip
        assert f"| {metric}" in text, metric
    for other in ("ingest parse", "embed passages", "qdrant-client", "HTTP API"):
        assert other not in text, other  # parts not asked for are not run
    assert "not measured" not in text
    assert (tmp_path / "bench.png").stat().st_size > 10_000


def test_ingest_part_reaches_the_size(tmp_path: Path) -> None:
    row = run_part("ingest", isolate=False, corpus_dir=str(CORPUS), work_dir=str(tmp_path), chunks=150)
    assert row["failed"] == 0 and 100 <= row["chunks"] <= 220, row
    assert row["docs_per_s"] > 0 and row["peak_rss_mb"] > 1


@pytest.mark.slow
def test_app_part_measures_the_served_app(seed_settings: Settings, tmp_path: Path) -> None:
    data = tmp_path / "data"
    copy_data_dir(seed_settings.data_dir, data)
    row = run_part("app", data_dir=str(data), rounds=1)
    assert "error" not in row, row
    assert row["http_search"]["p50"] > 0 and row["http_compare_s"] > 0
    # The served app holds the model and the index: more than a bare interpreter, and its own.
    assert 150 < row["app_peak_rss_mb"] < 4000, row

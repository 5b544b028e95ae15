"""A small run of the whole benchmark so it cannot rot (no time is asserted)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from regionplans.bench import parse_sizes
from regionplans.cli import cli

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def test_parse_sizes() -> None:
    assert parse_sizes("1k,10k, 100k") == (1000, 10000, 100000)
    assert parse_sizes("250") == (250,)


@pytest.mark.slow
def test_bench_command_writes_the_tables(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["bench", "--sizes", "200", "--out", str(tmp_path), "--corpus", str(CORPUS),
              "--rounds", "1"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    text = (tmp_path / "bench.md").read_text(encoding="utf-8")
    for part in ("Ingest", "Embedding backends", "Search", "Comparison table"):
        assert f"## {part}" in text
    assert "re-ingest, unchanged" in text and "sentence-transformers" in text
    assert (tmp_path / "bench.png").stat().st_size > 0

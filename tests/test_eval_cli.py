"""``regionplans eval`` command line: argument handling and errors that name the file."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from regionplans.cli import cli

ROOT = Path(__file__).resolve().parent.parent


def test_bad_queries_file_is_one_line_error(tmp_path: Path) -> None:
    bad = tmp_path / "queries.jsonl"
    bad.write_text('{"qid": "a"}\n')
    result = CliRunner().invoke(cli, ["eval", "--corpus", str(ROOT / "corpus"), "--queries", str(bad)])
    assert result.exit_code == 1
    assert "queries.jsonl:1: missing field 'query'" in result.output


def test_needs_corpus_and_queries() -> None:
    result = CliRunner().invoke(cli, ["eval"])
    assert result.exit_code == 2 and "--corpus" in result.output


def test_unknown_configuration_is_rejected(tmp_path: Path) -> None:
    from regionplans.errors import ConfigError
    from regionplans.eval.runner import evaluate

    try:
        evaluate(tmp_path, [], configs=("bm42",))
    except ConfigError as exc:
        assert "bm42" in str(exc) and "hybrid" in str(exc)
    else:
        raise AssertionError("expected a ConfigError")


def test_compare_bad_gold_file(tmp_path: Path) -> None:
    gold = tmp_path / "gold.json"
    gold.write_text("{")
    result = CliRunner().invoke(cli, ["eval", "compare", "--gold", str(gold)])
    assert result.exit_code == 1 and "gold.json: not valid JSON" in result.output

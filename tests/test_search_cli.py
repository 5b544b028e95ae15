"""The ``index`` and ``search`` commands, end to end on an index of the seeds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from builders import seed_items
from click.testing import CliRunner

from regionplans.cli import cli
from regionplans.config import Settings
from regionplans.index.build import index_documents


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("cli") / "data"
    index_documents(Settings(data_dir=data, qdrant_url=None), seed_items())
    return data


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.slow
def test_search_table_marks_terms_and_shows_ranks(data_dir: Path) -> None:
    code, out, _ = run(
        "search",
        "kompetensförsörjning bioinformatiker",
        "--data-dir",
        str(data_dir),
        "--limit",
        "3",
    )
    assert code == 0
    assert "**kompetensförsörjning**" in out and "Region Stockholm" in out
    first = out.splitlines()[2]
    assert first.startswith("1 ") and "d" in first and "/l" in first
    # The two chunks with both words are near-equal; the heading path shows on its hit.
    heading = next(line for line in out.splitlines()[2:4] if "MÅL 5" in line)
    assert heading[0] in "12" and "/l" in heading
    code, out, _ = run("search", "bioinformatiker", "--data-dir", str(data_dir), "--limit", "3")
    assert code == 0 and "**bioinformatiker**" in out.splitlines()[2]


@pytest.mark.slow
def test_search_json_with_filters_and_region_detection(data_dir: Path) -> None:
    code, out, _ = run(
        "search",
        "Vad gör Region Östergötland inom AI?",
        "--data-dir",
        str(data_dir),
        "--format",
        "json",
    )
    assert code == 0
    payload = json.loads(out)
    assert (
        payload["detected_regions"] == ["Region Östergötland"]
        and payload["region_detection_applied"]
    )
    assert payload["hits"] and all(h["regions"] == ["Region Östergötland"] for h in payload["hits"])
    code, out, _ = run(
        "search", "Vad gör Region Östergötland inom AI?", "--no-region-detection", "--region", "Stockholm",
        "--from", "2020", "--data-dir", str(data_dir), "--format", "json", "--mode", "lexical",
    )  # fmt: skip
    payload = json.loads(out)
    assert not payload["region_detection_applied"]
    assert payload["hits"] and all(h["regions"] == ["Region Stockholm"] for h in payload["hits"])
    assert all(h["date"] >= "2020" for h in payload["hits"])


def test_search_errors_are_one_line(tmp_path: Path) -> None:
    code, _, err = run("search", "x", "--data-dir", str(tmp_path))
    assert code == 1 and "regionplans index" in err and "Traceback" not in err
    code, _, err = run("search", "x", "--region", "Atlantis", "--data-dir", str(tmp_path))
    assert code == 1 and "Atlantis" in err
    code, _, err = run("search", "x", "--from", "last year", "--data-dir", str(tmp_path))
    assert code == 1 and "--from" in err


def test_help_ends_with_an_example() -> None:
    for name in ("index", "search"):
        code, out, _ = run(name, "--help")
        assert code == 0 and out.rstrip().splitlines()[-1].strip().startswith(f"regionplans {name}")


def test_index_without_ingest_is_a_clear_error(tmp_path: Path) -> None:
    code, _, err = run("index", "--data-dir", str(tmp_path))
    assert code == 1 and "regionplans ingest" in err


@pytest.mark.slow
def test_haystack_retriever_component(data_dir: Path) -> None:
    from haystack import Pipeline

    from regionplans.index.components import RegionPlansRetriever

    pipe = Pipeline()
    pipe.add_component(
        "retriever", RegionPlansRetriever(Settings(data_dir=data_dir, qdrant_url=None))
    )
    out = pipe.run(
        {"retriever": {"query": "bioinformatiker", "regions": ["Region Stockholm"], "top_k": 2}}
    )
    docs = out["retriever"]["documents"]
    assert len(docs) == 2 and all(d.meta["regions"] == ["Region Stockholm"] for d in docs)
    assert all("bioinformatiker" in d.meta["matched_terms"] and d.score > 0 for d in docs)


@pytest.mark.slow
def test_says_when_no_hit_contains_the_words(data_dir: Path) -> None:
    code, out, err = run("search", "kvantdatorer", "--data-dir", str(data_dir), "--limit", "3")
    assert code == 0 and "No hit contains the words of the query" in err and out.strip()
    code, _, err = run("search", "bioinformatiker", "--data-dir", str(data_dir), "--limit", "3")
    assert code == 0 and "No hit contains" not in err
    code, out, _ = run("search", "kvantdatorer", "--data-dir", str(data_dir), "--format", "json")
    assert json.loads(out)["words_matched"] is False

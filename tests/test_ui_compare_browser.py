"""The comparison view in headless Chromium over the seed corpus: the map's colours, the
downloads against the table on screen, both languages, wide tables and a phone screen.

One app process for the module (``regionplans serve`` on a free loopback port over a
tmp copy of the seed corpus). The screenshot of the view with the map is the README's.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from regionplans.ui.client import running_app
from regionplans.ui.i18n import TEXTS
from regionplans.ui.regionmap import PALETTE

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parent.parent
# The README's screenshots are written only when asked (make screenshots), so a test run
# leaves the checkout as it was.
SHOTS = ROOT / ("docs/screenshots" if os.environ.get("REGIONPLANS_SCREENSHOTS") else "tests/_screenshots")
SCREENSHOT = SHOTS / "compare.png"



@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    base = tmp_path_factory.mktemp("compare-ui")
    corpus = base / "corpus"
    shutil.copytree(ROOT / "corpus", corpus)
    with running_app(base / "data", corpus_dir=corpus, log=base / "serve.log") as app:
        yield app.url


def _open(browser: Any, url: str, width: int, height: int = 1000) -> Any:
    page = browser.new_context(
        viewport={"width": width, "height": height}, accept_downloads=True
    ).new_page()
    page.goto(url + "/")
    page.wait_for_selector("#tab-compare-button", timeout=30000)
    page.locator("#tab-compare-button").click()
    return page


def _compare(page: Any, topic: str, aspects: str = "") -> None:
    page.locator("#rp-topic textarea, #rp-topic input").first.fill(topic)
    page.locator("#rp-aspects textarea").first.fill(aspects)
    page.locator("#rp-compare-btn").click()
    page.wait_for_selector("#rp-map svg g.rp-region", timeout=180000)
    page.wait_for_selector("#rp-table table", timeout=60000)


def _rgb(hex_colour: str) -> str:
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({r}, {g}, {b})"


def _table_categories(page: Any) -> dict[str, str]:
    """Each row's first cell on screen as a map category (label or why it is empty)."""
    return page.evaluate("""() => Object.fromEntries(Array.from(document.querySelectorAll('#rp-table tbody tr')).map(tr => {
        const cell = tr.querySelector('td .rp-cell');
        return [tr.querySelector('th').dataset.row, cell.dataset.label || cell.dataset.reason];
    }))""")  # fmt: skip


def test_map_colours_the_seed_gms_table(browser: Any, app_url: str) -> None:
    page = _open(browser, app_url, 1400)
    _compare(page, "Genomic Medicine Sweden")
    regions = page.evaluate("""() => Array.from(document.querySelectorAll('#rp-map g.rp-region')).map(g => [
        g.dataset.region, g.dataset.category, getComputedStyle(g.querySelector('path')).fill])""")  # fmt: skip
    assert len(regions) == 21
    on_screen = _table_categories(page)
    for region, category, fill in regions:
        assert category == on_screen[region], region
        expected = _rgb(PALETTE[category]) if category != "no_documents" else "url("
        assert fill.startswith(expected), (region, category, fill)
    found = {region: category for region, category, _ in regions}
    assert found["Region Stockholm"] == "commitment" and found["Region Örebro län"] == "status"
    assert (
        found["Region Östergötland"] == "nothing_relevant"
        and found["Region Jämtland Härjedalen"] == "no_documents"
    )
    side = page.locator("#rp-map-side").inner_text()
    documents = sum(c != "no_documents" for c in found.values())
    evidence = sum(c not in ("no_documents", "nothing_relevant") for c in found.values())
    assert (
        f"Regioner med dokument: {documents} av 21" in side
        and f"belägg i kolumnen: {evidence} av 21" in side
    )
    # Clicking a region shows its cell: the page goes to it and marks it.
    page.locator("#rp-map g#rp-region-18 path").click()
    page.wait_for_function("location.hash.startsWith('#rp-cell-region-orebro-lan-')", timeout=5000)
    target = page.locator("#rp-table td:target")
    assert "Vi ingår i Genomic medicine Sweden" in target.inner_text()
    box = target.bounding_box()
    assert box is not None and 0 <= box["y"] < 1000
    # The map can be saved: PNG and SVG files beside it.
    names = sorted(
        a.inner_text().split("\n")[0]
        for a in page.locator("#rp-map-files .file-preview a, #rp-map-files a").all()
    )
    assert (
        any(".png" in n for n in names)
        or page.locator("#rp-map-files a[href$='.png']").count() == 1
    )
    assert page.locator("#rp-map-files a[href$='.svg']").count() == 1
    page.locator("#rp-hide-empty input").check()
    page.wait_for_function(
        "!document.querySelector('#rp-table').innerText.includes('Region Gotland')", timeout=10000
    )
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("#tab-compare").screenshot(path=str(SCREENSHOT))
    page.context.close()


def _download(page: Any, suffix: str, folder: Path) -> Path:
    with page.expect_download() as info:
        page.locator(f"#rp-downloads a[href$='{suffix}']").first.click()
    path = folder / info.value.suggested_filename
    info.value.save_as(path)
    return path


def test_xlsx_grid_and_csv_match_the_table(browser: Any, app_url: str, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    page = _open(browser, app_url, 1400)
    _compare(page, "Genomic Medicine Sweden")
    words = page.evaluate("""() => Array.from(document.querySelectorAll('#rp-table tbody tr')).map(tr => {
        const cell = tr.querySelector('td .rp-cell');
        const label = cell.querySelector('.rp-label');
        return [tr.querySelector('th').dataset.row, cell.dataset.label || cell.dataset.reason, label ? label.innerText.trim() : ''];
    })""")  # fmt: skip
    book = load_workbook(_download(page, ".xlsx", tmp_path))
    assert book.sheetnames == ["rutnät", "alla citat", "ursprung"]
    grid = list(book["rutnät"].iter_rows(values_only=True))
    assert grid[0][:3] == ("rad", "grupp", "Genomic Medicine Sweden: etikett")
    assert [r[0] for r in grid[1:]] == [w[0] for w in words]
    short = {"no_documents": "inga dokument", "nothing_relevant": "inget relevant"}
    for (row, code, label), line in zip(words, grid[1:], strict=True):
        assert line[2] == (label or short[code]), row
        assert bool(line[3]) == bool(label), row
        assert not str(line[4] or "").startswith("/"), line[4]
    raw = _download(page, ".csv", tmp_path).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    first = {r["rad"]: r for r in rows if r["citat nr"] in ("0", "1")}
    assert list(first) == [w[0] for w in words]
    for row, code, label in words:
        assert (first[row]["etikett"] or first[row]["varför tom"]) == (label or short[code]), row
    page.context.close()


def _texts_of(page: Any) -> str:
    """The compare tab's text as shown, without text from documents or the user."""
    return page.evaluate("""() => {
        const panel = document.querySelector('#tab-compare').cloneNode(true);
        panel.querySelectorAll('.rp-doc, svg').forEach(e => e.remove());
        document.body.appendChild(panel);
        const text = panel.innerText;
        panel.remove();
        return text;
    }""")  # fmt: skip


def _other_language(text: str, lang: str) -> list[str]:
    """Catalogue texts of the other language (those that differ between the two) in ``text``."""
    other = "en" if lang == "sv" else "sv"
    found = []
    for key, entry in TEXTS.items():
        phrase = entry[other].split("{")[0].strip(" :(")
        if (
            len(phrase) < 4
            or phrase.casefold() == entry[lang].split("{")[0].strip(" :(").casefold()
        ):
            continue
        if re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", text):
            found.append(f"{key}: {phrase}")
    return found


def test_switching_language_leaves_no_text_of_the_other(browser: Any, app_url: str) -> None:
    page = _open(browser, app_url, 1400)
    page.locator("#rp-topicset input").first.click()
    page.locator("ul[role='listbox'] li:has-text('Genomic Medicine Sweden (GMS)')").first.click()
    page.locator("#rp-compare-btn").click()
    page.wait_for_selector("#rp-map svg g.rp-region", timeout=180000)
    page.locator("#rp-table details summary").first.click()
    assert _other_language(_texts_of(page), "sv") == []
    page.locator("#rp-lang label:has-text('English')").click()
    page.wait_for_function("document.querySelector('#rp-map-side').innerText.includes('Regions with documents')",
                           timeout=30000)  # fmt: skip
    page.wait_for_timeout(500)
    text = _texts_of(page)
    assert "Legend" in text and "What the region says" in page.locator("#rp-map svg").inner_html()
    assert _other_language(text, "en") == []
    hrefs = page.locator("#rp-table a.rp-quote-link").evaluate_all(
        "as => as.map(a => a.getAttribute('href'))"
    )
    assert hrefs and all("?lang=en#" in h for h in hrefs)
    assert page.locator("#rp-downloads a[href$='.xlsx']").count() == 1
    page.locator("#rp-lang label:has-text('Svenska')").click()
    page.wait_for_function("document.querySelector('#rp-map-side').innerText.includes('Regioner med dokument')",
                           timeout=30000)  # fmt: skip
    page.wait_for_timeout(500)
    assert _other_language(_texts_of(page), "sv") == []
    page.context.close()


PM_ASPECTS = 8


def test_eight_aspects_scroll_under_a_sticky_first_column(browser: Any, app_url: str) -> None:
    from regionplans.compare.topics import get_topic_set

    pm = get_topic_set("precision-medicine")
    assert len(pm["aspects"]) == PM_ASPECTS
    page = _open(browser, app_url, 1240)  # the app's content area is then about 1,192 px
    _compare(page, pm["topic"], "\n".join(pm["aspects"]))
    page.locator("#rp-hide-empty input").check()
    page.wait_for_function("""() => { const m = document.querySelector('#rp-table .rp-table-caption').innerText.match(/(\\d+)\\/(\\d+)/);
        return m !== null && Number(m[1]) < Number(m[2]); }""", timeout=10000)  # fmt: skip
    geometry = page.evaluate("""() => {
        const wrap = document.querySelector('#rp-table .rp-table-wrap');
        wrap.scrollLeft = wrap.scrollWidth;
        const w = wrap.getBoundingClientRect();
        const heads = Array.from(wrap.querySelectorAll('thead th'));
        const last = heads[heads.length - 1].getBoundingClientRect();
        const first = wrap.querySelector('tbody th').getBoundingClientRect();
        return {scroll: wrap.scrollWidth, client: wrap.clientWidth, wrapLeft: w.left, wrapRight: w.right,
                lastRight: last.right, firstLeft: first.left, page: document.documentElement.scrollWidth,
                cols: heads.length, rows: wrap.querySelectorAll('tbody tr').length};
    }""")  # fmt: skip
    assert geometry["cols"] == PM_ASPECTS + 1
    assert (
        geometry["scroll"] > geometry["client"]
    )  # wider than the area: it scrolls, nothing is cut
    assert geometry["lastRight"] <= geometry["wrapRight"] + 1
    assert abs(geometry["firstLeft"] - geometry["wrapLeft"]) <= 2  # the region column stays
    assert geometry["page"] <= 1240
    caption = page.locator("#rp-table .rp-table-caption").inner_text()
    shown, total = map(int, re.search(r"(\d+)/(\d+)", caption).groups())  # type: ignore[union-attr]
    assert shown == geometry["rows"] < total
    page.context.close()


def test_phone_screen_fits_and_breaks_names_between_words(browser: Any, app_url: str) -> None:
    phone = _open(browser, app_url, 390, 844)
    _compare(phone, "Genomic Medicine Sweden")
    widths = phone.evaluate("""() => ({page: document.documentElement.scrollWidth,
        map: document.querySelector('#rp-map svg').getBoundingClientRect().right,
        wrap: document.querySelector('#rp-table .rp-table-wrap').getBoundingClientRect().right,
        cell: document.querySelector('#rp-table tbody td').getBoundingClientRect().right,
        caption: document.querySelector('#rp-table .rp-table-caption').getBoundingClientRect().right})""")  # fmt: skip
    assert widths["page"] <= 390 and widths["map"] <= 390 and widths["wrap"] <= 390, widths
    # One column fits the phone's width whole: no cell or caption runs off the screen.
    assert widths["cell"] <= widths["wrap"] + 1 and widths["caption"] <= 390, widths
    # Region names, label words and empty reasons break between words, never inside one:
    # each word's line boxes lie on one line, and no name runs out of its column.
    words = phone.evaluate(SPLIT_WORDS)
    assert words["checked"] > 100 and "Västernorrland" in words["seen"], words
    assert words["split"] == [] and words["overflowing"] == [], words
    phone.context.close()


# The table's own texts (row names, label words, empty reasons) broken inside a word:
# between two letters with no space, hyphen or soft hyphen (a hyphenation point) between
# them, that lie on different lines; and the row names wider than their column.
SPLIT_WORDS = """() => {
    // Each letter's line (the last box of its range: a range that starts after a soft
    // hyphen also holds the hyphen drawn at the end of the line before).
    const split = [], seen = [], overflowing = [];
    let checked = 0;
    const separator = /[\\s\\-\\u2010\\u00ad]/;
    for (const el of document.querySelectorAll('#rp-table .rp-rowname, #rp-table .rp-label, #rp-table .rp-cell-empty')) {
        seen.push(el.textContent.replace(/\\u00ad/g, ''));
        const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            let line = null;
            for (let i = 0; i < node.data.length; i++) {
                if (separator.test(node.data[i])) { line = null; continue; }
                const range = document.createRange();
                range.setStart(node, i);
                range.setEnd(node, i + 1);
                const boxes = Array.from(range.getClientRects()).filter(r => r.width > 0);
                if (!boxes.length) continue;
                const bottom = Math.round(boxes[boxes.length - 1].bottom);
                checked += 1;
                if (line !== null && bottom !== line) split.push(node.data.replace(/\\u00ad/g, '|'));
                line = bottom;
            }
        }
    }
    for (const th of document.querySelectorAll('#rp-table tbody th')) {
        if (th.scrollWidth > th.clientWidth + 1) overflowing.push(th.dataset.row);
    }
    return {checked, split, overflowing, seen: seen.join(' ')};
}"""

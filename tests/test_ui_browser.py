"""The app in headless Chromium over the seed corpus: search, filters, compare, upload, safety, language.

One app process per module (``regionplans serve`` on a free loopback port over a tmp
data dir); screenshots of each view go to tests/_screenshots/.
"""

from __future__ import annotations

import csv
import io
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from regionplans.ui.client import running_app

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "tests" / "_screenshots"
EVIL = (
    "Zebrafiskregistret i Region Gotland\n\n"
    "Planen för zebrafiskregistret innehåller <script>window.__pwned=1</script> "
    'och <img src=x onerror="window.__pwned=1"> som ska visas som text.\n'
)



@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    base = tmp_path_factory.mktemp("ui")
    corpus = base / "corpus"
    shutil.copytree(ROOT / "corpus", corpus)
    (corpus / "zebrafisk-plan.txt").write_text(EVIL, encoding="utf-8")
    with running_app(base / "data", corpus_dir=corpus, log=base / "serve.log") as app:
        yield app.url


@pytest.fixture
def page(browser: Any, app_url: str) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    pg = context.new_page()
    pg.goto(app_url + "/")
    pg.wait_for_selector("#rp-query textarea, #rp-query input", timeout=30000)
    yield pg
    context.close()


def _shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _search(page: Any, query: str) -> None:
    box = page.locator("#rp-query textarea, #rp-query input").first
    box.fill(query)
    page.locator("#rp-search-btn").click()
    page.wait_for_selector("#rp-results .rp-card, #rp-results .rp-empty, #rp-results .rp-notice", timeout=60000)


def _pick(page: Any, elem_id: str, value: str) -> None:
    inp = page.locator(f"#{elem_id} input").first
    inp.click()
    inp.fill(value)
    page.locator(f"ul[role='listbox'] li:has-text('{value}'), ul.options li:has-text('{value}')").first.click()
    page.keyboard.press("Escape")
    page.locator("#rp-title").click()


def test_swedish_query_shows_orebro_gms_passage(page: Any) -> None:
    _search(page, "ingår vi i Genomic Medicine Sweden")
    cards = page.locator("#rp-results .rp-card")
    text = " ".join(cards.all_inner_texts())
    assert "Vi ingår i Genomic medicine Sweden" in text
    orebro = cards.filter(has_text="Vi ingår i Genomic medicine Sweden").first
    assert "Region Örebro län" in orebro.inner_text()
    assert orebro.locator("mark").count() >= 1
    _shot(page, "search")
    # The section link opens the document view at that section.
    href = orebro.locator("a.rp-link").get_attribute("href")
    assert href and href.startswith("/document/") and "#" in href
    doc = page.context.new_page()
    doc.goto(page.url.rstrip("/") + href)
    anchor = href.split("#", 1)[1]
    assert "Genomic medicine Sweden" in doc.locator(f"[id='{anchor}']").inner_text()
    _shot(doc, "document-view")
    doc.close()


def test_region_filter_narrows_results(page: Any) -> None:
    _search(page, "precisionsmedicin")
    before = page.locator("#rp-results .rp-card .rp-meta").all_inner_texts()
    assert any("Region Stockholm" not in m for m in before)
    _pick(page, "rp-regions", "Region Stockholm")
    _search(page, "precisionsmedicin")
    page.wait_for_timeout(500)
    after = page.locator("#rp-results .rp-card .rp-meta").all_inner_texts()
    assert after and all("Region Stockholm" in m for m in after)
    assert "Region Stockholm" in page.locator("#rp-results .rp-summary").inner_text()
    _shot(page, "search-filtered")


def test_compare_gms_table_and_csv_download(page: Any) -> None:
    page.locator("#tab-compare-button").click()
    page.locator("#rp-topic textarea, #rp-topic input").first.fill("Genomic Medicine Sweden")
    page.locator("#rp-compare-btn").click()
    page.wait_for_selector("#rp-table table", timeout=120000)
    rows = {r.locator("th").first.inner_text().strip(): r for r in page.locator("#rp-table tbody tr").all()}
    orebro = next(v for k, v in rows.items() if "Örebro" in k)
    stockholm = next(v for k, v in rows.items() if "Stockholm" in k)
    lif = next(v for k, v in rows.items() if "Lif" in k)
    ostergotland = next(v for k, v in rows.items() if "Östergötland" in k)
    gotland = next(v for k, v in rows.items() if "Jämtland" in k)
    for row in (orebro, stockholm, lif):
        assert row.locator(".rp-cell:not(.rp-cell-empty)").count() >= 1
    assert ostergotland.locator(".rp-cell:not(.rp-cell-empty)").count() == 0
    assert ostergotland.locator(".rp-cell-empty").first.get_attribute("data-reason") == "nothing_relevant"
    assert gotland.locator(".rp-cell:not(.rp-cell-empty)").count() == 0
    assert gotland.locator(".rp-cell-empty").first.get_attribute("data-reason") == "no_documents"
    assert orebro.locator(".rp-cell").first.get_attribute("data-label") == "status"
    assert stockholm.locator(".rp-cell[data-label='commitment']").count() >= 1
    assert lif.locator(".rp-cell[data-label='proposal']").count() >= 1
    orebro.locator("details summary").first.click()
    assert "Genomic medicine Sweden" in orebro.inner_text()
    _shot(page, "compare")
    link = page.locator("#rp-downloads a[href$='.csv']").first
    with page.expect_download() as info:
        link.click()
    data = Path(info.value.path()).read_text(encoding="utf-8-sig")
    table = list(csv.reader(io.StringIO(data)))
    assert len(table) > 2 and "Örebro" in data


def test_upload_makes_text_searchable(page: Any, tmp_path: Path) -> None:
    new = tmp_path / "tofsvipa-plan.txt"
    new.write_text("Region Gotland satsar på Tofsviparegistret\n\nTofsviparegistret ska samla "
                   "genomdata för precisionshälsa på Gotland från 2026.\n", encoding="utf-8")
    page.locator("#tab-add-button").click()
    page.locator("#rp-upload input[type='file']").set_input_files(str(new))
    page.wait_for_timeout(1000)
    page.locator("#rp-upload-btn").click()
    page.wait_for_selector("#rp-upload-out .rp-notice", timeout=180000)
    assert "Klart" in page.locator("#rp-upload-out").inner_text()
    _shot(page, "add-documents")
    page.locator("#tab-search-button").click()
    _search(page, "Tofsviparegistret")
    assert "Tofsviparegistret" in " ".join(page.locator("#rp-results .rp-card").all_inner_texts())


def test_malicious_document_runs_nothing(page: Any) -> None:
    _search(page, "zebrafiskregistret")
    text = " ".join(page.locator("#rp-results .rp-card").all_inner_texts())
    assert "<script>window.__pwned=1</script>" in text
    assert 'onerror="window.__pwned=1"' in text
    assert page.evaluate("typeof window.__pwned") == "undefined"
    href = page.locator("#rp-results .rp-card a.rp-link").first.get_attribute("href")
    doc = page.context.new_page()
    doc.goto(page.url.rstrip("/") + href)
    assert "<script>window.__pwned=1</script>" in doc.locator("body").inner_text()
    assert doc.evaluate("typeof window.__pwned") == "undefined"
    doc.close()
    page.locator("#tab-documents-button").click()
    page.wait_for_selector("#rp-docs table", timeout=30000)
    _shot(page, "documents")
    assert page.evaluate("typeof window.__pwned") == "undefined"


def test_switch_to_english_changes_labels(page: Any) -> None:
    assert page.locator("#tab-compare-button").inner_text().strip() == "Jämför"
    page.locator("#rp-lang label:has-text('English')").click()
    page.wait_for_function("document.querySelector('#tab-compare-button').innerText.trim() === 'Compare'", timeout=15000)
    assert page.locator("#tab-add-button").inner_text().strip() == "Add documents"
    assert "Query (Swedish or English)" in page.locator("#rp-query").inner_text()
    assert page.locator("#rp-search-btn").inner_text().strip() == "Search"
    _search(page, "no such words zzzqqq")
    _shot(page, "search-english")


def test_region_named_in_query_is_a_removable_filter(page: Any) -> None:
    _search(page, "GMS i Region Örebro län")
    assert "Region Örebro län" in page.locator("#rp-results .rp-detected").inner_text()
    metas = page.locator("#rp-results .rp-card .rp-meta").all_inner_texts()
    assert metas and all("Region Örebro län" in m for m in metas)
    page.locator("#rp-remove-detected").click()
    page.wait_for_function("!document.querySelector('#rp-results .rp-detected')", timeout=60000)
    page.wait_for_selector("#rp-results .rp-card", timeout=60000)
    metas = page.locator("#rp-results .rp-card .rp-meta").all_inner_texts()
    assert any("Region Örebro län" not in m for m in metas)

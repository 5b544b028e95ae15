"""The search, documents and upload views in headless Chromium: an app started on an empty
data folder answers at once and shows its build; bad uploads show their reasons; edits
and deletions change search and comparison; each language leaves none of the other on
screen. One app for the module (``ui.client.running_app``, which times its first answer)."""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from regionplans.ui.client import running_app
from regionplans.ui.i18n import TEXTS

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parent.parent
# The README's screenshots are written only when asked (make screenshots), so a test run
# leaves the checkout as it was.
SHOTS = ROOT / ("docs/screenshots" if os.environ.get("REGIONPLANS_SCREENSHOTS") else "tests/_screenshots")
# Gradio's own texts on these views, from its front-end catalogues (lang/en.json, lang/sv.json).
GRADIO = {"en": ("Drop File Here", "Click to Upload"), "sv": ("Släpp fil här", "Klicka för att ladda upp")}



class Served:
    def __init__(self, url: str, answered: float, phase: str, status: str, data: Path) -> None:
        self.url, self.answered, self.phase, self.status, self.data = url, answered, phase, status, data


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory, browser: Any) -> Iterator[Served]:
    """``regionplans serve`` on an empty data folder over a copy of the seed corpus:
    how long after the app was loaded it answered, and what it showed while building."""
    base = tmp_path_factory.mktemp("docs-ui")
    shutil.copytree(ROOT / "corpus", base / "corpus")
    with running_app(base / "data", corpus_dir=base / "corpus", log=base / "serve.log", timeout=120,
                     wait_ready=False) as app:  # fmt: skip
        assert app.answered_s is not None, app.log.read_text(encoding="utf-8")[-2000:]
        status = ""
        if app.first_phase != "ready":
            page = browser.new_page()
            page.goto(app.url + "/")
            page.wait_for_function("/Läser in|Indexerar/.test(document.querySelector('#rp-status')?.innerText || '')",
                                   timeout=30000)  # fmt: skip
            status = page.locator("#rp-status").inner_text()
            page.close()
        app.wait_ready(timeout=300)
        yield Served(app.url, app.answered_s, app.first_phase, status, base / "data")


@pytest.fixture
def page(browser: Any, served: Served) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = context.new_page()
    pg.goto(served.url + "/")
    pg.wait_for_selector("#rp-query textarea, #rp-query input", timeout=30000)
    yield pg
    context.close()


def _search(page: Any, query: str, date_from: str = "") -> str:
    page.locator("#tab-search-button").click()
    page.locator("#rp-date-from input, #rp-date-from textarea").first.fill(date_from)
    page.locator("#rp-query textarea, #rp-query input").first.fill(query)
    # Results already shown are marked: the wait is for the new ones.
    page.locator("#rp-results").evaluate("e => e.querySelectorAll('*').forEach((c) => c.dataset.stale = '1')")
    page.locator("#rp-search-btn").click()
    page.wait_for_selector(":is(#rp-results .rp-card, #rp-results .rp-empty, #rp-results .rp-notice):not([data-stale])",
                           timeout=120000)  # fmt: skip
    return str(page.locator("#rp-results").inner_text())


TOPICS = iter(("Genomic Medicine Sweden", "Genomic medicine Sweden", "genomic Medicine Sweden", "Genomic Medicine sweden",
               "genomic medicine Sweden", "Genomic medicine sweden"))  # fmt: skip


def _compare_row(page: Any, region: str) -> str:
    """The GMS comparison's cell for ``region``: its label, or its empty reason (each
    table asked in another spelling of the topic, so the wait is for the new one)."""
    topic = next(TOPICS)
    page.locator("#tab-compare-button").click()
    page.locator("#rp-topic textarea, #rp-topic input").first.fill(topic)
    page.locator("#rp-compare-btn").click()
    page.wait_for_function(f"(document.querySelector('#rp-table .rp-table-caption .rp-doc')?.innerText || '').trim() === {json.dumps(topic)}"
                           " || !!document.querySelector('#rp-table .rp-notice')", timeout=180000)  # fmt: skip
    assert page.locator("#rp-table table").count(), page.locator("#rp-table").inner_text()
    row = page.locator("#rp-table tbody tr").filter(has=page.locator(f"th[data-row='{region}']")).first
    cell = row.locator(".rp-cell").first
    return str(cell.get_attribute("data-label") or cell.get_attribute("data-reason"))


def _documents(page: Any) -> None:
    page.locator("#tab-documents-button").click()
    page.wait_for_selector("#rp-docs table", timeout=30000)


def _choose(page: Any, title: str) -> None:
    inp = page.locator("#rp-docpick input").first
    inp.click()
    inp.fill(title[:20])
    page.locator("ul[role='listbox'] li, ul.options li").filter(has_text=title).first.click()
    page.wait_for_function(f"document.querySelector('#rp-docview').innerText.includes({json.dumps(title)})",
                           timeout=30000)  # fmt: skip


def _fill(page: Any, elem_id: str, value: str) -> None:
    page.locator(f"#{elem_id} input, #{elem_id} textarea").first.fill(value)


def test_empty_folder_answers_at_once_and_shows_progress(served: Served) -> None:
    print(f"answered {served.answered:.2f} s after the app was loaded; phase then: {served.phase}")
    assert served.answered < 5.0
    assert served.phase in ("ingest", "index"), "the app answered only after building"
    assert re.search(r"Läser in korpusen|Indexerar", served.status), served.status


def test_bad_uploads_show_their_reasons(page: Any, tmp_path: Path) -> None:
    files = {"tom.pdf": b"", "slump.pdf": os.urandom(4096),
             "program.pdf": b"\x7fELF\x02\x01\x01\x00" + os.urandom(2048),
             "kopia.txt": (ROOT / "corpus" / "region-ostergotland-kompetenscentrum-precisionshalsa.txt").read_bytes()}  # fmt: skip
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    page.locator("#tab-add-button").click()
    page.locator("#rp-upload input[type='file']").set_input_files([str(tmp_path / n) for n in files])
    page.wait_for_timeout(1500)
    page.locator("#rp-upload-btn").click()
    page.wait_for_selector("#rp-upload-out .rp-files", timeout=180000)
    out = page.locator("#rp-upload-out")
    text = out.inner_text()
    assert "0 inlästa" in text and "1 dubbletter" in text, text
    lines = {li.inner_text().split(":", 1)[0]: li for li in out.locator("li").all()}
    assert "tom fil" in lines["tom.pdf"].inner_text() and "rp-file-failed" in str(lines["tom.pdf"].get_attribute("class"))
    for name in ("slump.pdf", "program.pdf"):
        assert "misslyckades (inte en PDF-fil" in lines[name].inner_text(), lines[name].inner_text()
    assert "dubblett (samma innehåll som region-ostergotland" in lines["kopia.txt"].inner_text()
    assert "/tmp" not in text


def test_edit_and_delete_change_search_and_comparison(page: Any) -> None:
    title = "Resurser kring precisionshälsa ska samordnas"
    assert _compare_row(page, "Region Gävleborg") == "no_documents"
    _documents(page)
    _choose(page, title)
    _fill(page, "rp-e-regions", "Gävleborg")
    _fill(page, "rp-e-publisher", "Region Gävleborg")
    _fill(page, "rp-e-date", "2022-13-45")
    page.locator("#rp-save").click()
    page.wait_for_selector("#rp-edit-out .rp-error", timeout=30000)
    assert "2022-13-45" in page.locator("#rp-edit-out").inner_text()
    _fill(page, "rp-e-date", "2021-05-20")
    page.locator("#rp-save").click()
    page.wait_for_function("document.querySelector('#rp-edit-out').innerText.includes('Sparat')", timeout=120000)
    table = page.locator("#rp-docs").inner_text()
    assert "Region Gävleborg" in table and "regioner (rättad)" in table
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "documents.png"), full_page=False)

    assert title in _search(page, "Vad gör Region Gävleborg inom genomik?")
    assert _compare_row(page, "Region Gävleborg") != "no_documents"
    assert _compare_row(page, "Region Örebro län") == "no_documents"

    _documents(page)
    _choose(page, title)
    page.locator("#rp-delete").click()
    page.wait_for_function("document.querySelector('#rp-edit-out').innerText.includes('borttaget')", timeout=120000)
    assert title not in page.locator("#rp-docs").inner_text()
    text = _search(page, "Vad gör Region Gävleborg inom genomik?")
    assert "Korpusen har inga dokument från Region Gävleborg" in text and "Sökte i 0" not in text
    assert _compare_row(page, "Region Gävleborg") == "no_documents"


def _other_language(lang: str) -> list[str]:
    """Fragments of the other language's catalogue (ours and Gradio's) that are not also
    this language's: what must not be on screen in ``lang``."""
    other = "en" if lang == "sv" else "sv"
    own = " ".join(v[lang] for v in TEXTS.values()) + " ".join(GRADIO[lang])
    fragments = {f.strip(" .,;:()“”–-") for v in TEXTS.values() for f in re.split(r"\{[^}]*\}", v[other])}
    fragments |= set(GRADIO[other])
    return sorted(f for f in fragments if len(f) >= 4 and f not in own)


def _around(text: str, found: list[str]) -> list[str]:
    return [text[max(0, text.index(f) - 80):text.index(f) + 80] for f in found if f in text]


def _chrome_text(page: Any) -> str:
    """The visible text of the page without document content (titles, passages, names)
    and the language switch (which names both languages by design)."""
    return str(page.evaluate("""() => {
      const body = document.body.cloneNode(true);
      body.querySelectorAll('.rp-passage, .rp-title, .rp-heading, .rp-content, .rp-chip, #rp-docview, #rp-lang')
        .forEach((e) => e.remove());
      return body.innerText;
    }"""))


def test_language_switch_leaves_no_other_language(page: Any, served: Served) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    _search(page, "Genomic Medicine Sweden", date_from="2021")
    assert "odaterade dokument" in page.locator("#rp-results").inner_text()
    page.screenshot(path=str(SHOTS / "search.png"), full_page=False)
    for lang, label in (("en", "English"), ("sv", "Svenska")):
        page.locator(f"#rp-lang label:has-text('{label}')").click()
        tab = "Search" if lang == "en" else "Sök"
        page.wait_for_function(f"document.querySelector('#tab-search-button').innerText.trim() === '{tab}'", timeout=15000)
        page.wait_for_timeout(2500)  # the results, the documents and Gradio's texts follow
        page.locator("#tab-search-button").click()
        wrong = [f for f in _other_language(lang) if re.search(rf"(?<!\w){re.escape(f)}(?!\w)", _chrome_text(page))]
        assert not wrong, (lang, "search", wrong, _around(_chrome_text(page), wrong))
        _documents(page)
        page.locator("#rp-docs").wait_for(timeout=30000)
        wrong = [f for f in _other_language(lang) if re.search(rf"(?<!\w){re.escape(f)}(?!\w)", _chrome_text(page))]
        assert not wrong, (lang, "documents", wrong, _around(_chrome_text(page), wrong))
        if lang == "en":
            page.locator("#tab-add-button").click()
            assert "Drop File Here" in page.locator("#rp-upload").inner_text()
            page.locator("#tab-documents-button").click()
            page.screenshot(path=str(SHOTS / "documents-en.png"), full_page=False)
    # A document link carries the language.
    page.locator("#tab-search-button").click()
    assert "lang=sv" in str(page.locator("#rp-results a.rp-link").first.get_attribute("href"))

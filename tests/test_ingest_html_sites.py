"""Web pages as SharePoint, EPiServer and Sitevision serve them, data tables, pages saved with
their HTTP headers, and pages built to stall a parser; generated here, read for real."""

from __future__ import annotations

from pathlib import Path

import cms_pages
import pytest

from regionplans.ingest.pipeline import ingest_directory
from regionplans.ingest.store import FileReport, IngestStore
from regionplans.records import Document


def ingest_page(tmp_path: Path, name: str, data: bytes | str) -> tuple[FileReport, Document, IngestStore]:
    corpus = tmp_path / "corpus"
    corpus.mkdir(exist_ok=True)
    path = corpus / name
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    report = ingest_directory(corpus, tmp_path / "store")
    (entry,) = report.files
    assert entry.status == "ingested", entry.reason
    store = IngestStore(tmp_path / "store")
    (doc,) = store.documents()
    return entry, doc, store


@pytest.mark.parametrize("shape", sorted(cms_pages.PAGES))
def test_cms_page_main_content(tmp_path: Path, shape: str) -> None:
    page, truth = cms_pages.PAGES[shape]()
    entry, doc, store = ingest_page(tmp_path, f"{shape}.html", page)
    flat = " ".join(doc.text.split())
    for sentence in truth.content:
        assert sentence in flat, sentence
    for chrome in truth.chrome:
        assert chrome not in flat, chrome
    assert doc.title == cms_pages.TITLE
    paths = {s.heading_path for s in store.sections(doc.doc_id)}
    for heading in ("Syfte", "Ansvar", "Genomförande"):
        assert (cms_pages.TITLE, heading) in paths, heading
    # The data table: one line per row with its column names, under the section it is in.
    lines = doc.text.splitlines()
    assert "• Gen: MLH1 | Syndrom: Lynchs syndrom | Livstidsrisk: 40–80 % | Uppföljning: Koloskopi vartannat år från 25 år" in lines
    assert "1 data table kept as rows" in entry.reason
    cells = {cell for row in truth.rows for cell in row}
    assert not any(path[-1] in cells for path in paths)


def test_sharepoint_regulation_is_read(tmp_path: Path) -> None:
    """About 8,500 characters of regulation inside SharePoint's <form>: "no text found" before."""
    page, _truth = cms_pages.sharepoint(extra_paragraphs=90)
    _entry, doc, _store = ingest_page(tmp_path, "foreskrift.html", page)
    assert len(doc.text) > 8500
    assert doc.text.count("Bestämmelsen gäller från och med den 1 januari 2025") == 90


def test_page_that_is_one_large_table(tmp_path: Path) -> None:
    rows = "".join(f"<tr><td>GEN{n}</td><td>Syndrom {n}</td><td>{n % 90} %</td><td>Kontroll vart {n % 5 + 1}:e år</td></tr>"
                   for n in range(472))  # fmt: skip
    page = ("<html><head><title>Genöversikt</title></head><body><table><thead><tr><th>Gen</th><th>Syndrom</th>"
            f"<th>Livstidsrisk</th><th>Uppföljning</th></tr></thead><tbody>{rows}</tbody></table></body></html>")  # fmt: skip
    _entry, doc, store = ingest_page(tmp_path, "genoversikt.html", page)
    sections = store.sections(doc.doc_id)
    assert len(sections) == 1 and sections[0].heading_path == ("Genöversikt",)
    assert "• Gen: GEN471 | Syndrom: Syndrom 471 | Livstidsrisk: 21 % | Uppföljning: Kontroll vart 2:e år" in doc.text
    for chunk in store.chunks(doc.doc_id):
        assert all(line.startswith("• Gen: GEN") for line in chunk.text.splitlines())


def test_layout_table_is_read_as_text(tmp_path: Path) -> None:
    page = ("<html><body><table><tr><td><h1>Nyhet</h1><p>Regionen öppnar ett nytt centrum för precisionsmedicin "
            "i Umeå under våren.</p></td><td><p>Läs mer om centrumet och dess uppdrag här.</p></td></tr></table>"
            "</body></html>")  # fmt: skip
    _entry, doc, _store = ingest_page(tmp_path, "nyhet.html", page)
    assert "Regionen öppnar ett nytt centrum för precisionsmedicin i Umeå under våren." in doc.text
    assert "•" not in doc.text


def test_page_saved_with_http_headers(tmp_path: Path) -> None:
    body = ("<!DOCTYPE html><html><head><title>Beslut - Region Testlän</title></head><body><main><h1>Beslut om "
            "biobank</h1><p>Regionfullmäktige beslutade att bygga ut biobanken i Växjö.</p></main></body></html>")  # fmt: skip
    head = ("HTTP/1.1 301 Moved Permanently\r\nLocation: https://example.se/beslut\r\n\r\n"
            "HTTP/1.1 200 OK\r\nDate: Tue, 12 Mar 2024 10:00:00 GMT\r\nServer: Microsoft-IIS/10.0\r\n"
            "Content-Type: text/html; charset=iso-8859-1\r\nX-Powered-By: ASP.NET\r\n\r\n")  # fmt: skip
    entry, doc, _store = ingest_page(tmp_path, "beslut.html", head.encode("ascii") + body.encode("latin-1"))
    assert "HTTP response headers at the start removed" in entry.reason
    assert doc.title == "Beslut om biobank"
    assert "bygga ut biobanken i Växjö" in doc.text
    for leftover in ("HTTP/1.1", "Content-Type", "Microsoft-IIS", "X-Powered-By", "Location:"):
        assert leftover not in doc.text


@pytest.mark.slow
@pytest.mark.timeout(120)
def test_deep_nesting_neither_recurses_nor_stalls(tmp_path: Path) -> None:
    """100,000 nested <div class=...>: a RecursionError after 177 s before."""
    entry, doc, _store = ingest_page(tmp_path, "djup.html", cms_pages.nested_divs(100_000))
    assert doc.text == "Region Testlän satsar på precisionsmedicin."
    assert "nested deeper than 256 flattened" in entry.reason


def test_html_over_the_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REGIONPLANS_MAX_HTML_MB", "0.05")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "stor.html").write_text("<html><body>" + "<p>Regionen satsar.</p>" * 5000 + "</body></html>",
                                      encoding="utf-8")  # fmt: skip
    report = ingest_directory(corpus, tmp_path / "store")
    (entry,) = report.files
    assert entry.status == "failed"
    assert "HTML page too large" in entry.reason and "REGIONPLANS_MAX_HTML_MB" in entry.reason

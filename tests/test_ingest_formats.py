"""Generated PDFs, HTML pages and Word files through the whole ingest pipeline."""

from __future__ import annotations

from pathlib import Path

from builders import make_docx, make_html, make_pdf

from regionplans.ingest.pipeline import ingest_directory
from regionplans.ingest.store import IngestStore
from regionplans.records import Document

HEADER = "Region Västerbotten | Handlingsplan för life science 2024"

PAGES = [
    [
        "# Handlingsplan för life science",
        "Region Västerbotten antog planen den 12 mars 2024.",
        "",
        "# Inledning",
        "Regionen ska stärka samverkan med akademin. Det är en stor utma-",
        "ning att rekrytera bioinformatiker till hälso- och",
        "sjukvården i norra Sverige.",
    ],
    [
        "# MÅL 1: Precisionsmedicin i vården",
        "Till 2026 ska genomisk diagnostik vara rutin.",
        "",
        "# Delmål",
        "- Ett regionalt centrum för precisionsmedicin (RCP) är etablerat.",
        "",
        "# Åtgärder",
        "Regionen inrättar centrumet tillsammans med Umeå universitet.",
    ],
    [
        "# MÅL 2: Hälsodata",
        "Hälsodata ska kunna användas för forskning, t.ex. i kvalitetsregister.",
        "Regionen deltar i Genomic Medicine Sweden (GMS).",
    ],
]


def ingest(tmp_path: Path) -> IngestStore:
    report = ingest_directory(tmp_path / "corpus", tmp_path / "store")
    assert report.failed == 0, report.to_dict()
    return IngestStore(tmp_path / "store")


def only(store: IngestStore) -> Document:
    (doc,) = store.documents()
    return doc


def test_multi_page_pdf(tmp_path: Path) -> None:
    make_pdf(tmp_path / "corpus" / "vasterbotten-plan.pdf", PAGES, header=HEADER, footer_page_numbers=True)
    store = ingest(tmp_path)
    doc = only(store)
    pages = doc.text.split("\f")
    assert len(pages) == 3
    # The running header and page numbers are gone from every page.
    assert "Region Västerbotten | Handlingsplan" not in doc.text
    assert "Sida 2" not in doc.text
    # The hyphenated line break is joined; the real hyphen survives.
    assert "en stor utmaning att rekrytera" in doc.text
    assert "hälso- och sjukvården" in doc.text
    sections = {s.heading_path: s for s in store.sections(doc.doc_id)}
    root = "Handlingsplan för life science"
    assert sections[(root, "Inledning")].page_number == 1
    assert sections[(root, "MÅL 1")].page_number == 2
    assert sections[(root, "MÅL 1", "Delmål")].text.startswith("• Ett regionalt centrum")
    assert sections[(root, "MÅL 1", "Åtgärder")].page_number == 2
    assert sections[(root, "MÅL 2")].page_number == 3
    for chunk in store.chunks(doc.doc_id):
        assert doc.text[chunk.split_idx_start : chunk.split_idx_end] == chunk.text
        page = doc.text[: chunk.split_idx_start].count("\f") + 1
        assert page == chunk.page_number
    # Detected metadata: no manifest row.
    assert doc.metadata_source == "detected"
    assert doc.title == root
    assert doc.regions == ("Region Västerbotten",)
    assert doc.doc_type == "action plan"
    assert doc.language == "sv"
    assert doc.date == "2024-03-12"
    assert ("RCP", "regionalt centrum för precisionsmedicin") in doc.acronyms
    assert ("GMS", "Genomic Medicine Sweden") in doc.acronyms


def test_html_page_main_content_only(tmp_path: Path) -> None:
    body = """
    <div class="hero-banner"><p class="lead">Region Skåne bygger ett centrum för precisionshälsa tillsammans med Lunds universitet.</p></div>
    <div class="share-buttons"><a>Dela på Facebook</a></div>
    <h2>Bakgrund</h2>
    <p>Satsningen omfattar <strong>genomik</strong> och AI, bl.a. för cancerdiagnostik.</p>
    <h3>Finansiering</h3>
    <ul><li>Tio miljoner kronor per år</li><li>Medel från Vinnova</li></ul>
    <h2>Nästa steg</h2>
    <p>Ett beslut väntas under hösten.</p>
    """
    make_html(
        tmp_path / "corpus" / "skane-centrum.html",
        "Nytt centrum för precisionshälsa i Skåne",
        body,
        with_browser_warning=True,
        published="2024-09-03",
    )
    store = ingest(tmp_path)
    doc = only(store)
    for chrome in ("kakor", "Godkänn", "Vård och hälsa", "Om regionen", "Organisationsnummer",
                   "Telefon", "webbläsare", "dataLayer", "analys", "font:", "Facebook"):  # fmt: skip
        assert chrome not in doc.text, chrome
    assert "Satsningen omfattar genomik och AI, bl.a. för cancerdiagnostik." in doc.text
    paths = {s.heading_path for s in store.sections(doc.doc_id)}
    title = "Nytt centrum för precisionshälsa i Skåne"
    assert (title,) in paths
    assert (title, "Bakgrund") in paths
    assert (title, "Bakgrund", "Finansiering") in paths
    assert (title, "Nästa steg") in paths
    assert doc.title == title
    assert doc.date == "2024-09-03"
    assert doc.regions == ("Region Skåne",)
    assert doc.doc_type == "news"
    assert doc.language == "sv"


def test_docx_headings_from_styles(tmp_path: Path) -> None:
    make_docx(
        tmp_path / "corpus" / "uppsala-strategi.docx",
        [
            ("h1", "Life science-strategi för Region Uppsala"),
            ("p", "Strategin gäller 2023–2030 och beslutades av regionfullmäktige."),
            ("h2", "Fokusområden"),
            ("li", "Hälsodata som resurs för forskning"),
            ("li", "Kompetensförsörjning inom bioinformatik"),
        ],
    )
    store = ingest(tmp_path)
    doc = only(store)
    paths = {s.heading_path for s in store.sections(doc.doc_id)}
    assert ("Life science-strategi för Region Uppsala", "Fokusområden") in paths
    assert doc.doc_type == "strategy" and doc.regions == ("Region Uppsala",)
    assert "• Hälsodata som resurs för forskning\n• Kompetensförsörjning" in doc.text


def test_long_section_is_chunked_on_sentence_boundaries(tmp_path: Path) -> None:
    sentence = "Regionen ska t.ex. bygga upp kompetens inom genomik, bl.a. genom nya tjänster och utbildning."
    text = "Strategi för precisionsmedicin\n\n" + " ".join([sentence] * 60) + "\n"
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "lang.txt").write_text(text, encoding="utf-8")
    store = ingest(tmp_path)
    chunks = store.chunks(only(store).doc_id)
    assert len(chunks) >= 4
    for chunk in chunks:
        assert len(chunk.text.split()) <= 200
        assert chunk.text.startswith("Regionen ska t.ex.") and chunk.text.endswith("utbildning.")
    assert [c.split_id for c in chunks] == list(range(len(chunks)))

"""Publisher, regions, title and type from a document's own signals (issue classes of
real pages: hospitals and universities as publishers, regions named through hospitals,
national texts listing regions, useless PDF titles, news items about strategies)."""

from __future__ import annotations

from pathlib import Path

import pytest

from regionplans.ingest.describe import (
    Signals,
    about_regions,
    choose_title,
    choose_type,
    publisher_from_signals,
    useless_title,
)
from regionplans.ingest.pipeline import ingest_directory
from regionplans.ingest.readers import read_file
from regionplans.ingest.store import IngestStore

GMS_LIST = (
    "Genomic Medicine Sweden är en nationell infrastruktur. Det finns sju regionala centrum för "
    "genomisk medicin vid universitetssjukhusen i Umeå, Uppsala, Stockholm, Örebro, Linköping, "
    "Göteborg och Lund. Arbetet finansierades först av Vinnova och stöds av Regeringen."
)


def test_site_name_beats_organisations_mentioned() -> None:
    signals = Signals(site_name="Genomic Medicine Sweden", page_title="Nyheter - Genomic Medicine Sweden")
    assert publisher_from_signals(signals, "Vinnova och Regeringen ger stöd. " + GMS_LIST) == "Genomic Medicine Sweden"


@pytest.mark.parametrize(
    ("signals", "text", "publisher"),
    [
        (Signals(page_title="Ny metod för diagnostik | Sahlgrenska Universitetssjukhuset"), "", "Sahlgrenska Universitetssjukhuset"),
        (Signals(url="https://news.ki.se/ny-studie"), "", "Karolinska Institutet"),
        (Signals(page_title="Barn med sällsynta sjukdomar – Läkartidningen"), "", "Läkartidningen"),
        (Signals(footer="Hagfors kommun, Box 1, 683 80 Hagfors. Organisationsnummer: 212000-2098"), "", "Hagfors kommun"),
        (Signals(), "Rapport 2023:4\n\nFolkhälsomyndigheten\n\nInledning ...", "Folkhälsomyndigheten"),
        (Signals(author="Region Dalarna"), "", "Region Dalarna"),
    ],
)
def test_publisher_from_the_files_own_signals(signals: Signals, text: str, publisher: str) -> None:
    assert publisher_from_signals(signals, text) == publisher


@pytest.mark.parametrize(
    ("title", "text", "publisher", "regions"),
    [
        ("Helgenomsekvensering för barn", "Vid Sahlgrenska Universitetssjukhuset i Göteborg erbjuds nu ...",
         "Sahlgrenska Universitetssjukhuset", ("Västra Götalandsregionen",)),
        ("Ny studie om cancer", "Forskare vid Karolinska Institutet och Karolinska Universitetssjukhuset i Solna ...",
         "Karolinska Institutet", ("Region Stockholm",)),
        ("AI granskar mammografibilder", "Norrlands universitetssjukhus i Umeå har infört ... NUS ska ...",
         "Umeå universitet", ("Region Västerbotten",)),
        ("Precisionsmedicin i norr", "Forum Norr samordnar de fyra regionerna i Norra sjukvårdsregionen.",
         "Norra sjukvårdsregionen", ("Region Norrbotten", "Region Västerbotten", "Region Västernorrland",
                                     "Region Jämtland Härjedalen")),
        ("Om GMS", GMS_LIST, "Genomic Medicine Sweden", ()),
        ("Dom i mål om upphandling", "Högsta domstolen prövade ett beslut av en nämnd i Stockholm.",
         "Högsta domstolen", ()),
        ("Handlingsplan för precisionsmedicin", "Region Dalarna ska bygga upp kompetens. Region Dalarna "
         "samarbetar i ett traineeprogram med Region Gävleborg. Region Dalarna ska även ...",
         "Region Dalarna", ("Region Dalarna",)),
    ],
)
def test_regions_by_salience(title: str, text: str, publisher: str, regions: tuple[str, ...]) -> None:
    assert set(about_regions(text, title, publisher)) == set(regions)


@pytest.mark.parametrize(
    "title",
    ["Microsoft Word - PROPGR~1.DOC", "NFS 2007-10k2.indd.indd", "Föreskriftens namn",
     "Kopia av Publik RSA Hagfors 2023-2026", "Upprättad 2023-10-25", "KLIMAT", "Dokument1", ""],
)
def test_useless_metadata_titles(title: str) -> None:
    assert useless_title(title)


def test_real_titles_are_kept() -> None:
    assert not useless_title("Handlingsplan för precisionsmedicin 2024–2027")
    assert not useless_title("Life science-strategi för Region Uppsala")


def test_title_of_a_text_file_is_its_first_line_naming_the_document() -> None:
    lines = ["Region Dalarna: Handlingsplan för precisionsmedicin 2025–2027", "Bakgrund"]
    title = choose_title("text", None, Signals(), ["Genomic Medicine Sweden", "Bakgrund"], lines, Path("x.txt"))
    assert title == "Region Dalarna: Handlingsplan för precisionsmedicin 2025–2027"


def test_title_of_a_pdf_with_a_useless_metadata_title() -> None:
    signals = Signals(meta_title="Microsoft Word - PROPGR~1.DOC")
    lines = ["Region Uppsala", "Life science-strategi 2030", "Beslutad av regionfullmäktige"]
    assert choose_title("pdf", None, signals, [], lines, Path("PROPGR~1.pdf")) == "Life science-strategi 2030"


@pytest.mark.parametrize(
    ("kind", "title", "text", "dated", "expected"),
    [
        ("html", "Ny life science-strategi antagen", "Nyheter\nPublicerad 3 maj 2024", True, "news"),
        ("pdf", "Life science-strategi för Region Skåne", "", False, "strategy"),
        ("pdf", "Handlingsplan för precisionsmedicin", "", True, "action plan"),
        ("docx", "Remissvar: Nationell strategi för life science", "", True, "position"),
        ("pdf", "Socialstyrelsens föreskrifter om genetisk undersökning", "", False, "regulation"),
        ("pdf", "Risk- och sårbarhetsanalys 2023–2026", "", False, "report"),
        ("html", "Genomic Medicine Centre Norr", "Om oss", False, "web page"),
    ],
)
def test_type_from_form_and_words(kind: str, title: str, text: str, dated: bool, expected: str) -> None:
    assert choose_type(kind, title, text, Signals(), dated) == expected


def test_detected_end_to_end_on_generated_html(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "nyhet.html").write_text(
        '<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8">'
        "<title>Helgenomsekvensering till alla barn - Nyheter | Sahlgrenska Universitetssjukhuset</title>"
        '<meta property="og:site_name" content="Sahlgrenska Universitetssjukhuset">'
        '<meta property="og:title" content="Helgenomsekvensering till alla barn"></head><body>'
        '<div id="cookie-banner">Vi använder kakor. Läs om Vinnova.</div>'
        "<main><h1>Helgenomsekvensering till alla barn</h1><p>Publicerad 12 mars 2024</p>"
        "<p>Barn som vårdas för misstänkt sällsynt sjukdom på Drottning Silvias barnsjukhus i Göteborg "
        "erbjuds helgenomsekvensering. Analysen görs vid Genomic Medicine Centre Väst.</p>"
        "<p>Genomic Medicine Sweden samordnar arbetet nationellt med stöd från Vinnova.</p></main>"
        "<footer>Sahlgrenska Universitetssjukhuset, 413 45 Göteborg</footer></body></html>",
        encoding="utf-8",
    )
    ingest_directory(corpus, tmp_path / "store")
    (doc,) = IngestStore(tmp_path / "store").documents()
    assert doc.publisher == "Sahlgrenska Universitetssjukhuset"
    assert doc.regions == ("Västra Götalandsregionen",)
    assert doc.title == "Helgenomsekvensering till alla barn"
    assert doc.doc_type == "news" and doc.date == "2024-03-12"
    assert read_file(corpus / "nyhet.html").signals.site_name == "Sahlgrenska Universitetssjukhuset"

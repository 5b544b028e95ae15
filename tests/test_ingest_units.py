"""Small exact cases for the cleaning, sentence, section and metadata rules."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from regionplans.ingest.clean import (
    Vocabulary,
    clean_pages,
    join_lines,
    normalise_line,
    site_boilerplate,
)
from regionplans.ingest.describe import Signals, about_regions, choose_type
from regionplans.ingest.furniture import is_prose
from regionplans.ingest.metadata import (
    detect_language,
    document_date,
    find_acronyms,
    parse_date,
)
from regionplans.ingest.sections import Heading, detect_heading, numbered_heading
from regionplans.ingest.sentences import split_sentences
from regionplans.ingest.text import decode

VOCAB = Vocabulary.from_texts(["vi ökar samverkan och samarbete kring attraktiviteten i regionen nu"])


@pytest.mark.parametrize(
    ("left", "right", "joined"),
    [
        ("en stor utma-", "ning för regionen", "en stor utmaning för regionen"),
        ("inom hälso-", "och sjukvården", "inom hälso- och sjukvården"),
        ("forsknings-, utbildnings-", "och utvecklingsstrategi", "forsknings-, utbildnings- och utvecklingsstrategi"),
        ("en ny IT-", "infrastruktur", "en ny IT-infrastruktur"),
        ("i bred sam", "verkan med akademin", "i bred samverkan med akademin"),
        ("den sam", "verkansarena där", "den samverkansarena där"),
        ("ett fördjupat sam", "arbete", "ett fördjupat samarbete"),
        ("en attrak", "tiv arbetsplats", "en attraktiv arbetsplats"),
        ("vi ökar", "samverkan", "vi ökar samverkan"),
        ("(RS2019-", "0669)", "(RS2019-0669)"),
    ],
)
def test_join_lines(left: str, right: str, joined: str) -> None:
    assert join_lines(left, right, VOCAB) == joined


def test_normalise_line() -> None:
    assert normalise_line("•\t Sömlöst  utnyttjande") == "• Sömlöst utnyttjande"
    assert normalise_line("1.\t\ufffd Världsledande") == "1. Världsledande"
    assert normalise_line("\uf0b7 punkt\u00a0ett") == "• punkt ett"
    assert normalise_line("sam\u00adverkan") == "samverkan"
    assert normalise_line("G\ufffdteborg") == "G\ufffdteborg"  # inside a word: kept, not guessed


def test_chrome_and_inline_breaks_removed() -> None:
    page = (
        "Du är på Region Testläns webbplats.\n\nSök\n\nRubrik om vården\n\n"
        "Det är en utma- ning för hälso- och sjukvården.\n\n"
        "Hade du nytta av innehållet på denna sida?\n\nSenast uppdaterad: den 4 juni 2021"
    )
    texts = [b.text for b in clean_pages([page])]
    assert texts == ["Rubrik om vården", "Det är en utmaning för hälso- och sjukvården."]


def test_site_boilerplate_needs_two_different_documents() -> None:
    one = "Meny för Testsajten\n\nRegionen bygger ett centrum för genomik i samverkan med akademin.\n\nKontakta redaktionen"
    two = "Meny för Testsajten\n\nHälsodata ska kunna användas för forskning och innovation i regionen.\n\nKontakta redaktionen"
    assert site_boilerplate([one, two]) == {"meny för testsajten", "kontakta redaktionen"}
    assert site_boilerplate([one, one]) == frozenset()
    assert site_boilerplate([one]) == frozenset()


def test_site_boilerplate_needs_three_documents_for_a_line_of_prose() -> None:
    # A paragraph two pages share is news told twice; on three pages it is the site's own.
    about = "Regionen ansvarar för hälso- och sjukvård, kollektivtrafik och regional utveckling i länet."
    pages = [f"Meny för Testsajten\n\nNyhet nummer {n} om genomik i regionen och akademin.\n\n{about}" for n in range(3)]
    assert site_boilerplate(pages[:2]) == {"meny för testsajten"}
    assert site_boilerplate(pages) == {"meny för testsajten", about.casefold()}
    assert is_prose(about) and not is_prose("Meny för Testsajten") and not is_prose("Kontakta oss.")


def test_sentences_keep_abbreviations() -> None:
    text = "Vi behöver t.ex. data, bl.a. från GMS, dvs. mer. Sedan kommer AI! Enl. K. Berg räcker det.\n• En punkt"
    assert [s for s, _, _ in split_sentences(text)] == [
        "Vi behöver t.ex. data, bl.a. från GMS, dvs. mer.",
        "Sedan kommer AI!",
        "Enl. K. Berg räcker det.",
        "• En punkt",
    ]
    for sentence, start, end in split_sentences(text):
        assert text[start:end] == sentence


def test_detect_heading() -> None:
    assert detect_heading("MÅL 3:", "slut.", "En IT-infrastruktur", wrapped=True).label == "MÅL 3"  # type: ignore[union-attr]
    assert detect_heading("Åtgärder", "vård", "Arbetsgruppen har", wrapped=True).level == 3  # type: ignore[union-attr]
    assert detect_heading("Strategin har högt", None, "ställda ambitioner", wrapped=True) is None
    assert detect_heading("Ett annat framgångskriterium för införandet av", "slut.", "PM är", wrapped=True) is None
    assert numbered_heading("Mål 2025 är att öka") is None
    assert numbered_heading("Mål 3 är att öka") is None
    assert numbered_heading("MÅL 1: Goda förutsättningar") == Heading(2, "MÅL 1", "Goda förutsättningar")
    assert detect_heading("Hög kompetens", "slut.", "Vetenskapsrådet", wrapped=False) is not None
    assert detect_heading("Hög kompetens", "slut.", "Text", wrapped=False, gap_after=False) is None


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("Publicerad: 2021-05-19 20:08\n...\nSenast uppdaterad: den 4 juni 2021", "2021-05-19"),
        ("Rubrik\n\n14 mars 2023\n\nText", "2023-03-14"),
        ("Text\n\nUppdaterad: 22 februari 2022", "2022-02-22"),
        ("Senast uppdaterad: den 4 juni 2021", "2021-06-04"),
        ("Regionfullmäktige antog planen den 12 mars 2024.", "2024-03-12"),
        ("Publicerad: 2021-02-30", None),
        ("Inget datum här", None),
    ],
)
def test_document_date(text: str, iso: str | None) -> None:
    assert document_date(text) == iso


def test_parse_date() -> None:
    assert parse_date("4 JUNI 2021") == "2021-06-04"
    assert parse_date("1 okt. 2020") == "2020-10-01"
    assert parse_date("31 april 2020") is None


def test_acronyms() -> None:
    text = (
        "Precisionsmedicin (PM) ställer krav. Införandet av precisionsmedicin kräver samverkan. "
        "Vi deltar i Genomic Medicine Sweden (GMS) och i Data-Driven Life Science (DDLS). "
        "Arbetet leds av regionrådet (L) enligt beslut (RS 2019-0751)."
    )
    assert find_acronyms(text) == (
        ("PM", "precisionsmedicin"),
        ("GMS", "Genomic Medicine Sweden"),
        ("DDLS", "Data-Driven Life Science"),
    )
    assert find_acronyms("Vi ingår i Genomic medicine Sweden, GMS, tillsammans med andra.") == (
        ("GMS", "Genomic medicine Sweden"),
    )


def test_language_is_deterministic() -> None:
    swedish = "Regionen ska bygga upp ett kompetenscentrum för precisionshälsa och artificiell intelligens."
    english = "The region will build a competence centre for precision health and artificial intelligence."
    assert {detect_language(swedish) for _ in range(5)} == {"sv"}
    assert detect_language(english) == "en"
    assert detect_language("12 34") == "und"


def test_doc_type_and_regions() -> None:
    assert choose_type("text", "Handlingsplan Precisionsmedicin", "", Signals(), False) == "action plan"
    assert choose_type("pdf", "Life science-strategi 2030", "", Signals(), False) == "strategy"
    assert choose_type("pdf", "Lägesrapport", "", Signals(), False) == "report"
    assert choose_type("html", "Nytt centrum", "Publicerad: 2021-05-19", Signals(), True) == "news"
    assert choose_type("html", "Om oss", "Text", Signals(), False) == "web page"
    assert about_regions("Beslut i Region Östergötlands regionstyrelse.", "", None) == ("Region Östergötland",)
    assert about_regions("Lif om nationell styrning av precisionsmedicin.", "", "Lif") == ()


def test_decode() -> None:
    assert decode("hälsa".encode("cp1252")) == ("hälsa", "cp1252")
    assert decode("\ufeffhälsa".encode()) == ("hälsa", "utf-8")
    assert decode(b"h\x81lsa") == ("h\x81lsa", "latin-1")


def test_cli_ingest_json_and_table(tmp_path: Path) -> None:
    from regionplans.cli import cli

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "plan.txt").write_text("Region Blekinge satsar på life science.\n", encoding="utf-8")
    (corpus / "bild.png").write_bytes(b"\x89PNG")
    runner = CliRunner()
    result = runner.invoke(cli, ["ingest", str(corpus), "--data-dir", str(tmp_path / "data"), "--format", "json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    import json

    payload = json.loads(result.stdout)
    files = {Path(f["path"]).name: f for f in payload["files"]}
    assert files["plan.txt"]["status"] == "ingested"
    assert files["bild.png"]["status"] == "skipped" and ".png" in files["bild.png"]["reason"]
    assert payload["counts"]["ingested"] == 1 and payload["counts"]["skipped"] == 1
    assert (tmp_path / "data" / "ingest" / "catalog.json").exists()
    table = runner.invoke(cli, ["ingest", str(corpus), "--data-dir", str(tmp_path / "data")], catch_exceptions=False)
    assert "unchanged" in table.output
    assert "2 files: 0 ingested, 1 unchanged, 0 failed, 0 duplicates, 1 skipped, 0 removed" in table.output
    assert "Example" in runner.invoke(cli, ["ingest", "--help"]).output


def test_list_lead_in_stays_with_its_list() -> None:
    from regionplans.ingest.sections import chunk_sections
    from regionplans.records import Section

    text = (
        " ".join(["Regionen bygger upp kompetens inom genomik och hälsodata."] * 22)
        + "\n\nFör en bättre implementering föreslår Lif att:\n\n"
        + "\n".join(["• staten och regionerna tecknar en långsiktig överenskommelse om finansiering,"] * 4)
    )
    section = Section("d", ("Plan",), text, 1, 0, len(text))
    chunks = chunk_sections("d", text, [section], max_words=200)
    assert len(chunks) == 2
    assert chunks[1].text.startswith("För en bättre implementering föreslår Lif att:\n\n• staten")
    assert all(text[c.split_idx_start : c.split_idx_end] == c.text for c in chunks)


def test_haystack_component(tmp_path: Path) -> None:
    from regionplans.ingest.components import RegionPlansIngester

    source = tmp_path / "plan.txt"
    source.write_text("Strategi för life science\n\nRegion Kronoberg satsar på hälsodata.\n", encoding="utf-8")
    result = RegionPlansIngester(store_dir=str(tmp_path / "store")).run(sources=[str(source)])
    (document,) = result["documents"]
    assert document.content == "Region Kronoberg satsar på hälsodata."
    assert document.meta["regions"] == ["Region Kronoberg"]
    assert document.meta["heading_path"] == ["Strategi för life science"]
    assert result["report"][0]["status"] == "ingested"

"""Each failure class of detected metadata, pinned on documents written for these tests
(real PDFs, HTML pages and Word files generated here, ingested without a manifest):
dates from print notices, letterheads, minutes, report numbers, covers and file
metadata; publishers from a masthead, a breadcrumb, a postal address and a board
paper; regions by salience (the title, a healthcare region, the publisher's own,
national texts naming regions in passing); titles under forms and junk metadata."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from regionplans.ingest.describe import about_regions, choose_type, publisher_from_signals
from regionplans.ingest.metadata import document_date, publication_dated, title_year
from regionplans.ingest.pipeline import ingest_directory
from regionplans.ingest.readers import Extracted, Signals, read_file
from regionplans.ingest.store import IngestStore
from regionplans.ingest.titles import useless_title
from regionplans.records import Document


def _pdf(path: Path, cover: list[tuple[int, str]], pages: list[list[str]], *, title: str = "",
         author: str = "", created: dt.datetime | None = None) -> None:  # fmt: skip
    """A PDF whose first page is a cover (``(size, line)`` pairs) and whose other pages
    are body text at 11 pt, with the document information a producer writes."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=False)
    if title:
        pdf.set_title(title)
    if author:
        pdf.set_author(author)
    pdf.set_creation_date(created or dt.datetime(2021, 1, 1, tzinfo=dt.UTC))
    pdf.add_page()
    y = 40.0
    for size, line in cover:
        pdf.set_font("Helvetica", size=size)
        pdf.text(20, y, line)
        y += size * 0.6 + 4
    for lines in pages:
        pdf.add_page()
        pdf.set_font("Helvetica", size=11)
        for i, line in enumerate(lines):
            pdf.text(20, 25 + i * 6, line)
    pdf.output(str(path))


def _docx(path: Path, paragraphs: list[tuple[str, str]], *, title: str = "", author: str = "") -> None:
    import docx

    document = docx.Document()
    document.core_properties.title = title
    document.core_properties.author = author
    for style, text in paragraphs:
        if style == "title":
            document.add_paragraph(text, style="Title")
        elif style.startswith("h"):
            document.add_heading(text, level=int(style[1:]))
        else:
            document.add_paragraph(text)
    document.save(str(path))


BODY = ("Arbetet ska ge patienter bättre tillgång till diagnostik och behandling. "
        "Uppföljning sker varje år och redovisas för den politiska ledningen.")  # fmt: skip


@pytest.fixture(scope="module")
def docs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Document]:
    corpus = tmp_path_factory.mktemp("corpus")
    # A regulation: printed (published) after it was decided.
    _pdf(corpus / "foreskrift.pdf",
         [(18, "Läkemedelsverkets föreskrifter om kliniska prövningar"), (11, "LVFS 2025:3"),
          (11, "Utkom från trycket den 15 januari 2025"), (11, "beslutade den 3 januari 2025.")],
         [["Läkemedelsverket föreskriver följande.", BODY]], title="Dokument2", author="lv-forfattning")  # fmt: skip
    # A report whose cover gives its number and month, with a template's metadata title.
    _pdf(corpus / "rapport.pdf",
         [(22, "Kliniska prövningar i Halland"), (11, "Uppföljning av handlingsplanen"),
          (11, "Region Halland, FoU-enheten"), (11, "Rapport 2023:12, december 2023")],
         [[BODY, "Region Halland har fler prövningar än tidigare."]], title="Mall_A4_rapport_v2", author="fou")  # fmt: skip
    # A brochure whose cover states a healthcare region and a year; its publisher's line alone.
    _pdf(corpus / "broschyr.pdf",
         [(24, "Cancervård i väst"), (11, "Regionalt cancercentrum Väst"), (11, "Västra sjukvårdsregionen 2023")],
         [[BODY, "Regionalt cancercentrum Väst samordnar cancervården i Västra Götalandsregionen",
           "och Region Halland."]], title="Presentation3")  # fmt: skip
    # A plan whose text gives no date: the file's creation year, not the plan period.
    _pdf(corpus / "plan.pdf",
         [(22, "Handlingsplan för hälsodata 2026-2028"), (11, "Region Gävleborg")],
         [[BODY, "Region Gävleborg ska bygga upp en gemensam plattform för hälsodata."]],
         created=dt.datetime(2025, 11, 4, tzinfo=dt.UTC))  # fmt: skip
    # A board's minutes: the form above the subject, a meeting date, a decision.
    _pdf(corpus / "protokoll.pdf",
         [(11, "PROTOKOLLSUTDRAG"), (11, "Region Kronoberg : Regionstyrelsen"),
          (11, "Sammanträdesdatum 2025-02-11"), (11, "Dnr 25RK1234"),
          (14, "Uppdrag om en strategi för precisionsmedicin"),
          (11, "Regionstyrelsen beslutar att ge regiondirektören i uppdrag att ta fram en strategi."),
          (11, "Region Kronoberg samarbetar med Region Skåne och Skånes universitetssjukhus i Lund."),
          (11, "Prover skickas till Lund. Lund har den största kapaciteten.")], [])  # fmt: skip
    # An official's paper to a region's board about a healthcare region's joint decision.
    _docx(corpus / "tjansteskrivelse.docx",
          [("title", "Tjänsteskrivelse"), ("p", "Regionstaben · Datum 2023-11-20 · Dnr RS 2023/118"),
           ("p", "Till regionstyrelsen"), ("p", "Gemensam biobank i Sydöstra sjukvårdsregionen"),
           ("p", "Regionstyrelsen föreslås besluta att Region Kalmar län deltar i den gemensamma biobanken."),
           ("p", "Region Östergötland är värd för biobanken vid Universitetssjukhuset i Linköping. " + BODY),
           ("p", "Region Kalmar län betalar sin andel från 2024.")],
          title="Tjänsteskrivelse", author="rk\\\\anna")  # fmt: skip
    # A region's own plan that names a partner region's university hospital often.
    _docx(corpus / "genomforandeplan.docx",
          [("title", "Genomförandeplan för genomisk medicin"), ("p", "Region Värmland, Centralsjukhuset Karlstad"),
           ("p", "Fastställd av hälso- och sjukvårdsdirektören den 12 maj 2025."),
           ("h1", "Bakgrund"),
           ("p", "Region Värmland skickar prover till Akademiska sjukhuset. Akademiska sjukhuset analyserar "
                 "dem inom två veckor. Uppsala har Sveriges största laboratorium för klinisk genomik, och "
                 "Uppsala universitet utbildar regionens genetiker."),
           ("p", "Region Värmland ska utbilda fler läkare. " + BODY)],
          title="Microsoft Word -GENPLAN~1.DOC")  # fmt: skip
    # Minutes in Markdown with a labelled meeting date.
    (corpus / "anteckningar.md").write_text(
        "Minnesanteckningar: nätverket för kliniska studier\n"
        "**Datum:** 7 februari 2024, kl. 09.00–12.00\n**Plats:** digitalt\n\n"
        "Företrädare för tolv regioner deltog. Region Skåne, Region Halland och Region Blekinge "
        "berättade om sina studieenheter. Region Norrbotten och Region Gotland hade förhinder.\n\n"
        "Nästa möte hålls den 4 juni 2024.\n", encoding="utf-8")  # fmt: skip
    # A national agency's English news item naming regions in its body only.
    (corpus / "agency-news.txt").write_text(
        "Twelve projects in clinical research receive SEK 80 million\n\n"
        "Swedish Research Council\nPress release, March 2022\n\n"
        "The Swedish Research Council funds twelve projects that bring research closer to care. "
        "The projects were selected among 140 applications.\n\n"
        "One project at Skånes universitetssjukhus studies heart failure. Another, led from "
        "Akademiska sjukhuset in Region Uppsala, tests a new screening method. Region Uppsala "
        "and Region Skåne both take part in a third project.\n\n"
        "Contact: press office, Swedish Research Council\n", encoding="utf-8")  # fmt: skip
    # A region's news page copied as text: logo line, menu, breadcrumb, title naming a funder.
    (corpus / "regionnyhet.txt").write_text(
        "Till innehållet\nRegion Halland\nVård och hälsa   Regional utveckling   Om oss\n\n"
        "Startsida > Nyheter > Tillväxtverket stödjer testbädd för hemsjukvård\n\n"
        "Tillväxtverket stödjer testbädd för hemsjukvård\n\nPublicerad 21 augusti 2024\n\n"
        "Tillväxtverket ger 2 miljoner kronor till en testbädd för digital hemsjukvård. "
        "Tillväxtverket har valt ut sex testbäddar. " + BODY + "\n\n"
        "Region Halland\nBox 517, 301 80 Halmstad\n", encoding="utf-8")  # fmt: skip
    # A hospital page whose breadcrumb names the region; its title names the healthcare region.
    (corpus / "gmc.html").write_text(
        '<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>GMC Sydöst</title></head><body>'
        "<main><h1>Genomisk medicin i Sydöstra sjukvårdsregionen</h1>"
        "<p><em>Region Östergötland · Forskning · Genomisk medicin</em></p>"
        "<p>GMC Sydöst vid Universitetssjukhuset i Linköping analyserar prover från hela "
        "sjukvårdsregionen. Region Jönköpings län och Region Kalmar län skickar sina prover hit.</p>"
        "<p>" + BODY + "</p></main></body></html>", encoding="utf-8")  # fmt: skip
    # A page about a town's region: "Göteborgsregionen" names Västra Götalandsregionen.
    (corpus / "kommun.txt").write_text(
        "Näringslivsprogram för life science i Göteborgsregionen\n\n"
        "Kommunerna i Göteborgsregionen samarbetar om life science. " + BODY + "\n\n"
        "Partille kommun, 433 82 Partille\n", encoding="utf-8")  # fmt: skip
    store = tmp_path_factory.mktemp("store")
    ingest_directory(corpus, store, manifest=store / "no-manifest.csv")
    return {Path(d.file_path).name: d for d in IngestStore(store).documents()}


def test_a_regulation_is_dated_by_its_print_notice(docs: dict[str, Document]) -> None:
    doc = docs["foreskrift.pdf"]
    assert doc.date == "2025-01-15" and doc.doc_type == "regulation"
    assert doc.title == "Läkemedelsverkets föreskrifter om kliniska prövningar"
    assert doc.publisher == "Läkemedelsverket" and doc.regions == ()


def test_a_report_number_and_month_on_the_cover(docs: dict[str, Document]) -> None:
    doc = docs["rapport.pdf"]
    assert doc.date == "2023-12" and doc.title == "Kliniska prövningar i Halland"
    assert doc.publisher == "Region Halland" and doc.regions == ("Region Halland",)


def test_a_cover_year_and_the_publisher_alone_on_its_line(docs: dict[str, Document]) -> None:
    doc = docs["broschyr.pdf"]
    assert doc.date == "2023" and doc.title == "Cancervård i väst"
    assert doc.publisher == "Regionalt cancercentrum Väst"
    assert set(doc.regions) == {"Västra Götalandsregionen", "Region Halland"}


def test_a_plan_period_is_no_date_the_file_year_is_the_last_resort(docs: dict[str, Document]) -> None:
    doc = docs["plan.pdf"]
    assert doc.date == "2025" and doc.doc_type == "action plan"


def test_minutes_are_a_decision_of_their_region_dated_by_the_meeting(docs: dict[str, Document]) -> None:
    doc = docs["protokoll.pdf"]
    assert doc.date == "2025-02-11" and doc.doc_type == "decision"
    assert doc.publisher == "Region Kronoberg" and doc.regions == ("Region Kronoberg",)
    assert doc.title == "Uppdrag om en strategi för precisionsmedicin"


def test_a_board_paper_is_its_regions_whatever_healthcare_region_it_names(docs: dict[str, Document]) -> None:
    doc = docs["tjansteskrivelse.docx"]
    assert doc.publisher == "Region Kalmar län" and doc.regions == ("Region Kalmar län",)
    assert doc.doc_type == "decision" and doc.date == "2023-11-20"
    assert doc.title == "Gemensam biobank i Sydöstra sjukvårdsregionen"


def test_a_regions_plan_is_not_about_the_partner_it_names_often(docs: dict[str, Document]) -> None:
    doc = docs["genomforandeplan.docx"]
    assert doc.publisher == "Region Värmland" and doc.regions == ("Region Värmland",)
    assert doc.title == "Genomförandeplan för genomisk medicin" and doc.date == "2025-05-12"


def test_minutes_in_markdown_dated_by_their_label_and_not_news(docs: dict[str, Document]) -> None:
    doc = docs["anteckningar.md"]
    assert doc.date == "2024-02-07" and doc.doc_type == "report" and doc.regions == ()


def test_a_national_agencys_english_news_stays_national(docs: dict[str, Document]) -> None:
    doc = docs["agency-news.txt"]
    assert doc.publisher == "Vetenskapsrådet" and doc.regions == ()
    assert doc.date == "2022-03" and doc.doc_type == "news" and doc.language == "en"


def test_a_copied_region_page_is_the_regions_not_the_funders(docs: dict[str, Document]) -> None:
    doc = docs["regionnyhet.txt"]
    assert doc.publisher == "Region Halland" and doc.regions == ("Region Halland",)
    assert doc.title == "Tillväxtverket stödjer testbädd för hemsjukvård"
    assert doc.date == "2024-08-21" and doc.doc_type == "news"


def test_a_healthcare_region_in_the_title_names_its_members(docs: dict[str, Document]) -> None:
    doc = docs["gmc.html"]
    assert doc.publisher == "Region Östergötland"
    assert set(doc.regions) == {"Region Östergötland", "Region Jönköpings län", "Region Kalmar län"}
    assert doc.title == "Genomisk medicin i Sydöstra sjukvårdsregionen"


def test_a_towns_region_compound_and_a_municipal_address(docs: dict[str, Document]) -> None:
    doc = docs["kommun.txt"]
    assert doc.publisher == "Partille kommun" and doc.regions == ("Västra Götalandsregionen",)


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("Utkom från trycket den 2 mars 2021\nbeslutade den 20 februari 2021.", "2021-03-02"),
        ("Förvaltningen · Datum 2022-05-09 · Diarienummer KS 2022/41", "2022-05-09"),
        ("Rapport 2022:4, maj 2022\nDiarienummer RS 2022-0318", "2022-05"),
        ("News, April 2020\n\nText", "2020-04"),
        ("Published on May 3, 2024\n\nLast updated June 2, 2024", "2024-05-03"),
        ("Text\n\nLast updated: 12 June 2023", "2023-06-12"),
        ("Beslutad av regionfullmäktige 2023-06-14\n\nText", "2023-06-14"),
        ("Fastställd: 1 mars 2022", "2022-03-01"),
        ("Handlingsplan 2025-2027\nRegion Örebro län", None),
    ],
)
def test_date_lines(text: str, iso: str | None) -> None:
    assert document_date(text) == iso


def test_a_cover_year_counts_only_on_a_cover() -> None:
    text = "Strategi för life science\nRegion Västmanland 2022\n\fText"
    assert document_date(text, cover=True) == "2022"
    assert document_date(text) is None


def test_a_labelled_date_is_no_publication_date() -> None:
    assert not publication_dated("Minnesanteckningar\nDatum: 2024-02-07\n")
    assert publication_dated("Pressmeddelande, februari 2024\n")


@pytest.mark.parametrize(
    "title", ["Microsoft Word -PLAN~2.DOC", "Tjänsteskrivelse", "Protokollsutdrag", "Powerpoint-presentation",
              "Nytt dokument 3", "Titel", "planen"],
)  # fmt: skip
def test_useless_titles_one_check(title: str) -> None:
    assert useless_title(title, Path("planen.pdf"))


def test_the_reader_keeps_the_signals_and_the_store_round_trips_them(tmp_path: Path) -> None:
    page = tmp_path / "sida.html"
    page.write_text(
        '<html><head><title>Ny mottagning | Region Gotland</title><meta property="og:site_name" '
        'content="Region Gotland"></head><body><main><h1>Ny mottagning</h1><p>' + BODY + "</p></main>"
        "<footer>Region Gotland, 621 81 Visby. Organisationsnummer 212000-0803</footer></body></html>",
        encoding="utf-8",
    )
    extracted = read_file(page)
    assert extracted.signals.site_name == "Region Gotland" and "621 81 Visby" in extracted.signals.footer
    assert "Visby" not in extracted.text  # the footer is chrome, kept as a signal only
    assert Extracted.from_dict(extracted.to_dict()) == extracted


@pytest.mark.parametrize(
    ("title", "text", "publisher", "doc_type", "regions"),
    [
        ("Uppdrag om biobank", "Regionstyrelsen beslutar. Norra sjukvårdsregionen samverkar.",
         "Region Norrbotten", "decision", ("Region Norrbotten",)),
        ("Samverkan mellan Jönköping och Kalmar", "Text om samverkan.", "Region Jönköpings län", "report",
         ("Region Jönköpings län", "Region Kalmar län")),
        ("Life science i Uppsalaregionen", "Text.", "SwedenBIO", "position", ("Region Uppsala",)),
        ("Nationell plan", "Region Skåne och Region Uppsala deltar i arbetet, liksom Akademiska sjukhuset.",
         "Socialstyrelsen", "report", ()),
    ],
)  # fmt: skip
def test_regions_by_salience_classes(title: str, text: str, publisher: str, doc_type: str,
                                     regions: tuple[str, ...]) -> None:  # fmt: skip
    assert set(about_regions(text, title, publisher, doc_type)) == set(regions)


def test_breadcrumb_and_postal_address_name_the_publisher() -> None:
    crumbs = "Nyhet om cancer\n*Region Västmanland · Nyheter · Cancer*\n\nVinnova och Vinnova ger stöd."
    assert publisher_from_signals(Signals(), crumbs) == "Region Västmanland"
    listed = "Cancervård i norr\nRegion Norrbotten · Region Västerbotten · Region Jämtland Härjedalen\nText"
    assert publisher_from_signals(Signals(), listed) != "Region Norrbotten"
    tail = "Text om Vinnova.\n\nKontakt\nHälso- och sjukvården\nRegion Sörmland, 611 88 Nyköping\n"
    assert publisher_from_signals(Signals(), "Om Vinnova och Vinnova\n\n" + "x " * 300 + tail) == "Region Sörmland"


def test_minutes_form_beats_the_strategy_in_its_title() -> None:
    assert choose_type("pdf", "Uppdrag om en life science-strategi", "PROTOKOLL\nText", Signals(), False) == "decision"


def test_a_goal_year_is_no_date() -> None:
    assert document_date("Life science-strategi 2090\nRegion Uppsala\n\fText", cover=True) is None
    assert title_year("Vision 2090") is None and title_year("Lägesrapport 2024") == "2024"


def test_an_update_line_makes_no_news_item() -> None:
    text = "Life science i Lund\n\nText om Lund.\n\nSidan uppdaterades: 4 mars 2024\n"
    assert not publication_dated(text) and document_date(text) == "2024-03-04"


def test_a_genomic_medicine_centre_names_its_region() -> None:
    assert about_regions("Centret analyserar prover.", "GMC Väst", "Genomic Medicine Sweden") == (
        "Västra Götalandsregionen",
    )

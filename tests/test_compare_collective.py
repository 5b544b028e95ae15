"""Collective references, background sentences and others' voices, on sentences written
for the tests: "de övriga fem regionerna", "länssjukvårdsregionerna", "alla sju
regioner" resolved within a several-region document; a definition, an indicator's name,
a statement about the country, "Enligt X ..." and a municipality's own voice are no
region's position; an actor's news about a region and its survey of regions are not the
actor's; a funder named only as the publisher still makes a sentence about its funding."""

from __future__ import annotations

from builders import HandSearcher

from regionplans.compare.attribution import (
    collective_regions,
    is_definition,
    sentence_regions,
    university_regions,
)
from regionplans.compare.table import build_table
from regionplans.compare.terms import topic_terms
from regionplans.records import Document

MELLAN = ("Region Uppsala", "Region Örebro län", "Region Dalarna", "Region Gävleborg", "Region Värmland",
          "Region Västmanland", "Region Sörmland")  # fmt: skip
SMALL = MELLAN[2:]


def _doc(key: str, publisher: str, regions: tuple[str, ...], text: str) -> Document:
    return Document(doc_id=key, file_path=f"{key}.txt", title=key, publisher=publisher, regions=regions,
                    doc_type="report", language="sv", date="2024-05-01", text=text, file_hash=key)  # fmt: skip


def test_the_regions_with_a_university_hospital_come_from_the_gazetteer() -> None:
    assert university_regions() == {"Region Stockholm", "Region Uppsala", "Region Östergötland", "Region Skåne",
                                    "Västra Götalandsregionen", "Region Örebro län", "Region Västerbotten"}  # fmt: skip


def test_collective_references_resolve_within_the_documents_regions() -> None:
    named = "Region Uppsala och Region Örebro län har var sitt centrum."
    assert collective_regions("Övriga fem regioner saknar ett centrum.", MELLAN, named) == SMALL
    assert collective_regions("Ingen av de fem länssjukvårdsregionerna gör det.", MELLAN) == SMALL
    assert collective_regions("None of the five county-hospital regions does it.", MELLAN) == SMALL
    assert collective_regions("Alla sju regioner deltar.", MELLAN) == MELLAN
    assert collective_regions("Alla barn i sjukvårdsregionen erbjuds analysen.", MELLAN) == MELLAN
    assert collective_regions("Regionerna med universitetssjukvård har ett GMC.", MELLAN) == MELLAN[:2]


def test_a_collective_reference_that_does_not_fit_resolves_to_none() -> None:
    assert collective_regions("Övriga fyra regioner saknar ett centrum.", MELLAN, "Region Uppsala har ett.") == ()
    assert collective_regions("Övriga regioner saknar ett centrum.", MELLAN) == ()  # no one named before
    assert collective_regions("Helgenomsekvensering bör finnas i alla regioner.", MELLAN) == ()  # the country's
    assert collective_regions("Alla sju regioner deltar.", ("Region Uppsala",)) == ()  # one region's document


def test_a_cancer_centres_survey_speaks_for_the_regions_it_covers_collectively() -> None:
    docs = [_doc("rcc", "Regionalt cancercentrum Mellansverige", MELLAN,
                 "Region Uppsala och Region Örebro län har var sitt centrum för precisionsmedicin. "
                 "Övriga fem regioner saknar motsvarande centrum för precisionsmedicin. "
                 "RCC Mellansverige rekommenderar att alla sju regioner samarbetar om precisionsmedicin.")]  # fmt: skip
    table = build_table(HandSearcher(docs), "precisionsmedicin", max_evidence=5)
    for region in SMALL:
        quotes = [e for e in table.cell(region).evidence]
        assert [e.quote[:15] for e in quotes] == ["Övriga fem regi"], region
        assert quotes[0].covered and quotes[0].secondary
    # The centre's recommendation is its own, not the regions' position.
    assert not any("rekommenderar" in e.quote for c in table.cells for e in c.evidence)


def test_definitions_indicators_and_country_statements_are_background() -> None:
    assert is_definition("Ett GMC är den första kontaktpunkten för prover.", ("GMC",))
    assert not is_definition("GMC Syd är Region Skånes centrum.", ("GMC",))
    docs = [_doc("plan", "Region Blekinge", ("Region Blekinge",),
                 "Ett GMC är den första kontaktpunkten när prover ska analyseras. "
                 "Det finns ett GMC i var och en av de sju regionerna med universitetssjukvård. "
                 "Antal patienter som har remitterats till ett GMC. "
                 "Sedan 2021 analyseras alla barn i Sverige vid ett GMC. "
                 "Regionen ska utse en kontaktperson för GMC Syd.")]  # fmt: skip
    cell = build_table(HandSearcher(docs), "Genomic Medicine Centre", max_evidence=5).cell("Region Blekinge")
    assert [e.quote for e in cell.evidence] == ["Regionen ska utse en kontaktperson för GMC Syd."]


def test_another_bodys_voice_is_not_the_regions() -> None:
    docs = [
        _doc("kommun", "Umeå kommun", ("Region Västerbotten",),
             "Kommunen har ingen egen life science-strategi, utan samverkar med regionen."),
        _doc("press", "Dagens Medicin", ("Region Skåne",),
             "Enligt Genomic Medicine Sweden kommer analyserna att erbjudas i regionen under 2025. "
             "Region Skåne ska erbjuda analyserna inom Genomic Medicine Sweden."),
    ]  # fmt: skip
    assert not build_table(HandSearcher(docs), "life science-strategi").cell("Region Västerbotten").evidence
    skane = build_table(HandSearcher(docs), "Genomic Medicine Sweden", max_evidence=5).cell("Region Skåne")
    assert [e.quote[:12] for e in skane.evidence] == ["Region Skåne"]


def test_an_actors_news_about_a_region_and_its_survey_are_not_its_position() -> None:
    docs = [
        _doc("lif-news", "Lif", ("Västra Götalandsregionen",),
             "Planen slår fast att antalet kliniska prövningar ska öka med 30 procent till 2030. "
             "Lif föreslår att regionen inför ett mål för kliniska prövningar."),
        _doc("survey", "Vårdanalys", (),
             "Enligt vår enkät har 15 av 21 regioner en plan för kliniska prövningar. "
             "Vi ska följa upp kliniska prövningar i regionerna varje år."),
    ]  # fmt: skip
    table = build_table(HandSearcher(docs), "kliniska prövningar", max_evidence=5)
    assert [e.quote[:11] for e in table.cell("Lif").evidence] == ["Lif föreslå"]
    assert [e.quote[:6] for e in table.cell("Vårdanalys").evidence] == ["Vi ska"]
    assert any(e.quote.startswith("Planen") for e in table.cell("Västra Götalandsregionen").evidence)


def test_a_university_of_two_regions_beside_one_of_them_means_that_one() -> None:
    assert sentence_regions("Region Västernorrland får medel tillsammans med Mittuniversitetet.") == (
        "Region Västernorrland",
    )
    assert set(sentence_regions("Mittuniversitetet får medel.")) == {"Region Västernorrland",
                                                                      "Region Jämtland Härjedalen"}  # fmt: skip


def test_a_funder_named_only_as_the_publisher_names_its_funding() -> None:
    terms = topic_terms("finansiering från Vinnova")
    sentence = "Region Jönköpings län beviljades inte medel i denna omgång."
    assert not terms.match(sentence).matched
    by_publisher = terms.match(sentence, owner="Vinnova")
    assert by_publisher.matched and by_publisher.components == 2  # not the heading's help
    assert not terms.match("Regionen fick medel i omgången.", owner="Lif").matched
    assert not terms.match("Vinnova har en ny generaldirektör.", owner="Vinnova").matched  # no funding named


def test_the_error_listing_names_false_quotes_and_missed_rows() -> None:
    from regionplans.eval.tables import error_rows, score_table

    docs = [_doc("plan", "Region Dalarna", ("Region Dalarna",),
                 "Regionen ska införa helgenomsekvensering 2026. Regionen har helgenomsekvensering i en pilot.")]  # fmt: skip
    table = build_table(HandSearcher(docs), "helgenomsekvensering", max_evidence=1)
    gold = {
        "Region Dalarna": [{"doc": "plan", "text": "Regionen har helgenomsekvensering i en pilot.", "label": "status"}],
        "Region Gävleborg": [{"doc": "other", "text": "Gävleborg gör det.", "label": "status"}],
    }
    scored = score_table(table, gold)
    rows = error_rows({"topics": [{"topic": "helgenomsekvensering", **scored}]})
    assert [(r["row"], r["error"], r["doc"]) for r in rows] == [
        ("Region Dalarna", "false", "plan"), ("Region Gävleborg", "missed", "other"),
    ]
    assert rows[0]["text"].startswith("Regionen ska") and rows[1]["text"] == "Gävleborg gör det."

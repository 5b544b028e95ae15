"""Whose position a passage states, on sentences written for the tests: a region named
in passing, national lists of regions, joint and non-joint documents about several
regions, an agency describing a region, past decisions against deadlines."""

from __future__ import annotations

from builders import HandSearcher

from regionplans.compare.table import build_table
from regionplans.compare.terms import topic_terms
from regionplans.records import Document

NORR = ("Region Norrbotten", "Region Västerbotten", "Region Västernorrland", "Region Jämtland Härjedalen")


def _doc(key: str, publisher: str, regions: tuple[str, ...], text: str, date: str = "2024-05-01",
         title: str = "") -> Document:  # fmt: skip
    return Document(doc_id=key, file_path=f"{key}.txt", title=title or key, publisher=publisher, regions=regions,
                    doc_type="report", language="sv", date=date, text=text, file_hash=key)  # fmt: skip


DOCS = [
    _doc("dalarna", "Region Dalarna", ("Region Dalarna",),
         "Region Dalarna ska införa helgenomsekvensering för barn med sällsynta sjukdomar senast 2026. "
         "Regionen driver ett traineeprogram i helgenomsekvensering med Region Gävleborg."),
    _doc("gms", "Genomic Medicine Sweden", (),
         "Helgenomsekvensering görs vid universitetssjukhusen i Lund, Göteborg och Umeå. "
         "Vi samordnar arbetet med helgenomsekvensering i hela landet."),
    _doc("forum", "Norra sjukvårdsregionen", NORR,
         "De fyra regionerna finansierar gemensamt helgenomsekvensering vid barncancer sedan 2024. "
         "Region Västerbotten ska dessutom bygga ut kapaciteten för helgenomsekvensering vid NUS."),
    _doc("rcc", "Regionalt cancercentrum Mellansverige", ("Region Uppsala", "Region Dalarna", "Region Värmland"),
         "Region Uppsala erbjuder helgenomsekvensering vid akut leukemi sedan 2023. "
         "Helgenomsekvensering bör bli tillgänglig i alla regioner."),
    _doc("vardanalys", "Vårdanalys", (),
         "Region Kalmar län planerar att erbjuda helgenomsekvensering vid akut leukemi från 2026."),
    _doc("skane", "Region Skåne", ("Region Skåne",),
         "Under 2018 beslutade regionfullmäktige att införa helgenomsekvensering i rutinvården."),
]


def _table():  # type: ignore[no-untyped-def]
    return build_table(HandSearcher(DOCS), "helgenomsekvensering", max_evidence=5)


def test_a_region_named_in_passing_is_not_its_position() -> None:
    table = _table()
    gavle = table.cell("Region Gävleborg")
    assert not gavle.evidence
    dalarna = table.cell("Region Dalarna")
    assert dalarna.label == "commitment" and not dalarna.evidence[0].secondary


def test_a_national_list_of_places_is_secondary_evidence_for_each_region() -> None:
    table = _table()
    for region in ("Region Skåne", "Västra Götalandsregionen", "Region Västerbotten"):
        quotes = [e for e in table.cell(region).evidence if e.doc_id == "gms"]
        assert quotes and all(e.secondary and e.publisher == "Genomic Medicine Sweden" for e in quotes), region
    # The region's own document comes first.
    assert table.cell("Region Skåne").evidence[0].doc_id == "skane"
    gms = table.cell("Genomic Medicine Sweden")
    assert [e.quote for e in gms.evidence] == ["Vi samordnar arbetet med helgenomsekvensering i hela landet."]


def test_joint_and_other_documents_about_several_regions() -> None:
    table = _table()
    for region in NORR:  # the healthcare region's own text speaks for all four ...
        assert any(e.doc_id == "forum" and "gemensamt" in e.quote for e in table.cell(region).evidence), region
    # ... but a sentence naming one region speaks for it alone.
    assert any("bygga ut" in e.quote for e in table.cell("Region Västerbotten").evidence)
    assert not any("bygga ut" in e.quote for e in table.cell("Region Norrbotten").evidence)
    # A cancer centre's survey speaks for a region only where it names it.
    assert any(e.doc_id == "rcc" for e in table.cell("Region Uppsala").evidence)
    assert not any(e.doc_id == "rcc" for e in table.cell("Region Värmland").evidence)


def test_an_agency_describing_a_region_states_the_regions_position() -> None:
    table = _table()
    assert not table.cell("Vårdanalys").evidence
    kalmar = table.cell("Region Kalmar län")
    assert kalmar.label == "plan" and kalmar.evidence[0].secondary and kalmar.evidence[0].publisher == "Vårdanalys"


def test_a_past_decision_is_decided_in_not_a_deadline() -> None:
    table = _table()
    skane = table.cell("Region Skåne")
    assert skane.decided == ("2018",) and "2018" not in " ".join(skane.deadlines)
    assert "senast 2026" in table.cell("Region Dalarna").deadlines


def test_every_quote_is_an_exact_passage_naming_the_topic() -> None:
    table = _table()
    texts = {d.doc_id: d.text for d in DOCS}
    terms = topic_terms("helgenomsekvensering")
    quotes = [e for c in table.cells for e in c.evidence]
    assert quotes
    for ev in quotes:
        assert ev.quote in texts[ev.doc_id]
        assert terms.match(ev.quote).matched, ev.quote


MENTIONS = [
    _doc("dalarna-plan", "Region Dalarna", ("Region Dalarna", "Region Uppsala"),
         "Regionen ska under 2025 införa remiss till helgenomsekvensering vid GMC Uppsala för barn. "
         "Regionen har framfört önskemål om att erbjuda helgenomsekvensering vid akut leukemi."),
    _doc("joint", "Region Kronoberg", ("Region Kronoberg", "Region Blekinge"),
         "Regionerna rekommenderas att pröva helgenomsekvensering vid sällsynta sjukdomar.",
         title="Kartläggning av genomisk diagnostik i Kronoberg och Blekinge"),
    _doc("agency", "Vårdanalys", (),
         "Region Västerbotten vill erbjuda helgenomsekvensering för hela norra sjukvårdsregionen. "
         "I norra sjukvårdsregionen finansieras helgenomsekvensering vid barncancer gemensamt."),
]


def test_a_region_mentioned_in_another_regions_plan_or_the_agencys_sentence() -> None:
    table = build_table(HandSearcher(MENTIONS), "helgenomsekvensering", max_evidence=5)
    # Dalarna's plan is Dalarna's, also where it names GMC Uppsala; Uppsala's only
    # where a sentence names Uppsala as the actor, and "Regionen ..." does not.
    assert {e.doc_id for e in table.cell("Region Dalarna").evidence} == {"dalarna-plan"}
    assert not any("önskemål" in e.quote for e in table.cell("Region Uppsala").evidence)
    # A joint document (its title names both regions) speaks for both.
    for region in ("Region Kronoberg", "Region Blekinge"):
        assert any(e.doc_id == "joint" for e in table.cell(region).evidence), region
    # "Region Västerbotten ... för hela norra sjukvårdsregionen" is Västerbotten's alone;
    # the healthcare region named on its own stands for each member.
    assert any("vill erbjuda" in e.quote for e in table.cell("Region Västerbotten").evidence)
    norrbotten = table.cell("Region Norrbotten").evidence
    assert not any("vill erbjuda" in e.quote for e in norrbotten)
    assert any("gemensamt" in e.quote for e in norrbotten)


def test_an_agencys_own_rule_is_its_position_but_not_what_it_says_others_will_do() -> None:
    docs = [
        _doc("foreskrift", "Socialstyrelsen", (),
             "Vårdgivaren ska erbjuda helgenomsekvensering enligt nationella remisskriterier."),
        _doc("uppdrag", "Regeringen", (),
             "Socialstyrelsen ska ta fram kunskapsstöd om helgenomsekvensering i vården."),
    ]  # fmt: skip
    table = build_table(HandSearcher(docs), "helgenomsekvensering")
    sos = table.cell("Socialstyrelsen")
    assert sos.label == "commitment" and sos.evidence[0].doc_id == "foreskrift"
    assert not table.cell("Regeringen").evidence


def test_a_municipality_a_presentation_and_the_adjective_strategic_state_no_position() -> None:
    docs = [
        _doc("lund", "Lunds kommun", ("Region Skåne",),
             "Lunds kommun har ingen egen life science-strategi, men näringslivet i staden är starkt."),
        _doc("skane", "Region Skåne", ("Region Skåne",), "Region Skåne ska revidera sin life science-strategi under 2026."),
        _doc("bio", "SwedenBIO", (),
             "SwedenBIO är branschorganisationen för life science-företag i Sverige. "
             "SwedenBIO föreslår att regionerna tar fram en gemensam life science-strategi."),
        _doc("vgr", "Västra Götalandsregionen", ("Västra Götalandsregionen",),
             "The region hosts a strategic research site for life science companies in Gothenburg."),
    ]  # fmt: skip
    table = build_table(HandSearcher(docs), "life science-strategi", max_evidence=5)
    skane = table.cell("Region Skåne")
    assert [e.quote for e in skane.evidence] == ["Region Skåne ska revidera sin life science-strategi under 2026."]
    bio = table.cell("SwedenBIO")
    assert bio.label == "proposal" and not any("branschorganisationen" in e.quote for e in bio.evidence)
    assert not table.cell("Västra Götalandsregionen").evidence  # "strategic" names no strategy


def test_a_negation_is_a_cells_quote_only_when_the_row_says_nothing_else() -> None:
    docs = [
        _doc("blekinge", "Region Blekinge", ("Region Blekinge",),
             "Region Blekinge ska ta fram en handlingsplan utifrån den nationella life science-strategin senast 2026. "
             "Region Blekinge har ingen egen life science-strategi."),
        _doc("gotland", "Region Gotland", ("Region Gotland",), "Region Gotland har ingen egen life science-strategi."),
    ]  # fmt: skip
    table = build_table(HandSearcher(docs), "life science-strategi", max_evidence=5)
    blekinge = table.cell("Region Blekinge")
    assert blekinge.label == "commitment" and all(e.label != "none" for e in blekinge.evidence)
    gotland = table.cell("Region Gotland")
    assert gotland.label == "none" and "ingen" in gotland.triggers and len(gotland.evidence) == 1


def test_a_presentation_is_what_an_organisation_is_not_what_it_belongs_to() -> None:
    from regionplans.compare.attribution import describes_itself

    assert describes_itself("Vinnova är Sveriges innovationsmyndighet.")
    assert describes_itself("We are a non-profit association of life science companies.")
    # Membership and hosting are statuses of the row, not presentations.
    assert not describes_itself("Regionen är medlem i föreningen Swelife sedan 2022.")
    assert not describes_itself("Region Uppsala is part of the national network for clinical studies.")
    assert not describes_itself("Region Skåne är värd för nätverket.")


def test_a_swedish_aspect_reads_english_sentences_through_the_glossary() -> None:
    docs = [
        _doc("halland", "Region Halland", ("Region Halland",),
             "Region Halland has received funding from Vinnova for its precision medicine programme in 2025."),
        _doc("kalmar", "Region Kalmar län", ("Region Kalmar län",),
             "Region Kalmar län will open a precision medicine unit at the county hospital in 2026."),
    ]  # fmt: skip
    table = build_table(HandSearcher(docs), "precisionsmedicin", aspects=["finansiering (medel, kronor, budget)"])
    col = table.columns[0]
    assert table.cell("Region Halland", col).evidence  # "funding" is "finansiering"
    assert not table.cell("Region Kalmar län", col).evidence  # no money named

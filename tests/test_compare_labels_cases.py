"""The labels' hard cases, one class at a time, on sentences written for the tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from regionplans.compare.labels import label_text


def _check(sentence: str, label: str, trigger: str | None, lead: str | None = None) -> None:
    got = label_text(sentence, lead=lead)
    assert got.label == label, got
    assert (trigger in got.triggers) if trigger else got.triggers == (), got


@pytest.mark.parametrize(
    ("sentence", "label", "trigger"),
    [
        # A sentence that opens with its purpose states why, not who does what.
        ("Syftet med satsningen är att fler patienter ska få svar snabbare.", "none", "Syftet med satsningen är att"),
        ("Detta för att alla län ska få samma utbud.", "none", "Detta för att"),
        ("För att modellen ska kunna tränas behövs mer data från vården.", "none", "För att"),
        ("The purpose of the network is to share data between hospitals.", "none", "The purpose of the network is to"),
        # ... while a purpose clause after the main clause leaves it standing.
        ("Regionen ska anställa två genetiker för att korta väntetiderna.", "commitment", "ska"),
    ],
)
def test_purpose(sentence: str, label: str, trigger: str | None) -> None:
    _check(sentence, label, trigger)


@pytest.mark.parametrize(
    ("sentence", "trigger"),
    [
        ("Målet för satsningen är att fem kliniker ska använda verktyget.", "Målet för satsningen är att"),
        # A goal stays a goal when its clause is negated.
        ("Ambitionen är att inga prover ska behöva skickas utomlands.", "Ambitionen är"),
        ("Vår vision är att ingen patient ska vänta på ett svar.", "vision är"),
        ("Our long-term goal is that every clinic offers the test.", "Our long-term goal is that"),
        # A state to reach, not an act: "ska kunna", "ska år X vara ledande".
        ("Alla vårdcentraler ska kunna remittera direkt till genetiken.", "ska kunna"),
        ("Länet ska år 2035 vara ledande inom vårddata.", "ska år 2035 vara ledande"),
        ("We want genetic testing to become routine in primary care.", "want genetic testing to"),
    ],
)
def test_goals_and_visions(sentence: str, trigger: str) -> None:
    _check(sentence, "plan", trigger)


@pytest.mark.parametrize(
    ("sentence", "label", "trigger"),
    [
        # A quoted view without position wording states no fact.
        ("Vi ser en stor potential i tekniken, säger Lars Holm, överläkare.", "none", "säger Lars Holm, överläkare."),
        ('The results look promising," says Maria Ek, researcher at the clinic.', "none", None),
        ("Forskarna tror att metoden kan spridas till fler sjukhus.", "none", "tror att"),
        # A speaker's own commitment or demand keeps its label.
        ("Vi ska öppna mottagningen i mars, säger Eva Lind, verksamhetschef.", "commitment", "ska"),
        ("Förbundet vill se fler prövningar i norra Sverige.", "proposal", "vill se"),
    ],
)
def test_reported_views(sentence: str, label: str, trigger: str | None) -> None:
    got = label_text(sentence)
    assert got.label == label, got
    if trigger:
        assert trigger in got.triggers, got


@pytest.mark.parametrize(
    ("sentence", "trigger"),
    [
        ("Efterfrågan på gentester väntas fördubblas.", "väntas"),
        ("Med fler analyser kommer kostnaderna för länet att öka.", "kommer kostnaderna för länet att öka"),
        ("Skillnaderna mellan länen riskerar att växa.", "riskerar"),
        ("Regionen kan behöva anlita fler sköterskor.", "kan behöva"),
        ("The clinics expect demand for testing to double.", "expect demand for testing to"),
        ("Kostnaderna för analyserna kommer att stiga.", "kommer att stiga"),
        ("Costs for storage will rise sharply.", "will rise"),
        # "is expected to" of a phenomenon is a forecast, not a plan.
        ("Sequencing is expected to become routine care.", "is expected to become"),
    ],
)
def test_forecasts(sentence: str, trigger: str) -> None:
    _check(sentence, "none", trigger)


@pytest.mark.parametrize(
    ("sentence", "label", "trigger"),
    [
        # Relative clauses about a noun's future describe the noun.
        ("Länet har ett nätverk som ska stödja forskare.", "status", None),
        ("Kliniken hjälper företag som vill testa nya produkter.", "status", None),
        ("The hub helps researchers who want to start new trials.", "status", None),
        ("Kliniken har infört verktyget efter en studie där det inte missade några fall.", "status", "har infört"),
        ("Två regioner har byggt upp egna center, medan övriga saknar en sådan funktion.", "status", "har byggt upp"),
        # An opening indirect question is the subject of the main clause.
        ("Hur tjänsten ska finansieras behöver utredas.", "proposal", "behöver"),
        ("Regionen kommer att behöva fler bioinformatiker.", "proposal", "kommer att behöva"),
    ],
)
def test_subordinate_clauses(sentence: str, label: str, trigger: str | None) -> None:
    _check(sentence, label, trigger)


@pytest.mark.parametrize(
    ("sentence", "label", "trigger"),
    [
        # Present tense with a future time is scheduled.
        ("En ny handlingsplan tas fram under hösten.", "commitment", "tas fram"),
        ("Under 2027 inleds en pilot med fem kliniker.", "commitment", "Under 2027"),
        ("Planen revideras vartannat år.", "status", None),
        # Inverted word order with the subject between "kommer" and "att".
        ("Under våren kommer styrelsen att se över planen.", "commitment", "kommer styrelsen att se"),
        ("Nämnden beslutar att inrätta en enhet för hälsodata.", "commitment", "beslutar att"),
        ("The board decided in 2019 to fund the unit.", "commitment", "decided in 2019 to"),
        ("Styrelsen fattade ett nytt beslut om finansieringen.", "commitment", "fattade ett nytt beslut"),
        ("Beslutet innebär att kliniken betalar analyserna själv.", "commitment", "Beslutet innebär"),
        ("Varken regionen eller kommunen har en egen plan.", "none", "Varken"),
        ("None of the clinics uses the tool yet.", "none", "None of"),
    ],
)
def test_tense_decisions_and_negation(sentence: str, label: str, trigger: str | None) -> None:
    _check(sentence, label, trigger)


def test_list_items_read_with_their_lead_in() -> None:
    # A bare "att"-clause is a point of a proposed decision.
    _check("att godkänna avtalet med universitetet", "proposal", "att")
    # A fragment takes its lead-in's label; its own wording comes first.
    _check("utöka provtagningen vid länssjukhuset", "commitment", "ska", lead="Under 2027 ska kliniken:")
    _check("staten tar ansvar för kostnaden", "proposal", "föreslår", lead="Utredningen föreslår att:")
    _check("att godkänna avtalet", "commitment", "beslutade", lead="Styrelsen beslutade:")
    _check("regionen deltar i nätverket", "status", "deltar i", lead="Läget i länen:")
    assert label_text("utöka provtagningen vid länssjukhuset").label == "status"


def test_the_evaluation_finds_list_lead_ins(tmp_path: Path) -> None:
    from regionplans.eval.labels import list_leads

    (tmp_path / "corpus").mkdir()
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "plan.txt").write_text(
        "Inledning.\n\nUnder 2027 ska kliniken:\n\n- utöka provtagningen,\n- **Norr:** anställa två genetiker.\n\n"
        "Bakgrund utan kolon\n- en punkt utan inledning\n",
        encoding="utf-8",
    )
    leads = list_leads(tmp_path)
    assert leads == {"utöka provtagningen": "Under 2027 ska kliniken:", "anställa två genetiker": "Under 2027 ska kliniken:"}

"""Binding-ness labels, sentences, deadlines and amounts on Swedish sentences written for the tests."""

from __future__ import annotations

import pytest

from regionplans.compare import extract, labels


@pytest.mark.parametrize(
    ("sentence", "label", "trigger"),
    [
        ("Regionen ska inrätta ett centrum för precisionsmedicin.", "commitment", "ska"),
        ("Vi kommer att bygga en biobank i Umeå.", "commitment", "kommer att"),
        ("Regionstyrelsen har beslutat att finansiera satsningen.", "commitment", "har beslutat"),
        ("Nämnden beslutade i maj om en ny handlingsplan.", "commitment", "beslutade"),
        (
            "Därför kommer regionen delta i det nationella arbetet.",
            "commitment",
            "kommer regionen delta",
        ),
        ("Regionen avser att utöka sekvenseringen.", "plan", "avser"),
        ("Vi planerar en pilotstudie med AI i patologin.", "plan", "planerar"),
        ("Regionen siktar på att alla patienter erbjuds genomisk diagnostik.", "plan", "siktar på"),
        ("Utredningen föreslår en nationell samordning.", "proposal", "föreslår"),
        ("Staten bör ta ett större ansvar för finansieringen.", "proposal", "bör"),
        ("Vården behöver fler bioinformatiker.", "proposal", "behöver"),
        ("Regionen ingår i nätverket för precisionsmedicin.", "status", "ingår i"),
        (
            "Universitetssjukhuset har etablerat ett molekylärt tumörboard.",
            "status",
            "har etablerat",
        ),
        ("Det finns en regional biobank sedan länge.", "status", "finns"),
        ("Precisionsmedicin är ett växande område.", "none", None),
    ],
)
def test_labels(sentence: str, label: str, trigger: str | None) -> None:
    got = labels.label_text(sentence)
    assert got.label == label
    assert (trigger in got.triggers) if trigger else got.triggers == ()


def test_most_binding_wording_wins_and_words_are_whole() -> None:
    got = labels.label_text("Det finns ett behov och regionen ska därför anställa fler.")
    assert got.label == "commitment" and got.triggers == ("ska",)
    # "skapa", "börja" and "kommer från" are no triggers ("vill" is an intention: a plan).
    plain = labels.label_text("Vi får skapa och börja; idén kommer från kliniken.")
    assert plain.label != "commitment" and plain.triggers == ()
    assert labels.label_text("Vi vill skapa ett centrum; idén kommer från kliniken.").label == "plan"


def test_an_event_report_commits_no_one() -> None:
    # A plain fact with no wording of position: at most a status, never a commitment.
    got = labels.label_text("Cirka 50 deltagare var med på mötet om GMS.")
    assert got.label in ("status", "none") and got.triggers == ()


@pytest.mark.parametrize(
    ("sentence", "label", "trigger"),
    [
        ("Precisionsmedicin kommer att växa kraftigt de närmaste åren.", "none", "kommer att växa"),
        # A negation inside a relative clause describes its noun; the main clause stands.
        ("Biobanken behöver en finansiering som inte är beroende av projektmedel.", "proposal", "behöver"),
        ("Regionen ska inte använda AI-verktyg som inte är CE-märkta.", "none", "inte"),
        ("Hur ska man prioritera mellan olika patientgrupper?", "none", "?"),
        # The purpose clause's "ska" commits no one; the sentence states what is done.
        ("Regionen investerar i AI för att patienterna ska få snabbare diagnos.", "status", None),
        ("Målet är att alla barn ska erbjudas helgenomsekvensering 2026.", "plan", "Målet är"),
        ("Regionen har som ambition att bli ledande inom life science.", "plan", "har som ambition"),
        ("Det finns tankar att etablera ett samordnande centrum i regionen.", "plan", "Det finns tankar"),
        ("Under 2018 beslutade Regionfullmäktige att ta fram en ny strategi.", "commitment", "beslutade"),
        ("A precision medicine centre will be established in Lund by 2025.", "commitment", "will"),
        ("The aim is to offer whole-genome sequencing to all children.", "plan", "The aim is"),
        ("The region plans to open a clinical trial unit.", "plan", "plans to"),
        ("Sweden should invest more in health data.", "proposal", "should"),
        ("Region Skåne is part of Genomic Medicine Sweden.", "status", "is part of"),
        ("Regionen ska inte bygga ett eget genomikcentrum.", "none", "inte"),
        ("Region Dalarna är inte part i GMS, men deltar i arbetet via GMC Uppsala.", "status", "deltar i"),
        ("Mål 2: Antalet kliniska prövningar ska öka med 30 procent till 2028.", "plan", "Mål 2:"),
        ("Region Gävleborg har antagit en handlingsplan för life science.", "status", "har antagit"),
        ("Det finns ingen life science-strategi i regionen.", "none", "ingen"),
        ("The region does not plan a centre of its own.", "none", "not"),
        ("Professor Anna Berg menar att regionerna borde samarbeta mer.", "none", "menar att"),
        ("Vi hoppas att fler regioner ansluter sig.", "none", "hoppas"),
        ("Lif föreslår att GMS ska ges långsiktiga förutsättningar.", "proposal", "föreslår"),
    ],
)
def test_hard_cases(sentence: str, label: str, trigger: str | None) -> None:
    got = labels.label_text(sentence)
    assert got.label == label, got
    assert (trigger in got.triggers) if trigger else got.triggers == ()


def test_sentences_keep_abbreviations_and_parentheses() -> None:
    text = "Vi deltar i nätverk (exv. Genomic\nMedicine Sweden). Se t.ex. Bilaga 2.\n\n• En punkt"
    parts = [text[s:e] for s, e in labels.sentence_spans(text)]
    assert parts == [
        "Vi deltar i nätverk (exv. Genomic\nMedicine Sweden).",
        "Se t.ex. Bilaga 2.",
        "En punkt",
    ]


def test_quotes_and_documents_share_one_splitter() -> None:
    from regionplans.ingest.sentences import ABBREVIATIONS, split_sentences

    # One abbreviation list: every one the quotes honour, the documents honour too.
    assert {"exv.", "ex.", "t.ex.", "bl.a.", "s.k.", "e.g.", "vs."} <= ABBREVIATIONS
    text = "Vi vill forska i. Men enl. ex. K. Berg och kap. 2 räcker det. ”Ett citat.” Mål 2: Regionen ska leda. Det kostar 50 mnkr. Övrigt pågår."
    quotes = [text[s:e] for s, e in labels.sentence_spans(text)]
    assert quotes == ["Vi vill forska i.", "Men enl. ex. K. Berg och kap. 2 räcker det.", "”Ett citat.”", "Mål 2:", "Regionen ska leda.",
                      "Det kostar 50 mnkr.", "Övrigt pågår."]  # fmt: skip
    # A document's lines are sentences; its sentences are cut where a quote's are.
    assert [s for s, _, _ in split_sentences(text)][:3] == quotes[:3]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Målet ska nås till 2025.", ("till 2025",)),
        ("Under 2023 startar arbetet.", ("Under 2023",)),
        ("Strategin gäller 2021–2030.", ("2021–2030",)),
        ("Fram till år 2025 byggs kapaciteten ut.", ("Fram till år 2025",)),
        ("Senast 2024 ska alla ha tillgång.", ("Senast 2024",)),
        ("Inga årtal här, bara 300 patienter.", ()),
    ],
)
def test_deadlines(text: str, expected: tuple[str, ...]) -> None:
    assert extract.deadlines(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Regionen satsar tio miljoner kronor per år på centret.", ("tio miljoner kronor per år",)),
        ("Totalt avsätts 50 mnkr.", ("50 mnkr",)),
        ("Budgeten är 2,5 miljarder kronor.", ("2,5 miljarder kronor",)),
        ("Bidraget är 1 500 000 kr.", ("1 500 000 kr",)),
        ("Vi har tio medarbetare och 50 prover.", ()),
    ],
)
def test_amounts(text: str, expected: tuple[str, ...]) -> None:
    assert extract.amounts(text) == expected


def test_negated_future_is_no_commitment() -> None:
    assert (
        labels.label_text("Utan samordning kommer vi inte att kunna införa metoderna.").label
        == "none"
    )
    assert extract.deadlines("Senast uppdaterad: den 4 juni 2021") == ()

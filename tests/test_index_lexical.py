"""Swedish lexical analysis: compounds, adjective bases, acronyms, matched-term marking."""

from __future__ import annotations

from regionplans.index.lexical import Analyzer, build_vocabulary, mark_terms, words

VOCAB = build_vocabulary(
    [
        "Precisionsmedicin och medicin. Precisionsmedicinska metoder och medicinsk forskning.",
        "Kompetensförsörjning kräver försörjning av kompetens. Hälsa och precisionshälsa.",
    ]
)


def ids(analyzer: Analyzer, text: str) -> set[int]:
    return set(analyzer.embed_query(text)[0])


def doc_ids(analyzer: Analyzer, text: str, acronyms=()) -> set[int]:  # type: ignore[no-untyped-def]
    return set(analyzer.embed_document(text, acronyms)[0])


def test_words_and_vocabulary() -> None:
    assert words("Hälso- och sjukvård, AI-stöd 2025!") == [
        "Hälso",
        "och",
        "sjukvård",
        "AI-stöd",
        "2025",
    ]
    assert "precisionsmedicin" in VOCAB and "och" in VOCAB and "2025" not in VOCAB


def test_compound_and_adjective_forms_meet() -> None:
    a = Analyzer(VOCAB)
    assert "medicin" in a.expand_text("precisionsmedicinska")
    assert "precisionsmedicin" in a.expand_text("precisionsmedicinska")
    assert "medicin" in a.expand_text("medicinsk")
    assert {"försörjning", "kompetens"} <= set(a.expand_text("kompetensförsörjning").split())
    # "medicin" reaches both the compound adjective and the plain adjective.
    assert ids(a, "medicin") <= doc_ids(a, "De precisionsmedicinska metoderna")
    assert ids(a, "medicin") <= doc_ids(a, "medicinsk forskning")
    assert ids(a, "precisionsmedicin") & doc_ids(a, "precisionsmedicinska satsningar")
    # Without the vocabulary there is nothing to split against.
    assert Analyzer(frozenset()).expand_text("kompetensförsörjning") == ""


def test_stop_words_carry_no_weight() -> None:
    a = Analyzer(VOCAB)
    assert ids(a, "och att det som") == set()
    assert ids(a, "och precisionsmedicin") == ids(a, "precisionsmedicin")


def test_acronyms_expand_both_ways() -> None:
    a = Analyzer(VOCAB)
    gms = doc_ids(a, "Vi deltar i GMS sedan starten.")
    assert ids(a, "Genomic Medicine Sweden") & gms
    assert ids(a, "GMS") <= doc_ids(a, "Vi ingår i Genomic medicine Sweden.")
    # A document's own definition expands that document only.
    own = (("KPH", "kompetenscentrum för precisionshälsa"),)
    assert ids(a, "precisionshälsa") <= doc_ids(a, "KPH startar i höst.", own)
    assert not ids(a, "precisionshälsa") & doc_ids(a, "KPH startar i höst.")


def test_matched_terms_are_stem_and_compound_aware() -> None:
    a = Analyzer(VOCAB)
    q = a.embed_query("medicin bioinformatiker")[0]
    text = "Precisionsmedicinska metoder, medicinsk data och Bioinformatikerna i vården."
    matched = a.matched_terms(text, q)
    assert set(matched) == {"Precisionsmedicinska", "medicinsk", "Bioinformatikerna"}
    assert a.matched_terms(text, []) == ()
    assert mark_terms("GMS och GMSX", ["GMS"]) == "**GMS** och GMSX"


def test_glossary_expansion_crosses_languages() -> None:
    from regionplans.index.lexical import glossary_expansion

    assert "helgenomsekvensering" in glossary_expansion("Which regions offer whole-genome sequencing?")
    assert "clinical trials" in glossary_expansion("kliniska prövningar i Umeå")
    assert "artificiell intelligens" in glossary_expansion("AI in diagnostics")
    assert glossary_expansion("air quality in cities") == ""
    assert "artificiell" not in glossary_expansion("Vi mailar kallelsen")  # "AI" as written, never inside a word


def test_fusion_weighs_chunks_by_language_and_term_coverage() -> None:
    from regionplans.index.fusion import fuse, language_weights, query_language

    assert query_language("Which regions take part in the national network?") == "en"
    assert query_language("Vilka regioner deltar i nätverket?") == "sv"
    assert query_language("GMS") is None
    languages = {"part": "sv", "all": "sv", "en": "en"}
    terms = {"part": frozenset({1, 9}), "all": frozenset({1, 2, 3, 4}), "en": frozenset({1})}
    dense_w, lexical_w = language_weights("sv", languages, frozenset({1, 2, 3, 4}), terms)
    # The lexical term counts the share of the question's terms squared; a chunk in the
    # other language gets none, and its dense term counts 1.5 instead.
    assert lexical_w == {"part": 1 / 16, "all": 1.0, "en": 0.0}
    assert dense_w == {"en": 1.5}
    # A question of unknown language: nothing is foreign.
    assert language_weights(None, languages, frozenset({1}), terms)[0] == {}
    # The lexical leader sharing one word of four no longer outranks the dense leader.
    assert fuse({"a": 1, "part": 10}, {"part": 1})[0].id == "part"
    assert fuse({"a": 1, "part": 10}, {"part": 1}, lexical_weights=lexical_w)[0].id == "a"
    # The dense leader in the other language keeps its place against a half match.
    half = {"sv": 0.25}
    assert fuse({"en": 1, "sv": 2}, {"sv": 1}, lexical_weights=half)[0].id == "sv"
    assert fuse({"en": 1, "sv": 2}, {"sv": 1}, dense_weights=dense_w, lexical_weights=half)[0].id == "en"




def test_english_small_words_are_no_query_terms() -> None:
    a = Analyzer(VOCAB)
    assert ids(a, "Which of the regions does it") == ids(a, "regions")
    assert ids(a, "IT") != set()  # an acronym in capitals stays


def test_question_words_reach_chunks_in_the_other_language() -> None:
    from regionplans.index.fusion import language_weights, word_coverage

    a = Analyzer(VOCAB)
    sv_chunk = doc_ids(a, "Helgenomsekvenseringen av barn med misstänkt sällsynt sjukdom startade i Umeå.")
    en_chunk = doc_ids(a, "Clinical trials in Umeå grew by a third last year.")
    # Each content word stands also for its glossary terms in the other language.
    english = a.word_terms("Who offers whole-genome sequencing in Umeå?")
    assert len(english) == 4  # offers, whole-genome, sequencing, Umeå
    assert word_coverage(english, sv_chunk) == 0.75  # all but "offers"
    swedish = a.word_terms("kliniska prövningar i Umeå")
    assert word_coverage(swedish, en_chunk) == 1.0
    assert word_coverage(swedish, sv_chunk) == 1 / 3  # only Umeå
    # Generic words are translated too (only the query text leaves them unexpanded).
    assert word_coverage(a.word_terms("life science strategy"), doc_ids(a, "Regionens life science-strategi")) == 1.0
    # In the fusion, a chunk in the other language is weighed by that coverage, squared.
    languages = {"sv": "sv", "en": "en"}
    terms = {"sv": sv_chunk, "en": en_chunk}
    query = frozenset(a.embed_query("kliniska prövningar i Umeå")[0])
    _, lexical_w = language_weights("sv", languages, query, terms, swedish)
    assert lexical_w["en"] == 1.0
    assert language_weights("sv", languages, query, terms)[1]["en"] == 0.0  # no words: none


def test_translations_reach_the_other_language_lexically() -> None:
    from regionplans.glossary import groups, translations

    a = Analyzer(VOCAB)
    # An English question's BM25 query asks for the Swedish words and the other way round.
    assert ids(a, "hjärtsvikt") <= set(a.embed_query("AI that detects heart failure", glossary=True)[0])
    assert ids(a, "heart failure") <= set(a.embed_query("AI som upptäcker hjärtsvikt", glossary=True)[0])
    assert not ids(a, "hjärtsvikt") & set(a.embed_query("AI that detects heart failure")[0])
    sv_chunk = doc_ids(a, "Helgenomsekvensering av bakterier vid klinisk mikrobiologi.")
    english = a.word_terms("whole-genome sequencing of bacteria in clinical microbiology")
    from regionplans.index.fusion import word_coverage

    assert word_coverage(english, sv_chunk) == 1.0
    # The search's translations are not the comparison table's components.
    assert not set(translations()) & set(groups())

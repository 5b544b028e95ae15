"""The ingest pipeline on the real seed documents (corpus/): sections, cleaning, metadata."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from regionplans.ingest.pipeline import ingest_directory
from regionplans.ingest.store import IngestStore
from regionplans.records import Document

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
PLAN = "region-stockholm-handlingsplan-precisionsmedicin"
OREBRO = "region-orebro-2021-05-19-precisionshalsa-centrum"
OSTERGOTLAND = "region-ostergotland-kompetenscentrum-precisionshalsa"
LIF_NEWS = "lif-2023-03-14-region-stockholm-handlingsplan-precisionsmedicin"
LIF_PAGE = "lif-2022-02-22-prioriteringar-precisionsmedicin"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> IngestStore:
    base = tmp_path_factory.mktemp("ingest-seeds")
    shutil.copytree(CORPUS, base / "corpus")
    report = ingest_directory(base / "corpus", base / "store")
    assert report.ingested == 5 and report.failed == 0, report.to_dict()
    return IngestStore(base / "store")


@pytest.fixture(scope="module")
def undocumented(tmp_path_factory: pytest.TempPathFactory) -> IngestStore:
    """The seeds ingested without any manifest: everything detected."""
    base = tmp_path_factory.mktemp("ingest-seeds-detected")
    corpus = base / "corpus"
    corpus.mkdir()
    for path in CORPUS.glob("*.txt"):
        shutil.copy(path, corpus / path.name)
    ingest_directory(corpus, base / "store")
    return IngestStore(base / "store")


def by_name(store: IngestStore, name: str) -> Document:
    return next(d for d in store.documents() if d.name == name)


def test_stockholm_plan_has_six_goals_with_delmal_and_atgarder(store: IngestStore) -> None:
    doc = by_name(store, PLAN)
    paths = {s.heading_path for s in store.sections(doc.doc_id)}
    root = "Handlingsplan Precisionsmedicin"
    for goal in range(1, 7):
        assert (root, f"MÅL {goal}") in paths
        assert (root, f"MÅL {goal}", "Delmål") in paths
        assert (root, f"MÅL {goal}", "Åtgärder") in paths
    assert (root, "Inledning") in paths
    assert (root, "Bakgrund och utmaningar") in paths
    # No goal invented beyond the six.
    assert not any(len(p) > 1 and p[1] == "MÅL 7" for p in paths)


def test_stockholm_plan_section_text_belongs_to_its_heading(store: IngestStore) -> None:
    doc = by_name(store, PLAN)
    sections = {s.heading_path: s for s in store.sections(doc.doc_id)}
    measures = sections[("Handlingsplan Precisionsmedicin", "MÅL 5", "Åtgärder")]
    assert "masterprogram för bioinformatiker" in measures.text
    subgoals = sections[("Handlingsplan Precisionsmedicin", "MÅL 3", "Delmål")]
    assert subgoals.text.startswith("• IT- och datamiljö")
    for section in sections.values():
        assert doc.text[section.start : section.end] == section.text
        assert section.page_number == 1


def test_chunks_are_clean_bounded_and_located(store: IngestStore) -> None:
    seen_ids = set()
    for doc, chunk in store.iter_chunks():
        assert doc.text[chunk.split_idx_start : chunk.split_idx_end] == chunk.text
        assert len(chunk.text.split()) <= 200
        assert "utma- ning" not in chunk.text and "utma-\nning" not in chunk.text
        assert "webbläsare" not in chunk.text
        assert "Hade du nytta" not in chunk.text
        assert "\ufffd" not in chunk.text
        assert chunk.chunk_id not in seen_ids
        seen_ids.add(chunk.chunk_id)
        assert chunk.heading_path and chunk.page_number >= 1


def test_stockholm_plan_cleaning(store: IngestStore) -> None:
    text = by_name(store, PLAN).text
    assert "utmaning" in text and "utma-" not in text
    assert "samverkansarena" in text and "sam verkansarena" not in text
    assert "precisionsmedicin" in text and "precisions-\nmedicin" not in text
    # Real Swedish hyphens survive.
    assert "hälso- och sjukvården" in text
    assert "Forsknings-, utbildnings- och utvecklingsstrategi" in text
    assert "IT- och datamiljö" in text
    # The pull quotes are kept once.
    assert text.count("Strategin har högt ställda ambitioner") == 1
    assert text.count("ställer stora krav på nya arbetssätt") == 1
    # Bullets and list numbers normalised; no tabs or doubled spaces.
    assert "\t" not in text and "  " not in text
    assert "• Sömlöst utnyttjande av infrastruktur, expertis och andra resurser mellan akademi och sjukvård" in text
    assert "1. Världsledande tillgång till strukturerade hälsodata och vårdprocessdata" in text


def test_web_chrome_removed(store: IngestStore) -> None:
    orebro = by_name(store, OREBRO).text
    assert "Hade du nytta" not in orebro and "Du är på" not in orebro
    assert not re.search(r"^Sök$", orebro, re.MULTILINE)
    assert orebro.count("Gisela Helenius och Anneli Eriksson.") == 1
    ostergotland = by_name(store, OSTERGOTLAND).text
    assert "Organisationsnummer" not in ostergotland and "581 91" not in ostergotland
    assert "ALF-avtalet är det nationella avtalet" in ostergotland
    lif = by_name(store, LIF_NEWS).text
    assert "webbläsare" not in lif and "Foto på kontaktpersonen" not in lif
    assert lif.startswith("Region Stockholm presenterar handlingsplan för precisionsmedicin")


def test_seed_metadata_from_manifest(store: IngestStore) -> None:
    orebro = by_name(store, OREBRO)
    assert orebro.date == "2021-05-19" and orebro.regions == ("Region Örebro län",)
    assert by_name(store, OSTERGOTLAND).regions == ("Region Östergötland",)
    news = by_name(store, LIF_NEWS)
    assert news.publisher == "Lif" and news.regions == ("Region Stockholm",)
    assert by_name(store, LIF_PAGE).regions == ()
    assert all(d.metadata_source == "manifest" and d.language == "sv" for d in store.documents())


def test_pm_acronym_recorded(store: IngestStore) -> None:
    acronyms = dict(by_name(store, PLAN).acronyms)
    assert acronyms["PM"] == "precisionsmedicin"
    assert acronyms["KI"] == "Karolinska Institutet"
    assert dict(by_name(store, OREBRO).acronyms)["GMS"] == "Genomic medicine Sweden"


def test_metadata_detected_without_manifest(undocumented: IngestStore) -> None:
    orebro = by_name(undocumented, OREBRO)
    assert orebro.metadata_source == "detected"
    assert orebro.date == "2021-05-19"
    assert orebro.regions == ("Region Örebro län",)
    assert orebro.publisher == "Region Örebro län"
    assert orebro.title == "Resurser kring precisionshälsa ska samordnas"
    assert orebro.doc_type == "news" and orebro.language == "sv"
    assert any("no manifest row" in note for note in orebro.notes)
    ostergotland = by_name(undocumented, OSTERGOTLAND)
    assert ostergotland.regions == ("Region Östergötland",)
    assert ostergotland.publisher == "Region Östergötland"
    assert by_name(undocumented, LIF_NEWS).date == "2023-03-14"
    assert by_name(undocumented, LIF_PAGE).date == "2022-02-22"
    plan = by_name(undocumented, PLAN)
    assert plan.title == "Handlingsplan Precisionsmedicin"
    assert plan.doc_type == "action plan"
    assert "Region Stockholm" in plan.regions
    assert dict(plan.acronyms)["PM"] == "precisionsmedicin"
    # Boilerplate shared by Lif's two pages is removed even without the manifest.
    assert "webbläsare" not in by_name(undocumented, LIF_PAGE).text

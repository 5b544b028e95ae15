"""Document furniture out: tables of contents, page counters, running headers, footnote
markers, photo credits; a cover kept as the title. Generated PDFs and exact line cases."""

from __future__ import annotations

from pathlib import Path

import pytest
from builders import make_pdf

from regionplans.eval.devfiles import parse, render_pdf
from regionplans.ingest.furniture import (
    is_cover,
    is_page_counter,
    page_ranges,
    strip_footnote_marks,
    toc_lines,
)
from regionplans.ingest.pipeline import ingest_directory
from regionplans.ingest.store import FileReport, IngestStore
from regionplans.records import Document

BODY = """
== Inledning
Region Testlän ska bygga upp kompetens inom genomik och hälsodata. Arbetet sker i samverkan med akademin och näringslivet. Regionen genomför en risk- och sårbarhetsanalys2 varje år.
Foto: Anna Berg/Mostphotos
== Mål och åtgärder
=== Delmål
- Ett regionalt centrum för precisionsmedicin är etablerat.
- Alla patienter med cancer erbjuds helgenomsekvensering.
=== Åtgärder
Regionen inrättar ett centrum för precisionsmedicin tillsammans med universitetet under 2025.
[pagebreak]
== Uppföljning
Planen följs upp årligen av regionstyrelsen. Nästa revidering sker 2026.
"""


def word_pdf(path: Path, *, footer: str, header: str = "Region Testlän | Handlingsplan precisionsmedicin") -> Path:
    source = (f"---\nout: {path.name}\nmeta_title: Microsoft Word - HP v3.docx\nheader: {header}\n"
              f"footer: {footer}\n---\n= Handlingsplan för precisionsmedicin 2024–2027\nRegion Testlän\n"
              f"[pagebreak]\n[toc]\n[pagebreak]\n{BODY}")  # fmt: skip
    render_pdf(parse(source), path)
    return path


def ingest_one(corpus: Path, store: Path) -> tuple[FileReport, Document, IngestStore]:
    report = ingest_directory(corpus, store)
    (entry,) = report.files
    assert entry.status == "ingested", entry.reason
    ingested = IngestStore(store)
    (doc,) = ingested.documents()
    return entry, doc, ingested


@pytest.mark.parametrize("footer", ["Sida {n} av {N}", "{n} ({N})", "– {n} –"])
def test_word_pdf_furniture_out(tmp_path: Path, footer: str) -> None:
    word_pdf(tmp_path / "corpus" / "handlingsplan.pdf", footer=footer)
    entry, doc, store = ingest_one(tmp_path / "corpus", tmp_path / "store")
    chunks = [c.text for c in store.chunks(doc.doc_id)]
    # The table of contents (page 2) and its dot leaders are gone, and the report says so.
    assert "table of contents dropped: page 2" in entry.reason
    assert not any("...." in c or "Innehåll" in c for c in chunks)
    # Page counters and the running header are gone from every page.
    for counter in ("Sida 2 av", "(4)", "– 3 –", "Handlingsplan precisionsmedicin"):
        assert not any(counter in c for c in chunks), counter
    assert "running headers, footers and page counters dropped" in entry.reason
    # The cover gives the title and nothing else; the junk metadata title is ignored.
    assert "cover page kept as the title only" in entry.reason
    assert doc.title == "Handlingsplan för precisionsmedicin 2024–2027"
    assert doc.text.split("\f")[0] == doc.title
    # A footnote marker glued to its word, and a photo credit.
    assert "risk- och sårbarhetsanalys varje år" in doc.text
    assert "Foto:" not in doc.text and "Mostphotos" not in doc.text
    paths = {s.heading_path for s in store.sections(doc.doc_id)}
    assert (doc.title, "Mål och åtgärder", "Delmål") in paths
    assert (doc.title, "Uppföljning") in paths


def test_toc_without_leaders(tmp_path: Path) -> None:
    make_pdf(tmp_path / "corpus" / "strategi.pdf", [
        ["# Strategi för life science", "Regionstyrelsen antog strategin den 3 maj 2023 efter en bred dialog.",
         "Strategin gäller till och med 2030 och följs upp vartannat år."],
        ["# Innehåll", "Inledning 3", "Bakgrund och nuläge 3", "1.1 Syfte 4", "1.2 Mål för 2030 4", "Uppföljning 5"],
        ["# Inledning", "Life science är en viktig del av regionens näringsliv och hälso- och sjukvård.",
         "# Bakgrund och nuläge", "Regionen har i dag tre kliniska prövningsenheter."],
        ["# Syfte", "Syftet är att fler kliniska studier ska genomföras i regionen."],
        ["# Uppföljning", "Strategin följs upp av regionstyrelsen."],
    ])  # fmt: skip
    entry, doc, store = ingest_one(tmp_path / "corpus", tmp_path / "store")
    assert "table of contents dropped: page 2" in entry.reason
    assert "Bakgrund och nuläge 3" not in doc.text and "1.2 Mål för 2030" not in doc.text
    assert doc.text.split("\f")[1] == ""
    assert "Regionen har i dag tre kliniska prövningsenheter." in doc.text


def test_toc_lines() -> None:
    page = ["Innehåll", "", "Inledning ........................ 3", "Regionens arbete med precisionsmedicin och",
            "life science .................... 12", "Bilagor . . . . . . . . . . . . 14", "", "Sida 2 av 20"]  # fmt: skip
    assert toc_lines(page) == {0, 2, 3, 4, 5}
    prose = ["Regionen satsar 2024 på 3", "nya centrum och 12 tjänster."]
    assert toc_lines(prose, 20) == set()
    entries = ["Inledning 3", "Bakgrund 4", "Mål 7", "Uppföljning 12"]
    assert toc_lines(entries, 20) == {0, 1, 2, 3}
    # Without leaders, only in documents of several pages, and only numbers of their pages:
    assert toc_lines(entries, 1) == set()
    assert toc_lines(["Region Gotland 12", "Region Uppsala 15", "Region Skåne 40", "Region Kalmar 95"], 20) == set()
    # numbers that go down are no table of contents either.
    assert toc_lines(["Mål 9", "Delmål 5", "Uppföljning 4", "Budget 3"], 20) == set()


@pytest.mark.parametrize(
    ("line", "at_edge", "counter"),
    [
        ("Sida 3 av 14", False, True),
        ("Page 3 of 14", False, True),
        ("20 (59)", True, True),
        ("– 3 –", True, True),
        ("s. 12", True, True),
        ("20 (59)", False, False),  # in the body, "20 (59)" may be a table's figures
        ("MÅL 3", True, False),
        ("2024-2027", True, False),
    ],
)
def test_page_counters(line: str, at_edge: bool, counter: bool) -> None:
    assert is_page_counter(line, at_edge=at_edge) is counter


@pytest.mark.parametrize(
    ("line", "stripped"),
    [
        ("en risk- och sårbarhetsanalys2 varje år", "en risk- och sårbarhetsanalys varje år"),
        ("enligt hälso- och sjukvårdslagen.3 Regionen", "enligt hälso- och sjukvårdslagen. Regionen"),
        ("enligt analysen¹² från 2020", "enligt analysen från 2020"),
        ("covid19 och Agenda2030", "covid19 och Agenda2030"),
        ("BRCA1 och MLH1", "BRCA1 och MLH1"),
        ("avsnitt 3.2 Syfte", "avsnitt 3.2 Syfte"),
        ("en yta på 12 m²", "en yta på 12 m²"),
    ],
)
def test_footnote_marks(line: str, stripped: str) -> None:
    assert strip_footnote_marks(line) == stripped


def test_cover_and_page_ranges() -> None:
    cover = ["Handlingsplan för", "precisionsmedicin", "2024–2027", "", "Region Testlän", "Foto: Anna Berg"]
    assert is_cover(cover, page_count=12)
    assert not is_cover(cover, page_count=1)
    assert not is_cover(["Handlingsplan", "Regionen antog planen den 12 mars 2024 efter remiss."], page_count=5)
    assert page_ranges([2, 3, 5, 7, 8, 9]) == "2-3, 5, 7-9"

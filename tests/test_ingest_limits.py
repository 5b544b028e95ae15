"""Readers and cleaning in time linear in their input, and zip packages checked before parsing.

Each case is bounded (at most a few MB) and finishes in seconds; the timeouts are generous
(each was minutes, or never finished, when the work grew with the square of the input).
"""

from __future__ import annotations

import random
import zipfile
from pathlib import Path

import pytest

from regionplans.ingest.clean import Block, clean_pages
from regionplans.ingest.pipeline import ingest_directory
from regionplans.ingest.quotes import pull_quotes
from regionplans.ingest.sentences import split_sentences
from regionplans.ingest.store import IngestStore

VOCABULARY = "regionen ska bygga upp kompetens inom genomik och hälsodata samverkan akademin vården"
WORDS = VOCABULARY.split()


@pytest.mark.timeout(120)
def test_unpunctuated_text_lines_are_joined_in_linear_time(tmp_path: Path) -> None:
    """400 KB of lines without a full stop: one growing paragraph (over 300 s before)."""
    rng = random.Random(1)
    lines = [" ".join(rng.choice(WORDS) for _ in range(8)) for _ in range(8000)]
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "rader.txt").write_text("\n".join(lines), encoding="utf-8")
    report = ingest_directory(corpus, tmp_path / "store")
    assert report.ingested == 1, report.to_dict()
    (doc,) = IngestStore(tmp_path / "store").documents()
    assert len(doc.text) >= sum(len(line) + 1 for line in lines) - 10


@pytest.mark.timeout(120)
def test_pull_quotes_in_linear_time() -> None:
    """20,000 paragraphs, each compared with every other before."""
    rng = random.Random(2)
    paragraphs = [" ".join(rng.choice(WORDS) for _ in range(25)).capitalize() + "." for _ in range(20_000)]
    quote = paragraphs[100].split(" ", 3)[-1]  # a pull quote: part of a paragraph, repeated
    blocks = [Block("para", p, 1) for p in paragraphs] + [Block("para", quote.capitalize(), 1)]
    assert pull_quotes(blocks) == {len(blocks) - 1}
    assert len(clean_pages(["\n\n".join(paragraphs[:4000])])) == 4000


@pytest.mark.timeout(60)
def test_sentences_of_one_long_line() -> None:
    """A 1 MB line full of abbreviations (each looked back to the line's start before)."""
    line = "Regionen ska t.ex. bygga, bl.a. med stöd av m.fl. aktörer " * 17_000
    spans = split_sentences(line)
    assert len(spans) == 1 and spans[0][2] - spans[0][1] == len(line.strip())


def _docx_with(tmp_path: Path, name: str, document_xml: bytes, *, styles: int = 0) -> Path:
    """A real .docx (python-docx) whose word/document.xml is replaced; ``styles`` more
    paragraph styles, as documents made from an organisation's template carry."""
    import docx
    from docx.enum.style import WD_STYLE_TYPE

    base = tmp_path / "base.docx"
    template = docx.Document()
    for n in range(styles):
        template.styles.add_style(f"Mall {n}", WD_STYLE_TYPE.PARAGRAPH)
    template.save(str(base))
    out = tmp_path / "corpus" / name
    out.parent.mkdir(exist_ok=True)
    with zipfile.ZipFile(base) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = document_xml if info.filename == "word/document.xml" else src.read(info)
            dst.writestr(info.filename, data)
    return out


def _paragraphs_xml(paragraphs: list[str], style: str = "ListBullet") -> bytes:
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    body = "".join(f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr><w:r><w:t>{p}</w:t></w:r></w:p>' for p in paragraphs)
    return f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{w}"><w:body>{body}</w:body></w:document>'.encode()


@pytest.mark.slow
@pytest.mark.timeout(120)
def test_docx_with_35000_styled_paragraphs(tmp_path: Path) -> None:
    """A style lookup per paragraph, each through every style, took 62 s for 35,000."""
    rng = random.Random(3)
    paragraphs = [f"Punkt {n}: " + " ".join(rng.choice(WORDS) for _ in range(6)) for n in range(35_000)]
    _docx_with(tmp_path, "lista.docx", _paragraphs_xml(paragraphs), styles=1000)
    report = ingest_directory(tmp_path / "corpus", tmp_path / "store")
    assert report.ingested == 1, report.to_dict()
    (doc,) = IngestStore(tmp_path / "store").documents()
    assert doc.text.count("• Punkt ") == 35_000


def test_docx_zip_bomb_is_refused_before_parsing(tmp_path: Path) -> None:
    """30 MB of XML that deflates to a few kB: refused by its ratio, never parsed."""
    xml = _paragraphs_xml(["Region Testlän"]).replace(b"<w:body>", b"<w:body>" + b" " * 30_000_000)
    _docx_with(tmp_path, "bomb.docx", xml)
    (tmp_path / "corpus" / "plan.txt").write_text("Region Testlän satsar på life science.\n", encoding="utf-8")
    report = ingest_directory(tmp_path / "corpus", tmp_path / "store")
    files = {Path(f.path).name: f for f in report.files}
    assert files["plan.txt"].status == "ingested"
    assert files["bomb.docx"].status == "failed" and "zip bomb" in files["bomb.docx"].reason


def test_docx_over_the_xml_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REGIONPLANS_MAX_DOCX_XML_MB", "1")
    rng = random.Random(4)
    _docx_with(tmp_path, "stor.docx", _paragraphs_xml([" ".join(rng.choice(WORDS) for _ in range(9))
                                                      for _ in range(20_000)], style="Normal"))  # fmt: skip
    report = ingest_directory(tmp_path / "corpus", tmp_path / "store")
    (entry,) = report.files
    assert entry.status == "failed"
    assert "MB of XML (limit 1 MB)" in entry.reason and "REGIONPLANS_MAX_DOCX_XML_MB" in entry.reason


def test_docx_in_document_order_with_tables_and_toc(tmp_path: Path) -> None:
    """Tables stay where they stand (they came after all paragraphs before), rows keep
    their column names, a Word table of contents is left out; headings by style."""
    import docx
    from docx.enum.style import WD_STYLE_TYPE

    document = docx.Document()
    document.styles.add_style("toc 1", WD_STYLE_TYPE.PARAGRAPH)
    document.add_heading("Vårdprogram för ärftlig cancer", level=1)
    document.add_paragraph("Inledning\t3", style="toc 1")
    document.add_paragraph("Uppföljning\t4", style="toc 1")
    document.add_heading("Uppföljning", level=2)
    document.add_paragraph("Bärare erbjuds kontroller enligt tabellen.")
    table = document.add_table(rows=3, cols=3)
    for r, cells in enumerate([["Gen", "Syndrom", "Kontroll"], ["BRCA1", "HBOC", "MR årligen"],
                               ["MLH1", "Lynchs syndrom", "Koloskopi"]]):  # fmt: skip
        for c, text in enumerate(cells):
            cell = table.cell(r, c)
            cell.text = text
            if r == 0:
                cell.paragraphs[0].runs[0].bold = True
    document.add_paragraph("Kontrollerna följs upp i kvalitetsregistret.")
    (tmp_path / "corpus").mkdir()
    document.save(str(tmp_path / "corpus" / "vardprogram.docx"))
    report = ingest_directory(tmp_path / "corpus", tmp_path / "store")
    (entry,) = report.files
    assert entry.status == "ingested" and "table of contents dropped: 2 entries" in entry.reason
    store = IngestStore(tmp_path / "store")
    (doc,) = store.documents()
    assert "Inledning\t3" not in doc.text and "Uppföljning 4" not in doc.text
    section = next(s for s in store.sections(doc.doc_id) if s.heading_path[-1] == "Uppföljning")
    assert section.text.splitlines() == [
        "Bärare erbjuds kontroller enligt tabellen.", "",
        "• Gen: BRCA1 | Syndrom: HBOC | Kontroll: MR årligen",
        "• Gen: MLH1 | Syndrom: Lynchs syndrom | Kontroll: Koloskopi", "",
        "Kontrollerna följs upp i kvalitetsregistret.",
    ]

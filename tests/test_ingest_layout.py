"""PDF layout: two-column pages, letter-spaced and mixed-case headings, headings from type
size. Every PDF is generated here (fpdf2) and read by the production reader."""

from __future__ import annotations

import textwrap
from pathlib import Path

from regionplans.eval.devfiles import _font_dir, parse, render_pdf
from regionplans.ingest.pdf import read_pdf
from regionplans.ingest.pipeline import ingest_directory
from regionplans.ingest.store import IngestStore

LEFT = ("Regionen ska bygga upp kompetens inom genomik och hälsodata. Arbetet sker i samverkan med "
        "akademin och näringslivet, och den regionala ekonomin gynnas av att fler företag etablerar sig "
        "i länet. Satsningen följs upp varje år av regionstyrelsen.")  # fmt: skip
RIGHT = ("Visionen är att alla patienter ska få tillgång till precisionsmedicin. Målet nås genom "
         "utbildning, nya tjänster och ett regionalt centrum för precisionsmedicin i norra Sverige.")  # fmt: skip


def _pdf():  # type: ignore[no-untyped-def]
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.add_font("sans", "", str(_font_dir() / "DejaVuSans.ttf"))
    pdf.add_font("sans", "B", str(_font_dir() / "DejaVuSans-Bold.ttf"))
    pdf.add_page()
    return pdf


def interleaved_columns(path: Path) -> Path:
    """Two columns written line by line across the page (left line, right line, ...), as
    some producers order the stream; the left column breaks "ekono-" at a line end."""
    pdf = _pdf()
    pdf.set_font("sans", "B", 16)
    pdf.text(20, 22, "Broschyr om life science")
    pdf.set_font("sans", size=10)
    left = textwrap.wrap(LEFT.replace("ekonomin", "ekono- min"), 38)
    left = [line.replace("ekono- ", "ekono-") for line in left]
    left = _break_after(left, "ekono-")
    right = textwrap.wrap(RIGHT, 38)
    y = 35.0
    for i in range(max(len(left), len(right))):
        if i < len(left):
            pdf.text(20, y, left[i])
        if i < len(right):
            pdf.text(110, y, right[i])
        y += 5
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(path))
    return path


def _break_after(lines: list[str], marker: str) -> list[str]:
    out = []
    for line in lines:
        if marker in line and not line.endswith(marker):
            head, tail = line.split(marker, 1)
            out += [head + marker, tail.lstrip()]
        else:
            out.append(line)
    return out


def test_interleaved_columns_are_read_apart(tmp_path: Path) -> None:
    interleaved_columns(tmp_path / "corpus" / "broschyr.pdf")
    report = ingest_directory(tmp_path / "corpus", tmp_path / "store")
    (entry,) = report.files
    assert entry.status == "ingested" and "columns read apart on page 1" in entry.reason
    (doc,) = IngestStore(tmp_path / "store").documents()
    flat = " ".join(doc.text.split())
    assert "den regionala ekonomin gynnas" in flat  # the break "ekono-" joined within its column
    assert "Visionen" not in flat[: flat.index("regionstyrelsen.")]
    assert " ".join(LEFT.split()) in flat and " ".join(RIGHT.split()) in flat


def test_column_stream_keeps_headings_with_their_column(tmp_path: Path) -> None:
    source = (f"---\nout: x.pdf\ncolumns: 2\n---\n= Broschyr om life science\n== Kompetens\n{LEFT}\n"
              f"[pagebreak]\n== Vision\n{RIGHT}\n")  # fmt: skip
    render_pdf(parse(source), tmp_path / "corpus" / "broschyr.pdf")
    ingest_directory(tmp_path / "corpus", tmp_path / "store")
    store = IngestStore(tmp_path / "store")
    (doc,) = store.documents()
    sections = {s.heading_path[-1]: " ".join(s.text.split()) for s in store.sections(doc.doc_id)}
    assert sections["Kompetens"] == " ".join(LEFT.split())
    assert sections["Vision"] == " ".join(RIGHT.split())


def test_letter_spaced_and_mixed_case_headings(tmp_path: Path) -> None:
    pdf = _pdf()
    y = 30.0
    for tracking, heading, body in (
        (1.6, "konsumtionsperspektiv", "Regionen mäter vårdens klimatavtryck genom inköpen."),
        (0.8, "hälsoekonomi", "Kostnaderna för genomisk diagnostik följs upp per patient."),
    ):
        pdf.set_font("sans", "B", 16)
        x = 20.0
        for char in heading:  # tracked: each letter placed on its own, as display type is
            pdf.text(x, y, char)
            x += pdf.get_string_width(char) + tracking
        pdf.set_font("sans", size=11)
        pdf.text(20, y + 9, body)
        y += 25
    pdf.set_font("sans", "B", 16)
    pdf.text(20, y, "ProDUKTIonSPerSPeKTIV")  # a small-caps font's case, garbled
    pdf.set_font("sans", size=11)
    pdf.text(20, y + 9, "Produktionen av läkemedel ska ske nära patienten.")
    pdf.output(str(tmp_path / "plan.pdf"))
    extracted = read_pdf(tmp_path / "plan.pdf")
    assert [text for _level, text in extracted.headings][:2] == ["konsumtionsperspektiv", "hälsoekonomi"]
    assert any("set solid" in note for note in extracted.notes)

    (tmp_path / "corpus").mkdir()
    (tmp_path / "plan.pdf").rename(tmp_path / "corpus" / "plan.pdf")
    ingest_directory(tmp_path / "corpus", tmp_path / "store")
    store = IngestStore(tmp_path / "store")
    (doc,) = store.documents()
    headings = {s.heading_path[-1] for s in store.sections(doc.doc_id)}
    assert {"konsumtionsperspektiv", "hälsoekonomi", "Produktionsperspektiv"} <= headings


def test_headings_from_type_size(tmp_path: Path) -> None:
    """Headings the text alone cannot tell (followed by a line opening with a number, or
    ending in "inom"), told by their size; a large pull quote is no heading."""
    pdf = _pdf()
    rows = [  # style, size (pt), text, advance to the next line (mm)
        ("B", 18, "Strategi för hälsodata", 12),
        ("", 11, "Regionstyrelsen antog strategin i mars.", 10),
        ("B", 14, "Finansiering", 8),
        ("", 11, "2025 avsätts tio miljoner kronor till en gemensam dataplattform.", 10),
        ("B", 14, "Samverkan inom", 6),  # one heading wrapped: 1.2 times its size apart
        ("B", 14, "life science", 8),
        ("", 11, "Regionen samverkar med universitetet och företagen i länet.", 10),
        ("", 15, "”Data räddar liv.”", 10),
        ("", 11, "Uppföljningen görs av hälso- och sjukvårdsnämnden varje år.", 10),
    ]
    y = 25.0
    for style, size, text, advance in rows:
        pdf.set_font("sans", style, size)
        pdf.text(20, y, text)
        y += advance
    (tmp_path / "corpus").mkdir()
    pdf.output(str(tmp_path / "corpus" / "strategi.pdf"))
    ingest_directory(tmp_path / "corpus", tmp_path / "store")
    store = IngestStore(tmp_path / "store")
    (doc,) = store.documents()
    paths = {s.heading_path for s in store.sections(doc.doc_id)}
    assert doc.title == "Strategi för hälsodata"
    assert ("Strategi för hälsodata", "Finansiering") in paths
    assert ("Strategi för hälsodata", "Samverkan inom life science") in paths  # one heading on two lines
    assert not any("Data räddar liv" in p[-1] for p in paths)

"""Unicode repair: LaTeX spacing diacritics, Google Docs zero-width spaces, Word's private-use
bullets, glyph names, control characters and wide encodings, on generated files and exactly."""

from __future__ import annotations

import unicodedata
from collections import Counter
from pathlib import Path

import pytest

from regionplans.ingest.pipeline import ingest_directory
from regionplans.ingest.store import IngestStore
from regionplans.ingest.text import decode
from regionplans.ingest.typography import fix_mixed_case, unspace_letters
from regionplans.ingest.unicode import repair

_SPACING = {"\u0308": "¨", "\u030a": "˚", "\u0301": "´"}


def tex_pdf(path: Path, lines: list[str]) -> Path:
    """A PDF whose accented letters are drawn as TeX's OT1 fonts draw them: a spacing
    accent glyph, then the bare letter under it (so the text layer has "f¨or")."""
    from fpdf import FPDF

    from regionplans.eval.devfiles import _font_dir

    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.add_font("serif", "", str(_font_dir() / "DejaVuSerif.ttf"))
    pdf.set_font("serif", size=11)
    y = 30.0
    for line in lines:
        x = 20.0
        for char in line:
            parts = unicodedata.normalize("NFD", char)
            if len(parts) == 2 and parts[1] in _SPACING:
                base, accent = parts[0], _SPACING[parts[1]]
                width = pdf.get_string_width(base)
                pdf.text(x + (width - pdf.get_string_width(accent)) / 2, y - 0.3, accent)
                pdf.text(x, y, base)
                x += width
            else:
                pdf.text(x, y, char)
                x += pdf.get_string_width(char)
        y += 7
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(path))
    return path


@pytest.mark.parametrize(
    ("raw", "repaired"),
    [
        ("Inneh˚allsf¨orteckning", "Innehållsförteckning"),  # accent before its letter (pypdf)
        ("Inneha˚llsfo¨rteckning", "Innehållsförteckning"),  # accent after it (PDFium)
        ("i O¨ rebro la¨n", "i Örebro län"),
        ("f\u0308or id´e", "för idé"),  # a combining mark on the wrong letter; an acute
        ("Lif´s förslag", "Lif´s förslag"),  # an acute as apostrophe is left alone
        ("/two.pnum/zero.pnum/one.pnum/nine.pnum", "2019"),
        ("/uni00E4ven (cid:12)nu", "även nu"),
        ("\uf062-Naftylamin", "β-Naftylamin"),  # a Symbol-font letter
        ("\uf0b7\tpunkt ett", "•\tpunkt ett"),  # a Symbol-font bullet
        ("\uf0a7 punkt två", "• punkt två"),  # a Wingdings bullet
        ("ﬁnansiering och ﬂöden", "finansiering och flöden"),
        ("sam\u00adverkan\u200b och\u200d hälso\u2060data\ufeff", "samverkan och hälsodata"),
        ("a\x00b\x08c\x1bd\x7fe", "abcde"),
        ("sida ett\fsida två\r\n", "sida ett\fsida två\r\n"),
        ("o\u0308verenskommelse", "överenskommelse"),  # NFD from a Mac
        ("och/eller", "och/eller"),
    ],
)
def test_repair(raw: str, repaired: str) -> None:
    assert repair(raw) == repaired
    assert unicodedata.is_normalized("NFC", repair(raw))


def test_repair_counts_what_it_did() -> None:
    counts: Counter[str] = Counter()
    repair("f¨or\u200b\u200b /two.pnum", counts)
    assert counts == Counter({"invisible characters": 2, "glyph names": 1, "spacing diacritics": 1})


@pytest.mark.parametrize(
    ("line", "fixed"),
    [
        ("k o n su m ti o n sp e r sp e ktiv", "konsumtionsperspektiv"),
        ("P R O D U K T I O N   O C H   K O N S U M T I O N", "PRODUKTION OCH KONSUMTION"),
        ("Vi är i en by på ön", "Vi är i en by på ön"),
    ],
)
def test_letter_spacing(line: str, fixed: str) -> None:
    assert unspace_letters(line) == fixed


def test_mixed_case() -> None:
    assert fix_mixed_case("ProDUKTIonSPerSPeKTIV") == "Produktionsperspektiv"
    kept = "eHälsoMyndigheten, GöteborgsRegionen, iPhone, McDonalds och LifeScienceSweden"
    assert fix_mixed_case(kept) == kept


def test_decode_wide_encodings() -> None:
    text = "Region Örebro län satsar på precisionsmedicin.\n"
    for codec in ("utf-32", "utf-32-le", "utf-32-be", "utf-16", "utf-16-le", "utf-16-be"):
        decoded, used = decode(text.encode(codec))
        assert decoded == text, codec
        assert used.startswith(codec[:6]), (codec, used)


def test_latex_pdf_is_searchable_in_plain_swedish(tmp_path: Path) -> None:
    tex_pdf(tmp_path / "corpus" / "rapport.pdf", [
        "Innehållsförteckning",
        "Regionen ska för första gången mäta hälsoutfallet i Örebro län.",
        "Rapporten visar hur väl åtgärderna når de äldre i länet.",
    ])  # fmt: skip
    report = ingest_directory(tmp_path / "corpus", tmp_path / "store")
    (entry,) = report.files
    assert entry.status == "ingested", entry.reason
    assert "spacing diacritics" in entry.reason
    (doc,) = IngestStore(tmp_path / "store").documents()
    assert "för första gången mäta hälsoutfallet i Örebro län" in doc.text
    assert "åtgärderna når de äldre" in doc.text
    assert not any(accent in doc.text for accent in "¨˚´")


def test_google_docs_zero_width_spaces(tmp_path: Path) -> None:
    """A Google Docs export: zero-width spaces all over (218 in the real one), in text and HTML."""
    sentence = "Region Gävleborg bygger ett kunskapscentrum för precisionshälsa tillsammans med högskolan"
    words = sentence.split()
    text = " \u200b".join(words[:5]) + "\u200b " + " ".join(words[5:]).replace("hälsa", "h\u200bälsa")
    text += ".\u200b\n\n\u200bAnsökan lämnas 2025.\u200b\n"
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "gdocs.txt").write_text(text, encoding="utf-8")
    html = ("<html><body><h1>Kunskaps\u200bcentrum</h1><p>" + " \u200b".join(words) + ".</p>"
            '<p><span style="font-weight:700">Sam\u200bverkan</span> med h\u200bögskolan.</p></body></html>')  # fmt: skip
    (tmp_path / "corpus" / "gdocs.html").write_text(html, encoding="utf-8")
    report = ingest_directory(tmp_path / "corpus", tmp_path / "store")
    assert report.ingested == 2, report.to_dict()
    docs = {d.name + Path(d.file_path).suffix: d for d in IngestStore(tmp_path / "store").documents()}
    assert "\u200b" not in docs["gdocs.txt"].text and "\u200b" not in docs["gdocs.html"].text
    assert "Region Gävleborg bygger ett kunskapscentrum för precisionshälsa" in docs["gdocs.txt"].text
    assert docs["gdocs.html"].title == "Kunskapscentrum"
    assert "Samverkan med högskolan." in docs["gdocs.html"].text
    reasons = {Path(f.path).name: f.reason for f in report.files}
    assert "invisible characters" in reasons["gdocs.txt"]


def test_nul_and_utf32_text_files(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    text = "Region Jämtland Härjedalen inför genomisk diagnostik för barn med sällsynta sjukdomar.\n"
    (corpus / "utf32.txt").write_bytes(text.encode("utf-32"))
    other = text.replace("Region Jämtland Härjedalen", "Region Västernorrland").replace("barn", "vuxna")
    (corpus / "nul.txt").write_bytes(other.replace("genomisk", "genom\x00isk\x08").encode("utf-8"))
    report = ingest_directory(corpus, tmp_path / "store")
    assert report.ingested == 2, report.to_dict()
    store = IngestStore(tmp_path / "store")
    for doc in store.documents():
        assert "\x00" not in doc.text and "\x08" not in doc.text
        assert "inför genomisk diagnostik för" in doc.text
        assert doc.language == "sv"

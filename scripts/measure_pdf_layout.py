"""PDF text extractors side by side on generated two-column pages, and their speed.

Two pages of two columns: one whose content stream runs line by line across both
columns (a left line, then a right line), one whose stream runs column by column with a
heading at the top of each (fpdf2's text columns, as InDesign and LaTeX order theirs).
Scored: the sentences of each column found whole (line breaks and line-end hyphens
undone), the left column read before the right, each column's heading right before its
text. Speed: pages per second on generated text PDFs (``regionplans.synth``).

    .venv/bin/python scripts/measure_pdf_layout.py --out eval/reports/pdf_layout.md
"""

from __future__ import annotations

import argparse
import logging
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))


def _pypdf(layout: bool) -> Callable[[Path], str]:
    def read(path: Path) -> str:
        import pypdf

        logging.getLogger("pypdf").setLevel(logging.ERROR)
        mode = "layout" if layout else "plain"
        return "\f".join(p.extract_text(extraction_mode=mode) for p in pypdf.PdfReader(path).pages)

    return read


def _pdfminer(path: Path) -> str:
    from pdfminer.high_level import extract_text

    return str(extract_text(str(path)))


def _pdfium_plain(path: Path) -> str:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(path))
    try:
        return "\f".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    finally:
        document.close()


def _this_tree(path: Path) -> str:
    from regionplans.ingest.pdf import read_pdf

    return "\f".join(read_pdf(path).pages)


EXTRACTORS: dict[str, Callable[[Path], str]] = {
    "pypdf": _pypdf(False),
    "pypdf layout mode": _pypdf(True),
    "pdfminer.six": _pdfminer,
    "PDFium (pypdfium2) text": _pdfium_plain,
    "this tree (PDFium + layout)": _this_tree,
}


def _flat(text: str) -> str:
    text = re.sub(r"(\w)-\s*\n\s*(\w)", r"\1\2", text)
    return " ".join(text.split())


def score(text: str, left: str, right: str, headings: tuple[str, str] | None) -> dict[str, float]:
    flat = _flat(text)
    sentences = [s.strip() + "." for part in (left, right) for s in part.split(". ") if s.strip(" .")]
    found = sum(_flat(s).rstrip(".") in flat for s in sentences) / len(sentences)
    first_right = flat.find(_flat(right)[:30])
    last_left = flat.rfind(_flat(left)[-30:])
    order = 1.0 if 0 <= last_left < first_right else 0.0
    placed = 1.0
    if headings is not None:
        placed = float(all(re.search(re.escape(h) + r"\s+" + re.escape(_flat(body)[:20]), flat) is not None
                           for h, body in zip(headings, (left, right), strict=True)))  # fmt: skip
    return {"sentences": found, "order": order, "headings": placed}


def main() -> int:
    from test_ingest_layout import LEFT, RIGHT, interleaved_columns

    from regionplans.eval.devfiles import parse, render_pdf
    from regionplans.synth import load_vocabulary, write_corpus

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=30, help="generated text PDFs for the speed test")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    rows = ["| extractor | line-interleaved stream: sentences whole / columns in order | column stream: "
            "sentences whole / columns in order / headings with their column | pages/s |",
            "|---|---|---|---|"]  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="measure-pdf-") as tmp:
        base = Path(tmp)
        interleaved = interleaved_columns(base / "interleaved.pdf")
        columns = base / "columns.pdf"
        render_pdf(parse(f"---\nout: x.pdf\ncolumns: 2\n---\n= Broschyr\n== Kompetens\n{LEFT}\n[pagebreak]\n"
                         f"== Vision\n{RIGHT}\n"), columns)  # fmt: skip
        speed = write_corpus(load_vocabulary(ROOT / "corpus"), base / "speed", args.files, "pdf")
        import pypdf

        pages = sum(len(pypdf.PdfReader(p).pages) for p in speed)
        for name, extract in EXTRACTORS.items():
            a = score(extract(interleaved), LEFT, RIGHT, None)
            b = score(extract(columns), LEFT, RIGHT, ("Kompetens", "Vision"))
            times = []
            for _ in range(3):
                start = time.perf_counter()
                for path in speed:
                    extract(path)
                times.append(time.perf_counter() - start)
            rate = pages / statistics.median(times)
            rows.append(f"| {name} | {a['sentences']:.0%} / {'yes' if a['order'] else 'no'} | "
                        f"{b['sentences']:.0%} / {'yes' if b['order'] else 'no'} / "
                        f"{'yes' if b['headings'] else 'no'} | {rate:.0f} |")  # fmt: skip
    table = "\n".join(rows)
    print(table)
    if args.out:
        note = (f"PDF extractors on generated two-column pages, and their speed on {args.files} generated "
                f"text PDFs ({pages} pages, median of 3; {time.strftime('%Y-%m-%d')}). "
                "`python scripts/measure_pdf_layout.py`\n\n")  # fmt: skip
        args.out.write_text(note + table + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Build the development corpus's PDF and Word files from plain-text sources.

The development documents are written by hand; those published as PDF or .docx are
written as a source file (``eval/dev/sources/*.txt``) and rendered here, in the shapes
real ones take: metadata titles that are file names, running headers, page counters,
tables of contents with dot leaders, two-column pages, pull quotes, tables, scanned
pages with no text layer.

    python -m regionplans.eval.devfiles eval/dev/sources eval/dev/corpus

A source starts with a front matter block, then the body::

    ---
    out: region-x-handlingsplan.pdf        # .pdf or .docx
    meta_title: Microsoft Word - HP v3.docx # the file's metadata title (or leave out)
    meta_author: anna01                     # metadata author
    header: Region X | Handlingsplan        # running header from page 2
    footer: Sida {n} av {N}                 # page counter ({n} page, {N} pages)
    columns: 2                              # body in two columns (PDF)
    scan: true                              # pages as images only (PDF)
    ---
    = Cover title (largest text)
    == Heading
    === Subheading
    A paragraph; consecutive lines are one paragraph.
    - a bullet
    > a pull quote
    | Gen | Syndrom |                       # table rows, the first is the header
    [toc]                                   # table of contents (headings, dot leaders)
    [pagebreak]

Rendering is deterministic (fixed creation date), so the committed files only change
when their sources do.
"""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FIXED_DATE = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)


@dataclass
class Source:
    """A parsed source: front matter and body blocks ``(kind, text)``."""

    meta: dict[str, str]
    blocks: list[tuple[str, str]] = field(default_factory=list)


def parse(text: str) -> Source:
    """Front matter (``key: value`` between ``---`` lines) and body blocks."""
    lines = text.splitlines()
    meta: dict[str, str] = {}
    if lines and lines[0].strip() == "---":
        end = lines.index("---", 1)
        for line in lines[1:end]:
            key, _, value = line.partition(":")
            value = value.split(" # ")[0].strip()
            if key.strip():
                meta[key.strip()] = value
        lines = lines[end + 1 :]
    blocks: list[tuple[str, str]] = []
    para: list[str] = []

    def flush() -> None:
        if para:
            blocks.append(("p", " ".join(para)))
            para.clear()

    for raw in lines:
        line = raw.rstrip()
        prefixes = (("=== ", "h2"), ("== ", "h1"), ("= ", "title"), ("- ", "bullet"), ("> ", "quote"))
        kind = next((k for p, k in prefixes if line.startswith(p)), None)
        if not line.strip():
            flush()
        elif line.strip() in ("[toc]", "[pagebreak]"):
            flush()
            blocks.append((line.strip()[1:-1], ""))
        elif line.startswith("|"):
            flush()
            blocks.append(("row", line))
        elif kind is not None:
            flush()
            blocks.append((kind, line.split(" ", 1)[1].strip()))
        else:
            para.append(line.strip())
    flush()
    return Source(meta, blocks)


def _cells(row: str) -> list[str]:
    return [c.strip() for c in row.strip().strip("|").split("|")]


def _font_dir() -> Path:
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf"


def render_pdf(src: Source, out: Path) -> None:
    """A PDF with a text layer (or, with ``scan: true``, page images only)."""
    from fpdf import FPDF

    meta = src.meta
    header = meta.get("header", "")
    footer = meta.get("footer", "")

    class Doc(FPDF):
        def header(self) -> None:
            if header and self.page_no() > 1:
                self.set_font("dejavu", size=8)
                self.set_y(8)
                self.cell(0, 5, header, align="R")
                self.ln(10)

        def footer(self) -> None:
            if footer:
                self.set_y(-14)
                self.set_font("dejavu", size=8)
                self.cell(0, 5, footer.replace("{n}", str(self.page_no())).replace("{N}", "{nb}"),
                          align="C")  # fmt: skip

    pdf = Doc(format="A4")
    pdf.set_creation_date(FIXED_DATE)
    fonts = _font_dir()
    pdf.add_font("dejavu", "", str(fonts / "DejaVuSans.ttf"))
    pdf.add_font("dejavu", "B", str(fonts / "DejaVuSans-Bold.ttf"))
    pdf.add_font("dejavu", "I", str(fonts / "DejaVuSans-Oblique.ttf"))
    pdf.set_title(meta.get("meta_title", ""))
    pdf.set_author(meta.get("meta_author", ""))
    pdf.set_creator(meta.get("meta_creator", "Microsoft® Word för Microsoft 365"))
    pdf.set_producer(meta.get("meta_producer", "Microsoft® Word för Microsoft 365"))
    pdf.set_margins(22, 20, 22)
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_page()
    columns = int(meta.get("columns", "1"))
    blocks = list(src.blocks)
    # Two columns start at the first heading; what comes before is the cover.
    split = next((i for i, (k, _) in enumerate(blocks) if k == "h1"), len(blocks)) if columns > 1 else len(blocks)
    sizes = {"title": 24, "h1": 16, "h2": 13, "quote": 14}
    styles = {"title": "B", "h1": "B", "h2": "B", "quote": "I"}

    def write(kind: str, text: str) -> None:
        size = sizes.get(kind, 10.5)
        pdf.set_font("dejavu", styles.get(kind, ""), size)
        if kind in ("h1", "h2"):
            pdf.start_section(text, level=0 if kind == "h1" else 1)
        if kind == "title":
            pdf.ln(30)
            pdf.multi_cell(0, 11, text, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(6)
        elif kind in ("h1", "h2"):
            pdf.ln(3)
            pdf.multi_cell(0, size * 0.55, text, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
        elif kind == "bullet":
            pdf.set_x(pdf.l_margin + 4)
            pdf.multi_cell(0, 5.5, "• " + text, new_x="LMARGIN", new_y="NEXT")
        elif kind == "quote":
            pdf.ln(2)
            pdf.set_x(pdf.l_margin + 12)
            pdf.multi_cell(pdf.epw - 24, 7, "”" + text + "”", align="C", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(3)
        else:
            pdf.multi_cell(0, 5.5, text, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2.5)

    rows: list[list[str]] = []

    def table() -> None:
        if not rows:
            return
        pdf.set_font("dejavu", "", 9)
        with pdf.table(first_row_as_headings=True) as grid:
            for cells in rows:
                line = grid.row()
                for cell in cells:
                    line.cell(cell)
        pdf.ln(3)
        rows.clear()

    after_toc = False
    for kind, text in blocks[:split]:
        if kind != "row":
            table()
        if kind == "row":
            rows.append(_cells(text))
        elif kind == "pagebreak":
            if not after_toc:  # the table of contents ends its own page
                pdf.add_page()
        elif kind == "toc":
            pdf.insert_toc_placeholder(_render_toc, pages=1)
        else:
            write(kind, text)
        after_toc = kind == "toc"
    table()
    if split < len(blocks):
        if pdf.get_y() > pdf.t_margin + 10:
            pdf.add_page()
        with pdf.text_columns(ncols=columns, gutter=8) as body:
            for kind, text in blocks[split:]:
                if kind == "pagebreak":
                    body.new_column()
                    continue
                pdf.set_font("dejavu", styles.get(kind, ""), sizes.get(kind, 10.5))
                shown = {"bullet": "• " + text, "row": " ".join(_cells(text))}.get(kind, text)
                body.write(shown)
                body.ln()
                body.ln()
    out.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(out))


def _render_toc(pdf: Any, outline: list[Any]) -> None:
    """Innehåll: one line per heading, dot leaders, page number at the right margin."""
    pdf.set_font("dejavu", "B", 16)
    pdf.set_x(pdf.l_margin)
    pdf.multi_cell(0, 10, "Innehåll", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("dejavu", "", 10.5)
    dot = pdf.get_string_width(".")
    for section in outline:
        indent = 6 * section.level
        name, page = section.name, str(section.page_number)
        width = pdf.epw - indent
        dots = "." * max(3, int((width - pdf.get_string_width(name + page)) / dot) - 2)
        pdf.set_x(pdf.l_margin + indent)
        pdf.cell(width, 6.5, f"{name} {dots} {page}", new_x="LMARGIN", new_y="NEXT")


def render_scan(src: Source, out: Path) -> None:
    """A scanned document: every page an image of the text (150 dpi, a slight skew of
    grey), and no text layer at all, as a photocopier's PDF."""
    import textwrap

    from fpdf import FPDF
    from PIL import Image, ImageDraw, ImageFont

    fonts = _font_dir()
    width, height, margin = 1240, 1754, 140  # A4 at 150 dpi
    faces = {size: ImageFont.truetype(str(fonts / "DejaVuSerif.ttf"), size) for size in (24, 30, 44)}
    bold = {size: ImageFont.truetype(str(fonts / "DejaVuSerif-Bold.ttf"), size) for size in (30, 44)}
    lines: list[tuple[ImageFont.FreeTypeFont, str, int]] = []  # font, text, gap after
    for kind, text in src.blocks:
        if kind == "pagebreak":
            lines.append((faces[24], "\f", 0))
            continue
        font, chars, gap = {
            "title": (bold[44], 40, 30), "h1": (bold[30], 60, 14), "h2": (bold[30], 60, 10),
        }.get(kind, (faces[24], 82, 14))  # fmt: skip
        prefix = "• " if kind == "bullet" else ("| " if kind == "row" else "")
        wrapped = textwrap.wrap(prefix + text, chars) or [""]
        for i, line in enumerate(wrapped):
            lines.append((font, line, gap if i == len(wrapped) - 1 else 4))
    pages: list[Image.Image] = []
    page, draw, y = None, None, float(height)
    for font, text, gap in lines:
        size = font.size
        if page is None or draw is None or text == "\f" or y + size > height - margin:
            page = Image.new("L", (width, height), 250)
            draw = ImageDraw.Draw(page)
            pages.append(page)
            y = margin
            if text == "\f":
                continue
        draw.text((margin, y), text, font=font, fill=25)
        y += size + gap
    pdf = FPDF(format="A4")
    pdf.set_creation_date(FIXED_DATE)
    pdf.set_creator(src.meta.get("meta_creator", "Canon iR-ADV C5535 PDF"))
    pdf.set_producer(src.meta.get("meta_producer", "Adobe PSL 1.3e for Canon"))
    pdf.set_title(src.meta.get("meta_title", ""))
    for image in pages:
        pdf.add_page()
        pdf.image(image.rotate(0.4, fillcolor=250), x=0, y=0, w=210, h=297)
    pdf.output(str(out))


def render_docx(src: Source, out: Path) -> None:
    """A Word file with Title/Heading styles, bullets, tables and core properties."""
    import docx

    document = docx.Document()
    props = document.core_properties
    props.title = src.meta.get("meta_title", "")
    props.author = src.meta.get("meta_author", "")
    props.created = FIXED_DATE.replace(tzinfo=None)
    props.modified = FIXED_DATE.replace(tzinfo=None)
    props.last_modified_by = src.meta.get("meta_author", "")
    props.revision = 1
    if src.meta.get("header"):
        document.sections[0].header.paragraphs[0].text = src.meta["header"]
    table_rows: list[list[str]] = []

    def table() -> None:
        if not table_rows:
            return
        grid = document.add_table(rows=len(table_rows), cols=len(table_rows[0]))
        for r, cells in enumerate(table_rows):
            for c, cell in enumerate(cells[: len(table_rows[0])]):
                grid.cell(r, c).text = cell
        table_rows.clear()

    for kind, text in src.blocks:
        if kind != "row":
            table()
        if kind == "row":
            table_rows.append(_cells(text))
        elif kind == "title":
            document.add_paragraph(text, style="Title")
        elif kind in ("h1", "h2"):
            document.add_heading(text, level=1 if kind == "h1" else 2)
        elif kind == "bullet":
            document.add_paragraph(text, style="List Bullet")
        elif kind == "quote":
            document.add_paragraph(text, style="Intense Quote")
        elif kind == "pagebreak":
            document.add_page_break()
        elif kind == "p":
            document.add_paragraph(text)
    table()
    out.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(out))


def build(sources: Path, corpus: Path) -> list[Path]:
    """Render every ``*.txt`` source under ``sources`` into ``corpus``."""
    written = []
    for path in sorted(Path(sources).glob("*.txt")):
        src = parse(path.read_text(encoding="utf-8"))
        name = src.meta.get("out")
        if not name:
            raise SystemExit(f"{path}: the front matter needs 'out: <file name>.pdf|.docx'")
        out = Path(corpus) / name
        if name.endswith(".pdf") and src.meta.get("scan", "").lower() == "true":
            render_scan(src, out)
        elif name.endswith(".pdf"):
            render_pdf(src, out)
        elif name.endswith(".docx"):
            render_docx(src, out)
        else:
            raise SystemExit(f"{path}: out must end in .pdf or .docx, not {name!r}")
        written.append(out)
    return written


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit("usage: python -m regionplans.eval.devfiles SOURCES_DIR CORPUS_DIR")
    for written_path in build(Path(sys.argv[1]), Path(sys.argv[2])):
        print(written_path)

"""Page layout of a PDF's text layer: columns kept apart, headings from type size and weight.

PDFium (through pypdfium2) gives each page's text in content-stream order, one line
per text line, with every character's box and font. From that:

- **columns**: a gutter is a vertical strip in the middle of the page that no line
  crosses. When the stream interleaves the columns (a line of the left column, then a
  line of the right one, or both on one text line: "ekono- Visionen"), the page is
  read again by position: each band between full-width lines column by column. A
  stream that already runs column by column is kept as it is.
- **headings**: the body size is the size most characters are set in; a short line
  set at least 1.2 times larger, or bold at body size and alone on its line, is a
  heading. Sizes rank the levels (the largest is 1). Lines of one heading wrapped over
  two are joined. Sizes are measured as glyph box heights, which also holds for
  producers that set every font at 1 pt and scale the text matrix (InDesign).

Chosen by measurement on generated two-column pages (``tests/test_ingest_layout.py``):
pypdf and PDFium alone follow the stream and join interleaved columns; pypdf's layout
mode sets both columns side by side on one line; pdfminer.six orders columns right but
moves every column's heading above both columns and reads pages at 37 pages/s against
PDFium's 370 with boxes (1,180 without).
"""

from __future__ import annotations

import ctypes
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

# A gap this many times the line height splits a text line into two pieces.
_SPLIT_GAP = 1.0
_HEADING_RATIO = 1.2
_MAX_HEADING_CHARS = 160


@dataclass(frozen=True, slots=True)
class Piece:
    """A run of text on one line of a page, with its box (PDF points, y upwards)."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float  # glyph box height of its first character
    bold: bool
    line: int  # the stream line it came from
    first: int = 0  # its characters' indexes on the text page: first, one past the last
    end: int = 0


@dataclass(frozen=True, slots=True)
class PageLayout:
    """One page's lines in reading order, each with its size and weight (or None)."""

    lines: tuple[str, ...]
    sizes: tuple[float, ...]
    bold: tuple[bool, ...]
    columns: int = 1
    reordered: bool = False
    tops: tuple[float, ...] = ()  # each line's top and bottom (PDF points), when known
    bottoms: tuple[float, ...] = ()
    spaced: int = 0  # letter-spaced lines set solid


def read_layout(textpage: Any) -> PageLayout:
    """The lines of a ``pypdfium2.PdfTextPage`` in reading order, with type sizes."""
    import pypdfium2.raw as raw

    count = textpage.count_chars()
    if count <= 0:
        return PageLayout((), (), ())
    text = textpage.get_text_range(0, count)
    if len(text) != count:  # characters outside the BMP: indexes do not line up
        lines = tuple(text.replace("\r\n", "\n").split("\n"))
        return PageLayout(lines, (0.0,) * len(lines), (False,) * len(lines))
    pieces: list[Piece] = []
    start = 0
    for number, line in enumerate(text.split("\r\n")):
        end = start + len(line)
        if line.strip():
            pieces.extend(_line_pieces(raw, textpage, line, start, end, number))
        start = end + 2
    pieces, spaced = _set_solid(raw, textpage, pieces)
    layout = _order(pieces)
    return replace(layout, spaced=spaced) if spaced else layout


def _line_pieces(raw: Any, textpage: Any, line: str, start: int, end: int, number: int) -> list[Piece]:
    """One stream line as pieces: split where a gap wider than the line height opens."""
    rects = _rects(raw, textpage, start, end - start)
    if not rects:
        return []
    cuts = [0]
    height = max(r[1] - r[3] for r in rects) or 1.0
    gaps = [b[0] - a[2] for a, b in zip(rects, rects[1:], strict=False)]
    split_at = _SPLIT_GAP * height
    if len(gaps) >= 3 and statistics.median(gaps) > 0.3 * height:
        # Letter-spaced: every character its own run. Only a gap well beyond the
        # tracking parts columns.
        split_at = max(split_at, 2.5 * statistics.median(gaps))
    for previous, rect in zip(rects, rects[1:], strict=False):
        if rect[0] - previous[2] < split_at or abs(rect[3] - previous[3]) > height:
            continue
        index = raw.FPDFText_GetCharIndexAtPos(textpage, rect[0] + 0.5, (rect[1] + rect[3]) / 2, 2.0, 2.0)
        if start + cuts[-1] < index < end:
            cuts.append(index - start)
    cuts.append(len(line))
    pieces = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        piece = line[a:b].strip()
        if not piece:
            continue
        first = start + a + (len(line[a:b]) - len(line[a:b].lstrip()))
        box = raw.FS_RECTF()
        raw.FPDFText_GetLooseCharBox(textpage, first, box)
        bold = raw.FPDFText_GetFontWeight(textpage, first) >= 600
        if bold:  # the whole piece, not a bold word opening it
            last = start + a + len(line[a:b].rstrip()) - 1
            bold = raw.FPDFText_GetFontWeight(textpage, last) >= 600
        x0, x1, top, bottom = _span(raw, textpage, start + a, start + b, rects)
        size = round(box.top - box.bottom, 1)
        pieces.append(Piece(piece, x0, x1, top, bottom, size, bold, number, first, start + a + len(line[a:b].rstrip())))
    return pieces


def _set_solid(raw: Any, textpage: Any, pieces: list[Piece]) -> tuple[list[Piece], int]:
    """Letter-spaced display lines set solid: "k o n s u m t i o n s p e r s p e k t i v" or
    "konsumt ionsperspekt iv" (an extractor's guesses at word breaks in wide tracking)
    → "konsumtionsperspektiv", keeping the breaks whose gap is a real word space wider.

    Only lines larger or bolder than the page's common size are measured (headings are
    what gets letter-spaced), character by character."""
    sizes = [p.size for p in pieces if p.size > 0]
    if not sizes:
        return pieces, 0
    common = statistics.median(sizes)
    out: list[Piece] = []
    fixed = 0
    for piece in pieces:
        if " " in piece.text and len(piece.text) <= 80 and (piece.size >= 1.15 * common or piece.bold):
            solid = _solid_text(raw, textpage, piece)
            if solid is not None and solid != piece.text:
                piece = replace(piece, text=solid)
                fixed += 1
        out.append(piece)
    return out, fixed


def _solid_text(raw: Any, textpage: Any, piece: Piece) -> str | None:
    """``piece`` rebuilt from its characters' positions when it is letter-spaced, else None."""
    chars: list[tuple[str, float, float]] = []
    box = raw.FS_RECTF()
    for index in range(piece.first, piece.end):
        code = raw.FPDFText_GetUnicode(textpage, index)
        if code in (0x20, 0xA0, 0x0D, 0x0A) or raw.FPDFText_IsGenerated(textpage, index) == 1:
            continue
        if not raw.FPDFText_GetLooseCharBox(textpage, index, box):
            return None
        chars.append((chr(code), box.left, box.right))
    if len(chars) < 5:
        return None
    gaps = [b[1] - a[2] for a, b in zip(chars, chars[1:], strict=False)]
    typical = statistics.median(gaps)
    if typical < 0.12 * piece.size:
        return None  # set solid already
    words = [chars[0][0]]
    for (char, _l, _r), gap in zip(chars[1:], gaps, strict=True):
        if gap > typical + 0.2 * piece.size:
            words.append(" ")
        words.append(char)
    return "".join(words)


Box = tuple[float, float, float, float]  # left, top, right, bottom


def _rects(raw: Any, textpage: Any, start: int, count: int) -> list[Box]:
    """The boxes PDFium gives characters ``start`` to ``start + count`` (one per run)."""
    left, top, right, bottom = (ctypes.c_double() for _ in range(4))
    boxes = []
    for k in range(raw.FPDFText_CountRects(textpage, start, count)):
        raw.FPDFText_GetRect(textpage, k, left, top, right, bottom)
        boxes.append((left.value, top.value, right.value, bottom.value))
    return boxes


def _span(raw: Any, textpage: Any, start: int, end: int, rects: list[Box]) -> Box:
    """The box of characters ``start:end`` as (left, right, top, bottom)."""
    boxes = _rects(raw, textpage, start, end - start) or rects
    return (min(b[0] for b in boxes), max(b[2] for b in boxes), max(b[1] for b in boxes), min(b[3] for b in boxes))


def _order(pieces: list[Piece]) -> PageLayout:
    """Stream order, or position order when the stream interleaves columns."""
    gutters = find_gutters(pieces)
    if gutters and _interleaved(pieces, gutters):
        ordered = _by_columns(pieces, gutters)
        return PageLayout(tuple(p.text for p in ordered), tuple(p.size for p in ordered),
                          tuple(p.bold for p in ordered), len(gutters) + 1, True,
                          tuple(p.top for p in ordered), tuple(p.bottom for p in ordered))  # fmt: skip
    lines: list[str] = []
    sizes: list[float] = []
    bold: list[bool] = []
    tops: list[float] = []
    bottoms: list[float] = []
    previous = -1
    for piece in pieces:
        if piece.line == previous:
            lines[-1] += " " + piece.text
            bold[-1] = False  # a line of several runs (table cells) is no heading
            continue
        lines.append(piece.text)
        sizes.append(piece.size)
        bold.append(piece.bold)
        tops.append(piece.top)
        bottoms.append(piece.bottom)
        previous = piece.line
    return PageLayout(tuple(lines), tuple(sizes), tuple(bold), len(gutters) + 1 if gutters else 1,
                      False, tuple(tops), tuple(bottoms))  # fmt: skip


def find_gutters(pieces: Sequence[Piece]) -> list[tuple[float, float]]:
    """Vertical strips in the middle 70 % of the text's width that no line crosses, with
    at least three lines on each side beside one another."""
    if len(pieces) < 6:
        return []
    left = min(p.x0 for p in pieces)
    right = max(p.x1 for p in pieces)
    width = right - left
    if width <= 0:
        return []
    heights = statistics.median(p.top - p.bottom for p in pieces) or 10.0
    # Lines crossing everything (titles, full-width paragraphs) and tiny ones (a page
    # number in the middle of the foot) do not decide where the columns are.
    narrow = sorted((p.x0, p.x1) for p in pieces if p.x1 - p.x0 < 0.7 * width and len(p.text) >= 4)
    gutters: list[tuple[float, float]] = []
    reach = left
    for x0, x1 in narrow:
        if x0 - reach >= max(8.0, 0.8 * heights) and left + 0.15 * width < (x0 + reach) / 2 < right - 0.15 * width:
            gutters.append((reach, x0))
        reach = max(reach, x1)
    return [g for g in gutters if _sides_overlap(pieces, g)]


def _sides_overlap(pieces: Sequence[Piece], gutter: tuple[float, float]) -> bool:
    lefts = [p for p in pieces if p.x1 <= gutter[0] + 0.5]
    rights = [p for p in pieces if p.x0 >= gutter[1] - 0.5]
    if len(lefts) < 3 or len(rights) < 3:
        return False
    low = max(min(p.bottom for p in lefts), min(p.bottom for p in rights))
    high = min(max(p.top for p in lefts), max(p.top for p in rights))
    return high > low


def _column(piece: Piece, gutters: Sequence[tuple[float, float]]) -> int:
    """The column of a piece, or -1 when it crosses a gutter."""
    for i, (g0, g1) in enumerate(gutters):
        if piece.x1 <= g0 + 0.5:
            return i
        if piece.x0 < g1 - 0.5:
            return -1
    return len(gutters)


def _interleaved(pieces: Sequence[Piece], gutters: Sequence[tuple[float, float]]) -> bool:
    """Whether the stream goes back and forth between columns (or joins them on a line)."""
    columns = [_column(p, gutters) for p in pieces]
    shared = Counter(p.line for p, c in zip(pieces, columns, strict=True) if c >= 0)
    joined = sum(1 for line, n in shared.items() if n > 1 and
                 len({c for p, c in zip(pieces, columns, strict=True) if p.line == line}) > 1)  # fmt: skip
    body = [c for c in columns if c >= 0]
    switches = sum(1 for a, b in zip(body, body[1:], strict=False) if a != b)
    return joined >= 2 or (switches >= 4 and switches >= 0.2 * len(body))


def _by_columns(pieces: Sequence[Piece], gutters: Sequence[tuple[float, float]]) -> list[Piece]:
    """Bands between full-width lines (and large vertical gaps), each column by column;
    runs of one column on one row joined into one line."""
    ordered = sorted(pieces, key=lambda p: (-p.top, p.x0))
    pitch = statistics.median(p.top - p.bottom for p in pieces) or 10.0
    bands: list[list[Piece]] = []
    band: list[Piece] = []
    lowest = None
    for piece in ordered:
        column = _column(piece, gutters)
        if column < 0 or (lowest is not None and lowest - piece.top > 2.5 * pitch):
            if band:
                bands.append(band)
            band = []
        if column < 0:
            bands.append([piece])
            lowest = piece.bottom
            continue
        band.append(piece)
        lowest = piece.bottom if lowest is None else min(lowest, piece.bottom)
    if band:
        bands.append(band)
    result: list[Piece] = []
    for band in bands:
        for column in range(len(gutters) + 1):
            rows: list[Piece] = []
            for piece in (p for p in band if _column(p, gutters) in (column, -1)):
                if rows and abs(rows[-1].top - piece.top) < 0.3 * pitch:
                    rows[-1] = replace(rows[-1], text=f"{rows[-1].text} {piece.text}", x1=piece.x1, bold=False)
                else:
                    rows.append(piece)
            result.extend(rows)
            if any(_column(p, gutters) == -1 for p in band):
                break
    return result


def headings(layouts: Sequence[PageLayout]) -> tuple[list[list[str]], list[tuple[int, str]]]:
    """Every page's lines with wrapped headings joined, and the headings as ``(level, text)``.

    Nothing is declared when the document sets everything in one size (then cleaning
    guesses headings from the text, as for plain text).
    """
    weights: Counter[float] = Counter()
    for layout in layouts:
        for line, size in zip(layout.lines, layout.sizes, strict=True):
            if size > 0:
                weights[round(size * 2) / 2] += len(line)
    pages = [list(layout.lines) for layout in layouts]
    if not weights:
        return pages, []
    body = weights.most_common(1)[0][0]
    found: list[tuple[int, float, bool, str]] = []  # page, size, bold, text
    out_pages: list[list[str]] = []
    for number, layout in enumerate(layouts):
        out: list[str] = []
        previous: tuple[float, bool] | None = None
        for i, (line, size, bold) in enumerate(zip(layout.lines, layout.sizes, layout.bold, strict=True)):
            kind = _heading_kind(line, size, bold, body)
            if kind is not None and previous == kind and out and found and found[-1][0] == number \
                    and found[-1][3] == out[-1] and not out[-1].endswith((".", ":")) \
                    and _adjacent(layout, i):  # fmt: skip
                out[-1] = f"{out[-1]} {line.strip()}"
                found[-1] = (number, size, bold, out[-1])
            else:
                out.append(line)
                if kind is not None:
                    found.append((number, size, bold, line.strip()))
            previous = kind
        out_pages.append(out)
    if not found:
        return out_pages, []
    ranks = sorted({round(size) for _page, size, bold, _t in found if not _bold_only(size, bold, body)}, reverse=True)
    declared = []
    for _page, size, bold, text in found:
        level = len(ranks) + 1 if _bold_only(size, bold, body) else ranks.index(round(size)) + 1
        declared.append((min(level, 6), text))
    return out_pages, declared


def _adjacent(layout: PageLayout, i: int) -> bool:
    """Whether line ``i`` follows line ``i - 1`` at a heading's own line spacing (a
    heading wrapped over two lines, not two headings)."""
    if not layout.tops or i == 0:
        return False
    height = layout.tops[i - 1] - layout.bottoms[i - 1]
    return 0 <= layout.bottoms[i - 1] - layout.tops[i] <= 0.6 * height


def _bold_only(size: float, bold: bool, body: float) -> bool:
    return bold and size < body * _HEADING_RATIO


def _heading_kind(line: str, size: float, bold: bool, body: float) -> tuple[float, bool] | None:
    """(size, bold) when ``line`` is set as a heading, else None."""
    text = line.strip()
    if not text or len(text) > _MAX_HEADING_CHARS or not any(c.isalpha() for c in text):
        return None
    if text[0] in "”“\"'«»(–-•" or text.endswith(("”", '"', "!", "?", ".", ",")):
        return None  # a pull quote, a bullet or a sentence, however large
    if size >= body * _HEADING_RATIO:
        return (round(size), False)
    if bold and size >= body * 0.95 and len(text) <= 80:
        return (round(size), True)
    return None

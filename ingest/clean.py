"""Cleaning Swedish text as it really comes out of PDF and web extraction.

From raw pages to :class:`Block` s (headings, paragraphs, list items), in this order:

- every line normalised (:mod:`~regionplans.ingest.lines`): Unicode repaired, letter
  spacing and garbled case undone, whitespace and bullets made plain;
- document furniture out (:mod:`~regionplans.ingest.furniture`): tables of contents,
  running headers and footers, page counters, footnote markers, a cover page kept as
  the title only;
- site chrome out: browser warnings, cookie notices, "Hade du nytta av innehållet på
  denna sida?", contact and address footers, and the lines that open or close several
  documents of the same site (:func:`~regionplans.ingest.furniture.site_boilerplate`;
  a site is a publisher, :func:`~regionplans.ingest.corpus.site_of`: text another
  publisher also prints, a republished press release, is content);
- wrapped lines reflowed into paragraphs, words broken across lines rejoined
  (:mod:`~regionplans.ingest.vocabulary`); pull quotes that repeat the running text
  kept once (:mod:`~regionplans.ingest.quotes`).

:func:`clean_document` also says what it took out, for the ingest report.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from regionplans.ingest.furniture import (
    Line,
    fold_digits,
    is_cover,
    is_page_counter,
    page_ranges,
    repeated_page_lines,
    site_boilerplate,
    strip_footnote_marks,
    strip_photo_credit,
    toc_lines,
)
from regionplans.ingest.lines import BULLET, NUMBER_LINE, is_chrome, normalise_line
from regionplans.ingest.quotes import drop_consecutive_duplicates, pull_quotes
from regionplans.ingest.sections import _FUNCTION_WORDS, Heading, detect_heading, numbered_heading
from regionplans.ingest.unicode import repair
from regionplans.ingest.vocabulary import (
    TAIL,
    Vocabulary,
    fix_inline,
    join_lines,
    join_parts,
    word_counts,
)

__all__ = [
    "BULLET", "Block", "Cleaned", "Vocabulary", "assemble", "clean_document", "clean_pages",
    "is_chrome", "join_lines", "normalise_line", "replace_text", "site_boilerplate", "word_counts",
]  # fmt: skip

# Where the content ends and the contact/address footer begins.
_FOOTER_START = re.compile(
    r"^(?:foto på kontaktperson|hade du nytta av|.*logotyp(?:en)?$|organisationsnummer|"
    r"sociala medier$|kontakta oss$|kontaktperson(?:er)?$|dela (?:sidan|artikeln))",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Block:
    """A heading, paragraph or list item of cleaned text on one page (1-based)."""

    kind: str  # "heading" | "para" | "item"
    text: str
    page: int
    level: int = 0


@dataclass(frozen=True, slots=True)
class Cleaned:
    """The blocks of one document and what cleaning took out of it, for the report
    (e.g. "table of contents dropped: pages 2-3")."""

    blocks: tuple[Block, ...]
    notes: tuple[str, ...] = ()


def clean_pages(
    pages: Sequence[str],
    *,
    headings: Sequence[tuple[int, str]] = (),
    vocabulary: Vocabulary | None = None,
    boilerplate: frozenset[str] = frozenset(),
    wrapped: bool | None = None,
) -> list[Block]:
    """The blocks of :func:`clean_document`, without its notes."""
    cleaned = clean_document(pages, headings=headings, vocabulary=vocabulary,
                             boilerplate=boilerplate, wrapped=wrapped)  # fmt: skip
    return list(cleaned.blocks)


def clean_document(
    pages: Sequence[str],
    *,
    headings: Sequence[tuple[int, str]] = (),
    vocabulary: Vocabulary | None = None,
    boilerplate: frozenset[str] = frozenset(),
    wrapped: bool | None = None,
) -> Cleaned:
    """Clean raw pages into blocks, and say what was taken out.

    ``headings`` are headings declared by markup or font size (then only numbered goals
    are guessed besides them, in page layouts); ``vocabulary`` is the corpus vocabulary
    for rejoining broken words; ``boilerplate`` are casefolded lines known to be chrome
    of this document's site; ``wrapped`` says lines break mid-sentence (guessed when
    ``None``). A cover page is only recognised in page layouts (``wrapped``).
    """
    vocabulary = vocabulary or Vocabulary()
    repaired: Counter[str] = Counter()
    page_lines = [[normalise_line(line) for line in repair(page, repaired).splitlines()] for page in pages]
    notes: list[str] = []
    if repaired:
        notes.append("Unicode repaired: " + ", ".join(f"{n} {kind}" for kind, n in repaired.most_common()))
    running = repeated_page_lines(page_lines)
    toc_pages: list[int] = []
    furniture = footnotes = 0
    cover_title: list[Block] = []
    if wrapped and is_cover(page_lines[0] if page_lines else [], len(page_lines)):
        cover_title = _cover_title(page_lines[0], headings)
        page_lines[0] = []
        notes.append("cover page kept as the title only")
    lines: list[Line] = []
    for number, page in enumerate(page_lines, start=1):
        toc = toc_lines(page, len(page_lines))
        if toc:
            toc_pages.append(number)
        nonblank = [i for i, line in enumerate(page) if line]
        edges = set(nonblank[:2] + nonblank[-2:])
        for i, line in enumerate(page):
            if i in toc:
                continue
            if line and (is_page_counter(line, at_edge=i in edges) or (i in edges and fold_digits(line) in running)):
                furniture += 1
                continue
            stripped = strip_footnote_marks(line)
            footnotes += stripped != line
            lines.append(Line(stripped, number))
    if toc_pages:
        notes.append(f"table of contents dropped: page{'s' if len(toc_pages) > 1 else ''} {page_ranges(toc_pages)}")
    if furniture:
        notes.append(f"running headers, footers and page counters dropped: {furniture} lines")
    if footnotes:
        notes.append(f"footnote markers dropped from {footnotes} lines")
    lines = _cut_footer(lines)
    lines = [
        line for line in lines
        if not line.text or not (is_chrome(line.text) or line.text.casefold() in boilerplate)
    ]  # fmt: skip
    if wrapped is None:
        wrapped = _looks_wrapped(lines)
    blocks = _blocks(lines, headings, vocabulary, wrapped=wrapped)
    blocks = [replace_text(b, strip_photo_credit(fix_inline(b.text, vocabulary))) for b in blocks]
    blocks = [blocks[i] for i in drop_consecutive_duplicates(blocks)]
    quotes = pull_quotes(blocks)
    if quotes:
        notes.append(f"pull quotes dropped: {len(quotes)}")
    kept = cover_title + [block for i, block in enumerate(blocks) if i not in quotes]
    return Cleaned(tuple(kept), tuple(notes))


def replace_text(block: Block, text: str) -> Block:
    return Block(block.kind, text, block.page, block.level)


def _cover_title(lines: Sequence[str], declared: Sequence[tuple[int, str]]) -> list[Block]:
    """The title a cover carries: its declared heading (the largest type), else its first
    line continued while it ends mid-phrase ("Handlingsplan för" + "precisionsmedicin")."""
    body = [line for line in lines if line and not is_chrome(line)]
    headings = {normalise_line(text) for _level, text in declared}
    for line in body:
        if line in headings:
            return [Block("heading", line, 1, 1)]
    if not body:
        return []
    title = body[0]
    for line in body[1:3]:
        last = title.rsplit(" ", 1)[-1].casefold()
        if not (title.endswith(("-", "–", ":")) or last in _FUNCTION_WORDS or line[:1].islower()):
            break
        title = f"{title} {line}"
    return [Block("heading", title, 1, 1)]


def _cut_footer(lines: list[Line]) -> list[Line]:
    """Drop a contact/address footer: everything from its first line in the last 40 %."""
    nonblank = [i for i, line in enumerate(lines) if line.text]
    if len(nonblank) < 5:
        return lines
    start = nonblank[int(len(nonblank) * 0.6)]
    for i in range(start, len(lines)):
        if lines[i].text and _FOOTER_START.match(lines[i].text):
            return lines[:i]
    return lines


def _looks_wrapped(lines: Sequence[Line]) -> bool:
    """Whether lines break mid-sentence (a page layout) rather than one paragraph per line."""
    texts = [line.text for line in lines]
    pairs = [(a, b) for a, b in zip(texts, texts[1:], strict=False) if a and b]
    nonblank = sum(1 for t in texts if t)
    if not nonblank:
        return False
    broken = sum(1 for a, _b in pairs if a[-1:] not in ".!?:;”\"")
    return broken / nonblank > 0.25


def _ends_sentence(text: str) -> bool:
    return text[-1:] in tuple(".!?:;”\"')]")


class _Paragraph:
    """The block being built: its lines joined as they come, in time linear in its length."""

    __slots__ = ("kind", "page", "parts")

    def __init__(self, kind: str, text: str, page: int) -> None:
        self.kind, self.page, self.parts = kind, page, [text]

    def tail(self) -> str:
        last = self.parts[-1]
        if len(last) < TAIL and len(self.parts) > 1:
            last = self.parts[-2][-TAIL:] + last
        return last[-TAIL:]

    def add(self, text: str, vocabulary: Vocabulary) -> None:
        cut, glue, right = join_parts(self.tail(), text, vocabulary)
        if cut:
            self.parts[-1] = self.parts[-1][:-cut]
        self.parts.append(glue + right)

    def block(self) -> Block:
        return Block(self.kind, "".join(self.parts), self.page)


def _blocks(
    lines: Sequence[Line], declared: Sequence[tuple[int, str]], vocabulary: Vocabulary, *, wrapped: bool
) -> list[Block]:
    """Group lines into headings, paragraphs and list items, joining wrapped lines."""
    declared_left: dict[str, list[int]] = {}
    for level, text in declared:
        declared_left.setdefault(normalise_line(text), []).append(level)
    has_declared = bool(declared)
    blocks: list[Block] = []
    current: _Paragraph | None = None
    gap = False

    def close() -> None:
        nonlocal current
        if current is not None:
            blocks.append(current.block())
        current = None

    texts = [line.text for line in lines]
    for i, line in enumerate(lines):
        text = line.text
        if not text:
            gap = True
            continue
        heading = _heading_at(i, texts, declared_left, has_declared, wrapped=wrapped)
        if heading is not None:
            close()
            blocks.append(Block("heading", heading.label, line.page, heading.level))
            if heading.rest:
                current = _Paragraph("para", heading.rest, line.page)
            gap = False
            continue
        is_item = text.startswith(BULLET + " ") or bool(NUMBER_LINE.match(text))
        if current is not None and not is_item and (not gap or _continues_after_gap(current.tail(), text)):
            current.add(text, vocabulary)
            gap = False
            continue
        close()
        current = _Paragraph("item" if is_item else "para", text, line.page)
        gap = False
    close()
    return blocks


def _continues_after_gap(before: str, text: str) -> bool:
    """Whether ``text`` after a blank line still continues the sentence ending ``before``.

    Page layouts break sentences over blank lines ("överens-", "", "stämmer"), and
    list items over a column gap ("Region Stockholm", "", "(RS 2019-0672)").
    """
    if _ends_sentence(before):
        return False
    if text[:1].islower() or text[:1] == "(" or before.endswith(("-", ",", "–")):
        return True
    last = before.rsplit(" ", 1)[-1].casefold()
    return last in _FUNCTION_WORDS


def _heading_at(
    i: int, texts: Sequence[str], declared: dict[str, list[int]], has_declared: bool, *, wrapped: bool
) -> Heading | None:
    text = texts[i]
    if has_declared:
        levels = declared.get(text)
        if levels:
            level = levels.pop(0)
            numbered = numbered_heading(text)
            if numbered is not None and numbered.rest:
                return Heading(level, numbered.label, numbered.rest)
            return Heading(level, text)
        if not wrapped:
            return None
    p = i - 1
    while p >= 0 and not texts[p]:
        p -= 1
    n = i + 1
    while n < len(texts) and not texts[n]:
        n += 1
    heading = detect_heading(
        text,
        texts[p] if p >= 0 else None,
        texts[n] if n < len(texts) else None,
        wrapped=wrapped,
        gap_before=p < i - 1 or p < 0,
        gap_after=n > i + 1 or n >= len(texts),
    )
    # Beside headings declared by font size, only numbered goals ("MÅL 3:") are guessed.
    if has_declared and heading is not None and numbered_heading(text) is None:
        return None
    return heading


def assemble(blocks: Sequence[Block], page_count: int) -> tuple[str, list[tuple[str, int, int, int, int]]]:
    """The cleaned document text (pages separated by ``\\f``) and each block's span in it.

    Spans are ``(kind, level, page, start, end)``. Headings, paragraphs and lists
    are separated by blank lines; list items by a line break.
    """
    pieces: list[str] = []
    spans: list[tuple[str, int, int, int, int]] = []
    offset = 0
    last_page = max([page_count, *(b.page for b in blocks)]) if blocks else max(page_count, 1)
    by_page: dict[int, list[Block]] = {}
    for block in blocks:
        by_page.setdefault(block.page, []).append(block)
    for page in range(1, last_page + 1):
        if page > 1:
            pieces.append("\f")
            offset += 1
        previous: Block | None = None
        for block in by_page.get(page, []):
            if previous is not None:
                sep = "\n" if block.kind == previous.kind == "item" else "\n\n"
                pieces.append(sep)
                offset += len(sep)
            pieces.append(block.text)
            spans.append((block.kind, block.level, page, offset, offset + len(block.text)))
            offset += len(block.text)
            previous = block
    return "".join(pieces), spans

"""Headings, sections and chunks.

Headings come from markup where the format has it (HTML ``<h1>``–``<h6>``, Word
heading styles) and are detected in plain text and PDFs otherwise: a short
stand-alone line that starts with a capital, does not end a sentence and is not
the start of a wrapped sentence ("Inledning", "Bakgrund och utmaningar",
"MÅL 3:", "Delmål", "Åtgärder"). Numbered goals ("MÅL 3") sit one level above
their parts ("Delmål", "Åtgärder"), so a path reads
"Handlingsplan Precisionsmedicin > MÅL 3 > Åtgärder".

Sections are runs of text under one heading path on one page; chunks split a
section on sentence boundaries into pieces small enough to embed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from regionplans.ingest.sentences import split_sentences
from regionplans.records import Chunk, Section

# "MÅL 3:", "Mål 2.", "Delmål 1", "Fokusområde 4 – Data", "Insatsområde 2".
NUMBERED_HEADING = re.compile(
    r"^(?P<label>(?:MÅL|Mål|DELMÅL|Delmål|Fokusområde|FOKUSOMRÅDE|Insatsområde|INSATSOMRÅDE|"
    r"Område|OMRÅDE|Strategiområde|Utvecklingsområde|Kapitel|KAPITEL|Goal|GOAL)\s+\d{1,2})(?!\d)"
    r"(?:\s*$|\s*[:.–—-]\s*(?P<rest>.*)$)"
)
# Parts of a goal: one level below a numbered heading.
SUB_HEADINGS = frozenset(
    {
        "delmål", "åtgärder", "åtgärd", "aktiviteter", "insatser", "indikatorer", "mätetal",
        "ansvar", "tidplan", "uppföljning", "förväntat resultat", "förväntade resultat",
        "nuläge", "målbild", "effektmål", "målsättning",
    }
)  # fmt: skip
_SENTENCE_END = re.compile(r"[.!?;,:…]$")
# A line ending in one of these continues on the next line: it is not a heading.
_FUNCTION_WORD_LIST = (
    "av och i för att med som till på om är en ett de det den från inom vid under mot samt "
    "eller hos genom efter utan mellan sina sin vara har kan ska skall bör måste the of and to "
    "in for with a an"
)
_FUNCTION_WORDS = frozenset(_FUNCTION_WORD_LIST.split())
_ITEM = re.compile(r"^(?:•|\d{1,2}[.)])\s")


@dataclass(frozen=True, slots=True)
class Heading:
    """A detected heading: ``level`` 1 is the top, ``label`` is the text kept in paths."""

    level: int
    label: str
    rest: str = ""  # text on the heading's line after the label ("MÅL 3: Ett system...")


def numbered_heading(line: str) -> Heading | None:
    """ "MÅL 3: En IT-infrastruktur..." → Heading(2, "MÅL 3", "En IT-infrastruktur...")."""
    match = NUMBERED_HEADING.match(line.strip())
    if not match:
        return None
    label = " ".join(match.group("label").split())
    return Heading(2, label, (match.group("rest") or "").strip())


def detect_heading(
    line: str,
    prev: str | None,
    next_: str | None,
    *,
    wrapped: bool,
    gap_before: bool = True,
    gap_after: bool = True,
) -> Heading | None:
    """Whether a plain-text ``line`` is a heading, given its neighbouring lines.

    ``prev``/``next_`` are the nearest non-blank lines (``None`` at the start or
    end); ``gap_before``/``gap_after`` say a blank line separates them. ``wrapped`` says the text comes from a page layout whose
    lines break mid-sentence (PDF); there headings must be short and stand apart
    from the wrapped sentences around them.
    """
    text = line.strip()
    numbered = numbered_heading(text)
    if numbered is not None:
        return numbered
    if not text or _ITEM.match(text) or not text[0].isupper():
        return None
    words = text.split()
    if _SENTENCE_END.search(text) or text.endswith("-"):
        return None
    if len(words) > (6 if wrapped else 12) or len(text) > (60 if wrapped else 100):
        return None
    # A heading is never continued by a lower-case line (that is a wrapped sentence).
    if next_ is None or next_.strip()[:1].islower():
        return None
    if wrapped and next_.strip()[:1] in "(0123456789" and not _ITEM.match(next_.strip()):
        return None
    sub_heading = text.casefold() in SUB_HEADINGS
    if (
        prev
        and (wrapped or not gap_before)
        and not (gap_before and sub_heading)
        and not re.search(r"[.!?:”\"')]\s*$", prev.strip())
    ):
        # After a sentence that has not ended, a short line is its continuation.
        return None
    if words[-1].casefold() in _FUNCTION_WORDS:
        return None
    if not wrapped and not (gap_before and gap_after):
        # In unwrapped text every paragraph is its own line: a heading stands alone.
        return None
    level = 3 if sub_heading else 2
    return Heading(level, text)


def _words(text: str) -> tuple[str, ...]:
    """A heading's words, for comparing it with the title ("–" and "-" alike)."""
    return tuple(re.findall(r"\w+", text.casefold()))


def build_sections(
    doc_id: str,
    text: str,
    blocks: Sequence[tuple[str, int, int, int, int]],
    title: str,
) -> list[Section]:
    """Sections from the cleaned text's blocks.

    ``blocks`` are ``(kind, level, page, start, end)`` with offsets into ``text``;
    ``kind`` is ``"heading"`` or body. The heading path starts with the document
    title; a heading equal to the title resets the path to the title alone.
    """
    stack: list[tuple[int, str]] = []
    sections: list[Section] = []
    current: tuple[tuple[str, ...], int, int, int] | None = None  # path, page, start, end
    root = (title,) if title else ()
    last_numbered_level: int | None = None

    def close() -> None:
        nonlocal current
        if current is not None:
            path, page, start, end = current
            sections.append(Section(doc_id, path, text[start:end], page, start, end))
        current = None

    for kind, level, page, start, end in blocks:
        if kind == "heading":
            close()
            label = text[start:end].strip()
            if title and _words(label) == _words(title):
                stack = []
                continue
            if label.casefold() in SUB_HEADINGS and last_numbered_level is not None and stack:
                level = max(level, last_numbered_level + 1)
            elif numbered_heading(label) is not None:
                last_numbered_level = level
            while stack and stack[-1][0] >= level:
                stack.pop()
            stack.append((level, label))
            continue
        path = root + tuple(label for _, label in stack)
        if current is not None and (current[0] != path or current[1] != page):
            close()
        current = (path, page, start, end) if current is None else (path, page, current[2], end)
    close()
    return sections


def chunk_sections(
    doc_id: str,
    text: str,
    sections: Sequence[Section],
    *,
    max_words: int = 200,
    max_chars: int = 1500,
) -> list[Chunk]:
    """Split sections into chunks of at most ``max_words`` words / ``max_chars`` characters.

    Chunks end on sentence boundaries; a single sentence longer than the bound is
    cut between words. ``text[c.split_idx_start:c.split_idx_end] == c.text``.
    """
    chunks: list[Chunk] = []
    for section in sections:
        spans = []
        for _sentence, s, e in split_sentences(text[section.start : section.end]):
            spans.extend(_bounded(text, section.start + s, section.start + e, max_words, max_chars))
        group: list[tuple[int, int]] = []
        words = 0
        for start, end in spans:
            n = len(text[start:end].split())
            if group and (words + n > max_words or end - group[0][0] > max_chars):
                # A lead-in ending in ":" ("föreslår Lif att:") belongs with its list.
                carry: list[tuple[int, int]] = []
                for k in range(len(group) - 1, max(0, len(group) - 3), -1):
                    if text[group[k][0] : group[k][1]].endswith(":"):
                        carry, group = group[k:], group[:k]
                        break
                chunks.append(_chunk(doc_id, text, section, group, len(chunks)))
                group = carry
                words = sum(len(text[a:b].split()) for a, b in carry)
            group.append((start, end))
            words += n
        if group:
            chunks.append(_chunk(doc_id, text, section, group, len(chunks)))
    return chunks


def _bounded(text: str, start: int, end: int, max_words: int, max_chars: int) -> list[tuple[int, int]]:
    """Cut one over-long sentence between words."""
    if len(text[start:end].split()) <= max_words and end - start <= max_chars:
        return [(start, end)]
    pieces: list[tuple[int, int]] = []
    piece: list[tuple[int, int]] = []
    for word in re.finditer(r"\S+", text[start:end]):
        w_start, w_end = start + word.start(), start + word.end()
        if piece and (len(piece) >= max_words or w_end - piece[0][0] > max_chars):
            pieces.append((piece[0][0], piece[-1][1]))
            piece = []
        piece.append((w_start, w_end))
    if piece:
        pieces.append((piece[0][0], piece[-1][1]))
    return pieces


def _chunk(doc_id: str, text: str, section: Section, group: list[tuple[int, int]], split_id: int) -> Chunk:
    start, end = group[0][0], group[-1][1]
    body = text[start:end]
    return Chunk(
        chunk_id=Chunk.make_id(doc_id, section.heading_path, body, split_id),
        doc_id=doc_id,
        text=body,
        heading_path=section.heading_path,
        page_number=section.page_number,
        split_id=split_id,
        split_idx_start=start,
        split_idx_end=end,
    )

"""A small Swedish sentence splitter (no downloaded models or NLTK data), one for the
whole project: ingest cuts documents with it, the comparison table cuts its quotes.

Splits after ``.``, ``!`` or ``?`` (optionally followed by a closing quote or
bracket) when whitespace and an upper-case letter, digit, quote, dash or bullet
follow. Common Swedish and English abbreviations ("t.ex.", "bl.a.", "dvs.", "m.m.",
"inkl.", "e.g.") and initials never end a sentence.

- :func:`split_sentences` (documents) also breaks at every line break: paragraphs and
  list items are lines there.
- :func:`passage_spans` (an indexed passage, whose text keeps a PDF's line breaks inside
  sentences) breaks at blank lines and bullets instead, also after a colon before a
  capital ("Mål 2: Regionen ska ..."), never inside parentheses, and gives a numbered
  heading line ("5.1 Genomik") a span of its own.

>>> [s for s, _, _ in split_sentences("Vi behöver t.ex. data, dvs. mer. Sedan AI!")]
['Vi behöver t.ex. data, dvs. mer.', 'Sedan AI!']
"""

from __future__ import annotations

import re

# Lower-cased, with their final period. Amounts ("50 mnkr.", "3 kr.") are none: before a
# capital they end the sentence.
_ABBREVIATIONS = """
    t.ex. bl.a. b.la. dvs. d.v.s. m.m. osv. o.s.v. etc. inkl. exkl. exv. resp. ca. c:a s.k. f.d.
    t.o.m. fr.o.m. m.fl. m.a.o. o.d. p.g.a. pga. enl. jfr. jmf. dr. prof. st. kl. nr. kap. sek.
    tel. bil. avd. ang. forts. ev. fig. tab. s. ff. el. obs. vs. mm.
    e.g. i.e. et al. no. vol. ed. approx. inc. ltd. co. proc. uppl. red. ggr. ex.
"""
ABBREVIATIONS = frozenset(_ABBREVIATIONS.split())

_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s)")
_NEXT_START = re.compile(r"\s+(?=[\"'”“‘(\[–—•\-]?\s?[A-ZÅÄÖÉÜ0-9])")


def _is_abbreviation(text: str, end: int) -> bool:
    """Whether the period ending at ``end`` belongs to an abbreviation or an initial."""
    # The word before: at most 64 characters back (searching from the start made long
    # lines quadratic).
    if end <= 0 or text[end - 1].isspace():
        return False
    written = text[max(0, end - 64) : end].rsplit(None, 1)[-1].lstrip("(\"'“”")
    token = written.lower()
    if token in ABBREVIATIONS:
        return True
    # Multi-part abbreviations split by a space ("et al.") and initials ("K. Berg"); a
    # lower-case letter ends a sentence ("... att forska i. Men").
    core = written.rstrip(".")
    if len(core) == 1 and core.isalpha() and core.isupper():
        return True
    return bool(re.fullmatch(r"(?:[a-zåäö]\.){2,}", token))


def split_sentences(text: str) -> list[tuple[str, int, int]]:
    """Split ``text`` into sentences: ``(sentence, start, end)`` with ``text[start:end] == sentence``.

    Paragraph and list-item breaks (newlines) always end a sentence; leading and
    trailing whitespace is excluded from each span.
    """
    spans: list[tuple[str, int, int]] = []
    for line in re.finditer(r"[^\n\f]+", text):
        base = line.start()
        chunk = line.group(0)
        start = 0
        for match in _END.finditer(chunk):
            end = match.end()
            if match.group(0).startswith(".") and _is_abbreviation(chunk, match.start() + 1):
                continue
            # "1. Text" opens a numbered item; the number is not a sentence.
            if end - start <= 8 and re.fullmatch(r"\s*\d{1,2}\.", chunk[start:end]):
                continue
            following = _NEXT_START.match(chunk, end)
            if not following:
                continue
            _add(spans, text, base + start, base + end)
            start = following.end()
        _add(spans, text, base + start, base + len(chunk))
    return spans


def _add(spans: list[tuple[str, int, int]], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((text[start:end], start, end))


# Passage sentence ends: . ! ? … : before a capital, digit, quote, bracket, dash or
# bullet; a blank line; a bullet.
_PASSAGE_END = re.compile(r"[.!?…:]+[\"'”’)\]]*(?=\s)")
_PASSAGE_BREAK = re.compile(r"\n[ \t]*\n|\f|•")
_NUMBERED_HEADING = re.compile(r"(?m)^[ \t]*\d+(?:\.\d+)*\.?[ \t]+[^\n]{2,80}$\n")


def passage_spans(text: str) -> list[tuple[int, int]]:
    r"""``(start, end)`` of the sentences of an indexed passage, stripped of surrounding
    space; a bullet is no part of its item's sentence.

    >>> t = "Mål 2: Regionen ska (t.ex. i Lund. Och Umeå) erbjuda WGS.\n• Punkt ett"
    >>> [t[s:e] for s, e in passage_spans(t)]
    ['Mål 2:', 'Regionen ska (t.ex. i Lund. Och Umeå) erbjuda WGS.', 'Punkt ett']
    """
    spans: list[tuple[int, int]] = []
    pos = 0
    for block in [*_PASSAGE_BREAK.finditer(text), None]:
        end = block.start() if block else len(text)
        spans.extend(_passage_sentences(text, pos, end))
        if block:
            pos = block.end()
    return [piece for s, e in spans for piece in _split_headings(text, s, e) if piece]


def _passage_sentences(text: str, start: int, stop: int) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for match in _PASSAGE_END.finditer(text, start, stop):
        end = match.end()
        if match.group(0).startswith(".") and _is_abbreviation(text, match.start() + 1):
            continue
        if text.count("(", start, end) > text.count(")", start, end):
            continue  # inside parentheses
        following = _NEXT_START.match(text, end, stop)
        if not following:
            continue
        out.append((start, end))
        start = following.end()
    out.append((start, stop))
    return out


def _split_headings(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A numbered heading line ("5.1 Genomik") inside a span is a sentence of its own;
    spans come back stripped of surrounding space (empty ones dropped)."""
    pieces, pos = [], start
    # A heading line ends in a line break: a span without one has none.
    for m in _NUMBERED_HEADING.finditer(text, start, end) if text.find("\n", start, end) >= 0 else ():
        line = m.group(0).strip()
        if line.endswith((".", ",", ";")) or len(line.split()) > 10:
            continue
        pieces.extend([(pos, m.start()), (m.start(), m.end())])
        pos = m.end()
    pieces.append((pos, end))
    out = []
    for s, e in pieces:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out

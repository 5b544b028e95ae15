"""A small Swedish sentence splitter (no downloaded models or NLTK data).

Splits after ``.``, ``!`` or ``?`` (optionally followed by a closing quote or
bracket) when whitespace and an upper-case letter, digit, quote, dash or bullet
follow, and always at line breaks between paragraphs and list items. Common
Swedish abbreviations ("t.ex.", "bl.a.", "dvs.", "m.m.", "inkl.") and initials
never end a sentence.

>>> [s for s, _, _ in split_sentences("Vi behöver t.ex. data, dvs. mer. Sedan AI!")]
['Vi behöver t.ex. data, dvs. mer.', 'Sedan AI!']
"""

from __future__ import annotations

import re

# Lower-cased, with their final period.
_ABBREVIATIONS = """
    t.ex. bl.a. b.la. dvs. d.v.s. m.m. osv. o.s.v. etc. inkl. exkl. exv. resp. ca. c:a s.k. f.d.
    t.o.m. fr.o.m. m.fl. m.a.o. o.d. p.g.a. pga. enl. jfr. jmf. dr. prof. st. kl. nr. kap. sek.
    tel. mkr. mdkr. milj. mnkr. kr. bil. avd. ang. forts. ev. fig. tab. s. ff. el. obs. vs. mm.
    e.g. i.e. et al. no. vol. ed. approx. inc. ltd. co. tkr. mn. mdr. proc. uppl. red. ggr.
"""
ABBREVIATIONS = frozenset(_ABBREVIATIONS.split())

_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s)")
_NEXT_START = re.compile(r"\s+(?=[\"'”“‘(\[–—•\-]?\s?[A-ZÅÄÖÉÜ0-9])")
_TOKEN_BEFORE = re.compile(r"(\S+)$")


def _is_abbreviation(text: str, end: int) -> bool:
    """Whether the period ending at ``end`` belongs to an abbreviation or an initial."""
    # Only the last few characters: searching from the start made long lines quadratic.
    match = _TOKEN_BEFORE.search(text, max(0, end - 64), end)
    if not match:
        return False
    token = match.group(1).lower().lstrip("(\"'“”")
    if token in ABBREVIATIONS:
        return True
    # Multi-part abbreviations split by a space ("et al.") and initials ("K. Berg").
    core = token.rstrip(".")
    if len(core) == 1 and core.isalpha():
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

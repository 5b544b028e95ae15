"""Typographic effects that extraction turns into nonsense, undone on a line.

- letter-spaced headings: "k o n su m ti o n sp e r sp e ktiv" → "konsumtionsperspektiv";
  words set apart by two or more spaces stay apart ("P R O D U K T I O N   O C H" →
  "PRODUKTION OCH");
- mixed case from small-caps fonts: "ProDUKTIonSPerSPeKTIV" → "Produktionsperspektiv",
  while brand names in camel case keep theirs ("eHälsoMyndigheten", "GöteborgsRegionen").

>>> unspace_letters("k o n su m ti o n sp e r sp e ktiv")
'konsumtionsperspektiv'
>>> fix_mixed_case("ProDUKTIonSPerSPeKTIV och iPhone")
'Produktionsperspektiv och iPhone'
"""

from __future__ import annotations

import re

# Four tokens of one or two letters in a row: worth a closer look.
_SPACED_HINT = re.compile(r"(?:^|\s)[^\W\d_]{1,2}(?: [^\W\d_]{1,2}){3}(?:\s|$)")
_WORD_GAP = re.compile(r"\s{2,}|\t")
# Real one- and two-letter Swedish and English words, which do not count as fragments.
_SHORT_WORD_LIST = (
    "i à å ö a o e på av en ett om så är då ut nu by du vi ni de ja ju än få gå må dö bo "
    "of to in on at is it be as an or by we my no so up us he"
)
_SHORT_WORDS = frozenset(_SHORT_WORD_LIST.split())
# A lower-case letter, two or more capitals, a lower-case letter: no word is written so.
_GARBLED = re.compile(r"[a-zåäöé][A-ZÅÄÖÉ]{2,}[a-zåäöé]")
_HUMP = re.compile(r"[a-zåäöé][A-ZÅÄÖÉ]")
_WORD = re.compile(r"[^\W\d_]{4,}")


def unspace_letters(line: str) -> str:
    """Join a letter-spaced line; unchanged unless most of its tokens are single letters
    or fragments of two (so "Vi är i en by på ön" stays)."""
    if len(line) > 400 or not _SPACED_HINT.search(line):
        return line
    tokens = line.split()
    if len(tokens) < 5:
        return line
    singles = sum(1 for t in tokens if len(t) == 1 and t.isalpha())
    fragments = sum(1 for t in tokens if len(t) <= 2 and t.isalpha() and t.casefold() not in _SHORT_WORDS)
    if singles < 0.5 * len(tokens) or fragments < 0.6 * len(tokens):
        return line
    words = ["".join(group.split()) for group in _WORD_GAP.split(line.strip())]
    return " ".join(w for w in words if w)


def fix_mixed_case(line: str) -> str:
    """Words in garbled mixed case, lower-cased (capitalised when they start upper-case)."""
    if not _HUMP.search(line):
        return line
    return _WORD.sub(_fix_word, line)


def _fix_word(match: re.Match[str]) -> str:
    word = match.group(0)
    if not _GARBLED.search(word):
        return word
    transitions = sum(1 for a, b in zip(word, word[1:], strict=False) if a.isupper() != b.isupper())
    if transitions < 3:
        return word
    lowered = word.lower()
    return lowered[0].upper() + lowered[1:] if word[0].isupper() else lowered

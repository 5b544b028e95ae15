"""Words broken across line breaks, rejoined with the corpus vocabulary as evidence.

Words hyphenated across line breaks are joined ("utma-\\nning" → "utmaning") while real
hyphens survive ("hälso- och sjukvård", "forsknings-, utbildnings- och",
"IT-infrastruktur"); words broken without a hyphen are rejoined where the corpus
vocabulary shows the joined word ("sam\\nverkan" → "samverkan"). Every decision looks
at the end of the left line only, so joining the lines of a paragraph costs the
paragraph's length, however long it grows.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from regionplans.ingest.lines import BULLET, LETTER, normalise_line

# Conjunctions after which a line-final hyphen is a real Swedish hyphen
# ("hälso- och sjukvård", "kort- eller långsiktiga").
CONJUNCTIONS = frozenset({"och", "eller", "samt", "respektive", "resp", "som", "men", "liksom", "till", "and", "or"})
# How much of the left line a join decision reads: longer words are not words.
TAIL = 80

_HEAD_HYPHEN = re.compile(rf"({LETTER}+)-$")
_HEAD_WORD = re.compile(rf"({LETTER}+)$")
_TAIL_WORD = re.compile(rf"({LETTER}+)")
_WORD = re.compile(rf"{LETTER}+")
_HYPHENATED = re.compile(rf"{LETTER}+-{LETTER}+")


@dataclass(frozen=True)
class Vocabulary:
    """Word counts of a corpus, used to decide whether a broken word should be joined.

    Only tokens that stand whole in the text count: a token touching a hyphen or a
    line break may itself be a fragment.
    """

    words: Mapping[str, int] = field(default_factory=dict)
    hyphenated: frozenset[str] = frozenset()
    _sorted: tuple[str, ...] = ()

    @classmethod
    def from_texts(cls, texts: Iterable[str]) -> Vocabulary:
        words: Counter[str] = Counter()
        hyphenated: Counter[str] = Counter()
        for text in texts:
            more_words, more_hyphenated = word_counts(text)
            words.update(more_words)
            hyphenated.update(more_hyphenated)
        return cls.from_counts(words, hyphenated)

    @classmethod
    def from_counts(cls, words: Mapping[str, int], hyphenated: Mapping[str, int]) -> Vocabulary:
        """From :func:`word_counts` of every text, summed."""
        kept = {w: n for w, n in words.items() if n > 0}
        return cls(kept, frozenset(w for w, n in hyphenated.items() if n > 0), tuple(sorted(kept)))

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and word.casefold() in self.words

    def is_prefix(self, stem: str) -> bool:
        """Whether some known word is strictly longer and starts with ``stem``."""
        stem = stem.casefold()
        i = bisect_left(self._sorted, stem)
        while i < len(self._sorted) and self._sorted[i].startswith(stem):
            if len(self._sorted[i]) > len(stem):
                return True
            i += 1
        return False


def word_counts(text: str) -> tuple[Counter[str], Counter[str]]:
    """Whole words (case-folded) and hyphenated compounds of one text, counted.

    Only tokens that stand whole in a line count: a token touching a hyphen or a line
    end may itself be a fragment.
    """
    words: Counter[str] = Counter()
    hyphenated: Counter[str] = Counter()
    for raw_line in text.splitlines():
        line = normalise_line(raw_line)
        end = len(line)
        for match in _WORD.finditer(line):
            s, e = match.span()
            if s == 0 or e >= end:
                continue
            if line[s - 1] == "-" or line[e] == "-":
                continue
            words[match.group(0).casefold()] += 1
        for match in _HYPHENATED.finditer(line):
            if match.end() < end:
                hyphenated[match.group(0).casefold()] += 1
    return words, hyphenated


def join_lines(left: str, right: str, vocabulary: Vocabulary) -> str:
    """Join two wrapped lines, repairing a word broken across the break."""
    cut, glue, right = join_parts(left[-TAIL:], right, vocabulary)
    return left[: len(left) - cut] + glue + right


def join_parts(tail: str, right: str, vocabulary: Vocabulary) -> tuple[int, str, str]:
    """How to join ``right`` to a line ending in ``tail``: ``(characters to cut from the
    left line, the glue, the right line as joined)``."""
    if right.startswith(BULLET + " "):
        right = right[2:]
    head = _HEAD_HYPHEN.search(tail)
    tail_word = _TAIL_WORD.match(right)
    if head and tail_word:
        w1, w2 = head.group(1), tail_word.group(1)
        if w2.casefold() in CONJUNCTIONS or w2.casefold().rstrip(".") in CONJUNCTIONS:
            return 0, " ", right  # "hälso- och sjukvård"
        if w1[-1].isupper() or w2[0].isupper():
            return 0, "", right  # "IT-infrastruktur", "Life science-Strategin"
        hyphenated = f"{w1}-{w2}".casefold()
        if hyphenated in vocabulary.hyphenated and (w1 + w2) not in vocabulary:
            return 0, "", right
        return 1, "", right  # "utma-" + "ning" → "utmaning"
    if tail.endswith("-") and right[:1].isdigit():
        return 0, "", right
    head = _HEAD_WORD.search(tail)
    if head and tail_word and right[:1].islower() and should_rejoin(head.group(1), tail_word.group(1), vocabulary):
        return 0, "", right
    return 0, " ", right


def should_rejoin(w1: str, w2: str, vocabulary: Vocabulary) -> bool:
    """Whether "w1 w2", broken at a line end without a hyphen, is one word ("sam" + "verkan").

    Evidence comes from the corpus vocabulary: the joined word occurs elsewhere;
    or the first part is no word of its own and a known word starts the joined
    word ("samverkans|arena") or continues it ("attraktiv|iteten"); or the first
    part is a compound stem ending in the linking "s" ("sjukvårds|organisationer").
    """
    joined = (w1 + w2).casefold()
    if joined in vocabulary.words:
        return True
    if w1 in vocabulary or len(w1) < 2:
        return False
    for k in range(len(joined) - 1, len(w1) + 2, -1):
        if joined[:k] in vocabulary.words and k >= 6:
            return True
    if len(joined) >= 8 and vocabulary.is_prefix(joined):
        return True
    # A compound stem with the linking "s" that starts known words ("kunskaps|spridning").
    return w1.islower() and w1.endswith("s") and len(w1) >= 6 and len(w2) >= 4 and vocabulary.is_prefix(w1)


_INLINE_HYPHEN = re.compile(rf"(?<![\w-])({LETTER}+)- ({LETTER}+)")
_INLINE_SPLIT = re.compile(r"(?<![\w-])([a-zåäöé]{4,}s) ([a-zåäöé]{3,})(?![\w-])")


def fix_inline(text: str, vocabulary: Vocabulary) -> str:
    """Repair breaks that reached a line as "utma- ning" (an extractor put a space at the break)."""

    def repl(match: re.Match[str]) -> str:
        w1, w2 = match.group(1), match.group(2)
        if w2.casefold() in CONJUNCTIONS or not w2[0].islower() or w1[-1].isupper():
            return match.group(0)
        return w1 + w2

    text = _INLINE_HYPHEN.sub(repl, text)

    def rejoin(match: re.Match[str]) -> str:
        # "precisions medicinska": a compound split by a stray space. Joined only
        # when the corpus has the joined word and the first part is no word.
        w1, w2 = match.group(1), match.group(2)
        joined = (w1 + w2).casefold()
        if w1 not in vocabulary and vocabulary.words.get(joined, 0) >= 2:
            return w1 + w2
        return match.group(0)

    return _INLINE_SPLIT.sub(rejoin, text)

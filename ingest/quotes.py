"""Repeated text within one document: pull quotes and captions printed twice, kept once.

Pull quotes repeat one or two sentences of the running text, sometimes without a
parenthesis ("Precisionsmedicin (PM) ställer..."), so sentences are compared as word
sequences without parentheses, case and punctuation. The search is linear in the
document: every candidate sentence is indexed by its first words, and each block's
words are read once against that index (a 5 MB page took 39 s when every paragraph
was compared with every other).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol

from regionplans.ingest.sentences import split_sentences

# Sentences shorter than this (in characters of their key) are too common to judge.
MIN_SENTENCE = 20
# How many other blocks holding a sentence are remembered; enough to find one kept.
_MAX_HOLDERS = 8
_ANCHOR = 4


class _Block(Protocol):
    @property
    def kind(self) -> str: ...

    @property
    def text(self) -> str: ...


def quote_key(text: str) -> str:
    """Case-folded words without parenthesised asides: what a pull quote is compared by."""
    text = re.sub(r"\([^)]*\)", " ", text.casefold())
    return " ".join(re.findall(r"\w+", text))


def drop_consecutive_duplicates(blocks: Sequence[_Block]) -> list[int]:
    """Indexes of the blocks to keep: a caption printed twice (alt text and caption) once."""
    kept: list[int] = []
    for i, block in enumerate(blocks):
        if kept:
            last = blocks[kept[-1]]
            if last.kind == block.kind and last.text.casefold() == block.text.casefold():
                continue
        kept.append(i)
    return kept


def pull_quotes(blocks: Sequence[_Block]) -> set[int]:
    """Indexes of paragraphs whose every sentence also stands in another block.

    Blocks are judged in order, each against the blocks still kept, so of two identical
    paragraphs the first survives and the second goes.
    """
    words = [quote_key(b.text).split() if b.kind != "heading" else [] for b in blocks]
    # Each candidate paragraph's sentences, as word tuples.
    sentences: dict[int, list[tuple[str, ...]]] = {}
    anchors: dict[tuple[str, ...], set[tuple[str, ...]]] = {}
    for i, block in enumerate(blocks):
        if block.kind != "para" or not words[i]:
            continue
        keys = [tuple(quote_key(s).split()) for s, _, _ in split_sentences(block.text)]
        keys = [k for k in keys if k]
        if not keys or any(len(" ".join(k)) < MIN_SENTENCE for k in keys):
            continue
        sentences[i] = keys
        for key in keys:
            anchors.setdefault(key[:_ANCHOR], set()).add(key)
    if not sentences:
        return set()
    holders: dict[tuple[str, ...], list[int]] = {}
    lengths = sorted({len(a) for a in anchors})
    firsts = {a[0] for a in anchors}
    for j, seq in enumerate(words):
        for p in range(len(seq)):
            if seq[p] not in firsts:
                continue
            for n in lengths:
                found = anchors.get(tuple(seq[p : p + n])) if p + n <= len(seq) else None
                if not found:
                    continue
                for key in found:
                    if len(key) <= len(seq) - p and tuple(seq[p : p + len(key)]) == key:
                        places = holders.setdefault(key, [])
                        if (not places or places[-1] != j) and len(places) < _MAX_HOLDERS:
                            places.append(j)
    dropped: set[int] = set()
    for i in sorted(sentences):
        if all(any(j != i and j not in dropped for j in holders.get(key, ())) for key in sentences[i]):
            dropped.add(i)
    return dropped

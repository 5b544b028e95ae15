"""How to recognise a topic in a sentence, in Swedish and English.

A topic ("AI i diagnostik", "whole-genome sequencing", "life science-strategi") is cut
into its components — the phrases of the field's glossary (``regionplans/glossary.json``) and the
remaining content words — and a sentence is about the topic when every component is
named in it (or in its section heading), by any of its terms. "AI in diagnostics"
then needs an AI term *and* a diagnostics term: "AI-stöd i bilddiagnostiken" is about
it, "diagnostiken av cancer" is not. Short words count: "AI", "IT", "GMS" match as
written (a word, or the start of "AI-stöd"), never as part of another word.

>>> terms = topic_terms("whole-genome sequencing")
>>> terms.match("Regionen erbjuder helgenomsekvensering till nyfödda.").matched
True
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from regionplans.compare import extract
from regionplans.glossary import generic_groups, groups, other_words
from regionplans.records import Document, normalise_text

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
STOP = frozenset(
    ["och", "i", "på", "för", "med", "av", "till", "om", "en", "ett", "det", "den", "att", "som", "the", "of", "and", "in", "for", "to", "a", "an", "on", "inom", "kring", "samt", "vid", "från", "from", "at", "by", "with", "its", "their"]
)  # fmt: skip
MIN_INTERNAL = 6  # a term this long also matches inside a compound ("bilddiagnostik")


@lru_cache(maxsize=4096)
def _is_caps(term: str) -> bool:
    letters = [c for c in term if c.isalpha()]
    return bool(letters) and len(term) <= 6 and all(c.isupper() for c in letters)


@dataclass(frozen=True, slots=True)
class Component:
    """One part of a topic and every term that names it. A ``generic`` part ("strategi",
    "centrum") may be named by the section heading alone; the others must be in the
    sentence."""

    name: str
    terms: tuple[str, ...]
    generic: bool = False


@lru_cache(maxsize=4096)
def _term_regex(term: str) -> re.Pattern[str]:
    if _is_caps(term):
        return re.compile(rf"(?<![\w-]){re.escape(term)}(?![^\W\d_]*[a-zåäö])")
    words = _WORD.findall(term.casefold())
    if not words:
        return re.compile(r"(?!x)x")
    # A word that starts with the term's last word but is another word is no match.
    other = [o[len(words[-1]) :] for o in other_words() if o.startswith(words[-1]) and len(o) > len(words[-1])]
    parts = [re.escape(w) + r"\w*" for w in words[:-1]]
    parts.append(re.escape(words[-1]) + (f"(?!{'|'.join(map(re.escape, other))})" if other else "") + r"\w*")
    start = r"(?<!\w)" if len(words) > 1 or len(words[0]) < MIN_INTERNAL else ""
    return re.compile(start + r"[\s\-–]+".join(parts))


@dataclass(frozen=True, slots=True)
class TermMatch:
    """Whether a sentence names the topic, and the words that did."""

    matched: bool
    words: tuple[str, ...] = ()
    components: int = 0  # components named in the sentence itself or by its publisher (not only its heading)


@dataclass(frozen=True, slots=True)
class Terms:
    """A topic as components; :meth:`match` tells whether a sentence is about it."""

    topic: str
    components: tuple[Component, ...]
    wholes: tuple[str, ...] = ()  # the topic's own phrase and acronym: each names all of it

    @property
    def phrases(self) -> tuple[str, ...]:
        return tuple(t for c in self.components for t in c.terms)

    def _patterns(self) -> list[list[re.Pattern[str]]]:
        return _compiled(self.components)

    def match(
        self, sentence: str, context: str = "", acronyms: Sequence[tuple[str, str]] = (), owner: str = "",
    ) -> TermMatch:  # fmt: skip
        """Every component named in ``sentence``, or in ``context`` (its heading path)
        for all but one; a document's own acronyms ("PMCK") stand for their long forms.
        A component the document's publisher (``owner``) is named by the document: in
        Vinnova's news, "beviljades medel" is funding from Vinnova."""
        text = normalise_text(sentence)
        for short, long in acronyms:
            if short in text:
                text += " (" + long + ")"
        low, ctx = text.casefold(), normalise_text(context).casefold()
        whole = _first(_compiled_terms(self.wholes), self.wholes, text, low)
        if whole is not None:
            return TermMatch(True, (whole,), len(self.components))
        found: list[str] = []
        in_sentence = by_owner = 0
        for component, patterns in zip(self.components, self._patterns(), strict=True):
            hit = _first(patterns, component.terms, text, low)
            if hit is None and owner and len(self.components) > 1:
                hit = _first(patterns, component.terms, normalise_text(owner), normalise_text(owner).casefold())
                if hit is not None:  # named by the document itself, not by its heading
                    found.append(hit)
                    by_owner += 1
                    continue
            if hit is None and ctx and (component.generic or len(self.components) == 1):
                hit = _first(patterns, component.terms, normalise_text(context), ctx)
                if hit is None:
                    return TermMatch(False)
            elif hit is None:
                return TermMatch(False)
            else:
                in_sentence += 1
            found.append(hit)
        if not self.components or in_sentence == 0:
            return TermMatch(False)
        return TermMatch(True, tuple(dict.fromkeys(found)), in_sentence + by_owner)


def _first(patterns: list[re.Pattern[str]], terms: tuple[str, ...], text: str, low: str) -> str | None:
    """The first of ``terms`` (in their order) named in the sentence, as written there."""
    as_written, folded = _any_term(terms)
    if not ((as_written and as_written.search(text)) or (folded and folded.search(low))):
        return None  # none of them is there: one search instead of one per term
    for pattern, term in zip(patterns, terms, strict=True):
        m = pattern.search(text if _is_caps(term) else low)
        if m:
            return text[m.start() : m.end()] if _is_caps(term) else low[m.start() : m.end()]
    return None


@lru_cache(maxsize=1024)
def _any_term(terms: tuple[str, ...]) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None]:
    """One pattern for the acronyms (searched as written) and one for the other terms
    (searched lower-cased): a sentence that neither finds names none of ``terms``."""
    def either(group: list[str]) -> re.Pattern[str] | None:
        return re.compile("|".join(f"(?:{_term_regex(t).pattern})" for t in group)) if group else None

    return either([t for t in terms if _is_caps(t)]), either([t for t in terms if not _is_caps(t)])


@lru_cache(maxsize=256)
def _compiled(components: tuple[Component, ...]) -> list[list[re.Pattern[str]]]:
    return [_compiled_terms(c.terms) for c in components]


@lru_cache(maxsize=1024)
def _compiled_terms(terms: tuple[str, ...]) -> list[re.Pattern[str]]:
    return [_term_regex(t) for t in terms]


def glossary() -> tuple[tuple[str, ...], ...]:
    """The glossary's groups of terms that mean the same (:mod:`regionplans.glossary`)."""
    return groups()


def _group_for(words: Sequence[str], start: int) -> tuple[int, tuple[str, ...]] | None:
    """The longest glossary term matching the topic's words from ``start`` on:
    (words used, its group)."""
    best: tuple[int, tuple[str, ...]] | None = None
    for group in glossary():
        for term in group:
            tw = _WORD.findall(term) if not _is_caps(term) else [term]
            n = len(tw)
            if start + n > len(words) or (best and n <= best[0]):
                continue
            window = words[start : start + n]
            if _is_caps(term):
                ok = window[0] == term
            else:
                # The topic's word may be an inflection or compound of the term's.
                ok = all(w.casefold().startswith(t.casefold()) and len(w) - len(t) <= 4
                         for w, t in zip(window, tw, strict=True))  # fmt: skip
            if ok:
                best = (n, group)
    return best


def topic_terms(topic: str, documents: Sequence[Document] = ()) -> Terms:
    """The components of ``topic`` with every term that names each one.

    A parenthesised acronym ("Genomic Medicine Centre (GMC)") is a term of the phrase
    before it; the documents' own definitions ("precisionsmedicin (PM)") add terms.
    """
    name = normalise_text(topic)
    acronym = re.search(r"\(([^()]{2,10})\)\s*$", name)
    if acronym:
        name = name[: acronym.start()].strip()
    # Glossary phrases are matched with their small words ("centrum för genomisk
    # medicin"); the small words left over are dropped.
    words = _WORD.findall(name)
    components: list[Component] = []
    i = 0
    while i < len(words):
        found = _group_for(words, i)
        if found:
            n, group = found
            components.append(Component(" ".join(words[i : i + n]), group, group[0] in generic_groups()))
            i += n
            continue
        word = words[i]
        if word.casefold() in STOP:
            i += 1
            continue
        terms: tuple[str, ...] = (word,) if _is_caps(word) else (word[: max(5, len(word) - 3)].casefold(),)
        components.append(Component(word, terms))
        i += 1
    wholes = (name, acronym.group(1).strip()) if acronym else (name,)
    defined = {short: long for doc in documents for short, long in doc.acronyms}
    out = []
    for c in components:
        more = [s for s, long in defined.items() if any(long.casefold().startswith(t.casefold()) for t in c.terms if not _is_caps(t))]
        out.append(Component(c.name, tuple(dict.fromkeys((*c.terms, *more))), c.generic))
    return Terms(normalise_text(topic), tuple(out), wholes)


# Aspect words that ask for dates ("deadlines", "tidsplan", "årtal").
DEADLINE_WORDS = ("deadline", "tidsplan", "tidpunkt", "årtal", "timeline", "datum")
STEM_LEN = 5  # an aspect word matches any word starting with its first five letters
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True, slots=True)
class AspectTerms:
    """An aspect column's words ("finansiering (medel, kronor, budget)"): any one
    names the aspect, and so does any term of a glossary group one of them is in, in
    either language ("finansiering" → "funding", "grant"); a deadline aspect asks for a
    dated sentence instead."""

    stems: tuple[str, ...]
    acronyms: tuple[str, ...]
    dated: bool
    phrases: tuple[str, ...] = ()  # the glossary's terms for the aspect's words

    def match(self, sentence: str) -> bool:
        if self.dated:
            return bool(extract.deadlines(sentence))
        if any(re.search(rf"(?<![\w-]){re.escape(a)}(?![a-zåäö])", sentence) for a in self.acronyms):
            return True
        if any(w.casefold().startswith(self.stems) for w in _WORD.findall(sentence)):
            return True
        text = normalise_text(sentence)
        return bool(self.phrases) and _first(_compiled_terms(self.phrases), self.phrases, text, text.casefold()) is not None


def aspect_terms(aspect: str) -> AspectTerms:
    words = [w for w in _WORD.findall(aspect) if w.casefold() not in _STOP and len(w) > 2]
    acronyms = tuple(w for w in words if w.isupper() and len(w) <= 6)
    stems = tuple(dict.fromkeys(w.casefold()[:STEM_LEN] for w in words if w not in acronyms))
    dated = any(w.casefold().startswith(DEADLINE_WORDS) for w in words)
    all_words, i = _WORD.findall(aspect), 0
    phrases: list[str] = []
    while i < len(all_words):
        found = _group_for(all_words, i)
        if found:
            phrases.extend(found[1])
        i += found[0] if found else 1
    return AspectTerms(stems, acronyms, dated, tuple(dict.fromkeys(phrases)))


_STOP = frozenset(["och", "i", "på", "för", "med", "av", "till", "om", "en", "ett", "det", "den", "att", "som", "the", "of", "and", "in", "for", "to", "a", "an", "on", "inom", "kring", "samt"])

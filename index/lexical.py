"""Swedish lexical matching: BM25 sparse vectors with compound parts and acronyms.

Qdrant's ``Bm25`` (qdrant-edge) does the tokenising, Swedish stop words and Snowball
stemming; term weights are BM25 term frequencies and Qdrant's IDF modifier applies
IDF at query time. On top of that, before a text is embedded:

- Swedish compounds are split against the corpus vocabulary (with the linking -s-),
  and adjectives in -sk/-ska/-iska also index their noun, so "medicin",
  "precisionsmedicin", "precisionsmedicinska" and "medicinsk" meet;
- acronyms are expanded both ways ("GMS" ↔ "Genomic Medicine Sweden"): a document's
  own definitions expand that document's text, and every known definition expands
  queries.

Queries cross languages: English small words are dropped, and the field's terms are
asked for in the other language too (the glossary's groups and its translations), so
"whole-genome sequencing" reaches "helgenomsekvensering"; :meth:`Analyzer.word_terms`
gives the fusion each question word's terms in both languages.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

WORD = re.compile(r"[^\W_]+(?:-[^\W_]+)*", re.UNICODE)

# Acronyms every Swedish life-science text uses without defining them.
BUILTIN_ACRONYMS: tuple[tuple[str, str], ...] = (
    ("GMS", "Genomic Medicine Sweden"),
    ("PM", "precisionsmedicin"),
    ("AI", "artificiell intelligens"),
    ("RCC", "regionalt cancercentrum"),
    ("SKR", "Sveriges Kommuner och Regioner"),
    ("NGS", "next generation sequencing"),
    ("ATMP", "avancerade terapiläkemedel"),
    ("GMC", "Genomic Medicine Center"),
    ("FoU", "forskning och utveckling"),
    ("FoUI", "forskning, utveckling och innovation"),
    ("LS", "life science"),
)

# English small words. The Swedish analysis keeps them as terms, and in a mostly Swedish
# corpus they are rare, so their IDF is high: "the" or "which" in a question would rank
# any English chunk above the one about the question's subject. Queries drop them
# (lower-case or capitalised; an acronym written in capitals stays).
_ENGLISH_SMALL_WORDS = (
    "a about after all also an and any are as at be been before between both but by can "
    "could did do does doing done during each either for from had has have having how if "
    "in into is it its itself may might more most much must no nor not of on only or other "
    "our out own same should since so some such than that the their them then there these "
    "they this those through to too until up upon very was we were what when where whether "
    "which while who whom whose why will with within would yet you your"
)
ENGLISH_STOP_WORDS = frozenset(_ENGLISH_SMALL_WORDS.split())

_ADJ_SUFFIXES = ("iska", "iskt", "isk", "ska", "skt", "sk")
MIN_PART = 4


def words(text: str) -> list[str]:
    """The word tokens of ``text`` (letters and digits, hyphenated words kept whole)."""
    return WORD.findall(text)


def content_words(query: str) -> list[str]:
    """The words of ``query`` without English small words ("the", "which", "does")."""
    return [w for w in words(query) if w.isupper() or w.casefold() not in ENGLISH_STOP_WORDS]


def build_vocabulary(texts: Iterable[str], min_count: int = 1) -> frozenset[str]:
    """Lower-cased words of the corpus, the ground truth for compound splitting."""
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(w.lower() for w in words(text) if len(w) >= 3 and not w.isdigit())
    return frozenset(w for w, c in counts.items() if c >= min_count)


@dataclass
class Analyzer:
    """Turns document and query text into BM25 sparse vectors.

    ``vocabulary`` is the corpus vocabulary (stored with the index so queries are
    split the same way); ``acronyms`` the known (short, long) pairs used for queries.
    """

    vocabulary: frozenset[str] = frozenset()
    acronyms: tuple[tuple[str, str], ...] = BUILTIN_ACRONYMS
    avg_len: float = 256.0
    _bm25: Any = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        self._expand = lru_cache(maxsize=200_000)(self._expand_word)
        self._stem_ids = lru_cache(maxsize=200_000)(self._word_ids)

    @property
    def bm25(self) -> Any:
        if self._bm25 is None:
            from qdrant_edge import Bm25, Bm25Config

            self._bm25 = Bm25(Bm25Config(language="swedish", avg_len=float(self.avg_len)))
        return self._bm25

    # -- compounds -------------------------------------------------------------
    def _adjective_base(self, word: str) -> str | None:
        for suffix in _ADJ_SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= MIN_PART + 1:
                base = word[: -len(suffix)]
                if base in self.vocabulary or (suffix in ("sk", "ska", "skt") and len(base) >= 6):
                    return base
        return None

    def _splits(self, word: str) -> list[str]:
        """Compound parts of ``word``: the longest known tail and its head."""
        if len(word) < 2 * MIN_PART:
            return []
        fallback: list[str] = []
        for i in range(MIN_PART, len(word) - MIN_PART):
            tail = word[i:]
            if tail not in self.vocabulary:
                continue
            head = word[:i]
            # A split whose head is a word too is better than the longest bare tail.
            if head.endswith("s") and head[:-1] in self.vocabulary:
                return [tail, head[:-1]]
            if head in self.vocabulary:
                return [tail, head]
            fallback = fallback or [tail]
        return fallback

    def _expand_word(self, word: str) -> tuple[str, ...]:
        """Extra index forms for one lower-cased word: compound parts, adjective bases."""
        out: list[str] = []
        todo = [word]
        seen = {word}
        while todo:
            current = todo.pop()
            found = [self._adjective_base(current), *self._splits(current)]
            for form in found:
                if form and form not in seen:
                    seen.add(form)
                    out.append(form)
                    todo.append(form)
        return tuple(out)

    def expand_text(self, text: str) -> str:
        """The compound parts and adjective bases of ``text``'s words, as extra text."""
        extra: list[str] = []
        for w in words(text):
            extra.extend(self._expand(w.lower()))
        return " ".join(extra)

    # -- acronyms --------------------------------------------------------------
    @staticmethod
    def acronym_expansion(text: str, acronyms: Sequence[tuple[str, str]]) -> str:
        """Expansions of the acronyms in ``text`` (short → long, long → short)."""
        tokens = set(words(text))
        lower = " ".join(words(text)).lower()
        extra: list[str] = []
        for short, long in acronyms:
            if short in tokens:
                extra.append(long)
            long_words = " ".join(words(long)).lower()
            if long_words and re.search(rf"\b{re.escape(long_words)}\b", lower):
                extra.append(short)
        return " ".join(extra)

    # -- vectors ---------------------------------------------------------------
    def document_text(self, text: str, acronyms: Sequence[tuple[str, str]] = ()) -> str:
        """The text BM25 indexes for a chunk: itself, acronym expansions, compound parts."""
        expanded = " ".join(
            part
            for part in (text, self.acronym_expansion(text, (*acronyms, *BUILTIN_ACRONYMS)))
            if part
        )
        return f"{expanded} {self.expand_text(expanded)}".strip()

    def query_text(self, query: str, *, glossary: bool = False) -> str:
        """The text BM25 embeds for a query: itself, acronym expansions, compound parts,
        and with ``glossary`` the field's terms in the other language (for a question
        in another language than the documents')."""
        query = " ".join(content_words(query))
        parts = (query, self.acronym_expansion(query, self.acronyms), glossary_expansion(query) if glossary else "")
        expanded = " ".join(content_words(" ".join(p for p in parts if p)))
        return f"{expanded} {self.expand_text(expanded)}".strip()

    def embed_document(
        self, text: str, acronyms: Sequence[tuple[str, str]] = ()
    ) -> tuple[list[int], list[float]]:
        vec = self.bm25.embed_document(self.document_text(text, acronyms))
        return list(vec.indices), list(vec.values)

    def embed_query(self, query: str, *, glossary: bool = False) -> tuple[list[int], list[float]]:
        vec = self.bm25.embed_query(self.query_text(query, glossary=glossary))
        return list(vec.indices), list(vec.values)

    def word_terms(self, query: str) -> tuple[frozenset[int], ...]:
        """The lexical terms of each content word of ``query`` with its glossary
        translations: "whole-genome sequencing" gives two words, each standing also for
        "helgenomsekvensering". A word the analysis drops (a stop word) is left out. The
        fusion counts a chunk in the other language as covering a word when it has any of
        the word's terms."""
        found = content_words(query)
        translations = glossary_spans(" ".join(found))
        out: list[frozenset[int]] = []
        position = 0
        joined = " ".join(found)
        for word in found:
            start = joined.index(word, position)
            position = start + len(word)
            ids = set(self._stem_ids(word))
            if not ids:
                continue
            for (lo, hi), other in translations:
                if lo < position and start < hi:
                    ids.update(self._phrase_ids(other))
            out.append(frozenset(ids))
        return tuple(out)

    def _phrase_ids(self, text: str) -> frozenset[int]:
        return frozenset(i for w in words(text) for i in self._stem_ids(w))

    # -- explanation -----------------------------------------------------------
    def _word_ids(self, word: str) -> frozenset[int]:
        forms = (word, *self._expand(word.lower()))
        ids: set[int] = set()
        for form in forms:
            ids.update(self.bm25.embed_query(form).indices)
        return frozenset(ids)

    def matched_terms(self, text: str, query_indices: Iterable[int]) -> tuple[str, ...]:
        """Words of ``text`` that match the query lexically (same stem or compound part)."""
        wanted = set(query_indices)
        if not wanted:
            return ()
        out: dict[str, None] = {}
        for w in dict.fromkeys(words(text)):  # each word once: a chunk repeats its words
            if w.lower() in out or w in out:
                continue
            if self._stem_ids(w) & wanted:
                out[w] = None
        return tuple(out)


_Pattern = tuple[re.Pattern[str], bool, tuple[str, ...]]
_KEY = 3  # patterns are looked up by the first letters of a question's words


@lru_cache(maxsize=2)
def _glossary_patterns(generic: bool) -> dict[str, tuple[_Pattern, ...]]:
    """Each term's pattern, whether it is written in capitals, and its group's other
    terms, for the glossary's groups and the search's translations, by the term's first
    letters; the generic groups ("strategi", "centrum") only with ``generic``."""
    from regionplans.glossary import generic_groups, groups, translations

    out: dict[str, list[_Pattern]] = {}
    for group in (*groups(), *translations()):
        if group[0] in generic_groups() and not generic:
            continue
        for term in group:
            caps = term.isupper()
            body = re.escape(term if caps else term.casefold()).replace(r"\ ", r"[\s-]+")
            pattern = re.compile(rf"(?<![\w-]){body}" + (r"(?![a-zåäö])" if caps else r"\w*"))
            first = words(term)[0]
            key = (first if caps else first.casefold())[:_KEY]
            out.setdefault(key, []).append((pattern, caps, tuple(t for t in group if t != term)))
    return {key: tuple(patterns) for key, patterns in out.items()}


def _candidates(query: str, generic: bool) -> Iterator[_Pattern]:
    """The patterns whose term starts like one of ``query``'s words (a few of hundreds)."""
    table = _glossary_patterns(generic)
    keys = {form[:n] for w in words(query) for form in (w, w.casefold()) for n in (2, _KEY)}
    for key in sorted(keys):
        yield from table.get(key, ())


def glossary_spans(query: str) -> list[tuple[tuple[int, int], str]]:
    """Where ``query`` names a field term, and the glossary's other terms for it:
    ((start, end), "helgenomsekvensering WGS ...") per match."""
    low = query.casefold()
    out = []
    for pattern, caps, others in _candidates(query, True):
        for match in pattern.finditer(query if caps else low):
            out.append((match.span(), " ".join(others)))
    return out


def glossary_expansion(query: str) -> str:
    """The glossary's other terms for every field term in ``query``: "whole-genome
    sequencing" also asks for "helgenomsekvensering", "WGS", ...; generic words
    ("strategy", "centre") are not expanded (their synonyms would flood the query).
    Acronyms match as written."""
    low = query.casefold()
    extra: list[str] = []
    for pattern, caps, others in _candidates(query, False):
        if pattern.search(query if caps else low):
            extra.extend(others)
    return " ".join(dict.fromkeys(extra))


def mark_terms(text: str, terms: Iterable[str], left: str = "**", right: str = "**") -> str:
    """``text`` with every occurrence of ``terms`` (whole words) wrapped in markers."""
    terms = sorted(set(terms), key=len, reverse=True)
    if not terms:
        return text
    pattern = re.compile(r"(?<![^\W_])(" + "|".join(re.escape(t) for t in terms) + r")(?![^\W_])")
    return pattern.sub(lambda m: f"{left}{m.group(1)}{right}", text)


def snippet(text: str, terms: Iterable[str], width: int = 160) -> str:
    """About ``width`` characters of ``text`` around the first matched term, terms marked."""
    flat = " ".join(text.split())
    terms = [t for t in terms if t]
    first = min((i for t in terms if (i := flat.find(t)) >= 0), default=0)
    start = max(0, first - width // 4)
    if start:
        start = flat.rfind(" ", 0, start) + 1
    piece = flat[start : start + width]
    prefix = "…" if start else ""
    suffix = "…" if start + width < len(flat) else ""
    return prefix + mark_terms(piece, terms) + suffix

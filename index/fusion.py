"""Fusing the dense and the lexical candidate lists of a hybrid search (reciprocal rank
fusion that knows the question's language and how much of it a chunk contains)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from regionplans.index.store import ScoredPayload

# Candidates each branch fetches before fusion: enough that a good lexical-only or
# dense-only match survives RRF (Haystack's default of 10 loses them).
CANDIDATES = 100

# Hybrid search fuses the dense and the lexical candidate lists (CANDIDATES each, from
# Qdrant) with reciprocal rank fusion: score = sum over lists of 1 / (RRF_K + rank - 1),
# Qdrant's own formula. It is done here, not in Qdrant's query, because Qdrant returns
# equal scores (two chunks of one length matching one term; mirrored ranks in the
# fusion) in an order that changes with the index build and the process, and so did the
# evaluation's numbers. Here equal scores are ordered by id, fused ties by dense rank,
# then lexical rank, then id: every run ranks alike. Single-mode queries fetch
# TIE_MARGIN extra hits so that ties at the last place are ordered the same way.
TIE_MARGIN = 10
RRF_K = 60


def by_score(points: list[ScoredPayload]) -> list[ScoredPayload]:
    """Points by score, equal scores by id."""
    return sorted(points, key=lambda p: (-p.score, p.id))


# Which language a question is in, told by its small words.
_SV_WORDS = frozenset(["och", "i", "att", "det", "som", "på", "är", "för", "med", "av", "till", "om", "hur", "vad", "vilka", "vilken", "har", "ska", "kan", "inom", "vid", "från"])
_EN_WORDS = frozenset(["the", "of", "and", "in", "to", "is", "are", "what", "which", "how", "does", "do", "for", "with", "by", "on", "from", "about", "who", "has", "have"])

# Language-aware fusion. The lexical list can only rank chunks written in the
# question's language, and a chunk that shares one word of a long question is no lexical
# evidence. So a chunk's lexical term counts its coverage squared (the share of the
# question's terms it contains), and a chunk in the other language, which the lexical
# side cannot see, takes its dense term with weight 1 + FOREIGN_DENSE_WEIGHT in place
# of the lexical term it could not get. Measured on the development set against plain
# RRF with a 0.1 lexical weight for cross-lingual questions (eval/README.md).
COVERAGE_POWER = 2
FOREIGN_DENSE_WEIGHT = 0.5


def query_language(query: str) -> str | None:
    """"sv" or "en" by the question's small words, or None when it has none."""
    words = [w.casefold() for w in query.split()]
    sv, en = sum(w in _SV_WORDS for w in words), sum(w in _EN_WORDS for w in words)
    if sv == en:
        return None
    return "sv" if sv > en else "en"


def coverage(query_terms: frozenset[int], chunk_terms: frozenset[int]) -> float:
    """The share of the question's lexical terms that a chunk contains."""
    return len(query_terms & chunk_terms) / len(query_terms) if query_terms else 0.0


def word_coverage(word_terms: Sequence[frozenset[int]], chunk_terms: frozenset[int]) -> float:
    """The share of the question's words a chunk contains in either language (a word
    counts when the chunk has any of its terms or translations)."""
    return sum(bool(w & chunk_terms) for w in word_terms) / len(word_terms) if word_terms else 0.0


def language_weights(
    language: str | None,
    chunk_languages: Mapping[str, str],
    query_terms: frozenset[int],
    chunk_terms: Mapping[str, frozenset[int]],
    word_terms: Sequence[frozenset[int]] = (),
) -> tuple[dict[str, float], dict[str, float]]:
    """The dense and the lexical weight of every candidate (id → weight) for a question
    in ``language`` (None: every chunk counts as the question's language). A chunk in
    the other language is weighed by the share of the question's words it contains
    through ``word_terms`` (each word's terms with its translations, see
    :meth:`~regionplans.index.lexical.Analyzer.word_terms`); without them it gets no
    lexical term."""

    def foreign(point: str) -> bool:
        other = chunk_languages.get(point, "")
        return bool(language and other in ("sv", "en") and other != language)

    dense = {p: 1.0 + FOREIGN_DENSE_WEIGHT for p in chunk_languages if foreign(p)}
    lexical = {
        p: (word_coverage(word_terms, terms) if foreign(p) else coverage(query_terms, terms)) ** COVERAGE_POWER
        for p, terms in chunk_terms.items()
    }
    return dense, lexical


def fuse(
    dense_ranks: Mapping[str, int],
    lexical_ranks: Mapping[str, int],
    *,
    dense_weights: Mapping[str, float] | None = None,
    lexical_weights: Mapping[str, float] | None = None,
) -> list[ScoredPayload]:
    """Reciprocal rank fusion of two rankings (id → 1-based rank), each term weighted
    per point (1 when not given), best first; ties by dense rank, then lexical rank,
    then id. Payloads are left empty.

    >>> [p.id for p in fuse({"a": 1, "b": 2}, {"b": 1, "c": 2})]
    ['b', 'a', 'c']
    """
    missing = CANDIDATES + 1
    scores: dict[str, float] = {}
    for ranks, weights in ((dense_ranks, dense_weights or {}), (lexical_ranks, lexical_weights or {})):
        for point, rank in ranks.items():
            scores[point] = scores.get(point, 0.0) + weights.get(point, 1.0) / (RRF_K + rank - 1)
    order = sorted(scores, key=lambda p: (-scores[p], dense_ranks.get(p, missing),
                                          lexical_ranks.get(p, missing), p))  # fmt: skip
    return [ScoredPayload(p, scores[p], {}) for p in order]

"""Fusing the dense and the lexical candidate lists of a hybrid search (reciprocal rank
fusion, a lower lexical weight for a cross-lingual question)."""

from __future__ import annotations

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


# A question in the other language than most documents shares few words with them:
# its lexical list (glossary terms aside) is weak, and RRF would let it pull the dense
# ranking down. It counts this much in the fusion.
CROSS_LINGUAL_LEXICAL_WEIGHT = 0.1
_SV_WORDS = frozenset(["och", "i", "att", "det", "som", "på", "är", "för", "med", "av", "till", "om", "hur", "vad", "vilka", "vilken", "har", "ska", "kan", "inom", "vid", "från"])
_EN_WORDS = frozenset(["the", "of", "and", "in", "to", "is", "are", "what", "which", "how", "does", "do", "for", "with", "by", "on", "from", "about", "who", "has", "have"])


def query_language(query: str) -> str | None:
    """"sv" or "en" by the question's small words, or None when it has none."""
    words = [w.casefold() for w in query.split()]
    sv, en = sum(w in _SV_WORDS for w in words), sum(w in _EN_WORDS for w in words)
    if sv == en:
        return None
    return "sv" if sv > en else "en"


def fuse(dense_ranks: dict[str, int], lexical_ranks: dict[str, int], lexical_weight: float = 1.0) -> list[ScoredPayload]:
    """Reciprocal rank fusion of two rankings (id → 1-based rank), best first; ties by
    dense rank, then lexical rank, then id. Payloads are left empty.

    >>> [p.id for p in fuse({"a": 1, "b": 2}, {"b": 1, "c": 2})]
    ['b', 'a', 'c']
    """
    missing = CANDIDATES + 1
    scores: dict[str, float] = {}
    for ranks, weight in ((dense_ranks, 1.0), (lexical_ranks, lexical_weight)):
        for point, rank in ranks.items():
            scores[point] = scores.get(point, 0.0) + weight / (RRF_K + rank - 1)
    order = sorted(scores, key=lambda p: (-scores[p], dense_ranks.get(p, missing),
                                          lexical_ranks.get(p, missing), p))  # fmt: skip
    return [ScoredPayload(p, scores[p], {}) for p in order]



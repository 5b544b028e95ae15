"""Retrieval metrics over judged items, with ir-measures doing the arithmetic.

* nDCG@10 and MRR@10 are chunk-level: a chunk's gain is the best grade of the judged
  items it covers, over every chunk of the corpus (the judged pool), so the ideal
  ranking is one the search could return: a ranking with the answer first scores 1.
* Recall@k: the set of items covered by the top k chunks, scored as recall over all items.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import ir_measures
from ir_measures import Qrel, ScoredDoc

from regionplans.eval.dataset import Query, matches

METRICS: tuple[str, ...] = ("nDCG@10", "R@10", "R@20", "MRR@10")


@dataclass(frozen=True, slots=True)
class RankedChunk:
    """What the metrics need of a retrieved chunk: its document name, its text, its id."""

    doc: str
    text: str
    chunk_id: str = ""


def chunk_qrels(query: Query, pool: Sequence[RankedChunk]) -> list[Qrel]:
    """Chunk-level judgments: every chunk of the corpus covering an item, graded by the
    best item it covers."""
    out = []
    for chunk in pool:
        grades = [item.grade for item in query.relevant if item.doc == chunk.doc and matches(item.evidence, chunk.text)]
        if grades:
            out.append(Qrel(query.qid, chunk.chunk_id, max(grades)))
    return out


def coverage(query: Query, ranked: Sequence[RankedChunk]) -> list[set[int]]:
    """For each rank, the indexes of the query's items that chunk matches."""
    return [
        {
            i
            for i, item in enumerate(query.relevant)
            if item.doc == c.doc and matches(item.evidence, c.text)
        }
        for c in ranked
    ]


def _item(qid: str, i: int) -> str:
    return f"{qid}#item{i}"


def item_runs(
    query: Query, ranked: Sequence[RankedChunk]
) -> tuple[list[Qrel], list[ScoredDoc], dict[int, list[ScoredDoc]]]:
    """Item-level qrels, the one-document-per-rank run, and the covered-item run per cutoff."""
    qid = query.qid
    qrels = [Qrel(qid, _item(qid, i), item.grade) for i, item in enumerate(query.relevant)]
    covered: set[int] = set()
    run: list[ScoredDoc] = []
    cover = coverage(query, ranked)
    for rank, items in enumerate(cover, 1):
        new = items - covered
        covered |= items
        score = float(len(cover) - rank + 1)
        if new:
            best = max(new, key=lambda i: (query.relevant[i].grade, -i))
            run.append(ScoredDoc(qid, _item(qid, best), score))
        else:
            run.append(ScoredDoc(qid, f"{qid}#rank{rank}", score))
    if not run:  # an empty result still scores 0, not "query missing"
        run.append(ScoredDoc(qid, f"{qid}#empty", 0.0))
    recall: dict[int, list[ScoredDoc]] = {}
    for k in (10, 20):
        items_k = set().union(*cover[:k]) if cover[:k] else set()
        docs = [ScoredDoc(qid, _item(qid, i), 1.0) for i in sorted(items_k)]
        recall[k] = docs or [ScoredDoc(qid, f"{qid}#empty", 0.0)]
    return qrels, run, recall


def score_queries(
    queries: Sequence[Query], rankings: Mapping[str, Sequence[RankedChunk]],
    pool: Sequence[RankedChunk] = (),
) -> dict[str, dict[str, float]]:
    """Per-query nDCG@10, R@10, R@20 and MRR@10 (qid → metric → value).

    With ``pool`` (every chunk of the corpus, with ids) nDCG and MRR are chunk-level;
    without it they are computed on items, as pseudo-documents (the earlier rule).
    """
    qrels: list[Qrel] = []
    run: list[ScoredDoc] = []
    chunk_qrels_all: list[Qrel] = []
    chunk_run: list[ScoredDoc] = []
    recall: dict[int, list[ScoredDoc]] = {10: [], 20: []}
    for q in queries:
        ranked = rankings.get(q.qid, ())
        qr, r, rec = item_runs(q, ranked)
        qrels += qr
        run += r
        for k in recall:
            recall[k] += rec[k]
        if pool:
            chunk_qrels_all += chunk_qrels(q, pool)
            chunk_run += [ScoredDoc(q.qid, c.chunk_id, float(len(ranked) - i)) for i, c in enumerate(ranked)]
            chunk_run.append(ScoredDoc(q.qid, f"{q.qid}#end", -1.0))
    scores: dict[str, dict[str, float]] = {q.qid: dict.fromkeys(METRICS, 0.0) for q in queries}
    ranking_qrels, ranking_run = (chunk_qrels_all, chunk_run) if pool else (qrels, run)
    for m in ir_measures.iter_calc([ir_measures.nDCG @ 10, ir_measures.RR @ 10], ranking_qrels, ranking_run):
        scores[m.query_id]["nDCG@10" if str(m.measure).startswith("nDCG") else "MRR@10"] = m.value
    for k, docs in recall.items():
        # Every covered item is in the run, so recall at a deep cutoff is recall at k chunks.
        for m in ir_measures.iter_calc([ir_measures.R @ 1000], qrels, docs):
            scores[m.query_id][f"R@{k}"] = m.value
    return scores


def bootstrap_ci(values: Sequence[float], *, rounds: int = 2000, seed: int = 0) -> tuple[float, float]:
    """95 % percentile bootstrap interval of the mean of ``values``."""
    import numpy as np

    if not values:
        return (0.0, 0.0)
    rng = np.random.default_rng(seed)
    data = np.asarray(values, dtype=float)
    means = data[rng.integers(0, len(data), size=(rounds, len(data)))].mean(axis=1)
    return (float(np.percentile(means, 2.5)), float(np.percentile(means, 97.5)))


def aggregate(
    queries: Sequence[Query], scores: dict[str, dict[str, float]]
) -> dict[str, dict[str, Any]]:
    """Means overall, per kind and per language: group ("all", "kind:…", "lang:…") → metric → mean."""
    groups: dict[str, list[str]] = {"all": [q.qid for q in queries]}
    for q in queries:
        groups.setdefault(f"kind:{q.kind}", []).append(q.qid)
        groups.setdefault(f"lang:{q.lang}", []).append(q.qid)
    return {
        name: {m: sum(scores[qid][m] for qid in qids) / len(qids) for m in METRICS}
        | {"n": float(len(qids)), "nDCG@10_ci": bootstrap_ci([scores[qid]["nDCG@10"] for qid in qids])}
        for name, qids in groups.items()
    }


def paired_difference(a: Mapping[str, float], b: Mapping[str, float]) -> dict[str, float]:
    """Mean of a − b over the same queries with its paired-bootstrap 95 % interval."""
    diffs = [a[q] - b[q] for q in a if q in b]
    lo, hi = bootstrap_ci(diffs)
    return {"mean": sum(diffs) / len(diffs) if diffs else 0.0, "lo": lo, "hi": hi, "n": float(len(diffs))}

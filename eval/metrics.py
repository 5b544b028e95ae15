"""Retrieval metrics over judged items, with ir-measures doing the arithmetic.

A ranked list of chunks is turned into item-level qrels and runs:

* nDCG@10 and MRR@10: at each chunk rank one pseudo-document — the newly covered item
  with the best grade (gain = grade), or a non-relevant placeholder. A chunk that covers
  several items counts only its best newly covered grade; items it also covers are not
  credited again later.
* Recall@k: the set of items covered by the top k chunks, scored as recall over all items.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import ir_measures
from ir_measures import Qrel, ScoredDoc

from regionplans.eval.dataset import Query, matches

METRICS: tuple[str, ...] = ("nDCG@10", "R@10", "R@20", "MRR@10")


@dataclass(frozen=True, slots=True)
class RankedChunk:
    """What the metrics need of a retrieved chunk: its document name and its text."""

    doc: str
    text: str


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
    queries: Sequence[Query], rankings: Mapping[str, Sequence[RankedChunk]]
) -> dict[str, dict[str, float]]:
    """Per-query nDCG@10, R@10, R@20 and MRR@10 (qid → metric → value)."""
    qrels: list[Qrel] = []
    run: list[ScoredDoc] = []
    recall: dict[int, list[ScoredDoc]] = {10: [], 20: []}
    for q in queries:
        qr, r, rec = item_runs(q, rankings.get(q.qid, ()))
        qrels += qr
        run += r
        for k in recall:
            recall[k] += rec[k]
    scores: dict[str, dict[str, float]] = {q.qid: dict.fromkeys(METRICS, 0.0) for q in queries}
    for m in ir_measures.iter_calc([ir_measures.nDCG @ 10, ir_measures.RR @ 10], qrels, run):
        scores[m.query_id]["nDCG@10" if str(m.measure).startswith("nDCG") else "MRR@10"] = m.value
    for k, docs in recall.items():
        # Every covered item is in the run, so recall at a deep cutoff is recall at k chunks.
        for m in ir_measures.iter_calc([ir_measures.R @ 1000], qrels, docs):
            scores[m.query_id][f"R@{k}"] = m.value
    return scores


def aggregate(
    queries: Sequence[Query], scores: dict[str, dict[str, float]]
) -> dict[str, dict[str, float]]:
    """Means overall, per kind and per language: group ("all", "kind:…", "lang:…") → metric → mean."""
    groups: dict[str, list[str]] = {"all": [q.qid for q in queries]}
    for q in queries:
        groups.setdefault(f"kind:{q.kind}", []).append(q.qid)
        groups.setdefault(f"lang:{q.lang}", []).append(q.qid)
    return {
        name: {m: sum(scores[qid][m] for qid in qids) / len(qids) for m in METRICS}
        | {"n": float(len(qids))}
        for name, qids in groups.items()
    }

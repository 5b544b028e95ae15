"""Metrics and matching rule on tiny hand-computed cases."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from regionplans.errors import ConfigError
from regionplans.eval.dataset import Query, Relevant, load_queries, longest_run, matches
from regionplans.eval.metrics import RankedChunk, aggregate, score_queries

A = "Region Stockholm ska delta i Genomic Medicine Sweden"
B = "bioinformatiker och IT-utvecklare behövs"
JUNK = RankedChunk("d", "ingenting relevant här alls")


def _q(qid: str = "q1", kind: str = "lexical", lang: str = "sv") -> Query:
    return Query(qid, "fråga", lang, kind, None, (Relevant("d", A, 2), Relevant("d", B, 1)))


# -- matching rule ---------------------------------------------------------------
def test_containment_after_whitespace_normalisation() -> None:
    assert matches(A, "Inledning. Region  Stockholm ska\ndelta i Genomic\tMedicine Sweden och mer.")


def test_half_overlap_across_a_chunk_boundary() -> None:
    # The chunk ends after 5 of the 8 evidence tokens: 5/8 >= 1/2 counts.
    assert matches(A, "text före. Region Stockholm ska delta i")
    # The next chunk starts with the last 3 tokens only: 3/8 < 1/2 does not count.
    assert not matches(A, "Genomic Medicine Sweden och kunskapsstyrningen")
    # Exactly half (4 of 8) counts.
    assert matches(A, "slut: Region Stockholm ska delta")


def test_a_miss() -> None:
    assert not matches(A, "Region Örebro län ingår i GMS")
    assert not matches(A, "")


def test_longest_run_is_contiguous() -> None:
    assert longest_run(["a", "b", "c", "d"], ["a", "x", "b", "c", "y", "d"]) == 2


# -- metrics: exact values -------------------------------------------------------
IDCG = 2 + 1 / math.log2(3)


def test_relevant_at_rank_two() -> None:
    s = score_queries([_q()], {"q1": [JUNK, RankedChunk("d", "... " + A + " ...")]})["q1"]
    assert s["nDCG@10"] == pytest.approx((2 / math.log2(3)) / IDCG, abs=1e-12)
    assert s["R@10"] == 0.5 and s["R@20"] == 0.5
    assert s["MRR@10"] == 0.5


def test_chunk_covering_two_items_counts_best_new_grade_once() -> None:
    both = RankedChunk("d", A + ". " + B)
    s = score_queries([_q()], {"q1": [both, RankedChunk("d", B)]})["q1"]
    # Rank 1 gains 2 (best newly covered); rank 2 covers nothing new: gain 0.
    assert s["nDCG@10"] == pytest.approx(2 / IDCG, abs=1e-12)
    assert s["R@10"] == 1.0 and s["MRR@10"] == 1.0


def test_perfect_ranking_and_wrong_document() -> None:
    ideal = [RankedChunk("d", A), RankedChunk("d", B)]
    assert score_queries([_q()], {"q1": ideal})["q1"]["nDCG@10"] == pytest.approx(1.0)
    other = [RankedChunk("other", A)]  # the right words in the wrong document do not count
    assert score_queries([_q()], {"q1": other})["q1"] == {
        "nDCG@10": 0.0,
        "R@10": 0.0,
        "R@20": 0.0,
        "MRR@10": 0.0,
    }


def test_recall_at_20_and_empty_result() -> None:
    ranked = [JUNK] * 14 + [RankedChunk("d", B)]
    s = score_queries([_q(), _q("q2")], {"q1": ranked, "q2": []})
    assert s["q1"] == {"nDCG@10": 0.0, "R@10": 0.0, "R@20": 0.5, "MRR@10": 0.0}
    assert s["q2"]["R@20"] == 0.0


def test_aggregate_per_kind_and_language() -> None:
    qs = [_q("a", "lexical", "sv"), _q("b", "cross_lingual", "en")]
    scores = score_queries(qs, {"a": [RankedChunk("d", A), RankedChunk("d", B)], "b": []})
    agg = aggregate(qs, scores)
    assert agg["all"]["nDCG@10"] == pytest.approx(0.5)
    assert agg["kind:lexical"]["R@10"] == 1.0 and agg["lang:en"]["MRR@10"] == 0.0
    assert agg["lang:sv"]["n"] == 1.0


# -- loader ------------------------------------------------------------------------
def test_loader_names_file_and_line(tmp_path: Path) -> None:
    good = {"qid": "x", "query": "q", "lang": "sv", "kind": "lexical", "region_filter": None,
            "relevant": [{"doc": "d", "evidence": "e", "grade": 2}]}  # fmt: skip
    path = tmp_path / "queries.jsonl"
    path.write_text(
        json.dumps(good) + "\n" + json.dumps(good | {"qid": "y", "kind": "other"}) + "\n"
    )
    with pytest.raises(ConfigError, match=r"queries.jsonl:2: y: 'kind'"):
        load_queries(path)
    path.write_text(json.dumps(good) + "\n{not json\n")
    with pytest.raises(ConfigError, match=r"queries.jsonl:2: not valid JSON"):
        load_queries(path)
    path.write_text(json.dumps(good | {"relevant": [{"doc": "d", "evidence": "e", "grade": 3}]}))
    with pytest.raises(ConfigError, match=r":1: x: relevant item 1: 'grade'"):
        load_queries(path)
    path.write_text(json.dumps(good))
    assert load_queries(path)[0].relevant == (Relevant("d", "e", 2),)


# -- chunk-level nDCG and short evidence -----------------------------------------
def test_two_items_in_one_chunk_at_rank_one_score_the_ideal() -> None:
    both = RankedChunk("d", f"{A}. {B}.", "c1")
    pool = [both, RankedChunk("d", "ingenting relevant här alls", "c2"), RankedChunk("e", A, "c3")]
    scores = score_queries([_q()], {"q1": [both, pool[1]]}, pool)
    assert scores["q1"]["nDCG@10"] == pytest.approx(1.0)
    assert scores["q1"]["MRR@10"] == 1.0 and scores["q1"]["R@10"] == 1.0
    # Second place: the one relevant chunk of the pool at rank 2 → 1 / log2(3).
    late = score_queries([_q()], {"q1": [pool[1], both]}, pool)
    assert late["q1"]["nDCG@10"] == pytest.approx(1 / math.log2(3))


def test_short_evidence_must_be_contained_whole() -> None:
    short = "helgenomsekvensering för barn"  # 3 tokens: half-overlap would credit any "för barn"
    assert matches(short, "Vi erbjuder helgenomsekvensering för barn med cancer.")
    assert not matches(short, "Vård för barn med astma.")
    long = "Regionen erbjuder helgenomsekvensering för alla barn med misstänkt sällsynt sjukdom"
    assert matches(long, "... helgenomsekvensering för alla barn med misstänkt")  # 7 of 11 tokens in a row

"""The development set: well-formed, every seed covered, every evidence string found."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from regionplans.eval.dataset import KINDS, load_queries, missing_evidence

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ROOT / "eval" / "dev" / "queries.jsonl"
SEEDS = {p.stem: p.read_text(encoding="utf-8") for p in (ROOT / "corpus").glob("*.txt")}


def test_dev_set_shape() -> None:
    queries = load_queries(QUERIES)
    assert len(queries) >= 60
    assert set(Counter(q.kind for q in queries)) == set(KINDS)
    assert {r.doc for q in queries for r in q.relevant} == set(SEEDS)
    assert any(q.lang == "en" for q in queries if q.kind == "cross_lingual")
    for q in queries:
        if q.kind == "comparison":
            assert len({r.doc for r in q.relevant}) >= 2, q.qid
    assert {r.grade for q in queries for r in q.relevant} == {1, 2}


def test_every_evidence_is_an_exact_substring_of_its_raw_file() -> None:
    for q in load_queries(QUERIES):
        for r in q.relevant:
            assert r.evidence in SEEDS[r.doc], f"{q.qid}: {r.evidence!r} not in {r.doc}"


def test_missing_evidence_is_reported() -> None:
    queries = load_queries(QUERIES)
    broken = {name: text.replace("bioinformatiker", "X") for name, text in SEEDS.items()}
    problems = missing_evidence(queries, broken)
    assert problems and all("bioinformatiker" in p for p in problems)
    assert missing_evidence(queries, {}) and not missing_evidence(queries, SEEDS)


def test_every_evidence_survives_cleaning(tmp_path: Path) -> None:
    from regionplans.eval.runner import ingested_texts
    from regionplans.ingest.pipeline import ingest_directory

    ingest_directory(ROOT / "corpus", tmp_path / "ingest")
    assert missing_evidence(load_queries(QUERIES), ingested_texts(tmp_path / "ingest")) == []

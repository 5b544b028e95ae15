"""The development and test sets hold what the evaluation needs, and their gold is sound."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from regionplans.eval.dataset import load_queries
from regionplans.eval.devset import concepts, load_set
from regionplans.eval.goldcheck import check_part

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("name", ["dev", "test"])
def test_every_gold_passage_is_in_its_document(name: str) -> None:
    base = ROOT / "eval" / name
    for part in sorted(p.name for p in (base / "gold").iterdir() if p.is_dir()):
        assert check_part(base, part) == [], part


def test_the_development_set_is_large_and_varied_enough() -> None:
    dev = load_set(ROOT / "eval" / "dev")
    assert len(dev.metadata) >= 60
    subjects = {r.strip() for row in dev.metadata for r in row["regions"].split(";") if r.strip()}
    assert len(subjects) >= 15
    assert sum(row["language"] == "en" for row in dev.metadata) >= 6
    assert {e["concept"] for e in dev.evidence} == set(concepts())
    assert len({e["text"] for e in dev.labels}) >= 250
    queries = [q for path in dev.queries_files for q in load_queries(path)]
    kinds = Counter(q.kind for q in queries)
    assert len(queries) >= 80 and kinds["cross_lingual"] >= 20 and kinds["paraphrase"] >= 20
    assert kinds["comparison"] >= 15
    assert {q.lang for q in queries if q.kind == "cross_lingual"} == {"sv", "en"}
    english_topics = [c["en"] for c in concepts().values() if c["en"]]
    assert len(english_topics) >= 5

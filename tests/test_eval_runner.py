"""Every configuration runs against a real index of the seeds, and the reports are written.

The seeds are chunked here by blank lines so the test does not depend on the ingest
pipeline; the embeddings, BM25 and Qdrant engine are the real ones.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest

from regionplans.config import Settings
from regionplans.eval.dataset import load_queries
from regionplans.eval.metrics import score_queries
from regionplans.eval.runner import CONFIGS, markdown, run_config, write_reports
from regionplans.records import Chunk, Document, content_hash

ROOT = Path(__file__).resolve().parent.parent
REGIONS = {"region-orebro": ("Region Örebro län",), "region-ostergotland": ("Region Östergötland",),
           "region-stockholm": ("Region Stockholm",), "lif-2023": ("Region Stockholm",)}  # fmt: skip


def _paragraph_chunks(path: Path) -> tuple[Document, list[Chunk]]:
    text = path.read_text(encoding="utf-8")
    regions = next((r for prefix, r in REGIONS.items() if path.stem.startswith(prefix)), ())
    doc = Document(doc_id=content_hash(path.name), file_path=str(path), title=path.stem,
                   publisher="Lif" if path.stem.startswith("lif") else regions[0], regions=regions,
                   doc_type="news", language="sv", date=None, text=text, file_hash=content_hash(text))  # fmt: skip
    chunks = []
    for n, m in enumerate(re.finditer(r"\S(?:.|\n(?!\s*\n))*", text)):
        body = m.group(0)
        chunks.append(
            Chunk(
                Chunk.make_id(doc.doc_id, (), body, n),
                doc.doc_id,
                body,
                (),
                1,
                n,
                m.start(),
                m.end(),
            )
        )
    return doc, chunks


@pytest.fixture(scope="module")
def seed_searcher(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    from regionplans.index.build import index_documents
    from regionplans.index.search import Searcher

    settings = replace(Settings(), data_dir=tmp_path_factory.mktemp("evalidx"), qdrant_url=None)
    index_documents(
        settings, [_paragraph_chunks(p) for p in sorted((ROOT / "corpus").glob("*.txt"))]
    )
    searcher = Searcher(settings)
    yield searcher
    searcher.close()


@pytest.mark.slow
def test_every_configuration_scores_the_dev_set(seed_searcher, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from regionplans.eval.metrics import RankedChunk, aggregate

    queries = load_queries(ROOT / "eval" / "dev" / "queries.jsonl")
    pool = [RankedChunk(d.name, c.text, c.chunk_id)
            for d, chunks in (_paragraph_chunks(p) for p in sorted((ROOT / "corpus").glob("*.txt"))) for c in chunks]  # fmt: skip
    report = {"queries": len(queries), "missing_evidence": [], "configs": {}}
    for name, config in CONFIGS.items():
        rankings = run_config(seed_searcher, queries, config, pool)
        assert all(len(r) <= 20 for r in rankings.values())
        scores = score_queries(queries, rankings, pool)
        report["configs"][name] = {"summary": aggregate(queries, scores), "per_query": scores}
        if name != "random":
            assert report["configs"][name]["summary"]["all"]["R@20"] > 0.3, name
    # The random baseline is far below every search configuration.
    random_ndcg = report["configs"]["random"]["summary"]["all"]["nDCG@10"]
    assert all(report["configs"][n]["summary"]["all"]["nDCG@10"] > random_ndcg + 0.2 for n in CONFIGS if n != "random")
    paths = write_reports(report, tmp_path)
    assert "| hybrid |" in paths[0].read_text() and paths[2].read_bytes()[:4] == b"\x89PNG"
    assert set(json.loads(paths[1].read_text())["configs"]["lexical"]["per_query"]) == {
        q.qid for q in queries
    }
    assert "kind:cross_lingual" in markdown(report)

"""Known-item searches over the seeds as the ingest stage chunks them (``seed_settings``)."""

from __future__ import annotations

import pytest

pytest.importorskip("regionplans.ingest.pipeline")
pytest.importorskip("regionplans.ingest.store")

from regionplans.config import Settings  # noqa: E402
from regionplans.index.build import index_corpus  # noqa: E402
from regionplans.index.search import Searcher  # noqa: E402


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.slow
def test_gms_question_finds_orebro(seed_settings: Settings) -> None:
    result = Searcher(seed_settings).search(
        "Which regions are part of Genomic Medicine Sweden?", limit=5
    )
    assert any("Vi ingår i Genomic medicine Sweden" in flat(h.chunk.text) for h in result.hits[:3])


@pytest.mark.slow
def test_competence_question_finds_stockholm_goal_5(seed_settings: Settings) -> None:
    result = Searcher(seed_settings).search("kompetensförsörjning bioinformatiker", limit=5)
    top = result.hits[:3]
    assert any(
        "Region Stockholm" in h.document.regions
        and ("MÅL 5" in " ".join(h.chunk.heading_path) or "MÅL 5" in h.chunk.text)
        for h in top
    ), [(h.document.name, h.chunk.heading_path) for h in top]


@pytest.mark.slow
def test_reindex_of_unchanged_store_embeds_nothing(seed_settings: Settings) -> None:
    report = index_corpus(seed_settings)
    assert report.embedded == 0 and not report.changed

"""The benchmark's passage-vector generator and its recall check (no time is asserted)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from regionplans.bench.vectors import SentenceMixEmbedder, hnsw_recall, knn

SEED = """Regionen ska inrätta ett kompetenscentrum för precisionsmedicin under 2025.

Biobanken används för forskning om sällsynta diagnoser i hela landet.

Samverkan med näringslivet stärker de kliniska studierna inom cancervården.

Region Stockholm ska utbilda fler bioinformatiker till den nya genomikenheten.
"""


def test_knn_is_exact_on_a_hand_made_case() -> None:
    matrix = np.array([[1.0, 0.0], [0.0, 1.0], [0.8, 0.6], [0.6, 0.8]], dtype=np.float32)
    assert knn(matrix, np.array([[1.0, 0.0]], dtype=np.float32), k=3).tolist() == [[0, 2, 3]]
    assert knn(matrix, np.array([[0.0, 1.0]], dtype=np.float32), k=2).tolist() == [[1, 3]]


def test_generated_vectors_follow_their_sentences(tmp_path: Path) -> None:
    (tmp_path / "seed.txt").write_text(SEED, encoding="utf-8")
    gen = SentenceMixEmbedder(tmp_path)
    s = gen.sentences
    assert len(s) == 4
    # A chunk of sentences 0+1, the same pair localised to another region, and 2+3.
    a, b, c = gen.embed_passages([f"{s[0]} {s[1]}", f"Plan\nMÅL 1: {s[0]} {s[1]}", f"{s[2]} {s[3]}"])
    assert len({v.tobytes() for v in (a, b, c)}) == 3  # every text its own vector
    assert float(a @ b) > float(a @ c)  # shared sentences make neighbours
    assert np.allclose(np.linalg.norm(np.vstack([a, b, c]), axis=1), 1.0, atol=1e-5)
    # Deterministic: the same text gives the same vector.
    assert np.array_equal(gen.embed_passages([f"{s[0]} {s[1]}"])[0], a)
    # Localised sentences ("Region Skåne ska ...") are still recognised.
    local = s[3].replace("Region Stockholm", "Region Skåne")
    assert float(gen.mixture(local) @ gen.vectors[3]) == pytest.approx(1.0, abs=1e-5)


def test_hnsw_recall_against_exact_search(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    matrix = rng.normal(size=(400, 16)).astype(np.float32)
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    recall = hnsw_recall(matrix, matrix[:20], k=10, work_dir=tmp_path)
    assert 0.9 <= recall <= 1.0

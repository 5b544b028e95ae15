"""Near-duplicate detection: the banded MinHash index finds what comparing every pair finds."""

from __future__ import annotations

import random
from pathlib import Path

from regionplans.ingest.dedup import THRESHOLD, NearDuplicates, jaccard, shingles, signature
from regionplans.synth import load_vocabulary, synth_document

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def test_shingles_are_stable_hashes() -> None:
    text = "Region Örebro län är en del av Genomic Medicine Sweden"
    assert shingles(text).tolist() == shingles(text.upper()).tolist()  # case-folded
    assert len(shingles(text)) == len(text.split()) - 4
    assert jaccard(shingles(text), shingles(text)) == 1.0
    assert jaccard(shingles(text), shingles("helt annan text om biobanker och forskning")) == 0.0
    assert signature(shingles("")) == () and NearDuplicates().find(shingles("")) is None


def _edit(text: str, share: float, rng: random.Random) -> str:
    """``text`` with ``share`` of its words replaced."""
    words = text.split()
    for i in rng.sample(range(len(words)), int(share * len(words))):
        words[i] = f"ord{rng.randrange(10**6)}"
    return " ".join(words)


def test_index_agrees_with_comparing_every_pair() -> None:
    vocab = load_vocabulary(CORPUS)
    rng = random.Random(7)
    originals = [synth_document(vocab, n).text() for n in range(40)]
    index = NearDuplicates()
    for n, text in enumerate(originals):
        index.add(f"doc{n}", shingles(text))
    probes = [_edit(originals[n % 40], share, rng) for n, share in
              enumerate([0.0, 0.002, 0.005, 0.01, 0.015, 0.02, 0.03, 0.05, 0.2] * 4)]  # fmt: skip
    probes += [synth_document(vocab, 100 + n).text() for n in range(10)]  # unrelated plans
    found_near = 0
    for probe in probes:
        grams = shingles(probe)
        exhaustive = next((f"doc{n}" for n, text in enumerate(originals)
                           if jaccard(grams, shingles(text)) >= THRESHOLD), None)  # fmt: skip
        assert index.find(grams) == exhaustive
        found_near += exhaustive is not None
    # The probes straddle the threshold: some are near-duplicates, some are not.
    assert 0 < found_near < len(probes)

"""Near-duplicate documents: word 5-gram shingles, MinHash and banded LSH, exact check.

Two documents are near-duplicates when the Jaccard similarity of their shingle sets
is at least :data:`THRESHOLD` (0.9). Comparing every new document with every stored
one is quadratic (minutes at a few thousand plans); instead each document gets a
MinHash signature of :data:`PERMUTATIONS` values, split into :data:`BANDS` bands, and
only documents that agree on a whole band are compared exactly. A pair at the
threshold agrees on some band with probability 1 - (1 - 0.9^4)^16 > 0.99999996, and
the exact Jaccard decides, so the result is the exhaustive comparison's.

>>> index = NearDuplicates()
>>> index.add("a.txt", shingles("Regionen ska inrätta ett centrum för precisionshälsa " * 3))
>>> index.find(shingles("Regionen ska inrätta ett centrum för precisionshälsa " * 3))
'a.txt'
"""

from __future__ import annotations

import re
import zlib
from collections import defaultdict
from collections.abc import Callable, Sequence

import numpy as np

THRESHOLD = 0.9
PERMUTATIONS = 64
BANDS = 16
_ROWS = PERMUTATIONS // BANDS
_PRIME = np.uint64(4294967311)  # > 2**32: h(x) = (a·x + b) mod p permutes the crc32 values
_rng = np.random.default_rng(20261123)  # fixed: signatures must agree across runs
_A = _rng.integers(1, 2**31, PERMUTATIONS, dtype=np.uint64)  # a·x < 2**63: no overflow
_B = _rng.integers(0, 2**32, PERMUTATIONS, dtype=np.uint64)


def shingles(text: str, n: int = 5) -> np.ndarray:
    """The document's word ``n``-grams (case-folded) as sorted, unique, stable 32-bit
    hashes (an array: a Python set of them costs ten times the memory)."""
    words = re.findall(r"\w+", text.casefold())
    if len(words) < n:
        grams = [zlib.crc32(" ".join(words).encode())] if words else []
    else:
        grams = [zlib.crc32(" ".join(words[i : i + n]).encode()) for i in range(len(words) - n + 1)]
    return np.unique(np.asarray(grams, dtype=np.uint64))


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Jaccard similarity of two :func:`shingles` arrays."""
    if not len(a) or not len(b):
        return 0.0
    common = len(np.intersect1d(a, b, assume_unique=True))
    return common / (len(a) + len(b) - common)


def signature(grams: np.ndarray) -> tuple[int, ...]:
    """The MinHash signature of a shingle array (``()`` for an empty one)."""
    if not len(grams):
        return ()
    hashed = (grams[:, None] * _A[None, :] + _B[None, :]) % _PRIME
    return tuple(int(v) for v in hashed.min(axis=0))


class NearDuplicates:
    """The accepted documents, findable by near-duplicate text.

    A document is added with its shingles, or with its stored signature and a way to
    load its shingles, which is called only when a probe shares a band with it.
    """

    def __init__(self) -> None:
        self._grams: dict[str, np.ndarray | Callable[[], np.ndarray]] = {}
        self._order: dict[str, int] = {}
        self._buckets: dict[tuple[int, tuple[int, ...]], list[str]] = defaultdict(list)

    def __len__(self) -> int:
        return len(self._grams)

    def add(self, key: str, grams: np.ndarray) -> None:
        self.add_signature(key, signature(grams), grams)

    def add_signature(
        self, key: str, sig: Sequence[int], grams: np.ndarray | Callable[[], np.ndarray]
    ) -> None:
        if len(sig) != PERMUTATIONS or key in self._grams:
            return
        self._grams[key] = grams
        self._order[key] = len(self._order)
        for band in range(BANDS):
            self._buckets[(band, tuple(sig[band * _ROWS : (band + 1) * _ROWS]))].append(key)

    def _shingles_of(self, key: str) -> np.ndarray:
        grams = self._grams[key]
        if callable(grams):
            grams = self._grams[key] = grams()
        return grams

    def find(self, grams: np.ndarray) -> str | None:
        """The earliest added document whose text is a near-duplicate of ``grams``, if any."""
        sig = signature(grams)
        if not sig:
            return None
        candidates: set[str] = set()
        for band in range(BANDS):
            candidates.update(self._buckets.get((band, sig[band * _ROWS : (band + 1) * _ROWS]), ()))
        matches = [key for key in candidates if jaccard(grams, self._shingles_of(key)) >= THRESHOLD]
        return min(matches, key=self._order.__getitem__) if matches else None

"""The stored corpus as cleaning and duplicate checks see it, kept up to date file by file.

Cleaning one document uses the whole corpus: word counts (to rejoin words split
across lines), the chrome lines its site repeats, and the other documents'
near-duplicate signatures. Recomputing them from every stored file made adding one
file cost as much as ingesting the corpus (15 s for one changed plan among 541).
Instead the store keeps them in ``corpus.json``, updated at each commit by the files
that came and went; a state that does not match the catalog (an older store, a crash
between the two writes) is rebuilt from the stored files once.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from regionplans.ingest.clean import Vocabulary, word_counts
from regionplans.ingest.dedup import shingles, signature
from regionplans.ingest.readers import Extracted
from regionplans.ingest.store import CatalogEntry, IngestStore

log = logging.getLogger(__name__)

FORMAT = 1
FILENAME = "corpus.json"
Counts = tuple[Counter[str], Counter[str]]  # word_counts: words, hyphenated compounds


def site_of(publisher: str, extracted: Extracted) -> str:
    """Documents of one site share chrome: the publisher names the site."""
    if publisher:
        return publisher.casefold()
    from regionplans.ingest.describe import Signals, publisher_from_signals

    detected = publisher_from_signals(Signals(), extracted.text)
    return (detected or f"?{extracted.kind}").casefold()


@dataclass
class CorpusState:
    """Word counts, sites and near-duplicate signatures of the stored files."""

    files: dict[str, str] = field(default_factory=dict)  # file hash → site
    words: Counter[str] = field(default_factory=Counter)
    hyphenated: Counter[str] = field(default_factory=Counter)
    signatures: dict[str, tuple[int, ...]] = field(default_factory=dict)  # doc id → MinHash

    # -- counting ------------------------------------------------------------------
    def add_file(self, file_hash: str, site: str, counts: Counts) -> None:
        """Count in a file's :func:`~regionplans.ingest.clean.word_counts`."""
        if file_hash in self.files:
            return
        words, hyphenated = counts
        self.words.update(words)
        self.hyphenated.update(hyphenated)
        self.files[file_hash] = site

    def remove_file(self, file_hash: str, counts: Counts) -> None:
        if self.files.pop(file_hash, None) is None:
            return
        words, hyphenated = counts
        self.words.subtract(words)
        self.hyphenated.subtract(hyphenated)
        for counter, changed in ((self.words, words), (self.hyphenated, hyphenated)):
            for word in changed:
                if counter[word] <= 0:
                    del counter[word]

    def vocabulary(self, extra: Iterable[Counts]) -> Vocabulary:
        """The corpus vocabulary with ``extra`` (the files being ingested) counted in."""
        words, hyphenated = self.words.copy(), self.hyphenated.copy()
        for more_words, more_hyphenated in extra:
            words.update(more_words)
            hyphenated.update(more_hyphenated)
        return Vocabulary.from_counts(words, hyphenated)

    def matches(self, entries: Mapping[str, CatalogEntry]) -> bool:
        """Whether this state describes exactly the files and documents of ``entries``."""
        return set(self.files) == {e.file_hash for e in entries.values()} and set(
            self.signatures
        ) == {e.doc_id for e in entries.values()}

    # -- storage -------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "files": self.files,
            "words": dict(self.words),
            "hyphenated": dict(self.hyphenated),
            "signatures": {k: list(v) for k, v in self.signatures.items()},
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CorpusState:
        return cls(
            files=dict(data["files"]),
            words=Counter(data["words"]),
            hyphenated=Counter(data["hyphenated"]),
            signatures={k: tuple(v) for k, v in data["signatures"].items()},
        )

    @classmethod
    def rebuild(cls, store: IngestStore, entries: Mapping[str, CatalogEntry]) -> CorpusState:
        """The state of ``entries`` computed from the stored files (costs the corpus)."""
        state = cls()
        for entry in entries.values():
            cached = store.raw(entry.file_hash)
            try:
                document = store.document(entry.doc_id)
            except KeyError:
                continue
            if cached is not None:
                extracted = Extracted.from_dict(cached)
                state.add_file(entry.file_hash, site_of(document.publisher, extracted),
                               word_counts(extracted.text))  # fmt: skip
            else:  # no reader output kept: the file counts for nothing but its site
                state.files[entry.file_hash] = (document.publisher or "").casefold()
            state.signatures[entry.doc_id] = signature(shingles(document.text))
        return state

    @classmethod
    def load(cls, store: IngestStore, entries: Mapping[str, CatalogEntry]) -> CorpusState:
        """The saved state when it matches ``entries`` (the committed catalog), else rebuilt."""
        path = store.store_dir / FILENAME
        try:
            state = cls.from_dict(json.loads(path.read_text(encoding="utf-8")))
        except FileNotFoundError:
            state = None
        except (OSError, ValueError, KeyError, TypeError) as exc:
            log.warning("unreadable %s (%s); rebuilding it", path, exc)
            state = None
        if state is not None and state.matches(entries):
            return state
        if entries:
            log.info("rebuilding the corpus state of %s (%d files)", store.store_dir, len(entries))
        return cls.rebuild(store, entries)

    def save(self, store: IngestStore) -> None:
        store.write_json(FILENAME, self.to_dict())

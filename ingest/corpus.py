"""The stored corpus as cleaning and duplicate checks see it, kept up to date file by file.

Cleaning one document uses the other files: word counts (to rejoin words split across
lines) and the chrome lines its site repeats. A file's site is its publisher as the
manifest or a correction gives it, else as the file's own signals name it (site name,
``<title>`` suffix, address, footer; :func:`site_of`): chrome repeats across the pages of
one publisher, even on two of its hosts, while a press release, an agency text or a joint
statement that two publishers print is content on both, and is never compared across
them. That makes a document's chunks a function of the set of files ingested with it,
and this module keeps it that way, without re-cleaning the corpus at every change:

- :class:`CorpusState` holds the word counts and sites of exactly the stored files
  (``corpus.json``, updated at each commit by the files that came and went; a state
  that does not match the catalog is rebuilt from the stored files once), their
  near-duplicate signatures, and for each document a :class:`Trace`: what its cleaning
  asked of the corpus (the words it looked up, the chrome of its site).
- :func:`move_to` takes the state to the next set of files (outgoing files subtracted,
  incoming ones counted) and says what changed (:class:`Change`); a stored document
  whose trace the change touches is cleaned again. So ingesting corpus B and then
  corpus A gives the chunks of a fresh ingest of A.
"""

from __future__ import annotations

import hashlib
import json
import logging
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, cast
from urllib.parse import urlsplit

from regionplans.ingest.clean import Vocabulary, site_boilerplate, word_counts
from regionplans.ingest.corrections import Correction, Corrections
from regionplans.ingest.dedup import shingles, signature
from regionplans.ingest.manifest import ManifestRow
from regionplans.ingest.readers import Extracted
from regionplans.ingest.store import CatalogEntry, IngestStore

log = logging.getLogger(__name__)

FORMAT = 2
FILENAME = "corpus.json"
Counts = tuple[Counter[str], Counter[str]]  # word_counts: words, hyphenated compounds


def site_of(publisher: str, extracted: Extracted, source_url: str = "") -> str:
    """The site whose chrome a file shares: its publisher (casefolded).

    ``publisher`` as a correction or the manifest gives it; else the one the file's own
    signals name (site name, ``<title>`` suffix, address, author, footer); else its site
    name or host as it stands (an organisation the gazetteer does not know is still one
    site); else the publisher its text names (a text or PDF file). Two hosts of one
    publisher are one site (a shared footer is chrome); a university and a region
    publishing one press release are two (its text is content on both).
    """
    if publisher:
        return publisher.casefold()
    from regionplans.ingest.describe import publisher_from_signals

    signals = replace(extracted.signals, url=extracted.signals.url or source_url)
    found = (
        publisher_from_signals(signals, "")
        or signals.site_name
        or _host(signals.url)
        or publisher_from_signals(signals, extracted.text)
    )
    return (found or f"?{extracted.kind}").casefold()


def _host(url: str) -> str:
    """The host of ``url`` without "www." ("" for none or a malformed address)."""
    try:
        host = urlsplit(url).hostname if "//" in url else None
    except ValueError:
        return ""
    return (host or "").removeprefix("www.")


def file_site(row: ManifestRow | None, correction: Correction | None, extracted: Extracted) -> str:
    """A file's :func:`site_of` by the publisher and address its document gets (a user's
    correction, else the manifest row, else the file's own signals)."""
    fix = correction or Correction()
    publisher = fix.publisher or (row.publisher if row else "")
    return site_of(publisher, extracted, fix.source_url or (row.source_url if row else ""))


def chrome_fingerprint(lines: frozenset[str]) -> str:
    """A short fingerprint of a site's chrome lines."""
    return hashlib.sha256("\n".join(sorted(lines)).encode("utf-8", "surrogatepass")).hexdigest()[:16]


# -- traces --------------------------------------------------------------------------
@dataclass
class Trace:
    """What cleaning one document asked of the corpus, so a later change of the corpus
    can tell whether it would clean the document differently: the words looked up
    (``member``: known or not; ``count``: how often), the stems asked about as
    prefixes, the hyphenated compounds looked up, and the fingerprint of its site's
    chrome. ``total``: it read the whole vocabulary (any change matters)."""

    site: str = ""
    member: set[str] = field(default_factory=set)
    count: set[str] = field(default_factory=set)
    prefix: set[str] = field(default_factory=set)
    hyphen: set[str] = field(default_factory=set)
    total: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"site": self.site, "member": sorted(self.member), "count": sorted(self.count),
                "prefix": sorted(self.prefix), "hyphen": sorted(self.hyphen), "total": self.total}  # fmt: skip

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Trace:
        return cls(str(data["site"]), set(data["member"]), set(data["count"]), set(data["prefix"]),
                   set(data["hyphen"]), bool(data["total"]))  # fmt: skip


class _TracedWords(Mapping[str, int]):
    """A vocabulary's word counts that note every lookup in a :class:`Trace`."""

    def __init__(self, words: Mapping[str, int], trace: Trace) -> None:
        self._words, self._trace = words, trace

    def __contains__(self, word: object) -> bool:
        self._trace.member.add(str(word))
        return word in self._words

    def __getitem__(self, word: str) -> int:
        self._trace.count.add(word)
        return self._words[word]

    def get(self, word: str, default: Any = None) -> Any:
        self._trace.count.add(word)
        return self._words.get(word, default)

    def __iter__(self) -> Iterator[str]:
        self._trace.total = True
        return iter(self._words)

    def __len__(self) -> int:
        self._trace.total = True
        return len(self._words)


class _TracedSet:
    """The hyphenated compounds, noting every lookup."""

    def __init__(self, items: frozenset[str], trace: Trace) -> None:
        self._items, self._trace = items, trace

    def __contains__(self, item: object) -> bool:
        self._trace.hyphen.add(str(item))
        return item in self._items

    def __iter__(self) -> Iterator[str]:
        self._trace.total = True
        return iter(self._items)

    def __len__(self) -> int:
        self._trace.total = True
        return len(self._items)


@dataclass(frozen=True)
class _TracedVocabulary(Vocabulary):
    trace: Trace = field(default_factory=Trace)

    def is_prefix(self, stem: str) -> bool:
        self.trace.prefix.add(stem.casefold())
        return super().is_prefix(stem)


def traced(vocabulary: Vocabulary, trace: Trace) -> Vocabulary:
    """``vocabulary`` answering as before while noting every question in ``trace``."""
    return _TracedVocabulary(
        words=_TracedWords(vocabulary.words, trace),
        hyphenated=cast(frozenset[str], _TracedSet(vocabulary.hyphenated, trace)),
        _sorted=vocabulary._sorted,  # the sorted words is_prefix searches
        trace=trace,
    )


@dataclass(frozen=True, slots=True)
class Change:
    """How the corpus context changed between two sets of files."""

    members: tuple[str, ...]  # words that became known or unknown (sorted)
    counts: frozenset[str]  # words whose count changed
    hyphens: frozenset[str]  # hyphenated compounds that appeared or went
    sites: frozenset[str]  # sites that gained or lost a file
    site_lines: Mapping[str, frozenset[str]]  # the chrome of ``sites`` now

    @property
    def words_changed(self) -> bool:
        return bool(self.counts or self.hyphens)

    def touches(self, trace: Trace | None, site: str) -> bool:
        """Whether cleaning the document of ``trace`` (of ``site``) could now differ."""
        if trace is None:
            return True
        if site in self.sites and chrome_fingerprint(self.site_lines[site]) != trace.site:
            return True
        if not self.words_changed:
            return False
        if trace.total or not trace.member.isdisjoint(self.members) or not trace.count.isdisjoint(self.counts):
            return True
        if not trace.hyphen.isdisjoint(self.hyphens):
            return True
        # A stem is a prefix of a word that came or went: the sorted words after it start with it.
        return any(self._prefixes(stem) for stem in trace.prefix)

    def _prefixes(self, stem: str) -> bool:
        i = bisect_right(self.members, stem)
        return i < len(self.members) and self.members[i].startswith(stem)


@dataclass
class CorpusState:
    """Word counts and sites of the stored files; signatures and traces of their documents."""

    files: dict[str, str] = field(default_factory=dict)  # file hash → site
    words: Counter[str] = field(default_factory=Counter)
    hyphenated: Counter[str] = field(default_factory=Counter)
    signatures: dict[str, tuple[int, ...]] = field(default_factory=dict)  # doc id → MinHash
    traces: dict[str, Trace] = field(default_factory=dict)  # doc id → its cleaning's questions

    # -- counting ------------------------------------------------------------------
    def add_file(self, file_hash: str, site: str, counts: Counts) -> None:
        """Count in a file's :func:`~regionplans.ingest.clean.word_counts`."""
        if file_hash in self.files:
            self.files[file_hash] = site
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

    def vocabulary(self) -> Vocabulary:
        """The vocabulary of the counted files."""
        return Vocabulary.from_counts(self.words, self.hyphenated)

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
            "traces": {k: v.to_dict() for k, v in self.traces.items()},
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CorpusState:
        return cls(
            files=dict(data["files"]),
            words=Counter(data["words"]),
            hyphenated=Counter(data["hyphenated"]),
            signatures={k: tuple(v) for k, v in data["signatures"].items()},
            # A state of the first format has no traces: its documents are cleaned again
            # at the next change of the corpus.
            traces={k: Trace.from_dict(v) for k, v in data.get("traces", {}).items()},
        )

    @classmethod
    def rebuild(cls, store: IngestStore, entries: Mapping[str, CatalogEntry]) -> CorpusState:
        """The state of ``entries`` computed from the stored files (costs the corpus);
        traces are not known, so the documents are cleaned again at the next change."""
        state = cls()
        corrections = Corrections(store.store_dir).load()
        for entry in entries.values():
            cached = store.raw(entry.file_hash)
            try:
                document = store.document(entry.doc_id)
            except KeyError:
                continue
            if cached is not None:
                extracted = Extracted.from_dict(cached)
                _found, row = store.row(entry.doc_id)
                site = file_site(row, corrections.get(entry.key), extracted)
                state.add_file(entry.file_hash, site, word_counts(extracted.text))
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


# -- moving to the next set of files ---------------------------------------------------
@dataclass(frozen=True)
class Context:
    """What cleaning a document needs to know about the others: the vocabulary of the
    files and the chrome lines of each site (read for the sites asked about)."""

    vocabulary: Vocabulary
    site_lines: Mapping[str, frozenset[str]]

    def chrome(self, site: str) -> frozenset[str]:
        return self.site_lines.get(site, frozenset())


def move_to(
    state: CorpusState,
    store: IngestStore,
    files: Mapping[str, str],
    texts: Mapping[str, str],
    *,
    sites_wanted: Iterable[str] = (),
    count: Callable[[str, str], Counts] = lambda _hash, text: word_counts(text),
) -> tuple[Context, Change] | None:
    """Take ``state`` to exactly ``files`` (file hash → site), in place: files that went
    are subtracted (their words read from the reader cache), files that came are counted
    (their text in ``texts``; else from the cache). Returns the new context, with the
    chrome of every changed site and of ``sites_wanted``, and what changed; None when a
    file's words are in neither place (the caller rebuilds the state). ``count(file
    hash, text)`` gives a file's word counts (the pipeline counts in its worker)."""
    before_words, before_hyph = Counter(state.words), Counter(state.hyphenated)
    touched: set[str] = set()

    def text_of(file_hash: str) -> str | None:
        if file_hash in texts:
            return texts[file_hash]
        cached = store.raw(file_hash)
        return Extracted.from_dict(cached).text if cached is not None else None

    for file_hash in [h for h in state.files if h not in files]:
        text = text_of(file_hash)
        if text is None:
            return None
        touched.add(state.files[file_hash])
        state.remove_file(file_hash, count(file_hash, text))
    for file_hash, site in files.items():
        old_site = state.files.get(file_hash)
        if old_site == site:
            continue
        touched.update(s for s in (old_site, site) if s is not None)
        if old_site is not None:
            state.files[file_hash] = site
            continue
        text = text_of(file_hash)
        if text is None:
            return None
        state.add_file(file_hash, site, count(file_hash, text))

    counts = frozenset(w for w in set(before_words) | set(state.words) if before_words[w] != state.words[w])
    members = tuple(sorted(w for w in counts if (before_words[w] > 0) != (state.words[w] > 0)))
    hyphens = frozenset(w for w in set(before_hyph) | set(state.hyphenated)
                        if (before_hyph[w] > 0) != (state.hyphenated[w] > 0))  # fmt: skip
    by_site: dict[str, list[str]] = {site: [] for site in touched | set(sites_wanted)}
    # In file-hash order: which of two near-copies counts must not depend on history.
    for file_hash, site in sorted(state.files.items()):
        if site in by_site:
            text = text_of(file_hash)
            if text is not None:
                by_site[site].append(text)
    site_lines = {site: site_boilerplate(group) for site, group in by_site.items()}
    change = Change(members, counts, hyphens, frozenset(touched), site_lines)
    return Context(state.vocabulary(), site_lines), change

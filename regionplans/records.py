"""The typed records that flow through the pipeline: files → documents → chunks → hits.

Every record is frozen; stages return new records (``dataclasses.replace``) instead
of mutating their input. Ids are content hashes, so re-ingesting an unchanged file
produces the same ids and an index upsert is idempotent.

Metadata names follow Haystack's where Haystack has one (``file_path``,
``page_number``, ``split_id``, ``split_idx_start``); :func:`chunk_to_haystack`
converts at the boundary.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

DOC_TYPES: tuple[str, ...] = (
    "strategy", "action plan", "report", "news", "position", "regulation", "decision", "web page",
)

MetadataSource = Literal["manifest", "detected"]


def normalise_text(text: str) -> str:
    """Unicode-normalise (NFC) and fold all runs of whitespace to one space."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def content_hash(*parts: str) -> str:
    """A stable sha256 hex digest of the parts (whitespace-normalised, NFC)."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(normalise_text(part).encode("utf-8"))
        digest.update(b"\x1f")
    return digest.hexdigest()


def file_sha256(path: Path) -> str:
    """The sha256 hex digest of a file's bytes, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass(frozen=True, slots=True)
class Document:
    """One ingested file: its cleaned text and the metadata known about it.

    ``text`` is the cleaned text with pages separated by ``\\f`` (page 1 first);
    ``regions`` are canonical region names from the gazetteer (see
    ``regionplans.ingest.metadata``), empty for a national document;
    ``acronyms`` are the document's own definitions as (short, long) pairs.
    """

    doc_id: str
    file_path: str
    title: str
    publisher: str
    regions: tuple[str, ...]
    doc_type: str
    language: str
    date: str | None  # ISO 8601 date, e.g. "2021-05-19"
    text: str
    file_hash: str
    source_url: str | None = None
    acronyms: tuple[tuple[str, str], ...] = ()
    metadata_source: MetadataSource = "detected"
    notes: tuple[str, ...] = ()

    @property
    def year(self) -> int | None:
        return int(self.date[:4]) if self.date else None

    @property
    def name(self) -> str:
        """The file name without its extension: how judgments and the UI name a document."""
        base = self.file_path.replace("\\", "/").rsplit("/", 1)[-1]
        return base.rsplit(".", 1)[0] if "." in base else base

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Document:
        data = dict(data)
        data["regions"] = tuple(data.get("regions", ()))
        data["acronyms"] = tuple(tuple(pair) for pair in data.get("acronyms", ()))
        data["notes"] = tuple(data.get("notes", ()))
        return cls(**data)


@dataclass(frozen=True, slots=True)
class Section:
    """A run of a document's cleaned text under one heading path, on one page.

    ``start``/``end`` are character offsets into ``Document.text``.
    """

    doc_id: str
    heading_path: tuple[str, ...]
    text: str
    page_number: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Chunk:
    """A piece of a section small enough to embed, the unit of indexing and retrieval.

    ``split_idx_start``/``split_idx_end`` are character offsets into the
    document's cleaned text, so ``document.text[start:end] == chunk.text``.
    ``chunk_id`` is ``content_hash(doc_id, heading path, text)``.
    """

    chunk_id: str
    doc_id: str
    text: str
    heading_path: tuple[str, ...]
    page_number: int
    split_id: int
    split_idx_start: int
    split_idx_end: int

    @staticmethod
    def make_id(doc_id: str, heading_path: tuple[str, ...], text: str, split_id: int) -> str:
        return content_hash(doc_id, " > ".join(heading_path), text, str(split_id))

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Chunk:
        data = dict(data)
        data["heading_path"] = tuple(data.get("heading_path", ()))
        return cls(**data)


@dataclass(frozen=True, slots=True)
class SearchFilters:
    """Restrictions on a search. Empty tuples and ``None`` mean "no restriction"."""

    regions: tuple[str, ...] = ()
    publishers: tuple[str, ...] = ()
    doc_types: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    doc_ids: tuple[str, ...] = ()
    date_from: str | None = None  # ISO date, inclusive
    date_to: str | None = None  # ISO date, inclusive

    def is_empty(self) -> bool:
        return not (
            self.regions
            or self.publishers
            or self.doc_types
            or self.languages
            or self.doc_ids
            or self.date_from
            or self.date_to
        )


SEARCH_MODES: tuple[str, ...] = ("hybrid", "dense", "lexical")


@dataclass(frozen=True, slots=True)
class Hit:
    """One retrieved chunk with its document's metadata and why it ranked.

    ``dense_rank``/``lexical_rank`` are 1-based ranks in each branch (``None`` where
    the chunk was not a candidate of that branch); ``matched_terms`` are the words
    of ``chunk.text`` that matched the query lexically (stem-aware).
    """

    chunk: Chunk
    document: Document
    score: float
    rank: int
    dense_rank: int | None = None
    lexical_rank: int | None = None
    matched_terms: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        doc = self.document
        return {
            "rank": self.rank,
            "score": self.score,
            "chunk_id": self.chunk.chunk_id,
            "doc_id": doc.doc_id,
            "document": doc.name,
            "title": doc.title,
            "publisher": doc.publisher,
            "regions": list(doc.regions),
            "doc_type": doc.doc_type,
            "language": doc.language,
            "date": doc.date,
            "source_url": doc.source_url,
            "file_path": doc.file_path,
            "heading_path": list(self.chunk.heading_path),
            "page_number": self.chunk.page_number,
            "text": self.chunk.text,
            "dense_rank": self.dense_rank,
            "lexical_rank": self.lexical_rank,
            "matched_terms": list(self.matched_terms),
        }


@dataclass(frozen=True, slots=True)
class SearchResult:
    """Hits for one query plus what was actually searched (for honest empty results)."""

    query: str
    mode: str
    hits: tuple[Hit, ...]
    filters: SearchFilters = field(default_factory=SearchFilters)
    detected_regions: tuple[str, ...] = ()
    region_detection_applied: bool = False
    searched_chunks: int = 0

    @property
    def words_matched(self) -> bool:
        """Whether any hit contains a word of the question (else the hits are only the
        nearest in meaning, and the user should be told so)."""
        return any(h.matched_terms for h in self.hits)


def chunk_to_haystack(chunk: Chunk, document: Document) -> Any:
    """Convert a chunk to a Haystack ``Document`` (the boundary to Haystack components)."""
    from haystack import Document as HaystackDocument

    return HaystackDocument(
        id=chunk.chunk_id,
        content=chunk.text,
        meta={
            "file_path": document.file_path,
            "source_id": document.doc_id,
            "page_number": chunk.page_number,
            "split_id": chunk.split_id,
            "split_idx_start": chunk.split_idx_start,
            "heading_path": list(chunk.heading_path),
            "title": document.title,
            "publisher": document.publisher,
            "regions": list(document.regions),
            "doc_type": document.doc_type,
            "language": document.language,
            "date": document.date,
        },
    )

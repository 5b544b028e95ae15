"""Build or update the search index from the ingest store.

Incremental: a document whose content and metadata are unchanged keeps its points;
changed documents are re-written (their unchanged chunk texts come from the
embedding cache, so nothing is re-embedded); removed documents are deleted.
Atomic: every build writes a new generation and switches to it at the end
(see :mod:`regionplans.index.store`), so a reader never sees a half-built index and a
killed build leaves the previous one usable; the next run simply starts again.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from regionplans.config import Settings
from regionplans.errors import IndexError_, storage_message
from regionplans.index.embed import Embedder, identity_key, load_embedder
from regionplans.index.lexical import BUILTIN_ACRONYMS, Analyzer, build_vocabulary
from regionplans.index.rescore import SENTENCE_FIELD, sentence_vectors
from regionplans.index.store import StoredPoint, VectorStore, date_num, open_store, point_id
from regionplans.records import Chunk, Document, content_hash

log = logging.getLogger(__name__)

BATCH = 256
# 2: qdrant-edge shards without a write-ahead log (older indexes are rebuilt once).
INDEX_FORMAT = 3  # 3: sentence vectors in the payload (index.rescore)


@dataclass(frozen=True, slots=True)
class IndexReport:
    """What a build did."""

    backend: str
    model: str
    version: int
    documents: int
    chunks: int
    added: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    unchanged: int = 0
    embedded: int = 0
    seconds: float = 0.0
    changed: bool = True
    notes: tuple[str, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        return {
            "backend": self.backend,
            "model": self.model,
            "version": self.version,
            "documents": self.documents,
            "chunks": self.chunks,
            "added": len(self.added),
            "updated": len(self.updated),
            "removed": len(self.removed),
            "unchanged": self.unchanged,
            "embedded": self.embedded,
            "seconds": round(self.seconds, 2),
        }


def dense_text(chunk: Chunk, document: Document) -> str:
    """What the dense model embeds: the chunk with its context (title, heading path)."""
    head = " > ".join(chunk.heading_path)
    return "\n".join(part for part in (document.title, head, chunk.text) if part)


def lexical_text(chunk: Chunk, document: Document) -> str:
    """What BM25 indexes: the heading path and the chunk (the title would swamp IDF)."""
    head = " ".join(chunk.heading_path)
    return f"{head}\n{chunk.text}" if head else chunk.text


def document_summary(document: Document) -> dict[str, Any]:
    """A document's metadata without its text, as stored in the index metadata."""
    data = document.to_dict()
    data["text"] = ""
    return data


def chunk_payload(chunk: Chunk, document: Document) -> dict[str, Any]:
    """The payload of one point: the chunk and its document's metadata (denormalised,
    so a hit needs nothing but the index)."""
    payload: dict[str, Any] = {
        "chunk_id": chunk.chunk_id,
        "doc_id": document.doc_id,
        "text": chunk.text,
        "heading_path": list(chunk.heading_path),
        "page_number": chunk.page_number,
        "split_id": chunk.split_id,
        "split_idx_start": chunk.split_idx_start,
        "split_idx_end": chunk.split_idx_end,
        "regions": list(document.regions),
        "publisher": document.publisher,
        "doc_type": document.doc_type,
        "language": document.language,
    }
    if document.year is not None:
        payload["year"] = document.year
    num = date_num(document.date)
    if num is not None:
        payload["date_num"] = num
    return payload


def _doc_version(document: Document, chunks: Sequence[Chunk]) -> str:
    return content_hash(
        json.dumps(document.to_dict(), sort_keys=True), *(c.chunk_id for c in chunks)
    )


def lexical_statistics(
    items: Sequence[tuple[Document, Sequence[Chunk]]],
) -> tuple[frozenset[str], tuple[tuple[str, str], ...], float]:
    """The corpus's compound-splitting vocabulary, acronyms and average chunk length
    in words: what every sparse vector depends on, whatever the order of ``items``."""
    vocabulary = build_vocabulary(
        text for doc, chunks in items for text in (doc.title, *(c.text for c in chunks))
    )
    found = sorted({tuple(a) for doc, _ in items for a in doc.acronyms})
    acronyms = tuple(dict.fromkeys([*BUILTIN_ACRONYMS, *((a[0], a[1]) for a in found)]))
    lengths = [len(c.text.split()) for _, chunks in items for c in chunks]
    avg_len = max(8.0, float(np.mean(lengths))) if lengths else 256.0
    return vocabulary, acronyms, avg_len


def check_model(meta: dict[str, Any], embedder: Embedder) -> None:
    """Refuse an embedder whose identity differs from the one the index was built with."""
    from regionplans.errors import ModelMismatchError
    from regionplans.index.embed import describe

    if meta.get("model_key") != identity_key(embedder.identity()):
        raise ModelMismatchError(
            f"the index was built with {describe(meta.get('model', {}))} but the query model is "
            f"{describe(embedder.identity())}; use --model/REGIONPLANS_MODEL to match, "
            "or rebuild with `regionplans index --rebuild`"
        )


def index_corpus(
    settings: Settings,
    *,
    rebuild: bool = False,
    embedder: Embedder | None = None,
    progress: bool = False,
) -> IndexReport:
    """Index the ingest store at ``settings.ingest_dir`` into the configured Qdrant."""
    if not settings.ingest_dir.exists():
        raise IndexError_(
            f"no ingest store at {settings.ingest_dir}; run `regionplans ingest` first"
        )
    from regionplans.ingest.store import IngestStore

    ingest = IngestStore(settings.ingest_dir)
    documents = list(ingest.documents())
    return index_documents(
        settings,
        [(doc, list(ingest.chunks(doc.doc_id))) for doc in documents],
        rebuild=rebuild,
        embedder=embedder,
        progress=progress,
        source_version=str(getattr(ingest, "version", "")),
    )


@contextlib.contextmanager
def _build_lock(settings: Settings) -> Iterator[None]:
    """One build at a time per data directory (a second one fails fast, clearly)."""
    path = settings.index_dir / ".build.lock"
    try:
        settings.index_dir.mkdir(parents=True, exist_ok=True)
        handle = path.open("w")
    except OSError as exc:
        raise IndexError_(storage_message("write the index at", settings.index_dir, exc)) from exc
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise IndexError_(
                f"another index build is running ({path}); wait for it to finish"
            ) from exc
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def index_documents(
    settings: Settings,
    items: Iterable[tuple[Document, Sequence[Chunk]]],
    *,
    rebuild: bool = False,
    embedder: Embedder | None = None,
    progress: bool = False,
    source_version: str = "",
    store: VectorStore | None = None,
) -> IndexReport:
    """Index ``(document, chunks)`` pairs: the whole corpus, as it should be after the build.

    Builds take turns: one per data directory, and one per index on a Qdrant server
    (builders on other machines wait for the lock held in the server)."""
    with _build_lock(settings):
        store = store or open_store(settings)
        with store.build_lock():
            return _index_documents(
                settings, items, rebuild=rebuild, embedder=embedder, progress=progress,
                source_version=source_version, store=store,
            )  # fmt: skip


def _index_documents(
    settings: Settings,
    items: Iterable[tuple[Document, Sequence[Chunk]]],
    *,
    rebuild: bool,
    embedder: Embedder | None,
    progress: bool,
    source_version: str,
    store: VectorStore,
) -> IndexReport:
    start = time.perf_counter()
    embedder = embedder or load_embedder(
        settings.model, cache_dir=settings.cache_dir / "embeddings"
    )
    items = list(items)
    identity = embedder.identity()
    key = identity_key(identity)
    previous = store.meta()
    if previous is not None and (
        previous.get("model_key") != key or previous.get("format") != INDEX_FORMAT
    ):
        log.info("model or index format changed: rebuilding")
        rebuild = True

    old_docs: dict[str, dict[str, Any]] = {} if (previous is None or rebuild) else previous["docs"]
    versions = {doc.doc_id: _doc_version(doc, chunks) for doc, chunks in items}
    added = tuple(d for d in versions if d not in old_docs)
    updated = tuple(d for d in versions if d in old_docs and old_docs[d]["version"] != versions[d])
    removed = tuple(d for d in old_docs if d not in versions)
    unchanged = len(versions) - len(added) - len(updated)
    total_chunks = sum(len(chunks) for _, chunks in items)

    # The lexical statistics come from the whole corpus, the same however it was built
    # up; when they change, every kept point gets its sparse vector again (cheap: no
    # dense vector is recomputed), so an incremental build equals a rebuild.
    vocabulary, acronyms, avg_len = lexical_statistics(items)
    lexical = {"vocabulary": sorted(vocabulary), "acronyms": [list(a) for a in acronyms], "avg_len": avg_len}
    stale_sparse = previous is not None and not rebuild and any(previous.get(k) != v for k, v in lexical.items())
    if previous is not None and not rebuild and not (added or updated or removed or stale_sparse):
        return IndexReport(
            backend=store.backend, model=str(identity.get("model")), version=int(previous["version"]),
            documents=len(versions), chunks=total_chunks, unchanged=unchanged,
            seconds=time.perf_counter() - start, changed=False,
        )  # fmt: skip
    analyzer = Analyzer(vocabulary=vocabulary, acronyms=acronyms, avg_len=avg_len)

    todo = set(added) | set(updated)
    misses_before = int(getattr(embedder, "misses", 0))
    embedded_direct = 0
    writer = store.begin(embedder.dim, fresh=rebuild or previous is None)
    try:
        writer.delete_docs([*updated, *removed])
        if stale_sparse:
            kept = [(c, d) for c, d in _pending(items, set(versions) - todo)]
            for i in range(0, len(kept), BATCH):
                writer.update_sparse([
                    (point_id(c.chunk_id), analyzer.embed_document(lexical_text(c, d), d.acronyms))
                    for c, d in kept[i : i + BATCH]
                ])  # fmt: skip
        batch: list[tuple[Chunk, Document]] = []

        def flush() -> None:
            nonlocal embedded_direct
            vectors = embedder.embed_passages([dense_text(c, d) for c, d in batch])
            if not hasattr(embedder, "misses"):
                embedded_direct += len(batch)
            # The report counts chunks embedded: the sentences' cache misses are not chunks.
            before = int(getattr(embedder, "misses", 0))
            sentences = sentence_vectors(embedder, [c.text for c, _ in batch])
            embedded_direct -= int(getattr(embedder, "misses", 0)) - before
            points = [
                StoredPoint(
                    id=point_id(c.chunk_id),
                    dense=vec,
                    sparse=analyzer.embed_document(lexical_text(c, d), d.acronyms),
                    payload=chunk_payload(c, d) | {SENTENCE_FIELD: sent},
                )
                for (c, d), vec, sent in zip(batch, vectors, sentences, strict=True)
            ]
            writer.upsert(points)
            batch.clear()

        done = 0
        for chunk, doc in _pending(items, todo):
            batch.append((chunk, doc))
            if len(batch) >= BATCH:
                done += len(batch)
                flush()
                if progress:
                    log.warning("indexed %d chunks", done)
        if batch:
            flush()
        version = int(previous["version"]) + 1 if previous is not None else 1
        meta = {
            "format": INDEX_FORMAT,
            "version": version,
            "backend": store.backend,
            "model": identity,
            "model_key": key,
            "model_name": settings.model,
            "dim": embedder.dim,
            "chunks": total_chunks,
            "source_version": source_version,
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            **lexical,
            "docs": {
                doc.doc_id: {
                    "version": versions[doc.doc_id],
                    "chunks": len(chunks),
                    "document": document_summary(doc),
                }
                for doc, chunks in items
            },
        }
        writer.commit(meta)
    except BaseException:
        writer.abort()
        raise
    embedded = int(getattr(embedder, "misses", 0)) - misses_before + embedded_direct
    return IndexReport(
        backend=store.backend,
        model=str(identity.get("model")),
        version=version,
        documents=len(versions),
        chunks=total_chunks,
        added=added,
        updated=updated,
        removed=removed,
        unchanged=unchanged,
        embedded=embedded,
        seconds=time.perf_counter() - start,
    )


def _pending(
    items: Sequence[tuple[Document, Sequence[Chunk]]], todo: set[str]
) -> Iterator[tuple[Chunk, Document]]:
    for doc, chunks in items:
        if doc.doc_id in todo:
            for chunk in chunks:
                yield chunk, doc

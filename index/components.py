"""A Haystack component around :class:`~regionplans.index.search.Searcher`.

Lets a Haystack pipeline (e.g. a RAG answerer) retrieve from the regionplans index
with the same hybrid search, filters and region detection as the CLI.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from haystack import Document as HaystackDocument
from haystack import component

from regionplans.config import Settings
from regionplans.records import SearchFilters, chunk_to_haystack


@component
class RegionPlansRetriever:
    """Retrieves chunks as Haystack documents; scores are the fused search scores."""

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        mode: str = "hybrid",
        top_k: int = 10,
        per_doc: int | None = 3,
    ) -> None:
        self.settings = settings or Settings()
        self.mode = mode
        self.top_k = top_k
        self.per_doc = per_doc
        self._searcher: Any = None

    @component.output_types(documents=list[HaystackDocument])
    def run(
        self,
        query: str,
        regions: list[str] | None = None,
        doc_types: list[str] | None = None,
        top_k: int | None = None,
    ) -> dict[str, list[HaystackDocument]]:
        """Search ``query``; optional region and document-type restrictions."""
        if self._searcher is None:
            from regionplans.index.search import Searcher

            self._searcher = Searcher(self.settings)
        filters = SearchFilters(regions=tuple(regions or ()), doc_types=tuple(doc_types or ()))
        result = self._searcher.search(
            query, filters=filters, mode=self.mode, limit=top_k or self.top_k, per_doc=self.per_doc
        )
        documents = []
        for hit in result.hits:
            doc = chunk_to_haystack(hit.chunk, hit.document)
            meta = {
                **doc.meta,
                "matched_terms": list(hit.matched_terms),
                "dense_rank": hit.dense_rank,
                "lexical_rank": hit.lexical_rank,
            }
            documents.append(replace(doc, score=hit.score, meta=meta))
        return {"documents": documents}

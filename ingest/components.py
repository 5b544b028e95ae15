"""Haystack components: thin wrappers around the ingest pipeline.

>>> from regionplans.ingest.components import RegionPlansIngester
>>> ingester = RegionPlansIngester(store_dir="data/ingest")
>>> result = ingester.run(sources=["corpus/region-stockholm-handlingsplan-precisionsmedicin.txt"])
>>> result["documents"][0].meta["heading_path"]
['Handlingsplan Precisionsmedicin', 'Inledning']
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from haystack import component

from regionplans.records import chunk_to_haystack


@component
class RegionPlansIngester:
    """Ingest files into the store and return their chunks as Haystack ``Document`` s.

    ``store_dir`` is the ingest store; every run adds or replaces the given files
    (like the app's upload) and returns the chunks of the files that are stored,
    with the per-file report as plain dicts.
    """

    def __init__(self, *, store_dir: str) -> None:
        self.store_dir = store_dir

    @component.output_types(documents=list[Any], report=list[dict[str, Any]])
    def run(self, sources: list[str]) -> dict[str, Any]:
        from regionplans.ingest.pipeline import ingest_files
        from regionplans.ingest.store import IngestStore

        report = ingest_files([Path(s) for s in sources], Path(self.store_dir))
        store = IngestStore(self.store_dir)
        wanted = {f.doc_id for f in report.files if f.doc_id and f.status in ("ingested", "unchanged")}
        documents = [
            chunk_to_haystack(chunk, doc)
            for doc in store.documents()
            if doc.doc_id in wanted
            for chunk in store.chunks(doc.doc_id)
        ]
        return {"documents": documents, "report": [f.to_dict() for f in report.files]}

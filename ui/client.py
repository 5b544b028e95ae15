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
from dataclasses import dataclass
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


@dataclass(frozen=True, slots=True)
class RunningApp:
    """An app started by :func:`running_app`: where it answers and its process id."""

    url: str
    pid: int


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
    ``timeout`` seconds.
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
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + timeout
        while True:
            if proc.poll() is not None or time.time() > deadline:
                raise RegionPlansError(f"the app did not start: {log.read_text(encoding='utf-8')[-3000:]}")
            try:
                urllib.request.urlopen(url + "/", timeout=2)  # noqa: S310 - loopback only
                with urllib.request.urlopen(url + "/ready", timeout=2) as answer:  # noqa: S310
                    phase = json.load(answer).get("phase")
                if phase == "failed":
                    raise RegionPlansError(f"the app could not build its index: {log.read_text(encoding='utf-8')[-3000:]}")
                if phase == "ready" or not wait_ready:
                    break
            except OSError:
                pass
            time.sleep(0.5)
        yield RunningApp(url, proc.pid)
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

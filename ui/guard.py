"""What stands between the app and its clients: request size, named endpoints, heavy
calls at once, and the folder of download files.

- :class:`RequestGuard` (ASGI middleware): a request body over
  ``limits.max_request_kb`` (uploads aside: Gradio checks those against the upload
  limit) is answered 413 before the app reads it, and a call by name of an endpoint
  that is not public (Gradio names private handlers ``false``, ``false_1``...) is 404.
- :class:`HeavyCalls`: at most ``limits.heavy_calls`` uploads and comparison tables at
  once; one more is told the app is busy instead of queueing behind them.
- :class:`ExportFolder`: download files live in one folder per app process; folders of
  earlier calls are removed after a while, the whole folder when the process exits, and
  folders left by processes that died are removed at start.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import re
import shutil
import tempfile
import threading
import time
from collections.abc import Awaitable, Callable, Iterator, MutableMapping
from pathlib import Path
from typing import Any

from regionplans.errors import BusyError
from regionplans.index.store_views import pid_alive

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

_NAMED_CALL = re.compile(r"^/gradio_api/(?:call/v2|call|run|api)/([^/]+)")
# The browser runs its unqueued events as /run/predict with the handler's index in the
# body (as it runs queued ones through /queue/join): those are no call by name.
_BROWSER_ROUTES = frozenset({"predict"})
UPLOAD_PATH = "/gradio_api/upload"


def _language(scope: Scope) -> str:
    for name, value in scope.get("headers", ()):
        if name == b"accept-language":
            return "en" if value.decode("latin-1").strip().lower().startswith("en") else "sv"
    return "sv"


class RequestGuard:
    """ASGI middleware refusing oversized request bodies and calls of private endpoints."""

    def __init__(self, app: Any, *, max_bytes: int, public: frozenset[str], message: Callable[[str, int], str]) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.public = public
        self.message = message  # (language, limit in KB) → the refusal in that language

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = str(scope.get("path", ""))
        named = _NAMED_CALL.match(path)
        if named and named.group(1) not in self.public | _BROWSER_ROUTES:
            await _answer(send, 404, {"error": "no such endpoint"})
            return
        if path.startswith(UPLOAD_PATH):
            await self.app(scope, receive, send)
            return
        length = next((v for k, v in scope.get("headers", ()) if k == b"content-length"), None)
        too_big = self.message(_language(scope), self.max_bytes // 1024)
        if length is not None and (not length.isdigit() or int(length) > self.max_bytes):
            await _answer(send, 413, {"error": too_big})
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:  # a body without a length that keeps coming
                    return {"type": "http.disconnect"}
            return message

        await self.app(scope, counted, send)


async def _answer(send: Send, status: int, body: dict[str, str]) -> None:
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(data)).encode())]})  # fmt: skip
    await send({"type": "http.response.body", "body": data})


class HeavyCalls:
    """At most ``limit`` heavy calls at once; :meth:`slot` raises :class:`BusyError` for more."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._slots = threading.BoundedSemaphore(limit)

    @contextlib.contextmanager
    def slot(self) -> Iterator[None]:
        if not self._slots.acquire(blocking=False):
            raise BusyError(f"the app is busy with {self.limit} upload(s) or comparison(s); try again in a moment")
        try:
            yield
        finally:
            self._slots.release()


class ExportFolder:
    """Download files of one app process, under the system temp folder."""

    PREFIX = "regionplans-export-"

    def __init__(self, keep_seconds: float = 900.0) -> None:
        self.keep_seconds = keep_seconds
        self._root: Path | None = None
        self._lock = threading.Lock()

    def new(self) -> Path:
        """A fresh folder for one call's files (older calls' folders swept)."""
        with self._lock:
            if self._root is None:
                sweep_dead()
                self._root = Path(tempfile.mkdtemp(prefix=f"{self.PREFIX}{os.getpid()}-"))
                atexit.register(shutil.rmtree, self._root, True)
            now = time.time()
            for old in self._root.iterdir():
                with contextlib.suppress(OSError):
                    if now - old.stat().st_mtime > self.keep_seconds:
                        shutil.rmtree(old)
            return Path(tempfile.mkdtemp(dir=self._root))


def sweep_dead(folder: Path | None = None) -> list[Path]:
    """Remove export folders whose process is gone (killed before it could clean up)."""
    removed = []
    base = Path(folder or tempfile.gettempdir())
    for path in base.glob(f"{ExportFolder.PREFIX}*"):
        pid = path.name[len(ExportFolder.PREFIX):].split("-", 1)[0]
        if pid.isdigit() and not pid_alive(int(pid)):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed


def upload_folder() -> Path:
    """Where Gradio stores the files a client uploads (``GRADIO_TEMP_DIR`` or the
    system temp folder's ``gradio/``), resolved."""
    from gradio.utils import get_upload_folder

    return Path(get_upload_folder()).resolve()


def uploaded_file(path: Path | str) -> Path | None:
    """``path`` resolved, when it is a regular file inside the upload folder; else None.

    The app is mounted on FastAPI rather than launched, so Gradio's own check that an
    input file was uploaded is not in force: any client could name a server path in a
    call and have that file ingested and served by search. Only files that arrived
    through the upload route are accepted; links are resolved before the check.
    """
    try:
        resolved = Path(path).resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    if not resolved.is_relative_to(upload_folder()) or not resolved.is_file():
        return None
    return resolved

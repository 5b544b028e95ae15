"""One file's reading and cleaning in a worker process, under a time and memory budget.

A reader or a cleaning rule meeting a pathological file (a zip bomb, a .docx of 35,000
paragraphs, 100,000 nested HTML elements, megabytes of unpunctuated lines) may take
minutes or gigabytes. In a worker it cannot hold up the batch or the server: past
``seconds`` the worker is killed and the file is reported "stopped after 60 s"; past
``memory_mb`` its allocations fail and the file is reported over the memory budget; a
worker that crashes (a C parser's segfault) fails its file only. The next file gets a
new worker.

>>> with Worker(Budget(seconds=60, memory_mb=1024)) as worker:  # doctest: +SKIP
...     extracted = worker.call("plan.pdf", read_file, Path("plan.pdf"))

The worker is a fresh interpreter (``python -c``, not a fork of a server with threads)
that talks to this process over a socket pair, started on the first call and reused
until a file breaks it. Functions travel by reference (module and name); one that
cannot (a lambda, a function defined in a test) runs in this process, without budget.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import pickle
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from regionplans.errors import IngestError

log = logging.getLogger(__name__)

MB = 1024 * 1024
START_SECONDS = 120.0  # a new worker may take this long to import its readers (a loaded machine)


@dataclass(frozen=True, slots=True)
class Budget:
    """What one call may use: wall-clock seconds and memory (the worker's address space
    in MB, the interpreter included, so its resident memory stays below it)."""

    seconds: float = 60.0
    memory_mb: int = 1024

    @classmethod
    def from_limits(cls, limits: Any) -> Budget:
        """From :class:`~regionplans.config.Limits` (``file_seconds``, ``file_memory_mb``)."""
        return cls(seconds=float(limits.file_seconds), memory_mb=int(limits.file_memory_mb))


@dataclass(frozen=True, slots=True)
class Shared:
    """Stands in a call's arguments for a value given once with :meth:`Worker.share`."""

    key: str


class Worker:
    """Calls functions in a worker process under a :class:`Budget`; one call at a time."""

    def __init__(self, budget: Budget) -> None:
        self.budget = budget
        # The environment the process starts with (settings such as the size limits are
        # read there): a worker is reused only under the same one.
        self.environment = _environment()
        self._proc: subprocess.Popen[bytes] | None = None
        self._conn: Connection | None = None
        self._shared: dict[str, Any] = {}
        self._sent: set[str] = set()

    def __enter__(self) -> Worker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def share(self, key: str, value: Any) -> None:
        """Give ``value`` to the calls that name ``Shared(key)`` (sent to a worker once)."""
        self._shared[key] = value
        self._sent.discard(key)

    def call(self, label: str, fn: Callable[..., Any], *args: Any, spent: float = 0.0) -> Any:
        """``fn(*args)`` in the worker. Raises :class:`IngestError` naming ``label`` when
        the call fails, runs out of time or memory, or the worker dies. ``spent``: seconds
        of the budget the same file used already (reading it, before cleaning it)."""
        try:
            if getattr(fn, "__module__", "__main__") == "__main__":
                raise pickle.PicklingError("a worker imports functions by module")
            job = pickle.dumps(("call", fn, args), protocol=pickle.HIGHEST_PROTOCOL)
        except (pickle.PicklingError, AttributeError, TypeError):
            # Not importable by name: run here, as the caller would have.
            local = tuple(self._shared[a.key] if isinstance(a, Shared) else a for a in args)
            return fn(*local)
        try:
            conn = self._ensure()
        except (EOFError, OSError) as exc:
            self._stop()
            raise IngestError(label, f"could not start the process that reads files: {exc}") from exc
        try:
            for key in [k for k in self._shared if k not in self._sent]:
                conn.send(("share", key, self._shared[key]))
                self._sent.add(key)
            conn.send_bytes(job)
            if not conn.poll(max(self.budget.seconds - spent, 0.0)):
                self._stop()
                raise IngestError(label, stopped_message(self.budget.seconds))
            kind, value = conn.recv()
        except (EOFError, OSError) as exc:
            code = self._stop()
            raise IngestError(label, crashed_message(code, self.budget.memory_mb)) from exc
        if kind == "ok":
            return value
        if kind == "memory":
            self._stop()  # a heap that ran out is not trusted with the next file
            said = f" (the reader said: {value})" if value else ""
            raise IngestError(label, memory_message(self.budget.memory_mb) + said)
        raise IngestError(label, value)

    def close(self) -> None:
        """Stop the worker (the next call starts a new one)."""
        self._stop(kill=False)

    def forget(self) -> None:
        """Drop the shared values (the worker keeps running for the next user)."""
        self._shared.clear()
        if self._conn is not None:
            try:
                self._conn.send(("forget", "", None))
            except OSError:
                self._stop()

    # -- the process -------------------------------------------------------------
    def _ensure(self) -> Connection:
        if self._conn is not None and self._proc is not None and self._proc.poll() is None:
            return self._conn
        self._stop()
        ours, theirs = socket.socketpair()
        env = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
        code = "from regionplans.ingest.worker import main; main()"
        try:
            self._proc = subprocess.Popen(
                [sys.executable, "-c", code, str(theirs.fileno()), str(self.budget.memory_mb * MB),
                 str(self.budget.seconds)],
                pass_fds=(theirs.fileno(),), env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            )  # fmt: skip
        finally:
            theirs.close()
        self._conn = conn = Connection(ours.detach())
        self._sent.clear()
        # A file's budget starts once the worker has imported its readers (a second or
        # more on a busy machine): it says so first.
        if not conn.poll(START_SECONDS) or conn.recv() != ("ready", None):
            raise OSError(f"it did not start within {START_SECONDS:g} s")
        return conn

    def _stop(self, kill: bool = True) -> int | None:
        """End the worker (SIGKILL when ``kill``, else let it see the closed socket)."""
        proc, conn = self._proc, self._conn
        self._proc = self._conn = None
        if conn is not None:
            conn.close()
        if proc is None:
            return None
        if kill and proc.poll() is None:
            proc.kill()
        try:
            return proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            return proc.wait()


_IDLE: list[Worker] = []
_IDLE_LOCK = threading.Lock()
KEEP_IDLE = 2  # workers kept between runs of one process (the app ingests upload after upload)


@contextlib.contextmanager
def pooled(budget: Budget) -> Iterator[Worker]:
    """A worker for one run, taken from the idle ones of this process (starting one
    costs about 0.3 s) and given back after; dropped if the run ended in an exception."""
    with _IDLE_LOCK:
        now = _environment()
        stale = [w for w in _IDLE if w.environment != now]
        for w in stale:  # started under settings that have changed since
            _IDLE.remove(w)
            w.close()
        worker = next((w for w in _IDLE if w.budget == budget), None)
        if worker is not None:
            _IDLE.remove(worker)
    worker = worker or Worker(budget)
    try:
        yield worker
    except BaseException:
        worker.close()
        raise
    worker.forget()
    with _IDLE_LOCK:
        if len(_IDLE) < KEEP_IDLE:
            _IDLE.append(worker)
            return
    worker.close()


def _environment() -> int:
    return hash(tuple(sorted(os.environ.items())))


@atexit.register
def close_idle() -> None:
    """Stop the idle workers of this process (they also end when it exits)."""
    with _IDLE_LOCK:
        while _IDLE:
            _IDLE.pop().close()


def stopped_message(seconds: float) -> str:
    return (f"stopped after {seconds:g} s: reading and cleaning one file may take at most "
            f"{seconds:g} s (raise REGIONPLANS_FILE_SECONDS to allow more)")  # fmt: skip


def memory_message(memory_mb: int) -> str:
    return (f"over the memory budget: reading and cleaning one file may use at most "
            f"{memory_mb} MB (raise REGIONPLANS_FILE_MEMORY_MB to allow more)")  # fmt: skip


def crashed_message(code: int | None, memory_mb: int) -> str:
    if code is not None and code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        how = f"was killed by {name}"
    else:
        how = f"ended unexpectedly (exit status {code})"
    return (f"the process reading the file {how}; the file may be malformed or need more than "
            f"the memory budget of {memory_mb} MB (REGIONPLANS_FILE_MEMORY_MB)")  # fmt: skip


# -- the worker side ---------------------------------------------------------------------
def _peak_bytes() -> int:
    """The most address space this process has held (VmPeak), 0 when unknown."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmPeak:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


def main() -> None:
    """The worker's loop: ``python -c "...main()" FD MEMORY_BYTES``."""
    import resource

    fd, memory, seconds = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
    conn = Connection(fd)
    # What every call needs, imported before the limit so it does not count against it.
    import regionplans.ingest.pipeline  # noqa: F401
    from regionplans.ingest import docx, html, pdf, text  # noqa: F401

    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    # Batch work: the app's searches come first when the cores are busy.
    with contextlib.suppress(OSError):
        os.nice(10)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the parent, which stops us
    conn.send(("ready", None))
    shared: dict[str, Any] = {}
    while True:
        try:
            message = conn.recv()
        except EOFError:
            return
        except MemoryError:
            conn.send(("memory", ""))
            return
        except Exception as exc:  # noqa: BLE001 - a call this worker cannot import
            conn.send(("failed", f"could not start reading it: {type(exc).__name__}: {exc}"))
            continue
        if message[0] == "share":
            shared[message[1]] = message[2]
            continue
        if message[0] == "forget":
            shared.clear()
            continue
        _, fn, args = message
        # A backstop should the parent die mid-call (it kills us at ``seconds`` of wall
        # time): SIGXCPU past that much CPU time for this call, plus a margin.
        used = resource.getrusage(resource.RUSAGE_SELF)
        _, hard = resource.getrlimit(resource.RLIMIT_CPU)
        soft = int(used.ru_utime + used.ru_stime + seconds) + 5
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_CPU, (soft if hard == resource.RLIM_INFINITY else min(soft, hard), hard))
        try:
            result = fn(*(shared[a.key] if isinstance(a, Shared) else a for a in args))
            reply: tuple[str, Any] = ("ok", result)
        except IngestError as exc:
            reply = ("failed", exc.reason)
        except MemoryError:
            reply = ("memory", "")
        except RecursionError:
            reply = ("failed", "nested too deeply to read (RecursionError)")
        except Exception as exc:  # noqa: BLE001 - reported as the file's failure
            reply = ("failed", f"could not be read: {type(exc).__name__}: {exc}")
        if reply[0] == "failed" and _peak_bytes() >= 0.9 * memory:
            # A C parser out of memory says so in its own words ("unknown error").
            reply = ("memory", reply[1])
        del message, fn, args  # the file's text is not kept until the next one
        try:
            conn.send(reply)
        except MemoryError:
            reply = ("memory", "")
            conn.send(reply)
        if reply[0] == "memory":
            return
        del reply

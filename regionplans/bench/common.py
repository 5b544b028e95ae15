"""What every benchmark part shares: the query lists, timing, spreads, memory, child runs.

Each part is a plain function of JSON-able arguments returning a JSON-able dict, so it
can run in a child process (``python -m regionplans.bench PART '{json kwargs}'``) and
its peak RSS is its own. A part never raises to the suite: a failure comes back as
``{"error": "not measured: ..."}`` and is shown as such in the report.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

RESULT_TAG = "BENCH-RESULT "
# Search questions: Swedish and English, short and long, lexical and paraphrased.
QUERIES = (
    "Vilka regioner satsar på precisionsmedicin inom cancervården?",
    "kompetensförsörjning och bioinformatiker",
    "biobank och sekundäranvändning av hälsodata",
    "samverkan mellan akademi, hälso- och sjukvård och näringsliv",
    "genomsekvensering för sällsynta diagnoser",
    "handlingsplan för precisionshälsa",
    "kliniska studier och innovation",
    "Genomic Medicine Sweden",
    "How do regions fund life science collaboration?",
    "AI och artificiell intelligens i hälso- och sjukvården",
)


def percentile(samples: Sequence[float], q: float) -> float:
    """The ``q``-quantile (0..1) of ``samples`` by the nearest-rank rule."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, int(round(q * (len(ordered) - 1)))))]


def spread(rounds: Sequence[Sequence[float]], scale: float = 1000.0, digits: int = 1) -> dict[str, Any]:
    """Latency over ``rounds`` of samples (seconds): p50 and p95 of all samples, and the
    lowest and highest per-round p50 (how much a round moves it), times ``scale``."""
    flat = [s for r in rounds for s in r]
    per_round = [statistics.median(r) for r in rounds if r]
    return {
        "p50": round(statistics.median(flat) * scale, digits),
        "p95": round(percentile(flat, 0.95) * scale, digits),
        "p50_min": round(min(per_round) * scale, digits),
        "p50_max": round(max(per_round) * scale, digits),
        "rounds": len(per_round),
        "samples": len(flat),
    }


def fmt_spread(s: dict[str, Any], unit: str = "ms") -> str:
    """``"20.3 ms (rounds 19.1–22.0), p95 48.3"`` from :func:`spread`."""
    text = f"{s['p50']:g} {unit}"
    if s.get("rounds", 1) > 1:
        text += f" (rounds {s['p50_min']:g}–{s['p50_max']:g})"
    return text + f", p95 {s['p95']:g}"


def timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    start = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - start


def peak_rss_mb() -> float:
    """This process's peak resident set size in MiB.

    Reads ``VmHWM`` from ``/proc/self/status``: it belongs to the current program
    image, whereas ``ru_maxrss`` survives ``exec`` and so would report the parent's
    size at fork time for a child started from a large benchmark process.
    """
    try:
        for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def parse_sizes(text: str) -> tuple[int, ...]:
    """``"1k,10k,100k"`` → ``(1000, 10000, 100000)``."""
    from regionplans.errors import ConfigError

    sizes = []
    for part in text.split(","):
        part = part.strip().lower()
        if not part:
            continue
        factor = 1000 if part.endswith("k") else 1
        try:
            sizes.append(int(float(part.rstrip("k")) * factor))
        except ValueError:
            raise ConfigError(f"bad size {part!r} in --sizes; use e.g. 1k,10k,100k") from None
    if not sizes or min(sizes) < 1:
        raise ConfigError(f"--sizes {text!r} names no positive size; use e.g. 1k,10k,100k")
    return tuple(sizes)


def _functions() -> dict[str, Callable[..., dict[str, Any]]]:
    from regionplans.bench import ingest_parts, search_parts

    return {**ingest_parts.FUNCTIONS, **search_parts.FUNCTIONS}


def run_part(name: str, *, isolate: bool = True, timeout: float = 3600, **kwargs: Any) -> dict[str, Any]:
    """Run one part function, in a child process when ``isolate`` (its own peak RSS).

    Never raises: a failure comes back as ``{"error": "not measured: ..."}``.
    """
    if not isolate:
        try:
            return _functions()[name](**kwargs)
        except Exception as exc:  # noqa: BLE001
            return {"error": f"not measured: {type(exc).__name__}: {exc}"}
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "regionplans.bench", name, json.dumps(kwargs)],
            capture_output=True, text=True, timeout=timeout, env=env,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        return {"error": f"not measured: {name} took longer than {timeout:.0f} s"}
    for line in reversed(proc.stdout.splitlines()):
        if line.startswith(RESULT_TAG):
            result: dict[str, Any] = json.loads(line[len(RESULT_TAG):])
            return result
    tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
    return {"error": f"not measured: {name} exited {proc.returncode}: {tail}"}


def child_main(argv: Sequence[str]) -> None:
    """Child-process entry: ``python -m regionplans.bench PART '{json kwargs}'``."""
    name, kwargs = argv[0], json.loads(argv[1])
    try:
        result = _functions()[name](**kwargs)
    except Exception as exc:  # noqa: BLE001 - reported to the parent as a table cell
        result = {"error": f"not measured: {type(exc).__name__}: {exc}"}
    print(RESULT_TAG + json.dumps(result, ensure_ascii=False), flush=True)

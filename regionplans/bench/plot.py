"""Search latency by corpus size and mode, p50 with the per-round range as error bars."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any


def plot(sizes_rows: Sequence[dict[str, Any]], path: Path) -> Path | None:
    """Plot the search part's rows (one per size) to ``path``; None when there are none."""
    if not sizes_rows:
        return None
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4))
    for mode in ("hybrid", "dense", "lexical", "filtered"):
        xs = [r["chunks"] for r in sizes_rows]
        spreads = [r["search"][mode] for r in sizes_rows]
        ys = [s["p50"] for s in spreads]
        err = [[y - s["p50_min"] for y, s in zip(ys, spreads, strict=True)],
               [s["p50_max"] - y for y, s in zip(ys, spreads, strict=True)]]  # fmt: skip
        ax.errorbar(xs, ys, yerr=err, marker="o", capsize=3, label=f"{mode} p50")
    ax.set_title("generated plans: query latency end to end (bars: per-round p50 range)")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("chunks")
    ax.set_ylabel("ms")
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path

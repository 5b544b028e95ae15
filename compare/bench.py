"""Time the full comparison table: 21 regions (plus national actors) × 8 aspects."""

from __future__ import annotations

import statistics
import time
from typing import Any

from regionplans.compare.table import SearcherLike, build_table
from regionplans.compare.topics import get_topic_set
from regionplans.config import Settings


def bench_compare(settings_or_searcher: Settings | SearcherLike, *, topic_set: str = "precision-medicine",
                  repeats: int = 3) -> dict[str, Any]:  # fmt: skip
    """Build the ``topic_set`` table ``repeats`` times over an existing index and report
    timings (the first run includes opening the index and loading the model)."""
    if isinstance(settings_or_searcher, Settings):
        from regionplans.index.search import Searcher

        searcher: SearcherLike = Searcher(settings_or_searcher)
    else:
        searcher = settings_or_searcher
    ts = get_topic_set(topic_set)
    times: list[float] = []
    table = None
    for _ in range(max(1, repeats)):
        start = time.perf_counter()
        table = build_table(searcher, ts["topic"], aspects=ts["aspects"])
        times.append(time.perf_counter() - start)
    assert table is not None
    info = searcher.index_info()
    return {
        "topic_set": topic_set,
        "rows": len(table.rows),
        "columns": len(table.columns),
        "cells": len(table.cells),
        "filled_cells": sum(1 for c in table.cells if c.evidence),
        "chunks": info.get("chunks"),
        "first_s": round(times[0], 3),
        "median_s": round(statistics.median(times[1:] or times), 3),
        "runs": len(times),
    }

"""The benchmark suite: ingest, embedding, search, comparison and memory, part by part.

``regionplans bench --parts search,compare --sizes 100k`` runs only those parts;
:data:`~regionplans.bench.run.PARTS` lists them. Heavy parts run in a child process
each, so every part's peak RSS is its own. Timings are reported beside their targets,
never asserted; a part that cannot run says why ("not measured: ...") instead of
aborting the run. Every latency is a p50 with the range of the per-round p50s, and
every row says what its time includes.

Modules: :mod:`.common` (queries, timing, spreads, child processes), :mod:`.vectors`
(the passage-vector generator and its check against real embeddings),
:mod:`.ingest_parts`, :mod:`.search_parts`, :mod:`.run`, :mod:`.report`, :mod:`.plot`.

>>> run_benchmarks((1000,), Path("eval/reports"), parts=("search",))  # doctest: +SKIP
"""

from regionplans.bench.common import parse_sizes, run_part
from regionplans.bench.run import PARTS, BenchReport, parse_parts, run_benchmarks

__all__ = ["PARTS", "BenchReport", "parse_parts", "parse_sizes", "run_benchmarks", "run_part"]

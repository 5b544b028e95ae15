"""Fuzzing the readers: random and mutated files never crash a batch.

Every file ends as ingested, skipped or failed with a reason, and the good file in
the same batch is always ingested.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from builders import make_html, make_pdf
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from regionplans.ingest.pipeline import ingest_directory

GOOD = "Region Skåne ska bygga ett centrum för precisionsmedicin till 2026.\n\nDet är beslutat."
SUFFIXES = (".pdf", ".html", ".txt", ".docx", ".htm")


def _seed_files(base: Path) -> dict[str, bytes]:
    pdf = base / "seed.pdf"
    make_pdf(pdf, [["Inledning", "Region Skåne beslutade idag om en plan."]])
    html = base / "seed.html"
    make_html(html, "Plan", "<h2>Mål</h2><p>Regionen ska satsa på genomik.</p>")
    return {".pdf": pdf.read_bytes(), ".html": html.read_bytes()}


def _mutate(data: bytes, cut: float, flips: list[tuple[float, int]]) -> bytes:
    out = bytearray(data[: max(1, int(len(data) * cut))])
    for where, value in flips:
        out[int(where * (len(out) - 1))] = value
    return bytes(out)


_SEEDS: dict[str, bytes] = {}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    suffix=st.sampled_from(SUFFIXES),
    junk=st.binary(max_size=2048),
    base_kind=st.sampled_from(("random", "mutated-pdf", "mutated-html", "odd-text")),
    cut=st.floats(min_value=0.05, max_value=1.0),
    flips=st.lists(st.tuples(st.floats(0, 1), st.integers(0, 255)), max_size=8),
    text=st.text(max_size=300),
    encoding=st.sampled_from(("utf-8", "utf-16", "cp1252", "latin-1")),
)
def test_readers_never_break_the_batch(suffix, junk, base_kind, cut, flips, text, encoding) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        if not _SEEDS:
            _SEEDS.update(_seed_files(base))
        corpus = base / "corpus"
        corpus.mkdir()
        (corpus / "good.txt").write_text(GOOD, encoding="utf-8")
        if base_kind == "random":
            data = junk
        elif base_kind == "mutated-pdf":
            data, suffix = _mutate(_SEEDS[".pdf"], cut, flips), ".pdf"
        elif base_kind == "mutated-html":
            data, suffix = _mutate(_SEEDS[".html"], cut, flips), ".html"
        else:
            data, suffix = text.encode(encoding, errors="replace"), ".txt"
        bad = corpus / f"fuzzed{suffix}"
        bad.write_bytes(data)

        report = ingest_directory(corpus, base / "store")

        by_name = {Path(f.path).name: f for f in report.files}
        assert by_name["good.txt"].status == "ingested"
        fuzzed = by_name[bad.name]
        assert fuzzed.status in {"ingested", "failed", "skipped", "duplicate"}
        if fuzzed.status in {"failed", "skipped"}:
            assert fuzzed.reason, f"{bad.name}: no reason given"

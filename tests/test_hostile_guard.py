"""The app's guards as a library: upload names that never meet, upload limits, exports
made one by one, export folders cleaned up, the heavy-call limit."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from builders import make_docx, make_html, make_pdf

from regionplans.compare import export
from regionplans.compare.table import Cell, ComparisonTable
from regionplans.config import Limits, Settings
from regionplans.errors import BusyError
from regionplans.ingest.store import IngestStore
from regionplans.ingest.uploads import UPLOAD_TYPES, add_uploads, upload_name
from regionplans.ui.guard import ExportFolder, HeavyCalls, sweep_dead


def test_upload_names_never_meet() -> None:
    names = ["plan 2.txt", "plan_2.txt", "plan?2.txt", "plan/2.txt", "../plan_2.txt", "Plan 2.txt", "plan 2 .txt"]
    stored = [upload_name(n) for n in names]
    assert len(set(stored)) == len(names)  # seven names, seven files
    assert upload_name("plan_2.txt") == "plan_2.txt"  # a harmless name is kept
    assert upload_name("plan 2.txt") == "plan_2-1231b77d.txt"  # the same name: the same file, in any process
    assert upload_name("plan 2.txt") != upload_name("plan_2.txt") != upload_name("plan?2.txt")
    for name in stored:
        assert "/" not in name and not name.startswith(".") and name.endswith(".txt")


def test_add_uploads_keeps_both_files_and_refuses_over_the_limits(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", qdrant_url=None)
    settings = replace(settings, limits=replace(settings.limits, max_upload_mb=0.001))  # about 1 KB
    received = tmp_path / "received"
    received.mkdir()
    (received / "a").write_text("Region Gotland\n\nRegion Gotland satsar på genomik i Visby.\n", encoding="utf-8")
    (received / "b").write_text("Region Kalmar län\n\nRegion Kalmar län satsar på AI i vården.\n", encoding="utf-8")
    (received / "c").write_text("Region Skåne\n\n" + "Region Skåne satsar på life science. " * 100, encoding="utf-8")
    result = add_uploads(settings, [("plan 2.txt", received / "a"), ("plan_2.txt", received / "b"),
                                    ("stor.txt", received / "c"), ("tabell.xlsx", received / "a")])  # fmt: skip
    assert result.report is not None and result.report.ingested == 2
    assert {(r.name, r.reason) for r in result.refused} == {("stor.txt", "too_big"), ("tabell.xlsx", "bad_type")}
    assert len(IngestStore(settings.ingest_dir).documents()) == 2


TOPICS = ["genomik i Visby", "biobanker i Lund", "AI i mammografin", "hälsodata i Umeå",
          "kliniska prövningar i Örebro", "precisionsmedicin i Linköping", "life science i Göteborg"]


def test_every_upload_type_is_read(tmp_path: Path) -> None:
    """Each type the app offers for upload is a real document the readers ingest."""
    settings = Settings(data_dir=tmp_path / "data", qdrant_url=None)
    received = tmp_path / "received"
    writers = {
        ".pdf": lambda p, body: make_pdf(p, [["# Satsning", body]]),
        ".html": lambda p, body: make_html(p, "Satsning", f"<p>{body}</p>"),
        ".htm": lambda p, body: make_html(p, "Satsning", f"<p>{body}</p>"),
        ".docx": lambda p, body: make_docx(p, [("h1", "Satsning"), ("p", body)]),
    }
    uploads = []
    for number, suffix in enumerate(UPLOAD_TYPES):
        body = f"Regionen satsar på {TOPICS[number]} under de kommande åren."
        path = received / f"plan{number}{suffix}"
        if suffix in writers:
            writers[suffix](path, body)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(f"Satsning\n\n{body}\n", encoding="utf-8")
        uploads.append((path.name, path))
    result = add_uploads(settings, uploads)
    assert not result.refused
    assert result.report is not None
    assert [f.status for f in result.report.files] == ["ingested"] * len(UPLOAD_TYPES), result.report.files
    texts = " ".join(d.text for d in IngestStore(settings.ingest_dir).documents())
    assert all(topic in texts for topic in TOPICS[: len(UPLOAD_TYPES)])


def test_exports_are_made_one_by_one(tmp_path: Path) -> None:
    cell = Cell("Region Skåne", "region", "GMS", "plan", (), (), (), (), 0.5, None, 0)
    table = ComparisonTable("GMS", (), (("Region Skåne", "region"),), (cell,))
    (tmp_path / "t.xlsx").mkdir()  # the XLSX cannot be written here
    written, failed = export.write_each(table, tmp_path, ("csv", "xlsx", "md"), stem="t")
    assert [p.name for p in written] == ["t.csv", "t-provenance.csv", "t.md"]
    assert [fmt for fmt, _ in failed] == ["xlsx"] and "IsADirectoryError" in failed[0][1]


def test_export_folders_are_cleaned_up(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    # A folder of a process that died without cleaning up, and one of a live process.
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    (tmp_path / f"{ExportFolder.PREFIX}{dead.stdout.strip()}-abc").mkdir()
    (tmp_path / f"{ExportFolder.PREFIX}{os.getpid()}-live").mkdir()
    folders = ExportFolder(keep_seconds=0.0)
    first = folders.new()
    (first / "t.csv").write_text("x", encoding="utf-8")
    os.utime(first, (0, 0))
    second = folders.new()
    assert second.exists() and not first.exists()  # an older call's folder is swept
    names = sorted(p.name for p in tmp_path.iterdir())
    assert not any(n.startswith(f"{ExportFolder.PREFIX}{dead.stdout.strip()}-") for n in names)
    assert f"{ExportFolder.PREFIX}{os.getpid()}-live" in names
    assert sweep_dead(tmp_path) == []


def test_heavy_calls_beyond_the_limit_are_busy() -> None:
    heavy = HeavyCalls(1)
    with heavy.slot(), pytest.raises(BusyError, match="busy"), heavy.slot():
        pass
    with heavy.slot():  # free again
        pass
    assert Limits().heavy_calls == 1

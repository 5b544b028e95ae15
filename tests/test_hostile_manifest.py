"""Broken and unusual manifests: multi-line fields, encodings, oversized fields, NUL
bytes, repeated rows and rows for files that are not there. Each is read or refused with
one line naming the file and the line; warnings do not stop the run."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from regionplans.cli import cli
from regionplans.errors import ConfigError
from regionplans.ingest.manifest import load_manifest
from regionplans.ingest.pipeline import ingest_directory
from regionplans.ingest.store import IngestStore

HEADER = "file,title,publisher,regions,doc_type,language,date,source_url,notes\n"
TEXT = "Region Jönköpings län\n\nRegion Jönköpings län satsar på precisionsmedicin i Jönköping.\n"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "plan.txt").write_text(TEXT, encoding="utf-8")
    return folder


def test_quoted_fields_keep_their_line_breaks(corpus: Path, tmp_path: Path) -> None:
    (corpus / "manifest.csv").write_text(
        HEADER + 'plan.txt,"Plan för\nJönköping",Region Jönköpings län,Region Jönköpings län,strategy,sv,'
        '2024,,"Första raden.\r\nAndra raden."\nannan.txt,Annan,,,,,,,\n',
        encoding="utf-8", newline="",
    )  # fmt: skip
    rows = load_manifest(corpus / "manifest.csv").rows
    assert rows["plan.txt"].notes == "Första raden.\r\nAndra raden."
    assert rows["plan.txt"].title == "Plan för\nJönköping"
    assert rows["annan.txt"].line == 5  # where its record starts, after a record of three lines
    report = ingest_directory(corpus, tmp_path / "store")
    doc = IngestStore(tmp_path / "store").documents()[0]
    assert "Första raden.\r\nAndra raden." in doc.notes and doc.title == "Plan för\nJönköping"
    assert any("line 5" in w and "annan.txt" in w for w in report.warnings)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252"])
def test_encodings(corpus: Path, encoding: str) -> None:
    (corpus / "manifest.csv").write_bytes(
        (HEADER + "plan.txt,Handlingsplan för Jönköpings län – 2024,,,,,,,\n").encode(encoding)
    )
    manifest = load_manifest(corpus / "manifest.csv")
    assert manifest.rows["plan.txt"].title == "Handlingsplan för Jönköpings län – 2024"
    assert bool(manifest.warnings) == (encoding == "cp1252")
    if encoding == "cp1252":
        assert "Windows-1252" in manifest.warnings[0] and "line 2" in manifest.warnings[0]


def test_undecodable_manifest_names_file_and_line(corpus: Path) -> None:
    (corpus / "manifest.csv").write_bytes(HEADER.encode() + b"plan.txt,ok,,,,,,,\nx.txt,bad \x81 byte,,,,,,,\n")
    with pytest.raises(ConfigError) as err:
        load_manifest(corpus / "manifest.csv")
    message = str(err.value)
    assert "manifest.csv line 3" in message and "0x81" in message and "save the manifest as UTF-8" in message


@pytest.mark.parametrize(
    ("row", "expected"),
    [(f"plan.txt,{'x' * 200_000},,,,,,,\n", "field larger than field limit"),
     ("plan.txt,a\x00b,,,,,,,\n", "NUL"),
     ('plan.txt,"never closed,,,,,,,\n', "unexpected end of data")],
)  # fmt: skip
def test_unreadable_rows_are_one_line_naming_file_and_line(corpus: Path, tmp_path: Path, row: str, expected: str) -> None:
    (corpus / "manifest.csv").write_text(HEADER + "ok.txt,Ok,,,,,,,\n" + row, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        ingest_directory(corpus, tmp_path / "store")
    message = str(err.value)
    assert "manifest.csv line 3" in message and expected in message and "\n" not in message
    result = CliRunner().invoke(cli, ["ingest", str(corpus), "--data-dir", str(tmp_path / "d")])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1 and "line 3" in result.output


def test_repeated_and_unmatched_rows_are_warnings(corpus: Path, tmp_path: Path) -> None:
    (corpus / "manifest.csv").write_text(
        HEADER + "plan.txt,Första,,,,,,,\nsaknas.pdf,Borta,,,,,,,\nplan.txt,Andra,,,,,,,\n", encoding="utf-8"
    )
    report = ingest_directory(corpus, tmp_path / "store")
    assert report.ingested == 1
    assert IngestStore(tmp_path / "store").documents()[0].title == "Andra"
    repeated = next(w for w in report.warnings if "named again" in w)
    assert "line 4" in repeated and "first on line 2" in repeated and "plan.txt" in repeated
    missing = next(w for w in report.warnings if "saknas.pdf" in w)
    assert "line 3" in missing and "no file" in missing
    result = CliRunner().invoke(cli, ["ingest", str(corpus), "--data-dir", str(tmp_path / "d")])
    assert result.exit_code == 0 and "warning:" in result.output and "named again" in result.output
    assert IngestStore(tmp_path / "store").last_report().warnings == report.warnings  # type: ignore[union-attr]

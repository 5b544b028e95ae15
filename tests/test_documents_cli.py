"""``regionplans documents``: list, set, delete and restore through the command line."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from regionplans.cli import cli

TEXT = "Region Dalarna: Handlingsplan för precisionsmedicin\n\nInledning\n\nRegion Dalarna ska ansluta sig till Genomic Medicine Sweden.\n"


def test_documents_commands(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "dalarna.txt").write_text(TEXT, encoding="utf-8")
    data = ["--data-dir", str(tmp_path / "data")]
    runner = CliRunner()
    assert runner.invoke(cli, ["ingest", str(corpus), *data], catch_exceptions=False).exit_code == 0

    listed = json.loads(runner.invoke(cli, ["documents", "list", "--format", "json", *data]).output)
    assert listed[0]["regions"] == ["Region Dalarna"] and "regions" in listed[0]["detected"]

    bad = runner.invoke(cli, ["documents", "set", "dalarna.txt", "--date", "2022-13-45", "--no-index", *data])
    assert bad.exit_code == 1 and "2022-13-45" in bad.output and "Traceback" not in bad.output
    ok = runner.invoke(cli, ["documents", "set", "dalarna.txt", "--region", "gävleborg", "--type", "strategy",
                             "--source-url", "https://example.se/plan", "--no-index", *data])  # fmt: skip
    assert ok.exit_code == 0, ok.output
    listed = json.loads(runner.invoke(cli, ["documents", "list", "--format", "json", *data]).output)
    assert listed[0]["regions"] == ["Region Gävleborg"] and listed[0]["doc_type"] == "strategy"
    assert listed[0]["source"] == "https://example.se/plan"
    assert listed[0]["given"] == {"regions": "corrected", "doc_type": "corrected", "source_url": "corrected"}

    out = runner.invoke(cli, ["ingest", str(corpus), "--format", "json", *data]).output
    (line,) = json.loads(out)["files"]
    assert line["status"] == "unchanged" and "regions (corrected)" in line["given"]

    assert runner.invoke(cli, ["documents", "delete", "dalarna", "--no-index", *data]).exit_code == 0
    assert json.loads(runner.invoke(cli, ["documents", "list", "--format", "json", *data]).output) == []
    assert runner.invoke(cli, ["documents", "restore", "dalarna.txt", *data]).exit_code == 0
    runner.invoke(cli, ["ingest", str(corpus), *data])
    listed = json.loads(runner.invoke(cli, ["documents", "list", "--format", "json", *data]).output)
    assert listed[0]["regions"] == ["Region Gävleborg"]  # the correction outlives the deletion taken back


def test_documents_help_ends_with_an_example() -> None:
    for sub in ([], ["list"], ["set"], ["delete"], ["restore"]):
        out = CliRunner().invoke(cli, ["documents", *sub, "--help"]).output
        assert out.rstrip().splitlines()[-1].strip().startswith("regionplans documents"), (sub, out)

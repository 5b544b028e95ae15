"""The app ingests only files a client uploaded, never a server path the client names.

The app is mounted on FastAPI (not launched), so Gradio's own input-path check is not in
force; ``ui.app.uploaded_file`` is the check. Over HTTP: a call of ``/add_documents``
naming a server file is refused and nothing of that file reaches the store or search,
while a file sent through the upload route is ingested and found.
"""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from regionplans.errors import RegionPlansError
from regionplans.ui.app import uploaded_file
from regionplans.ui.client import call_app, running_app

SECRET_WORD = "Kvasarhemligheten"


def test_uploaded_file_accepts_only_the_upload_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    uploads = tmp_path / "gradio"
    (uploads / "abc123").mkdir(parents=True)
    monkeypatch.setenv("GRADIO_TEMP_DIR", str(uploads))
    inside = uploads / "abc123" / "plan.txt"
    inside.write_text("Region Dalarna: plan", encoding="utf-8")
    outside = tmp_path / "secret.txt"
    outside.write_text(SECRET_WORD, encoding="utf-8")
    link = uploads / "abc123" / "link.txt"
    link.symlink_to(outside)

    assert uploaded_file(inside) == inside.resolve()
    assert uploaded_file(str(inside)) == inside.resolve()
    assert uploaded_file(outside) is None
    assert uploaded_file(link) is None, "a link in the upload folder to a file outside it"
    assert uploaded_file(uploads / "abc123" / ".." / ".." / "secret.txt") is None
    assert uploaded_file(uploads / "abc123") is None, "a folder is no upload"
    assert uploaded_file(uploads / "missing.txt") is None


@pytest.mark.slow
def test_add_documents_refuses_a_server_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    uploads = tmp_path / "gradio-uploads"
    uploads.mkdir()
    monkeypatch.setenv("GRADIO_TEMP_DIR", str(uploads))
    secret = tmp_path / "elsewhere" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text(f"Region Dalarna\n\n{SECRET_WORD} är lösenordet till servern.\n", encoding="utf-8")
    data_dir = tmp_path / "data"

    with running_app(data_dir, log=tmp_path / "serve.log") as app:
        attack = [{"path": str(secret), "orig_name": "plan.txt", "meta": {"_type": "gradio.FileData"}}]
        # Refused by Gradio's input check, or, should that ever let it through, by ours.
        try:
            message = call_app(app.url, "add_documents", [attack], timeout=300)[0]
        except RegionPlansError as err:
            assert "not uploaded" in str(err), err
        else:
            assert "avvisad" in message and "laddades inte upp" in message, message
        assert not (data_dir / "uploads" / "plan.txt").exists()
        stored = data_dir / "ingest"
        if stored.exists():
            assert not any(SECRET_WORD in p.read_text(errors="ignore") for p in stored.rglob("*.json"))

        # A file that did come through the upload route is ingested and searchable.
        with httpx.Client(base_url=app.url, timeout=60) as client:
            sent = client.post("/gradio_api/upload", files={"files": ("dalarna.txt", (
                "Region Dalarna\n\nRegion Dalarna inför helgenomsekvensering för barn med "
                "sällsynta sjukdomar under 2026.\n").encode(), "text/plain")})
        sent.raise_for_status()
        path = sent.json()[0]
        assert Path(path).resolve().is_relative_to(uploads.resolve())
        upload = [{"path": path, "orig_name": "dalarna.txt", "meta": {"_type": "gradio.FileData"}}]
        message = call_app(app.url, "add_documents", [upload], timeout=300)[0]
        assert "1 inlästa" in message, message
        hits = call_app(app.url, "search", ["helgenomsekvensering barn", [], "lexical", 5])[0]
        assert any("helgenomsekvensering" in h["text"] for h in hits), json.dumps(hits)[:500]
        secret_hits = call_app(app.url, "search", [SECRET_WORD, [], "lexical", 5])[0]
        assert not any(SECRET_WORD in h["text"] for h in secret_hits)

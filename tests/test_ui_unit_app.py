"""The app builds over an empty data dir; upload names cannot leave the data dir."""

from __future__ import annotations

from pathlib import Path

from regionplans.config import Settings
from regionplans.ui.app import _safe_name, make_fastapi


def test_safe_name_strips_directories() -> None:
    for evil in ("../../etc/passwd", "..\\..\\boot.ini", "/abs/path/plan.pdf", ".hidden.txt", "a b<c>.txt"):
        name = _safe_name(evil)
        assert "/" not in name and "\\" not in name and not name.startswith(".")
    assert _safe_name("Plan Örebro.pdf") == "Plan_Örebro.pdf"


def test_app_builds_and_document_route_rejects_paths(settings: Settings) -> None:
    from fastapi.testclient import TestClient

    app = make_fastapi(settings)
    client = TestClient(app)
    assert client.get("/document/..%2F..%2Fetc%2Fpasswd").status_code == 404
    assert client.get("/document/nope").status_code == 404
    for path in ("/etc/passwd", "pyproject.toml", str(Path("pyproject.toml").resolve()), str(settings.data_dir / "ingest" / "x.json"), "../../etc/passwd"):
        response = client.get(f"/gradio_api/file={path}")
        assert response.status_code in (403, 404), path
        assert "root:" not in response.text


def test_named_api_endpoints_for_scripts(settings: Settings) -> None:
    from fastapi.testclient import TestClient

    info = TestClient(make_fastapi(settings)).get("/gradio_api/info").json()
    names = set(info["named_endpoints"])
    assert {"/search", "/compare", "/documents", "/add_documents"} <= names
    assert not any(name.startswith("/lambda") for name in names)

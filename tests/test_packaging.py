"""The wheel is the product: every module folder of the tree is a package of the wheel."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_package_folder_is_listed_and_mapped() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    packages, mapping = set(config["packages"]), config["package-dir"]
    assert set(mapping) == packages, "each package is listed once and mapped to its folder"
    folders = {(ROOT / folder).resolve(): name for name, folder in mapping.items()}
    for init in ROOT.rglob("__init__.py"):
        folder = init.parent.resolve()
        rel = folder.relative_to(ROOT)
        if rel.parts[0] in (".venv", "build", "tests", "data") or rel.parts[0].startswith("."):
            continue
        assert folder in folders, f"{rel} has an __init__.py but is no package in pyproject.toml"
    for folder, name in folders.items():
        assert (folder / "__init__.py").is_file(), f"{name} maps to {folder}, which has no __init__.py"
        assert not folder.is_symlink()

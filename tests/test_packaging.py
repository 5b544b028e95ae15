"""The wheel is the product: every module folder of the tree is a package of the wheel."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

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


def _commands() -> list[list[str]]:
    """Every command and subcommand of the CLI, as argument lists."""
    import click

    from regionplans.cli import cli

    found: list[list[str]] = [[]]

    def walk(group: click.Group, prefix: list[str]) -> None:
        for name, command in group.commands.items():
            found.append([*prefix, name])
            if isinstance(command, click.Group):
                walk(command, [*prefix, name])

    walk(cli, [])
    return found


@pytest.mark.slow
def test_the_built_wheel_runs_every_command_outside_the_checkout(tmp_path: Path) -> None:
    """The wheel, installed outside the checkout, runs every command's --help and an
    ingest, index and search of the seed corpus (dependencies from this environment)."""
    wheels, site, work = tmp_path / "wheels", tmp_path / "site", tmp_path / "work"
    work.mkdir()
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--quiet"]
    subprocess.run([*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", str(wheels), str(ROOT)],
                   check=True, cwd=work, capture_output=True, timeout=600)  # fmt: skip
    (wheel,) = wheels.glob("regionplans-*.whl")
    subprocess.run([*pip, "install", "--no-deps", "--target", str(site), str(wheel)],
                   check=True, capture_output=True, timeout=600)  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(site), "REGIONPLANS_DATA": str(work / "data")}

    def run(*args: str) -> str:
        done = subprocess.run([sys.executable, "-m", "regionplans", *args], cwd=work, env=env,
                              capture_output=True, text=True, timeout=600)  # fmt: skip
        assert done.returncode == 0, (args, done.stderr[-2000:])
        return done.stdout

    where = subprocess.run([sys.executable, "-c", "import regionplans.compare.table as m; print(m.__file__)"],
                           cwd=work, env=env, capture_output=True, text=True, check=True).stdout  # fmt: skip
    assert where.startswith(str(site)), where  # the wheel's code, not the checkout's
    for command in _commands():
        assert "Usage:" in run(*command, "--help"), command
    shutil.copytree(ROOT / "corpus", work / "corpus")
    run("ingest", str(work / "corpus"))
    run("index")
    out = run("search", "Genomic Medicine Sweden", "--format", "json")
    assert json.loads(out)["hits"], out[:500]

"""Run mypy on the package as it installs: regionplans with its mapped stage folders.

The stage folders (ingest/, index/, ...) live at the repository root and install as
regionplans.ingest, ... through ``package-dir`` in pyproject.toml, a mapping mypy cannot
read. This links each mapped folder into ``build/typecheck/`` under its package path
and checks that tree.

    python scripts/typecheck.py [mypy options]
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def link_tree(target: Path) -> Path:
    """``target/regionplans`` with every mapped package linked at its dotted path."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    mapping: dict[str, str] = config["tool"]["setuptools"]["package-dir"]
    shutil.rmtree(target, ignore_errors=True)
    for package, folder in sorted(mapping.items(), key=lambda item: item[0].count(".")):
        dest = target.joinpath(*package.split("."))
        dest.mkdir(parents=True, exist_ok=True)
        for source in (ROOT / folder).glob("*.py"):
            (dest / source.name).symlink_to(source)
    return target / "regionplans"


def main() -> int:
    tree = link_tree(ROOT / "build" / "typecheck")
    command = [sys.executable, "-m", "mypy", "--config-file", str(ROOT / "pyproject.toml"), *sys.argv[1:], str(tree)]
    return subprocess.call(command, cwd=tree.parent)


if __name__ == "__main__":
    raise SystemExit(main())

"""The version of the rules that turn a file's text into a document, sections and chunks.

Derived, never bumped by hand: a hash of the source of every module that shapes the
chunks (:mod:`regionplans.ingest.document` and what it imports from
``regionplans.ingest``, with :mod:`regionplans.records`, whose chunk ids they are)
and of the rule data under ``ingest/data/``; the readers have their own version. A change to any of them changes the
version, and the next ingest cleans every file again.

>>> len(pipeline_version())
16
"""

from __future__ import annotations

import ast
import functools
import hashlib
import importlib.util
from importlib import resources
from pathlib import Path

ROOT_MODULES = ("regionplans.ingest.document", "regionplans.records")
PACKAGE = "regionplans.ingest"
# Not rules: the readers' output is versioned by ``READER_VERSION`` (and cached by it);
# the store and the folder listing move files and records, never shape them.
NOT_RULES = frozenset(f"{PACKAGE}.{m}" for m in ("readers", "store", "listing"))


def _imports(name: str, source: str) -> set[str]:
    """The ``regionplans.ingest`` modules ``source`` (the module ``name``) imports."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module:
            base = node.module
            if node.level:  # relative: from the module's package
                package = name.rsplit(".", node.level)[0]
                base = f"{package}.{node.module}"
            found.add(base)
            if base == PACKAGE:  # from regionplans.ingest import clean
                found.update(f"{base}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    # The package's modules sit directly in it (``ingest/data/`` is read as data).
    return {m for m in found if m.startswith(PACKAGE + ".") and m.count(".") == 2}


def rule_sources() -> dict[str, bytes]:
    """Every module source and rule data file that shapes chunks, by name."""
    sources: dict[str, bytes] = {}
    todo = list(ROOT_MODULES)
    while todo:
        name = todo.pop()
        if name in sources or name in NOT_RULES:
            continue
        spec = importlib.util.find_spec(name)
        if spec is None or spec.origin is None or not spec.origin.endswith(".py"):
            continue
        data = Path(spec.origin).read_bytes()
        sources[name] = data
        todo.extend(_imports(name, data.decode("utf-8")))
    for entry in resources.files(PACKAGE).joinpath("data").iterdir():
        if entry.is_file():
            sources[f"data/{entry.name}"] = entry.read_bytes()
    return sources


def digest(sources: dict[str, bytes]) -> str:
    """The version of ``sources`` (names and contents, in any order)."""
    h = hashlib.sha256()
    for name in sorted(sources):
        h.update(name.encode("utf-8") + b"\0" + hashlib.sha256(sources[name]).digest())
    return h.hexdigest()[:16]


@functools.cache
def pipeline_version() -> str:
    """The version of this installation's ingest rules (computed once per process)."""
    return digest(rule_sources())

"""Ready-made topic sets (``<name>.json``: topic, aspects, description)."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from regionplans.errors import ConfigError


def load_topics() -> dict[str, dict[str, Any]]:
    """Every shipped topic set by name: ``{"topic": str, "aspects": [str], ...}``."""
    out: dict[str, dict[str, Any]] = {}
    for entry in sorted(resources.files(__name__).iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".json"):
            continue
        try:
            data = json.loads(entry.read_text(encoding="utf-8"))
        except ValueError as err:
            raise ConfigError(
                f"topic set {entry.name}: not valid JSON ({err}); fix the file"
            ) from err
        if not isinstance(data.get("topic"), str) or not isinstance(data.get("aspects"), list):
            raise ConfigError(
                f"topic set {entry.name}: needs 'topic' (string) and 'aspects' (list)"
            )
        out[data.get("name") or entry.name[:-5]] = data
    return out


def get_topic_set(name: str) -> dict[str, Any]:
    """One topic set by name; the error lists the names there are."""
    sets = load_topics()
    if name not in sets:
        raise ConfigError(f"unknown topic set {name!r}; choose one of {', '.join(sorted(sets))}")
    return sets[name]

"""One small exception hierarchy. The CLI turns these into one-line messages."""

from __future__ import annotations


class RegionPlansError(Exception):
    """Base class: a problem the user can fix, with a message that says how."""


class ConfigError(RegionPlansError):
    """A bad option or setting (unknown region, unknown mode, bad path...)."""


class IngestError(RegionPlansError):
    """A single input file could not be read. Carries the file's path."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class IndexError_(RegionPlansError):
    """The index is missing, stale, built with another model, or cannot be written."""


class ModelMismatchError(IndexError_):
    """The query model differs from the model the index was built with."""

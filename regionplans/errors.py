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


def storage_message(action: str, path: object, exc: BaseException) -> str:
    """``cannot <action> <path>: <reason>; ...``: a failed write, with what to do."""
    reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    return (
        f"cannot {action} {path}: {reason}; what was stored before is untouched "
        "(free disk space or make the folder writable, then run again)"
    )


class StorageError(RegionPlansError):
    """The data directory cannot be written (a full disk, a read-only folder, a file
    in the way). What was stored before is untouched."""

    def __init__(self, path: str, action: str, exc: OSError) -> None:
        super().__init__(storage_message(action, path, exc))
        self.path = path


class IndexError_(RegionPlansError):
    """The index is missing, stale, built with another model, or cannot be written."""


class ModelMismatchError(IndexError_):
    """The query model differs from the model the index was built with."""


class LimitError(ConfigError):
    """Input over one of the :class:`~regionplans.config.Limits`: names the limit, the
    size given and the environment variable that raises it. ``limit`` is the limit's
    name (``max_query_chars``...), so an interface can say it in the user's language."""

    def __init__(self, limit: str, what: str, size: float, maximum: float, unit: str, env: str) -> None:
        super().__init__(
            f"{what}: {size:g} {unit}, more than the limit of {maximum:g}; "
            f"give fewer, or raise {env} to accept more"
        )
        self.limit = limit
        self.what = what
        self.size = size
        self.maximum = maximum
        self.unit = unit
        self.env = env


class UnknownNameError(ConfigError):
    """A name that is no region (or national actor): carries the name, the closest known
    name (``suggestion``, or empty) and the known names, so an interface can say it in
    the user's language."""

    def __init__(self, what: str, name: str, suggestion: str, choices: tuple[str, ...]) -> None:
        hint = f"did you mean {suggestion!r}?" if suggestion else "choose one of: " + ", ".join(choices)
        super().__init__(f"unknown {what} {name!r}; {hint}")
        self.what = what
        self.name = name
        self.suggestion = suggestion
        self.choices = choices


class BusyError(RegionPlansError):
    """As many heavy calls as allowed are running already; try again in a moment."""

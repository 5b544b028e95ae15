"""Corrections: what a user sets on a document after ingest (title, publisher, regions,
type, date, source URL) or deletes, kept so that every later ingest applies it again.

Corrections live in ``corrections.json`` inside the ingest store, keyed by the file's
store key (its path in the corpus folder, or ``files/<name>`` for an upload). They win
over the manifest row, which wins over what is detected. The store keeps them because
it is the one place every ingest path (``regionplans ingest``, the app's uploads, the
app's first start) already reads, because uploads have no manifest a person edits, and
because the keys are the store's own; a correction is applied by cleaning the file's
stored reader output again, so it needs neither the original file nor a re-read.

>>> check_date("2022-13-45")
Traceback (most recent call last):
...
regionplans.errors.ConfigError: date '2022-13-45': give a real date as YYYY, YYYY-MM or YYYY-MM-DD
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any

from regionplans.dates import check_partial
from regionplans.errors import ConfigError
from regionplans.ingest.manifest import ManifestRow
from regionplans.ingest.store import FileReport
from regionplans.records import DOC_TYPES

FILENAME = "corrections.json"
FIELDS: tuple[str, ...] = ("title", "publisher", "regions", "doc_type", "date", "source_url")
METADATA: tuple[str, ...] = ("title", "publisher", "regions", "doc_type", "language", "date", "source_url")


@dataclass(frozen=True, slots=True)
class Correction:
    """What a user set on one file: ``None`` leaves a field as the manifest or detection
    has it; ``regions=()`` says the document is national; ``deleted`` keeps it out."""

    title: str | None = None
    publisher: str | None = None
    regions: tuple[str, ...] | None = None
    doc_type: str | None = None
    date: str | None = None
    source_url: str | None = None
    deleted: bool = False

    def fields(self) -> tuple[str, ...]:
        """The metadata fields this correction sets."""
        return tuple(name for name in FIELDS if getattr(self, name) is not None)

    def fingerprint(self) -> str:
        """What of the correction changes a document (part of its ingest fingerprint)."""
        return json.dumps({k: v for k, v in asdict(self).items() if v is not None and k != "deleted"},
                          sort_keys=True, ensure_ascii=True)  # fmt: skip

    def to_dict(self) -> dict[str, Any]:
        data = {k: (list(v) if isinstance(v, tuple) else v) for k, v in asdict(self).items() if v is not None}
        if not self.deleted:
            data.pop("deleted")
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Correction:
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        if values.get("regions") is not None:
            values["regions"] = tuple(values["regions"])
        return cls(**values)


def check_date(value: str) -> str:
    """``value`` when it is a real date written YYYY, YYYY-MM or YYYY-MM-DD, else a
    :class:`ConfigError` (so "2022-13-45" is refused, not read as a range)."""
    return check_partial(value, "date")


def checked(changes: Mapping[str, Any]) -> dict[str, Any]:
    """``changes`` (field → value) checked and normalised: regions resolved to their
    canonical names, the type one of :data:`~regionplans.records.DOC_TYPES`, the date a
    real date, the source URL http(s); an unknown field or bad value is a ConfigError."""
    from regionplans.ingest.regions import resolve_region

    out: dict[str, Any] = {}
    for name, value in changes.items():
        if name not in FIELDS:
            raise ConfigError(f"unknown field {name!r}; fields that can be set: {', '.join(FIELDS)}")
        if value is None:
            continue
        if name == "regions":
            values = [value] if isinstance(value, str) else list(value)
            out[name] = tuple(dict.fromkeys(resolve_region(str(v).strip()) for v in values if str(v).strip()))
            continue
        text = " ".join(str(value).split())
        if not text:
            raise ConfigError(f"{name} cannot be empty; leave it out to keep the value as it is")
        if name == "doc_type" and text not in DOC_TYPES:
            raise ConfigError(f"unknown document type {text!r}; choose one of {', '.join(DOC_TYPES)}")
        if name == "date":
            text = check_date(text)
        if name == "source_url" and not text.startswith(("http://", "https://")):
            raise ConfigError(f"source URL {text!r} must start with http:// or https://")
        out[name] = text
    return out


def provenance(row: ManifestRow | None, correction: Correction | None) -> dict[str, str]:
    """Where each metadata field of a document comes from: ``corrected``, ``manifest``
    or ``detected`` (a manifest row states the regions even when it leaves them empty)."""
    out = {}
    for name in METADATA:
        if correction is not None and getattr(correction, name, None) is not None:
            out[name] = "corrected"
        elif row is not None and (name == "regions" or getattr(row, name)):
            out[name] = "manifest"
        else:
            out[name] = "detected"
    return out


def fingerprint(base: str, correction: Correction | None) -> str:
    """A file's ingest fingerprint ``base`` with its correction (none adds nothing, so
    documents made before corrections keep theirs)."""
    return f"{base}|{correction.fingerprint()}" if correction is not None and correction.fields() else base


def described(report: FileReport, row: ManifestRow | None, correction: Correction | None) -> FileReport:
    """``report`` with which metadata fields were detected and which were given (and where)."""
    if report.status not in ("ingested", "unchanged"):
        return report
    where = provenance(row, correction)
    return replace(report, detected=tuple(k for k, v in where.items() if v == "detected"),
                   given=tuple(f"{k} ({v})" for k, v in where.items() if v != "detected"))  # fmt: skip


class Corrections:
    """The corrections file of one ingest store (read on every call: it is small)."""

    def __init__(self, store_dir: Path | str) -> None:
        self.path = Path(store_dir) / FILENAME

    def load(self) -> dict[str, Correction]:
        """Every correction by store key; an unreadable file is a ConfigError naming it."""
        if not self.path.exists():
            return {}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return {str(k): Correction.from_dict(v) for k, v in data["files"].items()}
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            raise ConfigError(f"{self.path}: unreadable corrections ({exc}); correct or remove the file") from None

    def save(self, corrections: Mapping[str, Correction]) -> None:
        from regionplans.ingest.store import to_json, write_atomic

        data = {"format": 1, "files": {k: c.to_dict() for k, c in sorted(corrections.items())}}
        write_atomic(self.path, to_json(data, indent=1))

    def drop(self, key: str) -> None:
        """Forget every correction of ``key``."""
        everything = self.load()
        if everything.pop(key, None) is not None:
            self.save(everything)

    def update(self, key: str, changes: Mapping[str, Any] | None = None, *, deleted: bool | None = None,
               clear: tuple[str, ...] = ()) -> Correction | None:  # fmt: skip
        """Set ``changes`` (checked), clear the fields in ``clear``, mark deleted or not; the
        correction left for ``key`` (None when nothing is left)."""
        values: dict[str, Any] = {**checked(dict(changes or {})), **{name: None for name in clear if name in FIELDS}}
        everything = self.load()
        current = replace(everything.get(key, Correction()), **values)
        if deleted is not None:
            current = replace(current, deleted=deleted)
        if current == Correction():
            everything.pop(key, None)
            result = None
        else:
            everything[key] = result = current
        self.save(everything)
        return result

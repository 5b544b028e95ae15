"""Input from the app's clients, checked before any library call, with refusals in the
user's language (``ui.i18n``): the browser sends what its components hold, but any
client can call the same handlers with anything JSON can say."""

from __future__ import annotations

from typing import Any

import gradio as gr

from regionplans.errors import BusyError, LimitError, UnknownNameError
from regionplans.ui.i18n import t


def say(err: Exception, lang: str) -> str:
    """A library error in the user's language: limits and "busy" translated, other
    errors (which name files and fixes) given as they are."""
    if isinstance(err, LimitError):
        return t(f"limit_{err.limit}", lang, size=f"{err.size:g}", maximum=f"{err.maximum:g}", env=err.env)
    if isinstance(err, BusyError):
        return t("busy", lang)
    if isinstance(err, UnknownNameError):
        kind = "region" if err.what == "region" else "actor"
        if err.suggestion:
            return t(f"unknown_{kind}_suggest", lang, name=err.name, suggestion=err.suggestion)
        return t(f"unknown_{kind}", lang, name=err.name, choices=", ".join(err.choices))
    return t("error", lang, message=str(err))


def words(value: Any, field: str, lang: str) -> tuple[str, ...]:
    """A filter's values as sent by a client: a list of text (a single text is one value)."""
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,) if value.strip() else ()
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise gr.Error(t("bad_list", lang, field=field))
    return tuple(value)


def hits(value: Any, maximum: int, lang: str) -> int:
    """The number of hits a client asked for, as a whole number from 1 to ``maximum``."""
    if isinstance(value, bool) or not isinstance(value, int | float) or value != value or not 1 <= value <= maximum:
        raise gr.Error(t("bad_limit", lang, maximum=maximum))
    if value != int(value):
        raise gr.Error(t("bad_limit", lang, maximum=maximum))
    return int(value)


def regions_of(values: tuple[str, ...], lang: str) -> tuple[str, ...]:
    from regionplans.errors import ConfigError
    from regionplans.ingest.regions import resolve_region

    out = []
    for value in values:
        try:
            out.append(resolve_region(value))
        except ConfigError as err:
            raise gr.Error(t("bad_region", lang, value=value[:100], hint=str(err)[:300])) from None
    return tuple(out)

"""Call the running app's named endpoints over HTTP, as a script would.

The app (``regionplans serve``) exposes ``/search``, ``/compare``, ``/documents`` and
``/add_documents`` through Gradio's HTTP API: a POST starts a call and returns an
event id, a GET on that id streams the result as server-sent events.

>>> call_app("http://127.0.0.1:7860", "search", ["biobank", [], "hybrid", 5])  # doctest: +SKIP
[[{'rank': 1, 'title': ..., 'quote': ...}, ...]]
"""

from __future__ import annotations

import json
import re
import urllib.request
from typing import Any

from regionplans.errors import RegionPlansError


def call_app(url: str, endpoint: str, data: list[Any], *, timeout: float = 300.0) -> list[Any]:
    """The outputs of one call of ``endpoint`` (a list, one item per output component).

    Raises :class:`RegionPlansError` with the app's message when the call fails.
    """
    base = url.rstrip("/")
    body = json.dumps({"data": data}).encode("utf-8")
    request = urllib.request.Request(f"{base}/gradio_api/call/{endpoint}", data=body,
                                     headers={"Content-Type": "application/json"})  # fmt: skip
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - the user's own app
        event = json.load(response)["event_id"]
    with urllib.request.urlopen(f"{base}/gradio_api/call/{endpoint}/{event}", timeout=timeout) as response:  # noqa: S310
        stream = response.read().decode("utf-8")
    kinds = re.findall(r"^event: (\w+)", stream, flags=re.MULTILINE)
    payloads = re.findall(r"^data: (.*)$", stream, flags=re.MULTILINE)
    if not kinds or kinds[-1] != "complete" or not payloads:
        raise RegionPlansError(f"{base} /{endpoint} failed: {stream.strip()[-500:] or 'no answer'}")
    outputs: list[Any] = json.loads(payloads[-1])
    return outputs

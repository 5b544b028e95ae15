"""Gradio's own texts ("Drop File Here", "Click to Upload") in the app's language.

Gradio's front end picks its language from the browser's once, as it starts, before any
of the app's code runs. :class:`StartLocale` puts a script at the top of the page's
``<head>`` that makes the browser report the app's language (the one a link asks for
with ``?lang=``, else Swedish), so Gradio starts in it.
"""

from __future__ import annotations

from typing import Any

from starlette.types import Message, Receive, Scope, Send

from regionplans.ui.state import GRADIO_LOCALE_HEAD


class StartLocale:
    """ASGI middleware: the page at ``/`` with :data:`GRADIO_LOCALE_HEAD` first in its head."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") != "GET" or scope.get("path") != "/":
            await self.app(scope, receive, send)
            return
        # Uncompressed, so that the script can be put in.
        headers = [(k, v) for k, v in scope.get("headers", ()) if k != b"accept-encoding"]
        start: dict[str, Any] = {}
        body = bytearray()

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
                return
            body.extend(message.get("body", b""))
            if message.get("more_body"):
                return
            data = bytes(body)
            kinds = [v for k, v in start.get("headers", ()) if k == b"content-type"]
            if kinds and kinds[0].startswith(b"text/html"):
                data = data.replace(b"<head>", b"<head>" + GRADIO_LOCALE_HEAD.encode("utf-8"), 1)
            fixed = [(k, v) for k, v in start.get("headers", ()) if k != b"content-length"]
            await send({**start, "headers": [*fixed, (b"content-length", str(len(data)).encode())]})
            await send({"type": "http.response.body", "body": data})

        await self.app({**scope, "headers": headers}, receive, capture)

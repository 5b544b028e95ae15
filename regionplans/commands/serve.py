"""``regionplans serve``: the Gradio app on http://127.0.0.1:7860."""

from __future__ import annotations

import click

from regionplans.cli import settings_options
from regionplans.config import Settings, query_engine_setting


@click.command("serve", epilog="\b\nExample:\n  regionplans serve --port 7860")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to bind; anything but loopback exposes the app.")
@click.option("--port", type=click.IntRange(1, 65535), default=7860, show_default=True)
@settings_options
def command(settings: Settings, host: str, port: int) -> None:
    """Open the app over the index; with none yet, the app answers at once and ingests and
    indexes the corpus in the background, showing how far it has come."""
    import dataclasses

    from regionplans.ui.app import serve

    # A served app answers many questions: unless told otherwise, it embeds them with the
    # ONNX query encoder when it is installed (slower to load, half the CPU a question).
    settings = dataclasses.replace(settings, query_engine=query_engine_setting(default="auto"))
    click.echo(f"regionplans: http://{host}:{port}")
    serve(settings, host=host, port=port)

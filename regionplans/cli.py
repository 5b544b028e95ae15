"""The ``regionplans`` command line: a thin layer over the library.

Each subcommand lives in ``regionplans/commands/<name>.py``, parses its options,
calls one library function and formats the result. Library errors
(:class:`~regionplans.errors.RegionPlansError`) become one-line messages and exit
code 1, never a traceback.
"""

from __future__ import annotations

import functools
import importlib
import logging
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from regionplans.config import Settings
from regionplans.errors import RegionPlansError
from regionplans.output import FORMATS

F = TypeVar("F", bound=Callable[..., Any])

# Subcommands in pipeline order; each module defines a click command named ``command``.
COMMANDS = ("ingest", "index", "documents", "search", "compare", "eval", "serve", "bench")


def output_options(default_format: str = "table", formats: tuple[str, ...] = FORMATS) -> Callable[[F], F]:
    """Shared ``--format`` and ``--limit`` options for every command that prints rows."""

    def decorator(func: F) -> F:
        func = click.option(
            "--limit", type=click.IntRange(min=1), default=None, help="Print at most this many rows."
        )(func)
        return click.option(
            "--format",
            "fmt",
            type=click.Choice(formats),
            default=default_format,
            show_default=True,
            help="Output format.",
        )(func)

    return decorator


def settings_options(func: F) -> F:
    """Shared ``--data-dir`` and ``--qdrant-url`` options; passes ``settings: Settings``."""

    @click.option(
        "--data-dir",
        type=click.Path(file_okay=False),
        default=None,
        help="Where the ingest store and index live (env REGIONPLANS_DATA, default ./data).",
    )
    @click.option(
        "--qdrant-url",
        default=None,
        help="A Qdrant server or cluster (env QDRANT_URL); default: the embedded engine.",
    )
    @functools.wraps(func)
    def wrapper(*args: Any, data_dir: str | None, qdrant_url: str | None, **kwargs: Any) -> Any:
        from dataclasses import replace
        from pathlib import Path

        settings = Settings()
        if data_dir:
            settings = replace(settings, data_dir=Path(data_dir))
        if qdrant_url:
            settings = replace(settings, qdrant_url=qdrant_url)
        return func(*args, settings=settings, **kwargs)

    return wrapper  # type: ignore[return-value]


class RegionPlansGroup(click.Group):
    """Loads subcommand modules lazily and turns library errors into one-line messages."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [name for name in COMMANDS if self._load(name) is not None]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        return self._load(cmd_name)

    @staticmethod
    def _load(name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        try:
            module = importlib.import_module(f"regionplans.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"regionplans.commands.{name}":
                return None
            raise
        command: click.Command = module.command
        return command

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except RegionPlansError as exc:
            from regionplans.output import printable

            click.echo(f"Error: {printable(str(exc))}", err=True)
            ctx.exit(1)


@click.group(cls=RegionPlansGroup)
@click.version_option(package_name="regionplans")
@click.option("-v", "--verbose", count=True, help="More log output (-v info, -vv debug).")
def cli(verbose: int) -> None:
    """Search and compare Swedish regions' precision medicine and life-science plans.

    \b
    Example:
      regionplans ingest corpus
    """
    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)


def main() -> None:
    cli()

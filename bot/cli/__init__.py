"""The ``parallax`` command: a thin face over the core. Parse, call one core function, render.

The commands live in the modules beside this one, each importing what it needs when it runs:
``parallax --version``, ``--help`` and the feeds, digest and db commands never load the model
SDKs, trafilatura or the language detectors.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TypeVar

import click

from bot import __version__
from bot.errors import InputError, ParallaxError
from bot.redact import mask

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.store import Store

T = TypeVar("T")
INCOMPLETE_EXIT = 3  # a whole stage failed: the report says which and why


def _database(value: str | Path) -> Path | str:
    """``--db``: a file (SQLite), or a postgresql:// URL kept as text (a Path folds ``//``)."""
    text = str(value)
    return text if text.startswith(("postgresql://", "postgres://")) else Path(text)


DB_OPTION = click.option("--db", type=_database, metavar="PATH|URL",
                         help="Database file, or a postgresql:// URL.")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="parallax")
def cli() -> None:
    """Parallax: summarize news articles in many languages and cross-check their claims."""


def main() -> None:
    """Console-script entry point."""
    cli()


def settings_of(offline: bool) -> Settings:
    """The configuration, or its offline variant."""
    from bot.config import load_settings

    settings = load_settings()
    return settings.offline() if offline else settings


def languages_of(value: str | None) -> tuple[str, ...]:
    """``--lang``'s codes, canonical and distinct; a bad one is one line and exit 2."""
    from bot.languages import parse_languages

    try:
        return parse_languages(value)
    except InputError as exc:
        fail(f"--lang: {exc.reason}", 2)


def snowflake(param: click.Parameter, value: str | None) -> str | None:
    """A Discord id as typed: a snowflake is an unsigned 64-bit integer of 17 to 20 digits."""
    if value is None:
        return None
    text = value.strip()
    if not (text.isascii() and text.isdigit() and 17 <= len(text) <= 20 and int(text) < 2**64):
        name = param.opts[0] if param.opts else str(param.name)
        fail(f"{name}: '{value}' is not a Discord id (17 to 20 digits: Copy ID in Discord)",
              2)
    return text


def with_store(db: Path | str | None, action: Callable[[Store], Awaitable[T]]) -> T:
    """Run a reading (or removing) command: a missing database is refused, never created."""
    from bot.store import Store

    async def run() -> T:
        async with Store(db or settings_of(False).database, create=False) as store:
            return await action(store)

    return run_command(run)


def run_command(coro: Callable[[], Awaitable[T]]) -> T:
    """Run the command; turn every failure into one line on stderr and the right exit code."""
    try:
        return asyncio.run(coro())  # type: ignore[arg-type]
    except ParallaxError as exc:
        fail(exc.reason, exc.exit_code)
    except KeyboardInterrupt:
        fail("interrupted", 130)
    except Exception as exc:  # no traceback for users: one line, exit 1
        fail(f"internal error: {exc.__class__.__name__}: {exc}", 1)
    raise AssertionError("unreachable")


def fail(reason: str, code: int) -> NoReturn:
    """One line on stderr, masked, and the exit status."""
    # Masked here too: an internal error's text is a library's (discord.py quotes headers).
    click.echo(f"parallax: error: {mask(' '.join(reason.split()))}", err=True)
    sys.exit(code)



from bot.cli import checks, feeds, scale, stored  # noqa: E402,F401 - each module adds its commands

"""The bot class: receives the App from outside, loads the cogs, registers persistent buttons."""

from __future__ import annotations

import asyncio
import logging
import random
import signal
from collections.abc import Awaitable, Callable, Iterable, Iterator

import discord
import yarl
from discord.ext import commands

from bot.app import App, build_app
from bot.config import Settings
from bot.digest import Poster
from bot.discord_app.tree import ParallaxTree
from bot.discord_rest import DiscordError, DiscordREST, DiscordUnavailable, rest_poster
from bot.errors import ConfigError
from bot.scheduler import Clock, Scheduler
from bot.schedules import utc_now

log = logging.getLogger("parallax.discord")
EXTENSIONS = (
    "bot.discord_app.cogs.check",
    "bot.discord_app.cogs.review",
    "bot.discord_app.cogs.settings",
    "bot.discord_app.cogs.feeds",
    "bot.discord_app.cogs.digests",
)
SHUTDOWN_GRACE = 30.0  # seconds in-flight checks get to finish on SIGTERM


def point_at(settings: Settings) -> None:
    """Send REST and gateway traffic to the configured proxy (or a test's fake Discord).

    discord.py has no public option for this; these two class attributes are what it reads.
    """
    if settings.discord_api_base:
        discord.http.Route.BASE = settings.discord_api_base.rstrip("/")
    if settings.discord_gateway_url:
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(settings.discord_gateway_url)


class ParallaxBot(commands.Bot):
    """Parallax on Discord. Only the guilds intent: no message content, no members."""

    def __init__(self, app: App, poster: Poster | None = None, clock: Clock = utc_now,
                 **options: object) -> None:
        intents = discord.Intents.none()
        intents.guilds = True
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents,
            tree_cls=ParallaxTree,
            help_command=None,
            # The bot never pings: an article quoting @everyone must reach nobody.
            allowed_mentions=discord.AllowedMentions.none(),
            chunk_guilds_at_startup=False,
            **options,  # type: ignore[arg-type]
        )
        self.app = app
        self.clock = clock
        self.in_flight: set[asyncio.Task[object]] = set()
        # Feeds and digests run only with a poster (the bot's REST client): tests may omit it.
        self.scheduler = Scheduler(app, poster, clock) if poster is not None else None

    async def setup_hook(self) -> None:
        """Load the cogs; their dynamic items make old cards' buttons work after a restart."""
        for extension in EXTENSIONS:
            await self.load_extension(extension)
        if self.scheduler is not None:
            await self.scheduler.start()

    def track(self, task: asyncio.Task[object]) -> None:
        """Keep a check's task until it ends, so shutdown can wait for it."""
        self.in_flight.add(task)
        task.add_done_callback(self.in_flight.discard)

    async def close(self) -> None:
        """Let in-flight checks finish (for a while) before disconnecting."""
        pending = [t for t in self.in_flight if not t.done()]
        if pending:
            log.info("waiting for %d in-flight check(s) before shutting down", len(pending))
            _, late = await asyncio.wait(pending, timeout=SHUTDOWN_GRACE)
            for task in late:
                task.cancel()
            if late:
                log.warning("%d check(s) interrupted by shutdown", len(late))
        if self.scheduler is not None:
            self.scheduler.shutdown()
        await super().close()


def retry_delays(base: float = 1.0, cap: float = 60.0, jitter: float = 0.1,
                 rand: Callable[[], float] = random.random) -> Iterator[float]:
    """Seconds to wait before each new attempt: 1, 2, 4 … doubling up to ``cap``, each one
    spread by ±``jitter`` (a fraction) so that many bots restarting together do not retry in
    step. Never zero: a retry loop built on it cannot spin."""
    delay = base
    while True:
        yield delay * (1 + jitter * (2 * rand() - 1))
        delay = min(cap, delay * 2)


async def wait_for_discord(poster: DiscordREST, delays: Iterable[float] | None = None,
                           sleep: Callable[[float], Awaitable[object]] = asyncio.sleep) -> None:
    """Return once Discord's API answers the bot (``GET /users/@me`` with its token).

    Unreachable (network error, timeout, 5xx, a long rate limit): one log line per attempt,
    then wait the next of ``delays`` (:func:`retry_delays`, endless, by default) and try again;
    when ``delays`` runs out, the last :class:`DiscordUnavailable` is raised. A refused token
    is not retried: it raises :class:`ConfigError`. No message contains the token.
    """
    waits = iter(delays if delays is not None else retry_delays())
    while True:
        try:
            await poster.request("GET", "/users/@me")
            return
        except DiscordUnavailable as exc:
            delay = next(waits, None)
            if delay is None:
                raise
            wait = max(delay, exc.retry_after or 0.0)
            log.warning("Discord unreachable (%s); retrying in %.1f s", exc.reason, wait)
        except DiscordError as exc:
            if exc.status == 401:
                raise ConfigError("Discord refused the bot token (401 Unauthorized): "
                                  "check DISCORD_TOKEN") from None
            raise ConfigError(f"Discord refused the bot's login: {exc.reason}") from None
        await sleep(wait)


async def run_bot(settings: Settings, delays: Iterable[float] | None = None) -> None:
    """``parallax run``: wait for Discord (with backoff), connect and serve until SIGTERM or
    SIGINT. Once connected, discord.py reconnects the gateway by itself."""
    token = settings.secret("DISCORD_TOKEN")
    if not token:
        raise ConfigError("DISCORD_TOKEN is not set: the bot needs its token to connect")
    point_at(settings)
    async with build_app(settings) as app, rest_poster(settings) as poster:
        await wait_for_discord(poster, delays)
        async with ParallaxBot(app, poster) as bot:
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGTERM, signal.SIGINT):
                loop.add_signal_handler(sig, lambda: asyncio.ensure_future(bot.close()))
            await bot.start(token)


async def sync_commands(settings: Settings, guild_id: int | None) -> list[str]:
    """Register the slash commands (globally, or in one server at once): an operator action."""
    token = settings.secret("DISCORD_TOKEN")
    if not token:
        raise ConfigError("DISCORD_TOKEN is not set: syncing commands needs the bot's token")
    point_at(settings)
    async with build_app(settings) as app, ParallaxBot(app) as bot:
        await bot.login(token)
        guild = discord.Object(id=guild_id) if guild_id else None
        if guild is not None:
            bot.tree.copy_global_to(guild=guild)
        synced = await bot.tree.sync(guild=guild)
        return [command.name for command in synced]

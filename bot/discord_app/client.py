"""The bot class: receives the App from outside, loads the cogs, registers persistent buttons."""

from __future__ import annotations

import asyncio
import logging
import random
import signal
from collections.abc import Awaitable, Callable, Iterable, Iterator, Sequence
from contextlib import AsyncExitStack
from typing import TYPE_CHECKING

import discord
import yarl
from discord.ext import commands

from bot.app import App, build_app
from bot.config import Settings
from bot.digest import Poster
from bot.discord_app.tree import ParallaxTree
from bot.discord_app.work import InProcess, Queued, WorkPlace
from bot.discord_rest import DiscordError, DiscordREST, DiscordUnavailable, rest_poster
from bot.errors import ConfigError
from bot.scheduler import Clock, Scheduler
from bot.schedules import utc_now

if TYPE_CHECKING:
    from bot.jobs.queue import JobQueue

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
                 work: WorkPlace | None = None, queue: JobQueue | None = None,
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
        # Where checks run: here, or (--gateway-only) on the workers through the queue.
        self.work: WorkPlace = work or (Queued(queue) if queue is not None else InProcess())
        # Feeds and digests run only with a poster (the bot's REST client): tests may omit it.
        # With a queue the scheduler only enqueues; the workers poll and post.
        self.scheduler = (Scheduler(app, poster, clock, queue=queue) if poster is not None
                          else None)

    async def setup_hook(self) -> None:
        """Load the language detectors' models and the SDK clients (so the first /check is as
        quick as the next), then the cogs; their dynamic items make old cards' buttons work
        after a restart."""
        if not self.work.queued:  # a gateway-only bot checks nothing: its workers do
            await self.app.warm_up()  # detectors and SDK clients, before the gateway connects
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


class ShardedParallaxBot(ParallaxBot, commands.AutoShardedBot):
    """Parallax over several gateway shards in one process (``--shards 0-3 --shard-count
    16``): discord.py's AutoShardedBot with the given shard ids."""


def parse_shards(text: str, count: int) -> list[int]:
    """Shard ids from ``0-3``, ``4,5`` or ``7`` (ranges and lists mixed), each below
    ``count``; a bad one is an InputError with one line."""
    from bot.errors import InputError

    ids: set[int] = set()
    for part in (p.strip() for p in text.split(",")):
        first, dash, last = part.partition("-")
        if not first.isdigit() or (dash and not last.isdigit()):
            raise InputError(f"--shards: '{part}' is not a shard id or a range like 0-3")
        low, high = int(first), int(last or first)
        if low > high or high >= count:
            raise InputError(f"--shards: '{part}' is outside 0-{count - 1} (--shard-count "
                             f"{count})")
        ids.update(range(low, high + 1))
    return sorted(ids)


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


async def run_bot(settings: Settings, delays: Iterable[float] | None = None, *,
                  gateway_only: bool = False, shards: Sequence[int] | None = None,
                  shard_count: int | None = None) -> None:
    """``parallax run``: wait for Discord (with backoff), connect and serve until SIGTERM or
    SIGINT. Once connected, discord.py reconnects the gateway by itself.

    ``gateway_only`` (Postgres only) answers interactions by deferring and hands the work to
    ``parallax worker`` processes through the job queue; ``shards`` and ``shard_count`` run
    those gateway shards of the bot in this process."""
    token = settings.secret("DISCORD_TOKEN")
    if not token:
        raise ConfigError("DISCORD_TOKEN is not set: the bot needs its token to connect")
    if shards is not None and not gateway_only:
        raise ConfigError("--shards needs --gateway-only: several shards share the work "
                          "through the job queue")
    point_at(settings)
    async with AsyncExitStack() as stack:
        queue = None
        if gateway_only:
            from bot.jobs.queue import JobQueue  # procrastinate loads only here

            queue = await stack.enter_async_context(JobQueue(settings.database))
        app = await stack.enter_async_context(build_app(settings))
        poster = await stack.enter_async_context(rest_poster(settings))
        await wait_for_discord(poster, delays)
        if shards is not None:
            bot: ParallaxBot = ShardedParallaxBot(app, poster, queue=queue, shard_ids=list(shards),
                                                  shard_count=shard_count)
        else:
            bot = ParallaxBot(app, poster, queue=queue)
        async with bot:
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

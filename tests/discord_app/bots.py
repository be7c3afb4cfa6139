"""Parallax's own bot, started against the loopback Discord for a test."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime

from bot.app import build_app
from bot.config import Settings
from bot.digest import Poster
from bot.discord_app.client import ParallaxBot, point_at
from bot.schedules import utc_now


@asynccontextmanager
async def running(settings: Settings, poster: Poster | None = None,
                  clock: Callable[[], datetime] = utc_now) -> AsyncIterator[ParallaxBot]:
    """The bot logged in (ready) for the duration of the block, then closed cleanly."""
    point_at(settings)
    async with build_app(settings) as app:
        bot = ParallaxBot(app, poster, clock=clock, guild_ready_timeout=0.05)
        task = asyncio.create_task(bot.start("fake-token"))
        await asyncio.wait_for(bot.wait_until_ready(), 10)
        try:
            yield bot
        finally:
            await bot.close()
            await task

"""Parallax's own bot, started against the loopback Discord for a test."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path

from bot.app import build_app
from bot.config import Settings, load_settings
from bot.digest import Poster
from bot.discord_app.client import ParallaxBot, point_at
from bot.schedules import utc_now
from tests.fakes.discord_server import DiscordServer
from tests.fakes.llm_server import LLMServer


@asynccontextmanager
async def running(settings: Settings, poster: Poster | None = None,
                  clock: Callable[[], datetime] = utc_now,
                  token: str = "fake-token") -> AsyncIterator[ParallaxBot]:
    """The bot logged in (ready) for the duration of the block, then closed cleanly."""
    point_at(settings)
    async with build_app(settings) as app:
        bot = ParallaxBot(app, poster, clock=clock, guild_ready_timeout=0.05)
        task = asyncio.create_task(bot.start(token))
        await asyncio.wait_for(bot.wait_until_ready(), 120)  # a safety net, not a speed limit
        try:
            yield bot
        finally:
            await bot.close()
            await task


def settings_for(tmp_path: Path, discord: DiscordServer, llm: LLMServer | None) -> Settings:
    """Settings for the bot on the loopback Discord; with ``llm``, a writer and two panel
    models on the fake model server."""
    lines = [f'database = "{tmp_path / "p.db"}"', 'allowed_networks = ["127.0.0.1/32"]']
    if llm is not None:
        for name in ("writer", "a", "b"):
            lines += ["[[model]]", f'name = "{name}"', 'provider = "anthropic"',
                      f'model = "{name}-model"', f'base_url = "{llm.url}"', "timeout = 5"]
        lines += ["[pipeline]", 'summarize = "writer"', 'panel = ["a", "b"]']
    path = tmp_path / "parallax.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return load_settings(path=path, environ={
        "DISCORD_TOKEN": "fake-token", "ANTHROPIC_API_KEY": "k",
        "DISCORD_API_BASE": discord.api_base, "DISCORD_GATEWAY_URL": discord.gateway_url})

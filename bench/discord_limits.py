"""Discord's rate limits, met by Parallax's posts on the rate-limited loopback Discord.

Printed side by side in one run (tests/fakes/discord_ratelimits.py plays Discord's limits: 5
message creations per 5 s per channel, 50 requests a second per bot token):
- for comparison, what the limits refuse: 12 posts to one channel at once, the headers ignored
  and a 429 taken as a failure: posts lost;
- 12 review cards of one check posted by the bot (discord.py) to the moderators' channel;
- a 20-channel digest run (``parallax digest run``: Parallax's REST poster) at Discord's limits,
  and again with a global limit of 10 a second that the poster does not know about.

For each: posts lost and posts duplicated (goal 0 each), the 429s met, and the waits that
answered them or avoided them (shown).

Usage: python bench/discord_limits.py [--scale 1.0]   (--scale < 1 shortens every window)
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sqlite3
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from feeds import page, rss  # noqa: E402 - the feed bench's harbour stories
from figures import Row, print_figures  # noqa: E402 - bench/ is the script folder

from bot.app import build_app  # noqa: E402
from bot.config import load_settings  # noqa: E402
from bot.digest import run_due, subscribe  # noqa: E402
from bot.discord_rest import DiscordREST  # noqa: E402
from bot.polling import follow_feed, poll_due  # noqa: E402
from bot.records import GuildSettings  # noqa: E402
from bot.store.guilds import save_guild_settings  # noqa: E402
from tests.discord_app.bots import running, settings_for  # noqa: E402
from tests.discord_app.test_rate_limits import (  # noqa: E402
    MOD_CHANNEL,
    claim_of,
    twelve_claims,
)
from tests.fakes.discord_ratelimits import RateLimits  # noqa: E402
from tests.fakes.discord_server import CHANNEL_ID, GUILD_ID, DiscordServer  # noqa: E402
from tests.fakes.http_server import HTTPServer  # noqa: E402
from tests.fakes.llm_server import LLMServer  # noqa: E402

T0 = datetime.now(UTC).replace(hour=6, minute=0, second=0, microsecond=0)
CARDS, CHANNELS = 12, 20


def _posts(server: DiscordServer, channel: int) -> list:
    return [r for r in server.requests
            if r.method == "POST" and r.path == f"/channels/{channel}/messages"]


async def naive_burst(limits: RateLimits) -> tuple[int, int, int, int, str]:
    """12 posts at once, the old way: expected, lost, duplicated, 429s met, waits."""
    async with DiscordServer(rate_limits=limits) as server, \
            httpx.AsyncClient(base_url=server.api_base) as client:
        await asyncio.gather(*(client.post(f"/channels/{CHANNEL_ID}/messages",
                                           json={"content": f"card {i}"},
                                           headers={"Authorization": "Bot bench"})
                               for i in range(CARDS)))
        landed = len(server.messages(CHANNEL_ID))
        return CARDS, CARDS - landed, 0, len(server.rate_limited()), "none"


async def review_cards(limits: RateLimits) -> tuple[int, int, int, int, str]:
    """One check flagging 12 claims; the bot posts a card for each."""
    with tempfile.TemporaryDirectory() as tmp:
        async with DiscordServer(rate_limits=limits) as server, LLMServer() as llm:
            server.add_channel(GUILD_ID, MOD_CHANNEL, "moderators")
            llm.add("writer-model")
            llm.add("a-model", verdicts="supported")
            llm.add("b-model", verdicts="refuted")
            settings = settings_for(Path(tmp), server, llm)
            async with running(settings) as bot:
                await bot.app.store.run(save_guild_settings, GuildSettings(
                    str(GUILD_ID), mod_channel_id=str(MOD_CHANNEL)))
                await server.slash("check", {"text": twelve_claims(), "languages": "en"})
                # Every card, and every card's message id stored: the bot is done posting.
                await server.wait_for(lambda: len(server.messages(MOD_CHANNEL)) >= CARDS and
                                      _stored_cards(settings.database) >= CARDS, timeout=300)
            cards = server.messages(MOD_CHANNEL)
            claims = {claim_of(c) for c in cards}
            met = [r for r in _posts(server, MOD_CHANNEL) if r.status == 429]
            # discord.py sleeps through its exhausted buckets on its own: its waits are the
            # gaps the fake saw, shown as the windows the 12 posts spread over.
            posts = [r.at for r in _posts(server, MOD_CHANNEL) if r.status == 200]
            spread = f"spread {posts[-1] - posts[0]:.1f} s" if posts else "-"
            return CARDS, CARDS - len(claims), len(cards) - len(claims), len(met), spread


def _stored_cards(database: str) -> int:
    with sqlite3.connect(database) as db:
        return db.execute("select count(message_id) from review_cards").fetchone()[0]


async def digest_run(limits: RateLimits) -> tuple[int, int, int, int, str]:
    """20 subscriptions in 20 channels, due at once, posted by the REST poster."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        async with HTTPServer() as web, LLMServer() as llm, \
                DiscordServer(rate_limits=limits) as server:
            llm.add("claude-haiku-5-5")
            config = folder / "parallax.toml"
            config.write_text("\n".join([
                f'database = "{folder / "bench.db"}"', 'allowed_networks = ["127.0.0.1/32"]',
                "[[model]]", 'name = "haiku"', 'provider = "anthropic"',
                'model = "claude-haiku-5-5"', f'base_url = "{llm.url}"']) + "\n")
            settings = load_settings(path=config, environ={"ANTHROPIC_API_KEY": "bench"})
            base = web.url("").rstrip("/")
            web.page("/feed.xml", rss(base, 0), "application/rss+xml")
            for i in range(6):
                web.page(f"/a/{i}.txt", page(i), "text/plain")
            guild, channels = str(GUILD_ID), [700_000_000_000_000_000 + n for n in range(CHANNELS)]
            async with build_app(settings) as app, \
                    DiscordREST("bench", api_base=server.api_base) as poster:
                await follow_feed(app, guild, f"{base}/feed.xml", False, 15, T0)
                for n, channel in enumerate(channels):
                    server.add_channel(GUILD_ID, channel, f"news-{n}")
                    await subscribe(app, guild, str(channel), "daily@09:00", "UTC", ("en",), T0)
                web.page("/feed.xml", rss(base, 6), "application/rss+xml")
                await poll_due(app, T0 + timedelta(hours=1))
                outcomes = await run_due(app, poster, T0.replace(hour=9, minute=1))
                stats = poster.stats
        with sqlite3.connect(folder / "bench.db") as db:
            stored = [json.loads(r[0] or "[]") for r in db.execute(
                "select message_ids from digest_runs")]
    landed = {m["id"] for c in channels for m in server.messages(c)}
    nonces = [m.get("nonce") for c in channels for m in server.messages(c)]
    expected = sum(len(ids) for ids in stored) + sum(o.status != "posted" for o in outcomes)
    lost = sum(o.status != "posted" for o in outcomes) + sum(
        1 for ids in stored for i in ids if i not in landed)
    met = sum(1 for c in channels for r in _posts(server, c) if r.status == 429)
    waits = ", ".join(f"{k} {v}" for k, v in sorted(stats.waits.items()))
    waits = f"{waits}, {stats.waited:.1f} s" if waits else "none"
    return expected, lost, len(nonces) - len(set(nonces)), met, waits


async def measure(scale: float = 1.0) -> list[Row]:
    """The figure's rows: lost and duplicated posts (goal 0), 429s and waits (shown)."""
    discord = RateLimits().scaled(scale)
    tight = RateLimits(global_limit=10).scaled(scale)
    scenarios = [
        ("burst of 12, headers ignored, 429 = failure", naive_burst(discord), False),
        ("12 review cards (bot, discord.py)", review_cards(discord), True),
        (f"{CHANNELS}-channel digest run (REST poster)", digest_run(discord), True),
        (f"{CHANNELS}-channel digest run, global 10/s", digest_run(tight), True),
    ]
    rows: list[Row] = []
    for name, run, judged in scenarios:
        started = time.perf_counter()
        expected, lost, doubled, met, waits = await run
        took = time.perf_counter() - started
        print(f"{name}: {expected} posts, {met} 429s met, waits: {waits}; {took:.1f} s")
        rows += [(f"{name}: posts lost", f"{lost}/{expected}", "0" if judged else "shown",
                  lost == 0 if judged else None),
                 (f"{name}: posts duplicated", str(doubled), "0" if judged else "shown",
                  doubled == 0 if judged else None),
                 (f"{name}: 429s met", str(met), "shown", None),
                 (f"{name}: waits", waits, "shown", None)]
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    print_figures(asyncio.run(measure(parser.parse_args().scale)))


if __name__ == "__main__":
    main()

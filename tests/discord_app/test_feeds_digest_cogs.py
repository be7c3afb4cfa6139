"""/feeds and /digest through the real discord.py client, with the scheduler running."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.config import Settings, load_settings
from bot.discord_app.client import ParallaxBot
from bot.discord_rest import DiscordREST
from bot.polling import poll_due
from tests.discord_app.bots import running
from tests.fakes.discord_server import CHANNEL_ID, DiscordServer, Ref
from tests.fakes.http_server import HTTPServer

CORPUS = Path(__file__).resolve().parents[1] / "data" / "corpus"
MANAGE_GUILD = 1 << 5
NOW = datetime(2026, 11, 20, 6, 0, tzinfo=UTC)


def settings_for(tmp_path: Path, discord: DiscordServer) -> Settings:
    path = tmp_path / "parallax.toml"
    path.write_text(f'database = "{tmp_path / "p.db"}"\nallowed_networks = ["127.0.0.1/32"]\n',
                    encoding="utf-8")
    return load_settings(path=path, environ={
        "DISCORD_TOKEN": "fake-token", "DISCORD_API_BASE": discord.api_base,
        "DISCORD_GATEWAY_URL": discord.gateway_url})


@asynccontextmanager
async def started(settings: Settings, clock: list[datetime]) -> AsyncIterator[ParallaxBot]:
    async with DiscordREST("fake-token", api_base=settings.discord_api_base or "") as poster, \
            running(settings, poster, lambda: clock[0]) as bot:
        yield bot


def feed_xml(base: str, *paths: str) -> str:
    items = "".join(f"<item><title>Story {p}</title><link>{base}{p}</link><guid>{p}</guid></item>"
                    for p in paths)
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Tribune</title>'
            f"<link>{base}/</link>{items}</channel></rss>")


async def reply(discord: DiscordServer, itx) -> str:
    found = await discord.wait_for(
        lambda: [m["content"] for m in discord.followups(itx)]
        or [c.data.get("content") for c in discord.callbacks(itx) if c.data.get("content")]
        or [m["content"] for m in [discord.original(itx)] if m and m.get("content")],
        timeout=10)
    return found[0]


async def test_feeds_and_digest_commands_with_the_scheduler(tmp_path, discord_server):
    discord = discord_server
    settings = settings_for(tmp_path, discord)
    clock = [NOW]
    async with HTTPServer() as web:
        base = web.url("").rstrip("/")
        web.page("/feed.xml", feed_xml(base, "/a.txt"), "application/rss+xml")
        web.page("/a.txt", (CORPUS / "de-rhein.txt").read_bytes(), "text/plain")
        web.page("/b.txt", (CORPUS / "es-museo-prado.txt").read_bytes(), "text/plain")
        async with started(settings, clock) as bot:
            assert bot.scheduler is not None
            assert bot.scheduler.job_ids() == ["feeds", "retries"]
            itx = await discord.slash("feeds", {"url": f"{base}/feed.xml"}, subcommand="add",
                                      member_permissions=MANAGE_GUILD)
            assert "Following feed 1" in await reply(discord, itx)
            itx = await discord.slash("digest", {"channel": Ref.channel(CHANNEL_ID),
                                                 "schedule": "daily@09:00",
                                                 "languages": "en,fr"},
                                      subcommand="subscribe", member_permissions=MANAGE_GUILD)
            assert "Subscription 1" in await reply(discord, itx)
            assert bot.scheduler.job_ids() == ["digest-1", "feeds", "retries"]  # live change
            itx = await discord.slash("digest", {"channel": Ref.channel(CHANNEL_ID),
                                                 "schedule": "daily@09:00",
                                                 "languages": "en,fr"},
                                      subcommand="subscribe", member_permissions=MANAGE_GUILD)
            again = await reply(discord, itx)  # one subscription per channel, and it says so
            assert "Subscription 1 updated" in again and "already subscribed" in again
            assert bot.scheduler.job_ids() == ["digest-1", "feeds", "retries"]
            refused = await discord.slash("feeds", {"url": f"{base}/feed.xml"},
                                          subcommand="add", member_permissions=0)
            assert "not allowed" in await reply(discord, refused)
            web.page("/feed.xml", feed_xml(base, "/a.txt", "/b.txt"), "application/rss+xml")
            clock[0] = NOW + timedelta(hours=1)
            await poll_due(bot.app, clock[0])
            itx = await discord.slash("feeds", {}, subcommand="list")
            listing = await discord.wait_for(lambda: discord.callbacks(itx), timeout=10)
            assert "active" in str(listing[0].data["embeds"])
            itx = await discord.slash("feeds", {"feed_id": 1}, subcommand="entries")
            entries = (await discord.wait_for(lambda: discord.callbacks(itx), timeout=10))[0]
            fields = entries.data["embeds"][0]["fields"]
            assert entries.data["flags"] & 64  # only the member who asked sees it
            assert [f["name"] for f in fields] == ["ingested · Story /b.txt",
                                                   "seen · Story /a.txt"]
            assert "not listed in a digest yet" in fields[0]["value"]
            assert "remembered, never posted" in fields[1]["value"]
            itx = await discord.slash("feeds", {"feed_id": 9}, subcommand="entries")
            assert "This server has no feed 9." in await reply(discord, itx)
            itx = await discord.slash("help", {}, locale="fr")
            help_embed = (await discord.wait_for(lambda: discord.callbacks(itx),
                                                 timeout=10))[0].data["embeds"][0]
            feeds_help = next(f for f in help_embed["fields"] if f["name"].startswith("/feeds"))
            assert "entries" in feeds_help["name"] and "pourquoi" in feeds_help["value"]
            itx = await discord.slash("digest", {"subscription_id": 1}, subcommand="preview")
            preview = await discord.wait_for(lambda: discord.callbacks(itx), timeout=10)
            assert "Prado" in str(preview[0].data["embeds"])
            assert [m for m in discord.messages(CHANNEL_ID) if m["type"] == 0] == []
            itx = await discord.slash("digest", {"subscription_id": 1}, subcommand="now",
                                      member_permissions=MANAGE_GUILD)
            assert "Posted a digest of 1 article" in await reply(discord, itx)
            clock[0] += timedelta(minutes=1)
            itx = await discord.slash("digest", {"subscription_id": 1}, subcommand="now",
                                      member_permissions=MANAGE_GUILD)
            assert "Nothing new" in await reply(discord, itx)
        async with started(settings, clock) as bot:  # jobs are rebuilt from the database
            assert bot.scheduler is not None
            assert bot.scheduler.job_ids() == ["digest-1", "feeds", "retries"]
    posts = [m for m in discord.messages(CHANNEL_ID) if m["type"] == 0]
    assert len(posts) == 1 and "Prado" in str(posts[0]["embeds"])

"""Feeds and digests end to end: a loopback site serving a feed and its pages, the loopback
Discord receiving digests through the REST poster, and a controlled clock."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.app import App, build_app
from bot.config import load_settings
from bot.digest import resume, run_digest, run_due, subscribe
from bot.discord_rest import DiscordREST
from bot.polling import follow_feed, notify_paused, poll_due
from bot.records import GuildSettings
from bot.store.digests import claim_digest, get_subscription
from bot.store.feeds import get_feed
from bot.store.guilds import save_guild_settings
from tests.fakes.discord_server import CHANNEL_ID, GUILD_ID, DiscordServer
from tests.fakes.http_server import HTTPServer

CORPUS = Path(__file__).resolve().parents[1] / "data" / "corpus"
GUILD = str(GUILD_ID)
MOD_CHANNEL = 900_000_000_000_000_777
T0 = datetime(2026, 11, 20, 6, 0, tzinfo=UTC)
RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Example Tribune</title><link>{base}/</link>
{items}
</channel></rss>"""
ITEM = """<item><title>{title}</title><link>{base}{path}</link><guid>{guid}</guid>
<pubDate>Fri, 20 Nov 2026 08:00:00 GMT</pubDate></item>"""


@dataclass
class World:
    app: App
    web: HTTPServer
    discord: DiscordServer
    poster: DiscordREST
    db: Path

    def serve_feed(self, *items: tuple[str, str, str], path: str = "/feed.xml") -> None:
        base = self.web.url("").rstrip("/")
        body = RSS.format(
            base=base,
            items="\n".join(ITEM.format(title=t, base=base, path=p, guid=g) for t, p, g in items),
        )
        self.web.page(path, body, "application/rss+xml")

    def rows(self, table: str, where: str = "1 = 1") -> int:
        with sqlite3.connect(self.db) as conn:
            return conn.execute(f"select count(*) from {table} where {where}").fetchone()[0]

    def posts(self, channel: int = CHANNEL_ID) -> list[dict]:
        return [m for m in self.discord.messages(channel) if m["embeds"]]


WEBB = ("Webb telescope marks another year", "/webb.html", "g-webb")
RHEIN = ("Der Rhein", "/rhein.txt", "g-rhein")
PRADO = ("El Museo del Prado", "/prado.txt", "g-prado")


@pytest.fixture
async def world(tmp_path, discord_server: DiscordServer) -> AsyncIterator[World]:
    discord_server.add_channel(GUILD_ID, MOD_CHANNEL, "moderators")
    config = tmp_path / "parallax.toml"
    config.write_text(
        f'database = "{tmp_path / "p.db"}"\nallowed_networks = ["127.0.0.1/32"]\n'
        'languages = ["en"]\n',
        encoding="utf-8",
    )
    settings = load_settings(path=config, environ={})
    async with (
        HTTPServer() as web,
        build_app(settings) as app,
        DiscordREST("fake-token", api_base=discord_server.api_base) as poster,
    ):
        web.page("/webb.html", (CORPUS / "article-page.html").read_bytes())
        web.page("/rhein.txt", (CORPUS / "de-rhein.txt").read_bytes(), "text/plain")
        web.page("/prado.txt", (CORPUS / "es-museo-prado.txt").read_bytes(), "text/plain")
        await app.store.run(
            save_guild_settings, GuildSettings(GUILD, mod_channel_id=str(MOD_CHANNEL))
        )
        yield World(app, web, discord_server, poster, settings.database)


async def test_first_poll_floods_nothing_then_new_entries_reach_one_digest(world: World):
    world.serve_feed(WEBB, RHEIN)
    feed, seen = await follow_feed(world.app, GUILD, world.web.url("/feed.xml"), False, 15, T0)
    assert seen == 2 and world.rows("articles") == 0  # remembered, not ingested
    await subscribe(world.app, GUILD, str(CHANNEL_ID), "daily@09:00", "UTC", ("en", "fr"), T0)
    world.serve_feed(WEBB, RHEIN, PRADO)
    told: list[tuple[int, int, str]] = []
    outcomes = await poll_due(world.app, T0 + timedelta(minutes=31),
                              progress=lambda *step: told.append(step))
    assert [(o.new_entries, o.ingested) for o in outcomes] == [(1, 1)]
    assert told == [(1, 1, feed.title or feed.url)]  # the progress bar's steps
    assert world.rows("articles") == 1
    assert world.rows("model_calls", "task = 'summarize'") == 1  # once, for both languages
    nine = T0.replace(hour=9, minute=0, second=30)
    first = await run_due(world.app, world.poster, nine)
    assert [o.status for o in first] == ["posted"]
    [post] = world.posts()
    text = str(post["embeds"])
    assert "Prado" in text and "Webb" not in text and "Rhein" not in text
    assert post["allowed_mentions"] == {"parse": []} and post["nonce"]
    again = await run_due(world.app, world.poster, nine + timedelta(minutes=5))
    assert again == [] and len(world.posts()) == 1
    tomorrow = await run_due(world.app, world.poster, nine + timedelta(days=1))
    assert [o.status for o in tomorrow] == ["empty"] and len(world.posts()) == 1
    assert (await world.app.store.run(get_feed, feed.id)).last_error is None


async def test_two_triggers_of_one_period_post_once(world: World):
    world.serve_feed(WEBB)
    await follow_feed(world.app, GUILD, world.web.url("/feed.xml"), False, 15, T0)
    world.serve_feed(WEBB, RHEIN)
    await poll_due(world.app, T0 + timedelta(minutes=31))
    sub = await subscribe(world.app, GUILD, str(CHANNEL_ID), "hourly", "UTC", ("en",), T0)
    moment = T0 + timedelta(hours=1, minutes=1)
    outcomes = await asyncio.gather(
        *(run_digest(world.app, world.poster, sub, moment) for _ in range(3))
    )
    assert sorted(o.status for o in outcomes) == ["posted", "skipped", "skipped"]
    assert len(world.posts()) == 1


async def test_a_crash_between_claim_and_post_posts_once_after_restart(world: World):
    world.serve_feed(WEBB)
    await follow_feed(world.app, GUILD, world.web.url("/feed.xml"), False, 15, T0)
    world.serve_feed(WEBB, RHEIN, PRADO)
    await poll_due(world.app, T0 + timedelta(minutes=31))
    sub = await subscribe(world.app, GUILD, str(CHANNEL_ID), "daily@09:00", "UTC", ("en",), T0)
    # The claim is written, then the process dies before posting.
    claimed = await world.app.store.run(
        claim_digest, sub, "2026-11-20T09:00:00Z", "n" * 23, T0.replace(hour=9).isoformat()
    )
    assert len(claimed) == 2 and world.posts() == []
    outcomes = await run_due(world.app, world.poster, T0.replace(hour=9, minute=2))
    assert [o.status for o in outcomes] == ["posted"]
    assert len(world.posts()) == 1 and "Rhein" in str(world.posts()[0]["embeds"])
    assert await resume(world.app, world.poster) == []
    assert len(world.posts()) == 1


async def test_catch_up_after_days_down_posts_once(world: World):
    world.serve_feed(WEBB)
    await follow_feed(world.app, GUILD, world.web.url("/feed.xml"), False, 15, T0)
    world.serve_feed(WEBB, RHEIN)
    await poll_due(world.app, T0 + timedelta(minutes=31))
    await subscribe(world.app, GUILD, str(CHANNEL_ID), "daily@09:00", "UTC", ("en",), T0)
    await run_due(world.app, world.poster, T0 + timedelta(days=3, hours=4))
    await run_due(world.app, world.poster, T0 + timedelta(days=3, hours=4, minutes=1))
    assert len(world.posts()) == 1


async def test_same_article_in_two_feeds_is_ingested_once(world: World):
    world.serve_feed(path="/a.xml")
    world.serve_feed(path="/b.xml")
    await follow_feed(world.app, GUILD, world.web.url("/a.xml"), False, 15, T0)
    await follow_feed(world.app, GUILD, world.web.url("/b.xml"), False, 15, T0)
    world.serve_feed(RHEIN, path="/a.xml")
    world.serve_feed(("Rhein (other feed)", "/rhein.txt?utm_source=b", "other-guid"), path="/b.xml")
    await poll_due(world.app, T0 + timedelta(hours=1))
    assert world.rows("articles") == 1
    assert world.rows("feed_entries", "status = 'ingested'") == 2
    assert world.rows("model_calls") == 1


@pytest.mark.parametrize(
    ("setup", "reason"),
    [
        (lambda w: w.web.page("/feed.xml", b"oops", "text/plain", status=500), "HTTP 500"),
        (
            lambda w: w.web.page(
                "/feed.xml",
                b"<?xml version='1.0'?><rss><channel><<<>>></rss",
                "application/rss+xml",
            ),
            "not an RSS or Atom feed",
        ),
        (lambda w: w.web.oversize("/feed.xml", 6_000_000), "too large"),
        (
            lambda w: w.web.redirect("/feed.xml", "http://127.0.0.2:9/feed.xml"),
            "not a public address",
        ),
    ],
)
async def test_feed_failures_back_off_pause_and_tell_moderators(world: World, setup, reason):
    world.serve_feed(WEBB)
    feed, _ = await follow_feed(world.app, GUILD, world.web.url("/feed.xml"), False, 15, T0)
    setup(world)
    moment = T0
    for attempt in range(5):
        moment += timedelta(days=1)
        outcomes = await poll_due(world.app, moment)
        assert len(outcomes) == 1 and reason in (outcomes[0].error or "")
        await notify_paused(world.app, world.poster, outcomes)
        assert outcomes[0].paused == (attempt == 4)
    stored = await world.app.store.run(get_feed, feed.id)
    assert stored.state == "paused" and reason in stored.last_error
    assert await poll_due(world.app, moment + timedelta(days=1)) == []
    notices = world.discord.messages(MOD_CHANNEL)
    assert len(notices) == 1 and "paused" in notices[0]["content"]


async def test_unchanged_feed_is_asked_conditionally_and_not_parsed(world: World):
    body = RSS.format(base=world.web.url("").rstrip("/"), items="")
    world.web.page("/feed.xml", body, "application/rss+xml", headers=[("ETag", '"v1"')])
    await follow_feed(world.app, GUILD, world.web.url("/feed.xml"), False, 15, T0)
    world.web.page("/feed.xml", b"", None, status=304)
    [outcome] = await poll_due(world.app, T0 + timedelta(hours=1))
    assert outcome.unchanged and outcome.error is None
    assert world.web.requests[-1].headers.get("if-none-match") == '"v1"'


async def test_forbidden_channel_disables_the_subscription_and_tells_moderators(world: World):
    world.serve_feed(WEBB)
    await follow_feed(world.app, GUILD, world.web.url("/feed.xml"), False, 15, T0)
    world.serve_feed(WEBB, PRADO)
    await poll_due(world.app, T0 + timedelta(hours=1))
    sub = await subscribe(world.app, GUILD, str(CHANNEL_ID), "hourly", "UTC", ("en",), T0)
    world.discord.fail_next(
        "POST", rf"^/channels/{CHANNEL_ID}/messages$", 403, code=50001, message="Missing Access"
    )
    outcomes = await run_due(world.app, world.poster, T0 + timedelta(hours=2, minutes=1))
    assert [o.status for o in outcomes] == ["disabled"]
    stored = await world.app.store.run(get_subscription, sub.id)
    assert not stored.enabled and "cannot post" in stored.disabled_reason
    forbidden = [r for r in world.discord.requests if r.path == f"/channels/{CHANNEL_ID}/messages"]
    assert len(forbidden) == 1  # no retries against a channel the bot cannot use
    assert "disabled" in world.discord.messages(MOD_CHANNEL)[0]["content"]
    assert await run_due(world.app, world.poster, T0 + timedelta(hours=5)) == []


async def test_over_budget_entries_are_listed_not_checked(world: World):
    await world.app.store.run(
        save_guild_settings,
        GuildSettings(GUILD, mod_channel_id=str(MOD_CHANNEL), daily_budget_usd=0.0),
    )
    world.serve_feed(WEBB)
    await follow_feed(world.app, GUILD, world.web.url("/feed.xml"), True, 15, T0)
    world.serve_feed(WEBB, RHEIN)
    await poll_due(world.app, T0 + timedelta(hours=1))
    assert world.rows("articles") == 1 and world.rows("model_calls") == 0
    await subscribe(world.app, GUILD, str(CHANNEL_ID), "hourly", "UTC", ("en",), T0)
    await run_due(world.app, world.poster, T0 + timedelta(hours=2))
    assert "not checked" in str(world.posts()[0]["embeds"])

"""A feed entry whose check comes back incomplete is checked again on later polls, a bounded
number of times, and digests list it once it is complete or its tries are spent. In one
process (``parallax run``), on both stores; the queue's side is in tests/jobs."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.app import App, build_app
from bot.config import load_settings
from bot.digest import run_due, subscribe
from bot.discord_rest import DiscordREST
from bot.polling import RETRIES, follow_feed, poll_due
from bot.present.feed_entries import entry_line, entry_outcome
from bot.records import FeedEntry
from bot.store.feeds import EntryStatus, entries_of
from tests.fakes.discord_server import CHANNEL_ID, GUILD_ID, DiscordServer
from tests.fakes.http_server import HTTPServer
from tests.fakes.llm_server import Fault, LLMServer

CORPUS = Path(__file__).resolve().parents[1] / "data" / "corpus"
GUILD = str(GUILD_ID)
T0 = datetime(2026, 11, 20, 6, 0, tzinfo=UTC)
INTERVAL = 15  # minutes between polls, and between tries of an incomplete check
RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Example Tribune</title><link>{base}/</link>{items}
</channel></rss>"""
ITEM = "<item><title>{title}</title><link>{base}{path}</link><guid>{path}</guid></item>"
PANEL_DOWN = Fault.status_code(401, "invalid x-api-key")  # refused: not retried by the client


@dataclass
class Feeds:
    app: App
    web: HTTPServer
    llm: LLMServer
    discord: DiscordServer
    poster: DiscordREST

    def serve(self, *pages: tuple[str, str]) -> None:
        base = self.web.url("").rstrip("/")
        items = "".join(ITEM.format(title=t, base=base, path=p) for t, p in pages)
        self.web.page("/feed.xml", RSS.format(base=base, items=items), "application/rss+xml")

    async def count(self, sql: str) -> int:
        rows = await self.app.store.run(lambda db: list(db.query(sql)))
        return int(next(iter(rows[0].values())))

    async def write(self, sql: str, *params: object) -> None:
        def run(db) -> None:
            with db.atomic():
                db.execute(sql, list(params))
        await self.app.store.run(run)

    def asked(self, model: str) -> int:
        return len([c for c in self.llm.calls(model) if c.path == "/v1/messages"])

    def panel_down(self, times: int = 1) -> None:
        for model in ("a-model", "b-model"):
            self.llm.fail(model, *[PANEL_DOWN] * times)

    async def entry(self, title: str) -> FeedEntry:
        entries = await self.app.store.run(entries_of, 1)
        return next(e for e in entries if e.title == title)

    def digests(self) -> list[str]:
        return [str(m["embeds"]) for m in self.discord.messages(CHANNEL_ID) if m["embeds"]]


WEBB = ("Webb telescope marks another year", "/webb.txt")
RHEIN = ("Der Rhein", "/rhein.txt")


@pytest.fixture
async def feeds(tmp_path, database, llm_server: LLMServer,
                discord_server: DiscordServer) -> AsyncIterator[Feeds]:
    """A checking feed (one seeded entry) on the loopback site, a writer and a two-model
    panel on the loopback model server, and an hourly digest, on each store."""
    lines = [f'database = "{database}"', 'allowed_networks = ["127.0.0.1/32"]',
             'languages = ["en"]']
    for name in ("writer", "a", "b"):
        llm_server.add(f"{name}-model")
        lines += ["[[model]]", f'name = "{name}"', 'provider = "anthropic"',
                  f'model = "{name}-model"', f'base_url = "{llm_server.url}"', "timeout = 5"]
    lines += ["[pipeline]", 'summarize = "writer"', 'panel = ["a", "b"]']
    (tmp_path / "parallax.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    settings = load_settings(path=tmp_path / "parallax.toml", environ={"ANTHROPIC_API_KEY": "k"})
    async with (HTTPServer() as web, build_app(settings) as app,
                DiscordREST("fake-token", api_base=discord_server.api_base) as poster):
        web.page("/webb.txt", (CORPUS / "en-webb-telescope.txt").read_bytes(), "text/plain")
        web.page("/rhein.txt", (CORPUS / "de-rhein.txt").read_bytes(), "text/plain")
        world = Feeds(app, web, llm_server, discord_server, poster)
        world.serve(WEBB)
        await follow_feed(app, GUILD, web.url("/feed.xml"), True, INTERVAL, T0)
        await subscribe(app, GUILD, str(CHANNEL_ID), "hourly", "UTC", ("en",), T0)
        world.serve(WEBB, RHEIN)
        yield world


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


async def test_an_incomplete_check_is_tried_again_a_feed_interval_later_keeping_the_summary(
        feeds: Feeds):
    feeds.panel_down()
    [first] = await poll_due(feeds.app, at(31))
    assert (first.new_entries, first.ingested, first.incomplete) == (1, 1, 1)
    entry = await feeds.entry("Der Rhein")
    assert entry.status == EntryStatus.INCOMPLETE and entry.article_id
    assert "check 1 of 4 incomplete" in entry.error and "panel" in entry.error
    assert "held from digests" in entry_outcome(entry)
    summaries = feeds.asked("writer-model")
    # A digest in between does not list an article whose check is still being tried.
    assert [o.status for o in await run_due(feeds.app, feeds.poster, at(61))] == ["empty"]
    # Not due again before one interval has passed: the next poll leaves it alone.
    await feeds.write("update feeds set next_poll_at = ? where id = 1", at(40).isoformat())
    [early] = await poll_due(feeds.app, at(40))
    assert early.ingested == 0 and feeds.asked("a-model") == 1
    [again] = await poll_due(feeds.app, at(40 + INTERVAL))  # the next poll after retry_at
    assert (again.new_entries, again.ingested, again.incomplete) == (0, 1, 0)
    entry = await feeds.entry("Der Rhein")
    assert entry.status == EntryStatus.INGESTED and entry.error is None
    assert feeds.asked("writer-model") == summaries  # the summary that answered is kept
    assert feeds.asked("a-model") == feeds.asked("b-model") == 2
    assert await feeds.count("select count(*) from checks") == 2  # the record, and the answer
    assert await feeds.count("select count(*) from checks where status = 'complete'") == 1
    await run_due(feeds.app, feeds.poster, at(121))
    [digest] = feeds.digests()
    assert "Rhein" in digest and "check incomplete" not in digest


async def test_the_tries_are_bounded_then_the_entry_is_listed_with_its_incomplete_check(
        feeds: Feeds):
    feeds.panel_down(times=RETRIES + 1)
    moment = at(31)
    for poll in range(RETRIES + 1):
        [outcome] = await poll_due(feeds.app, moment)
        assert outcome.incomplete == 1, poll
        moment += timedelta(minutes=INTERVAL)
    assert feeds.asked("a-model") == RETRIES + 1
    entry = await feeds.entry("Der Rhein")
    assert entry.status == EntryStatus.INGESTED
    assert entry.error.startswith(f"check incomplete after {RETRIES + 1} tries")
    assert entry.error in entry_outcome(entry) and "ingested" in entry_line(entry)
    [later] = await poll_due(feeds.app, moment + timedelta(hours=5))
    assert later.ingested == 0 and feeds.asked("a-model") == RETRIES + 1  # kept as it is
    await run_due(feeds.app, feeds.poster, moment + timedelta(hours=6))
    [digest] = feeds.digests()
    assert "Rhein" in digest and "check incomplete" in digest


async def test_an_article_stored_with_an_incomplete_check_by_a_run_that_died_is_checked(
        feeds: Feeds):
    """A run that stored the incomplete check, then died before settling the entry, leaves
    it pending: the next poll finds the article by its hash and checks it again."""
    feeds.panel_down()
    await poll_due(feeds.app, at(31))
    await feeds.write("update feed_entries set status = 'pending', article_id = null, "
                      "checks = 0, error = null, retry_at = null where title = 'Der Rhein'")
    await feeds.write("update feeds set next_poll_at = ? where id = 1", at(32).isoformat())
    [outcome] = await poll_due(feeds.app, at(32))
    assert (outcome.ingested, outcome.incomplete) == (1, 0)
    assert (await feeds.entry("Der Rhein")).status == EntryStatus.INGESTED
    assert await feeds.count("select count(*) from checks where status = 'complete'") == 1
    assert await feeds.count("select count(*) from articles") == 1


async def test_a_complete_check_is_not_tried_again(feeds: Feeds):
    [outcome] = await poll_due(feeds.app, at(31))
    assert (outcome.ingested, outcome.incomplete) == (1, 0)
    await poll_due(feeds.app, at(31 + INTERVAL))
    assert feeds.asked("a-model") == 1
    assert (await feeds.entry("Der Rhein")).status == EntryStatus.INGESTED


def test_every_status_has_its_own_explanation():
    def entry(status: EntryStatus) -> FeedEntry:
        return FeedEntry(id=1, title="T", link="https://example.org/t", first_seen_at="2026",
                         status=status.value, error="why", article_id="a1")

    for status in EntryStatus:
        assert status.value in entry_line(entry(status))
    listed = entry_outcome(entry(EntryStatus.INGESTED))
    assert listed.startswith("article a1 (why)")
    for status in set(EntryStatus) - {EntryStatus.INGESTED}:  # none reads as listed
        assert entry_outcome(entry(status)) != listed, status

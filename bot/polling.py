"""Feed polling, as core logic: fetch (conditionally), parse, record entries, ingest new pages.

The first poll of a feed records what is there and ingests none of it (no flood). Entries are
identified by guid, canonical link, or title and date; an article that arrives twice (in one
feed or through two) is ingested once. Work is bounded (a few pages at a time) and respects
the server's daily budget: over it, new articles are stored and listed as "not checked".
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.app import App
from bot.budget import ensure_budget
from bot.digest import Poster, tell_moderators
from bot.errors import InputError, LimitError, ParallaxError
from bot.ingest import to_article
from bot.ingest.feed import parse_feed
from bot.pipeline import check_ingested, summarize_article
from bot.records import Feed
from bot.store.articles import find_article, save_article
from bot.store.digests import list_subscriptions
from bot.store.feeds import (
    add_feed,
    due_feeds,
    entry_done,
    get_feed,
    known_article_for_link,
    pending_entries,
    poll_failed,
    poll_succeeded,
    record_entries,
)

CONCURRENT_PAGES = 3  # pages fetched and summarized at once
MIN_INTERVAL = 5  # minutes: politeness towards the sites polled
MAX_BACKOFF = timedelta(hours=6)


@dataclass(frozen=True)
class PollOutcome:
    """What one poll of one feed did."""

    feed: Feed
    new_entries: int = 0
    ingested: int = 0
    failed: int = 0
    error: str | None = None
    paused: bool = False  # this poll's failure paused the feed: tell the moderators
    unchanged: bool = False


def first_poll_time(feed_key: str, interval_minutes: int, moment: datetime) -> datetime:
    """Spread feeds over their interval instead of polling them all at once."""
    offset = int(hashlib.sha256(feed_key.encode()).hexdigest(), 16) % (interval_minutes * 60)
    return moment + timedelta(seconds=offset)


async def poll_due(app: App, moment: datetime, everything: bool = False,
                   progress: Callable[[int, int, str], None] | None = None) -> list[PollOutcome]:
    """Poll every active feed that is due (every active feed with ``everything``).

    ``progress`` is told (feeds done, feeds due, the last feed's name) after each feed.
    """
    feeds = await app.store.run(due_feeds, moment if not everything else datetime.max.replace(
        tzinfo=moment.tzinfo))
    outcomes = []
    for feed in feeds:
        outcomes.append(await poll_feed(app, feed, moment))
        if progress:
            progress(len(outcomes), len(feeds), feed.title or feed.url)
    return outcomes


async def poll_feed(app: App, feed: Feed, moment: datetime) -> PollOutcome:
    """Poll one feed now; failures back off, and the fifth in a row pauses the feed."""
    try:
        raw = await app.fetcher.fetch(feed.url, feed.etag, feed.last_modified)
        body_sha = None if raw.not_modified else hashlib.sha256(raw.data).hexdigest()
        unchanged = raw.not_modified or body_sha == feed.body_sha256
        # feedparser is slow on big or broken documents: keep the event loop free.
        parsed = None if unchanged else await asyncio.to_thread(parse_feed, raw)
    except ParallaxError as exc:
        backoff = min(timedelta(minutes=feed.interval_minutes) * 2 ** (feed.failures + 1),
                      MAX_BACKOFF)
        after = await app.store.run(poll_failed, feed.id, moment, moment + backoff, exc.reason)
        return PollOutcome(after, error=exc.reason,
                           paused=after.state == "paused" and feed.state != "paused")
    new = 0
    if parsed is not None:
        entries = [{"key": e.key, "link": e.link, "canonical_link": e.canonical_link,
                    "title": e.title, "published": e.published} for e in parsed.entries]
        # The first poll only remembers what is there: a new feed must not flood channels.
        status = "pending" if feed.seeded else "seen"
        new = len(await app.store.run(record_entries, feed.id, entries, status, moment))
    next_poll = moment + timedelta(minutes=feed.interval_minutes)
    await app.store.run(poll_succeeded, feed.id, moment, next_poll,
                        parsed.title if parsed else None, raw.etag, raw.last_modified, body_sha)
    ingested, failed = await ingest_pending(app, feed)
    return PollOutcome(feed, new, ingested, failed, unchanged=unchanged)


async def ingest_pending(app: App, feed: Feed) -> tuple[int, int]:
    """Fetch, store and summarize (or check) the feed's pending entries, a few at a time."""
    entries = await app.store.run(pending_entries, feed.id)
    if not entries:
        return 0, 0
    languages = await _languages(app, feed.guild_id)
    gate = asyncio.Semaphore(CONCURRENT_PAGES)
    lock = asyncio.Lock()  # one entry at a time decides "already known?" then ingests

    async def one(entry: dict) -> bool:
        async with gate:
            return await _ingest_entry(app, feed, entry, languages, lock)

    results = await asyncio.gather(*(one(e) for e in entries))
    return sum(results), len(results) - sum(results)


async def _ingest_entry(app: App, feed: Feed, entry: dict, languages: tuple[str, ...],
                        lock: asyncio.Lock) -> bool:
    known = await app.store.run(known_article_for_link, entry["canonical_link"])
    if known is not None:  # the same article through another entry or feed
        await app.store.run(entry_done, entry["id"], "ingested", known)
        return True
    if not entry["link"]:
        await app.store.run(entry_done, entry["id"], "skipped", None, "the entry has no link")
        return False
    try:
        raw = await app.fetcher.fetch(entry["link"])
        article = to_article(raw, app.limits)
    except ParallaxError as exc:
        await app.store.run(entry_done, entry["id"], "failed", None, exc.reason)
        return False
    async with lock:
        stored = await app.store.run(find_article, article.sha256)
        if stored is None:
            await _process(app, feed, article, languages or (article.language.code,))
        await app.store.run(entry_done, entry["id"], "ingested", (stored or article).id)
    return True


async def _process(app: App, feed: Feed, article, languages: tuple[str, ...]) -> None:
    """Summarize (or check) a new article within the server's budget; else store it as is."""
    try:
        await ensure_budget(app, feed.guild_id)
    except LimitError:
        await app.store.run(save_article, article)  # listed in digests as "not checked"
        return
    try:
        if feed.check_claims:
            await check_ingested(article, app, languages, guild_id=feed.guild_id)
        else:
            await summarize_article(article, app, languages, feed.guild_id)
    except ParallaxError:
        await app.store.run(save_article, article)


async def _languages(app: App, guild_id: str) -> tuple[str, ...]:
    """Every language a channel of the server reads its digest in: one summary call for all."""
    subs = await app.store.run(list_subscriptions, guild_id, True)
    langs = dict.fromkeys(lang for sub in subs for lang in sub.languages)
    return tuple(langs) or tuple(app.settings.languages)


async def follow_feed(app: App, guild_id: str, url: str, check_claims: bool, interval: int,
                      moment: datetime) -> tuple[Feed, int]:
    """Follow a feed: fetch and parse it now (a bad URL is refused, nothing stored), then
    record the entries it has, to be posted never (no flood); the feed and how many."""
    if interval < MIN_INTERVAL:
        raise InputError(f"the interval must be at least {MIN_INTERVAL} minutes")
    raw = await app.fetcher.fetch(url)
    parsed = await asyncio.to_thread(parse_feed, raw)
    feed = await app.store.run(add_feed, guild_id, url, check_claims, interval,
                               first_poll_time(url, interval, moment))
    if feed is None:
        raise InputError("this server already follows that feed")
    entries = [{"key": e.key, "link": e.link, "canonical_link": e.canonical_link,
                "title": e.title, "published": e.published} for e in parsed.entries]
    seen = await app.store.run(record_entries, feed.id, entries, "seen", moment)
    await app.store.run(poll_succeeded, feed.id, moment, first_poll_time(
        url, interval, moment + timedelta(minutes=interval)), parsed.title, raw.etag,
        raw.last_modified, hashlib.sha256(raw.data).hexdigest())
    updated = await app.store.run(get_feed, feed.id)
    assert updated is not None
    return updated, len(seen)


async def notify_paused(app: App, poster: Poster, outcomes: list[PollOutcome]) -> None:
    """Tell each server's moderators about the feeds this round of polls paused."""
    for outcome in outcomes:
        if outcome.paused:
            await tell_moderators(
                app, poster, outcome.feed.guild_id,
                f"Feed {outcome.feed.id} ({outcome.feed.url}) is paused after "
                f"{outcome.feed.failures} failures in a row: {outcome.error}. "
                "Remove it or add it again once it works.")

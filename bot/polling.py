"""Feed polling, as core logic: fetch (conditionally), parse, record entries, ingest new pages.

The first poll of a feed records what is there and ingests none of it (no flood). Entries are
identified by guid, canonical link, or title and date; an article that arrives twice (in one
feed or through two) is ingested once. Work is bounded (a few pages at a time) and respects
the server's daily budget: over it, new articles are stored and listed as "not checked".

An entry whose check comes back incomplete (a stage failed: every panel model down, say) is
stored and checked again on a later poll, :data:`RETRIES` times at most, a feed interval
apart; digests list it once it is complete or its tries are spent. In one process the poll
ingests its entries itself; in queue mode it hands each one over as a job of its own
(:func:`poll_feed`'s ``hand_over``), and the job runs :func:`ingest_entry`, the same code.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from bot.app import App
from bot.budget import ensure_budget
from bot.digest import Poster, tell_moderators
from bot.errors import InputError, LimitError, ParallaxError
from bot.ingest import to_article
from bot.ingest.feed import parse_feed
from bot.pipeline import check_ingested, summarize_article
from bot.records import Article, Feed, ReportStatus
from bot.store import iso
from bot.store.articles import find_article, get_article, latest_check, save_article
from bot.store.digests import list_subscriptions
from bot.store.feeds import (
    EntryStatus,
    add_feed,
    due_feeds,
    entry_done,
    entry_incomplete,
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
RETRIES = 3  # an incomplete check is tried again this many times, then kept as it is


class EntryResult(StrEnum):
    """What one entry's ingestion did."""

    INGESTED = "ingested"  # stored, complete (or not checked on purpose), or known already
    INCOMPLETE = "incomplete"  # stored, its check incomplete: tried again, or kept so
    FAILED = "failed"  # the page could not be fetched or read
    SKIPPED = "skipped"  # no link

    @property
    def stored(self) -> bool:
        """Whether the entry became an article."""
        return self in (EntryResult.INGESTED, EntryResult.INCOMPLETE)


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
    incomplete: int = 0  # of ``ingested``: checks that came back incomplete
    queued: int = 0  # entries handed over as jobs of their own (queue mode)


# Queue mode: given the feed and its waiting entries (rows), hand each over as a job; how
# many were handed over.
EntryHandOver = Callable[[Feed, list[dict]], Awaitable[int]]


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


async def poll_feed(app: App, feed: Feed, moment: datetime,
                    hand_over: EntryHandOver | None = None) -> PollOutcome:
    """Poll one feed now; failures back off, and the fifth in a row pauses the feed.

    The entries waiting (new ones, and incomplete checks due again) are ingested here, or,
    with ``hand_over`` (queue mode), given to it once recorded: each becomes a job of its own.
    """
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
        status = EntryStatus.PENDING if feed.seeded else EntryStatus.SEEN
        new = len(await app.store.run(record_entries, feed.id, entries, status.value, moment))
    next_poll = moment + timedelta(minutes=feed.interval_minutes)
    await app.store.run(poll_succeeded, feed.id, moment, next_poll,
                        parsed.title if parsed else None, raw.etag, raw.last_modified, body_sha)
    if hand_over is not None:
        # Recorded (committed) first: a crash before the hand-over leaves them pending, for
        # the next poll to hand over.
        waiting = await app.store.run(pending_entries, feed.id, moment)
        queued = await hand_over(feed, waiting) if waiting else 0
        return PollOutcome(feed, new, queued=queued, unchanged=unchanged)
    ingested, failed, incomplete = await ingest_pending(app, feed, moment)
    return PollOutcome(feed, new, ingested, failed, unchanged=unchanged, incomplete=incomplete)


async def ingest_pending(app: App, feed: Feed, moment: datetime) -> tuple[int, int, int]:
    """Fetch, store and summarize (or check) the feed's pending entries, a few at a time, and
    check again those whose incomplete check is due; how many were stored, failed, and came
    back incomplete (stored too)."""
    entries = await app.store.run(pending_entries, feed.id, moment)
    if not entries:
        return 0, 0, 0
    languages = await feed_languages(app, feed.guild_id)
    gate = asyncio.Semaphore(CONCURRENT_PAGES)
    lock = asyncio.Lock()  # one entry at a time decides "already known?" then ingests

    async def one(entry: dict) -> EntryResult:
        async with gate:
            return await ingest_entry(app, feed, entry, languages, lock, moment)

    results = await asyncio.gather(*(one(e) for e in entries))
    stored = sum(r.stored for r in results)
    return stored, len(results) - stored, results.count(EntryResult.INCOMPLETE)


async def ingest_entry(app: App, feed: Feed, entry: dict, languages: tuple[str, ...],
                       lock: asyncio.Lock, moment: datetime) -> EntryResult:
    """Fetch, store and check (or summarize) one entry, and settle it; what became of it.

    The in-process poll and a worker's job for the entry both run this. An entry stored
    before with an incomplete check is checked again from the stored article (its page is
    not fetched again); an incomplete check is tried again :data:`RETRIES` times, a feed
    interval apart, then the entry is kept with it. Running this again for an entry whose
    first run died midway stores no second report: the article is found by its hash, and the
    pipeline's identical-check rule returns a complete check stored already.
    """
    if entry["article_id"] is not None and entry["checks"]:
        return await _check_again(app, feed, entry, languages, moment)
    known = await app.store.run(known_article_for_link, entry["canonical_link"])
    if known is not None:  # the same article through another entry or feed
        await app.store.run(entry_done, entry["id"], EntryStatus.INGESTED.value, known)
        return EntryResult.INGESTED
    if not entry["link"]:
        await app.store.run(entry_done, entry["id"], EntryStatus.SKIPPED.value, None,
                            "the entry has no link")
        return EntryResult.SKIPPED
    try:
        raw = await app.fetcher.fetch(entry["link"])
        article = to_article(raw, app.limits)
    except ParallaxError as exc:
        await app.store.run(entry_done, entry["id"], EntryStatus.FAILED.value, None, exc.reason)
        return EntryResult.FAILED
    async with lock:
        stored = await app.store.run(find_article, article.sha256)
        reason = None
        # Stored already: checked in full (nothing to do), or its check incomplete (a run
        # that died after storing it, or another entry's): that check is what is missing.
        if stored is None or await _incomplete_stored(app, stored.id):
            reason = await _process(app, feed, stored or article,
                                    languages or (article.language.code,))
        if reason is not None:
            return await _incomplete(app, feed, entry, (stored or article).id, reason, moment)
        await app.store.run(entry_done, entry["id"], EntryStatus.INGESTED.value,
                            (stored or article).id)
    return EntryResult.INGESTED


async def _check_again(app: App, feed: Feed, entry: dict, languages: tuple[str, ...],
                       moment: datetime) -> EntryResult:
    """Another try at an entry's incomplete check, on the article stored for it."""
    article = await app.store.run(get_article, entry["article_id"])
    assert article is not None  # feed_entries.article_id is a foreign key of articles
    reason = await _process(app, feed, article, languages or (article.language.code,))
    if reason is None:
        await app.store.run(entry_done, entry["id"], EntryStatus.INGESTED.value, article.id)
        return EntryResult.INGESTED
    return await _incomplete(app, feed, entry, article.id, reason, moment)


async def _incomplete(app: App, feed: Feed, entry: dict, article_id: str, reason: str,
                      moment: datetime) -> EntryResult:
    """Settle an entry whose check came back incomplete: due again one feed interval later,
    or, its tries spent, ingested with that check (digests say "check incomplete")."""
    checks = entry["checks"] + 1
    if checks <= RETRIES:
        retry_at: datetime | None = moment + timedelta(minutes=feed.interval_minutes)
        error = f"check {checks} of {RETRIES + 1} incomplete ({reason}); tried again on a " \
                f"poll from {iso(retry_at)}"
    else:
        retry_at, error = None, f"check incomplete after {checks} tries ({reason})"
    await app.store.run(entry_incomplete, entry["id"], article_id, checks, error, retry_at)
    return EntryResult.INCOMPLETE


async def _incomplete_stored(app: App, article_id: str) -> bool:
    """Whether the article's latest check is incomplete (stored, never completed)."""
    report = await app.store.run(latest_check, article_id)
    return report is not None and report.status is ReportStatus.INCOMPLETE


async def _process(app: App, feed: Feed, article: Article,
                   languages: tuple[str, ...]) -> str | None:
    """Summarize (or check) an article within the server's budget; else store it as is.

    Why its check is incomplete (to be tried again), or None: complete, or not checked on
    purpose (over the budget, or refused as the user's mistake).
    """
    try:
        await ensure_budget(app, feed.guild_id)
    except LimitError:
        await app.store.run(save_article, article)  # listed in digests as "not checked"
        return None
    try:
        if feed.check_claims:
            report = await check_ingested(article, app, languages, guild_id=feed.guild_id)
        else:
            report = await summarize_article(article, app, languages, feed.guild_id)
    except (InputError, LimitError):  # another try would be refused the same way
        await app.store.run(save_article, article)
        return None
    except ParallaxError as exc:
        await app.store.run(save_article, article)
        return exc.reason
    if report.status is ReportStatus.INCOMPLETE:
        return "; ".join(f"{f.stage.value}: {f.reason}" for f in report.failed_stages)
    return None


async def feed_languages(app: App, guild_id: str) -> tuple[str, ...]:
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

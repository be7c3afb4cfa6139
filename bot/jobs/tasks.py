"""The tasks a worker runs, each idempotent: running one twice (a retry, a stalled job run
again by another worker) does what running it once does.

- ``check``: the store's identical-check rule finds the report a first attempt stored (one
  report, however many runs); the answer is sent once (:mod:`bot.jobs.answer`).
- ``poll_feed``: one feed at a time (a lock per feed); entries are recorded once by key, then
  each waiting one is handed over as a ``feed_entry`` job in one transaction with its status
  (``pending`` -> ``queued``); entries recorded but not handed over (a crash between the two)
  stay pending, and entries left queued without a live job are pending again, for the next
  run to hand over.
- ``feed_entry``: one entry, run by :func:`bot.polling.ingest_entry` (the in-process poll's
  code); a run finds an entry settled already and does nothing; a second run of a half-done
  one finds the article stored (and a complete check of it, by the identical-check rule).
- ``post_digest``/``due_digests``/``resume_digests``: the store claims each (subscription,
  period) once and the posts carry nonces (:mod:`bot.digest`).

Their resources (the App, Discord's REST client, the queue) come from the worker, through
procrastinate's ``additional_context`` under :data:`CONTEXT_KEY`.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import procrastinate
from procrastinate import JobContext

from bot.app import App
from bot.budget import ensure_budget
from bot.digest import resume, run_digest, run_due
from bot.discord_rest import DiscordREST
from bot.jobs import answer, interactions
from bot.jobs.handoff import hand_over_entries, release_orphans
from bot.jobs.queue import JobKind, JobQueue
from bot.jobs.retry import PERMANENT, RETRY, is_transient
from bot.pipeline import check_article, check_text
from bot.polling import feed_languages, ingest_entry, notify_paused, poll_feed
from bot.records import Feed
from bot.redact import mask
from bot.schedules import utc_now
from bot.store import iso
from bot.store.digests import get_subscription
from bot.store.feeds import EntryStatus, due_feeds, entry_done, get_entry, get_feed

log = logging.getLogger("parallax.jobs")
CONTEXT_KEY = "parallax"


@dataclass(frozen=True)
class WorkerContext:
    """What every task needs, made once per worker process."""

    app: App
    rest: DiscordREST
    queue: JobQueue
    clock: Callable[[], datetime] = utc_now


def _context(job: JobContext) -> WorkerContext:
    return job.additional_context[CONTEXT_KEY]


def feed_lock(feed_id: int) -> str:
    """The lock (and queueing lock) of one feed's poll: one at a time, one waiting."""
    return f"parallax:feed:{feed_id}"


async def check(job: JobContext, interaction_id: str, source: str, is_text: bool,
                languages: list[str], summaries_only: bool, guild_locale: str = "en") -> str:
    """Check (or summarize) an article for an interaction and answer it, once."""
    ctx = _context(job)
    pending = await interactions.load(ctx.queue, interaction_id)
    if pending is None:
        return "unknown interaction"
    if pending.answered_at is not None:
        return "answered already"
    langs = tuple(languages)
    guild_id = pending.guild_id
    # "⏳ stage…" through the webhook while the check runs; stopped before any answer.
    progress = answer.WebhookProgress(ctx.rest, pending)
    try:
        try:
            if guild_id is not None:
                await ensure_budget(ctx.app, guild_id)
            if is_text:
                report = await check_text(source, ctx.app, langs, progress=progress,
                                          guild_id=guild_id)
            else:
                report = await check_article(source, ctx.app, langs, progress=progress,
                                             guild_id=guild_id)
        finally:
            await progress.stop()
        # Cards first: a retry after a failed post still finds the answer to send.
        if not summaries_only and guild_id is not None:
            await answer.post_cards(ctx.app, ctx.rest, report, guild_id, guild_locale)
    except PERMANENT as exc:
        return await answer.answer_error(ctx.rest, ctx.queue, pending, exc.reason)
    except asyncio.CancelledError:
        raise  # a worker draining: the job goes back to the queue
    except Exception as exc:
        if RETRY.last_attempt(job.job) or not is_transient(exc):
            # No attempt follows: tell the member, and let the job end as failed (status).
            log.error("check for interaction %s failed for good: %s", interaction_id,
                      mask(f"{type(exc).__name__}: {exc}"))
            await answer.answer_error(ctx.rest, ctx.queue, pending,
                                      "Something went wrong on our side; try again later.")
        raise
    return await answer.answer_report(ctx.rest, ctx.queue, pending, report, langs,
                                       summaries_only)


async def poll_feeds(job: JobContext) -> int:
    """A scheduler's tick: enqueue a poll of each due feed (at most one waiting per feed)."""
    ctx = _context(job)
    feeds = await ctx.app.store.run(due_feeds, ctx.clock())
    queued = 0
    for feed in feeds:
        lock = feed_lock(feed.id)
        if await ctx.queue.defer(JobKind.POLL_FEED, {"feed_id": feed.id}, lock=lock,
                                 queueing_lock=lock) is not None:
            queued += 1
    return queued


async def poll_one_feed(job: JobContext, feed_id: int) -> str:
    """Poll one feed (if still due) and check its new pages; tell moderators if it paused."""
    ctx = _context(job)
    feed = await ctx.app.store.run(get_feed, feed_id)
    moment = ctx.clock()
    if feed is None or feed.state != "active":
        return "gone"
    if feed.next_poll_at is not None and feed.next_poll_at > iso(moment):
        return "not due"  # another run polled it meanwhile: the database decides
    await release_orphans(ctx.queue, feed.id)  # their jobs failed for good: hand over anew

    async def hand_over(_feed: Feed, entries: list[dict]) -> int:
        return await hand_over_entries(ctx.queue, entries)

    outcome = await poll_feed(ctx.app, feed, moment, hand_over=hand_over)
    await notify_paused(ctx.app, ctx.rest, [outcome])
    return outcome.error or f"{outcome.new_entries} new, {outcome.queued} handed over"


async def feed_entry(job: JobContext, entry_id: int) -> str:
    """Fetch, store and check (or summarize) one queued feed entry, and settle it."""
    ctx = _context(job)
    entry = await ctx.app.store.run(get_entry, entry_id)
    if entry is None:
        return "gone"  # its feed was removed
    if entry["status"] != EntryStatus.QUEUED:
        return f"{entry['status']} already"  # an earlier run settled it
    feed = await ctx.app.store.run(get_feed, entry["feed_id"])
    if feed is None:
        return "gone"
    try:
        languages = await feed_languages(ctx.app, feed.guild_id)
        result = await ingest_entry(ctx.app, feed, entry, languages, asyncio.Lock(),
                                    ctx.clock())
    except asyncio.CancelledError:
        raise  # a worker draining: the job goes back to the queue
    except Exception as exc:
        if RETRY.last_attempt(job.job) or not is_transient(exc):
            # No attempt follows: the entry must not stay queued (its reason is shown).
            reason = mask(f"{type(exc).__name__}: {exc}")
            log.error("feed entry %s failed for good: %s", entry_id, reason)
            await ctx.app.store.run(entry_done, entry_id, EntryStatus.FAILED.value, None,
                                    f"could not be ingested: {reason}"[:500])
        raise
    return result.value


async def post_digest(job: JobContext, subscription_id: int) -> str:
    """A subscription's scheduled moment: its digest, posted once."""
    ctx = _context(job)
    sub = await ctx.app.store.run(get_subscription, subscription_id)
    if sub is None or not sub.enabled:
        return "gone"
    outcome = await run_digest(ctx.app, ctx.rest, sub, ctx.clock())
    return outcome.status


async def due_digests(job: JobContext) -> int:
    """Every digest whose period has ended and that nobody posted yet."""
    ctx = _context(job)
    return len(await run_due(ctx.app, ctx.rest, ctx.clock()))


async def resume_digests(job: JobContext) -> int:
    """The digests claimed but not posted (a crash, or Discord down)."""
    ctx = _context(job)
    return len(await resume(ctx.app, ctx.rest))


TASKS: dict[JobKind, Callable[..., Any]] = {
    JobKind.CHECK: check,
    JobKind.POLL_FEEDS: poll_feeds,
    JobKind.POLL_FEED: poll_one_feed,
    JobKind.FEED_ENTRY: feed_entry,
    JobKind.POST_DIGEST: post_digest,
    JobKind.DUE_DIGESTS: due_digests,
    JobKind.RESUME_DIGESTS: resume_digests,
}


def register(app: procrastinate.App) -> None:
    """Add every task to ``app`` (each with the capped backoff and the worker's context)."""
    for kind, fn in TASKS.items():
        app.task(name=kind.value, retry=RETRY, pass_context=True)(fn)

"""APScheduler jobs, built from rows in the store; the only importer of apscheduler.

The database, not the scheduler, decides what is due: jobs only wake the core at the right
moments. They live in memory and are rebuilt from the subscriptions at start and whenever
subscriptions change; a run missed while the bot was down is caught up once at start.

With a job queue (``parallax run --gateway-only``) a wake-up enqueues the work for the
workers instead of running it (:func:`bot.jobs.handoff.wake`): a queueing lock lets one job of
each kind wait, so any number of schedulers enqueue it once, and the digest's claim in the
database still decides whether anything is posted.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.app import App
from bot.digest import Poster, resume, run_digest, run_due
from bot.polling import notify_paused, poll_due
from bot.schedules import cron_fields, parse_schedule, utc_now
from bot.store.digests import get_subscription, list_subscriptions

if TYPE_CHECKING:
    from bot.jobs.queue import JobQueue

log = logging.getLogger("parallax.scheduler")
Clock = Callable[[], datetime]
FEED_TICK = 60  # seconds between looks at which feeds are due
RETRY_TICK = 300  # seconds between retries of digests Discord refused with a 5xx


class Scheduler:
    """Polls feeds and posts digests on time; owns no state the database does not have."""

    def __init__(self, app: App, poster: Poster, clock: Clock = utc_now,
                 queue: JobQueue | None = None) -> None:
        self.app, self.poster, self.clock = app, poster, clock
        self.queue = queue  # set: wake-ups enqueue jobs for the workers
        # Generous grace and coalescing: a late wake-up still runs, once.
        self._scheduler = AsyncIOScheduler(
            timezone="UTC", job_defaults={"coalesce": True, "max_instances": 1,
                                          "misfire_grace_time": 3600})

    async def start(self) -> None:
        """Catch up what was missed, then schedule (must run inside the event loop)."""
        if self.queue is not None:
            await self._wake("due_digests")
        else:
            await run_due(self.app, self.poster, self.clock())
        self._scheduler.add_job(self.poll_feeds, IntervalTrigger(seconds=FEED_TICK),
                                id="feeds", replace_existing=True)
        self._scheduler.add_job(self.retry_digests, IntervalTrigger(seconds=RETRY_TICK),
                                id="retries", replace_existing=True)
        await self.sync()
        self._scheduler.start()

    async def sync(self) -> None:
        """Make the digest jobs match the enabled subscriptions in the database."""
        wanted = {f"digest-{s.id}": s for s in
                  await self.app.store.run(list_subscriptions, None, True)}
        for job in self._scheduler.get_jobs():
            if job.id.startswith("digest-") and job.id not in wanted:
                job.remove()
        for job_id, sub in wanted.items():
            trigger = CronTrigger(**cron_fields(parse_schedule(sub.schedule, sub.timezone)))
            self._scheduler.add_job(self.post_digest, trigger, args=[sub.id], id=job_id,
                                    replace_existing=True)

    def job_ids(self) -> list[str]:
        """The scheduled jobs, for /status and tests."""
        return sorted(job.id for job in self._scheduler.get_jobs())

    async def poll_feeds(self) -> None:
        """Poll the feeds that are due; tell moderators about feeds this paused."""
        if self.queue is not None:
            return await self._wake("poll_feeds")
        try:
            outcomes = await poll_due(self.app, self.clock())
            await notify_paused(self.app, self.poster, outcomes)
        except Exception:  # a job must never die: log and try again next tick
            log.exception("feed polling failed")

    async def post_digest(self, sub_id: int) -> None:
        """A subscription's scheduled moment: run its digest (once, whatever else runs it)."""
        if self.queue is not None:
            return await self._wake("post_digest", {"subscription_id": sub_id})
        try:
            sub = await self.app.store.run(get_subscription, sub_id)
            if sub is not None and sub.enabled:
                await run_digest(self.app, self.poster, sub, self.clock())
        except Exception:
            log.exception("digest %s failed", sub_id)

    async def retry_digests(self) -> None:
        """Post the digests that were claimed but not posted."""
        if self.queue is not None:
            return await self._wake("resume_digests")
        try:
            await resume(self.app, self.poster)
        except Exception:
            log.exception("digest retries failed")

    async def _wake(self, kind: str, args: dict | None = None) -> None:
        """Enqueue the job of ``kind`` (a :class:`~bot.jobs.queue.JobKind` name) once."""
        from bot.jobs.handoff import wake
        from bot.jobs.queue import JobKind

        assert self.queue is not None
        try:
            await wake(self.queue, JobKind[kind.upper()], args)
        except Exception:  # a job must never die: log and try again next tick
            log.exception("could not enqueue %s", kind)

    def shutdown(self) -> None:
        """Stop waking up (jobs in progress finish on their own)."""
        if self._scheduler.running:
            self._scheduler.shutdown(wait=False)

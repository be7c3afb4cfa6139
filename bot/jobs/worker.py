"""``parallax worker``: run the queue's jobs until SIGTERM, and run again the jobs of workers
that died.

A worker is procrastinate's, with our tasks (:mod:`bot.jobs.tasks`) and their resources: the
App (store, models, fetcher), Discord's REST client and the queue. Every worker sends a
heartbeat; every worker also looks, every few seconds, for jobs in progress on a worker whose
heartbeat stopped (SIGKILL, a lost machine) and puts them back in the queue
(:func:`recover_stalled`). The tasks are idempotent, so running such a job again is safe.

SIGTERM (or SIGINT) drains: no new job is taken, jobs in progress get ``drain_timeout``
seconds to finish, and those still running then are cancelled and go back to the queue at
once (:class:`bot.jobs.retry.CappedBackoff` retries a job cut short by a shutdown at once).
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
from dataclasses import dataclass

from bot.app import build_app
from bot.config import Settings
from bot.discord_rest import rest_poster
from bot.jobs.queue import JobQueue, queue_url
from bot.jobs.tasks import CONTEXT_KEY, WorkerContext, register

log = logging.getLogger("parallax.jobs")


@dataclass(frozen=True)
class WorkerOptions:
    """How one worker process runs."""

    concurrency: int = 4  # jobs at once: checks wait on models, so more than the cores
    stalled_after: float = 30.0  # seconds without a heartbeat before a worker's jobs run again
    drain_timeout: float = 60.0  # seconds jobs get to finish on SIGTERM
    name: str | None = None

    @property
    def heartbeat(self) -> float:
        """Seconds between heartbeats: three per ``stalled_after``, so one lost is no death."""
        return max(0.2, self.stalled_after / 3)

    @property
    def recovery_every(self) -> float:
        """Seconds between looks for stalled jobs."""
        return max(0.5, self.stalled_after / 3)


async def recover_stalled(queue: JobQueue, stalled_after: float) -> list[int]:
    """Put back in the queue the jobs in progress on workers silent for ``stalled_after``
    seconds; their ids. Several workers may look at once: a job another one put back first
    is skipped."""
    manager = queue.app.job_manager
    recovered = []
    for job in await manager.get_stalled_jobs(seconds_since_heartbeat=stalled_after):
        try:
            await manager.retry_job(job)
        except Exception as exc:  # put back (or finished) by another worker meanwhile
            log.debug("stalled job %s not retried here: %s", job.id, exc)
            continue
        log.warning("job %s (%s) was running on a worker that stopped: queued again",
                    job.id, job.task_name)
        recovered.append(int(job.id or 0))
    return recovered


async def _recover_forever(queue: JobQueue, options: WorkerOptions) -> None:
    while True:
        try:
            await recover_stalled(queue, options.stalled_after)
        except Exception:  # the database away for a moment: look again next time
            log.exception("looking for stalled jobs failed")
        await asyncio.sleep(options.recovery_every)


async def run_worker(settings: Settings, options: WorkerOptions) -> None:
    """Run jobs until SIGTERM or SIGINT (see the module docstring)."""
    url = queue_url(settings.database)
    name = options.name or f"{socket.gethostname()}-{os.getpid()}"
    async with (build_app(settings) as app, rest_poster(settings) as rest,
                JobQueue(url, pool_size=options.concurrency + 3) as queue):
        register(queue.app)
        await app.warm_up()  # the first job as quick as the next
        context = WorkerContext(app, rest, queue)
        recovery = asyncio.create_task(_recover_forever(queue, options))
        log.info("worker %s: %d job(s) at once", name, options.concurrency)
        try:
            await queue.app.run_worker_async(
                name=name, concurrency=options.concurrency,
                shutdown_graceful_timeout=options.drain_timeout,
                additional_context={CONTEXT_KEY: context},
                update_heartbeat_interval=options.heartbeat,
                stalled_worker_timeout=options.stalled_after,
                fetch_job_polling_interval=1.0, install_signal_handlers=True)
        finally:
            recovery.cancel()
            await asyncio.gather(recovery, return_exceptions=True)

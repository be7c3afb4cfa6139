"""The job queue: procrastinate over the configured Postgres database.

:class:`JobQueue` is what gateways, schedulers and workers share. A gateway opens it to hand
work over (:meth:`JobQueue.hand_over`): the row that asks for the work and the job that does
it are written in one transaction, so a crash leaves both or neither — a hand-off is never
lost nor doubled. A worker opens the same queue and runs its jobs
(:mod:`bot.jobs.worker`). Which job does what is :class:`JobKind`; locks and queueing locks
are named here so that the rules "two of these never run together" and "never two of these
waiting" stay in one place.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import procrastinate
import psycopg
from procrastinate import exceptions as queue_errors
from procrastinate.tasks import configure_task

from bot.errors import ConfigError, StoreError
from bot.jobs.schema import apply_schema
from bot.store.connection import is_postgres_url

POOL_SIZE = 4  # connections per process for the queue (the store has its own pool)


class JobKind(StrEnum):
    """The jobs a worker runs; the value is procrastinate's task name."""

    CHECK = "parallax.check"  # a /check or /summarize handed over by a gateway
    POLL_FEEDS = "parallax.poll_feeds"  # a scheduler's tick: enqueue a poll of each due feed
    POLL_FEED = "parallax.poll_feed"  # one feed: fetch, record entries, hand each over
    FEED_ENTRY = "parallax.feed_entry"  # one feed entry: fetch, store, check or summarize
    DUE_DIGESTS = "parallax.due_digests"  # post every digest whose period ended
    POST_DIGEST = "parallax.post_digest"  # one subscription's scheduled moment
    RESUME_DIGESTS = "parallax.resume_digests"  # digests claimed but not yet posted


@dataclass(frozen=True)
class JobCounts:
    """The queue at a glance, for ``parallax status`` and /status."""

    waiting: int  # todo, due now
    scheduled: int  # todo, due later (a retry's backoff)
    running: int  # doing
    failed: int  # gave up after its attempts
    succeeded: int
    by_task: Mapping[str, Mapping[str, int]]  # task name -> status -> count
    workers: int  # workers with a recent heartbeat
    oldest_waiting_s: float | None  # how long the oldest due job has waited


def queue_url(database: object) -> str:
    """The Postgres URL of the configured database; the queue refuses anything else."""
    text = str(database)
    if not is_postgres_url(text):
        raise ConfigError("the job queue needs a Postgres database (database = "
                         "\"postgresql://…\" or PARALLAX_DATABASE); SQLite runs everything "
                         "in one process: use `parallax run`")
    return text


class JobQueue:
    """procrastinate's App on our database, with the hand-off Parallax needs."""

    def __init__(self, database: object, pool_size: int = POOL_SIZE) -> None:
        self.url = queue_url(database)
        connector = procrastinate.PsycopgConnector(
            conninfo=self.url, min_size=1, max_size=pool_size,
            kwargs={"application_name": "parallax-queue"})
        self.app = procrastinate.App(connector=connector)
        self._open = False

    async def open(self) -> JobQueue:
        """Apply the schema (idempotent) and open the connection pool."""
        await asyncio.to_thread(apply_schema, self.url)
        try:
            await self.app.open_async()
        except (psycopg.Error, queue_errors.ConnectorException, OSError) as exc:
            raise StoreError(f"cannot open the job queue: {' '.join(str(exc).split())}"
                             ) from None
        self._open = True
        return self

    async def close(self) -> None:
        """Close the pool."""
        if self._open:
            await self.app.close_async()
            self._open = False

    async def __aenter__(self) -> JobQueue:
        return await self.open()

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @property
    def pool(self) -> Any:
        """The queue's psycopg AsyncConnectionPool (procrastinate's own)."""
        return self.app.connector.pool  # type: ignore[attr-defined]

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[psycopg.AsyncConnection]:
        """A connection in a transaction: rows and jobs written on it commit together."""
        async with self.pool.connection() as conn, conn.transaction():
            yield conn

    async def defer(self, kind: JobKind, args: Mapping[str, Any], *, lock: str | None = None,
                    queueing_lock: str | None = None,
                    connection: psycopg.AsyncConnection | None = None) -> int | None:
        """Enqueue one job; its id, or None when ``queueing_lock`` says one already waits.

        With ``connection`` the job is written in that connection's transaction (see
        :meth:`hand_over`); ``lock`` keeps two jobs with the same lock from running at once.
        """
        deferrer = configure_task(name=kind.value, job_manager=self.app.job_manager,
                                  lock=lock, queueing_lock=queueing_lock,
                                  task_kwargs=dict(args))
        deferrer.connection = connection
        try:
            if connection is None:
                return await deferrer.defer_async()
            # A savepoint: a job refused by its queueing lock leaves the caller's transaction
            # usable (a failed statement would abort all of it).
            async with connection.transaction():
                return await deferrer.defer_async()
        except queue_errors.AlreadyEnqueued:
            return None

    async def hand_over(self, table: str, row: Mapping[str, Any], kind: JobKind,
                        args: Mapping[str, Any], *, lock: str | None = None) -> int | None:
        """Insert ``row`` into ``table`` and enqueue the job that answers it, in one
        transaction; the job's id is stored in the row's ``job_id``. A row that exists
        already (the same interaction delivered twice) enqueues nothing: None."""
        columns = list(row)
        names = ", ".join(f'"{c}"' for c in columns)
        marks = ", ".join(["%s"] * len(columns))
        async with self.transaction() as conn:
            cursor = await conn.execute(
                f'insert into "{table}" ({names}) values ({marks}) '  # noqa: S608 - our names
                "on conflict do nothing returning 1", [row[c] for c in columns])
            if await cursor.fetchone() is None:
                return None
            job_id = await self.defer(kind, args, lock=lock, connection=conn)
            key = columns[0]
            await conn.execute(f'update "{table}" set job_id = %s where "{key}" = %s',  # noqa: S608
                               (job_id, row[key]))
            return job_id

    async def hand_over_update(self, table: str, row_id: int, changes: Mapping[str, Any],
                               expect: Mapping[str, Any], kind: JobKind,
                               args: Mapping[str, Any], *, lock: str | None = None,
                               queueing_lock: str | None = None) -> int | None:
        """Change the row ``row_id`` of ``table`` while its columns are still as in ``expect``
        and enqueue the job that works on it, in one transaction; the job's id is stored in
        the row's ``job_id``. None, and nothing changed, when the row is not as expected (it
        was handed over already) or ``queueing_lock`` says such a job waits already."""
        sets = ", ".join(f'"{c}" = %s' for c in changes)
        wheres = "".join(f' and "{c}" = %s' for c in expect)
        async with self.pool.connection() as conn, conn.transaction():
            cursor = await conn.execute(
                f'update "{table}" set {sets} where id = %s{wheres} returning 1',  # noqa: S608
                [*changes.values(), row_id, *expect.values()])
            if await cursor.fetchone() is None:
                return None
            job_id = await self.defer(kind, args, lock=lock, queueing_lock=queueing_lock,
                                      connection=conn)
            if job_id is None:
                raise psycopg.Rollback()  # leaves the row as it was
            await conn.execute(f'update "{table}" set job_id = %s where id = %s',  # noqa: S608
                               (job_id, row_id))
            return job_id
        return None  # rolled back

    async def counts(self, stalled_after: float = 30.0) -> JobCounts:
        """How many jobs wait, run, failed and succeeded, per task; live workers."""
        async with self.pool.connection() as conn:
            rows = await (await conn.execute(
                "select task_name, status::text, scheduled_at > now() as later, count(*) "
                "from procrastinate_jobs group by 1, 2, 3")).fetchall()
            workers = (await (await conn.execute(
                "select count(*) from procrastinate_workers where last_heartbeat > now() - "
                "make_interval(secs => %s)", (stalled_after,))).fetchone())[0]
            oldest = (await (await conn.execute(
                "select extract(epoch from now() - min(coalesce(j.scheduled_at, e.at))) "
                "from procrastinate_jobs j left join procrastinate_events e "
                "on e.job_id = j.id and e.type = 'deferred' where j.status = 'todo' "
                "and (j.scheduled_at is null or j.scheduled_at <= now())")).fetchone())[0]
        return counts_of(rows, int(workers), None if oldest is None else float(oldest))


def counts_of(rows: list[tuple[str, str, bool | None, int]], workers: int,
              oldest: float | None) -> JobCounts:
    """:class:`JobCounts` from ``(task, status, due later, count)`` rows."""
    by_task: dict[str, dict[str, int]] = {}
    totals = {"waiting": 0, "scheduled": 0, "running": 0, "failed": 0, "succeeded": 0}
    for task, status, later, count in rows:
        by_task.setdefault(task, {}).setdefault(status, 0)
        by_task[task][status] += count
        if status == "todo":
            totals["scheduled" if later else "waiting"] += count
        elif status == "doing":
            totals["running"] += count
        elif status in ("failed", "succeeded"):
            totals[status] += count
    return JobCounts(**totals, by_task=by_task, workers=workers, oldest_waiting_s=oldest)


"""What gateways, schedulers and feed polls hand to the workers: a check for an
interaction, the wake-ups of the schedule, and each feed entry to ingest. Each with the locks
that keep the queue from doing a thing twice.
"""

from __future__ import annotations

import hashlib
from typing import Any

from bot.jobs.interactions import TABLE, CheckRequest, PendingInteraction
from bot.jobs.queue import JobKind, JobQueue
from bot.store.feeds import EntryStatus

POLL_LOCK = "parallax:poll-feeds"
DIGEST_LOCK = "parallax:digests"  # every digest job: one at a time, so none posts twice


async def hand_over_check(queue: JobQueue, pending: PendingInteraction,
                          request: CheckRequest) -> int | None:
    """Record the interaction and enqueue its check in one transaction; the job's id, or
    None when this interaction was handed over already (Discord delivered it twice)."""
    return await queue.hand_over(TABLE, pending.row(), JobKind.CHECK,
                                 request.args(pending.interaction_id))


async def wake(queue: JobQueue, kind: JobKind, args: dict[str, Any] | None = None) -> int | None:
    """Enqueue a scheduled job unless the same one already waits (any number of schedulers
    may call this at the same moment: a queueing lock lets one job wait); its id or None."""
    if kind is JobKind.POLL_FEEDS:
        lock = queueing = POLL_LOCK
    elif kind is JobKind.POST_DIGEST:
        lock, queueing = DIGEST_LOCK, f"{DIGEST_LOCK}:{(args or {})['subscription_id']}"
    elif kind in (JobKind.DUE_DIGESTS, JobKind.RESUME_DIGESTS):
        lock, queueing = DIGEST_LOCK, f"{DIGEST_LOCK}:{kind.value}"
    else:
        raise ValueError(f"{kind} is not a scheduled job")
    return await queue.defer(kind, args or {}, lock=lock, queueing_lock=queueing)


def entry_lock(entry_id: int) -> str:
    """The queueing lock of one entry's job: never two of them waiting."""
    return f"parallax:entry:{entry_id}"


def link_lock(entry: dict) -> str:
    """The lock of an entry's job: entries of one link (in two feeds, say) never run at once,
    so the second finds the article the first stored instead of checking it again."""
    link = entry.get("canonical_link") or entry.get("link")
    if not link:
        return entry_lock(int(entry["id"]))
    return "parallax:link:" + hashlib.sha256(link.encode()).hexdigest()[:24]


async def hand_over_entry(queue: JobQueue, entry: dict) -> int | None:
    """Mark a waiting entry (pending, or incomplete and due again) queued and enqueue its job,
    in one transaction; the job's id, or None when it was handed over already."""
    return await queue.hand_over_update(
        "feed_entries", int(entry["id"]), {"status": EntryStatus.QUEUED.value},
        {"status": entry["status"]}, JobKind.FEED_ENTRY, {"entry_id": int(entry["id"])},
        lock=link_lock(entry), queueing_lock=entry_lock(int(entry["id"])))


async def hand_over_entries(queue: JobQueue, entries: list[dict]) -> int:
    """Hand each entry over as a job of its own; how many were."""
    handed = 0
    for entry in entries:
        if await hand_over_entry(queue, entry) is not None:
            handed += 1
    return handed


async def release_orphans(queue: JobQueue, feed_id: int) -> list[int]:
    """Entries of ``feed_id`` left queued with no job to run them (it failed for good, or
    was deleted): pending again, for this poll to hand over anew; their ids. A job that is
    waiting or running (a stalled one included: it is run again) keeps its entry."""
    async with queue.pool.connection() as conn:
        rows = await (await conn.execute(
            "update feed_entries e set status = %s, job_id = null "
            "where e.feed_id = %s and e.status = %s and not exists (select 1 from "
            "procrastinate_jobs j where j.id = e.job_id and j.status in ('todo', 'doing')) "
            "returning e.id",
            (EntryStatus.PENDING.value, feed_id, EntryStatus.QUEUED.value))).fetchall()
    return [int(r[0]) for r in rows]

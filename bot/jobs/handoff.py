"""What gateways and schedulers hand to the workers: a check for an interaction, and the
wake-ups of the schedule. Each with the locks that keep the queue from doing a thing twice.
"""

from __future__ import annotations

from typing import Any

from bot.jobs.interactions import TABLE, CheckRequest, PendingInteraction
from bot.jobs.queue import JobKind, JobQueue

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

"""The job queue's state as text (``parallax status``) and JSON."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Protocol


class Counts(Protocol):
    """What :class:`bot.jobs.queue.JobCounts` holds (present does not import the queue)."""

    waiting: int
    scheduled: int
    running: int
    failed: int
    succeeded: int
    by_task: dict
    workers: int
    oldest_waiting_s: float | None


def status_lines(counts: Counts) -> list[str]:
    """A few lines: the totals, the oldest waiting job, then one line per task."""
    oldest = ("" if counts.oldest_waiting_s is None
              else f" (oldest waiting {counts.oldest_waiting_s:.0f} s)")
    lines = [f"workers alive: {counts.workers}",
             f"queue: {counts.waiting} waiting{oldest}, {counts.scheduled} scheduled for a "
             f"retry, {counts.running} in progress, {counts.failed} failed, "
             f"{counts.succeeded} done"]
    for task, statuses in sorted(counts.by_task.items()):
        shown = ", ".join(f"{status} {n}" for status, n in sorted(statuses.items()))
        lines.append(f"  {task}: {shown}")
    return lines


def status_json(counts: Counts) -> str:
    """The same as JSON."""
    return json.dumps(asdict(counts), indent=2, sort_keys=True)  # type: ignore[call-overload]

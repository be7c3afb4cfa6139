"""The interactions gateways hand to workers: one row each in ``parallax_interactions``.

A gateway writes the row (and the job that answers it, :meth:`JobQueue.hand_over`) after
deferring; the worker reads it, answers through the token, and records how far it got, so
that a retried job sends neither the answer's follow-ups nor the answer itself twice.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the gateway's cogs import this module; procrastinate loads with the queue
    from bot.jobs.queue import JobQueue

TABLE = "parallax_interactions"
# Interaction tokens live 15 minutes (Discord); past 14, answer through the channel.
TOKEN_LIFETIME = timedelta(minutes=14)


@dataclass(frozen=True)
class PendingInteraction:
    """What a worker needs to answer an interaction without the gateway."""

    interaction_id: str
    application_id: str
    token: str | None
    channel_id: str
    guild_id: str | None
    locale: str
    created_at: datetime
    original_message_id: str | None = None
    followups_sent: int = 0
    answered_at: datetime | None = None

    def fresh(self, now: datetime | None = None) -> bool:
        """Whether the token can still be used (and has not been cleared)."""
        moment = now or datetime.now(UTC)
        return self.token is not None and moment - self.created_at < TOKEN_LIFETIME

    def row(self) -> dict[str, Any]:
        """The columns a gateway inserts."""
        return {"interaction_id": self.interaction_id, "application_id": self.application_id,
                "token": self.token, "channel_id": self.channel_id, "guild_id": self.guild_id,
                "locale": self.locale, "original_message_id": self.original_message_id,
                "created_at": self.created_at}


@dataclass(frozen=True)
class CheckRequest:
    """A /check or /summarize as the worker will run it."""

    source: str  # a URL (an attachment's too), or the pasted text
    is_text: bool
    languages: list[str]
    summaries_only: bool
    guild_locale: str = "en"  # moderators' cards are written in the server's language

    def args(self, interaction_id: str) -> dict[str, Any]:
        """The job's arguments."""
        return {"interaction_id": interaction_id, **asdict(self)}


_COLUMNS = ("interaction_id", "application_id", "token", "channel_id", "guild_id", "locale",
            "created_at", "original_message_id", "followups_sent", "answered_at")


async def load(queue: JobQueue, interaction_id: str) -> PendingInteraction | None:
    """The row of ``interaction_id``, or None."""
    async with queue.pool.connection() as conn:
        found = await (await conn.execute(
            f"select {', '.join(_COLUMNS)} from {TABLE} where interaction_id = %s",  # noqa: S608
            (interaction_id,))).fetchone()
    return None if found is None else PendingInteraction(*found)


async def followups_sent(queue: JobQueue, interaction_id: str, count: int) -> None:
    """Remember that the first ``count`` follow-ups are out."""
    async with queue.pool.connection() as conn:
        await conn.execute(f"update {TABLE} set followups_sent = greatest(followups_sent, %s) "  # noqa: S608
                           "where interaction_id = %s", (count, interaction_id))


async def answered(queue: JobQueue, interaction_id: str, via: str) -> None:
    """The answer is out (``via`` "webhook" or "channel"); the token is forgotten."""
    async with queue.pool.connection() as conn:
        await conn.execute(f"update {TABLE} set answered_at = now(), answered_via = %s, "  # noqa: S608
                           "token = null where interaction_id = %s and answered_at is null",
                           (via, interaction_id))


async def unanswered(queue: JobQueue, older_than: float = 0.0) -> int:
    """How many handed-over interactions have no answer yet (``older_than`` seconds old)."""
    async with queue.pool.connection() as conn:
        found = await (await conn.execute(
            f"select count(*) from {TABLE} where answered_at is null "  # noqa: S608
            "and created_at < now() - make_interval(secs => %s)", (older_than,))).fetchone()
    return int(found[0])

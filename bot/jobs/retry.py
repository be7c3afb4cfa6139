"""When a failed job runs again: exponential backoff with a cap, for transient failures only.

A transient failure is one that another attempt can cure: Discord or a model server
unreachable, the database busy. A user's mistake (a bad URL, an article too large, the
server's budget spent) is not retried: the task answers it once instead. A job cut short by
a worker's graceful shutdown goes back to the queue at once, its attempt not held against it
by the backoff.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from procrastinate import BaseRetryStrategy, RetryDecision
from procrastinate.exceptions import JobAborted
from procrastinate.jobs import Job

from bot.errors import InputError, LimitError, ParallaxError

# Errors that are the user's or the operator's: another attempt would fail the same way.
PERMANENT: tuple[type[BaseException], ...] = (InputError, LimitError)


@dataclass(frozen=True)
class CappedBackoff(BaseRetryStrategy):
    """``base · 2**attempt`` seconds between attempts, at most ``cap``, ``max_attempts`` runs
    in all (the first one included)."""

    max_attempts: int = 6
    base: float = 2.0
    cap: float = 300.0

    def delay(self, attempts: int) -> float:
        """Seconds to wait after the ``attempts``-th failed attempt (0 for the first)."""
        return min(self.cap, self.base * 2 ** max(0, attempts))

    def get_retry_decision(self, *, exception: BaseException, job: Job) -> RetryDecision | None:
        """Back to the queue now after a shutdown; later after a transient failure; never
        after a permanent one or once the attempts are spent."""
        if isinstance(exception, asyncio.CancelledError | JobAborted):
            return RetryDecision(retry_in={"seconds": 0})  # a drained worker: run elsewhere
        if isinstance(exception, PERMANENT) or not is_transient(exception):
            return None
        if job.attempts + 1 >= self.max_attempts:
            return None
        return RetryDecision(retry_in={"seconds": self.delay(job.attempts)})

    def last_attempt(self, job: Job) -> bool:
        """Whether a failure of this run of ``job`` would not be retried."""
        return job.attempts + 1 >= self.max_attempts


def is_transient(exception: BaseException) -> bool:
    """Whether another attempt may succeed: our errors other than the permanent ones, the
    network and the database (OSError covers connection resets and timeouts)."""
    if isinstance(exception, PERMANENT):
        return False
    if isinstance(exception, ParallaxError | OSError | TimeoutError):
        return True
    # psycopg's OperationalError (server gone, connection lost) without importing psycopg here.
    return type(exception).__name__ in {"OperationalError", "PoolTimeout", "ConnectorException"}


RETRY = CappedBackoff()

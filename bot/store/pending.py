"""Rows written in the background: queued on the store's thread, awaited all at once."""

from __future__ import annotations

import asyncio
import logging

log = logging.getLogger("parallax.store")


async def settle(writes: list[asyncio.Future[None]], raise_errors: bool, what: str) -> None:
    """Wait for every queued write; raise the first failure if asked, else log each one.

    Not raising is for the path where another error is being reported: the failed row is then
    kept in the log rather than lost silently. ``what`` names the rows ("check 1a2b ledger").
    """
    outcomes = await asyncio.gather(*writes, return_exceptions=True)
    failures = [outcome for outcome in outcomes if isinstance(outcome, BaseException)]
    if failures and raise_errors:
        raise failures[0]
    for failure in failures:
        log.warning("%s: a row was not written: %s", what, failure)

"""The searches and fetches of one check, each written to the ledger as it ends."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field, replace

from bot.store import Store
from bot.store.pending import settle
from bot.store.sources import SourceCall, record_source_calls


@dataclass
class SourceLog:
    """Queues one ledger row per search and per fetch, like the model calls' ``CallLog``.

    Rows are written on the store's thread in short transactions of their own, so the ledger
    keeps what was asked even of a check that is killed before it is stored; :meth:`flush`
    waits for them. The rows of one turn of the event loop (a check's dozen searches answer
    together) share one transaction. ``searches`` and ``fetches`` count what was really asked
    (cache hits are no rows: nothing was asked).
    """

    store: Store
    check_id: str
    guild_id: str | None = None
    searches: int = 0
    fetches: int = 0
    _writes: list[asyncio.Future[None]] = field(default_factory=list, init=False, repr=False)
    _queued: list[SourceCall] = field(default_factory=list, init=False, repr=False)

    def record(self, call: SourceCall) -> None:
        """Queue ``call``'s row (not awaited: the stage goes on while it is written)."""
        if call.kind == "search":
            self.searches += 1
        else:
            self.fetches += 1
        if self.guild_id is not None and call.guild_id is None:
            call = replace(call, guild_id=self.guild_id)
        if not self._queued:
            asyncio.get_running_loop().call_soon(self._send)  # once this turn's rows are in
        self._queued.append(call)

    def _send(self) -> None:
        calls, self._queued = self._queued, []
        if calls:
            self._writes.append(self.store.submit(record_source_calls, calls))

    async def flush(self, raise_errors: bool = True) -> None:
        """Wait until every row queued so far is written; raise the first failure if asked."""
        self._send()
        writes, self._writes = self._writes, []
        await settle(writes, raise_errors, f"check {self.check_id} search ledger")

"""The search ledger of one check: rows written as they come, one transaction per turn."""

from __future__ import annotations

import asyncio

from bot.evidence.ledger import SourceLog
from bot.store import Store
from bot.store.sources import SourceCall


async def test_the_rows_of_one_turn_share_one_write_and_flush_sends_the_rest(tmp_path):
    async with Store(tmp_path / "p.db") as store:
        jobs = []
        submit = store.submit

        def counted(fn, *args, **kwargs):
            if fn.__name__ == "record_source_calls":
                jobs.append(len(args[0]))
            return submit(fn, *args, **kwargs)

        store.submit = counted
        log = SourceLog(store, "c1", guild_id="g")
        for n in range(3):
            log.record(SourceCall("c1", "search", "archive", "ok", 1, query=f"q{n}"))
        await asyncio.sleep(0)  # the turn ends: its rows go as one write
        log.record(SourceCall("c1", "fetch", "web", "ok", 2, url="https://a.example/"))
        await log.flush()  # the last row was not sent yet: flush sends it, then waits
        rows = await store.run(lambda db: db.execute(
            "select kind, query, guild_id from source_calls order by rowid").fetchall())
    assert jobs == [3, 1]
    assert rows == [("search", "q0", "g"), ("search", "q1", "g"), ("search", "q2", "g"),
                    ("fetch", None, "g")]
    assert (log.searches, log.fetches) == (3, 1)

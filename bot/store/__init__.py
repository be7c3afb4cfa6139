"""SQLite through sqlite-utils. One dedicated thread owns the connection; async code awaits it.

The modules beside this one hold plain synchronous functions that take the
``sqlite_utils.Database``; :meth:`Store.run` runs them on the store's own thread.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from sqlite_utils import Database

from bot.errors import StoreError
from bot.store.migrations import migrations

T = TypeVar("T")


def now() -> str:
    """The current UTC time as ISO 8601, the format of every timestamp in the store."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def insert_rows(db: Database, table: str, rows: Iterable[dict[str, Any]]) -> None:
    """Insert plain rows with one prepared statement.

    The hot path of every check: sqlite-utils' ``insert_all`` inspects the table on each
    call, which cost more than the inserts themselves.
    """
    rows = list(rows)
    if not rows:
        return
    columns = list(rows[0])
    names = ", ".join(f'"{c}"' for c in columns)
    marks = ", ".join("?" for _ in columns)
    db.conn.executemany(f'insert into "{table}" ({names}) values ({marks})',  # noqa: S608
                        [[row[c] for c in columns] for row in rows])


def open_database(path: str | Path) -> Database:
    """Open (creating if needed) and migrate the database at ``path``; ``:memory:`` works."""
    try:
        if str(path) == ":memory:":
            db = Database(memory=True)
        else:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            db = Database(path)
            db.enable_wal()
        db.execute("PRAGMA foreign_keys = ON")
        db.execute("PRAGMA busy_timeout = 5000")
        # In WAL mode NORMAL cannot corrupt the database; it may lose the last commits on a
        # power cut (not on a crash), and it saves an fsync per transaction.
        db.execute("PRAGMA synchronous = NORMAL")
        migrations.apply(db)
    except (sqlite3.Error, OSError) as exc:
        raise StoreError(f"cannot open the database {path}: {exc}") from None
    return db


class Store:
    """The database behind a single-thread executor: sqlite objects stay on their thread."""

    def __init__(self, path: str | Path) -> None:
        self.path = path
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="parallax-db")
        self._db: Database | None = None

    async def open(self) -> Store:
        """Open and migrate the database on the store's thread."""
        self._db = await self._submit(open_database, self.path)
        return self

    async def run(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run ``fn(db, *args, **kwargs)`` on the store's thread and await its result."""
        if self._db is None:
            raise StoreError("the store is not open")
        try:
            return await self._submit(fn, self._db, *args, **kwargs)
        except sqlite3.Error as exc:
            raise StoreError(f"database error: {exc}") from None

    async def close(self) -> None:
        """Close the connection and stop the thread."""
        if self._db is not None:
            await self._submit(self._db.close)
            self._db = None
        self._executor.shutdown(wait=True)

    async def __aenter__(self) -> Store:
        return await self.open()

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def _submit(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, partial(fn, *args, **kwargs))

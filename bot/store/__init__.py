"""The store: SQLite through sqlite-utils by default, Postgres when the database is a URL.

``database`` is a path (SQLite, :mod:`bot.store.sqlite`) or a ``postgresql://`` URL
(Postgres, :mod:`bot.store.postgres`). The modules beside this one hold plain synchronous
functions ``fn(db, *args)`` written once against :class:`bot.store.connection.Db`;
:meth:`Store.run` runs them on the store's threads and awaits the result.

- SQLite: one dedicated thread owns the connection, jobs run one at a time in the order
  they were queued (sqlite objects stay on their thread, and SQLite has one writer anyway).
- Postgres: :data:`~bot.store.postgres.POOL_SIZE` threads, each job with a connection of
  psycopg's pool; jobs run side by side, so a job that must see another's writes awaits it.
  Why threads and synchronous functions rather than psycopg's async API: one set of store
  functions for both backends (see :mod:`bot.store.postgres`).

Either way a function that fails leaves no transaction open, and every database error reaches
the caller as a :class:`~bot.errors.StoreError` with a one-line reason.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from bot.errors import StoreError
from bot.store.connection import Db, Dialect, dialect_of, insert_rows
from bot.store.sqlite import BUSY_TIMEOUT_MS, open_database, store_error

__all__ = ["BUSY_TIMEOUT_MS", "Db", "Dialect", "Store", "insert_rows", "iso", "now",
           "open_database", "store_error"]

T = TypeVar("T")


def iso(moment: datetime) -> str:
    """``moment`` as ISO 8601 to the second, the format of every timestamp in the store."""
    return moment.isoformat(timespec="seconds")


def now() -> str:
    """The current UTC time, formatted as :func:`iso`."""
    return iso(datetime.now(UTC))


class Store:
    """The database behind the store's threads (see the module's docstring)."""

    def __init__(self, path: str | Path, create: bool = True) -> None:
        self.path = path  # a file path, or a postgresql:// URL
        self.create = create  # False: a missing SQLite file is refused, not created
        self.dialect = dialect_of(path)
        # psycopg is imported only for Postgres: SQLite's start-up does not pay for it.
        if self.dialect is Dialect.SQLITE:
            from bot.store.sqlite import guarded
            workers = 1
        else:
            from bot.store.postgres import POOL_SIZE, guarded  # type: ignore[assignment]
            workers = POOL_SIZE
        self._guarded = guarded
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="parallax-db")
        self._db: Any = None  # the SQLite Database, or the Postgres connection pool

    async def open(self) -> Store:
        """Open (and migrate) the database."""
        try:
            if self.dialect is Dialect.SQLITE:
                self._db = await self._submit(open_database, self.path, self.create)
            else:
                from bot.store.postgres import open_pool

                self._db = await self._submit(open_pool, str(self.path))
        except BaseException:  # not opened: nothing to close, but the threads must stop
            self._executor.shutdown(wait=True)
            raise
        return self

    async def run(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run ``fn(db, *args, **kwargs)`` on the store's threads and await its result."""
        return await self.submit(fn, *args, **kwargs)

    def submit(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> asyncio.Future[T]:
        """Queue ``fn(db, *args, **kwargs)`` now; await the result later.

        On SQLite jobs run one at a time in the order they were queued, so a job queued after
        this one sees its writes; on Postgres they run side by side. A database error comes
        out of the future as a StoreError.
        """
        if self._db is None:
            raise StoreError("the store is not open")
        loop = asyncio.get_running_loop()
        job = partial(self._guarded, fn, self._db, self.path, *args, **kwargs)
        return loop.run_in_executor(self._executor, job)

    async def close(self) -> None:
        """Close the connection (or the pool) and stop the threads."""
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

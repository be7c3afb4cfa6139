"""The Postgres implementation of the store's connection: psycopg 3 and its connection pool.

The store functions stay synchronous and are shared with SQLite: one set of functions, each
written once against :class:`bot.store.connection.Db`, rather than an async copy of every
one for Postgres. They run on the store's threads, each job with a connection of psycopg's
(sync) :class:`~psycopg_pool.ConnectionPool`; the event loop awaits them exactly as it awaits
SQLite's thread. A job is a few short statements, so a thread per connection costs nothing
that matters beside the seconds of model calls a check waits for, and the store needs no
second, async vocabulary. (The job queue that comes next brings its own async connection to
the same database; a store function enqueues in the caller's transaction by calling the
queue's SQL function through ``db.execute``.)

Connections are in autocommit mode: a statement outside ``atomic()`` is its own transaction,
``atomic()`` is ``BEGIN`` … ``COMMIT`` (savepoints when nested), and a job that fails inside
it is rolled back. SQL arrives with ``?`` placeholders and is translated once per statement.
Every psycopg error, and a pool that cannot hand out a connection in time, becomes a
:class:`~bot.errors.StoreError` with one line naming the problem and the server (never its
password): connection refused, login refused, no such database, disk full, lost connection.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, TypeVar

import psycopg
from psycopg import conninfo, errors
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool, PoolTimeout

from bot.errors import StoreError
from bot.store.connection import Dialect

T = TypeVar("T")
CONNECT_TIMEOUT_S = 10  # a server that does not answer
POOL_WAIT_S = 30.0  # a job waiting for a free connection (every one busy, or the server down)
LOCK_TIMEOUT_MS = 30_000  # a row or advisory lock held by another process (SQLite: 5 s)
POOL_SIZE = 4  # connections per process: also the store's threads


@functools.lru_cache(maxsize=1024)
def _translated(sql: str) -> str:
    """``sql`` with ``?`` placeholders as psycopg's ``%s`` (``%`` doubled, as psycopg wants)."""
    out: list[str] = []
    quote = ""
    for char in sql:
        if char == "%":
            out.append("%%")
        elif quote:
            out.append(char)
            if char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
            out.append(char)
        else:
            out.append("%s" if char == "?" else char)
    return "".join(out)


class PostgresDb:
    """One pooled psycopg connection as a :class:`~bot.store.connection.Db`."""

    dialect = Dialect.POSTGRES
    IntegrityError = psycopg.IntegrityError  # what a broken constraint raises here

    def __init__(self, conn: psycopg.Connection[Any]) -> None:
        self.conn = conn

    def execute(self, sql: str, parameters: Sequence[Any] | None = None) -> psycopg.Cursor[Any]:
        """Run one statement with ``?`` placeholders; a cursor of tuples."""
        if not parameters:  # no parameters: psycopg reads the text as it is, % included
            return self.conn.execute(sql.encode())
        return self.conn.execute(_translated(sql), parameters)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        """Run one statement once per row of parameters (pipelined by psycopg)."""
        with self.conn.cursor() as cursor:
            cursor.executemany(_translated(sql), rows)

    def query(self, sql: str, parameters: Sequence[Any] | None = None) -> Iterator[dict]:
        """Rows of a ``select`` as dicts."""
        cursor = self.conn.cursor(row_factory=dict_row)
        if parameters:
            cursor.execute(_translated(sql), parameters)
        else:
            cursor.execute(sql.encode())
        yield from cursor.fetchall()

    @contextlib.contextmanager
    def atomic(self) -> Iterator[PostgresDb]:
        """A transaction; a savepoint inside another."""
        with self.conn.transaction():
            yield self

    def lock(self, *key: object) -> None:
        """Wait for, then hold until the transaction ends, the advisory lock of ``key``."""
        if self.conn.info.transaction_status != psycopg.pq.TransactionStatus.INTRANS:
            raise RuntimeError("Db.lock() outside a transaction would be released at once")
        text = "\x1f".join(str(part) for part in key)
        self.conn.execute("select pg_advisory_xact_lock(hashtextextended(%s, 0))", [text])

    def table_names(self) -> list[str]:
        """The tables of the current schema."""
        return [row[0] for row in self.conn.execute(
            "select tablename from pg_tables where schemaname = current_schema() "
            "order by tablename").fetchall()]


def describe(url: str) -> str:
    """The server and database ``url`` names, without its password (for messages)."""
    try:
        info = conninfo.conninfo_to_dict(url)
    except psycopg.Error:
        return "postgresql://…"
    user = f"{info['user']}@" if info.get("user") else ""
    port = f":{info['port']}" if info.get("port") else ""
    return f"postgresql://{user}{info.get('host') or 'localhost'}{port}/{info.get('dbname', '')}"


def store_error(exc: BaseException, url: str) -> StoreError:
    """A psycopg (or pool) error on the database at ``url`` as one line naming the problem."""
    where = describe(url)
    text = " ".join(str(exc).split()) or exc.__class__.__name__
    lowered = text.lower()
    state = getattr(exc, "sqlstate", None) or ""
    if isinstance(exc, PoolTimeout):
        return StoreError(f"no connection to the database {where} within {POOL_WAIT_S:g} s: "
                          "the server is down or every connection is busy; nothing was written")
    if isinstance(exc, errors.InvalidCatalogName) or (
            "database" in lowered and "does not exist" in lowered):
        return StoreError(f"no database at {where}: create it first (createdb), or correct "
                          f"the URL ({text})")
    if state.startswith("28") or any(s in lowered for s in (
            "password authentication failed", "no pg_hba.conf entry", 'role "',
            "password supplied", "authentication failed")):
        return StoreError(f"the database server refused the login to {where} ({text})")
    if isinstance(exc, errors.DiskFull) or "no space left" in lowered:
        return StoreError(f"disk full on the database server {where} ({text}); nothing was "
                          "written, free some space and try again")
    if isinstance(exc, errors.TooManyConnections):
        return StoreError(f"the database server {where} has no connection left ({text})")
    if isinstance(exc, errors.LockNotAvailable):
        return StoreError(f"database is locked: another process held a lock on {where} for "
                          f"{LOCK_TIMEOUT_MS // 1000} s; nothing was written, try again")
    if isinstance(exc, errors.SerializationFailure | errors.DeadlockDetected):
        return StoreError(f"a concurrent write conflicted on {where} ({text}); nothing was "
                          "written, try again")
    if isinstance(exc, errors.ReadOnlySqlTransaction):
        return StoreError(f"the database {where} is read-only ({text})")
    if isinstance(exc, psycopg.OperationalError) or state.startswith(("08", "57")):
        return StoreError(f"cannot reach the database server {where}: {text}")
    return StoreError(f"database error on {where}: {text}")


def _connect_kwargs(lock_timeout: bool = True) -> dict[str, Any]:
    options = f"-c lock_timeout={LOCK_TIMEOUT_MS}" if lock_timeout else ""
    return {"autocommit": True, "connect_timeout": CONNECT_TIMEOUT_S, "options": options,
            "application_name": "parallax"}


def open_pool(url: str, size: int = POOL_SIZE) -> ConnectionPool:
    """Connect to ``url``, apply the pending migrations, and return an open pool.

    The first connection is made directly, not by the pool, so that a refused connection or
    login is reported as itself instead of as a pool that timed out.
    """
    from bot.store.pg_migrations import apply

    try:
        # The migrations wait as long as another process migrating needs: no lock timeout.
        with psycopg.connect(url, **_connect_kwargs(lock_timeout=False)) as conn:
            apply(PostgresDb(conn))
        pool = ConnectionPool(url, min_size=1, max_size=size, kwargs=_connect_kwargs(),
                              timeout=POOL_WAIT_S, open=False, name="parallax-store",
                              check=ConnectionPool.check_connection)
        pool.open(wait=True, timeout=CONNECT_TIMEOUT_S)
    except (psycopg.Error, PoolTimeout) as exc:
        raise store_error(exc, url) from None
    return pool


def guarded(fn: Callable[..., T], pool: ConnectionPool, url: str, *args: Any,
            **kwargs: Any) -> T:
    """Run ``fn`` with a pooled connection; a database error comes out as a StoreError.

    A transaction the job opened is rolled back by ``atomic()`` when the job fails.
    """
    try:
        with pool.connection() as conn:
            return fn(PostgresDb(conn), *args, **kwargs)
    except (psycopg.Error, PoolTimeout) as exc:
        raise store_error(exc, url) from None

"""The SQLite implementation of the store's connection: sqlite-utils, WAL, one writer at a time.

:class:`SqliteDb` is sqlite-utils' ``Database`` with the few methods of
:class:`bot.store.connection.Db` it lacks, so that every store function runs on it unchanged
and as fast as before (``execute`` and ``query`` are sqlite-utils' own).

Every write transaction starts with ``BEGIN IMMEDIATE``: it takes the write lock first, waiting
up to :data:`BUSY_TIMEOUT_MS` for another process to finish, instead of failing at once when a
read turns into a write. A function that fails leaves no transaction open (it is rolled back),
and every sqlite error reaches the caller as a :class:`StoreError` with a one-line reason that
names the problem: the database locked by another process, the disk full, a read-only file.
"""

from __future__ import annotations

import contextlib
import errno
import shutil
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

from sqlite_utils import Database

from bot.errors import InputError, StoreError
from bot.store.connection import Dialect
from bot.store.migrations import migrations

T = TypeVar("T")
BUSY_TIMEOUT_MS = 5000  # how long a write waits for another process's lock before failing
# Primary result codes (https://sqlite.org/rescode.html); Python 3.11 exposes them on errors.
_BUSY, _LOCKED, _READONLY, _IOERR, _CORRUPT, _FULL, _CANTOPEN, _NOTADB = 5, 6, 8, 10, 11, 13, 14, 26


def store_error(exc: BaseException, path: str | Path, opening: bool = False) -> StoreError:
    """A sqlite (or OS) error on the database at ``path`` as one line that names the problem."""
    code = getattr(exc, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    text = " ".join(str(exc).split()) or exc.__class__.__name__
    if primary in (_BUSY, _LOCKED) or "database is locked" in text:
        return StoreError(
            f"database is locked: another process holds {path} (waited "
            f"{BUSY_TIMEOUT_MS // 1000} s); nothing was written, try again when it is done")
    full = primary == _FULL or (isinstance(exc, OSError) and exc.errno == errno.ENOSPC)
    # A full disk can also show as an I/O error (SQLite cannot grow its shared-memory file).
    if full or (primary == _IOERR and _no_space_left(path)):
        return StoreError(f"disk full: cannot write {path} ({text}); nothing was written, "
                          "free some space and try again")
    if primary == _READONLY:
        return StoreError(f"the database {path} is read-only ({text})")
    if primary in (_CORRUPT, _NOTADB):
        return StoreError(f"the database {path} is damaged or not a database ({text})")
    if primary == _IOERR:
        return StoreError(f"disk I/O error on the database {path} ({text}): the disk may be "
                          "full or failing")
    if opening or primary == _CANTOPEN:
        return StoreError(f"cannot open the database {path}: {text}")
    return StoreError(f"database error on {path}: {text}")


def _no_space_left(path: str | Path) -> bool:
    """Whether the file system holding ``path`` has (almost) no room left."""
    try:
        return shutil.disk_usage(Path(path).resolve().parent).free < 64 * 1024
    except OSError:
        return False


class SqliteDb(Database):
    """sqlite-utils' Database as a :class:`~bot.store.connection.Db`; its transactions take
    the write lock when they begin."""

    dialect = Dialect.SQLITE
    IntegrityError = sqlite3.IntegrityError  # what a broken constraint raises here
    archive_memory: Any = None
    """What bot.store.archive knows of this connection's index as of its last complete pass
    (its shape and the document frequencies read since), kept with the connection it is
    about. A connection belongs to one database and one store thread: no lock is needed."""

    @contextlib.contextmanager
    def atomic(self) -> Iterator[Database]:
        """A transaction that starts with ``BEGIN IMMEDIATE`` (savepoints when nested).

        A deferred ``BEGIN`` reads first and asks for the write lock later; when another
        process holds it then, SQLite fails at once ("database is locked") without waiting
        the busy timeout, because waiting could deadlock. Asking first makes it wait.
        """
        if self.conn.in_transaction:
            with super().atomic():
                yield self
            return
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self
        except BaseException:
            self.rollback()
            raise
        try:
            self.conn.execute("COMMIT")
        except BaseException:
            self.rollback()
            raise

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        """Run ``sql`` once per row of parameters, as one prepared statement."""
        self.conn.executemany(sql, rows)

    def lock(self, *key: object) -> None:
        """Nothing to do: a transaction here already excludes every other writer."""


def open_database(path: str | Path, create: bool = True) -> SqliteDb:
    """Open (creating if needed) and migrate the database at ``path``; ``:memory:`` works.

    With ``create=False`` (commands that only read or remove) a missing file is refused as
    bad input, ``no database at PATH``, and nothing is created: a mistyped path must not
    leave an empty database behind that the next command would read as "nothing stored".
    """
    db: SqliteDb | None = None
    if not create and str(path) != ":memory:" and not Path(path).is_file():
        raise InputError(f"no database at {path}")
    try:
        if str(path) == ":memory:":
            db = SqliteDb(memory=True)
        elif not create:
            # mode=rw: SQLite itself refuses to create it, should it vanish after the check.
            uri = Path(path).resolve().as_uri() + "?mode=rw"
            db = SqliteDb(sqlite3.connect(uri, uri=True))
        else:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            db = SqliteDb(path)
        # First: switching to WAL and migrating wait for another process's lock too.
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if str(path) != ":memory:":
            db.enable_wal()
        db.execute("PRAGMA foreign_keys = ON")
        # In WAL mode NORMAL cannot corrupt the database; it may lose the last commits on a
        # power cut (not on a crash), and it saves an fsync per transaction.
        db.execute("PRAGMA synchronous = NORMAL")
        # Under the write lock: processes opening a new file together must not each see the
        # migrations as pending and apply them twice ("table already exists").
        with db.atomic():
            migrations.apply(db)
    except (sqlite3.Error, OSError) as exc:
        if db is not None:
            with contextlib.suppress(sqlite3.Error):
                db.close()
        raise store_error(exc, path, opening=True) from None
    return db


def guarded(fn: Callable[..., T], db: SqliteDb, path: str | Path, *args: Any,
            **kwargs: Any) -> T:
    """Run ``fn`` on the store's thread; if it fails, roll back whatever it left open."""
    try:
        return fn(db, *args, **kwargs)
    except BaseException as exc:
        if db.conn.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                db.conn.rollback()
        if isinstance(exc, sqlite3.Error):  # OperationalError (locked, full), IntegrityError…
            raise store_error(exc, path) from None
        raise

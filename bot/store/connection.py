"""The connection every store function is written against, once, for SQLite and Postgres.

A store function is a plain synchronous ``fn(db, *args)``. ``db`` is a :class:`Db`: the
sqlite-utils ``Database`` of :mod:`bot.store.sqlite` or the psycopg connection wrapper of
:mod:`bot.store.postgres`. Both take SQL with ``?`` placeholders and answer with the same
shapes (``execute`` a cursor of tuples, ``query`` dicts), and ``atomic()`` is a transaction
(savepoints when nested). The SQL the two servers read differently is kept behind the named
helpers below, written in the syntax both accept (``ON CONFLICT``, ``RETURNING``), or behind
:class:`Dialect` for the one or two places where no common spelling exists.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol

POSTGRES_SCHEMES = ("postgresql://", "postgres://")


class Dialect(StrEnum):
    """Which server a :class:`Db` speaks to."""

    SQLITE = "sqlite"
    POSTGRES = "postgres"

    def string_agg(self, expression: str, separator: str) -> str:
        """SQL joining ``expression`` over a group with ``separator`` (a SQL string literal)."""
        name = "group_concat" if self is Dialect.SQLITE else "string_agg"
        return f"{name}({expression}, {separator})"


def dialect_of(database: str | Path) -> Dialect:
    """Postgres for a ``postgresql://`` URL, SQLite for anything else (a path)."""
    return Dialect.POSTGRES if is_postgres_url(database) else Dialect.SQLITE


def is_postgres_url(database: str | Path) -> bool:
    """Whether ``database`` names a Postgres server rather than a SQLite file."""
    return isinstance(database, str) and database.startswith(POSTGRES_SCHEMES)


class Cursor(Protocol):
    """What ``Db.execute`` returns: DB-API rows as tuples."""

    @property
    def rowcount(self) -> int: ...

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...


class Db(Protocol):
    """The connection a store function receives (see the module's docstring)."""

    dialect: Dialect

    def execute(self, sql: str, parameters: Sequence[Any] | None = None) -> Cursor:
        """Run one statement with ``?`` placeholders."""
        ...

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        """Run one statement once per row of parameters."""
        ...

    def query(self, sql: str, parameters: Sequence[Any] | None = None) -> Iterator[dict]:
        """Rows of a ``select`` as dicts, by column name."""
        ...

    def atomic(self) -> AbstractContextManager[Any]:
        """A write transaction (a savepoint inside another): all or nothing."""
        ...

    def lock(self, *key: object) -> None:
        """Serialize, until the transaction ends, every writer that names the same ``key``.

        A look-then-write ("is this check stored yet? if not, store it") is one step only if
        no other writer can look in between. SQLite has one writer at a time already (every
        transaction begins IMMEDIATE), so this does nothing there; Postgres takes a
        transaction-level advisory lock on the key.
        """
        ...

    def table_names(self) -> list[str]:
        """The tables of the store, the migrations' own and the index's included."""
        ...


def _marks(count: int) -> str:
    return ", ".join("?" * count)


def _columns(row: dict[str, Any]) -> str:
    return ", ".join(f'"{c}"' for c in row)


def insert_rows(db: Db, table: str, rows: Iterable[dict[str, Any]]) -> None:
    """Insert plain rows (all with the first row's keys) with one prepared statement.

    The hot path of every check: sqlite-utils' ``insert_all`` inspects the table on each
    call, which cost more than the inserts themselves.
    """
    rows = list(rows)
    if not rows:
        return
    columns = list(rows[0])
    db.executemany(f'insert into "{table}" ({_columns(rows[0])}) '  # noqa: S608 - our names
                   f"values ({_marks(len(columns))})",
                   [[row[c] for c in columns] for row in rows])


def insert(db: Db, table: str, row: dict[str, Any], returning: str = "id") -> Any:
    """Insert one row and return its ``returning`` column (the id the database gave it)."""
    cursor = db.execute(f'insert into "{table}" ({_columns(row)}) '  # noqa: S608
                        f'values ({_marks(len(row))}) returning "{returning}"', list(row.values()))
    return cursor.fetchone()[0]


def insert_ignore(db: Db, table: str, row: dict[str, Any], returning: str | None = None) -> Any:
    """Insert one row unless it collides with a unique key; True (or the ``returning``
    column) when it was inserted, False (or None) when a row with that key already exists.

    Two writers inserting the same key at once get one row and one True between them, on
    both servers: this is how a digest run, a review card and a feed entry are claimed once.
    """
    sql = (f'insert into "{table}" ({_columns(row)}) values ({_marks(len(row))}) '  # noqa: S608
           "on conflict do nothing")
    if returning is None:
        return db.execute(sql, list(row.values())).rowcount == 1
    found = db.execute(f'{sql} returning "{returning}"', list(row.values())).fetchone()
    return found[0] if found else None


def upsert(db: Db, table: str, row: dict[str, Any], key: Sequence[str]) -> None:
    """Insert one row, or update the row with the same ``key`` columns to these values."""
    others = [c for c in row if c not in key]
    action = ("do update set " + ", ".join(f'"{c}" = excluded."{c}"' for c in others)
              if others else "do nothing")
    db.execute(f'insert into "{table}" ({_columns(row)}) values ({_marks(len(row))}) '  # noqa: S608
               f"on conflict ({', '.join(key)}) {action}", list(row.values()))


def count(db: Db, table: str) -> int:
    """How many rows ``table`` has."""
    return int(db.execute(f'select count(*) from "{table}"').fetchone()[0])  # noqa: S608

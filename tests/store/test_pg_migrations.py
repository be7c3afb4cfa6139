"""The Postgres migrations: the SQLite schema, the same names, applied once by starters at once."""

from __future__ import annotations

import threading

import psycopg
import pytest

from bot.store import open_database
from bot.store.migrations import migrations
from bot.store.pg_migrations import applied, apply, pending
from bot.store.postgres import PostgresDb, open_pool
from tests.store.test_migrations import EXPECTED

# What Postgres has beside SQLite's columns: the insertion order SQLite's rowid gives, and
# the archive's searchable form of the same terms.
EXTRA = {"checks": ["rowid"], "review_cards": ["rowid"], "digest_items": ["rowid"],
         "archive_terms": ["length", "lexemes"]}


def connect(url: str) -> PostgresDb:
    return PostgresDb(psycopg.connect(url, autocommit=True))


@pytest.fixture
def blank(postgres_server):
    """A database no migration has touched."""
    url = postgres_server.database(migrated=False)
    yield url
    postgres_server.cluster.drop_database(url)


def test_postgres_has_the_sqlite_tables_and_columns(postgres_url):
    db = connect(postgres_url)
    assert set(db.table_names()) == {*EXPECTED, "_parallax_migrations"}
    for table, columns in EXPECTED.items():
        found = [r[0] for r in db.execute(
            "select column_name from information_schema.columns where table_name = ? "
            "order by ordinal_position", [table]).fetchall()]
        assert [c for c in found if c not in EXTRA.get(table, [])] == columns, table
        assert sorted(set(found) - set(columns)) == sorted(EXTRA.get(table, [])), table
    db.conn.close()


def test_the_same_migrations_by_name_and_idempotent(tmp_path, postgres_url):
    sqlite = open_database(tmp_path / "p.db")
    sqlite_names = [m.name for m in migrations.applied(sqlite)]
    open_pool(postgres_url, size=1).close()  # opened again: nothing left to apply
    db = connect(postgres_url)
    assert applied(db) == sqlite_names and pending(db) == []
    assert apply(db) == []
    db.conn.close()


def test_processes_starting_together_apply_each_migration_once(blank):
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def starter() -> None:  # each its own connection, as a process would have
        start.wait()
        try:
            open_pool(blank, size=1).close()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=starter) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    db = connect(blank)
    names = [r[0] for r in db.execute("select name from _parallax_migrations").fetchall()]
    assert sorted(names) == sorted(set(names)) and pending(db) == []
    db.conn.close()


def test_upgrade_from_the_first_schema_keeps_rows(blank):
    db = connect(blank)
    assert apply(db, stop_before="0002_discord") == ["0001_core"]
    db.execute("insert into articles (id, sha256, source, language, text, chars, created_at) "
               "values ('a', 's', 'x', 'en', 't', 1, 'now')")
    open_pool(blank, size=1).close()
    assert db.execute("select count(*) from articles").fetchone()[0] == 1
    assert "0008_evidence" in applied(db)
    db.conn.close()


def test_foreign_keys_are_enforced(postgres_url):
    db = connect(postgres_url)
    with pytest.raises(psycopg.IntegrityError):
        db.execute("insert into checks (id, article_id, request_key, languages, panel, "
                   "created_at) values ('c', 'missing', 'k', '[]', '[]', 'now')")
    db.conn.close()


def test_data_migrations_run_on_postgres_too(blank):
    """0004 marks checks that failed a stage incomplete; 0005 keeps one subscription per
    channel: the same shared code as SQLite's."""
    db = connect(blank)
    apply(db, stop_before="0004_check_status")
    db.execute("insert into articles (id, sha256, source, language, text, chars, created_at) "
               "values ('a', 's', 'x', 'en', 't', 1, 'now')")
    for check_id, warnings in (("ok", "[]"), ("nosum", '["no summary: m: key refused (401)"]')):
        db.execute("insert into checks (id, article_id, request_key, languages, panel, quorum, "
                   "warnings, created_at) values (?, 'a', 'k', '[]', ?, 1, ?, 'now')",
                   [check_id, '[{"name": "m", "status": "ok"}]', warnings])
    for guild, channel, enabled in (("g", "c", 1), ("g", "c", 1), ("g", "other", 1)):
        db.execute("insert into subscriptions (guild_id, channel_id, schedule, timezone, "
                   "languages, post_empty, enabled, created_at) values "
                   "(?, ?, 'hourly', 'UTC', '[]', 0, ?, 'now')", [guild, channel, enabled])
    open_pool(blank, size=1).close()
    status = dict(db.execute("select id, status from checks").fetchall())
    assert status == {"ok": "complete", "nosum": "incomplete"}
    subs = db.execute("select id, enabled, duplicate_of from subscriptions order by id").fetchall()
    assert subs == [(1, 0, 2), (2, 1, None), (3, 1, None)]
    with pytest.raises(psycopg.IntegrityError):  # the unique index holds from now on
        db.execute("insert into subscriptions (guild_id, channel_id, schedule, timezone, "
                   "languages, post_empty, enabled, created_at) values "
                   "('g', 'c', 'hourly', 'UTC', '[]', 0, 1, 'now')")
    db.conn.close()

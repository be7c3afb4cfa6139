"""The queue's tables: procrastinate's schema and Parallax's hand-off rows, applied at start.

Applied like the store's migrations: by whichever process starts first, once. Every process
that starts (gateways, workers, ``parallax status``) calls :func:`apply_schema`; the first
takes a transaction-level advisory lock, finds the tables missing and creates them; the
others wait on the lock, then find them there. procrastinate's own schema file is not
idempotent (``CREATE TYPE`` fails the second time), which is why the look and the write are
one step under the lock.
"""

from __future__ import annotations

import logging

import psycopg
from procrastinate import __version__ as procrastinate_version
from procrastinate.schema import SchemaManager

from bot.errors import StoreError

log = logging.getLogger("parallax.jobs")
SCHEMA_LOCK = 0x50_52_4C_58  # "PRLX": the advisory lock key every starting process waits on

# One row per interaction a gateway handed to the workers. The token answers the interaction
# for 15 minutes; it is cleared once the answer is sent.
PARALLAX_TABLES = """
create table if not exists parallax_queue_schema (
    name text primary key,
    version text not null,
    applied_at timestamptz not null default now()
);
create table if not exists parallax_interactions (
    interaction_id text primary key,
    application_id text not null,
    token text,
    channel_id text not null,
    guild_id text,
    locale text not null,
    original_message_id text,
    created_at timestamptz not null default now(),
    job_id bigint,
    followups_sent integer not null default 0,
    answered_at timestamptz,
    answered_via text
);
create index if not exists parallax_interactions_pending
    on parallax_interactions (created_at) where answered_at is null;
"""


def apply_schema(conninfo: str) -> bool:
    """Create procrastinate's tables and Parallax's own when missing; True when this call did.

    Safe when several processes start together (see the module docstring). A database that
    cannot be reached is a :class:`StoreError` with one line, never a traceback.
    """
    try:
        with psycopg.connect(conninfo, connect_timeout=10) as conn, conn.transaction():
            conn.execute("select pg_advisory_xact_lock(%s)", (SCHEMA_LOCK,))
            found = conn.execute("select to_regclass('procrastinate_jobs')").fetchone()
            created = found is None or found[0] is None
            if created:
                conn.execute(SchemaManager.get_schema())  # type: ignore[arg-type]
            conn.execute(PARALLAX_TABLES)  # type: ignore[arg-type]
            row = conn.execute("select version from parallax_queue_schema "
                               "where name = 'procrastinate'").fetchone()
            if row is None:
                conn.execute("insert into parallax_queue_schema (name, version) "
                             "values ('procrastinate', %s)", (procrastinate_version,))
            elif row[0] != procrastinate_version:
                # procrastinate ships SQL migrations between versions; they are the
                # operator's step (`procrastinate schema --migrate` lists them).
                log.warning("the queue's tables were made by procrastinate %s, this is %s: "
                            "apply procrastinate's migrations", row[0], procrastinate_version)
    except psycopg.Error as exc:
        raise StoreError(f"cannot prepare the job queue: {' '.join(str(exc).split())}"
                         ) from None
    return created

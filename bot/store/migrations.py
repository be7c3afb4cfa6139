"""Named, append-only schema migrations (SQLite). Never edit one that has shipped: add a new one.

Postgres has the same migrations under the same names in :mod:`bot.store.pg_migrations`; a
new migration is added to both, and the data it moves is written once, here, against
:class:`~bot.store.connection.Db` (as :func:`mark_legacy_failures` is).
"""

from __future__ import annotations

import json

from sqlite_utils import Database, Migrations

from bot.store.connection import Db

migrations = Migrations("parallax")


@migrations(name="0001_core")
def core(db: Database) -> None:
    """Articles, checks and what each check produced; every model call."""
    db["articles"].create(
        {
            "id": str, "sha256": str, "canonical_url": str, "source": str, "title": str,
            "language": str, "language_confidence": float, "author": str, "published": str,
            "text": str, "chars": int, "created_at": str,
        },
        pk="id",
        not_null={"sha256", "source", "language", "text", "chars", "created_at"},
    )
    db["articles"].create_index(["sha256"], unique=True)
    db["articles"].create_index(["canonical_url"])
    db["checks"].create(
        {
            "id": str, "article_id": str, "request_key": str, "languages": str,
            "panel": str, "quorum": int, "warnings": str, "created_at": str,
        },
        pk="id",
        foreign_keys=[("article_id", "articles", "id")],
        not_null={"article_id", "request_key", "languages", "panel", "created_at"},
    )
    db["checks"].create_index(["article_id", "request_key"])
    db["summaries"].create(
        {
            "id": int, "check_id": str, "language": str, "text": str, "model": str,
            "note": str, "prompt_sha256": str,
        },
        pk="id",
        foreign_keys=[("check_id", "checks", "id")],
        not_null={"check_id", "language", "text", "model"},
    )
    db["claims"].create(
        {
            "id": str, "check_id": str, "position": int, "text": str, "quote": str,
            "translations": str, "consensus": str, "flagged": int, "prompt_sha256": str,
        },
        pk="id",
        foreign_keys=[("check_id", "checks", "id")],
        not_null={"check_id", "position", "text", "quote", "consensus", "flagged"},
    )
    db["verdicts"].create(
        {
            "id": int, "claim_id": str, "model": str, "verdict": str, "confidence": float,
            "rationale": str, "evidence": str, "prompt_sha256": str,
        },
        pk="id",
        foreign_keys=[("claim_id", "claims", "id")],
        not_null={"claim_id", "model", "verdict", "confidence", "rationale"},
    )
    # No foreign key on purpose: the call ledger keeps calls of checks that failed and
    # were never stored, because their tokens were spent all the same.
    db["model_calls"].create(
        {
            "id": int, "check_id": str, "task": str, "name": str, "provider": str,
            "model": str, "status": str, "error": str, "latency_ms": int,
            "input_tokens": int, "output_tokens": int, "cache_read_tokens": int,
            "cache_write_tokens": int, "cost_usd": float, "prompt_sha256": str,
            "created_at": str,
        },
        pk="id",
        not_null={"task", "name", "provider", "model", "status", "latency_ms", "created_at"},
    )
    db["model_calls"].create_index(["check_id"])
    db["model_calls"].create_index(["created_at"])


@migrations(name="0002_discord")
def discord(db: Database) -> None:
    """Servers' settings, the moderators' decisions (an audit trail) and their cards."""
    db["guild_settings"].create(
        {
            "guild_id": str, "languages": str, "mod_channel_id": str, "mod_role_id": str,
            "flag_on": str, "daily_budget_usd": float, "updated_at": str,
        },
        pk="guild_id",
    )
    # Every decision is kept: a claim decided twice has two rows, the latest one counts.
    db["reviews"].create(
        {
            "id": int, "claim_id": str, "guild_id": str, "moderator_id": str, "action": str,
            "note": str, "decided_at": str,
        },
        pk="id",
        foreign_keys=[("claim_id", "claims", "id")],
        not_null={"claim_id", "guild_id", "moderator_id", "action", "decided_at"},
    )
    db["reviews"].create_index(["claim_id"])
    db["review_cards"].create(
        {
            "claim_id": str, "guild_id": str, "channel_id": str, "message_id": str,
            "reason": str, "posted_at": str,
        },
        pk=("claim_id", "guild_id"),
        foreign_keys=[("claim_id", "claims", "id")],
        not_null={"channel_id", "reason", "posted_at"},
    )
    # Spending per server: which server a check and a model call were made for.
    db["checks"].add_column("guild_id", str)
    db["model_calls"].add_column("guild_id", str)
    db["model_calls"].create_index(["guild_id", "created_at"])


@migrations(name="0003_feeds")
def feeds(db: Database) -> None:
    """Feeds and their entries, digest subscriptions, and the runs that post digests."""
    db["feeds"].create(
        {
            "id": int, "guild_id": str, "url": str, "title": str, "check_claims": int,
            "interval_minutes": int, "etag": str, "last_modified": str, "body_sha256": str,
            "state": str, "failures": int, "last_polled_at": str, "last_success_at": str,
            "last_error": str, "next_poll_at": str, "seeded": int, "created_at": str,
        },
        pk="id",
        not_null={"guild_id", "url", "check_claims", "interval_minutes", "state", "failures",
                  "next_poll_at", "seeded", "created_at"},
    )
    db["feeds"].create_index(["guild_id", "url"], unique=True)
    # One row per entry seen in a feed; `article_id` once the page was ingested.
    db["feed_entries"].create(
        {
            "id": int, "feed_id": int, "entry_key": str, "link": str, "canonical_link": str,
            "title": str, "published": str, "status": str, "article_id": str, "error": str,
            "first_seen_at": str,
        },
        pk="id",
        foreign_keys=[("feed_id", "feeds", "id"), ("article_id", "articles", "id")],
        not_null={"feed_id", "entry_key", "title", "status", "first_seen_at"},
    )
    db["feed_entries"].create_index(["feed_id", "entry_key"], unique=True)
    db["feed_entries"].create_index(["canonical_link"])
    db["subscriptions"].create(
        {
            "id": int, "guild_id": str, "channel_id": str, "schedule": str, "timezone": str,
            "languages": str, "post_empty": int, "enabled": int, "disabled_reason": str,
            "created_at": str,
        },
        pk="id",
        not_null={"guild_id", "channel_id", "schedule", "timezone", "languages", "post_empty",
                  "enabled", "created_at"},
    )
    # Claimed with INSERT OR IGNORE before posting: one digest per (subscription, period).
    db["digest_runs"].create(
        {
            "subscription_id": int, "period": str, "status": str, "nonce": str,
            "message_ids": str, "articles": int, "error": str, "claimed_at": str,
            "posted_at": str,
        },
        pk=("subscription_id", "period"),
        foreign_keys=[("subscription_id", "subscriptions", "id")],
        not_null={"status", "nonce", "claimed_at"},
    )
    # An article appears in at most one digest per subscription.
    db["digest_items"].create(
        {"subscription_id": int, "article_id": str, "period": str},
        pk=("subscription_id", "article_id"),
        foreign_keys=[("subscription_id", "subscriptions", "id"),
                      ("article_id", "articles", "id")],
        not_null={"period"},
    )


@migrations(name="0004_check_status")
def check_status(db: Database) -> None:
    """Whether each check is complete, and the stages that failed as a whole (a JSON list).

    Checks stored before this migration that failed a stage are found by the warnings and
    panel statuses they were stored with, and marked incomplete: they are never served again.
    """
    db["checks"].add_column("status", str, not_null_default="complete")
    db["checks"].add_column("failed_stages", str, not_null_default="[]")
    mark_legacy_failures(db)


def mark_legacy_failures(db: Db) -> None:
    """0004's data: checks that failed a stage before statuses existed become incomplete
    (shared with the Postgres migration of the same name)."""
    for row in list(db.query("select id, warnings, panel from checks")):
        failed = _legacy_failures(db, row)
        if failed:
            db.execute("update checks set status = 'incomplete', failed_stages = ? where id = ?",
                       [json.dumps(failed), row["id"]])


def _legacy_failures(db: Db, row: dict) -> list[dict[str, str]]:
    failed = []
    for warning in json.loads(row["warnings"] or "[]"):
        for prefix, stage in (("no summary: ", "summary"), ("no claims: ", "claims")):
            if warning.startswith(prefix):
                failed.append({"stage": stage, "reason": warning.removeprefix(prefix)})
    statuses = [m.get("status", "") for m in json.loads(row["panel"] or "[]")]
    has_claims = bool(list(db.query("select 1 from claims where check_id = ? limit 1",
                                    [row["id"]])))
    if has_claims and statuses and all(s.startswith("error") for s in statuses):
        failed.append({"stage": "panel", "reason": "no model answered"})
    return failed


@migrations(name="0005_one_subscription_per_channel")
def one_subscription_per_channel(db: Database) -> None:
    """One digest subscription per channel: subscribing it again updates that one.

    A channel subscribed twice before this got every digest twice. Every row survives, with
    its history: per channel the newest enabled subscription (else the newest) stays, the
    others are disabled and point to it in ``duplicate_of``, which leaves them out of the
    unique index.
    """
    db["subscriptions"].add_column("duplicate_of", int)
    merge_duplicate_subscriptions(db)
    db.execute("create unique index subscriptions_one_per_channel on subscriptions "
               "(guild_id, channel_id) where duplicate_of is null")


def merge_duplicate_subscriptions(db: Db) -> None:
    """0005's data: per channel, every subscription but one is disabled and points to the
    one that stays (shared with the Postgres migration of the same name)."""
    subs = db.query("select id, guild_id, channel_id, enabled from subscriptions order by id")
    channels: dict[tuple[str, str], list[dict]] = {}
    for sub in subs:
        channels.setdefault((sub["guild_id"], sub["channel_id"]), []).append(sub)
    for same in channels.values():
        keep = max(same, key=lambda s: (s["enabled"], s["id"]))
        for sub in same:
            if sub is not keep:
                db.execute("update subscriptions set duplicate_of = ?, enabled = 0, "
                           "disabled_reason = ? where id = ?",
                           [keep["id"], f"a duplicate of subscription {keep['id']} "
                            "(the same channel)", sub["id"]])


@migrations(name="0006_sources")
def sources(db: Database) -> None:
    """The evidence stage: its ledger of searches and fetches, and their caches.

    ``source_calls`` has no foreign key, like ``model_calls``: a search made for a check that
    failed and was never stored happened all the same.
    """
    db["source_calls"].create(
        {
            "id": int, "check_id": str, "kind": str, "backend": str, "status": str,
            "latency_ms": int, "query": str, "url": str, "language": str, "results": int,
            "error": str, "guild_id": str, "created_at": str,
        },
        pk="id",
        not_null={"kind", "backend", "status", "latency_ms", "created_at"},
    )
    db["source_calls"].create_index(["created_at"])
    db["source_calls"].create_index(["check_id"])
    db["search_cache"].create(
        {"key": str, "backend": str, "query": str, "language": str, "hits": str,
         "created_at": str},
        pk="key",
        not_null={"backend", "query", "hits", "created_at"},
    )
    db["source_cache"].create(
        {"url": str, "final_url": str, "title": str, "site": str, "published": str,
         "language": str, "text": str, "created_at": str},
        pk="url",
        not_null={"text", "created_at"},
    )


@migrations(name="0007_archive_fts")
def archive_fts(db: Database) -> None:
    """The archive's full-text index: one row of terms per article (``bot.store.archive``
    makes them and indexes articles as searches run), under FTS5 with a tokenizer that keeps
    combining marks, and its vocabulary (how many articles hold each term)."""
    db["archive_terms"].create({"article_id": str, "terms": str, "version": int},
                               pk="article_id", not_null={"terms", "version"})
    db["archive_terms"].enable_fts(
        ["terms"], create_triggers=True,
        tokenize="unicode61 remove_diacritics 0 categories 'L* N* M* Co'")
    db.execute("create virtual table archive_terms_vocab using fts5vocab(archive_terms_fts, row)")


@migrations(name="0008_evidence")
def evidence(db: Database) -> None:
    """The evidence each claim was judged with, the passages each verdict cites, and the
    searches a check made (JSON lists)."""
    db["claims"].add_column("evidence", str, not_null_default="[]")
    db["verdicts"].add_column("cites", str, not_null_default="[]")
    db["checks"].add_column("searches", str, not_null_default="[]")


@migrations(name="0009_feed_entry_retries")
def feed_entry_retries(db: Database) -> None:
    """Feed entries whose check came back incomplete are tried again: how many checks came
    back incomplete, when the next try is due, and (queue mode) the job an entry is handed
    to."""
    db["feed_entries"].add_column("checks", int, not_null_default=0)
    db["feed_entries"].add_column("retry_at", str)
    db["feed_entries"].add_column("job_id", int)
    db["feed_entries"].create_index(["status", "retry_at"])

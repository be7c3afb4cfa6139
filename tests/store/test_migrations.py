import sqlite3

from sqlite_utils import Database

from bot.store import open_database
from bot.store.migrations import migrations

EXPECTED = {
    "articles": ["id", "sha256", "canonical_url", "source", "title", "language",
                 "language_confidence", "author", "published", "text", "chars", "created_at"],
    "checks": ["id", "article_id", "request_key", "languages", "panel", "quorum", "warnings",
               "created_at", "guild_id"],
    "summaries": ["id", "check_id", "language", "text", "model", "note", "prompt_sha256"],
    "claims": ["id", "check_id", "position", "text", "quote", "translations", "consensus",
               "flagged", "prompt_sha256"],
    "verdicts": ["id", "claim_id", "model", "verdict", "confidence", "rationale", "evidence",
                 "prompt_sha256"],
    "model_calls": ["id", "check_id", "task", "name", "provider", "model", "status", "error",
                    "latency_ms", "input_tokens", "output_tokens", "cache_read_tokens",
                    "cache_write_tokens", "cost_usd", "prompt_sha256", "created_at",
                    "guild_id"],
    "guild_settings": ["guild_id", "languages", "mod_channel_id", "mod_role_id", "flag_on",
                       "daily_budget_usd", "updated_at"],
    "reviews": ["id", "claim_id", "guild_id", "moderator_id", "action", "note", "decided_at"],
    "review_cards": ["claim_id", "guild_id", "channel_id", "message_id", "reason", "posted_at"],
    "feeds": ["id", "guild_id", "url", "title", "check_claims", "interval_minutes", "etag",
              "last_modified", "body_sha256", "state", "failures", "last_polled_at",
              "last_success_at", "last_error", "next_poll_at", "seeded", "created_at"],
    "feed_entries": ["id", "feed_id", "entry_key", "link", "canonical_link", "title",
                     "published", "status", "article_id", "error", "first_seen_at"],
    "subscriptions": ["id", "guild_id", "channel_id", "schedule", "timezone", "languages",
                      "post_empty", "enabled", "disabled_reason", "created_at"],
    "digest_runs": ["subscription_id", "period", "status", "nonce", "message_ids", "articles",
                    "error", "claimed_at", "posted_at"],
    "digest_items": ["subscription_id", "article_id", "period"],
}


def test_blank_database_gets_exact_columns(tmp_path):
    db = open_database(tmp_path / "p.db")
    tables = {t for t in db.table_names() if not t.startswith("_")}
    assert tables == set(EXPECTED)
    for table, columns in EXPECTED.items():
        assert [c.name for c in db[table].columns] == columns, table


def test_wal_and_foreign_keys(tmp_path):
    db = open_database(tmp_path / "p.db")
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_migrations_are_recorded_and_idempotent(tmp_path):
    path = tmp_path / "p.db"
    open_database(path).close()
    db = open_database(path)
    names = [m.name for m in migrations.applied(db)]
    assert names == ["0001_core", "0002_discord", "0003_feeds"]
    assert migrations.pending(db) == []


def test_upgrade_from_the_first_schema_keeps_rows(tmp_path):
    path = tmp_path / "p.db"
    db = Database(path)
    migrations.apply(db, stop_before="0002_discord")
    db["articles"].insert({"id": "a", "sha256": "s", "source": "x", "language": "en",
                           "text": "t", "chars": 1, "created_at": "now"})
    db.close()
    db = open_database(path)
    assert db["articles"].count == 1
    assert [c.name for c in db["checks"].columns] == EXPECTED["checks"]


def test_foreign_key_enforced(tmp_path):
    db = open_database(tmp_path / "p.db")
    try:
        db["checks"].insert({"id": "c", "article_id": "missing", "request_key": "k",
                             "languages": "[]", "panel": "[]", "created_at": "now"})
    except sqlite3.IntegrityError:
        pass
    else:
        raise AssertionError("a check without its article was accepted")

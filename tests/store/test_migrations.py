import sqlite3

from sqlite_utils import Database

from bot.store import open_database
from bot.store.migrations import migrations

EXPECTED = {
    "articles": ["id", "sha256", "canonical_url", "source", "title", "language",
                 "language_confidence", "author", "published", "text", "chars", "created_at"],
    "checks": ["id", "article_id", "request_key", "languages", "panel", "quorum", "warnings",
               "created_at", "guild_id", "status", "failed_stages", "searches"],
    "summaries": ["id", "check_id", "language", "text", "model", "note", "prompt_sha256"],
    "claims": ["id", "check_id", "position", "text", "quote", "translations", "consensus",
               "flagged", "prompt_sha256", "evidence"],
    "verdicts": ["id", "claim_id", "model", "verdict", "confidence", "rationale", "evidence",
                 "prompt_sha256", "cites"],
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
                     "published", "status", "article_id", "error", "first_seen_at", "checks",
                     "retry_at", "job_id"],
    "subscriptions": ["id", "guild_id", "channel_id", "schedule", "timezone", "languages",
                      "post_empty", "enabled", "disabled_reason", "created_at", "duplicate_of"],
    "digest_runs": ["subscription_id", "period", "status", "nonce", "message_ids", "articles",
                    "error", "claimed_at", "posted_at"],
    "digest_items": ["subscription_id", "article_id", "period"],
    "source_calls": ["id", "check_id", "kind", "backend", "status", "latency_ms", "query", "url",
                     "language", "results", "error", "guild_id", "created_at"],
    "search_cache": ["key", "backend", "query", "language", "hits", "created_at"],
    "archive_terms": ["article_id", "terms", "version"],
    "source_cache": ["url", "final_url", "title", "site", "published", "language", "text",
                     "created_at"],
}


def test_blank_database_gets_exact_columns(tmp_path):
    db = open_database(tmp_path / "p.db")
    # The archive's FTS5 table, its shadow tables and its vocabulary: see the test below.
    tables = {t for t in db.table_names()
              if not t.startswith("_") and not t.startswith("archive_terms_")}
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
    assert names[:4] == ["0001_core", "0002_discord", "0003_feeds", "0004_check_status"]
    assert names[4:] == ["0005_one_subscription_per_channel", "0006_sources",
                         "0007_archive_fts", "0008_evidence", "0009_feed_entry_retries"]
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


def test_checks_stored_with_a_failed_stage_before_0004_become_incomplete(tmp_path):
    path = tmp_path / "p.db"
    db = Database(path)
    migrations.apply(db, stop_before="0004_check_status")
    db["articles"].insert({"id": "a", "sha256": "s", "source": "x", "language": "en",
                           "text": "t", "chars": 1, "created_at": "now"})
    failed_panel = '[{"name": "m", "status": "error: m: unreachable"}]'
    for check_id, warnings, panel in (
            ("ok", "[]", '[{"name": "m", "status": "ok"}]'),
            ("nosum", '["no summary: m: key refused (401)"]', '[{"name": "m", "status": "ok"}]'),
            ("nopanel", "[]", failed_panel)):
        db["checks"].insert({"id": check_id, "article_id": "a", "request_key": "k",
                             "languages": "[]", "panel": panel, "quorum": 1,
                             "warnings": warnings, "created_at": "now"})
    db["claims"].insert({"id": "nopanel-0", "check_id": "nopanel", "position": 0, "text": "c",
                         "quote": "c", "consensus": "insufficient", "flagged": 0})
    db.close()
    db = open_database(path)
    rows = {r["id"]: (r["status"], r["failed_stages"]) for r in db["checks"].rows}
    assert rows["ok"] == ("complete", "[]")
    assert rows["nosum"][0] == "incomplete" and '"summary"' in rows["nosum"][1]
    assert "key refused (401)" in rows["nosum"][1]
    assert rows["nopanel"][0] == "incomplete" and '"panel"' in rows["nopanel"][1]


def test_one_subscription_per_channel_is_a_unique_index(tmp_path):
    db = open_database(tmp_path / "p.db")
    indexes = {i.name: (i.columns, i.unique) for i in db["subscriptions"].indexes}
    assert indexes == {"subscriptions_one_per_channel": (["guild_id", "channel_id"], 1)}
    row = {"guild_id": "g", "channel_id": "c", "schedule": "hourly", "timezone": "UTC",
           "languages": "[]", "post_empty": 0, "enabled": 1, "created_at": "now"}
    db["subscriptions"].insert(row)
    try:
        db["subscriptions"].insert(row)
    except sqlite3.IntegrityError:
        pass
    else:
        raise AssertionError("a channel was subscribed twice")


def test_channels_subscribed_twice_before_0005_keep_every_row(tmp_path):
    path = tmp_path / "p.db"
    db = Database(path)
    migrations.apply(db, stop_before="0005_one_subscription_per_channel")
    base = {"schedule": "hourly", "timezone": "UTC", "languages": "[]", "post_empty": 0,
            "created_at": "now"}
    for sub_id, guild, channel, enabled in ((1, "g", "c", 1), (2, "g", "c", 1), (3, "g", "c", 0),
                                            (4, "g", "other", 1), (5, "h", "c", 0),
                                            (6, "h", "c", 0)):
        db["subscriptions"].insert({"id": sub_id, "guild_id": guild, "channel_id": channel,
                                    "enabled": enabled, **base})
    db["digest_runs"].insert({"subscription_id": 1, "period": "p", "status": "posted",
                              "nonce": "n", "claimed_at": "now"})
    db.close()
    db = open_database(path)
    rows = {r["id"]: (r["enabled"], r["duplicate_of"]) for r in db["subscriptions"].rows}
    # Per channel the newest enabled one stays (else the newest); the others point to it.
    assert rows == {1: (0, 2), 2: (1, None), 3: (0, 2), 4: (1, None), 5: (0, 6), 6: (0, None)}
    reasons = {r["id"]: r["disabled_reason"] for r in db["subscriptions"].rows}
    assert reasons[1] == "a duplicate of subscription 2 (the same channel)"
    assert db["digest_runs"].count == 1


def test_the_archive_index_keeps_combining_marks_and_follows_its_table(tmp_path):
    db = open_database(tmp_path / "p.db")
    fts = {t for t in db.table_names() if t.startswith("archive_terms_")}
    assert {"archive_terms_fts", "archive_terms_vocab"} <= fts
    db["archive_terms"].insert({"article_id": "a", "terms": "हिन्दी กรุ", "version": 1})
    vocabulary = {r[0] for r in db.execute("select term from archive_terms_vocab").fetchall()}
    assert vocabulary == {"हिन्दी", "กรุ"}  # unicode61's defaults cut both at their marks
    db.execute("delete from archive_terms where article_id = 'a'")
    assert db.execute("select count(*) from archive_terms_vocab").fetchone()[0] == 0


def test_feed_entries_from_before_0009_keep_their_status_with_no_tries(tmp_path):
    path = tmp_path / "p.db"
    db = Database(path)
    migrations.apply(db, stop_before="0009_feed_entry_retries")
    db["feeds"].insert({"id": 1, "guild_id": "g", "url": "u", "check_claims": 1,
                        "interval_minutes": 15, "state": "active", "failures": 0,
                        "next_poll_at": "now", "seeded": 1, "created_at": "now"})
    db["feed_entries"].insert({"feed_id": 1, "entry_key": "k", "title": "t",
                               "status": "pending", "first_seen_at": "now"})
    db.close()
    db = open_database(path)
    assert list(db.query("select status, checks, retry_at, job_id from feed_entries")) == [
        {"status": "pending", "checks": 0, "retry_at": None, "job_id": None}]

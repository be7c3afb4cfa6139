"""Digest subscriptions, the runs that post them (exactly once), and what each digest listed."""

from __future__ import annotations

import json

from bot.records import Subscription
from bot.store import now
from bot.store.connection import Db, insert, insert_ignore
from bot.store.guilds import owned


def save_subscription(db: Db, guild_id: str, channel_id: str, schedule: str,
                      timezone: str, languages: tuple[str, ...], created_at: str,
                      post_empty: bool = False) -> tuple[Subscription, bool]:
    """Subscribe a channel from ``created_at`` on, or update its subscription; True if new.

    A channel has one subscription (a unique index says so): subscribing it again changes
    the schedule, timezone and languages of that one and enables it again, keeping its id,
    its start and its history, so nothing it already listed is listed again.
    """
    fields = {"schedule": schedule, "timezone": timezone,
              "languages": json.dumps(list(languages)), "post_empty": int(post_empty)}
    with db.atomic():  # a racing subscribe of the channel waits, then finds this one
        db.lock("subscribe", guild_id, channel_id)
        rows = list(db.query("select id from subscriptions where guild_id = ? and "
                             "channel_id = ? and duplicate_of is null", [guild_id, channel_id]))
        if rows:
            sub_id = rows[0]["id"]
            db.execute("update subscriptions set schedule = ?, timezone = ?, languages = ?, "
                       "post_empty = ?, enabled = 1, disabled_reason = null where id = ?",
                       [*fields.values(), sub_id])
        else:
            sub_id = insert(db, "subscriptions", {"guild_id": guild_id, "channel_id": channel_id,
                                                  **fields, "enabled": 1,
                                                  "created_at": created_at})
    found = get_subscription(db, sub_id)
    assert found is not None
    return found, not rows


def get_subscription(db: Db, sub_id: int) -> Subscription | None:
    """One subscription by id."""
    rows = list(db.query("select * from subscriptions where id = ?", [sub_id]))
    return _subscription(rows[0]) if rows else None


def list_subscriptions(db: Db, guild_id: str | None = None,
                       enabled_only: bool = False) -> list[Subscription]:
    """Every subscription, or a server's."""
    sql, params = "select * from subscriptions where 1 = 1", []
    if guild_id is not None:
        sql, params = sql + " and guild_id = ?", [guild_id]
    if enabled_only:
        sql += " and enabled = 1"
    return [_subscription(r) for r in db.query(sql + " order by id", params)]


def remove_subscription(db: Db, sub_id: int, guild_id: str | None = None) -> bool:
    """Unsubscribe (the record of past digests goes with it)."""
    with db.atomic():
        if not owned(db, "subscriptions", sub_id, guild_id):
            return False
        for table in ("digest_items", "digest_runs"):
            db.execute(f"delete from {table} where subscription_id = ?", [sub_id])  # noqa: S608
        db.execute("delete from subscriptions where id = ?", [sub_id])
    return True


def disable_subscription(db: Db, sub_id: int, reason: str) -> None:
    """Stop posting to a channel the bot cannot use, and say why."""
    with db.atomic():
        db.execute("update subscriptions set enabled = 0, disabled_reason = ? where id = ?",
                   [reason, sub_id])


def claim_run(db: Db, sub_id: int, period: str, nonce: str) -> bool:
    """Claim (subscription, period) before posting; False when it is already claimed."""
    with db.atomic():
        return bool(insert_ignore(db, "digest_runs", {
            "subscription_id": sub_id, "period": period, "status": "claimed", "nonce": nonce,
            "claimed_at": now()}))


def claim_digest(db: Db, sub: Subscription, period: str, nonce: str,
                 until: str) -> list[str] | None:
    """Claim a period and the articles it will list, in one transaction.

    None when the period is already claimed (another trigger got there first). Articles are
    claimed with the run, so a racing run of another period cannot list them too.
    """
    with db.atomic():
        if not claim_run(db, sub.id, period, nonce):
            return None
        articles = [row["article_id"] for row in new_articles(db, sub, until)]
        add_items(db, sub.id, period, articles)
        return items_of(db, sub.id, period)


def unfinished_runs(db: Db) -> list[dict]:
    """Runs claimed but never posted: a crash or an outage between claiming and posting."""
    return list(db.query("select * from digest_runs where status in ('claimed', 'retry') "
                         "order by claimed_at"))


def run_finished(db: Db, sub_id: int, period: str, status: str,
                 message_ids: list[str] | None = None, articles: int = 0,
                 error: str | None = None) -> None:
    """Settle a run: posted, empty (nothing new), retry (a 5xx: later) or failed."""
    with db.atomic():
        db.execute(
            "update digest_runs set status = ?, message_ids = ?, articles = ?, error = ?, "
            "posted_at = ? where subscription_id = ? and period = ?",
            [status, json.dumps(message_ids or []), articles, error,
             now() if status == "posted" else None, sub_id, period])


def new_articles(db: Db, sub: Subscription, until: str, limit: int = 50) -> list[dict]:
    """Articles that reached the server's feeds up to ``until`` and no digest of ``sub`` listed.

    Feeds seeded on their first poll mark those entries ``seen``: they never appear here.
    """
    return list(db.query(
        "select a.id as article_id, a.title, a.canonical_url, a.source, a.language, "
        "min(e.first_seen_at) as first_seen_at, max(f.check_claims) as checked "
        "from feed_entries e join feeds f on f.id = e.feed_id "
        "join articles a on a.id = e.article_id "
        "where f.guild_id = ? and e.status = 'ingested' and e.first_seen_at <= ? "
        "and not exists (select 1 from digest_items d where d.subscription_id = ? "
        "and d.article_id = a.id) "
        "group by a.id order by first_seen_at limit ?", [sub.guild_id, until, sub.id, limit]))


def add_items(db: Db, sub_id: int, period: str, article_ids: list[str]) -> None:
    """Remember the articles a digest listed (one digest per article per subscription)."""
    with db.atomic():
        for article_id in article_ids:
            insert_ignore(db, "digest_items", {"subscription_id": sub_id,
                                               "article_id": article_id, "period": period})


def items_of(db: Db, sub_id: int, period: str) -> list[str]:
    """The articles a run listed (a resumed run posts the same ones)."""
    return [r["article_id"] for r in db.query(
        "select article_id from digest_items where subscription_id = ? and period = ? "
        "order by rowid", [sub_id, period])]


def _subscription(row: dict) -> Subscription:
    return Subscription(
        id=row["id"], guild_id=row["guild_id"], channel_id=row["channel_id"],
        schedule=row["schedule"], timezone=row["timezone"],
        languages=tuple(json.loads(row["languages"])), post_empty=bool(row["post_empty"]),
        enabled=bool(row["enabled"]), disabled_reason=row["disabled_reason"],
        created_at=row["created_at"])

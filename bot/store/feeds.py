"""Feeds a server follows, their polling state, and every entry seen in them."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from bot.records import Feed, FeedEntry
from bot.store import iso, now
from bot.store.connection import Db, insert_ignore
from bot.store.guilds import owned

PAUSE_AFTER = 5  # failures in a row


class EntryStatus(StrEnum):
    """What became of a feed entry (the ``status`` column of ``feed_entries``)."""

    SEEN = "seen"  # in the feed when it was followed: remembered, never ingested
    PENDING = "pending"  # waiting for its page to be fetched (a crash leaves it here too)
    QUEUED = "queued"  # handed to a worker's job (queue mode), its id in ``job_id``
    INGESTED = "ingested"  # stored (checked, summarized, or over budget): digests list it
    INCOMPLETE = "incomplete"  # stored, its check incomplete: tried again after ``retry_at``
    FAILED = "failed"  # the page could not be fetched or read (``error`` says why)
    SKIPPED = "skipped"  # nothing to fetch (no link)


def add_feed(db: Db, guild_id: str, url: str, check_claims: bool, interval: int,
             first_poll: datetime) -> Feed | None:
    """Follow a feed; None when the server already follows that URL."""
    with db.atomic():
        feed_id = insert_ignore(db, "feeds", {
            "guild_id": guild_id, "url": url, "title": "", "check_claims": int(check_claims),
            "interval_minutes": interval, "state": "active", "failures": 0,
            "next_poll_at": first_poll.isoformat(timespec="seconds"), "seeded": 0,
            "created_at": now()}, returning="id")
    return get_feed(db, feed_id) if feed_id is not None else None


def get_feed(db: Db, feed_id: int) -> Feed | None:
    """One feed by id."""
    rows = list(db.query("select * from feeds where id = ?", [feed_id]))
    return _feed(rows[0]) if rows else None


def list_feeds(db: Db, guild_id: str | None = None) -> list[Feed]:
    """Every feed, or a server's."""
    if guild_id is None:
        return [_feed(r) for r in db.query("select * from feeds order by id")]
    return [_feed(r) for r in db.query("select * from feeds where guild_id = ? order by id",
                                       [guild_id])]


def remove_feed(db: Db, feed_id: int, guild_id: str | None = None) -> bool:
    """Stop following a feed (its entries go with it; the articles stay)."""
    with db.atomic():
        if not owned(db, "feeds", feed_id, guild_id):
            return False
        db.execute("delete from feed_entries where feed_id = ?", [feed_id])
        db.execute("delete from feeds where id = ?", [feed_id])
    return True


def due_feeds(db: Db, moment: datetime) -> list[Feed]:
    """Active feeds whose next poll time has come."""
    return [_feed(r) for r in db.query(
        "select * from feeds where state = 'active' and next_poll_at <= ? order by next_poll_at",
        [moment.isoformat(timespec="seconds")])]


def poll_succeeded(db: Db, feed_id: int, moment: datetime, next_poll: datetime,
                   title: str | None, etag: str | None, last_modified: str | None,
                   body_sha256: str | None) -> None:
    """Record a good poll: validators for the next one, failures reset."""
    with db.atomic():
        db.execute(
            "update feeds set failures = 0, last_error = null, last_polled_at = ?, "
            "last_success_at = ?, next_poll_at = ?, etag = coalesce(?, etag), "
            "last_modified = coalesce(?, last_modified), "
            "body_sha256 = coalesce(?, body_sha256), title = coalesce(?, title), seeded = 1 "
            "where id = ?",
            [iso(moment), iso(moment), iso(next_poll), etag, last_modified, body_sha256,
             title, feed_id])


def poll_failed(db: Db, feed_id: int, moment: datetime, next_poll: datetime,
                error: str) -> Feed:
    """Record a failed poll; the fifth in a row pauses the feed. Returns the feed as it is now."""
    with db.atomic():
        db.execute(
            "update feeds set failures = failures + 1, last_error = ?, last_polled_at = ?, "
            "next_poll_at = ?, state = case when failures + 1 >= ? then 'paused' else state end "
            "where id = ?", [error, iso(moment), iso(next_poll), PAUSE_AFTER, feed_id])
    feed = get_feed(db, feed_id)
    assert feed is not None
    return feed


def record_entries(db: Db, feed_id: int, entries: list[dict], status: str,
                   seen_at: datetime) -> list[int]:
    """Insert the entries not seen before in this feed; the ids of the new ones."""
    new = []
    with db.atomic():
        for entry in entries:
            entry_id = insert_ignore(db, "feed_entries", {
                "feed_id": feed_id, "entry_key": entry["key"], "link": entry["link"],
                "canonical_link": entry["canonical_link"], "title": entry["title"],
                "published": entry["published"], "status": status,
                "first_seen_at": iso(seen_at)}, returning="id")
            if entry_id is not None:
                new.append(entry_id)
    return new


def pending_entries(db: Db, feed_id: int | None = None,
                    moment: datetime | None = None) -> list[dict]:
    """Entries waiting for their page to be fetched (including those a crash interrupted)
    and, given ``moment``, those whose incomplete check is due to be tried again."""
    sql, params = "select * from feed_entries where (status = 'pending'", []
    if moment is not None:
        sql += " or (status = 'incomplete' and retry_at <= ?)"
        params.append(iso(moment))
    sql += ")"
    if feed_id:
        sql += " and feed_id = ?"
        params.append(feed_id)
    return list(db.query(sql + " order by id", params))


def get_entry(db: Db, entry_id: int) -> dict | None:
    """One entry's row by id."""
    rows = list(db.query("select * from feed_entries where id = ?", [entry_id]))
    return rows[0] if rows else None


def known_article_for_link(db: Db, canonical_link: str | None) -> str | None:
    """The article another entry (in any feed) with this link already became."""
    if not canonical_link:
        return None
    rows = list(db.query("select article_id from feed_entries where canonical_link = ? and "
                         "article_id is not null limit 1", [canonical_link]))
    return rows[0]["article_id"] if rows else None


def entry_done(db: Db, entry_id: int, status: str, article_id: str | None = None,
               error: str | None = None) -> None:
    """Settle an entry: ingested (with its article), failed (with why), or skipped."""
    with db.atomic():
        db.execute("update feed_entries set status = ?, article_id = ?, error = ?, "
                   "retry_at = null where id = ?", [status, article_id, error, entry_id])


def entry_incomplete(db: Db, entry_id: int, article_id: str, checks: int, error: str,
                     retry_at: datetime | None) -> None:
    """An entry stored with an incomplete check (its ``checks``-th): tried again after
    ``retry_at``, or, with None, settled as ingested with that check (tries spent)."""
    status = EntryStatus.INGESTED if retry_at is None else EntryStatus.INCOMPLETE
    with db.atomic():
        db.execute("update feed_entries set status = ?, article_id = ?, checks = ?, "
                   "error = ?, retry_at = ? where id = ?",
                   [status.value, article_id, checks, error,
                    iso(retry_at) if retry_at else None, entry_id])


def entries_of(db: Db, feed_id: int, limit: int = 20) -> list[FeedEntry]:
    """A feed's latest entries, newest first, with what became of each.

    ``digests`` names the digests of the feed's own server that listed the entry's article.
    """
    rows = db.query(
        "select e.*, (select " + db.dialect.string_agg(  # noqa: S608 - our own SQL
            "'subscription ' || d.subscription_id || ' (' || d.period || ')'", "'; '") +
        " from digest_items d "
        "join subscriptions s on s.id = d.subscription_id "
        "where d.article_id = e.article_id and s.guild_id = f.guild_id) as digests "
        "from feed_entries e join feeds f on f.id = e.feed_id where e.feed_id = ? "
        "order by e.id desc limit ?", [feed_id, limit])
    return [FeedEntry(id=r["id"], title=r["title"], link=r["link"],
                      first_seen_at=r["first_seen_at"], status=r["status"], error=r["error"],
                      article_id=r["article_id"],
                      digests=tuple(r["digests"].split("; ")) if r["digests"] else ())
            for r in rows]


def _feed(row: dict) -> Feed:
    return Feed(
        id=row["id"], guild_id=row["guild_id"], url=row["url"], title=row["title"] or "",
        check_claims=bool(row["check_claims"]), interval_minutes=row["interval_minutes"],
        state=row["state"], failures=row["failures"], seeded=bool(row["seeded"]),
        etag=row["etag"], last_modified=row["last_modified"], body_sha256=row["body_sha256"],
        last_success_at=row["last_success_at"], last_error=row["last_error"],
        next_poll_at=row["next_poll_at"])

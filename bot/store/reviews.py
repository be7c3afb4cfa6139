"""The moderators' queue: cards posted for flagged claims and the decisions (an audit trail)."""

from __future__ import annotations

from bot.records import Review
from bot.store import insert_rows, now
from bot.store.connection import Db, insert_ignore


def record_review(db: Db, review: Review) -> None:
    """Append a decision; earlier ones stay in the audit table."""
    with db.atomic():
        insert_rows(db, "reviews", [{
            "claim_id": review.claim_id, "guild_id": review.guild_id,
            "moderator_id": review.moderator_id, "action": review.action.value,
            "note": review.note, "decided_at": review.decided_at,
        }])


def claim_card(db: Db, claim_id: str, guild_id: str) -> dict | None:
    """Where the claim's card was posted in this server, if it was."""
    rows = list(db.query("select * from review_cards where claim_id = ? and guild_id = ?",
                         [claim_id, guild_id]))
    return rows[0] if rows else None


def claim_card_posted(db: Db, claim_id: str, guild_id: str, channel_id: str,
                      message_id: str | None, reason: str) -> bool:
    """Record a card; False when this claim already has one in this server (post once)."""
    with db.atomic():
        return bool(insert_ignore(db, "review_cards", {
            "claim_id": claim_id, "guild_id": guild_id, "channel_id": channel_id,
            "message_id": message_id, "reason": reason, "posted_at": now()}))


def set_card_message(db: Db, claim_id: str, guild_id: str, message_id: str) -> None:
    """Remember the card's message id once Discord has answered."""
    with db.atomic():
        db.execute("update review_cards set message_id = ? where claim_id = ? and guild_id = ?",
                   [message_id, claim_id, guild_id])


def pending_claims(db: Db, guild_id: str, limit: int = 10, offset: int = 0) -> list[dict]:
    """Flagged claims with a card in this server and no decision yet, newest first."""
    return list(db.query(
        "select c.id as claim_id, c.text, c.quote, c.consensus, rc.reason, rc.posted_at, "
        "rc.channel_id, rc.message_id, a.title, a.canonical_url, a.source "
        "from review_cards rc join claims c on c.id = rc.claim_id "
        "join checks k on k.id = c.check_id join articles a on a.id = k.article_id "
        "where rc.guild_id = ? and not exists (select 1 from reviews r where r.claim_id = c.id "
        "and r.guild_id = rc.guild_id and r.action != 'note') "
        "order by rc.posted_at desc, rc.rowid desc limit ? offset ?", [guild_id, limit, offset]))


def pending_count(db: Db, guild_id: str) -> int:
    """How many flagged claims await a decision in this server."""
    row = next(db.query(
        "select count(*) as n from review_cards rc where rc.guild_id = ? and not exists "
        "(select 1 from reviews r where r.claim_id = rc.claim_id and r.guild_id = rc.guild_id "
        "and r.action != 'note')", [guild_id]))
    return int(row["n"])

"""The moderators' queue, as core logic: who may decide, what goes to the queue, decisions.

The Discord cog only translates: an interaction in, one of these calls, a card out.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.app import App
from bot.pipeline.aggregate import is_flagged
from bot.records import ClaimResult, Consensus, GuildSettings, Report, Review, ReviewAction
from bot.store import now
from bot.store.guilds import guild_settings
from bot.store.reviews import (
    claim_card_posted,
    pending_claims,
    record_review,
    set_card_message,
)

INJECTION_PREFIX = "instruction aimed at AI models"  # how bot.ingest.injection words them
REASONS = {
    Consensus.DISPUTED: "the panel's models disagree",
    Consensus.AGREED_REFUTED: "the panel agrees the claim is false",
    Consensus.AGREED_MISLEADING: "the panel agrees the claim is misleading",
    Consensus.ABSTAINED: "the panel's models declined to judge it",
    Consensus.INSUFFICIENT: "too few models answered",
}


@dataclass(frozen=True)
class Member:
    """What decides whether someone may moderate: no Discord types in the core."""

    user_id: str
    is_owner: bool = False
    administrator: bool = False
    manage_messages: bool = False
    role_ids: frozenset[str] = frozenset()
    in_guild: str | None = None  # the server the member belongs to; None in a direct message


def can_moderate(member: Member, settings: GuildSettings) -> bool:
    """Owners, administrators, members with manage-messages, or the configured role."""
    if member.in_guild != settings.guild_id:
        return False
    if member.is_owner or member.administrator or member.manage_messages:
        return True
    return settings.mod_role_id is not None and settings.mod_role_id in member.role_ids


def flagged_for(report: Report, settings: GuildSettings) -> list[tuple[ClaimResult, str]]:
    """The claims this server's moderators should see, with the reason each is flagged."""
    return [(r, REASONS[r.consensus]) for r in report.claims
            if is_flagged(r.consensus, settings.flag_on)]


def injection_warning(report: Report) -> str | None:
    """The report's warning about instructions hidden in the article, if it has one."""
    return next((w for w in report.warnings if w.startswith(INJECTION_PREFIX)
                 or INJECTION_PREFIX in w), None)


async def claim_cards(app: App, report: Report, guild_id: str,
                      channel_id: str) -> list[tuple[ClaimResult, str]]:
    """Reserve a card for each newly flagged claim; claims already carded are skipped."""
    settings = await app.store.run(guild_settings, guild_id)
    fresh = []
    for result, reason in flagged_for(report, settings):
        if await app.store.run(claim_card_posted, result.claim.id, guild_id, channel_id, None,
                               reason):
            fresh.append((result, reason))
    return fresh


async def card_posted(app: App, claim_id: str, guild_id: str, message_id: str) -> None:
    """Remember the message that shows a claim's card."""
    await app.store.run(set_card_message, claim_id, guild_id, message_id)


async def decide(app: App, claim_id: str, guild_id: str, member: Member, action: ReviewAction,
                 note: str = "") -> Review:
    """Record a moderator's decision after checking the member may make it.

    Raises PermissionError (nothing is stored) when the member may not moderate here.
    """
    settings = await app.store.run(guild_settings, guild_id)
    if not can_moderate(member, settings):
        raise PermissionError("only moderators can review claims")
    review = Review(claim_id, guild_id, member.user_id, action, note.strip()[:1000], now())
    await app.store.run(record_review, review)
    return review


async def queue(app: App, guild_id: str, page: int = 0, per_page: int = 5) -> list[dict]:
    """Flagged claims awaiting a decision, newest first, one page."""
    return await app.store.run(pending_claims, guild_id, per_page, page * per_page)

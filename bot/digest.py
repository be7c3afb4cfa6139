"""Digests, as core logic: what a subscription's next digest lists, and posting it exactly once.

A run for (subscription, period) is claimed in the database, together with the articles it
will list, before anything is posted; a second trigger of the same period finds the claim and
stops. The post carries a nonce derived from the claim with ``enforce_nonce``, so a run resumed
after a crash between posting and recording does not post twice either. A channel the bot
cannot use (403/404) disables the subscription and the moderators are told; a 5xx is retried
on the next tick.
"""

from __future__ import annotations

import hashlib
import logging
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from bot.app import App
from bot.discord_rest import ChannelUnavailable
from bot.present.digest_embeds import digest_messages
from bot.records import Consensus, Digest, DigestItem, ReportStatus, Subscription
from bot.redact import mask
from bot.schedules import parse_schedule, period_end_at_or_before, period_key, utc_now
from bot.store import iso
from bot.store.articles import article_row, latest_check
from bot.store.digests import (
    claim_digest,
    disable_subscription,
    get_subscription,
    items_of,
    list_subscriptions,
    new_articles,
    run_finished,
    save_subscription,
    unfinished_runs,
)
from bot.store.guilds import guild_settings

log = logging.getLogger("parallax.digest")
AGREED = {Consensus.AGREED_SUPPORTED, Consensus.AGREED_REFUTED, Consensus.AGREED_MISLEADING}


class Poster(Protocol):
    """Where digests go: Discord's REST API in production, a fake in tests."""

    async def post_message(self, channel_id: str, *, content: str = "",
                           embeds: list[dict] = ..., nonce: str | None = None) -> str: ...


@dataclass(frozen=True)
class RunOutcome:
    """What one digest run did."""

    subscription_id: int
    period: str
    status: str  # posted | empty | skipped (claimed elsewhere) | retry | disabled
    articles: int = 0
    error: str | None = None


async def build_digest(app: App, sub: Subscription, period: str,
                       article_ids: list[str]) -> Digest:
    """The digest of these articles for this subscription, from what the store holds."""
    items = []
    for article_id in article_ids:
        report = await app.store.run(latest_check, article_id, sub.guild_id)
        if report is None:  # stored without a check: over budget
            article = await app.store.run(article_row, article_id)
            items.append(DigestItem(article_id, article["title"] or "",
                                    article["canonical_url"], {}, {}, {}, (), False))
            continue
        summaries = {lang: report.summaries[lang].text for lang in sub.languages
                     if lang in report.summaries and report.summaries[lang].text}
        consensus = Counter(r.consensus for r in report.claims)
        counts = {"agreed": sum(consensus[c] for c in AGREED),
                  "disputed": consensus[Consensus.DISPUTED],
                  "abstained": consensus[Consensus.ABSTAINED]} if report.claims else {}
        decisions = Counter(r.review.action.value for r in report.claims if r.review)
        disputed = tuple(r.claim.text for r in report.claims
                         if r.consensus is Consensus.DISPUTED)
        items.append(DigestItem(article_id, report.article.title,
                                report.article.canonical_url, summaries, counts,
                                dict(decisions), disputed, bool(report.claims),
                                report.status is ReportStatus.COMPLETE,
                                len({p.url for r in report.claims for p in r.evidence})))
    return Digest(sub, period, tuple(items))


async def preview(app: App, sub: Subscription, moment: datetime) -> Digest:
    """What the next digest would list now (claims nothing)."""
    rows = await app.store.run(new_articles, sub, iso(moment))
    return await build_digest(app, sub, "preview", [r["article_id"] for r in rows])


async def run_digest(app: App, poster: Poster, sub: Subscription, moment: datetime,
                     manual: bool = False) -> RunOutcome:
    """Claim this subscription's current period (or a manual one) and post its digest once."""
    schedule = parse_schedule(sub.schedule, sub.timezone)
    if manual:
        period = "manual:" + moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    else:
        period = period_key(schedule, period_end_at_or_before(schedule, moment))
    nonce = _nonce(sub.id, period)
    articles = await app.store.run(claim_digest, sub, period, nonce, iso(moment))
    if articles is None:
        return RunOutcome(sub.id, period, "skipped")
    return await _post(app, poster, sub, period, articles)


async def run_due(app: App, poster: Poster, moment: datetime) -> list[RunOutcome]:
    """Finish interrupted runs, then run every subscription whose period has ended.

    Only the latest ended period is claimed, so a bot that was down for three days catches up
    once, not three times; nothing from before a subscription existed is posted.
    """
    outcomes = await resume(app, poster)
    for sub in await app.store.run(list_subscriptions, None, True):
        schedule = parse_schedule(sub.schedule, sub.timezone)
        end = period_end_at_or_before(schedule, moment)
        if sub.created_at and iso(end) < sub.created_at:
            continue
        outcome = await run_digest(app, poster, sub, end)
        if outcome.status != "skipped":
            outcomes.append(outcome)
    return outcomes


async def resume(app: App, poster: Poster) -> list[RunOutcome]:
    """Post the runs that were claimed but not posted (a crash, or Discord down)."""
    outcomes = []
    for run in await app.store.run(unfinished_runs):
        sub = await app.store.run(get_subscription, run["subscription_id"])
        if sub is None or not sub.enabled:
            continue
        articles = await app.store.run(items_of, sub.id, run["period"])
        outcomes.append(await _post(app, poster, sub, run["period"], articles))
    return outcomes


async def _post(app: App, poster: Poster, sub: Subscription, period: str,
                articles: list[str]) -> RunOutcome:
    if not articles and not sub.post_empty:
        await app.store.run(run_finished, sub.id, period, "empty")
        return RunOutcome(sub.id, period, "empty")
    digest = await build_digest(app, sub, period, articles)
    locale = sub.languages[0] if sub.languages else "en"
    nonce = _nonce(sub.id, period)
    ids: list[str] = []
    try:
        for index, message in enumerate(digest_messages(digest, locale)):
            ids.append(await poster.post_message(sub.channel_id, embeds=message,
                                                 nonce=f"{nonce}{index:02d}"))
    except ChannelUnavailable as exc:
        reason = f"cannot post in channel {sub.channel_id}: {exc}"
        await app.store.run(disable_subscription, sub.id, reason)
        await app.store.run(run_finished, sub.id, period, "failed", ids, len(articles), reason)
        await tell_moderators(app, poster, sub.guild_id,
                              f"Digest subscription {sub.id} is disabled: {reason}.")
        return RunOutcome(sub.id, period, "disabled", len(articles), reason)
    except Exception as exc:  # a 5xx or the network: the claim stays, retried next tick
        reason = mask(str(exc)) or exc.__class__.__name__  # stored and logged: masked
        await app.store.run(run_finished, sub.id, period, "retry", ids, len(articles), reason)
        # Info, not a warning: the outcome carries the reason and its caller reports it (the
        # command line printed every failure twice when this went to stderr as well).
        log.info("digest %s/%s will be retried: %s", sub.id, period, reason)
        return RunOutcome(sub.id, period, "retry", len(articles), reason)
    await app.store.run(run_finished, sub.id, period, "posted", ids, len(articles))
    return RunOutcome(sub.id, period, "posted", len(articles))


async def tell_moderators(app: App, poster: Poster, guild_id: str, text: str) -> bool:
    """Post a one-line notice to the server's moderators' channel, if it has one."""
    settings = await app.store.run(guild_settings, guild_id)
    if settings.mod_channel_id is None:
        # The notice repeats an outcome its caller reports; only the log keeps it here.
        log.info("guild %s has no moderators' channel: %s", guild_id, text)
        return False
    try:
        await poster.post_message(settings.mod_channel_id, content=text[:1900])
    except Exception as exc:  # telling is best effort; the state is in the database
        log.warning("could not tell the moderators of %s: %s", guild_id, exc)
        return False
    return True


def _nonce(sub_id: int, period: str) -> str:
    # 23 characters + a 2-digit message index stay within Discord's 25.
    return hashlib.sha256(f"{sub_id}:{period}".encode()).hexdigest()[:23]



async def subscribe(app: App, guild_id: str, channel_id: str, schedule: str, timezone: str,
                    languages: tuple[str, ...], moment: datetime | None = None,
                    post_empty: bool = False) -> Subscription:
    """Subscribe a channel, or update its subscription (see :func:`subscribe_channel`)."""
    return (await subscribe_channel(app, guild_id, channel_id, schedule, timezone, languages,
                                    moment, post_empty))[0]


async def subscribe_channel(app: App, guild_id: str, channel_id: str, schedule: str,
                            timezone: str, languages: tuple[str, ...],
                            moment: datetime | None = None,
                            post_empty: bool = False) -> tuple[Subscription, bool]:
    """Subscribe a channel; True when new, False when its subscription was updated.

    The schedule, timezone and languages are checked first. A channel has one subscription:
    subscribing it again changes that one's schedule, timezone and languages. Nothing from
    before ``moment`` (the subscription's first start) is ever posted to it.
    """
    parsed = parse_schedule(schedule, timezone)
    langs = languages or tuple(app.settings.languages) or ("en",)
    return await app.store.run(save_subscription, guild_id, channel_id, str(parsed), parsed.tz,
                               langs, iso(moment or utc_now()), post_empty)

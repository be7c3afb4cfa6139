"""Answering from a worker: the report through the interaction's webhook, cards and errors
through Discord's REST API, each sent once however often the job runs.

- The report edits the deferred answer (``PATCH …/messages/@original``: editing twice shows
  the same thing once) and sends the rest as follow-ups, counted in the interaction's row as
  they go out, so a retried job continues after the last one sent.
- Past the token's 15 minutes, or when Discord says the token no longer answers, the answer
  goes to the channel instead: the deferred message is edited by id when the gateway learnt
  it, and every channel post carries a nonce, which Discord deduplicates.
- A moderators' card is reserved in the store before it is posted and posted with a nonce of
  its claim; a reserved card without a message (its worker died between the two) is posted by
  the retry.
- While the check runs, :class:`WebhookProgress` edits the deferred answer into its stage
  ("⏳ stage…") as the gateway's own checks do; those edits are stopped before the answer is
  sent and are never recorded as the answer.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable

from bot.app import App
from bot.discord_rest import DiscordREST, InteractionExpired
from bot.jobs import interactions
from bot.jobs.interactions import PendingInteraction
from bot.jobs.queue import JobQueue
from bot.moderation import card_posted, flagged_for, injection_warning
from bot.present.components import Component, details_components, review_components
from bot.present.embeds import report_messages, summary_messages
from bot.present.limits import validate_message
from bot.present.review_cards import review_card
from bot.progress import PROGRESS_AFTER, PROGRESS_EVERY
from bot.records import Report
from bot.redact import mask
from bot.store.guilds import guild_settings
from bot.store.reviews import claim_card, claim_card_posted

log = logging.getLogger("parallax.jobs")
EPHEMERAL = 1 << 6  # message flag: only the member who asked sees it
# The gateway's own throttle (bot/discord_app/cogs/check.py; a test keeps them equal): a
# check shows its stages once it takes more than a moment, at most one edit this often.


class WebhookProgress:
    """A check's progress, edited into the interaction's deferred answer through its
    webhook (``PATCH …/messages/@original``): only once the check has run
    :data:`PROGRESS_AFTER` seconds, at most one edit every :data:`PROGRESS_EVERY`, one at a
    time, none once :meth:`stop` returned (the answer comes after it), none once the token is
    spent. A progress edit is not the answer: nothing of it is recorded in the interaction's
    row, and its failure only ends the progress edits."""

    def __init__(self, rest: DiscordREST, pending: PendingInteraction,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.rest, self.pending, self.clock = rest, pending, clock
        self.started = clock()
        self.last: float | None = None
        self.task: asyncio.Task[None] | None = None
        # Answered already (a retried job) or past the token's life: nothing to edit.
        self.stopped = pending.answered_at is not None or not pending.fresh()

    def __call__(self, stage: str) -> None:
        now = self.clock()
        if (self.stopped or now - self.started < PROGRESS_AFTER
                or (self.last is not None and now - self.last < PROGRESS_EVERY)
                or (self.task is not None and not self.task.done())):
            return
        self.last = now
        self.task = asyncio.ensure_future(self._edit(f"⏳ {stage}…"[:2000]))

    async def _edit(self, text: str) -> None:
        assert self.pending.token is not None
        try:
            await self.rest.edit_original(self.pending.application_id, self.pending.token,
                                          {"content": text})
        except InteractionExpired:
            self.stopped = True  # the answer will go to the channel
        except Exception as exc:  # a progress line is not worth failing the check for
            log.info("progress edit for interaction %s failed: %s",
                     self.pending.interaction_id, mask(str(exc)))
            self.stopped = True

    async def stop(self) -> None:
        """No more progress edits; wait for one in flight, so it cannot land after the
        answer."""
        self.stopped = True
        if self.task is not None:
            await asyncio.gather(self.task, return_exceptions=True)


def answer_messages(report: Report, locale: str, languages: tuple[str, ...],
                    summaries_only: bool) -> tuple[list[list[dict]], list[Component]]:
    """The answer's messages (embed lists) and the first message's components."""
    builder = summary_messages if summaries_only else report_messages
    messages = builder(report, locale, languages)
    for message in messages:
        problems = validate_message(message)
        if problems:  # the builders guarantee this; refuse rather than get a 400
            raise ValueError("embed over Discord's limits: " + "; ".join(problems))
    components = ([] if summaries_only or not report.claims
                  else details_components(report.check_id, locale))
    return messages, components


async def answer_report(rest: DiscordREST, queue: JobQueue, pending: PendingInteraction,
                        report: Report, languages: tuple[str, ...],
                        summaries_only: bool) -> str:
    """Send the report as the interaction's answer, once; how it went ("webhook"/"channel")."""
    messages, components = answer_messages(report, pending.locale, languages, summaries_only)
    first = {"content": "", "embeds": messages[0], "components": components}
    rest_messages = [{"embeds": m} for m in messages[1:]]
    return await deliver(rest, queue, pending, first, rest_messages)


async def answer_error(rest: DiscordREST, queue: JobQueue, pending: PendingInteraction,
                       reason: str) -> str:
    """Tell the member why the work could not be done: one line, privately when the token
    still answers (the public "thinking…" removed), else in the channel."""
    text = mask(" ".join(reason.split()))[:1900]
    if pending.fresh():
        try:
            assert pending.token is not None
            # The public "thinking…" would stay forever, and the first follow-up after a
            # deferral would replace it publicly: remove it first.
            with contextlib.suppress(InteractionExpired):
                await rest.delete_original(pending.application_id, pending.token)
            await rest.followup(pending.application_id, pending.token,
                                {"content": text, "flags": EPHEMERAL})
            await interactions.answered(queue, pending.interaction_id, "webhook")
            return "webhook"
        except InteractionExpired:
            pass
    await _to_channel(rest, pending, 0, {"content": text, "embeds": [], "components": []})
    await interactions.answered(queue, pending.interaction_id, "channel")
    return "channel"


async def deliver(rest: DiscordREST, queue: JobQueue, pending: PendingInteraction,
                  first: dict, others: list[dict]) -> str:
    """Edit the deferred answer into ``first`` and send ``others`` after it, skipping the
    follow-ups an earlier attempt sent; through the channel once the token is spent."""
    via = "webhook"
    sent = pending.followups_sent
    if pending.fresh():
        assert pending.token is not None
        try:
            await rest.edit_original(pending.application_id, pending.token, first)
            for index, message in enumerate(others):
                if index < sent:
                    continue
                await rest.followup(pending.application_id, pending.token, message)
                sent = index + 1
                await interactions.followups_sent(queue, pending.interaction_id, sent)
        except InteractionExpired:
            via = "channel"
    else:
        via = "channel"
    if via == "channel":
        if sent == 0:  # the first message was not delivered through the webhook
            await _to_channel(rest, pending, 0, first)
        for index, message in enumerate(others):
            if index >= sent:
                await _to_channel(rest, pending, index + 1, message)
    await interactions.answered(queue, pending.interaction_id, via)
    return via


async def _to_channel(rest: DiscordREST, pending: PendingInteraction, index: int,
                      message: dict) -> None:
    """Message ``index`` of the answer in the channel: the deferred message edited when it is
    known (the first), else a post with a nonce of the interaction and the index."""
    if index == 0 and pending.original_message_id:
        try:
            await rest.edit_message(pending.channel_id, pending.original_message_id, message)
            return
        except Exception as exc:  # an ephemeral or deleted placeholder: post instead
            log.info("could not edit the deferred answer %s: %s",
                     pending.original_message_id, exc)
    await rest.post_message(pending.channel_id, content=message.get("content") or "",
                            embeds=message.get("embeds") or [],
                            components=message.get("components") or [],
                            nonce=f"answer:{pending.interaction_id}:{index}")


async def post_cards(app: App, rest: DiscordREST, report: Report, guild_id: str,
                     locale: str) -> int:
    """A card, with its five buttons, for each newly flagged claim in the moderators'
    channel; how many were posted now."""
    settings = await app.store.run(guild_settings, guild_id)
    if settings.mod_channel_id is None:
        return 0
    channel = settings.mod_channel_id
    posted = 0
    for result, reason in flagged_for(report, settings):
        claim_id = result.claim.id
        if not await app.store.run(claim_card_posted, claim_id, guild_id, channel, None,
                                   reason):
            card = await app.store.run(claim_card, claim_id, guild_id)
            if card is None or card.get("message_id"):
                continue  # posted already (by this job's earlier attempt, or another check)
            channel = card.get("channel_id") or channel
        embed = review_card(result, report.article.title, report.article.canonical_url, reason,
                            injection_warning(report), None, locale)
        message_id = await rest.post_message(channel, embeds=[embed],
                                             components=review_components(claim_id, locale),
                                             nonce=f"card:{guild_id}:{claim_id}")
        await card_posted(app, claim_id, guild_id, message_id)
        posted += 1
    return posted

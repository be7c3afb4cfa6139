"""The moderators' card for one flagged claim: a single embed within every limit."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.present.claim_marks import (
    CONSENSUS_COLORS,
    FLAG,
    MARKS,
    claim_body,
    consensus_label,
    decision_action,
    decision_text,
    source_lines,
    vote_field,
)
from bot.present.i18n import locale_language, t
from bot.present.limits import (
    AUTHOR_LIMIT,
    TITLE_LIMIT,
    Embed,
    clip,
    escape_markdown,
    fit_card,
    http_url,
)
from bot.records import ClaimResult

CARD_VOTES = 10  # a card shows this many models' rationales; more are listed by mark only


def review_card(claim: ClaimResult, article_title: str, article_url: str | None, reason: str,
                injection_warning: str | None, decision: Mapping[str, Any] | None,
                locale: str = "en") -> Embed:
    """The moderators' card for one flagged claim: a single embed within every limit.

    Shows the claim and its quote, the article link, each model's verdict and rationale, the
    reason it was flagged, the prompt-injection warning when given, and the latest decision
    (``{"action", "moderator_id", "note", "decided_at"}``) when there is one. A card cannot
    continue elsewhere, so very long texts are shortened (the Details button has them whole).
    """
    known = decision_action(decision)
    embed: Embed = {
        "color": known[1] if known else CONSENSUS_COLORS[claim.consensus],
        "author": {"name": clip(f"{FLAG} {t('flagged_claim', locale)} · "
                                f"{consensus_label(claim.consensus, locale)}", AUTHOR_LIMIT, True)},
        "title": clip(article_title, TITLE_LIMIT, True) or t("untitled", locale),
        "description": clip(claim_body(claim, locale_language(locale)), 1500) or "—",
        "footer": {"text": clip(f"{t('claim', locale)} {claim.claim.id}", 200)}}
    if http_url(article_url):
        embed["url"] = article_url
    # The moderators' own context first, with fixed shares; the votes share what is left.
    extra = [(t("reason_flagged", locale), clip(escape_markdown(reason), 500))]
    if injection_warning:
        extra.append((f"⚠️ {t('injection_warning', locale)}",
                      clip(escape_markdown(injection_warning), 700)))
    if decision:
        extra.append((t("decision", locale), clip(decision_text(decision, locale), 700)))
    cited = {c for v in claim.votes for c in v.cites}
    sources = [line for p, line in zip(claim.evidence, source_lines(claim), strict=True)
               if p.id in cited]
    if sources:  # what the models relied on, for the moderator to open
        extra.append((f"📚 {t('evidence', locale)}", clip("\n".join(sources), 700)))
    votes = list(claim.votes)
    shown = votes if len(votes) <= CARD_VOTES else votes[:CARD_VOTES - 1]
    fields = [(clip(n, 100, True), v) for n, v in (vote_field(v, locale) for v in shown)]
    if len(shown) < len(votes):
        rest = votes[len(shown):]
        fields.append((t("more_votes", locale, count=len(rest)),
                       clip(" · ".join(f"{MARKS[v.verdict]} {escape_markdown(v.model)}"
                                       for v in rest), 300)))
    return fit_card(embed, fields, extra)

"""A Report as Discord embeds: plain dicts in the shape of Discord's embed object, within limits.

The core does not import ``discord``; the cogs turn each dict into ``discord.Embed.from_dict``.
Fitting text into Discord's limits, and escaping untrusted markdown, is bot.present.limits' job.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from bot.present.i18n import format_number, language_name, locale_language, t
from bot.present.limits import (
    AUTHOR_LIMIT,
    TITLE_LIMIT,
    Embed,
    Message,
    Writer,
    clip,
    escape_markdown,
    fit_card,
    http_url,
    pack_messages,
    squash,
)
from bot.records import ClaimResult, Consensus, Report, Review, Summary, Usage, Verdict, Vote

MARKS = {Verdict.SUPPORTED: "✅", Verdict.REFUTED: "❌", Verdict.MISLEADING: "⚠️",
         Verdict.UNCERTAIN: "❔", Verdict.ERROR: "💥"}
NO_VOTE = "➖"
FLAG = "🚩"
CONSENSUS_MARKS = {
    Consensus.AGREED_SUPPORTED: "✅", Consensus.AGREED_REFUTED: "❌",
    Consensus.AGREED_MISLEADING: "⚠️", Consensus.DISPUTED: "⚖️",
    Consensus.ABSTAINED: "❔", Consensus.INSUFFICIENT: "💥",
}
GREEN, RED, YELLOW, ORANGE, BLUE, GREY, BLURPLE = (
    0x2ECC71, 0xE74C3C, 0xF1C40F, 0xE67E22, 0x3498DB, 0x95A5A6, 0x5865F2)
CONSENSUS_COLORS = {
    Consensus.AGREED_SUPPORTED: GREEN, Consensus.AGREED_REFUTED: RED,
    Consensus.AGREED_MISLEADING: YELLOW, Consensus.DISPUTED: ORANGE,
    Consensus.ABSTAINED: BLUE, Consensus.INSUFFICIENT: GREY,
}
# The report's colour is its most serious outcome: one refuted claim matters more than ten fine.
_SEVERITY = (Consensus.AGREED_REFUTED, Consensus.DISPUTED, Consensus.AGREED_MISLEADING,
             Consensus.INSUFFICIENT, Consensus.ABSTAINED, Consensus.AGREED_SUPPORTED)
_ACTIONS = {"accurate": ("accurate", GREEN), "inaccurate": ("inaccurate", RED),
            "needs_context": ("needs_context", YELLOW), "context": ("needs_context", YELLOW),
            "dismiss": ("dismiss", GREY), "dismissed": ("dismiss", GREY), "note": ("note", BLUE)}


def _reader_text(claim_result: ClaimResult, reader: str) -> str:
    # The claim in the reader's language when the claims model translated it; else as written.
    tr = claim_result.claim.translations
    base = reader.split("-")[0].lower()
    for lang, text in ((reader, tr.get(reader)), *tr.items()):
        if text and (lang == reader or lang.split("-")[0].lower() == base):
            return text
    return claim_result.claim.text


def _claim_body(r: ClaimResult, reader: str) -> str:
    text = _reader_text(r, reader)
    quote = squash(r.claim.quote)
    lines = [escape_markdown(text.strip())]
    if quote and quote != squash(text):
        lines.append(f"> “{escape_markdown(quote)}”")
    return "\n".join(lines)


def _ordered_votes(r: ClaimResult, panel: list[str]) -> list[tuple[str, Vote | None]]:
    # Panel order, then any escalation model that also voted.
    votes = {v.model: v for v in r.votes}
    return [(n, votes.get(n)) for n in panel] + [(v.model, v) for v in r.votes if v.model
                                                  not in panel]


def _marks(r: ClaimResult, panel: list[str], locale: str) -> str:
    pairs = _ordered_votes(r, panel)
    if not r.votes:
        return f"{NO_VOTE} {t('not_checked', locale)}"
    return " · ".join(f"{MARKS[v.verdict] if v else NO_VOTE} {escape_markdown(n)}"
                      for n, v in pairs)


def _consensus(c: Consensus, locale: str) -> str:
    return f"{CONSENSUS_MARKS[c]} {t('consensus.' + c.value, locale)}"


def _outcome(results: Iterable[ClaimResult]) -> int:
    found = {r.consensus for r in results}
    return next((CONSENSUS_COLORS[c] for c in _SEVERITY if c in found), BLURPLE)


def _time(value: Any) -> str | None:
    # A Discord timestamp renders in each reader's own time zone and language.
    if value is None or value == "":
        return None
    try:
        if isinstance(value, int | float):
            return f"<t:{int(value)}:f>"
        when = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
        when = when if when.tzinfo else when.replace(tzinfo=UTC)  # the store writes UTC
        return f"<t:{int(when.timestamp())}:f>"
    except ValueError:
        return escape_markdown(str(value))


def _action(decision: Mapping[str, Any] | None) -> tuple[str, int] | None:
    # ReviewAction values ("needs-context") and catalog keys ("needs_context") alike.
    action = str((decision or {}).get("action") or "")
    return _ACTIONS.get(action.lower().replace("-", "_").replace(" ", "_"))


def review_decision(review: Review) -> dict[str, Any]:
    """A stored Review as the decision dict that :func:`decision_text` and the card read."""
    return {"action": review.action.value, "moderator_id": review.moderator_id,
            "note": review.note, "decided_at": review.decided_at}


def decision_text(decision: Mapping[str, Any], locale: str) -> str:
    """"Accurate — by <@id> at <time>: note" for a moderator's decision, in ``locale``."""
    action = str(decision.get("action") or "")
    known = _action(decision)
    label = t(known[0], locale) if known else escape_markdown(action)
    mod = str(decision.get("moderator_id") or "?")
    moderator = f"<@{mod}>" if mod.isdigit() else escape_markdown(mod)
    when = _time(decision.get("decided_at"))
    line = (t("decided", locale, action=label, moderator=moderator, time=when) if when
            else t("decided_no_time", locale, action=label, moderator=moderator))
    note = squash(str(decision.get("note") or ""))
    return f"{line}: {escape_markdown(note)}" if note else line


def _header(report: Report, locale: str, counts: bool) -> list[Embed]:
    a = report.article
    author = f"Parallax · {t('article', locale)} {a.id}"
    w = Writer(locale, a.title.strip() or t("untitled", locale), _outcome(report.claims),
                url=a.canonical_url or a.source, author=author)
    lines = []
    if counts and report.claims:
        n = Counter(r.consensus for r in report.claims)
        agreed = sum(n[c] for c in (Consensus.AGREED_SUPPORTED, Consensus.AGREED_REFUTED,
                                    Consensus.AGREED_MISLEADING))
        parts = [f"**{t('claims', locale)}** {len(report.claims)}",
                 f"✅ {t('agreed', locale)} {agreed}",
                 f"{_consensus(Consensus.DISPUTED, locale)} {n[Consensus.DISPUTED]}",
                 f"{_consensus(Consensus.ABSTAINED, locale)} {n[Consensus.ABSTAINED]}"]
        if n[Consensus.INSUFFICIENT]:
            parts.append(f"{_consensus(Consensus.INSUFFICIENT, locale)} "
                         f"{n[Consensus.INSUFFICIENT]}")
        lines.append(" · ".join(parts))
        flagged = sum(r.flagged for r in report.claims)
        if flagged:
            lines.append(f"{FLAG} {flagged} {t('flagged', locale)}")
    lang = a.language.code
    lines.append(f"{t('language', locale)}: {language_name(lang)} ({lang}, "
                 f"{a.language.confidence:.0%}) · {format_number(a.chars, locale)} "
                 f"{t('characters', locale)}")
    if report.cached:
        lines.append(f"🗄️ {t('cached', locale)}")
    w.text("\n".join(lines))
    return w.embeds


def _warnings(report: Report, locale: str) -> list[Embed]:
    if not report.warnings:
        return []
    w = Writer(locale, t("warnings", locale), YELLOW)
    # The pipeline's offline warning is known text: say it in the reader's language.
    lines = [t("offline_warning", locale) if x.startswith("offline mode:") else escape_markdown(x)
             for x in report.warnings]
    w.text("\n".join(f"⚠️ {line}" for line in lines))
    return w.embeds


def _pick(report: Report, languages: tuple[str, ...] | None) -> list[tuple[str, Summary | None]]:
    if languages is None:
        return list(report.summaries.items())
    picked: dict[str, Summary | None] = {}
    for lang in languages:
        base = lang.split("-")[0].lower()
        picked[lang] = report.summaries.get(lang) or next(
            (s for k, s in report.summaries.items() if k.split("-")[0].lower() == base), None)
    return list(picked.items())


def _summaries(report: Report, locale: str, languages: tuple[str, ...] | None) -> list[Embed]:
    embeds: list[Embed] = []
    for lang, summary in _pick(report, languages):
        w = Writer(locale, f"{t('summary', locale)} · {language_name(lang)} ({lang})", BLURPLE)
        note = squash(summary.note or "") if summary else ""
        text = escape_markdown(summary.text.strip()) if summary else ""
        if not text and note and note.startswith("offline mode cannot translate"):
            text, note = t("cannot_translate", locale,
                           language=language_name(report.article.language.code)), ""
        body = text or t("no_summary", locale)
        w.text(f"{body}\n\n*{escape_markdown(note)}*" if note else body)
        if summary:
            w.footer(summary.model)
        embeds += w.embeds
    return embeds


def _footer(report: Report, locale: str, cost: float | None) -> str:
    members = [m.name if m.status == "ok" else f"{m.name} ({m.status})" for m in report.panel]
    # The check's own total (every stage) when the pipeline recorded it, else the panel's.
    usage = report.usage
    if not (usage.input_tokens or usage.output_tokens):
        usage = sum((m.usage for m in report.panel), Usage())
    tokens = (usage.input_tokens + usage.output_tokens + usage.cache_read_tokens
              + usage.cache_write_tokens)
    cost = report.cost_usd if cost is None else cost
    parts = [f"{t('panel', locale)}: {', '.join(members) or '—'}",
             f"{format_number(tokens, locale)} {t('tokens', locale)}",
             f"{t('cost', locale)} ≈ ${cost:.4f}" if cost < 1
             else f"{t('cost', locale)} ≈ ${cost:,.2f}",
             f"{t('quorum', locale)} {report.quorum}"]
    if report.check_id:
        parts.append(f"{t('check', locale)} {report.check_id}")
    return " · ".join(parts)


def _claims(report: Report, locale: str, cost: float | None,
            decisions: Mapping[str, Mapping[str, Any]]) -> list[Embed]:
    reader = locale_language(locale)
    panel = [m.name for m in report.panel]
    w = Writer(locale, t("claims", locale), _outcome(report.claims))
    legend = " · ".join(f"{MARKS[v]} {t('verdict.' + v.value, locale)}" for v in Verdict)
    w.text(f"{legend} · {FLAG} {t('flagged', locale)}" if report.claims
           else t("no_claims", locale))
    for r in report.claims:
        name = f"#{r.claim.position + 1} · {_consensus(r.consensus, locale)}"
        lines = [_claim_body(r, reader), _marks(r, panel, locale)]
        if r.claim.id in decisions:
            lines.append(f"🛡️ {t('moderators', locale)}: "
                         f"{decision_text(decisions[r.claim.id], locale)}")
        w.field(f"{name} · {FLAG}" if r.flagged else name, "\n".join(lines))
    w.footer(_footer(report, locale, cost))
    return w.embeds


def report_messages(report: Report, locale: str = "en", languages: tuple[str, ...] | None = None,
                    *, cost: float | None = None,
                    decisions: Mapping[str, Mapping[str, Any]] | None = None) -> list[Message]:
    """The whole /check answer: messages, each a list of embed dicts within Discord's limits.

    A header (title, link, counts), the warnings, a summary per language (``languages``, in
    that order; default: every summary in the report), the claims with one mark per panel
    model and the consensus, and a footer with the panel, tokens and cost (``cost`` when given,
    else the report's own ``cost_usd``).
    ``locale`` is the reader's Discord locale: headings, and claims when translated.
    ``decisions`` maps claim ids to moderators' latest decisions (see :func:`decision_text`);
    by default, each claim's own ``review``.
    """
    if decisions is None:
        decisions = {r.claim.id: review_decision(r.review) for r in report.claims if r.review}
    return pack_messages([*_header(report, locale, counts=True), *_warnings(report, locale),
                          *_summaries(report, locale, languages),
                          *_claims(report, locale, cost, decisions)])


def summary_messages(report: Report, locale: str = "en",
                     languages: tuple[str, ...] | None = None) -> list[Message]:
    """The /summarize answer: the article's header, warnings and summaries, no claims."""
    return pack_messages([*_header(report, locale, counts=False), *_warnings(report, locale),
                          *_summaries(report, locale, languages)])


def _vote_field(v: Vote, locale: str) -> tuple[str, str]:
    name = f"{MARKS[v.verdict]} {v.model} — {t('verdict.' + v.verdict.value, locale)}"
    if v.verdict is not Verdict.ERROR:  # an error has no confidence to speak of
        name += f" · {t('confidence', locale)} {v.confidence:.0%}"
    lines = [escape_markdown(v.rationale.strip()) or t("no_rationale", locale)]
    for ev in v.evidence:
        link = http_url(ev.url) or escape_markdown(ev.url)
        label = escape_markdown(squash(ev.title))
        lines.append(f"• {label} — {link}" if label else f"• {link}")
        if ev.quote.strip():
            lines.append(f"> {escape_markdown(squash(ev.quote))}")
    return name, "\n".join(lines)


def details_embeds(report: Report, locale: str = "en") -> list[Message]:
    """Each model's verdict, confidence, rationale and evidence, claim by claim (for "Details")."""
    reader = locale_language(locale)
    panel = [m.name for m in report.panel]
    embeds: list[Embed] = []
    for r in report.claims:
        w = Writer(locale, f"#{r.claim.position + 1} · {_consensus(r.consensus, locale)}",
                    CONSENSUS_COLORS[r.consensus])
        w.text(_claim_body(r, reader))
        for _name, vote in _ordered_votes(r, panel):
            if vote is not None:
                w.field(*_vote_field(vote, locale))
        if not r.votes:
            w.field(t("panel", locale), t("not_checked", locale))
        embeds += w.embeds
    if not embeds:
        embeds = Writer(locale, t("details", locale), GREY).embeds
        embeds[0]["description"] = t("no_claims", locale)
    return pack_messages(embeds)


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
    known = _action(decision)
    embed: Embed = {
        "color": known[1] if known else CONSENSUS_COLORS[claim.consensus],
        "author": {"name": clip(f"{FLAG} {t('flagged_claim', locale)} · "
                                f"{_consensus(claim.consensus, locale)}", AUTHOR_LIMIT, True)},
        "title": clip(article_title, TITLE_LIMIT, True) or t("untitled", locale),
        "description": clip(_claim_body(claim, locale_language(locale)), 1500) or "—",
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
    votes = list(claim.votes)
    shown = votes if len(votes) <= CARD_VOTES else votes[:CARD_VOTES - 1]
    fields = [(clip(n, 100, True), v) for n, v in (_vote_field(v, locale) for v in shown)]
    if len(shown) < len(votes):
        rest = votes[len(shown):]
        fields.append((t("more_votes", locale, count=len(rest)),
                       clip(" · ".join(f"{MARKS[v.verdict]} {escape_markdown(v.model)}"
                                       for v in rest), 300)))
    return fit_card(embed, fields, extra)

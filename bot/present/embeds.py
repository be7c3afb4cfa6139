"""A Report as Discord embeds: plain dicts in the shape of Discord's embed object, within limits.

The core does not import ``discord``; the cogs turn each dict into ``discord.Embed.from_dict``.
Fitting text into Discord's limits, and escaping untrusted markdown, is bot.present.limits' job.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from bot.present.claim_marks import (
    BLURPLE,
    CONSENSUS_COLORS,
    FLAG,
    GREY,
    MARKS,
    YELLOW,
    claim_body,
    consensus_label,
    decision_text,
    evidence_line,
    ordered_votes,
    review_decision,
    source_lines,
    vote_field,
    vote_marks,
)
from bot.present.i18n import format_number, language_name, locale_language, t
from bot.present.limits import (
    Embed,
    Message,
    Writer,
    clip,
    escape_markdown,
    http_url,
    pack_messages,
    page_room,
    paginate,
    squash,
)
from bot.records import (
    ClaimResult,
    Consensus,
    MemberStatus,
    Report,
    ReportStatus,
    Stage,
    Summary,
    Usage,
    Verdict,
)

# A report's colour is its most serious outcome: one refuted claim matters more than ten fine.
_SEVERITY = (Consensus.AGREED_REFUTED, Consensus.DISPUTED, Consensus.AGREED_MISLEADING,
             Consensus.INSUFFICIENT, Consensus.ABSTAINED, Consensus.AGREED_SUPPORTED)


def _outcome(results: Iterable[ClaimResult]) -> int:
    found = {r.consensus for r in results}
    return next((CONSENSUS_COLORS[c] for c in _SEVERITY if c in found), BLURPLE)


def _header(report: Report, locale: str, counts: bool) -> list[Embed]:
    a = report.article
    author = f"Parallax · {t('article', locale)} {a.id}"
    color = YELLOW if report.status is ReportStatus.INCOMPLETE else _outcome(report.claims)
    w = Writer(locale, a.title.strip() or t("untitled", locale), color,
               url=http_url(a.canonical_url) or http_url(a.source), author=author)
    lines = []
    if report.status is ReportStatus.INCOMPLETE:
        lines.append(f"⚠️ **{t('incomplete', locale)}**")
        lines += [f"• {t('stage_' + f.stage.value, locale)} {t('failed', locale)}: "
                  f"{escape_markdown(clip(f.reason, 300, one_line=True))}"
                  for f in report.failed_stages]
    if counts and report.claims:
        n = Counter(r.consensus for r in report.claims)
        agreed = sum(n[c] for c in (Consensus.AGREED_SUPPORTED, Consensus.AGREED_REFUTED,
                                    Consensus.AGREED_MISLEADING))
        parts = [f"**{t('claims', locale)}** {len(report.claims)}",
                 f"✅ {t('agreed', locale)} {agreed}",
                 f"{consensus_label(Consensus.DISPUTED, locale)} {n[Consensus.DISPUTED]}",
                 f"{consensus_label(Consensus.ABSTAINED, locale)} {n[Consensus.ABSTAINED]}"]
        if n[Consensus.INSUFFICIENT]:
            parts.append(f"{consensus_label(Consensus.INSUFFICIENT, locale)} "
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
    members = [m.name if m.status is MemberStatus.OK
               else f"{m.name} ({t('status_' + m.status.value, locale)})" for m in report.panel]
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
    empty = t("claims_failed", locale) if report.failed(Stage.CLAIMS) else t("no_claims", locale)
    w.text(f"{legend} · {FLAG} {t('flagged', locale)}" if report.claims else empty)
    for r in report.claims:
        name = f"#{r.claim.position + 1} · {consensus_label(r.consensus, locale)}"
        lines = [claim_body(r, reader), vote_marks(r, panel, locale)]
        if (sources := evidence_line(r, locale)) is not None:
            lines.append(sources)
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


def details_embeds(report: Report, locale: str = "en") -> list[Message]:
    """Each model's verdict, confidence, rationale and evidence, claim by claim (for "Details"):
    the whole report as pages (messages within Discord's limits), each footed "page 3 of 12"
    when there are several."""
    reader = locale_language(locale)
    panel = [m.name for m in report.panel]

    def label(page: int, pages: int) -> str:
        return t("page", locale, page=page, pages=pages)

    reserve = page_room(label)
    embeds: list[Embed] = []
    for r in report.claims:
        w = Writer(locale, f"#{r.claim.position + 1} · {consensus_label(r.consensus, locale)}",
                   CONSENSUS_COLORS[r.consensus], reserve=reserve)
        w.text(claim_body(r, reader))
        for _name, vote in ordered_votes(r, panel):
            if vote is not None:
                w.field(*vote_field(vote, locale))
        if not r.votes:
            w.field(t("panel", locale), t("not_checked", locale))
        for n, line in enumerate(source_lines(r)):  # one field each: a field holds 1024
            w.field(f"📚 {t('evidence', locale)}" if n == 0 else "\u200b", clip(line, 1000))
        embeds += w.embeds
    if not embeds:
        embeds = Writer(locale, t("details", locale), GREY).embeds
        embeds[0]["description"] = t("no_claims", locale)
    return paginate(embeds, label)


def details_page(report: Report, locale: str, page: int) -> tuple[Message, int, int]:
    """Page ``page`` (from 1; clamped to the pages there are) of :func:`details_embeds`, with
    its number and the number of pages."""
    pages = details_embeds(report, locale)
    number = min(max(page, 1), len(pages))
    return pages[number - 1], number, len(pages)

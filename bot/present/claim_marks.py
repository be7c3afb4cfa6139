"""The shared vocabulary of Parallax's Discord embeds: marks, colours, a claim's text, a vote,
and a moderator's decision. Reports (:mod:`bot.present.embeds`) and moderators' cards
(:mod:`bot.present.review_cards`) speak it alike.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from bot.config import ARCHIVE
from bot.present.i18n import t
from bot.present.limits import clip, escape_markdown, http_url, squash
from bot.records import ClaimResult, Consensus, Review, Verdict, Vote

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
_ACTIONS = {"accurate": ("accurate", GREEN), "inaccurate": ("inaccurate", RED),
            "needs_context": ("needs_context", YELLOW), "context": ("needs_context", YELLOW),
            "dismiss": ("dismiss", GREY), "dismissed": ("dismiss", GREY), "note": ("note", BLUE)}


def reader_text(claim_result: ClaimResult, reader: str) -> str:
    """The claim in the reader's language when the claims model translated it; else as written."""
    tr = claim_result.claim.translations
    base = reader.split("-")[0].lower()
    for lang, text in ((reader, tr.get(reader)), *tr.items()):
        if text and (lang == reader or lang.split("-")[0].lower() == base):
            return text
    return claim_result.claim.text


def claim_body(r: ClaimResult, reader: str) -> str:
    """The claim (in the reader's language) and, when it differs, its quote, escaped."""
    text = reader_text(r, reader)
    quote = squash(r.claim.quote)
    lines = [escape_markdown(text.strip())]
    if quote and quote != squash(text):
        lines.append(f"> “{escape_markdown(quote)}”")
    return "\n".join(lines)


def ordered_votes(r: ClaimResult, panel: list[str]) -> list[tuple[str, Vote | None]]:
    """(model, its vote or None) in panel order, then any escalation model that voted."""
    votes = {v.model: v for v in r.votes}
    return [(n, votes.get(n)) for n in panel] + [(v.model, v) for v in r.votes if v.model
                                                  not in panel]


def vote_marks(r: ClaimResult, panel: list[str], locale: str) -> str:
    """One mark per model (➖ where it gave no vote): "✅ a · ❌ b"."""
    pairs = ordered_votes(r, panel)
    if not r.votes:
        return f"{NO_VOTE} {t('not_checked', locale)}"
    return " · ".join(f"{MARKS[v.verdict] if v else NO_VOTE} {escape_markdown(n)}"
                      for n, v in pairs)


def consensus_label(c: Consensus, locale: str) -> str:
    """The consensus with its mark, in ``locale``: "⚖️ Disputed"."""
    return f"{CONSENSUS_MARKS[c]} {t('consensus.' + c.value, locale)}"


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


def decision_action(decision: Mapping[str, Any] | None) -> tuple[str, int] | None:
    """(catalog key, colour) of a decision's action, or None for an unknown one.

    ReviewAction values ("needs-context") and catalog keys ("needs_context") alike.
    """
    action = str((decision or {}).get("action") or "")
    return _ACTIONS.get(action.lower().replace("-", "_").replace(" ", "_"))


def review_decision(review: Review) -> dict[str, Any]:
    """A stored Review as the decision dict that :func:`decision_text` and the card read."""
    return {"action": review.action.value, "moderator_id": review.moderator_id,
            "note": review.note, "decided_at": review.decided_at}


def decision_text(decision: Mapping[str, Any], locale: str) -> str:
    """"Accurate — by <@id> at <time>: note" for a moderator's decision, in ``locale``."""
    action = str(decision.get("action") or "")
    known = decision_action(decision)
    label = t(known[0], locale) if known else escape_markdown(action)
    mod = str(decision.get("moderator_id") or "?")
    moderator = f"<@{mod}>" if mod.isdigit() else escape_markdown(mod)
    when = _time(decision.get("decided_at"))
    line = (t("decided", locale, action=label, moderator=moderator, time=when) if when
            else t("decided_no_time", locale, action=label, moderator=moderator))
    note = squash(str(decision.get("note") or ""))
    return f"{line}: {escape_markdown(note)}" if note else line


def vote_field(v: Vote, locale: str) -> tuple[str, str]:
    """(name, value) of an embed field for one vote: verdict, confidence, rationale, evidence."""
    name = f"{MARKS[v.verdict]} {v.model} — {t('verdict.' + v.verdict.value, locale)}"
    if v.verdict is not Verdict.ERROR:  # an error has no confidence to speak of
        name += f" · {t('confidence', locale)} {v.confidence:.0%}"
    lines = [escape_markdown(v.rationale.strip()) or t("no_rationale", locale)]
    lines.append(f"📎 {t('cites', locale)}: {', '.join(v.cites)}" if v.cites
                 else f"🧠 {t('own_knowledge', locale)}")
    for ev in v.evidence:
        link = http_url(ev.url) or escape_markdown(ev.url)
        label = escape_markdown(squash(ev.title))
        lines.append(f"• {label} — {link}" if label else f"• {link}")
        if ev.quote.strip():
            lines.append(f"> {escape_markdown(squash(ev.quote))}")
    return name, "\n".join(lines)


def evidence_line(r: ClaimResult, locale: str) -> str | None:
    """"📚 3 sources · cited by a, b": how much evidence a claim had and which models used it."""
    if not r.evidence:
        return None
    sources = len({p.url for p in r.evidence})
    citing = [v.model for v in r.votes if v.cites]
    line = f"📚 {t('sources', locale, count=sources)}"
    if citing:
        line += f" · {t('cited_by', locale)} {', '.join(citing)}"
    if witnesses := reported_by(r):
        line += f" · {t('also_reported', locale)} {escape_markdown(', '.join(witnesses))}"
    return line


def reported_by(r: ClaimResult) -> list[str]:
    """The earlier articles of the archive behind a claim's passages, once each, as
    "tagesschau.de (de)": the same event as reported by other outlets or in other languages."""
    seen: dict[str, str] = {}
    for p in r.evidence:
        if p.backend == ARCHIVE and p.url not in seen:
            # A stored file has no site (its path is not shown): its title names it.
            site = p.site if p.site and p.site != ARCHIVE else ""
            name = site or clip(p.title, 40, one_line=True) or ARCHIVE
            seen[p.url] = f"{name} ({p.language})" if p.language else name
    return list(dict.fromkeys(seen.values()))


def source_lines(r: ClaimResult) -> list[str]:
    """One line per evidence passage: its id, a link, the site and date (mentions are off)."""
    lines = []
    for p in r.evidence:
        link = http_url(p.url) or escape_markdown(p.url)
        about = " · ".join(escape_markdown(x) for x in (p.site, p.published or "") if x)
        title = escape_markdown(squash(p.title)) or link
        lines.append(f"**{p.id}** [{title}]({link}) {about}" if http_url(p.url)
                     else f"**{p.id}** {title} {about}")
    return lines

"""A Report as Discord embeds: plain dicts in the shape of Discord's embed object, within limits.

The core does not import ``discord``; the cogs turn each dict into ``discord.Embed.from_dict``.
Long text is never cut: it continues in the next field, embed or message. Only values that
cannot continue elsewhere (titles, field names, footers, author names, and the single-embed
moderators' card) are shortened, with "…". Lengths are code points (Python's ``len``): that is
how Discord's API, written in Python, counts them (discord-api-docs#1315).

Mentions: text in embeds never pings (only ``content`` does) but ``<@id>`` still renders as a
mention, so untrusted text is markdown-escaped (no mention markup, masked links, headings or
spoilers from an article); the bot also sends every message with ``allowed_mentions`` empty.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from bot.present.i18n import format_number, language_name, locale_language, t
from bot.records import ClaimResult, Consensus, Report, Summary, Usage, Verdict, Vote

TITLE_LIMIT, DESCRIPTION_LIMIT, FIELDS_LIMIT = 256, 4096, 25
FIELD_NAME_LIMIT, FIELD_VALUE_LIMIT = 256, 1024
FOOTER_LIMIT, AUTHOR_LIMIT = 2048, 256
TOTAL_LIMIT, EMBEDS_LIMIT, CONTENT_LIMIT = 6000, 10, 2000  # TOTAL is per message, all embeds
URL_LIMIT = 2048
ZWSP = "\u200b"  # a field name must not be empty: continuation fields get an invisible one

Embed = dict[str, Any]
Message = list[Embed]

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

_MARKDOWN = re.compile(r"(https?://[^\s<>]+)|([\\*_~`|\[\]<>#])")
_URL = re.compile(r"https?://[^\s<>\"]+")
_BREAKS = (("\n\n",), ("\n",), (". ", "! ", "? ", "。", "！", "？", "؟ ", "। ", "; "), (" ",))


def escape_markdown(text: str) -> str:
    """``text`` with Discord markdown and mention markup escaped; bare URLs left clickable."""
    return _MARKDOWN.sub(lambda m: m.group(1) or "\\" + m.group(2), text)


def _glued(text: str, i: int) -> bool:
    # Cutting before index i would split a character from what modifies it: a combining mark,
    # a variation selector, a skin tone, a ZWJ sequence, a flag's second half, an escape.
    c, before = text[i], text[i - 1]
    cp = ord(c)
    return (unicodedata.combining(c) > 0 or unicodedata.category(c) in ("Mn", "Me", "Mc")
            or c == "\u200d" or before == "\u200d" or before == "\\" or before == "\r"
            or 0xFE00 <= cp <= 0xFE0F or 0x1F3FB <= cp <= 0x1F3FF or 0xE0000 <= cp <= 0xE01EF
            or (0x1F1E6 <= cp <= 0x1F1FF and 0x1F1E6 <= ord(before) <= 0x1F1FF
                and _regional_run(text, i) % 2 == 1))


def _regional_run(text: str, i: int) -> int:
    n = 0
    while i - n - 1 >= 0 and 0x1F1E6 <= ord(text[i - n - 1]) <= 0x1F1FF:
        n += 1
    return n


def _cut(text: str, limit: int) -> int:
    # Prefer a paragraph, a line, a sentence, a word — in the second half of the window, so
    # chunks stay large; else a hard cut that does not break a character cluster.
    low = limit // 2
    for seps in _BREAKS:
        found = [i + len(s) for s in seps if (i := text.rfind(s, low, limit)) >= 0]
        if found:
            return max(found)
    cut = limit
    while cut > max(low, 1) and _glued(text, cut):
        cut -= 1
    return cut


def split_text(text: str, limit: int) -> list[str]:
    """``text`` in chunks of at most ``limit`` characters, none blank, broken at natural places.

    Only whitespace at the breaks is dropped; every other character is kept, in order.
    """
    chunks, rest = [], text.strip()
    while len(rest) > limit:
        cut = _cut(rest, limit)
        chunks.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    return [c for c in [*chunks, rest] if c]


def clip(text: str, limit: int, one_line: bool = False) -> str:
    """``text`` shortened to ``limit`` characters with "…" (for values that cannot continue)."""
    text = " ".join(text.split()) if one_line else text.strip()
    if len(text) <= limit:
        return text
    cut = max(limit - 1, 0)
    while 0 < cut < len(text) and _glued(text, cut):
        cut -= 1
    return text[:cut].rstrip() + "…"


def embed_chars(embed: Embed) -> int:
    """Characters counted toward the 6000 total: title, description, fields, footer, author."""
    return (len(embed.get("title", "")) + len(embed.get("description", ""))
            + sum(len(f.get("name", "")) + len(f.get("value", "")) for f in embed.get("fields", ()))
            + len(embed.get("footer", {}).get("text", ""))
            + len(embed.get("author", {}).get("name", "")))


def validate_message(embeds: list[Embed], content: str = "") -> list[str]:
    """Every Discord limit the message breaks, as readable lines; empty when it may be sent."""
    problems: list[str] = []
    if len(content) > CONTENT_LIMIT:
        problems.append(f"content: {len(content)} characters > {CONTENT_LIMIT}")
    if len(embeds) > EMBEDS_LIMIT:
        problems.append(f"{len(embeds)} embeds > {EMBEDS_LIMIT}")
    for i, e in enumerate(embeds):
        texts = (("title", e.get("title"), TITLE_LIMIT),
                 ("description", e.get("description"), DESCRIPTION_LIMIT),
                 ("footer.text", e.get("footer", {}).get("text"), FOOTER_LIMIT),
                 ("author.name", e.get("author", {}).get("name"), AUTHOR_LIMIT))
        for name, value, limit in texts:
            if value is not None and len(value) > limit:
                problems.append(f"embed {i}: {name} {len(value)} characters > {limit}")
        fields = e.get("fields", [])
        if len(fields) > FIELDS_LIMIT:
            problems.append(f"embed {i}: {len(fields)} fields > {FIELDS_LIMIT}")
        for j, f in enumerate(fields):
            for key, limit in (("name", FIELD_NAME_LIMIT), ("value", FIELD_VALUE_LIMIT)):
                value = f.get(key)
                if not isinstance(value, str) or not value.strip():
                    problems.append(f"embed {i} field {j}: {key} is empty")
                elif len(value) > limit:
                    problems.append(f"embed {i} field {j}: {key} {len(value)} > {limit}")
        if "url" in e and not (isinstance(e["url"], str) and _url(e["url"])):
            problems.append(f"embed {i}: url is not an http(s) URL")
        if not any(e.get(k) for k in ("title", "description", "fields", "footer", "author")):
            problems.append(f"embed {i}: empty")
    total = sum(embed_chars(e) for e in embeds)
    if total > TOTAL_LIMIT:
        problems.append(f"{total} characters in the message's embeds > {TOTAL_LIMIT}")
    return problems


def pack_messages(embeds: Iterable[Embed]) -> list[Message]:
    """Embeds (each within limits) grouped, in order, into as few messages as the limits allow."""
    messages: list[Message] = []
    size = 0
    for e in embeds:
        n = embed_chars(e)
        if not messages or len(messages[-1]) >= EMBEDS_LIMIT or size + n > TOTAL_LIMIT:
            messages.append([])
            size = 0
        messages[-1].append(e)
        size += n
    return messages


def _url(value: str | None) -> str | None:
    # Discord rejects a message whose embed url is not a well-formed http(s) URL.
    return value if value and len(value) <= URL_LIMIT and _URL.fullmatch(value) else None


class _Writer:
    """Fills the embeds of one section, opening a continuation embed before any limit breaks."""

    def __init__(self, locale: str, title: str, color: int, url: str | None = None,
                 author: str | None = None) -> None:
        self.locale, self.title, self.color = locale, title, color
        self.embeds: list[Embed] = []
        self._open(url, author)

    def _open(self, url: str | None = None, author: str | None = None) -> None:
        title = self.title if not self.embeds else f"{self.title} ({t('continued', self.locale)})"
        embed: Embed = {"color": self.color}
        if title.strip():
            embed["title"] = clip(title, TITLE_LIMIT, one_line=True)
        if _url(url):
            embed["url"] = url
        if author:
            embed["author"] = {"name": clip(author, AUTHOR_LIMIT, one_line=True)}
        self.embeds.append(embed)

    def _fits(self, fields: int, chars: int) -> bool:
        e = self.embeds[-1]
        return (len(e.get("fields", ())) + fields <= FIELDS_LIMIT
                and embed_chars(e) + chars <= TOTAL_LIMIT)

    def text(self, text: str) -> None:
        """Description text; a long one continues in the descriptions of the next embeds."""
        for chunk in split_text(text, DESCRIPTION_LIMIT):
            if {"description", "fields"} & self.embeds[-1].keys():
                self._open()
            # Always fits: title 256 + author 256 + description 4096 < 6000.
            self.embeds[-1]["description"] = chunk

    def field(self, name: str, value: str) -> None:
        """One field (a claim, a vote); a long value continues in the fields that follow."""
        name = clip(name, FIELD_NAME_LIMIT, one_line=True) or ZWSP
        parts = split_text(value, FIELD_VALUE_LIMIT) or ["—"]
        cost = len(name) + sum(len(p) + len(ZWSP) for p in parts)
        # Keep a field's parts together: start a fresh embed when they fit there but not here.
        fresh = len(parts) <= FIELDS_LIMIT and cost + TITLE_LIMIT + AUTHOR_LIMIT <= TOTAL_LIMIT
        started = {"description", "fields"} & self.embeds[-1].keys()
        if fresh and started and not self._fits(len(parts), cost):
            self._open()
        for i, part in enumerate(parts):
            label = name if i == 0 else ZWSP
            if not self._fits(1, len(label) + len(part)):
                self._open()
                if i:  # the reader of a new embed needs to know what this continues
                    label = clip(f"{name} ({t('continued', self.locale)})", FIELD_NAME_LIMIT,
                                 one_line=True)
            self.embeds[-1].setdefault("fields", []).append(
                {"name": label, "value": part, "inline": False})

    def footer(self, text: str) -> None:
        """A footer on the section's last embed (a new embed if it would not fit)."""
        text = clip(text, FOOTER_LIMIT)
        if text:
            if not self._fits(0, len(text)):
                self._open()
            self.embeds[-1]["footer"] = {"text": text}


def _squash(text: str) -> str:
    return " ".join(text.split())


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
    quote = _squash(r.claim.quote)
    lines = [escape_markdown(text.strip())]
    if quote and quote != _squash(text):
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
    note = _squash(str(decision.get("note") or ""))
    return f"{line}: {escape_markdown(note)}" if note else line


def _header(report: Report, locale: str, counts: bool) -> list[Embed]:
    a = report.article
    author = f"Parallax · {t('article', locale)} {a.id}"
    w = _Writer(locale, a.title.strip() or t("untitled", locale), _outcome(report.claims),
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
    w = _Writer(locale, t("warnings", locale), YELLOW)
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
        w = _Writer(locale, f"{t('summary', locale)} · {language_name(lang)} ({lang})", BLURPLE)
        note = _squash(summary.note or "") if summary else ""
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
    w = _Writer(locale, t("claims", locale), _outcome(report.claims))
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
    ``decisions`` maps claim ids to moderators' latest decisions (see :func:`decision_text`).
    """
    return pack_messages([*_header(report, locale, counts=True), *_warnings(report, locale),
                          *_summaries(report, locale, languages),
                          *_claims(report, locale, cost, decisions or {})])


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
        link = _url(ev.url) or escape_markdown(ev.url)
        label = escape_markdown(_squash(ev.title))
        lines.append(f"• {label} — {link}" if label else f"• {link}")
        if ev.quote.strip():
            lines.append(f"> {escape_markdown(_squash(ev.quote))}")
    return name, "\n".join(lines)


def details_embeds(report: Report, locale: str = "en") -> list[Message]:
    """Each model's verdict, confidence, rationale and evidence, claim by claim (for "Details")."""
    reader = locale_language(locale)
    panel = [m.name for m in report.panel]
    embeds: list[Embed] = []
    for r in report.claims:
        w = _Writer(locale, f"#{r.claim.position + 1} · {_consensus(r.consensus, locale)}",
                    CONSENSUS_COLORS[r.consensus])
        w.text(_claim_body(r, reader))
        for _name, vote in _ordered_votes(r, panel):
            if vote is not None:
                w.field(*_vote_field(vote, locale))
        if not r.votes:
            w.field(t("panel", locale), t("not_checked", locale))
        embeds += w.embeds
    if not embeds:
        embeds = _Writer(locale, t("details", locale), GREY).embeds
        embeds[0]["description"] = t("no_claims", locale)
    return pack_messages(embeds)


CARD_VOTES = 10  # a card shows this many models' rationales; more are listed by mark only


def _shrink(embed: Embed) -> Embed:
    # A card is one embed: shorten the longest texts, a quarter at a time so that they level
    # out rather than one vanishing, until the 6000 total holds.
    while (excess := embed_chars(embed) - TOTAL_LIMIT) > 0:
        slots = [(embed, "description")] + [(f, "value") for f in embed["fields"]]
        holder, key = max(slots, key=lambda s: len(s[0][s[1]]))
        size = len(holder[key])
        holder[key] = clip(holder[key], max(size - excess, size * 3 // 4, 1)) or "…"
    return embed


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
    if _url(article_url):
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
    used = embed_chars(embed) + sum(len(n) + len(v) for n, v in extra)
    share = (TOTAL_LIMIT - used - sum(len(n) for n, _ in fields)) // max(len(fields), 1)
    fields = [(n, clip(v, max(min(share, FIELD_VALUE_LIMIT), 40))) for n, v in fields]
    embed["fields"] = [{"name": n or ZWSP, "value": v or "—", "inline": False}
                       for n, v in [*fields, *extra]]
    return _shrink(embed)

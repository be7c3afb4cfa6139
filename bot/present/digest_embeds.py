"""A digest as Discord embeds: one per article, short, split within Discord's limits."""

from __future__ import annotations

from bot.present.i18n import t
from bot.present.limits import Embed, Message, clip, escape_markdown, http_url, pack_messages
from bot.records import Digest, DigestItem

SUMMARY_CHARS = 280  # "a one- or two-line summary per language"
DISPUTED_SHOWN = 2
COLOR = 0x5865F2


def digest_messages(digest: Digest, locale: str = "en") -> list[Message]:
    """The digest's messages: a header, then one short embed per article."""
    items = digest.items
    header: Embed = {"title": f"📰 {t('digest', locale)}", "color": COLOR,
                     "description": t("digest_count", locale, count=len(items))
                     if items else t("digest_empty", locale)}
    return pack_messages([header, *(_article(item, locale) for item in items)])


def _article(item: DigestItem, locale: str) -> Embed:
    lines = []
    for lang, text in item.summaries.items():
        lines.append(f"**{lang}** · {escape_markdown(clip(text, SUMMARY_CHARS, one_line=True))}")
    counts = item.counts
    if not item.complete:
        lines.append(f"⚠️ _{t('check_incomplete', locale)}_")
    if item.checked and counts:
        lines.append(" · ".join(f"{t(key, locale)} {n}" for key, n in counts.items())
                     + (f" · 📚 {t('sources', locale, count=item.sources)}" if item.sources
                        else ""))
    elif not item.checked and item.complete:
        lines.append(f"_{t('not_checked', locale)}_")
    decisions = item.decisions
    if decisions:
        lines.append(f"🛡️ {t('moderators', locale)}: "
                     + ", ".join(f"{action} {n}" for action, n in decisions.items()))
    embed: Embed = {"title": clip(item.title or t("untitled", locale), 256,
                                  one_line=True),
                    "description": clip("\n".join(lines) or "—", 1500), "color": COLOR}
    url = http_url(item.url)
    if url:
        embed["url"] = url
    disputed = list(item.disputed)[:DISPUTED_SHOWN]
    if disputed:
        embed["fields"] = [{"name": f"⚖️ {t('disputed_claims', locale)}", "inline": False,
                            "value": clip("\n".join(f"• {escape_markdown(clip(c, 300))}"
                                                    for c in disputed), 1024)}]
    return embed

"""One job: fit text within Discord's embed and message limits.

Long text is never cut: it continues in the next field, embed or message. Only values that
cannot continue elsewhere (titles, field names, footers, author names, and a single-embed card)
are shortened, with "…". Lengths are code points (Python's ``len``): that is how Discord's API,
written in Python, counts them (discord-api-docs#1315).

Mentions: text in embeds never pings (only ``content`` does) but ``<@id>`` still renders as a
mention, so untrusted text is markdown-escaped (no mention markup, masked links, headings or
spoilers from an article); the bot also sends every message with ``allowed_mentions`` empty.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from typing import Any

from bot.present.i18n import t

TITLE_LIMIT, DESCRIPTION_LIMIT, FIELDS_LIMIT = 256, 4096, 25
FIELD_NAME_LIMIT, FIELD_VALUE_LIMIT = 256, 1024
FOOTER_LIMIT, AUTHOR_LIMIT = 2048, 256
TOTAL_LIMIT, EMBEDS_LIMIT, CONTENT_LIMIT = 6000, 10, 2000  # TOTAL is per message, all embeds
URL_LIMIT = 2048
ZWSP = "\u200b"  # a field name must not be empty: continuation fields get an invisible one

Embed = dict[str, Any]
Message = list[Embed]

_MARKDOWN = re.compile(r"(https?://[^\s<>]+)|([\\*_~`|\[\]<>#])")
_URL = re.compile(r"https?://[^\s<>\"]+")
_BREAKS = (("\n\n",), ("\n",), (". ", "! ", "? ", "。", "！", "？", "؟ ", "। ", "; "), (" ",))


def squash(text: str) -> str:
    """``text`` on one line, runs of whitespace collapsed to one space."""
    return " ".join(text.split())


def escape_markdown(text: str) -> str:
    """``text`` with Discord markdown and mention markup escaped; bare URLs left clickable."""
    return _MARKDOWN.sub(lambda m: m.group(1) or "\\" + m.group(2), text)


def glued(text: str, i: int) -> bool:
    """Whether cutting ``text`` before index ``i`` would split a character from what modifies
    it: a combining mark, a variation selector, a skin tone, a ZWJ sequence, a flag's second
    half, an escape (also shared by the terminal's line wrapping)."""
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
    while cut > max(low, 1) and glued(text, cut):
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
    text = squash(text) if one_line else text.strip()
    if len(text) <= limit:
        return text
    cut = max(limit - 1, 0)
    while 0 < cut < len(text) and glued(text, cut):
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
        if "url" in e and not (isinstance(e["url"], str) and http_url(e["url"])):
            problems.append(f"embed {i}: url is not an http(s) URL")
        if not any(e.get(k) for k in ("title", "description", "fields", "footer", "author")):
            problems.append(f"embed {i}: empty")
    total = sum(embed_chars(e) for e in embeds)
    if total > TOTAL_LIMIT:
        problems.append(f"{total} characters in the message's embeds > {TOTAL_LIMIT}")
    return problems


def pack_messages(embeds: Iterable[Embed], reserve: int = 0) -> list[Message]:
    """Embeds (each within limits) grouped, in order, into as few messages as the limits allow,
    keeping ``reserve`` characters of each message's 6000 free (for a page footer)."""
    messages: list[Message] = []
    size = 0
    for e in embeds:
        n = embed_chars(e)
        if (not messages or len(messages[-1]) >= EMBEDS_LIMIT
                or size + n + reserve > TOTAL_LIMIT):
            messages.append([])
            size = 0
        messages[-1].append(e)
        size += n
    return messages


def page_room(label: Callable[[int, int], str]) -> int:
    """Characters a page footer made by ``label(page, pages)`` can take (joiner included)."""
    return len(label(10**6, 10**6)) + len(" · ")


def paginate(embeds: Iterable[Embed], label: Callable[[int, int], str]) -> list[Message]:
    """Embeds packed into messages (pages), each page's last embed footed with
    ``label(page, pages)`` when there is more than one. The embeds must have been written with
    ``reserve=page_room(label)`` (see :class:`Writer`) so that the footer fits every limit."""
    reserve = page_room(label)
    pages = pack_messages(embeds, reserve)
    if len(pages) > 1:
        for number, page in enumerate(pages, 1):
            footer = page[-1].get("footer", {}).get("text", "")
            stamp = label(number, len(pages))
            footer = clip(footer, FOOTER_LIMIT - reserve) if footer else ""
            page[-1]["footer"] = {"text": f"{footer} · {stamp}" if footer else stamp}
    return pages


def http_url(value: str | None) -> str | None:
    """``value`` if Discord accepts it as an embed url (a well-formed http(s) URL), else None."""
    return value if value and len(value) <= URL_LIMIT and _URL.fullmatch(value) else None


class Writer:
    """Fills the embeds of one section, opening a continuation embed before any limit breaks."""

    def __init__(self, locale: str, title: str, color: int, url: str | None = None,
                 author: str | None = None, reserve: int = 0) -> None:
        # reserve: characters of the 6000 each embed leaves free (for a page footer).
        self.locale, self.title, self.color, self.reserve = locale, title, color, reserve
        self.embeds: list[Embed] = []
        self._open(url, author)

    def _open(self, url: str | None = None, author: str | None = None) -> None:
        title = self.title if not self.embeds else f"{self.title} ({t('continued', self.locale)})"
        embed: Embed = {"color": self.color}
        if title.strip():
            embed["title"] = clip(title, TITLE_LIMIT, one_line=True)
        if http_url(url):
            embed["url"] = url
        if author:
            embed["author"] = {"name": clip(author, AUTHOR_LIMIT, one_line=True)}
        self.embeds.append(embed)

    def _fits(self, fields: int, chars: int) -> bool:
        e = self.embeds[-1]
        return (len(e.get("fields", ())) + fields <= FIELDS_LIMIT
                and embed_chars(e) + chars <= TOTAL_LIMIT - self.reserve)

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
        fresh = (len(parts) <= FIELDS_LIMIT
                 and cost + TITLE_LIMIT + AUTHOR_LIMIT + self.reserve <= TOTAL_LIMIT)
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


def fit_card(embed: Embed, shared: list[tuple[str, str]],
             fixed: list[tuple[str, str]]) -> Embed:
    """``embed`` with the ``shared`` then the ``fixed`` (name, value) fields, as one embed
    within every limit: fixed values keep their length, shared ones split what is left."""
    used = embed_chars(embed) + sum(len(n) + len(v) for n, v in fixed)
    share = (TOTAL_LIMIT - used - sum(len(n) for n, _ in shared)) // max(len(shared), 1)
    shared = [(n, clip(v, max(min(share, FIELD_VALUE_LIMIT), 40))) for n, v in shared]
    embed["fields"] = [{"name": n or ZWSP, "value": v or "—", "inline": False}
                       for n, v in [*shared, *fixed]]
    return _shrink(embed)


def _shrink(embed: Embed) -> Embed:
    # A card is one embed: shorten the longest texts, a quarter at a time so that they level
    # out rather than one vanishing, until the 6000 total holds.
    while (excess := embed_chars(embed) - TOTAL_LIMIT) > 0:
        slots = [(embed, "description")] + [(f, "value") for f in embed["fields"]]
        holder, key = max(slots, key=lambda s: len(s[0][s[1]]))
        size = len(holder[key])
        holder[key] = clip(holder[key], max(size - excess, size * 3 // 4, 1)) or "…"
    return embed

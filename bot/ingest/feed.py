"""RSS and Atom feeds: the bytes a poll fetched -> a ParsedFeed of uniquely identified entries.

No I/O here: the caller fetches with the SSRF-safe fetcher and hands over a RawDocument.
feedparser reads RSS 0.9x, 1.0 (RDF), 2.0 and Atom 0.3/1.0; it is only ever given bytes, so it
never opens a URL or a file itself.

A feed that declares no charset (neither in HTTP nor in its XML declaration) is decoded as
articles are, by bot.ingest.decode's detection: feedparser alone falls back to windows-1252,
which turns KOI8-R, Shift_JIS, EUC or GB2312 titles into mojibake.

XML entities are refused before feedparser sees the document. feedparser's own guard (a regex
that keeps only "safe" ENTITY lines) only matches declarations at the start of a line; with the
prolog on one line expat receives the internal subset intact and expands nested entities until
its amplification limit (a 500-byte document gave a 3 MB title). External entities are skipped
by expat, never fetched, but the document is refused all the same.
"""

from __future__ import annotations

import hashlib
import io
import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser
from feedparser.encodings import convert_to_utf8

from bot.errors import DecodeError, InputError
from bot.ingest.decode import decode
from bot.ingest.urls import canonical_url
from bot.records import RawDocument

MAX_ENTRIES = 500  # a feed is a list of recent news; more is a dump or an attack
SUMMARY_CHARS = 400
_MAX_KEY_CHARS = 512  # longer identities are hashed: keys are database index values

# Anywhere in the document, not just the prolog: finding where the prolog really ends would
# need an XML parser, and a comment or a fake CDATA marker could fool a regex.
_ENTITY_DECLARATION = re.compile(rb"<!ENTITY", re.IGNORECASE)
# An external-only DOCTYPE (RSS 0.91's Netscape DTD) is common and harmless once removed:
# expat then never learns of an external subset to skip or load, and HTML entities such as
# &eacute; reach the loose parser, which decodes them, instead of being skipped by expat.
_DOCTYPE_START = re.compile(rb"<!DOCTYPE", re.IGNORECASE)
_DOCTYPE = re.compile(rb"<!DOCTYPE[^\[>]*(?:\[.*?\]\s*)?>", re.IGNORECASE | re.DOTALL)
# Every format feedparser reads has one of these roots (prefix optional, e.g. rdf:RDF),
# near the start even behind a PHP warning or a stylesheet instruction.
_FEED_ROOT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(?:rss|rdf|feed|channel)[\s>/]", re.IGNORECASE)
_SNIFF_BYTES = 65_536
# An encoding declared in the XML declaration (ASCII-compatible documents only).
_XML_ENCODING = re.compile(rb"""\s*<\?xml[^>]{0,200}?encoding\s*=""", re.IGNORECASE)
# Byte-order marks and the XML-declaration patterns of UTF-16/32 and EBCDIC: what feedparser
# recognises itself, and where an ASCII declaration cannot be seen.
_MARKED_STARTS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff",
                  b"\x00<", b"<\x00", b"\x00\x00\x00<", b"<\x00\x00\x00", b"\x4c\x6f\xa7\x94")
_SPACES = re.compile(r"\s+")


class FeedError(InputError):
    """The document is not a usable RSS or Atom feed, or it was refused as hostile."""


@dataclass(frozen=True)
class FeedEntry:
    """One item of a feed, identified so that a repeat is recognized."""

    key: str  # "id:…", "link:…" or "title:…": the kind prefix keeps kinds from colliding
    link: str | None  # absolute http(s) URL of the article
    canonical_link: str | None  # dedupe key across feeds: same article, different guids
    title: str
    published: str | None  # ISO 8601 in UTC
    summary: str  # plain text, short


@dataclass(frozen=True)
class ParsedFeed:
    """A feed's own metadata and its entries, first occurrence of each key only."""

    title: str
    link: str | None
    language: str | None
    entries: tuple[FeedEntry, ...]


def parse_feed(raw: RawDocument) -> ParsedFeed:
    """Parse the feed in ``raw`` (bytes fetched by the caller) into identified entries.

    Raises FeedError when the document declares XML entities ("refused: …") or is not a feed
    (HTML, binary, empty, malformed XML with no entries). A slightly broken feed that still
    yields entries is accepted. At most ``MAX_ENTRIES`` entries are kept, in document order.
    """
    data = _checked_utf8(raw)
    base = _http_url(raw.url) or _http_url(raw.source)
    headers = {"content-type": "application/xml; charset=utf-8"}
    if base:  # feedparser resolves relative links and xml:base against Content-Location
        headers["content-location"] = base
    parsed = feedparser.parse(io.BytesIO(data), response_headers=headers)
    meta = parsed.get("feed") or {}
    link = _absolute(meta.get("link"), base)
    entries = _entries(parsed.get("entries") or [], link or base)
    # A broken feed that still yields entries is accepted; a valid feed may be empty.
    if not entries and (parsed.get("bozo") or not parsed.get("version")):
        raise FeedError("not an RSS or Atom feed")
    return ParsedFeed(
        title=_plain(meta.get("title")),
        link=link,
        language=_plain(meta.get("language")) or None,
        entries=entries,
    )


def _checked_utf8(raw: RawDocument) -> bytes:
    """The document as UTF-8 without its DOCTYPE; FeedError if hostile or plainly no feed."""
    if not raw.data.strip():
        raise FeedError("not an RSS or Atom feed")
    content_type = raw.content_type or ""
    data = raw.data
    if _undeclared(raw):
        try:
            data = decode(raw).encode("utf-8")
        except DecodeError:
            raise FeedError("not an RSS or Atom feed") from None
        content_type = f"{content_type or 'application/xml'}; charset=utf-8"
    elif content_type and raw.charset and "charset=" not in content_type.lower():
        content_type = f"{content_type}; charset={raw.charset}"
    headers = {"content-type": content_type} if content_type else {}
    # Scan exactly what the XML parser will read: feedparser's own decoding to UTF-8, so a
    # declaration hidden in UTF-16, UTF-7 or EBCDIC is seen too.
    data = convert_to_utf8(headers, data, {})
    if _ENTITY_DECLARATION.search(data):
        raise FeedError("refused: the feed declares XML entities")
    if not _FEED_ROOT.search(data, 0, _SNIFF_BYTES):
        # feedparser's loose parser needs seconds per megabyte of HTML to find nothing.
        raise FeedError("not an RSS or Atom feed")
    return _without_doctype(data)


def _undeclared(raw: RawDocument) -> bool:
    """True when nothing says how the feed is encoded: no HTTP charset, no BOM or wide or
    EBCDIC pattern, no encoding in the XML declaration (in a content type that allows one)."""
    if raw.charset or raw.data.startswith(_MARKED_STARTS):
        return False
    return _XML_ENCODING.match(raw.data) is None


def _without_doctype(data: bytes) -> bytes:
    # Only the first DOCTYPE, matched once where it starts: re.sub would retry at every
    # "<!DOCTYPE [" of a hostile document, each time scanning to the end (quadratic).
    start = _DOCTYPE_START.search(data)
    found = _DOCTYPE.match(data, start.start()) if start else None
    return data[: found.start()] + data[found.end() :] if found else data


def _entries(items: list[Any], base: str | None) -> tuple[FeedEntry, ...]:
    seen: set[str] = set()
    kept: list[FeedEntry] = []
    for item in items:
        entry = _entry(item, base)
        if entry is None or entry.key in seen:
            continue  # a repeat within the feed: the first occurrence wins
        seen.add(entry.key)
        kept.append(entry)
        if len(kept) == MAX_ENTRIES:
            break
    return tuple(kept)


def _entry(item: Any, base: str | None) -> FeedEntry | None:
    title = _plain(item.get("title"))
    link = _absolute(item.get("link"), base)
    canonical = _canonical(link)
    # dict.get: FeedParserDict.get("updated_parsed") warns when it falls back to published.
    published = _iso_utc(dict.get(item, "published_parsed") or dict.get(item, "updated_parsed"))
    guid = _SPACES.sub(" ", str(item.get("id") or "")).strip()
    if guid:
        key = _key("id", guid)
    elif canonical:
        key = _key("link", canonical)
    elif title:
        digest = hashlib.sha256(f"{title}\n{published or ''}".encode()).hexdigest()
        key = f"title:{digest}"
    else:
        return None  # nothing to identify, show or fetch
    summary = _shorten(_plain(item.get("summary")), SUMMARY_CHARS)
    return FeedEntry(key=key, link=link, canonical_link=canonical, title=title,
                     published=published, summary=summary)


def _key(kind: str, value: str) -> str:
    if len(value) > _MAX_KEY_CHARS:
        value = "sha256=" + hashlib.sha256(value.encode()).hexdigest()
    return f"{kind}:{value}"


def _http_url(value: str | None) -> str | None:
    if not value:
        return None
    try:
        parts = urlsplit(value.strip())
    except ValueError:
        return None
    return value.strip() if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def _absolute(link: Any, base: str | None) -> str | None:
    """``link`` made absolute against ``base``; None unless it ends up an http(s) URL."""
    if not isinstance(link, str) or not link.strip():
        return None
    link = link.strip()
    if base and not _http_url(link):
        try:
            link = urljoin(base, link)
        except ValueError:
            return None
    return _http_url(link)


def _canonical(link: str | None) -> str | None:
    if link is None:
        return None
    try:
        return canonical_url(link)
    except ValueError:  # a broken port: the link cannot serve as an identity
        return None


def _iso_utc(moment: Any) -> str | None:
    # feedparser converts every date format it knows to a UTC struct_time.
    if not isinstance(moment, time.struct_time):
        return None
    try:
        return datetime(*moment[:6], tzinfo=UTC).isoformat(timespec="seconds")
    except (ValueError, OverflowError):
        return None


class _TextOnly(HTMLParser):
    """Collects the text of an HTML fragment, character references decoded."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6"):
            self.parts.append(" ")  # block boundaries must not glue words together


def _plain(value: Any) -> str:
    """Text without markup, whitespace collapsed to single spaces."""
    if not isinstance(value, str) or not value:
        return ""
    if "<" in value or "&" in value:
        parser = _TextOnly()
        parser.feed(value)
        parser.close()
        value = "".join(parser.parts)
    return _SPACES.sub(" ", value).strip()


def _shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rindex(" ")]  # end on a word boundary
    return cut.rstrip(" ,;:") + "…"

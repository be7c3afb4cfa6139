"""Ingest: from a source (file, stdin, URL) to a normalized, fingerprinted Article.

source -> read/fetch -> decode -> extract -> normalize -> limits -> language -> fingerprint
"""

from __future__ import annotations

import asyncio
import hashlib
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from bot.errors import ArticleTooLargeError, EmptyArticleError, SourceError
from bot.ingest.boundary import find_boundary_forgeries
from bot.ingest.decode import decode
from bot.ingest.extract import extract, sniff_kind
from bot.ingest.fetch import Fetcher
from bot.ingest.injection import find_injections
from bot.ingest.language import detect_language
from bot.ingest.normalize import normalize
from bot.ingest.urls import canonical_url
from bot.records import Article, RawDocument

_URL_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_SUFFIX_TYPES = {".html": "text/html", ".htm": "text/html", ".xhtml": "application/xhtml+xml",
                 ".md": "text/markdown", ".markdown": "text/markdown", ".txt": "text/plain"}


@dataclass(frozen=True)
class IngestLimits:
    """How much input is accepted."""

    max_bytes: int = 5_000_000  # raw input, before decoding
    max_chars: int = 100_000  # the article, after extraction and normalization


async def read_source(
    source: str, fetcher: Fetcher | None, limits: IngestLimits, stdin: BinaryIO | None = None
) -> RawDocument:
    """The raw bytes of ``source``: ``-`` for stdin, an http(s) URL, or a file path."""
    if _URL_RE.match(source):
        if fetcher is None:
            raise SourceError("URLs cannot be fetched here")
        return await fetcher.fetch(source)
    # Files and pipes block: read them off the event loop.
    return await asyncio.to_thread(_read_local, source, limits, stdin)


def _read_local(source: str, limits: IngestLimits, stdin: BinaryIO | None) -> RawDocument:
    if source == "-":
        data = (stdin or sys.stdin.buffer).read(limits.max_bytes + 1)
        _check_size(len(data), limits, "standard input")
        return RawDocument(data=data, source="-")
    path = Path(source)
    if not path.is_file():
        reason = "is a directory" if path.is_dir() else "no such file"
        if not path.is_dir() and _looks_like_web_address(source):
            reason += f" (for a web address, write https://{source})"
        raise SourceError(f"cannot read {source}: {reason}")
    try:
        with path.open("rb") as handle:
            data = handle.read(limits.max_bytes + 1)
    except OSError as exc:
        why = exc.strerror or exc.__class__.__name__
        raise SourceError(f"cannot read {source}: {why}") from None
    _check_size(len(data), limits, source)
    kind = _SUFFIX_TYPES.get(path.suffix.lower())
    return RawDocument(data=data, source=source, content_type=kind)


_HOST_FIRST = re.compile(r"^((?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,24})(?::\d+)?([/?#].*)?$")
_FILE_SUFFIXES = {*_SUFFIX_TYPES, ".xml", ".rss", ".atom", ".json", ".csv", ".pdf", ".bin"}


def _looks_like_web_address(source: str) -> bool:
    """``example.com/news/1``, ``www.lemonde.fr``: a host name first, not a file's name."""
    found = _HOST_FIRST.match(source)
    if found is None:
        return False
    host, rest = found.group(1).lower(), found.group(2)
    return bool(rest) or host.startswith("www.") or Path(host).suffix not in _FILE_SUFFIXES


def to_article(raw: RawDocument, limits: IngestLimits) -> Article:
    """Decode, extract, normalize, check limits, detect the language, and fingerprint."""
    text = decode(raw)
    kind = sniff_kind(raw.content_type, raw.url or raw.source, text)
    if kind == "feed":
        raise SourceError(f"{raw.url or raw.source} is an RSS or Atom feed, not an article: "
                          "follow it with `feeds add` to have its new articles summarized")
    extracted = extract(text, kind)
    body = normalize(extracted.text)
    if not body and kind == "html":
        raise EmptyArticleError("no article text in the page: a page that scripts fill in "
                                "shows none without them, and Parallax runs no scripts")
    if not body:
        raise EmptyArticleError("no text: the input is empty or only whitespace once extracted")
    if len(body) > limits.max_chars:
        raise ArticleTooLargeError(
            f"article too long: {len(body):,} characters, the limit is {limits.max_chars:,}")
    title = normalize(extracted.title or "").replace("\n", " ")
    sha = hashlib.sha256(body.encode("utf-8")).hexdigest()
    return Article(
        id=sha[:16], sha256=sha, text=body, title=title or _fallback_title(body),
        language=detect_language(body), source=raw.source,
        canonical_url=_canonical(raw.url or raw.source),
        author=extracted.author, published=extracted.published,
        findings=extracted.findings + _scan(body, title, extracted.author),
    )


def _scan(body: str, title: str | None, author: str | None) -> tuple[str, ...]:
    """Instruction-like text and fake data boundaries in the text and in its metadata.

    The title and byline reach the model beside the text (inside the same data block), so they
    are scanned alike; a finding there says where it was.
    """
    found = [*find_injections(body), *find_boundary_forgeries(body)]
    for where, value in (("title", title), ("byline", author)):
        if value:
            found += [f"in the {where}: {finding}" for finding in
                      (*find_injections(value), *find_boundary_forgeries(value))]
    return tuple(dict.fromkeys(found))


async def ingest(
    source: str, fetcher: Fetcher | None, limits: IngestLimits, stdin: BinaryIO | None = None
) -> Article:
    """Read ``source`` and turn it into an Article, or raise an InputError with one line."""
    return to_article(await read_source(source, fetcher, limits, stdin), limits)


def _canonical(location: str) -> str | None:
    if not _URL_RE.match(location):
        return None
    try:
        return canonical_url(location)
    except ValueError:  # a malformed URL (bad port, broken IPv6): no canonical form
        return None


def _check_size(size: int, limits: IngestLimits, what: str) -> None:
    if size > limits.max_bytes:
        raise SourceError(f"{what} is too large: more than {limits.max_bytes:,} bytes")


def _fallback_title(body: str) -> str:
    first = body.split("\n", 1)[0]
    return first if len(first) <= 80 else first[:77].rstrip() + "…"

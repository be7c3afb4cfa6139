"""A fetched page or a stored article, read as a source of evidence.

Pages go through ingest's own steps (decode, hidden text removed, extract with trafilatura,
normalize), so every rule of article reading holds for evidence too. The injection scan runs
later, on the passages actually chosen (see :mod:`bot.pipeline.evidence`): that is what reaches
the models, and scanning only that keeps routine pages quiet.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from bot.errors import EmptyArticleError, SourceError
from bot.ingest.decode import decode
from bot.ingest.extract import extract, sniff_kind
from bot.ingest.language import detect_language
from bot.ingest.normalize import normalize
from bot.ingest.urls import host_of
from bot.records import RawDocument, SearchHit

MAX_SOURCE_CHARS = 100_000  # a longer page is read up to here: evidence, not an article to refuse


@dataclass(frozen=True)
class Source:
    """A page (or stored article) whose text can give passages."""

    url: str  # the canonical URL it is known by (the cache key)
    final_url: str  # where it was read, after redirects
    title: str
    site: str
    published: str | None
    language: str | None
    text: str

    @property
    def sha256(self) -> str:
        """The fingerprint of the text, as ingest computes an article's."""
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    def row(self) -> dict[str, Any]:
        """The source as a cache row."""
        return {"url": self.url, "final_url": self.final_url, "title": self.title,
                "site": self.site, "published": self.published, "language": self.language,
                "text": self.text}

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Source:
        """A source from its cache row."""
        return cls(url=row["url"], final_url=row["final_url"] or row["url"],
                   title=row["title"] or "", site=row["site"] or site_of(row["url"]),
                   published=row["published"], language=row["language"], text=row["text"])


def read_page(raw: RawDocument, url: str, hit: SearchHit) -> Source:
    """The source in a fetched page; ``SourceError``/``EmptyArticleError`` when it has none."""
    text = decode(raw)
    kind = sniff_kind(raw.content_type, raw.url or raw.source, text)
    if kind == "feed":
        raise SourceError(f"{site_of(raw.url or url)} sent a feed, not a page")
    extracted = extract(text, kind)
    body = normalize(extracted.text)[:MAX_SOURCE_CHARS]
    if not body:
        raise EmptyArticleError(f"no text on the page from {site_of(raw.url or url)}")
    detected = detect_language(body).code
    return Source(
        url=url, final_url=raw.url or url,
        title=normalize(extracted.title or "").replace("\n", " ") or hit.title,
        site=hit.site or site_of(raw.url or url),
        published=extracted.published or hit.published,
        language=detected if detected != "und" else hit.language,
        text=body,
    )


def read_stored(row: dict[str, Any], hit: SearchHit) -> Source:
    """The source of an archive hit: the stored article itself, no fetch."""
    location = row.get("canonical_url") or hit.url
    return Source(
        url=hit.url, final_url=location, title=row.get("title") or hit.title,
        # A stored article read from a file has no site; its path never names one (paths
        # must not reach Discord readers): it is "archive".
        site=hit.site or site_of(location) or "archive",
        published=row.get("published") or hit.published,
        language=row.get("language") or hit.language, text=row["text"],
    )


def site_of(url: str) -> str:
    """How a site is named when the backend names none: the host without ``www.``."""
    return host_of(url) or ""

"""Searches and fetched sources: the evidence stage's cache and its ledger.

The ledger (``source_calls``) has one row per search and per fetch actually made, success or
failure, like ``model_calls`` for models: the audit trail of what Parallax asked the web.
The caches hold successes only (a failure is asked again next time): a search's hits by
(backend, language, limit, query), a fetched page's extracted text by its canonical URL.
Entries older than the caller's cutoff are ignored, not deleted, so nothing is lost when the
operator lengthens ``cache_hours``.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from bot.store import insert_rows, now
from bot.store.connection import Db, upsert


@dataclass(frozen=True)
class SourceCall:
    """One search or one fetch as recorded in the ledger."""

    check_id: str
    kind: str  # "search" or "fetch"
    backend: str  # the search backend (for a fetch: the one whose hit led to it)
    status: str  # "ok", "error" or "timeout"
    latency_ms: int
    query: str | None = None  # what was searched (searches)
    url: str | None = None  # what was read (fetches)
    language: str | None = None
    results: int = 0  # hits returned (searches), characters extracted (fetches)
    error: str | None = None
    guild_id: str | None = None


def record_source_calls(db: Db, calls: list[SourceCall]) -> None:
    """Append searches and fetches to the ledger (in the caller's transaction, if any)."""
    with db.atomic():  # plain fields: vars() is asdict() without its deep copies
        insert_rows(db, "source_calls",
                    ({**vars(call), "created_at": now()} for call in calls))


def search_key(backend: str, language: str | None, limit: int, query: str) -> str:
    """The cache key of one search: the same words asked the same way of the same backend."""
    text = "\x1f".join((backend, language or "", str(limit), " ".join(query.split())))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def cached_search(db: Db, key: str, since: str) -> list[dict[str, Any]] | None:
    """The hits of the search ``key`` stored at or after ``since``, or None."""
    rows = list(db.query("select hits from search_cache where key = ? and created_at >= ?",
                         [key, since]))
    return json.loads(rows[0]["hits"]) if rows else None


def save_search(db: Db, key: str, backend: str, query: str, language: str | None,
                hits: list[dict[str, Any]]) -> None:
    """Cache a successful search's hits (replacing an older entry)."""
    with db.atomic():
        upsert(db, "search_cache", {
            "key": key, "backend": backend, "query": query, "language": language,
            "hits": json.dumps(hits, ensure_ascii=False), "created_at": now()}, key=("key",))


_SOURCE_COLUMNS = ("url", "final_url", "title", "site", "published", "language", "text")


def cached_source(db: Db, url: str, since: str) -> dict[str, Any] | None:
    """The extracted page stored for the canonical ``url`` at or after ``since``, or None."""
    rows = list(db.query(
        f"select {', '.join(_SOURCE_COLUMNS)} from source_cache "  # noqa: S608
        "where url = ? and created_at >= ?", [url, since]))
    return rows[0] if rows else None


def save_source(db: Db, source: dict[str, Any]) -> None:
    """Cache a page read successfully: ``source`` has every column of ``_SOURCE_COLUMNS``."""
    row = {column: source.get(column) for column in _SOURCE_COLUMNS}
    with db.atomic():
        upsert(db, "source_cache", {**row, "created_at": now()}, key=("url",))


def stored_article(db: Db, article_id: str) -> dict[str, Any] | None:
    """What an archive hit reads instead of fetching: a stored article's text and metadata."""
    rows = list(db.query("select id, sha256, canonical_url, source, title, language, "
                         "published, text from articles where id = ?", [article_id]))
    return rows[0] if rows else None


def searches_by_backend_day(db: Db) -> list[dict[str, Any]]:
    """Searches and fetches per backend and per day, newest day first (``parallax usage``).

    Each row: day, backend, searches, fetches, errors (either kind, timeouts included) and
    the mean latency in milliseconds of each kind.
    """
    return list(db.query(
        "select substr(created_at, 1, 10) as day, backend, "
        "sum(case when kind = 'search' then 1 else 0 end) as searches, "
        "sum(case when kind = 'fetch' then 1 else 0 end) as fetches, "
        "sum(case when status != 'ok' then 1 else 0 end) as errors, "
        "cast(round(avg(case when kind = 'search' then latency_ms end)) as integer) "
        "as search_latency_ms, "
        "cast(round(avg(case when kind = 'fetch' then latency_ms end)) as integer) "
        "as fetch_latency_ms "
        "from source_calls group by day, backend order by day desc, backend"))

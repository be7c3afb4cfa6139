"""The evidence cache and ledger in the store, on both backends (the ``db`` fixture)."""

from __future__ import annotations

from bot.store.sources import (
    SourceCall,
    cached_search,
    cached_source,
    record_source_calls,
    save_search,
    save_source,
    search_key,
    searches_by_backend_day,
)


def test_searches_are_reused_only_within_the_cutoff(db):
    key = search_key("web", "fr", 5, "Lyon  tramways")
    assert key == search_key("web", "fr", 5, "Lyon tramways")  # spacing is not a new search
    assert key != search_key("web", "en", 5, "Lyon tramways")
    assert key != search_key("brave", "fr", 5, "Lyon tramways")
    save_search(db, key, "web", "Lyon tramways", "fr", [{"url": "https://a.example/"}])
    assert cached_search(db, key, "2000-01-01T00:00:00+00:00") == [{"url": "https://a.example/"}]
    assert cached_search(db, key, "2999-01-01T00:00:00+00:00") is None  # too old: ask again


def test_sources_are_cached_by_url(db):
    row = {"url": "https://a.example/x", "final_url": "https://a.example/x?amp", "title": "T",
           "site": "a.example", "published": None, "language": "fr", "text": "Texte."}
    save_source(db, row)
    save_source(db, {**row, "text": "Texte mis à jour."})  # a newer read replaces the old
    assert cached_source(db, row["url"], "2000-01-01")["text"] == "Texte mis à jour."
    assert cached_source(db, "https://b.example/", "2000-01-01") is None


def test_usage_counts_searches_and_fetches_per_backend(db):
    record_source_calls(db, [
        SourceCall("c", "search", "web", "ok", 300, query="q", results=5),
        SourceCall("c", "search", "web", "error", 20, query="q2", error="HTTP 500"),
        SourceCall("c", "fetch", "web", "ok", 100, url="https://a.example/"),
        SourceCall("c", "search", "archive", "ok", 2, query="q"),
    ])
    rows = {r["backend"]: r for r in searches_by_backend_day(db)}
    assert rows["web"]["searches"] == 2 and rows["web"]["fetches"] == 1
    assert rows["web"]["errors"] == 1 and rows["web"]["search_latency_ms"] == 160
    assert rows["archive"]["searches"] == 1 and rows["archive"]["fetches"] == 0

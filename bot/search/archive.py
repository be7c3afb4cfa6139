"""The archive: the articles Parallax has already read, searched through the store's index.

No network and no key: this is what ``--offline`` corroborates with. Two outlets, or two
languages, reporting one event share its figures and names, which the index keeps whole in
every script (:mod:`bot.store.archive`). A hit's snippet is the stored article's passage that
shares the most terms with the query; its ``article_id`` points to the whole text in the store.
The article being checked is never evidence for itself (``exclude_article_id``).
"""

from __future__ import annotations

import asyncio
import functools
from typing import Any, ClassVar

from bot.errors import SearchError
from bot.records import SearchHit
from bot.search.base import SearchBackend, host_of
from bot.store import Store
from bot.store.archive import index_terms, search_archive_many
from bot.text.sentences import split_sentences

SNIPPET_CHARS = 500
Rows = list[dict[str, Any]]


class ArchiveBackend(SearchBackend):
    """Full-text search over the store's articles.

    The searches that start in one turn of the event loop (a check asks one per claim, all at
    once) go to the store together, as one job: the index is brought up to date and the term
    frequencies read once for all of them, and the store's thread is crossed once."""

    kind: ClassVar[str] = "archive"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # (limit, excluded article) -> the queries waiting for the next job, with their futures
        self._waiting: dict[tuple[int, str | None], list[tuple[str, asyncio.Future[Rows]]]] = {}

    async def _search(self, query: str, language: str, limit: int,
                      exclude_article_id: str | None) -> list[SearchHit]:
        if self._store is None:
            raise SearchError(f"{self.name}: no store to search")
        loop = asyncio.get_running_loop()
        key = (limit, exclude_article_id)
        batch = self._waiting.get(key)
        if batch is None:
            batch = self._waiting[key] = []
            loop.call_soon(self._send, self._store, key)  # after this turn's other searches
        future: asyncio.Future[Rows] = loop.create_future()
        batch.append((query, future))
        rows = await future
        return [self._hit(row, query) for row in rows]

    def _send(self, store: Store, key: tuple[int, str | None]) -> None:
        batch = [(query, future) for query, future in self._waiting.pop(key)
                 if not future.done()]  # a search timed out or cancelled meanwhile
        if not batch:
            return
        try:
            job = store.submit(search_archive_many, [q for q, _ in batch], *key)
        except Exception as exc:  # the store closed: each search fails as it would alone
            job = asyncio.get_running_loop().create_future()
            job.set_exception(exc)

        def answer(job: asyncio.Future[list[Rows]]) -> None:
            failure = job.exception() if not job.cancelled() else asyncio.CancelledError()
            for index, (_, future) in enumerate(batch):
                if future.done():
                    continue
                if failure is not None:
                    future.set_exception(failure)
                else:
                    future.set_result(job.result()[index])

        job.add_done_callback(answer)

    def _hit(self, row: dict[str, Any], query: str) -> SearchHit:
        url = row["canonical_url"] or (
            row["source"] if str(row["source"]).startswith(("http://", "https://"))
            else f"archive:{row['id']}")
        return SearchHit(
            url=url, title=row["title"] or "", snippet=snippet(row["text"], query,
                                                               row["language"] or "und"),
            backend=self.name, published=row["published"], language=row["language"],
            site=host_of(url) if url.startswith("http") else None, article_id=row["id"],
            text=row["text"])


def snippet(text: str, query: str, language: str = "und", limit: int = SNIPPET_CHARS) -> str:
    """The sentence of ``text`` sharing the most index terms with ``query``, with the next one
    while they fit in ``limit`` characters."""
    wanted = set(index_terms(query))
    sentences, terms = _sentence_terms(text, language)
    scores = [len(wanted.intersection(t)) for t in terms]
    best = max(range(len(sentences)), key=lambda i: (scores[i], -i))
    chosen = sentences[best]
    if best + 1 < len(sentences) and len(chosen) + len(sentences[best + 1]) < limit:
        chosen = f"{chosen} {sentences[best + 1]}"
    return chosen if len(chosen) <= limit else chosen[:limit].rsplit(" ", 1)[0] + "…"


@functools.lru_cache(maxsize=64)
def _sentence_terms(text: str, language: str) -> tuple[list[str], list[frozenset[str]]]:
    """A stored article's sentences and their index terms: the same article answers every
    claim of a check (and of the next ones), so they are made once, not once per hit."""
    sentences = split_sentences(text, language) or [text]
    return sentences, [frozenset(index_terms(s)) for s in sentences]

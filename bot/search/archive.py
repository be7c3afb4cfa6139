"""The archive: the articles Parallax has already read, searched through the store's index.

No network and no key: this is what ``--offline`` corroborates with. Two outlets, or two
languages, reporting one event share its figures and names, which the index keeps whole in
every script (:mod:`bot.store.archive`). A hit's snippet is the stored article's passage that
shares the most terms with the query; its ``article_id`` points to the whole text in the store.
The article being checked is never evidence for itself (``exclude_article_id``).
"""

from __future__ import annotations

import functools
from typing import Any, ClassVar

from bot.errors import SearchError
from bot.records import SearchHit
from bot.search.base import SearchBackend, host_of
from bot.store.archive import index_terms, search_archive
from bot.text.sentences import split_sentences

SNIPPET_CHARS = 500


class ArchiveBackend(SearchBackend):
    """Full-text search over the store's articles."""

    kind: ClassVar[str] = "archive"

    async def _search(self, query: str, language: str, limit: int,
                      exclude_article_id: str | None) -> list[SearchHit]:
        if self._store is None:
            raise SearchError(f"{self.name}: no store to search")
        rows = await self._store.run(search_archive, query, limit, exclude_article_id)
        return [self._hit(row, query) for row in rows]

    def _hit(self, row: dict[str, Any], query: str) -> SearchHit:
        url = row["canonical_url"] or (
            row["source"] if str(row["source"]).startswith(("http://", "https://"))
            else f"archive:{row['id']}")
        return SearchHit(
            url=url, title=row["title"] or "", snippet=snippet(row["text"], query,
                                                               row["language"] or "und"),
            backend=self.name, published=row["published"], language=row["language"],
            site=host_of(url) if url.startswith("http") else None, article_id=row["id"])


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

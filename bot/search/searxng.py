"""SearXNG: a self-hosted metasearch instance's JSON API (free, no key).

``GET {base_url}/search?q=…&format=json`` (docs.searxng.org/dev/search_api.html) answers
``results[]`` with ``url``, ``title``, ``content``, ``publishedDate`` and ``engine``. An instance
answers the JSON format only when its operator lists it in ``settings.yml``
(``search: formats: [html, json]``); otherwise every such request is a 403, said so here.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

import httpx

from bot.errors import SearchError
from bot.records import SearchHit
from bot.search.base import SearchBackend, host_of
from bot.search.text import iso_date, plain

_TAG = re.compile(r"^([A-Za-z]{2,3})(?:-[A-Za-z]{4})?(?:-([A-Za-z]{2}))?(?:-|$)")


class SearxngBackend(SearchBackend):
    """A SearXNG instance at the block's ``base_url``."""

    kind: ClassVar[str] = "searxng"

    async def _search(self, query: str, language: str, limit: int,
                      exclude_article_id: str | None) -> list[SearchHit]:
        base = (self.config.base_url or "").rstrip("/")
        params = {"q": query, "format": "json", "language": searxng_language(language),
                  "pageno": 1, "safesearch": 0}
        data = await self._get_json(f"{base}/search", params)
        results = data.get("results") if isinstance(data, dict) else None
        if not isinstance(results, list):
            raise SearchError(f"{self.name}: the answer has no results list")
        hits = [hit for item in results if (hit := self._hit(item)) is not None]
        if not hits and data.get("unresponsive_engines"):
            # Nothing because every engine failed is a failure, not an empty answer.
            engines = ", ".join(_engine(e) for e in data["unresponsive_engines"][:4])
            raise SearchError(f"{self.name}: no engine answered ({engines})")
        return hits

    def _hit(self, item: Any) -> SearchHit | None:
        if not isinstance(item, dict):
            return None
        url = item.get("url")
        if not isinstance(url, str) or not url.startswith(("http://", "https://")):
            return None
        return SearchHit(url=url, title=plain(item.get("title")) or url,
                         snippet=plain(item.get("content")), backend=self.name,
                         published=iso_date(item.get("publishedDate")), site=host_of(url))

    def _status_reason(self, status: int, headers: httpx.Headers, body: bytes) -> str:
        if status == 403:
            return (f"{self.name}: HTTP 403 from SearXNG: the instance does not serve "
                    "format=json; add json to search.formats in its settings.yml")
        return super()._status_reason(status, headers, body)


def searxng_language(language: str) -> str:
    """SearXNG's ``language`` for a BCP-47 tag: ``fr``, ``pt-BR``; ``all`` when unknown."""
    match = _TAG.match(language or "")
    if not match or match.group(1).lower() == "und":
        return "all"
    base, region = match.group(1).lower(), match.group(2)
    return f"{base}-{region.upper()}" if region else base


def _engine(entry: Any) -> str:
    if isinstance(entry, list | tuple) and entry:
        return ": ".join(str(part) for part in entry[:2])
    return str(entry)

"""Wikipedia: the MediaWiki Action API of the query language's wiki and of English Wikipedia.

``GET {base}/w/api.php?action=query&list=search&srsearch=…&format=json&formatversion=2``
(mediawiki.org/wiki/API:Search) answers ``query.search[]`` with ``title``, ``pageid``,
``snippet`` (HTML with ``<span class="searchmatch">``) and ``timestamp`` (the last edit). An
API error is an HTTP 200 whose body is ``{"error": {"code", "info"}}``. Wikimedia requires a
descriptive User-Agent with a way to reach the operator (meta.wikimedia.org/wiki/User-Agent_policy):
``Parallax/version (contact) httpx/version``, the contact from the block's ``contact``.

``base_url`` defaults to ``https://{lang}.wikipedia.org``; ``{lang}`` is replaced by the wiki's
language code. Both wikis are asked at once; one that fails costs only its own hits.
"""

from __future__ import annotations

import asyncio
import re
from typing import Any, ClassVar
from urllib.parse import quote

from bot.errors import SearchError
from bot.records import SearchHit
from bot.search.base import SearchBackend, host_of
from bot.search.text import iso_date, plain

DEFAULT_BASE = "https://{lang}.wikipedia.org"
FALLBACK = "en"
# BCP-47 base subtags whose Wikipedia has another code.
_WIKI_CODES = {"nb": "no", "yue": "zh-yue", "lzh": "zh-classical", "nan": "zh-min-nan",
               "fil": "tl", "sgs": "bat-smg", "vro": "fiu-vro", "rup": "roa-rup"}
_CODE = re.compile(r"^[a-z]{2,3}$")


def wiki_language(language: str) -> str:
    """The Wikipedia language code for a BCP-47 tag (``en`` when there is none)."""
    base = (language or "").lower().replace("_", "-").split("-")[0]
    if base in _WIKI_CODES:
        return _WIKI_CODES[base]
    return base if _CODE.match(base) and base != "und" else FALLBACK


class WikipediaBackend(SearchBackend):
    """The query language's Wikipedia and English Wikipedia, merged (the query's first)."""

    kind: ClassVar[str] = "wikipedia"

    async def _search(self, query: str, language: str, limit: int,
                      exclude_article_id: str | None) -> list[SearchHit]:
        wikis = list(dict.fromkeys((wiki_language(language), FALLBACK)))
        answers = await asyncio.gather(*(self._wiki(w, query, limit) for w in wikis),
                                       return_exceptions=True)
        failures = [a for a in answers if isinstance(a, BaseException)]
        for failure in failures:
            if not isinstance(failure, SearchError):
                raise failure
        if len(failures) == len(answers):
            raise SearchError("; ".join(str(f) for f in failures))
        hit_lists = [a for a in answers if not isinstance(a, BaseException)]
        merged: list[SearchHit] = []
        for rank in range(limit):  # alternate: the query's wiki first, then English
            merged += [hits[rank] for hits in hit_lists if rank < len(hits)]
        return merged

    async def _wiki(self, wiki: str, query: str, limit: int) -> list[SearchHit]:
        base = (self.config.base_url or DEFAULT_BASE).rstrip("/").replace("{lang}", wiki)
        params = {"action": "query", "list": "search", "srsearch": query,
                  "srlimit": min(limit, 50), "srprop": "snippet|timestamp",
                  "srnamespace": 0, "format": "json", "formatversion": 2, "utf8": 1}
        try:
            data = await self._get_json(f"{base}/w/api.php", params)
        except SearchError as exc:
            reason = exc.reason.replace(f"{self.name}:", f"{self.name} ({wiki}):", 1)
            raise SearchError(reason) from None
        if isinstance(data, dict) and isinstance(data.get("error"), dict):
            error = data["error"]
            raise SearchError(f"{self.name} ({wiki}): {plain(error.get('code'), 60)}: "
                              f"{plain(error.get('info'), 160)}")
        found = (data.get("query") or {}).get("search") if isinstance(data, dict) else None
        if not isinstance(found, list):
            raise SearchError(f"{self.name} ({wiki}): the answer has no query.search list")
        return [hit for item in found if (hit := self._hit(item, base, wiki)) is not None]

    def _hit(self, item: Any, base: str, wiki: str) -> SearchHit | None:
        if not isinstance(item, dict) or not isinstance(item.get("title"), str):
            return None
        title = item["title"]
        url = f"{base}/wiki/{quote(title.replace(' ', '_'), safe='()_,:')}"
        return SearchHit(url=url, title=title, snippet=plain(item.get("snippet")),
                         backend=self.name, published=iso_date(item.get("timestamp")),
                         language=wiki, site=host_of(url))

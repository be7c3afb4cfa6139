"""A loopback server that speaks SearXNG's JSON API, the Brave Search API and MediaWiki's.

One aiohttp server on 127.0.0.1 searches a small index of :class:`Doc` (add them with
:meth:`SearchServer.add`) and answers in each service's real shape:

- SearXNG, ``GET /search?q=…&format=json`` (docs.searxng.org/dev/search_api.html): ``query``,
  ``number_of_results``, ``results[]`` (``url``, ``title``, ``content``, ``engine``,
  ``engines``, ``parsed_url``, ``template``, ``positions``, ``score``, ``category``,
  ``publishedDate`` ISO or null), ``answers``, ``corrections``, ``infoboxes``, ``suggestions``,
  ``unresponsive_engines``. As an instance whose ``settings.yml`` leaves ``json`` out of
  ``search.formats`` (the default), ``json_enabled = False`` answers 403 with Flask's HTML
  "Forbidden" page (searxng/searxng#3749, #5677).
- Brave, ``GET /res/v1/web/search`` (api-dashboard.search.brave.com, web search reference):
  ``{"type": "search", "query": {...}, "web": {"type": "search", "results": [...]}}``, each
  result with ``title``, ``url``, ``description``, ``page_age``, ``age``, ``language``,
  ``profile``, ``meta_url`` (``hostname`` …), ``family_friendly``. The key goes in
  ``X-Subscription-Token``: a missing header is a 422 ``VALIDATION`` error and a wrong key a
  422 ``SUBSCRIPTION_TOKEN_INVALID`` (``{"type": "ErrorResponse", "error": {...}}``); ``q`` is
  1-400 characters and at most 50 words, ``count`` at most 20, ``search_lang`` one of
  :data:`BRAVE_LANGUAGES`, or 422. Every answer carries ``X-RateLimit-Limit``, ``-Policy``,
  ``-Remaining`` and ``-Reset`` ("1, 15000": per second, per month).
- MediaWiki Action API, ``GET /{lang}/w/api.php?action=query&list=search&srsearch=…``
  (mediawiki.org/wiki/API:Search) with ``format=json&formatversion=2``: ``batchcomplete``,
  ``query.searchinfo.totalhits``, ``query.search[]`` (``ns``, ``title``, ``pageid``, ``size``,
  ``wordcount``, ``snippet`` with ``<span class="searchmatch">``, ``timestamp``). An API error
  is HTTP 200 with ``{"error": {"code", "info", "docref"}}`` and the ``MediaWiki-API-Error``
  header (API:Errors_and_warnings). A generic or missing User-Agent is refused with 403, as
  Wikimedia's User-Agent policy says it may be. ``{lang}`` is the wiki: a Doc is on the wiki of
  its language.

Fault switches, per service (``"searxng"``, ``"brave"``, ``"wikipedia"``), served one per
request before normal answers: :meth:`SearchServer.fail` with ``"429"`` (with ``retry_after``;
Brave's says when its per-second window resets instead), ``"quota"`` (Brave: the month's quota
spent), ``"500"``, ``"hang"`` (until the server closes) or ``"malformed"`` (a 200 that is not
JSON).
Every request is recorded (path, query parameters, headers).
"""

from __future__ import annotations

import asyncio
import html
import json
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import pytest
from aiohttp import web

BRAVE_LANGUAGES = frozenset((
    "ar", "eu", "bn", "bg", "ca", "zh-hans", "zh-hant", "hr", "cs", "da", "nl", "en", "en-gb",
    "et", "fi", "fr", "gl", "de", "el", "gu", "he", "hi", "hu", "is", "it", "jp", "kn", "ko",
    "lv", "lt", "ms", "ml", "mr", "nb", "pl", "pt-br", "pt-pt", "pa", "ro", "ru", "sr", "sk",
    "sl", "es", "sv", "ta", "te", "th", "tr", "uk", "vi"))
_GENERIC_AGENTS = ("python-httpx", "python-requests", "curl", "aiohttp", "python-urllib")
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Doc:
    """One page the fake services can find."""

    url: str
    title: str
    text: str
    language: str = "en"
    published: str | None = None  # ISO 8601


@dataclass
class Recorded:
    """One request as the server received it."""

    service: str
    path: str
    params: dict[str, str]
    headers: dict[str, str]  # names lower-cased


@dataclass
class _Fault:
    kind: str  # "429" | "quota" | "500" | "hang" | "malformed"
    retry_after: str | None = None


@dataclass
class SearchServer:
    """The fake SearXNG, Brave and MediaWiki endpoints; ``url`` once started."""

    brave_key: str = "brave-test-key-0123456789"
    json_enabled: bool = True  # SearXNG's search.formats includes json
    # SearXNG engines that failed, as it lists them ([name, reason]); each one's results lost.
    unresponsive: list[list[str]] = field(default_factory=list)
    docs: list[Doc] = field(default_factory=list)
    requests: list[Recorded] = field(default_factory=list)
    url: str = ""
    _faults: dict[str, list[_Fault]] = field(default_factory=dict)
    _runner: web.AppRunner | None = None
    _closing: asyncio.Event = field(default_factory=asyncio.Event)

    def add(self, *docs: Doc) -> SearchServer:
        """Put pages in the index."""
        self.docs.extend(docs)
        return self

    def fail(self, service: str, kind: str, times: int = 1,
             retry_after: str | None = None) -> SearchServer:
        """Serve ``kind`` to the next ``times`` requests to ``service``."""
        self._faults.setdefault(service, []).extend(
            _Fault(kind, retry_after) for _ in range(times))
        return self

    def made(self, service: str) -> list[Recorded]:
        """The requests ``service`` received, in order."""
        return [r for r in self.requests if r.service == service]

    async def __aenter__(self) -> SearchServer:
        app = web.Application()
        app.router.add_get("/search", self._searxng)
        app.router.add_get("/res/v1/web/search", self._brave)
        app.router.add_get("/{lang}/w/api.php", self._mediawiki)
        self._runner = web.AppRunner(app, shutdown_timeout=0.5, handler_cancellation=True)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0, backlog=4096)
        await site.start()
        self.url = f"http://127.0.0.1:{self._runner.addresses[0][1]}"
        return self

    async def __aexit__(self, *exc: object) -> None:
        self._closing.set()
        if self._runner:
            await self._runner.cleanup()

    # -- plumbing ------------------------------------------------------------------------

    async def _admit(self, service: str, request: web.Request) -> web.Response | None:
        self.requests.append(Recorded(service, request.path, dict(request.query),
                                      {k.lower(): v for k, v in request.headers.items()}))
        queue = self._faults.get(service)
        if not queue:
            return None
        fault = queue.pop(0)
        if fault.kind == "hang":
            await self._closing.wait()
            return web.Response(status=503)
        if fault.kind in ("429", "quota"):
            headers = {"Retry-After": fault.retry_after} if fault.retry_after else {}
            if service != "brave":
                return web.json_response({"error": "too many requests"}, status=429,
                                         headers=headers)
            # Brave: its ErrorResponse, and the windows' headers instead of Retry-After.
            quota = fault.kind == "quota"
            response = _brave_error(
                "QUOTA_LIMITED" if quota else "RATE_LIMITED",
                f"Request {'quota' if quota else 'rate'} limit exceeded for plan.",
                {"component": "rate_limiter"}, status=429)
            response.headers.update({**_BRAVE_LIMITS, **headers,
                                     "X-RateLimit-Remaining": "5, 0" if quota else "0, 14000"})
            return response
        if fault.kind == "500":
            return web.Response(status=500, text="<html><body>Internal Server Error</body></html>",
                                content_type="text/html")
        if fault.kind == "malformed":
            return web.Response(status=200, text='{"results": [{"url": "http://x',
                                content_type="application/json")
        raise ValueError(f"unknown fault {fault.kind}")

    def _find(self, query: str, language: str | None = None) -> list[Doc]:
        """Docs sharing words with ``query`` (of ``language`` when given), most shared first."""
        wanted = {w.casefold() for w in _WORD.findall(query)}
        scored = []
        for index, doc in enumerate(self.docs):
            if language and doc.language.split("-")[0] != language:
                continue
            words = {w.casefold() for w in _WORD.findall(f"{doc.title} {doc.text}")}
            shared = len(wanted & words)
            if shared:
                scored.append((-shared, index, doc))
        return [doc for *_, doc in sorted(scored)]

    # -- SearXNG -------------------------------------------------------------------------

    async def _searxng(self, request: web.Request) -> web.Response:
        fault = await self._admit("searxng", request)
        if fault is not None:
            return fault
        if request.query.get("format") != "json":
            return web.Response(text="<html><body>results</body></html>",
                                content_type="text/html")
        if not self.json_enabled:
            return web.Response(status=403, content_type="text/html", text=(
                "<!doctype html>\n<html lang=en>\n<title>403 Forbidden</title>\n<h1>Forbidden"
                "</h1>\n<p>You don&#39;t have the permission to access the requested resource. "
                "It is either read-protected or not readable by the server.</p>\n"))
        query = request.query.get("q", "")
        if not query:
            return web.Response(status=400, text="Bad Request")
        docs = [] if self.unresponsive else self._find(query)
        results = [{
            "url": d.url, "title": d.title, "content": d.text[:300], "engine": "duckduckgo",
            "parsed_url": list(_parsed(d.url)), "template": "default.html",
            "engines": ["duckduckgo", "bing"], "positions": [i + 1], "score": 1.0 / (i + 1),
            "category": "general", "publishedDate": d.published and f"{d.published}T00:00:00",
            "thumbnail": "", "priority": "", "img_src": "",
        } for i, d in enumerate(docs)]
        return web.json_response({
            "query": query, "number_of_results": 0, "results": results, "answers": [],
            "corrections": [], "infoboxes": [], "suggestions": [],
            "unresponsive_engines": self.unresponsive})

    # -- Brave ---------------------------------------------------------------------------

    async def _brave(self, request: web.Request) -> web.Response:
        fault = await self._admit("brave", request)
        if fault is not None:
            return fault
        token = request.headers.get("X-Subscription-Token")
        if token is None:
            return _brave_error("VALIDATION", "Unable to validate request parameter(s)",
                                {"errors": [{"type": "missing", "loc": ["header",
                                             "x-subscription-token"], "msg": "Field required"}]})
        if token != self.brave_key:
            return _brave_error("SUBSCRIPTION_TOKEN_INVALID",
                                "The provided subscription token is invalid.",
                                {"component": "authentication"})
        query = request.query.get("q", "")
        count = request.query.get("count", "20")
        language = request.query.get("search_lang")
        if not 1 <= len(query) <= 400 or len(query.split()) > 50:
            return _brave_error("VALIDATION", "Unable to validate request parameter(s)",
                                {"errors": [{"loc": ["query", "q"]}]})
        if not count.isdigit() or not 1 <= int(count) <= 20:
            return _brave_error("VALIDATION", "Unable to validate request parameter(s)",
                                {"errors": [{"loc": ["query", "count"]}]})
        if language is not None and language not in BRAVE_LANGUAGES:
            return _brave_error("VALIDATION", "Unable to validate request parameter(s)",
                                {"errors": [{"loc": ["query", "search_lang"]}]})
        docs = self._find(query)[: int(count)]
        results = [{
            "type": "search_result", "subtype": "generic", "is_live": False,
            "title": d.title, "url": d.url, "description": d.text[:300],
            "page_age": d.published and f"{d.published}T08:00:00", "age": d.published,
            "language": d.language.split("-")[0], "family_friendly": True,
            "profile": {"name": _host(d.url), "url": d.url, "long_name": _host(d.url),
                        "img": ""},
            "meta_url": {"scheme": "https", "netloc": urlsplit(d.url).netloc,
                         "hostname": urlsplit(d.url).hostname, "favicon": "",
                         "path": urlsplit(d.url).path},
        } for d in docs]
        body: dict[str, Any] = {"type": "search", "query": {"original": query,
                                                            "more_results_available": False}}
        if results:  # Brave leaves out the sections it has nothing for
            body["web"] = {"type": "search", "results": results, "family_friendly": True}
        return web.json_response(body, headers=_BRAVE_LIMITS)

    # -- MediaWiki -----------------------------------------------------------------------

    async def _mediawiki(self, request: web.Request) -> web.Response:
        fault = await self._admit("wikipedia", request)
        if fault is not None:
            return fault
        agent = request.headers.get("User-Agent", "")
        if not agent or agent.lower().startswith(_GENERIC_AGENTS):
            return web.Response(status=403, text=(
                "Please set a user-agent and respect our robot policy "
                "https://w.wiki/4wJS. See also T400119."))
        q = request.query
        if q.get("action") != "query" or q.get("list") != "search" or not q.get("srsearch"):
            return _mediawiki_error("missingparam", "The \"srsearch\" parameter must be set.")
        if q.get("format") != "json" or q.get("formatversion") != "2":
            return _mediawiki_error("badformat", "This fake answers format=json, version 2.")
        limit = int(q.get("srlimit", "10"))
        docs = self._find(q["srsearch"], request.match_info["lang"])
        found = [{
            "ns": 0, "title": d.title, "pageid": 1000 + i, "size": len(d.text.encode()),
            "wordcount": len(d.text.split()), "snippet": _snippet(d.text, q["srsearch"]),
            "timestamp": f"{d.published or '2026-01-01'}T12:00:00Z",
        } for i, d in enumerate(docs[:limit])]
        body: dict[str, Any] = {"batchcomplete": True,
                                "query": {"searchinfo": {"totalhits": len(docs)},
                                          "search": found}}
        if len(docs) > limit:
            body["continue"] = {"sroffset": limit, "continue": "-||"}
        return web.Response(text=json.dumps(body, ensure_ascii=False),
                            content_type="application/json")


_BRAVE_LIMITS = {"X-RateLimit-Limit": "1, 15000", "X-RateLimit-Policy": "1;w=1, 15000;w=2592000",
                 "X-RateLimit-Remaining": "0, 14999", "X-RateLimit-Reset": "1, 1419704"}


def _brave_error(code: str, detail: str, meta: dict[str, Any], status: int = 422
                 ) -> web.Response:
    return web.json_response({"type": "ErrorResponse", "error": {
        "id": "5d832250-9396-4f6e-b84a-2a1fe524cd7d", "status": status, "code": code,
        "detail": detail, "meta": meta}, "time": 1663072993}, status=status)


def _mediawiki_error(code: str, info: str) -> web.Response:
    return web.json_response({"error": {"code": code, "info": info, "docref": (
        "See https://en.wikipedia.org/w/api.php for API usage.")}, "servedby": "mw-api-ext"},
        headers={"MediaWiki-API-Error": code})


def _snippet(text: str, query: str) -> str:
    wanted = {w.casefold() for w in _WORD.findall(query)}
    return re.sub(r"\w+", lambda m: (f'<span class="searchmatch">{m.group(0)}</span>'
                                     if m.group(0).casefold() in wanted else m.group(0)),
                  html.escape(text[:200], quote=False))


def _parsed(url: str) -> tuple[str, str, str, str, str, str]:
    parts = urlsplit(url)
    return (parts.scheme, parts.netloc, parts.path, "", parts.query, parts.fragment)


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").removeprefix("www.")


@pytest.fixture
async def search_server() -> AsyncIterator[SearchServer]:
    """A running SearchServer with an empty index; add pages with ``server.add``."""
    async with SearchServer() as server:
        yield server

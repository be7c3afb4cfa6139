"""The SearchBackend seam: one async ``search()`` that returns typed hits or raises SearchError.

Shared work lives here once, as for the model providers: the per-call timeout, the query cut to
what the services take, the one wait a rate limit may ask for (``Retry-After`` honoured up to
:data:`MAX_RETRY_AFTER` seconds, then the call fails rather than holding the check), reading
the body within a size limit, JSON that is not JSON, and one-line reasons with every secret
masked. Subclasses say how to ask (:meth:`SearchBackend._search`) and read the service's shape.

The HTTP client is the app's, injected. A backend calls the ``base_url`` the operator
configured, even on localhost or a private network (a self-hosted SearXNG is the normal case):
the private-network guard protects article and source fetching from addresses that come from
untrusted text, not the endpoints the operator chose.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from abc import ABC, abstractmethod
from collections.abc import Mapping
from email.utils import parsedate_to_datetime
from typing import Any, ClassVar

import httpx

from bot import __version__
from bot.config import SearchConfig
from bot.errors import SearchError
from bot.ingest.urls import host_of
from bot.records import SearchHit, SearchRecord
from bot.redact import mask
from bot.search.text import plain
from bot.store import Store

log = logging.getLogger("parallax.search")
MAX_RETRY_AFTER = 5.0  # seconds a rate-limited call may wait once before it gives up
MAX_BODY_BYTES = 2_000_000  # a search answer is tens of kilobytes; more is not an answer
MAX_QUERY_CHARS = 400  # Brave's limit (400 characters, 50 words); others take as much
MAX_QUERY_WORDS = 50
_sleep = asyncio.sleep  # how a rate limit is waited out; tests record the waits instead


class SearchBackend(ABC):
    """A search service behind one async method. Subclasses set ``kind``, implement
    ``_search`` and may use :meth:`_get_json` for their HTTP calls."""

    kind: ClassVar[str]

    def __init__(self, config: SearchConfig, http: httpx.AsyncClient | None,
                 api_key: str | None = None, store: Store | None = None) -> None:
        self.config = config
        self._http = http
        self._api_key = api_key  # never logged, never in a message
        self._store = store  # the archive searches it; web backends leave it alone

    @property
    def name(self) -> str:
        """The name the configuration gives this backend (the hits' ``backend``)."""
        return self.config.name

    async def search(self, query: str, language: str, limit: int, *,
                     exclude_article_id: str | None = None) -> list[SearchHit]:
        """Up to ``limit`` hits for ``query`` written in ``language`` (BCP-47), best first.

        ``exclude_article_id`` is the article being checked: it is not evidence for itself.
        Raises SearchError with a one-line reason (status, timeout, malformed answer).
        """
        query = cut_query(query)
        if not query or limit < 1:
            return []
        try:
            async with asyncio.timeout(self.config.timeout):
                hits = await self._search(query, language, limit, exclude_article_id)
        except TimeoutError:
            raise SearchError(f"{self.name}: no answer within {self.config.timeout:g} s") from None
        except SearchError as exc:
            raise SearchError(mask(exc.reason, self._api_key)) from None
        except Exception as exc:  # a backend's failure must never crash the check
            log.exception("%s: unexpected failure", self.name)
            raise SearchError(f"{self.name}: unexpected {type(exc).__name__}") from None
        return _distinct(hits)[:limit]

    @abstractmethod
    async def _search(self, query: str, language: str, limit: int,
                      exclude_article_id: str | None) -> list[SearchHit]:
        """Ask the service and read its answer into hits."""

    async def aclose(self) -> None:  # noqa: B027 - optional hook, not abstract
        """Release resources; the HTTP client is the app's and is closed by it."""

    # -- HTTP, shared by the web backends ----------------------------------------------------

    @property
    def user_agent(self) -> str:
        """Who is asking: name/version, the operator's contact when configured, the library."""
        contact = self.config.contact or "news fact-check bot"
        return f"Parallax/{__version__} ({contact}) httpx/{httpx.__version__}"

    async def _get_json(self, url: str, params: Mapping[str, str | int],
                        headers: Mapping[str, str] | None = None) -> Any:
        """GET ``url`` and return its JSON; a 429 is waited out once if it asks for at most
        :data:`MAX_RETRY_AFTER` seconds. Raises SearchError for anything else than a 200."""
        if self._http is None:
            raise SearchError(f"{self.name}: no HTTP client")
        sent = {"Accept": "application/json", "User-Agent": self.user_agent, **(headers or {})}
        for attempt in (1, 2):
            status, answer_headers, body = await self._get(url, params, sent)
            if status == 429:
                wait = self._retry_wait(answer_headers)
                if attempt == 1 and wait is not None and wait <= MAX_RETRY_AFTER:
                    await _sleep(wait)
                    continue
                raise SearchError(self._rate_limited(wait, answer_headers, body))
            if status != 200:
                raise SearchError(self._status_reason(status, answer_headers, body))
            return self._json(body)
        raise AssertionError("unreachable")  # pragma: no cover

    async def _get(self, url: str, params: Mapping[str, str | int],
                   headers: Mapping[str, str]) -> tuple[int, httpx.Headers, bytes]:
        assert self._http is not None
        try:
            async with self._http.stream("GET", url, params=params, headers=headers,
                                         follow_redirects=False) as response:
                body = bytearray()
                async for chunk in response.aiter_bytes():
                    body += chunk
                    if len(body) > MAX_BODY_BYTES:
                        raise SearchError(f"{self.name}: answer larger than "
                                          f"{MAX_BODY_BYTES // 1_000_000} MB")
                return response.status_code, response.headers, bytes(body)
        except httpx.TimeoutException:
            raise SearchError(f"{self.name}: no answer from {_host(url)} in time") from None
        except httpx.HTTPError as exc:
            why = type(exc).__name__
            raise SearchError(f"{self.name}: cannot reach {_host(url)} ({why})") from None

    def _json(self, body: bytes) -> Any:
        try:
            return json.loads(body)
        except (ValueError, UnicodeDecodeError):
            raise SearchError(f"{self.name}: the answer is not JSON "
                              f"({len(body)} bytes: {_excerpt(body)})") from None

    def _retry_wait(self, headers: Mapping[str, str]) -> float | None:
        """Seconds a 429 asks to wait (``Retry-After``); services may say it otherwise."""
        return retry_after(headers)

    def _rate_limited(self, wait: float | None, headers: httpx.Headers, body: bytes) -> str:
        """The reason of a 429 that was not waited out; services may say more."""
        later = f", retry in {duration(wait)}" if wait is not None else ""
        return f"{self.name}: rate-limited (HTTP 429{later})"

    def _status_reason(self, status: int, headers: httpx.Headers, body: bytes) -> str:
        """The reason of an error status; subclasses name their service's known causes."""
        location = headers.get("location")
        if 300 <= status < 400 and location:
            # Not followed: a search endpoint that moved is a configuration to fix, once.
            return (f"{self.name}: HTTP {status}: {self.kind} redirects to {location[:120]}; "
                    "fix base_url")
        return f"{self.name}: HTTP {status} from {self.kind} ({_excerpt(body)})"


def retry_after(headers: Mapping[str, str]) -> float | None:
    """Seconds a ``Retry-After`` header asks for (delta-seconds or an HTTP date), or None."""
    value = (headers.get("retry-after") or "").strip()
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, moment.timestamp() - time.time())


def duration(seconds: float) -> str:
    """A wait as people say it: ``2 s``, ``15 min``, ``3 h``, ``16 days``."""
    if seconds < 120:
        return f"{round(seconds, 1):g} s"
    for unit, size in (("min", 60), ("h", 3600), ("days", 86400)):
        if seconds < size * (48 if unit == "h" else 120) or unit == "days":
            return f"{round(seconds / size)} {unit}"
    raise AssertionError("unreachable")  # pragma: no cover


def cut_query(query: str) -> str:
    """``query`` on one line, within the characters and words the services accept."""
    words = " ".join(query.split()).split(" ")[:MAX_QUERY_WORDS]
    text = " ".join(words)
    if len(text) > MAX_QUERY_CHARS:
        text = text[:MAX_QUERY_CHARS].rsplit(" ", 1)[0] or text[:MAX_QUERY_CHARS]
    return text


def _host(url: str) -> str:
    return host_of(url) or "the service"


def _excerpt(body: bytes, limit: int = 80) -> str:
    """The start of a body, on one line, for a reason: enough to recognise an error page."""
    text = plain(body[:2000].decode("utf-8", "replace"), 2000)  # an HTML page: its words
    return (text[:limit] + "…") if len(text) > limit else (text or "empty")


def _distinct(hits: list[SearchHit]) -> list[SearchHit]:
    """Hits in order, each URL once (services repeat a page found by several engines)."""
    seen: set[str] = set()
    out: list[SearchHit] = []
    for hit in hits:
        key = hit.url.rstrip("/")
        if key and key not in seen:
            seen.add(key)
            out.append(hit)
    return out


async def timed_search(backend: SearchBackend, query: str, language: str, limit: int, *,
                       exclude_article_id: str | None = None,
                       ) -> tuple[list[SearchHit], SearchRecord]:
    """Run one search and describe it as the report lists it; never raises SearchError:
    a failed search is a record with status ``error`` and its reason."""
    started = time.perf_counter()
    try:
        hits = await backend.search(query, language, limit,
                                    exclude_article_id=exclude_article_id)
    except SearchError as exc:
        latency = int((time.perf_counter() - started) * 1000)
        return [], SearchRecord(backend.name, query, "error", 0, latency, exc.reason)
    latency = int((time.perf_counter() - started) * 1000)
    return hits, SearchRecord(backend.name, query, "ok", len(hits), latency)

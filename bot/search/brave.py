"""Brave Search API: ``GET {base_url}/res/v1/web/search`` with ``X-Subscription-Token``.

The answer (api-dashboard.search.brave.com, web search reference) holds ``web.results[]`` with
``url``, ``title``, ``description``, ``page_age``/``age``, ``language`` and
``meta_url.hostname``; ``web`` is left out when nothing was found. Errors are
``{"type": "ErrorResponse", "error": {"code", "detail", …}}``: a wrong key is a 422
``SUBSCRIPTION_TOKEN_INVALID``, a refused parameter a 422 ``VALIDATION``, a rate or quota limit
a 429 ``RATE_LIMITED``/``QUOTA_LIMITED``. Limits come as ``X-RateLimit-Reset: 1, 1419704``
(seconds until each window — per second, per month — resets), beside or instead of
``Retry-After``. ``search_lang`` takes Brave's own codes (``jp`` for Japanese, ``zh-hans``);
a language Brave does not know is not sent rather than refused.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import httpx

from bot.errors import SearchError
from bot.records import SearchHit
from bot.search.base import SearchBackend, duration, host_of, retry_after
from bot.search.text import iso_date, plain

DEFAULT_BASE = "https://api.search.brave.com"
MAX_COUNT = 20  # the web endpoint's maximum
LANGUAGES = frozenset((
    "ar", "eu", "bn", "bg", "ca", "zh-hans", "zh-hant", "hr", "cs", "da", "nl", "en", "en-gb",
    "et", "fi", "fr", "gl", "de", "el", "gu", "he", "hi", "hu", "is", "it", "jp", "kn", "ko",
    "lv", "lt", "ms", "ml", "mr", "nb", "pl", "pt-br", "pt-pt", "pa", "ro", "ru", "sr", "sk",
    "sl", "es", "sv", "ta", "te", "th", "tr", "uk", "vi"))


def brave_language(language: str) -> str | None:
    """Brave's ``search_lang`` for a BCP-47 code, or None when Brave has none for it."""
    code = language.lower().replace("_", "-")
    base = code.split("-")[0]
    if base == "zh":
        traditional = any(t in code.split("-") for t in ("hant", "tw", "hk", "mo"))
        return "zh-hant" if traditional else "zh-hans"
    if base == "pt":
        return "pt-br" if "br" in code.split("-") else "pt-pt"
    if code in ("en-gb", "en-uk"):
        return "en-gb"
    mapped = {"ja": "jp", "no": "nb", "nn": "nb", "iw": "he"}.get(base, base)
    return mapped if mapped in LANGUAGES else None


class BraveBackend(SearchBackend):
    """The Brave Search API, with the key from the variable the block names."""

    kind: ClassVar[str] = "brave"

    async def _search(self, query: str, language: str, limit: int,
                      exclude_article_id: str | None) -> list[SearchHit]:
        env = self.config.key_env
        if not self._api_key:
            raise SearchError(f"{self.name}: no Brave API key: set {env} in the environment")
        base = (self.config.base_url or DEFAULT_BASE).rstrip("/")
        params: dict[str, str | int] = {"q": query, "count": min(limit, MAX_COUNT),
                                        "text_decorations": "false"}
        if (code := brave_language(language or "")) is not None:
            params["search_lang"] = code
        data = await self._get_json(f"{base}/res/v1/web/search", params,
                                    {"X-Subscription-Token": self._api_key})
        if not isinstance(data, dict) or data.get("type") != "search":
            raise SearchError(f"{self.name}: the answer is not a Brave web search result")
        web = data.get("web") or {}
        results = web.get("results") if isinstance(web, dict) else None
        if not isinstance(results, list):
            return []  # Brave leaves out "web" when it found nothing
        return [hit for item in results if (hit := self._hit(item)) is not None]

    def _hit(self, item: Any) -> SearchHit | None:
        if not isinstance(item, dict):
            return None
        url = item.get("url")
        if not isinstance(url, str) or not url.startswith(("http://", "https://")):
            return None
        meta = item.get("meta_url") if isinstance(item.get("meta_url"), dict) else {}
        hostname = meta.get("hostname") if isinstance(meta.get("hostname"), str) else None
        language = item.get("language")
        return SearchHit(
            url=url, title=plain(item.get("title")) or url,
            snippet=plain(item.get("description")), backend=self.name,
            published=iso_date(item.get("page_age")) or iso_date(item.get("age")),
            language=language if isinstance(language, str) and language else None,
            site=(hostname or "").lower().removeprefix("www.") or host_of(url))

    def _retry_wait(self, headers: Mapping[str, str]) -> float | None:
        """``Retry-After``, else the reset of the first exhausted window (per second first)."""
        wait = retry_after(headers)
        if wait is not None:
            return wait
        resets = _numbers(headers.get("x-ratelimit-reset"))
        remaining = _numbers(headers.get("x-ratelimit-remaining"))
        for index, reset in enumerate(resets):
            if index >= len(remaining) or remaining[index] <= 0:
                return reset
        return resets[0] if resets else None

    def _rate_limited(self, wait: float | None, headers: httpx.Headers, body: bytes) -> str:
        code, detail = _error(self._json_or_none(body))
        what = "quota exhausted" if code == "QUOTA_LIMITED" else "rate-limited"
        later = f", resets in {duration(wait)}" if wait is not None else ""
        return f"{self.name}: {what} by Brave (HTTP 429{later}){_said(code, detail)}"

    def _status_reason(self, status: int, headers: httpx.Headers, body: bytes) -> str:
        code, detail = _error(self._json_or_none(body))
        if code in ("SUBSCRIPTION_TOKEN_INVALID", "SUBSCRIPTION_NOT_FOUND") or status == 401:
            named = f" {code}" if code else ""
            return (f"{self.name}: Brave refused the key in {self.config.key_env} "
                    f"(HTTP {status}{named})")
        if code or detail:
            return f"{self.name}: HTTP {status} from Brave{_said(code, detail)}"
        return super()._status_reason(status, headers, body)

    def _json_or_none(self, body: bytes) -> Any:
        try:
            return self._json(body)
        except SearchError:
            return None


def _error(data: Any) -> tuple[str | None, str | None]:
    """The ``code`` and ``detail`` of a Brave ErrorResponse (``error`` or ``errors[0]``)."""
    if not isinstance(data, dict):
        return None, None
    error = data.get("error")
    if error is None and isinstance(data.get("errors"), list) and data["errors"]:
        error = data["errors"][0]
    if not isinstance(error, dict):
        return None, None
    code, detail = error.get("code"), error.get("detail")
    return (code if isinstance(code, str) else None,
            plain(detail, 160) if isinstance(detail, str) else None)


def _said(code: str | None, detail: str | None) -> str:
    """``: CODE (detail)`` as far as Brave said them."""
    if code:
        return f": {code}" + (f" ({detail})" if detail else "")
    return f": {detail}" if detail else ""


def _numbers(value: str | None) -> list[float]:
    out = []
    for part in (value or "").split(","):
        try:
            out.append(float(part.strip()))
        except ValueError:
            continue
    return out

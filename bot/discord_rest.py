"""A tiny Discord REST client on httpx, for posting without the gateway (``parallax digest run``).

::

    ParallaxError
    └── DiscordError              Discord refused the request (bad token, invalid payload)
        ├── ChannelUnavailable    403/404: the bot cannot use the channel; do not retry
        ├── InteractionExpired    401/404 on an interaction's webhook: past its 15 minutes
        └── DiscordUnavailable    5xx, network error, timeout, long rate limit: retry later

Every message is mentions-free (``allowed_mentions: {"parse": []}``): the bot never pings. No
message or error ever contains the bot token. Discord's rate limits are honoured
(:mod:`bot.discord_ratelimits`): an exhausted bucket is waited out before the request is sent, a
429 is waited out and the same request (same nonce) sent again, and the bot's own requests stay
within the global limit.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterable
from types import TracebackType
from typing import Any

import httpx

from bot.config import Settings
from bot.discord_ratelimits import GLOBAL_LIMIT, GLOBAL_WINDOW, Limits, exempt_from_global, route_of
from bot.errors import ConfigError, ParallaxError
from bot.redact import mask

USER_AGENT = "DiscordBot (parallax, 0.1)"
NONCE_MAX = 25  # Discord's limit on a string nonce
MAX_RETRIES = 3  # retries of a 429, after the first attempt
MAX_GLOBAL_RETRIES = 10  # retries of a global 429 (they do not count toward MAX_RETRIES)


class DiscordError(ParallaxError):
    """Discord refused a request; ``status`` and ``code`` are Discord's when it answered."""

    def __init__(self, reason: str, *, status: int | None = None, code: int | None = None) -> None:
        super().__init__(reason)
        self.status, self.code = status, code


class ChannelUnavailable(DiscordError):
    """403 or 404: the channel is gone or the bot may not post there. Retrying only counts
    toward Discord's invalid-request ban: disable the target instead."""


class InteractionExpired(DiscordError):
    """An interaction's token no longer answers (401 or 404 on its webhook): it lives 15
    minutes. The answer goes to the channel instead."""


class DiscordUnavailable(DiscordError):
    """Discord cannot answer now (5xx, network error, timeout, a long rate limit): retry later.
    ``retry_after`` is Discord's hint in seconds, when it gave one."""

    def __init__(self, reason: str, *, status: int | None = None, code: int | None = None,
                 retry_after: float | None = None) -> None:
        super().__init__(reason, status=status, code=code)
        self.retry_after = retry_after


def short_nonce(nonce: str) -> str:
    """``nonce`` itself when it fits Discord's 25 characters, else the first 25 hex digits of
    its sha256: stable across runs, so a retried post still deduplicates."""
    if len(nonce) <= NONCE_MAX:
        return nonce
    return hashlib.sha256(nonce.encode()).hexdigest()[:NONCE_MAX]


class DiscordREST:
    """Posts messages through Discord's REST API with a bot token.

    ``client`` may be shared (it is then not closed here); otherwise one is made and owned.
    A request waits for its bucket when Discord said it is exhausted, and a 429 is retried
    after its ``retry_after``, at most three times; a wait longer than ``max_retry_after``
    seconds raises :class:`DiscordUnavailable` instead (with the wait as ``retry_after``). At
    most ``global_limit`` requests leave per ``global_window`` seconds (Discord's global limit;
    interaction endpoints are exempt). :attr:`stats` counts the 429s met and the waits made.
    """

    def __init__(self, token: str, api_base: str = "https://discord.com/api/v10",
                 client: httpx.AsyncClient | None = None, max_retry_after: float = 10.0, *,
                 global_limit: int = GLOBAL_LIMIT, global_window: float = GLOBAL_WINDOW) -> None:
        self._token = token
        self.api_base = api_base.rstrip("/")
        self.max_retry_after = max_retry_after
        self.limits = Limits(global_limit, global_window)
        self.stats = self.limits.stats
        self._owns_client = client is None
        self._client = client or httpx.AsyncClient(timeout=httpx.Timeout(15.0, connect=5.0))

    async def __aenter__(self) -> DiscordREST:
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the HTTP client if this object made it."""
        if self._owns_client:
            await self._client.aclose()

    async def post_message(self, channel_id: str | int, *, content: str = "",
                           embeds: Iterable[dict[str, Any]] = (),
                           nonce: str | None = None,
                           components: Iterable[dict[str, Any]] = ()) -> str:
        """Post a message to a channel and return its id.

        With ``nonce`` the post carries ``enforce_nonce``: a second post with the same nonce
        within Discord's window returns the first message instead of creating another. Nonces
        longer than 25 characters are shortened with :func:`short_nonce`.
        """
        payload: dict[str, Any] = {"allowed_mentions": {"parse": []}}
        if content:
            payload["content"] = content
        embed_list = list(embeds)
        if embed_list:
            payload["embeds"] = embed_list
        if nonce is not None:
            payload |= {"nonce": short_nonce(str(nonce)), "enforce_nonce": True}
        component_list = list(components)
        if component_list:
            payload["components"] = component_list
        message = await self.request("POST", f"/channels/{channel_id}/messages", payload)
        return str(message["id"])

    async def edit_message(self, channel_id: str | int, message_id: str | int,
                           payload: dict[str, Any]) -> None:
        """Edit one of the bot's messages in a channel (an answer past its token's life)."""
        await self.request("PATCH", f"/channels/{channel_id}/messages/{message_id}",
                           _mentionless(payload))

    async def edit_original(self, application_id: str | int, token: str,
                            payload: dict[str, Any]) -> None:
        """Edit an interaction's original (deferred) answer through its webhook token;
        :class:`InteractionExpired` once the token is past its 15 minutes."""
        await self.request("PATCH", f"/webhooks/{application_id}/{token}/messages/@original",
                           _mentionless(payload))

    async def delete_original(self, application_id: str | int, token: str) -> None:
        """Remove an interaction's original answer (a "thinking…" that will not be used)."""
        await self.request("DELETE", f"/webhooks/{application_id}/{token}/messages/@original")

    async def followup(self, application_id: str | int, token: str,
                       payload: dict[str, Any]) -> str:
        """Send a follow-up message on an interaction's webhook; the new message's id."""
        message = await self.request("POST", f"/webhooks/{application_id}/{token}?wait=true",
                                     _mentionless(payload))
        return str(message["id"]) if isinstance(message, dict) else ""

    async def request(self, method: str, path: str, payload: Any = None) -> Any:
        """Send one request (``path`` after the API base) and return the decoded JSON answer
        (None for 204), translating every failure into a :class:`DiscordError`."""
        route, major = route_of(method, path)
        bucket = self.limits.bucket(route, major)
        async with bucket.lock:  # one request at a time per bucket: the headers stay true
            retries = Counter[bool]()  # 429s met by this request: global or not
            while True:
                wait = self.limits.wait_needed(bucket)
                if wait > self.max_retry_after:
                    raise self._limited(method, path, wait)
                await self.limits.pause(wait, "retry" if retries else "bucket")
                if not exempt_from_global(path):
                    await self.limits.global_slot()
                response = await self._send(method, path, payload)
                self.limits.learn(route, major, bucket, response.headers, response.status_code)
                if response.status_code != 429:
                    return self._result(method, path, response)
                wait, is_global = _retry_after(response), _is_global(response)
                retries[is_global] += 1
                # A global 429 is the sum of the bot's traffic, not this request's doing: a
                # burst of posts may meet several in a row, and none of them may be dropped.
                if wait is None or wait > self.max_retry_after or retries[False] > MAX_RETRIES \
                        or retries[True] > MAX_GLOBAL_RETRIES:
                    self.stats.limited += 1
                    raise self._limited(method, path, wait)
                self.limits.limited(bucket, wait, is_global)

    async def _send(self, method: str, path: str, payload: Any) -> httpx.Response:
        headers = {"User-Agent": USER_AGENT}
        if not _interaction_path(path):  # an interaction's token is its own credential
            headers["Authorization"] = f"Bot {self._token}"
        try:
            return await self._client.request(method, self.api_base + path, headers=headers,
                                              json=payload)
        except httpx.TimeoutException:
            raise DiscordUnavailable(f"Discord did not answer {method} {_without_token(path)} "
                                     "in time") from None
        except httpx.HTTPError as exc:
            raise DiscordUnavailable(self._scrub(
                f"cannot reach Discord for {method} {_without_token(path)}: "
                f"{type(exc).__name__}: {exc}"
            )) from None

    @staticmethod
    def _limited(method: str, path: str, wait: float | None) -> DiscordUnavailable:
        return DiscordUnavailable(
            f"rate limited by Discord on {method} {_without_token(path)}"
            + (f" for {wait:g} s" if wait is not None else ""), status=429, retry_after=wait)

    def _result(self, method: str, path: str, response: httpx.Response) -> Any:
        status = response.status_code
        body = _json(response)
        if 200 <= status < 300:
            return body
        code = body.get("code") if isinstance(body, dict) else None
        detail = self._scrub(_describe(body, status))
        where = f"{method} {_without_token(path)}"
        if status in (401, 404) and _interaction_path(path):
            raise InteractionExpired(f"the interaction's token no longer answers: {detail}",
                                     status=status, code=code)
        if status == 401:
            raise DiscordError("the bot token was refused by Discord (401)", status=401, code=code)
        if status in (403, 404):
            raise ChannelUnavailable(f"{where} was refused: {detail}", status=status, code=code)
        if status >= 500:
            raise DiscordUnavailable(f"Discord failed on {where}: {detail}", status=status,
                                     code=code)
        raise DiscordError(f"Discord rejected {where}: {detail}", status=status, code=code)

    def _scrub(self, text: str) -> str:
        # Belt and braces: nothing we build contains the token, but an echoed text might
        # (in any case, or another credential): masked as everywhere (bot.redact).
        return mask(text, self._token)


def _interaction_path(path: str) -> bool:
    return path.startswith(("/webhooks/", "/interactions/"))


def _without_token(path: str) -> str:
    """``path`` with an interaction's token replaced, for messages and logs."""
    return re.sub(r"^/(webhooks|interactions)/(\d+)/[^/?]+", r"/\1/\2/{token}", path)


def _mentionless(payload: dict[str, Any]) -> dict[str, Any]:
    """``payload`` with every mention switched off: the bot never pings."""
    return {"allowed_mentions": {"parse": []}, **payload}


def _json(response: httpx.Response) -> Any:
    if response.status_code == 204 or not response.content:
        return None
    try:
        return response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None


def _is_global(response: httpx.Response) -> bool:
    body = _json(response)
    return (isinstance(body, dict) and body.get("global") is True) or \
        response.headers.get("X-RateLimit-Global", "").lower() == "true"


def _retry_after(response: httpx.Response) -> float | None:
    """Seconds to wait from a 429: the JSON ``retry_after``, else the Retry-After header."""
    body = _json(response)
    value = body.get("retry_after") if isinstance(body, dict) else None
    if value is None:
        value = response.headers.get("Retry-After")
    try:
        return max(0.0, float(value)) if value is not None else None
    except (TypeError, ValueError):
        return None


def _describe(body: Any, status: int) -> str:
    """Discord's error as one line: status, message, code and the first nested field error."""
    if not isinstance(body, dict):
        return f"HTTP {status}"
    text = f"{status} {body.get('message') or 'error'}"
    if body.get("code"):
        text += f" (code {body['code']})"
    field = _first_field_error(body.get("errors"), ())
    return f"{text}: {field}" if field else text


def _first_field_error(node: Any, path: tuple[str, ...]) -> str | None:
    if not isinstance(node, dict):
        return None
    for error in node.get("_errors") or []:
        return f"{'.'.join(path) or 'body'}: {error.get('message', error.get('code'))}"
    for key, child in node.items():
        if key != "_errors" and (found := _first_field_error(child, (*path, key))):
            return found
    return None


def rest_poster(settings: Settings) -> DiscordREST:
    """Discord's REST API with the bot's token: how digests and notices are posted."""
    token = settings.secret("DISCORD_TOKEN")
    if not token:
        raise ConfigError("DISCORD_TOKEN is not set: posting to Discord needs the bot's token")
    return DiscordREST(token, api_base=settings.discord_api_base or "https://discord.com/api/v10")

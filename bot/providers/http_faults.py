"""HTTP failures of the SDK providers: one capped retry policy and one-line reasons.

Both SDKs retry by themselves, but Anthropic's sleeps as long as any ``retry-after`` says (a
200 s header means a 200 s sleep) and OpenAI's up to 120 s, both longer than a call's
timeout. So the providers build their SDK clients with ``max_retries=0`` and retry here:
at most :attr:`RetryPolicy.retries` times, with short exponential backoff, honouring a
``retry-after`` only when it fits both :attr:`RetryPolicy.max_retry_after` and what is left
of the call's time budget, and failing at once otherwise. The base class's per-call
timeout still bounds the whole.

Vendor SDKs are imported only in their own provider module, so each provider hands its
SDK's exception classes in as :class:`SDKErrors`. Reasons never contain the API key:
they are masked by :func:`bot.redact.mask` before they are cut to length.
"""

from __future__ import annotations

import asyncio
import email.utils
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from bot.errors import EndpointDown, ProviderError
from bot.redact import mask

T = TypeVar("T")
C = TypeVar("C")

_REASONS = {400: "request rejected", 401: "key refused", 403: "access denied",
            404: "unknown model", 408: "request timeout", 409: "conflict",
            413: "request too large", 422: "request rejected", 429: "rate limited",
            500: "server error", 502: "bad gateway", 503: "unavailable",
            504: "gateway timeout", 529: "overloaded"}
_SHOW_MESSAGE = {400, 413, 422}  # the server's words help fix these; others say enough
_RETRYABLE = {408, 409, 429}
NOT_API_JSON = "the server's answer is not the API's JSON (a proxy or a wrong base_url?)"


@dataclass(frozen=True)
class SDKErrors:
    """One SDK's exception classes (they share names across SDKs, not a hierarchy)."""

    status: type[Exception]  # APIStatusError: .status_code, .response, .body
    timeout: type[Exception]  # APITimeoutError
    connection: type[Exception]  # APIConnectionError (a base of APITimeoutError)
    invalid_response: type[Exception]  # APIResponseValidationError


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to retry a failed request."""

    retries: int = 2
    base_delay: float = 0.5  # doubled at each retry, with jitter
    max_delay: float = 8.0
    max_retry_after: float = 20.0  # a server asking to wait longer is answered by failing now
    connection_retries: int = 1  # for a refused or unreachable endpoint


def status_reason(status: int) -> str:
    """A short name for an HTTP status, e.g. ``rate limited (429)``."""
    name = _REASONS.get(status) or ("server error" if status >= 500 else "HTTP error")
    return f"{name} ({status})"


def reason(exc: BaseException, errors: SDKErrors, secret: str | None = None) -> str:
    """One line saying what went wrong with a request, without the model name or the key."""
    if isinstance(exc, errors.timeout):
        text = "timed out"
    elif isinstance(exc, errors.connection):
        text = "unreachable"
    elif isinstance(exc, errors.invalid_response):
        text = "malformed response from the server"
    elif isinstance(exc, errors.status):
        status = int(getattr(exc, "status_code", 0))
        text = status_reason(status)
        message = _api_message(getattr(exc, "body", None))
        if status in _SHOW_MESSAGE and message:
            # Mask, then cut: cut first, a key straddling the cut would keep its prefix.
            text += f": {scrub(message, secret)[:160]}"
    else:
        text = f"unexpected {type(exc).__name__}"
    return scrub(text, secret)


def scrub(text: str, secret: str | None) -> str:
    """``text`` with ``secret`` (in any case), every secret the process holds and every
    credential-shaped string masked (:func:`bot.redact.mask`)."""
    return mask(text, secret)


async def with_retries(
    send: Callable[[], Awaitable[T]], *, label: str, errors: SDKErrors, policy: RetryPolicy,
    budget: float, secret: str | None = None,
) -> T:
    """Await ``send()``, retrying transient failures within ``budget`` seconds.

    Raises ProviderError ``"<label>: <reason>"`` once retrying is pointless.
    """
    deadline = time.monotonic() + budget
    for attempt in range(policy.retries + 1):
        try:
            return await send()
        except ValueError:  # a 200 whose body is not JSON at all (an empty body, say)
            raise ProviderError(f"{label}: {NOT_API_JSON}") from None
        except (errors.status, errors.connection) as exc:
            delay, note = _delay(exc, errors, policy, attempt)
            left = deadline - time.monotonic()
            # A refused or unreachable endpoint gets one more try, not every retry: a server
            # that is down answers the same a second later, and the user waits for each try.
            last = policy.retries if not isinstance(exc, errors.connection) else min(
                policy.retries, policy.connection_retries)
            if attempt >= last or delay is None or delay >= left:
                # Endpoint trouble (no HTTP answer at all) is EndpointDown: the check then
                # asks that endpoint nothing more. An HTTP error is an ordinary failure.
                kind = EndpointDown if isinstance(exc, errors.connection) else ProviderError
                raise kind(f"{label}: {reason(exc, errors, secret)}{note}") from None
            await asyncio.sleep(delay)
    raise AssertionError("unreachable")  # pragma: no cover - the loop always returns or raises


def api_answer(result: object, cls: type[T], required: tuple[str, ...], label: str) -> T:
    """``result`` if it is the SDK's ``cls`` with every ``required`` field present.

    SDKs without strict validation hand back a plain string when a server (a proxy, a
    captive portal, a misconfigured base_url) answers 200 with HTML, and an object of empty
    fields for JSON of another shape: either is the model's failure, never an answer.
    """
    if not isinstance(result, cls) or any(getattr(result, f, None) is None for f in required):
        raise ProviderError(f"{label}: {NOT_API_JSON}")
    return result


def _delay(exc: Exception, errors: SDKErrors, policy: RetryPolicy,
           attempt: int) -> tuple[float | None, str]:
    """Seconds to wait before the next attempt (None: do not retry) and a note for the reason."""
    backoff = min(policy.base_delay * 2**attempt, policy.max_delay) * (1 - 0.25 * random.random())  # noqa: S311
    if not isinstance(exc, errors.status):
        return backoff, ""  # connection trouble: worth another try
    response: Any = getattr(exc, "response", None)
    headers = getattr(response, "headers", {}) or {}
    status = int(getattr(exc, "status_code", 0))
    should = headers.get("x-should-retry")
    if should == "false" or (should != "true" and status not in _RETRYABLE and status < 500):
        return None, ""
    wait = _retry_after(headers)
    if wait is None:
        return backoff, ""
    if wait > policy.max_retry_after:
        return None, f"; the server asks to wait {wait:.0f} s"
    return max(wait, 0.0), ""


def _retry_after(headers: Any) -> float | None:
    """The server's requested wait in seconds, from ``retry-after-ms`` or ``retry-after``."""
    for name, scale in (("retry-after-ms", 0.001), ("retry-after", 1.0)):
        value = headers.get(name)
        if value is None:
            continue
        try:
            return float(value) * scale
        except ValueError:
            parsed = email.utils.parsedate_tz(value)
            if parsed is not None:
                return float(email.utils.mktime_tz(parsed) - time.time())
    return None


def _api_message(body: object) -> str:
    """The server's error message from either SDK's ``body`` (whole or inner error dict)."""
    if not isinstance(body, dict):
        return ""
    inner = body.get("error")
    message = inner.get("message") if isinstance(inner, dict) else body.get("message")
    return " ".join(str(message).split()) if message else ""


class LoopClient(Generic[C]):
    """An SDK client per event loop: its connection pool belongs to the loop that made it."""

    def __init__(self, factory: Callable[[], C]) -> None:
        self._factory = factory
        self._client: C | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def get(self) -> C:
        """The client for the running loop, made on first use in that loop."""
        loop = asyncio.get_running_loop()
        if self._client is None or self._loop is not loop:
            self._client, self._loop = self._factory(), loop
        return self._client

    async def aclose(self) -> None:
        """Close the HTTP connections (safe to call twice)."""
        if self._client is not None:
            await self._client.close()  # type: ignore[attr-defined]
            self._client = None


def sdk_timeout(call_timeout: float) -> tuple[float, float]:
    """(total, connect) seconds for an SDK client: a little over the call's own timeout, so
    the provider's asyncio.timeout speaks first."""
    return call_timeout + 1.0, min(5.0, call_timeout)

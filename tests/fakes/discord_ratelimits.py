"""Discord's REST rate limits, played by the loopback Discord (tests/fakes/discord_server.py).

What Discord documents (https://discord.com/developers/docs/topics/rate-limits, "Header Format",
"Exceeding A Rate Limit", "Global Rate Limit"):

- Per-route limits, counted per top-level resource of the path (the "major parameter":
  ``channel_id``, ``guild_id``, or ``webhook_id`` + ``webhook_token``), so a route exhausted for
  ``/channels/1`` still answers for ``/channels/2``. Every answer of such a route carries
  ``X-RateLimit-Limit``, ``X-RateLimit-Remaining``, ``X-RateLimit-Reset`` (epoch seconds),
  ``X-RateLimit-Reset-After`` (seconds, decimals) and ``X-RateLimit-Bucket`` (an opaque id shared
  by the routes that share a limit, without the major parameter).
- Exceeding one: HTTP 429 with the route's headers, ``Retry-After`` (whole seconds),
  ``X-RateLimit-Scope: user`` and a JSON body ``{"message", "retry_after" (float seconds),
  "global": false}``.
- The global limit: 50 requests a second per bot token (per IP without Authorization),
  whatever the route; exceeding it gives 429 with ``X-RateLimit-Global: true``,
  ``X-RateLimit-Scope: global`` and ``"global": true``. Interaction endpoints (the callback,
  followups and ``@original`` on ``/webhooks/{application_id}/{token}``) are exempt from it.
- Discord's answers pass through Google's front end and carry ``Via``; discord.py takes a 429
  without ``Via`` for a Cloudflare ban and raises instead of waiting (notes/discord-loopback.md).

Discord publishes no per-route numbers ("should not be hard coded"); 5 message creations per 5 s
per channel is what bots observe, and what :class:`RateLimits` uses. Windows are fixed: the first
request opens one, it closes ``window`` seconds later. :meth:`RateLimits.scaled` shortens every
window so that tests stay fast while the counts stay Discord's.
"""

from __future__ import annotations

import hashlib
import math
import re
import time
from dataclasses import dataclass, field, replace
from typing import Any

VIA = "1.1 google"
Json = dict[str, Any]


@dataclass(frozen=True)
class RouteLimit:
    """``limit`` requests per ``window`` seconds for the paths ``pattern`` matches in full
    (after /api/v10), per major parameter. ``method`` "*" matches every method."""

    name: str
    method: str
    pattern: str
    limit: int
    window: float

    @property
    def bucket(self) -> str:
        """The opaque ``X-RateLimit-Bucket`` id: stable, and the same for every channel."""
        return hashlib.sha1(self.name.encode()).hexdigest()[:16]


MESSAGES = RouteLimit("create message", "POST", r"/channels/\d+/messages", 5, 5.0)


@dataclass(frozen=True)
class RateLimits:
    """The limits the fake enforces: the listed routes, ``default_limit`` per
    ``default_window`` for every other route, and the global limit per identity."""

    routes: tuple[RouteLimit, ...] = (MESSAGES,)
    default_limit: int = 50
    default_window: float = 1.0
    global_limit: int = 50
    global_window: float = 1.0

    def scaled(self, factor: float) -> RateLimits:
        """The same counts with every window multiplied by ``factor``."""
        return replace(self, routes=tuple(replace(r, window=r.window * factor)
                                          for r in self.routes),
                       default_window=self.default_window * factor,
                       global_window=self.global_window * factor)

    def rule(self, method: str, path: str) -> RouteLimit:
        """The limit that applies to a request (the default one for unlisted routes)."""
        for route in self.routes:
            if route.method in ("*", method) and re.fullmatch(route.pattern, path):
                return route
        return RouteLimit(f"{method} {_template(path)}", method, "", self.default_limit,
                          self.default_window)


# Fast by default: Discord's counts, windows a twentieth as long.
FAST = RateLimits().scaled(0.05)


def major_parameter(path: str) -> str:
    """The top-level resource a route's limit is counted per: channel, guild, webhook + token
    (and an interaction + its token, which is how its callback is addressed)."""
    if m := re.match(r"/(channels|guilds)/(\d+)", path):
        return f"{m[1]}:{m[2]}"
    if m := re.match(r"/(webhooks|interactions)/(\d+)/([^/]+)", path):
        return f"{m[1]}:{m[2]}:{m[3]}"
    return ""


def _template(path: str) -> str:
    path = re.sub(r"^/(webhooks|interactions)/(\d+)/[^/]+", r"/\1/{id}/{token}", path)
    return re.sub(r"/\d+", "/{id}", path)


@dataclass
class _Window:
    limit: int
    length: float
    start: float = -math.inf
    count: int = 0

    def roll(self, now: float) -> None:
        if now >= self.start + self.length:
            self.start, self.count = now, 0

    def left(self, now: float) -> float:
        # Rounded up to the millisecond, as Discord's headers are: a client that sleeps this
        # long (or its event loop's clock resolution less) finds the window closed.
        return max(0.0, math.ceil((self.start + self.length - now) * 1000) / 1000)


@dataclass
class Admission:
    """What the limiter says of one request: the headers every answer carries, and the 429
    to send instead of the answer when the request is refused."""

    headers: dict[str, str] = field(default_factory=dict)
    refused: Json | None = None
    scope: str = ""  # "user" or "global" when refused


class RateLimiter:
    """Counts requests into windows and refuses what Discord would refuse."""

    def __init__(self, limits: RateLimits = FAST) -> None:
        self.limits = limits
        self._routes: dict[tuple[str, str], _Window] = {}
        self._global: dict[str, _Window] = {}

    def admit(self, method: str, path: str, identity: str, *, exempt: bool,
              now: float | None = None) -> Admission:
        """Count one request. ``identity`` is the Authorization header (or the client's
        address); ``exempt`` requests (interaction endpoints) skip the global limit."""
        now = time.monotonic() if now is None else now
        if not exempt:
            glob = self._global.setdefault(identity, _Window(self.limits.global_limit,
                                                             self.limits.global_window))
            glob.roll(now)
            if glob.count >= glob.limit:
                wait = glob.left(now)
                return Admission({"Via": VIA, "Retry-After": str(math.ceil(wait)),
                                  "X-RateLimit-Global": "true", "X-RateLimit-Scope": "global"},
                                 {"message": "You are being rate limited.", "retry_after": wait,
                                  "global": True}, "global")
            glob.count += 1
        rule = self.limits.rule(method, path)
        window = self._routes.setdefault((rule.bucket, major_parameter(path)),
                                         _Window(rule.limit, rule.window))
        window.roll(now)
        refused = window.count >= window.limit
        if not refused:
            window.count += 1
        left = window.left(now)
        headers = {"Via": VIA, "X-RateLimit-Limit": str(window.limit),
                   "X-RateLimit-Remaining": str(window.limit - window.count),
                   "X-RateLimit-Reset": f"{time.time() + left:.3f}",
                   "X-RateLimit-Reset-After": f"{left:.3f}", "X-RateLimit-Bucket": rule.bucket}
        if not refused:
            return Admission(headers)
        headers |= {"Retry-After": str(math.ceil(left)), "X-RateLimit-Scope": "user"}
        return Admission(headers, {"message": "You are being rate limited.", "retry_after": left,
                                   "global": False}, "user")

"""Discord's REST rate limits as a client honours them (used by :mod:`bot.discord_rest`).

Discord (https://discord.com/developers/docs/topics/rate-limits) limits each route per
top-level resource of its path (channel, guild, webhook + token), says how much is left in
every answer (``X-RateLimit-Remaining``, ``X-RateLimit-Reset-After``, ``X-RateLimit-Bucket``
for routes that share one limit), refuses the excess with 429 and ``retry_after``, and limits a
bot to 50 requests a second in all (interaction endpoints exempt). Its advice, followed here:
read the headers rather than hard-code limits, and do not send on an exhausted bucket before it
resets, since every 429 counts toward the invalid-request ban (10,000 per 10 minutes).

:class:`Limits` keeps one :class:`Bucket` per (bucket id, major parameter), learned from the
headers, and a sliding window of the bot's own requests for the global limit. Requests to one
bucket go one at a time (its lock), so what the last answer said is what the next request can
rely on; different channels proceed in parallel.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections import Counter, deque
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field

GLOBAL_LIMIT = 50  # requests per GLOBAL_WINDOW seconds, per bot token (Discord's documented)
GLOBAL_WINDOW = 1.0
_MAX_BUCKETS = 512  # beyond this many, buckets that have reset are forgotten


@dataclass
class Bucket:
    """What Discord last said about one bucket. Unknown until the first answer: one request."""

    remaining: int = 1
    reset_at: float = 0.0  # monotonic time when ``remaining`` refills
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    def wait(self, now: float) -> float:
        """Seconds to wait before the next request may be sent (0 when it may go now)."""
        return max(0.0, self.reset_at - now) if self.remaining <= 0 else 0.0


@dataclass
class Stats:
    """What the limits cost a poster: the 429s it met and the waits it made, by kind
    (``bucket``: an exhausted bucket, ``global``: its own global limit, ``retry``: after a 429)."""

    limited: int = 0
    waits: Counter[str] = field(default_factory=Counter)
    waited: float = 0.0


def route_of(method: str, path: str) -> tuple[str, str]:
    """The route (method and path with ids as placeholders) and its major parameter."""
    major = ""
    if m := re.match(r"/(channels|guilds)/(\d+)", path):
        major = m[2]
    elif m := re.match(r"/(webhooks|interactions)/(\d+)/([^/?]+)", path):
        major = f"{m[2]}:{m[3]}"
    template = re.sub(r"^/(webhooks|interactions)/(\d+)/[^/?]+", r"/\1/{id}/{token}", path)
    template = re.sub(r"/\d+", "/{id}", template)
    return f"{method} {template}", major


def exempt_from_global(path: str) -> bool:
    """Interaction endpoints are not bound to the global limit."""
    return path.startswith("/interactions/")


class Limits:
    """Buckets and the global limit of one bot token, shared by its concurrent requests."""

    def __init__(self, global_limit: int = GLOBAL_LIMIT, global_window: float = GLOBAL_WINDOW,
                 clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], Awaitable[object]] = asyncio.sleep) -> None:
        self.global_limit, self.global_window = global_limit, global_window
        self.stats = Stats()
        self._clock, self._sleep = clock, sleep
        self._hashes: dict[str, str] = {}  # route -> Discord's bucket id, once it said
        self._buckets: dict[tuple[str, str], Bucket] = {}
        self._sent: deque[float] = deque()  # when each recent non-exempt request left
        self._global_until = 0.0  # a global 429 holds every request until then
        self._global_lock = asyncio.Lock()

    def bucket(self, route: str, major: str) -> Bucket:
        """The bucket a request on ``route`` for ``major`` counts against."""
        key = (self._hashes.get(route, route), major)
        if key not in self._buckets:
            self._forget_reset()
            self._buckets[key] = Bucket()
        return self._buckets[key]

    def wait_needed(self, bucket: Bucket) -> float:
        """Seconds before ``bucket`` allows a request (0: now)."""
        return bucket.wait(self._clock())

    async def pause(self, seconds: float, kind: str) -> None:
        """Wait ``seconds``, counted in :attr:`stats` under ``kind``."""
        if seconds <= 0:
            return
        self.stats.waits[kind] += 1
        self.stats.waited += seconds
        await self._sleep(seconds)

    async def global_slot(self) -> None:
        """Wait until one more request fits the global limit, then count it as sent."""
        async with self._global_lock:  # one waiter at a time: the slots go in order
            while True:
                now = self._clock()
                while self._sent and self._sent[0] <= now - self.global_window:
                    self._sent.popleft()
                if self._global_until > now:
                    await self.pause(self._global_until - now, "retry")
                elif len(self._sent) >= self.global_limit:
                    await self.pause(self._sent[0] + self.global_window - now, "global")
                else:
                    self._sent.append(now)
                    return

    def learn(self, route: str, major: str, bucket: Bucket, headers: Mapping[str, str],
              status: int) -> None:
        """Update ``bucket`` from an answer's rate-limit headers (nothing when it has none)."""
        now = self._clock()
        discord_hash = headers.get("x-ratelimit-bucket")
        if discord_hash and self._hashes.get(route) != discord_hash:
            self._hashes[route] = discord_hash
            # Routes that share a bucket id share its state from now on.
            bucket = self._buckets.setdefault((discord_hash, major), bucket)
        remaining = _number(headers.get("x-ratelimit-remaining"))
        if remaining is None:
            return
        reset_after = _number(headers.get("x-ratelimit-reset-after"))
        if reset_after is None and (reset := _number(headers.get("x-ratelimit-reset"))):
            reset_after = reset - time.time()
        bucket.remaining = int(remaining)
        bucket.reset_at = now + max(0.0, reset_after or 0.0)
        if status == 429:  # the bucket's headers on a 429 may still say some are left
            bucket.remaining = 0

    def limited(self, bucket: Bucket, retry_after: float, is_global: bool) -> None:
        """A 429: hold the bucket (or, for the global limit, every request) ``retry_after``."""
        self.stats.limited += 1
        until = self._clock() + retry_after
        if is_global:
            self._global_until = max(self._global_until, until)
        else:
            bucket.remaining = 0
            bucket.reset_at = max(bucket.reset_at, until)

    def _forget_reset(self) -> None:
        if len(self._buckets) < _MAX_BUCKETS:
            return
        now = self._clock()
        for key in [k for k, b in self._buckets.items()
                    if b.reset_at <= now and not b.lock.locked()]:
            del self._buckets[key]


def _number(value: str | None) -> float | None:
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None

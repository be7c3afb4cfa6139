"""The app's wiring: database, HTTP client, fetcher, prompts and providers, made once.

``build_app`` is the only place these are created; every face (CLI, Discord, scheduler)
receives the resulting :class:`App` and closes it by leaving the context manager.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

from bot.config import Settings
from bot.ingest import IngestLimits
from bot.ingest.fetch import Fetcher, FetchPolicy, build_http_client
from bot.prompts import Prompts, load_prompts
from bot.providers import Provider, build_provider
from bot.search import SearchBackend, build_backends
from bot.store import Store


class KeyedLocks:
    """One asyncio lock per key, forgotten when nobody holds or waits for it."""

    def __init__(self) -> None:
        self._locks: dict[str, asyncio.Lock] = {}
        self._users: Counter[str] = Counter()

    @asynccontextmanager
    async def hold(self, key: str) -> AsyncIterator[None]:
        """Hold the lock of ``key`` for the block."""
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._users[key] += 1
        try:
            async with lock:
                yield
        finally:
            self._users[key] -= 1
            if not self._users[key]:
                del self._locks[key], self._users[key]


@dataclass(frozen=True)
class App:
    """Everything the core needs, injected."""

    settings: Settings
    store: Store
    fetcher: Fetcher
    prompts: Prompts
    providers: dict[str, Provider]
    limits: IngestLimits
    # The same article checked the same way by several tasks at once is checked once.
    checks_in_flight: KeyedLocks = field(default_factory=KeyedLocks)
    # Every [[search]] block by name, and "archive" (bot.search.build_backends).
    search: dict[str, SearchBackend] = field(default_factory=dict)

    def provider(self, name: str) -> Provider:
        """The provider of the configured model ``name``."""
        return self.providers[name]

    @property
    def panel(self) -> list[Provider]:
        """The panel's providers, in configuration order."""
        return [self.providers[m.name] for m in self.settings.panel]

    async def warm_up(self) -> None:
        """Load now what a first check would: the language detectors' models (~0.3 s, ~80 MB,
        in a thread) and each model's SDK client for the running loop. For long-running
        processes (the bot, a worker), so that their first check is as quick as the next."""
        from bot.ingest.language import warm_up  # the detectors' module, only where used

        await asyncio.to_thread(warm_up)
        for provider in self.providers.values():
            provider.prepare()


@asynccontextmanager
async def build_app(settings: Settings, database: str | Path | None = None) -> AsyncIterator[App]:
    """Create the app's resources; close them all on exit."""
    prompts = load_prompts(settings.prompts_dir)
    providers = {m.name: build_provider(m, settings) for m in settings.model}
    policy = FetchPolicy(
        allow_private=settings.allow_private_networks,
        allow_networks=tuple(settings.allowed_networks),
        max_bytes=settings.max_fetch_bytes,
        total_timeout=settings.fetch_timeout,
    )
    limits = IngestLimits(max_bytes=settings.max_fetch_bytes, max_chars=settings.max_article_chars)
    async with build_http_client(policy) as http:
        store = await Store(database or settings.database).open()
        try:
            yield App(settings, store, Fetcher(http, policy), prompts, providers, limits,
                      search=build_backends(settings, http, store))
        finally:
            for provider in providers.values():
                await provider.aclose()
            await store.close()

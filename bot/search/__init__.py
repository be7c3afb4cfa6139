"""Search backend registry: each ``provider = "…"`` of a ``[[search]]`` block maps to a class.

The built-in backends register exactly as a third-party one would, through :func:`register`.
The ``archive`` backend needs no block: :func:`build_backends` always adds it, over the store.
"""

from __future__ import annotations

from collections.abc import Callable

import httpx

from bot.config import ARCHIVE, SearchConfig, Settings
from bot.errors import ConfigError
from bot.loading import later
from bot.search.base import SearchBackend, timed_search
from bot.store import Store

_REGISTRY: dict[str, Callable[[], type[SearchBackend]]] = {}


def register(kind: str, loader: Callable[[], type[SearchBackend]]) -> None:
    """Make the class returned by ``loader`` available as ``provider = "<kind>"``."""
    _REGISTRY[kind] = loader



register("searxng", later("bot.search.searxng:SearxngBackend"))
register("brave", later("bot.search.brave:BraveBackend"))
register("wikipedia", later("bot.search.wikipedia:WikipediaBackend"))
register(ARCHIVE, later("bot.search.archive:ArchiveBackend"))


def build_backend(config: SearchConfig, settings: Settings, http: httpx.AsyncClient | None,
                  store: Store | None = None) -> SearchBackend:
    """The backend for one search block, with its key from the environment."""
    loader = _REGISTRY.get(config.provider)
    if loader is None:
        known = ", ".join(sorted(_REGISTRY))
        raise ConfigError(f"search '{config.name}': provider '{config.provider}' is not "
                          f"available (known: {known})")
    return loader()(config, http, settings.secret(config.key_env), store=store)


def build_backends(settings: Settings, http: httpx.AsyncClient | None,
                   store: Store | None = None) -> dict[str, SearchBackend]:
    """Every declared search backend by name, in configuration order, and ``archive``."""
    configs = [*settings.search, settings.search_named(ARCHIVE)]
    return {c.name: build_backend(c, settings, http, store) for c in configs}


__all__ = ["SearchBackend", "build_backend", "build_backends", "register", "timed_search"]

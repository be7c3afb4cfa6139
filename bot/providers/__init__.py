"""Provider registry: each ``provider = "…"`` of the configuration maps to one class here.

The built-in providers register exactly as a third-party one would, through
:func:`register`, so the extension point is exercised every day.
"""

from __future__ import annotations

from bot.config import ModelConfig, Settings
from bot.errors import ConfigError
from bot.providers.base import Completion, CompletionRequest, Provider
from bot.providers.offline import OfflineProvider

_REGISTRY: dict[str, type[Provider]] = {}


def register(cls: type[Provider]) -> type[Provider]:
    """Make ``cls`` available under ``cls.kind``."""
    _REGISTRY[cls.kind] = cls
    return cls


register(OfflineProvider)


def build_provider(config: ModelConfig, settings: Settings) -> Provider:
    """The provider for one configured model, with its key from the environment."""
    cls = _REGISTRY.get(config.provider)
    if cls is None:
        known = ", ".join(sorted(_REGISTRY))
        raise ConfigError(
            f"model '{config.name}': provider '{config.provider}' is not available (known: {known})"
        )
    return cls(config, settings.secret(config.key_env))


__all__ = ["Completion", "CompletionRequest", "Provider", "build_provider", "register"]

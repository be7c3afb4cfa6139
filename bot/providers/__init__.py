"""Provider registry: each ``provider = "…"`` of the configuration maps to one class here.

The built-in providers register exactly as a third-party one would, through
:func:`register`, so the extension point is exercised every day. Classes are loaded on
first use: importing a vendor SDK costs a second at start-up, which ``parallax --help``
should not pay.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.config import ModelConfig, Settings
from bot.errors import ConfigError
from bot.loading import later
from bot.provider_kinds import plugins
from bot.providers.base import Completion, CompletionRequest, Provider

_REGISTRY: dict[str, Callable[[], type[Provider]]] = {}


def register(kind: str, loader: Callable[[], type[Provider]]) -> None:
    """Make the class returned by ``loader`` available as ``provider = "<kind>"``."""
    _REGISTRY[kind] = loader



register("offline", later("bot.providers.offline:OfflineProvider"))
register("anthropic", later("bot.providers.anthropic:AnthropicProvider"))
register("openai", later("bot.providers.openai_compat:OpenAICompatProvider"))


def build_provider(config: ModelConfig, settings: Settings) -> Provider:
    """The provider for one configured model, with its key from the environment.

    Built-in kinds are registered above; an installed plug-in's kind is registered from its
    ``parallax.providers`` entry point the first time a model of that kind is built.
    """
    if config.provider not in _REGISTRY and config.provider in plugins():
        register(config.provider, plugins()[config.provider].load)
    loader = _REGISTRY.get(config.provider)
    if loader is None:
        known = ", ".join(sorted(_REGISTRY))
        raise ConfigError(
            f"model '{config.name}': provider '{config.provider}' is not available (known: {known})"
        )
    cls = loader()
    if not (isinstance(cls, type) and issubclass(cls, Provider)):
        raise ConfigError(f"model '{config.name}': provider '{config.provider}' does not name a "
                          "Provider class")
    return cls(config, settings.secret(config.key_env))


__all__ = ["Completion", "CompletionRequest", "Provider", "build_provider", "register"]

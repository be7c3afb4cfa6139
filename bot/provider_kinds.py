"""Which ``provider = "…"`` values exist: the built-in ones and every installed plug-in.

A third-party provider is a package that declares an entry point in the ``parallax.providers``
group, named by its ``provider`` value, pointing at its Provider subclass::

    [project.entry-points."parallax.providers"]
    mistral = "parallax_mistral:MistralProvider"

Only names are read here (configuration checks them); :mod:`bot.providers` loads the class
when a model of that kind is first built. Light on purpose: the configuration imports it.
"""

from __future__ import annotations

from functools import cache
from importlib.metadata import EntryPoint, entry_points

GROUP = "parallax.providers"
BUILTIN = ("anthropic", "openai", "offline")


def plugins() -> dict[str, EntryPoint]:
    """The installed plug-ins by provider name (built-in names cannot be taken over)."""
    return {ep.name: ep for ep in _entry_points() if ep.name not in BUILTIN}


def kinds() -> tuple[str, ...]:
    """Every provider name a configuration may use, built-ins first."""
    return (*BUILTIN, *sorted(plugins()))


@cache
def _entry_points() -> tuple[EntryPoint, ...]:
    return tuple(entry_points(group=GROUP))


def forget() -> None:
    """Read the installed entry points again (after installing a plug-in in this process)."""
    _entry_points.cache_clear()

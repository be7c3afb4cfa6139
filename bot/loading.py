"""Classes named by ``"module:Name"``, imported when first asked for (the registries use it)."""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import Any


def later(path: str) -> Callable[[], Any]:
    """A loader for ``"package.module:Name"``: importing a vendor SDK costs a second at
    start-up, which a command that never uses it should not pay."""
    module, _, name = path.partition(":")
    return lambda: getattr(import_module(module), name)

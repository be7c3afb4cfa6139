"""Install a distribution with entry points on sys.path for one test: the seam a real
plug-in package uses (``pip install parallax-mistral``), without pip or a registry.

``importlib.metadata`` finds a distribution by its ``*.dist-info`` folder on sys.path; its
``entry_points.txt`` declares the entry points. Nothing in the app is monkeypatched: it reads
the entry points exactly as it reads an installed package's.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pytest

from bot.provider_kinds import GROUP, forget


def install_distribution(folder: Path, monkeypatch: pytest.MonkeyPatch, name: str, *,
                         entry_points: Mapping[str, str], group: str = GROUP,
                         modules: Mapping[str, str] | None = None) -> None:
    """Write ``name``'s dist-info (and any ``modules``, by module name -> source) in
    ``folder``, put it first on sys.path until the test ends, and make the provider kinds
    read the entry points again (the undo of sys.path by ``monkeypatch`` comes with the
    caller's own ``forget()`` at teardown)."""
    folder.mkdir(parents=True, exist_ok=True)
    for module, source in (modules or {}).items():
        (folder / f"{module}.py").write_text(source, encoding="utf-8")
    info = folder / f"{name.replace('-', '_')}-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n",
                                   encoding="utf-8")
    lines = [f"[{group}]", *(f"{kind} = {target}" for kind, target in entry_points.items())]
    (info / "entry_points.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(folder))
    forget()

"""The layers, as a contract over every module of bot/ (no hand-kept list of core modules).

- The core — every module that is not a face (the command line, the Discord bot, the
  scheduler) — imports no face and none of the faces' libraries (discord, apscheduler, click).
- Data flows one way (DESIGN.md): a stage never imports a later stage.
- A vendor SDK is imported only by its provider module, sqlite_utils only under store/.
"""

from __future__ import annotations

import ast
from pathlib import Path

BOT = Path(__file__).resolve().parent.parent / "bot"
FACES = ("cli", "discord_app", "scheduler")  # bot/<face>.py or bot/<face>/
FORBIDDEN = {"discord", "apscheduler", "click", *(f"bot.{face}" for face in FACES)}
# Each stage of the flow, in order; a module of one may import earlier ones, never later ones.
STAGES = ["bot.ingest", "bot.store", "bot.pipeline.summarize", "bot.pipeline.claims",
          "bot.pipeline.evidence", "bot.pipeline.panel", "bot.pipeline.aggregate", "bot.present"]


def imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def module_name(path: Path) -> str:
    parts = list(path.relative_to(BOT.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_face(path: Path) -> bool:
    first = path.relative_to(BOT).parts[0].removesuffix(".py")
    return first in FACES


def under(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def core_files() -> list[Path]:
    return [f for f in sorted(BOT.rglob("*.py")) if not is_face(f)]


def test_core_imports_no_face():
    offenders = {
        module_name(f): sorted(n for n in imports(f) if any(under(n, x) for x in FORBIDDEN))
        for f in core_files()
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_no_stage_imports_a_later_stage():
    offenders = []
    for f in core_files():
        name = module_name(f)
        stage = next((i for i, s in enumerate(STAGES) if under(name, s)), None)
        if stage is None:
            continue
        later = STAGES[stage + 1:]
        offenders += [(name, n) for n in imports(f) if any(under(n, s) for s in later)]
    assert offenders == []


def test_vendor_sdks_only_in_their_provider_and_sqlite_utils_only_in_store():
    rules = {"anthropic": "providers/anthropic.py", "openai": "providers/openai_compat.py",
             "sqlite_utils": "store/"}
    for f in BOT.rglob("*.py"):
        rel = str(f.relative_to(BOT))
        for module, home in rules.items():
            if any(under(n, module) for n in imports(f)):
                assert rel.startswith(home), f"{rel} imports {module}"


def test_the_walk_sees_every_module():
    core = {module_name(f) for f in core_files()}
    assert {"bot.ingest.fetch", "bot.pipeline.panel", "bot.store.articles",
            "bot.present.embeds", "bot.config", "bot.digest"} <= core
    assert not any(under(m, "bot.cli") or under(m, "bot.discord_app") for m in core)

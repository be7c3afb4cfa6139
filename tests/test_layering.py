"""The core imports neither Discord, nor the scheduler, nor the CLI library."""

from __future__ import annotations

import ast
from pathlib import Path

BOT = Path(__file__).resolve().parent.parent / "bot"
CORE = ["ingest", "pipeline", "providers", "store", "present", "moderation.py", "budget.py",
        "languages.py", "schedules.py", "discord_rest.py", "polling.py", "digest.py",
        "records.py", "schemas.py", "config.py", "errors.py", "prompts.py", "app.py", "text"]
FORBIDDEN = {"discord", "apscheduler", "click", "bot.cli", "bot.discord_app", "bot.scheduler"}


def imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def core_files() -> list[Path]:
    files: list[Path] = []
    for entry in CORE:
        target = BOT / entry
        files += sorted(target.rglob("*.py")) if target.is_dir() else [target]
    return files


def test_core_imports_no_face():
    offenders = {
        str(f.relative_to(BOT)): sorted(n for n in imports(f)
                                       if any(n == x or n.startswith(x + ".") for x in FORBIDDEN))
        for f in core_files()
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_vendor_sdks_only_in_their_provider_and_sqlite_utils_only_in_store():
    rules = {"anthropic": "providers/anthropic.py", "openai": "providers/openai_compat.py",
             "sqlite_utils": "store/"}
    for f in BOT.rglob("*.py"):
        rel = str(f.relative_to(BOT))
        for module, home in rules.items():
            if any(n == module or n.startswith(module + ".") for n in imports(f)):
                assert rel.startswith(home), f"{rel} imports {module}"


def test_walk_sees_the_core():
    assert len(core_files()) > 10

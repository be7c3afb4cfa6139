"""Shared fixtures: corpus paths, offline settings, a temporary database."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import Settings, load_settings

# The loopback servers' fixtures (`llm_server`, `discord_server`) and the `scripted` models
# (a provider plug-in installed for one test), for every test folder.
pytest_plugins = ["tests.fakes.llm_server", "tests.fakes.discord_server", "tests.fakes.scripted",
                  "tests.postgres"]  # a throwaway Postgres; the store suite's both backends

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(__file__).resolve().parent / "data" / "corpus"


@pytest.fixture
def corpus() -> Path:
    """The folder of sample articles copied from the shared corpus."""
    return CORPUS


@pytest.fixture
def offline_settings(tmp_path: Path) -> Settings:
    """Settings with no file and no keys: the offline provider, a database in tmp_path."""
    settings = load_settings(environ={}, path=None)
    return settings.model_copy(update={"database": tmp_path / "parallax.db"})


@pytest.fixture(autouse=True)
def _isolated_cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A developer's own parallax.toml or keys must never leak into a test.
    monkeypatch.chdir(tmp_path)
    for name in ("PARALLAX_CONFIG", "ANTHROPIC_API_KEY", "OPENAI_API_KEY", "DISCORD_TOKEN"):
        monkeypatch.delenv(name, raising=False)

"""deploy/compose.yaml names only commands, options and environment variables that exist."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest
import yaml

from bot.cli import cli
from bot.config import DEFAULT_CONFIG_FILE, load_settings

COMPOSE = Path(__file__).resolve().parent.parent / "deploy" / "compose.yaml"
CONFIG = Path(__file__).resolve().parent.parent / "bot" / "config.py"


def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))


def parallax_services() -> dict[str, dict]:
    return {name: service for name, service in compose()["services"].items()
            if (service.get("command") or [None])[0] == "parallax"}


def resolve(args: list[str]) -> tuple[click.Command, list[str]]:
    """The click command ``args`` names, and the arguments left for it."""
    command: click.Command = cli
    rest = list(args)
    while isinstance(command, click.Group) and rest and not rest[0].startswith("-"):
        name = rest.pop(0)
        found = command.get_command(click.Context(command), name)
        assert found is not None, f"no command {name!r} in {' '.join(args)}"
        command = found
    return command, rest


def test_the_file_runs_a_gateway_and_workers_on_postgres():
    services = parallax_services()
    assert {"gateway", "worker"} <= set(services)
    assert "postgres" in compose()["services"]
    for service in services.values():
        assert service["environment"]["PARALLAX_DATABASE"].startswith("postgresql://")


@pytest.mark.parametrize("name", sorted(parallax_services()))
def test_every_command_and_option_exists(name):
    args = parallax_services()[name]["command"][1:]
    command, rest = resolve(args)
    ctx = command.make_context("parallax", list(rest), resilient_parsing=False)
    assert ctx.args == []  # nothing left over (an unknown option fails to parse)


def test_every_environment_variable_is_read_by_the_configuration():
    """Each variable the parallax services set is one bot/config.py reads: a misspelt one
    would be set and silently ignored."""
    source = CONFIG.read_text(encoding="utf-8")
    read = set(re.findall(r'"([A-Z][A-Z0-9_]+)"', source))
    for service in parallax_services().values():
        for variable in service["environment"]:
            assert variable in read, f"{variable} is not read by bot/config.py"


def test_the_configuration_reads_the_files_variables(tmp_path):
    """And they take effect: the database and the REST base come from the environment."""
    (tmp_path / DEFAULT_CONFIG_FILE).write_text("", encoding="utf-8")
    env = {"PARALLAX_DATABASE": "postgresql://parallax:pw@postgres:5432/parallax",
           "DISCORD_API_BASE": "http://proxy:8080/api/v10", "DISCORD_TOKEN": "t",
           "PARALLAX_CONFIG": str(tmp_path / DEFAULT_CONFIG_FILE)}
    settings = load_settings(environ=env)
    assert str(settings.database) == env["PARALLAX_DATABASE"]
    assert settings.discord_api_base == env["DISCORD_API_BASE"]
    assert settings.secret("DISCORD_TOKEN") == "t"

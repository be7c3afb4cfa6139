"""A third-party provider, installed as a distribution with a ``parallax.providers`` entry
point, is accepted by the configuration and answers a whole check — the same seam a real
plug-in package uses (no monkeypatching of the registry)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from bot.app import build_app
from bot.config import load_settings
from bot.errors import ConfigError
from bot.pipeline import check_text
from bot.provider_kinds import forget, kinds
from bot.records import MemberStatus
from tests.fakes.plugins import install_distribution
from tests.fakes.scripted import Scripts

PLUGIN = '''
import json
from bot.providers.base import Generation, Provider
from bot.records import Usage


class EchoProvider(Provider):
    """Says every claim is supported; summarizes with the article's first words."""

    kind = "echo"

    async def _generate(self, request, repair):
        claims = [{"claim": i, "verdict": "supported", "confidence": 0.7, "rationale": "echo",
                   "cites": [], "evidence": []} for i in range(1, len(request.claims) + 1)]
        quote = request.article.text.split("\\n")[0]
        answer = {"summaries": [{"language": lang, "text": quote[:80], "note": ""}
                                for lang in request.languages],
                  "claims": [{"text": quote, "quote": quote, "translations": []}],
                  "verdicts": claims}
        return Generation(json.dumps({k: v for k, v in answer.items()
                                      if k in request.schema.model_fields}), Usage(1, 1))
'''


@pytest.fixture
def installed(tmp_path, monkeypatch):
    """A distribution ``parallax-echo`` on sys.path, declaring the entry point."""
    install_distribution(tmp_path / "site-packages", monkeypatch, "parallax-echo",
                         entry_points={"echo": "parallax_echo:EchoProvider"},
                         modules={"parallax_echo": PLUGIN})
    yield
    forget()


def config(tmp_path, provider: str):
    path = tmp_path / "parallax.toml"
    path.write_text(textwrap.dedent(f"""\
        database = "{tmp_path / 'p.db'}"
        [[model]]
        name = "e"
        provider = "{provider}"
        model = "echo-1"
        [pipeline]
        summarize = "e"
        claims = "e"
        panel = ["e"]
        evidence = []
        """))
    return load_settings(environ={}, path=path)


async def test_an_installed_plugin_answers_a_check(tmp_path, installed):
    assert "echo" in kinds()
    settings = config(tmp_path, "echo")
    async with build_app(settings) as app:
        report = await check_text("The bridge opened on 3 May 2024.\nIt cost 3 million.", app)
    assert report.panel[0].provider == "echo" and report.panel[0].status is MemberStatus.OK
    assert report.claims and report.claims[0].votes[0].verdict.value == "supported"


def test_an_unknown_provider_is_refused_with_the_known_ones(tmp_path):
    forget()
    with pytest.raises(ConfigError, match=r"unknown provider 'echo' \(known: anthropic, openai"):
        config(tmp_path, "echo")


async def test_the_scripted_kind_exists_only_inside_its_fixture(tmp_path, scripted: Scripts):
    """The tests' own scripted models come in through the same entry-point group, and a
    configured scripted model with no script is refused in one line."""
    assert "scripted" in kinds()
    scripted.add("w", ['{"summaries": []}'])
    settings = scripted.settings(tmp_path, summarize="w", claims="w", panel=["w", "ghost"],
                                 extra='[[model]]\nname = "ghost"\nprovider = "scripted"\n')
    with pytest.raises(ConfigError, match="model 'ghost': no script declared for it"):
        async with build_app(settings):
            pass


def test_no_scripted_kind_outside_the_fixture(tmp_path: Path):
    forget()
    assert "scripted" not in kinds()
    with pytest.raises(ConfigError, match="unknown provider 'scripted'"):
        config(tmp_path, "scripted")

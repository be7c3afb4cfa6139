"""A third-party provider, installed as a distribution with a ``parallax.providers`` entry
point, is accepted by the configuration and answers a whole check — the same seam a real
plug-in package uses (no monkeypatching of the registry)."""

from __future__ import annotations

import textwrap

import pytest

from bot.app import build_app
from bot.config import load_settings
from bot.errors import ConfigError
from bot.pipeline import check_text
from bot.provider_kinds import GROUP, forget, kinds
from bot.records import MemberStatus

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
    (tmp_path / "parallax_echo.py").write_text(PLUGIN, encoding="utf-8")
    info = tmp_path / "parallax_echo-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: parallax-echo\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(
        textwrap.dedent(f"""\
            [{GROUP}]
            echo = parallax_echo:EchoProvider
            """))
    monkeypatch.syspath_prepend(str(tmp_path))
    forget()
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

"""A panel answer cut at the output limit: the verdicts that arrived whole are kept and the
missing claims are asked for once more, in one call. Through the real SDK and the fake."""

from __future__ import annotations

from pathlib import Path

from bot.app import build_app
from bot.config import load_settings
from bot.pipeline import check_article
from bot.prompt_marks import CLAIMS_HEADING, NUMBERED_CLAIM
from bot.records import Verdict
from tests.fakes.llm_server import LLMServer

CLAIMS = 12


def article(claims: int) -> str:
    return "Harbour city opens its new bridge\n\n" + "\n".join(
        f"The bridge's section {i} is {40 + i} metres long and cost {i + 2} million euros."
        for i in range(1, claims + 1))


def write_config(tmp_path: Path, server: LLMServer, limit: int, claims: int) -> Path:
    lines = [f'database = "{tmp_path / "p.db"}"', 'languages = ["en"]']
    for name, tokens in (("writer", 4096), ("short", limit)):
        lines += ["[[model]]", f'name = "{name}"', 'provider = "anthropic"',
                  f'model = "{name}-model"', f'base_url = "{server.url}"',
                  f"max_output_tokens = {tokens}"]
    lines += ["[pipeline]", 'summarize = "writer"', 'claims = "writer"', 'panel = ["short"]',
              f"max_claims = {claims}", "evidence = []"]
    path = tmp_path / "parallax.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


async def run(tmp_path: Path, limit: int, claims: int = CLAIMS):
    async with LLMServer() as server:
        server.add("writer-model")
        server.add("short-model")
        source = tmp_path / "article.txt"
        source.write_text(article(claims), encoding="utf-8")
        settings = load_settings(environ={"ANTHROPIC_API_KEY": "k"},
                                 path=write_config(tmp_path, server, limit, claims))
        async with build_app(settings) as app:
            report = await check_article(str(source), app)
        return report, server.calls("short-model", "/v1/messages")


async def test_a_cut_panel_answer_is_completed_by_one_more_call(tmp_path):
    report, calls = await run(tmp_path, limit=300)  # room for about half the verdicts
    assert len(report.claims) == CLAIMS
    verdicts = [v for r in report.claims for v in r.votes]
    assert len(verdicts) == CLAIMS and all(v.verdict is not Verdict.ERROR for v in verdicts)
    assert len(calls) == 2  # the first answer, cut, and one call for the rest
    first, second = (numbered(call.text) for call in calls)
    assert first == list(range(1, CLAIMS + 1))
    assert second == list(range(1, len(second) + 1)) and 0 < len(second) < CLAIMS  # renumbered
    member = next(m for m in report.panel if m.name == "short")
    assert member.usage.output_tokens > 300  # both calls counted


async def test_what_one_more_call_cannot_reach_stays_an_error_with_its_reason(tmp_path):
    # 24 claims, room for about 9 verdicts a call: one more call cannot hold the rest.
    report, calls = await run(tmp_path, limit=256, claims=24)
    verdicts = [v for r in report.claims for v in r.votes]
    errors = [v for v in verdicts if v.verdict is Verdict.ERROR]
    assert len(calls) == 2 and 0 < len(errors) < 24 / 2
    assert all("cut at the output limit" in v.rationale for v in errors)


def numbered(text: str) -> list[int]:
    """The claim numbers a verification prompt lists."""
    listing = text.rsplit(CLAIMS_HEADING, 1)[-1]
    return [int(m.group("number")) for m in NUMBERED_CLAIM.finditer(listing)]

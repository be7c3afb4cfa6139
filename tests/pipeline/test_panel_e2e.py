"""The whole check through the real SDKs against the loopback model server (no SDK mocks)."""

from __future__ import annotations

import asyncio
import json
import sys
import time
from pathlib import Path

from bot.app import build_app
from bot.config import load_settings
from bot.pipeline import check_article
from bot.prompts import ARTICLE_BLOCK
from bot.records import Consensus, MemberStatus, ReportStatus, Stage, Verdict
from bot.store.calls import table_counts
from tests.fakes.llm_server import Fault, LLMServer

KEY = "sk-ant-e2e-SECRET-4242"
ROOT = Path(__file__).resolve().parents[2]


def config(tmp_path: Path, server: LLMServer, panel: list[tuple[str, str]],
           escalate: list[tuple[str, str]] = (), quorum: int | None = None,
           timeout: float = 60.0, timeouts: dict[str, float] | None = None) -> Path:
    """A parallax.toml whose models all live on the fake server; (name, provider) pairs;
    ``timeouts`` overrides ``timeout`` for the models it names."""
    lines = [f'database = "{tmp_path / "p.db"}"', 'languages = ["en", "fr"]']
    for name, provider in [("writer", "anthropic"), *panel, *escalate]:
        url = server.url if provider == "anthropic" else server.openai_url
        lines += ["[[model]]", f'name = "{name}"', f'provider = "{provider}"',
                  f'model = "{name}-model"', f'base_url = "{url}"',
                  f"timeout = {(timeouts or {}).get(name, timeout)}"]
    lines += ["[pipeline]", 'summarize = "writer"', 'claims = "writer"',
              f"panel = {json.dumps([n for n, _ in panel])}",
              f"escalate = {json.dumps([n for n, _ in escalate])}"]
    if quorum:
        lines.append(f"quorum = {quorum}")
    path = tmp_path / "parallax.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


async def run(path: Path, source: Path, fresh: bool = False):
    settings = load_settings(environ={"ANTHROPIC_API_KEY": KEY, "OPENAI_API_KEY": KEY}, path=path)
    async with build_app(settings) as app:
        report = await check_article(str(source), app, fresh=fresh)
        counts = await app.store.run(table_counts)
    return report, counts


async def test_three_models_one_overloaded(tmp_path, corpus, llm_server):
    s = llm_server
    s.add("writer-model")
    s.add("a-model", verdicts="supported")
    s.add("b-model", verdicts="supported")
    s.add("c-model", verdicts="supported")
    s.fail("c-model", *[Fault.overloaded()] * 3)
    path = config(tmp_path, s, [("a", "anthropic"), ("b", "openai"), ("c", "anthropic")])
    report, counts = await run(path, corpus / "en-webb-telescope.txt")
    assert set(report.summaries) == {"en", "fr"}
    assert report.claims
    for result in report.claims:
        votes = {v.model: v.verdict for v in result.votes}
        assert votes == {"a": Verdict.SUPPORTED, "b": Verdict.SUPPORTED, "c": Verdict.ERROR}
        assert result.consensus is Consensus.AGREED_SUPPORTED  # quorum 2 of 3 answered
        assert result.claim.translations.get("fr")
    member = {m.name: m for m in report.panel}
    assert member["a"].status is MemberStatus.OK and member["c"].status is MemberStatus.ERROR
    assert "overloaded (529)" in member["c"].reason
    assert report.status is ReportStatus.COMPLETE  # one model failing is not a failed stage
    assert counts["model_calls"] == 5  # summary, claims, one verification per panel model
    assert KEY not in json.dumps([m.status for m in report.panel])


async def test_every_model_failing_is_insufficient_not_a_crash(tmp_path, corpus, llm_server):
    s = llm_server
    s.add("writer-model")
    for name in ("a-model", "b-model"):
        s.add(name)
        s.fail(name, *[Fault.server_error()] * 3)
    path = config(tmp_path, s, [("a", "anthropic"), ("b", "openai")])
    report, _ = await run(path, corpus / "de-rhein.txt")
    assert report.claims
    assert {r.consensus for r in report.claims} == {Consensus.INSUFFICIENT}
    assert report.status is ReportStatus.INCOMPLETE
    failure = report.failed(Stage.PANEL)
    assert failure and "server error (500)" in failure.reason
    assert all(m.status is MemberStatus.ERROR for m in report.panel)


async def test_hanging_model_is_cut_without_delaying_the_others(tmp_path, corpus, llm_server):
    s = llm_server
    s.add("writer-model")
    s.add("fast-model", verdicts="refuted", latency=0.1)
    s.add("slow-model")
    s.fail("slow-model", Fault.hang(300))
    # Only the hanging model has a short timeout: the others must answer, however busy the
    # machine (their speed is bench/panel.py's to measure).
    path = config(tmp_path, s, [("fast", "openai"), ("slow", "anthropic")], quorum=1,
                  timeouts={"slow": 1.0})
    started = time.perf_counter()
    report, _ = await run(path, corpus / "es-museo-prado.txt")
    assert time.perf_counter() - started < 120  # cut, long before the 300 s hang ends
    member = {m.name: m for m in report.panel}
    assert "no answer within 1 s" in member["slow"].reason
    assert member["fast"].status is MemberStatus.OK
    assert {r.consensus for r in report.claims} == {Consensus.AGREED_REFUTED}


async def test_malformed_output_retried_once_then_error(tmp_path, corpus, llm_server):
    s = llm_server
    s.add("writer-model")
    s.add("good-model")
    s.add("flaky-model")
    s.add("broken-model")
    s.fail("flaky-model", Fault.malformed())
    s.fail("broken-model", Fault.malformed(), Fault.malformed())
    path = config(tmp_path, s, [("good", "anthropic"), ("flaky", "anthropic"),
                                ("broken", "openai")])
    report, _ = await run(path, corpus / "en-webb-telescope.txt")
    votes = {v.model: v for v in report.claims[0].votes}
    assert votes["flaky"].verdict is Verdict.SUPPORTED
    assert votes["broken"].verdict is Verdict.ERROR
    assert "invalid output after retry" in votes["broken"].rationale
    assert len(s.calls(model="flaky-model", path="/v1/messages")) == 2


async def test_hallucinated_quote_dropped_with_warning(tmp_path, corpus, llm_server):
    s = llm_server
    s.add("writer-model", bad_quote=True)
    s.add("a-model")
    path = config(tmp_path, s, [("a", "anthropic")])
    report, _ = await run(path, corpus / "en-webb-telescope.txt")
    assert all("green cheese" not in r.claim.text for r in report.claims)
    assert any("quote not found" in w for w in report.warnings)


async def test_escalation_asked_only_about_disputed_and_abstained(tmp_path, corpus, llm_server):
    s = llm_server
    s.add("writer-model")
    # Claim 1 agreed, claim 2 disputed, claim 3 abstained, the rest agreed.
    s.add("a-model", verdicts=lambda n, c: ("supported", 0.9) if n != 3 else ("uncertain", 0.2))
    s.add("b-model", verdicts=lambda n, c: ("refuted", 0.8) if n == 2 else
          (("uncertain", 0.2) if n == 3 else ("supported", 0.9)))
    s.add("judge-model", verdicts="supported")
    path = config(tmp_path, s, [("a", "anthropic"), ("b", "anthropic")],
                  escalate=[("judge", "openai")])
    report, counts = await run(path, corpus / "en-webb-telescope.txt")
    judged = s.calls(model="judge-model")
    assert len(judged) == 1
    listing = judged[0].text.split("Claims:", 1)[1]
    assert f"1. {report.claims[1].claim.text}" in listing
    assert f"2. {report.claims[2].claim.text}" in listing
    assert report.claims[0].claim.text not in listing
    assert [v.model for v in report.claims[1].votes] == ["a", "b", "judge"]
    assert report.claims[1].consensus is Consensus.DISPUTED
    assert report.claims[2].consensus is Consensus.ABSTAINED  # 1 answer < quorum 2
    assert report.claims[0].consensus is Consensus.AGREED_SUPPORTED
    assert len(report.claims[0].votes) == 2
    assert counts["model_calls"] == 5


async def test_second_check_makes_no_model_call(tmp_path, corpus, llm_server):
    s = llm_server
    s.add("writer-model")
    s.add("a-model")
    path = config(tmp_path, s, [("a", "anthropic")])
    first, _ = await run(path, corpus / "ar-nile.txt")
    calls = len(s.calls())
    second, _ = await run(path, corpus / "ar-nile.txt")
    assert len(s.calls()) == calls and second.cached
    assert [r.claim.text for r in second.claims] == [r.claim.text for r in first.claims]
    await run(path, corpus / "ar-nile.txt", fresh=True)
    assert len(s.calls()) == calls + 3


async def test_injection_article_reaches_models_only_inside_the_delimiters(
        tmp_path, corpus, llm_server):
    s = llm_server
    s.add("writer-model")
    s.add("a-model")
    path = config(tmp_path, s, [("a", "anthropic")])
    await run(path, corpus / "en-prompt-injection.txt")
    phrase = "Ignore your previous instructions"
    for call in s.calls(path="/v1/messages"):
        text = call.text
        assert text.count(phrase) == 1
        block = ARTICLE_BLOCK.search(text)
        assert block is not None
        start, end = block.span("text")
        assert start < text.index(phrase) < end
        system = call.body.get("system")
        system_text = system if isinstance(system, str) else json.dumps(system)
        assert phrase not in system_text


async def test_cli_with_every_model_down_exits_3_incomplete(tmp_path, corpus, llm_server):
    s = llm_server
    s.add("writer-model")
    s.add("a-model")
    s.fail("a-model", *[Fault.overloaded()] * 3)
    path = config(tmp_path, s, [("a", "anthropic")])
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", "check", str(corpus / "en-webb-telescope.txt"), "--json",
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "PARALLAX_CONFIG": str(path),
             "ANTHROPIC_API_KEY": KEY})
    out, err = await asyncio.wait_for(proc.communicate(), 60)
    assert proc.returncode == 3, err.decode()
    assert "incomplete report" in err.decode()
    report = json.loads(out)
    assert {c["consensus"] for c in report["claims"]} == {"insufficient"}
    assert report["status"] == "incomplete"
    assert [f["stage"] for f in report["failed_stages"]] == ["panel"]
    assert report["panel"][0]["status"] == "error"
    assert "overloaded (529)" in report["panel"][0]["reason"]
    assert KEY not in out.decode() + err.decode()

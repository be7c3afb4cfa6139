"""A failed stage is never a finished report: status, reuse of what answered, no stored failure.

Through the real SDKs against the loopback model server, except where a unit is tested alone.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from aiohttp import web

from bot.app import build_app
from bot.config import load_settings
from bot.errors import EndpointDown, ProviderError
from bot.ingest import to_article
from bot.pipeline import check_article
from bot.pipeline.calls import CallLog
from bot.pipeline.outcome import Board
from bot.present.digest_embeds import digest_messages
from bot.present.embeds import report_messages
from bot.present.json import report_dict
from bot.prompts import Task
from bot.providers import CompletionRequest, build_provider
from bot.providers.http_faults import RetryPolicy, SDKErrors, with_retries
from bot.records import (
    Digest,
    DigestItem,
    MemberStatus,
    RawDocument,
    ReportStatus,
    Stage,
    Subscription,
)
from bot.schemas import SummaryOutput
from bot.store.calls import table_counts
from tests.fakes.llm_server import Fault, LLMServer
from tests.fakes.scripted import ScriptedProvider

KEY = "sk-ant-incomplete-SECRET-77"


def config(tmp_path: Path, server: LLMServer, *, summarize: str = "writer",
           claims: str = "extractor", panel: tuple[str, ...] = ("a", "b"),
           timeout: float = 5.0) -> Path:
    """Every model on the fake server: writer and a on Anthropic, extractor and b on OpenAI."""
    lines = [f'database = "{tmp_path / "p.db"}"', 'languages = ["en"]']
    names = dict.fromkeys([summarize, claims, *panel])
    for name in names:
        provider = "openai" if name in ("extractor", "b") else "anthropic"
        url = server.openai_url if provider == "openai" else server.url
        lines += ["[[model]]", f'name = "{name}"', f'provider = "{provider}"',
                  f'model = "{name}-model"', f'base_url = "{url}"', f"timeout = {timeout}"]
        if f"{name}-model" not in server.profiles:
            server.add(f"{name}-model")
    lines += ["[pipeline]", f'summarize = "{summarize}"', f'claims = "{claims}"',
              f"panel = {json.dumps(list(panel))}", "quorum = 1"]
    path = tmp_path / "parallax.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


async def check(path: Path, source: Path, stages: list[str] | None = None):
    settings = load_settings(environ={"ANTHROPIC_API_KEY": KEY, "OPENAI_API_KEY": KEY}, path=path)
    async with build_app(settings) as app:
        report = await check_article(str(source), app, progress=(stages or []).append)
        counts = await app.store.run(table_counts)
    return report, counts


def asked(server: LLMServer, model: str) -> int:
    """How many model calls (not model listings) reached ``model``."""
    return len([c for c in server.calls(model)
                if c.path in ("/v1/messages", "/v1/chat/completions")])


async def test_failed_claims_are_incomplete_then_retried_keeping_the_summary(
        tmp_path, corpus, llm_server):
    s = llm_server
    path = config(tmp_path, s)
    s.fail("extractor-model", *[Fault.server_error()] * 3)  # every retry of the one call
    stages: list[str] = []
    report, counts = await check(path, corpus / "en-webb-telescope.txt", stages)
    assert report.status is ReportStatus.INCOMPLETE
    assert [f.stage for f in report.failed_stages] == [Stage.CLAIMS]
    assert "server error (500)" in report.failed(Stage.CLAIMS).reason
    assert report.summaries["en"].text  # the summary stage answered
    assert {m.status for m in report.panel} == {MemberStatus.NOT_ASKED}  # never shown as ok
    assert not any("claim" in line and "ready" in line for line in stages)
    assert asked(s, "a-model") == asked(s, "b-model") == 0
    assert counts["checks"] == 1  # kept for the record
    summary_calls = asked(s, "writer-model")

    again, counts = await check(path, corpus / "en-webb-telescope.txt")
    assert not again.cached  # an incomplete report is never the stored answer
    assert again.status is ReportStatus.COMPLETE and again.claims
    assert asked(s, "writer-model") == summary_calls  # the summary that answered is kept
    assert again.summaries == report.summaries
    assert asked(s, "a-model") == asked(s, "b-model") == 1
    assert counts["checks"] == 2

    third, _ = await check(path, corpus / "en-webb-telescope.txt")
    assert third.cached and third.check_id == again.check_id  # now it is the answer


async def test_a_failed_summary_keeps_claims_and_the_votes_that_answered(
        tmp_path, corpus, llm_server):
    s = llm_server
    path = config(tmp_path, s)
    s.fail("writer-model", Fault.status_code(401, "invalid x-api-key"))
    s.fail("b-model", *[Fault.server_error(503)] * 3)
    report, _ = await check(path, corpus / "de-rhein.txt")
    assert [f.stage for f in report.failed_stages] == [Stage.SUMMARY]
    assert "key refused (401)" in report.failed(Stage.SUMMARY).reason
    member = {m.name: m for m in report.panel}
    assert member["a"].status is MemberStatus.OK and member["b"].status is MemberStatus.ERROR
    claims_calls, a_calls = asked(s, "extractor-model"), asked(s, "a-model")

    again, _ = await check(path, corpus / "de-rhein.txt")
    assert again.status is ReportStatus.COMPLETE and again.summaries
    assert asked(s, "extractor-model") == claims_calls  # claims kept
    assert asked(s, "a-model") == a_calls  # a's votes kept
    assert asked(s, "b-model") == 4  # 3 failed tries, then asked again and answered
    assert [r.claim.text for r in again.claims] == [r.claim.text for r in report.claims]
    assert {r.claim.id.split("-")[0] for r in again.claims} == {again.check_id}
    for result in again.claims:
        assert {v.model for v in result.votes} == {"a", "b"}
        assert {v.claim_id for v in result.votes} == {result.claim.id}


async def test_a_hung_endpoint_costs_one_timeout_not_one_per_stage(tmp_path, corpus, llm_server):
    """An endpoint that did not answer is not asked again in the same check, and the summary
    waits for the claims call that writes their shared cached prefix: one model for every
    stage, hung, is asked once, and both stages fail on its timeout."""
    s = llm_server
    path = config(tmp_path, s, summarize="writer", claims="writer", panel=("writer",),
                  timeout=1.0)
    s.fail("writer-model", Fault.hang(60), Fault.hang(60), Fault.hang(60))
    report, _ = await check(path, corpus / "es-museo-prado.txt")
    assert asked(s, "writer-model") == 1
    assert {f.stage for f in report.failed_stages} == {Stage.SUMMARY, Stage.CLAIMS}
    assert "no answer within 1 s" in report.failed(Stage.SUMMARY).reason


async def test_the_summary_and_the_claims_are_asked_side_by_side(scripted, tmp_path, corpus):
    events: list[str] = []
    gate = asyncio.Event()
    replies = {"SummaryOutput": json.dumps({"summaries": [{"language": "en", "text": "S.",
                                                            "note": ""}]}),
               "ClaimsOutput": json.dumps({"claims": []})}

    async def slow(request: CompletionRequest) -> str:
        events.append(f"start {request.schema.__name__}")
        if len(events) == 2:
            gate.set()
        await gate.wait()  # neither ends before both have started
        events.append(f"end {request.schema.__name__}")
        return replies[request.schema.__name__]

    scripted.add("writer", respond=slow)
    settings = scripted.settings(tmp_path, summarize="writer", claims="writer",
                                 panel=["offline"],
                                 extra='[[model]]\nname = "offline"\nprovider = "offline"\n')
    async with build_app(settings) as app:
        report = await check_article(str(corpus / "en-webb-telescope.txt"), app)
    assert events[:2] == ["start SummaryOutput", "start ClaimsOutput"] or \
        events[:2] == ["start ClaimsOutput", "start SummaryOutput"]
    assert report.status is ReportStatus.COMPLETE


async def test_an_endpoint_that_did_not_answer_is_not_asked_again_in_the_check(offline_settings):
    down = ScriptedProvider("down", [EndpointDown("down: unreachable")])
    async with build_app(offline_settings) as app:
        log = CallLog(app.store, "c1")
        art = to_article(RawDocument(b"The bridge opened in 2024 and cost 3 million euros.",
                                     "-", "text/plain"), app.limits)
        request = CompletionRequest(app.prompts.render(Task.SUMMARIZE, art, languages="en",
                                                       sentences=1), SummaryOutput, art)
        with pytest.raises(EndpointDown):
            await log.ask(down, Task.SUMMARIZE, request)
        with pytest.raises(EndpointDown, match="not asked, the endpoint failed earlier"):
            await log.ask(down, Task.EXTRACT_CLAIMS, request)
        await log.flush()
        rows = list(await app.store.run(lambda db: list(db["model_calls"].rows)))
    assert len(down.requests) == 1  # the second call never reached the endpoint
    assert [r["status"] for r in rows] == ["error", "error"]


async def test_a_refused_connection_is_tried_twice_not_three_times():
    class Refused(Exception):
        pass

    class Status(Exception):
        pass

    errors = SDKErrors(Status, TimeoutError, Refused, ValueError)
    tries = 0

    async def send():
        nonlocal tries
        tries += 1
        raise Refused("connection refused")

    policy = RetryPolicy(base_delay=0.0)
    with pytest.raises(EndpointDown, match="unreachable"):
        await with_retries(send, label="m", errors=errors, policy=policy, budget=30)
    assert tries == 2


@pytest.mark.parametrize(("provider", "body", "content_type"), [
    ("anthropic", "<html><body>502 Bad Gateway</body></html>", "text/html"),
    ("openai", "<html><body>Sign in to the captive portal</body></html>", "text/html"),
    ("anthropic", "", "application/json"),
    ("openai", '{"status": "ok"}', "application/json"),
])
async def test_a_200_that_is_not_the_apis_json_is_that_models_error(
        tmp_path, corpus, llm_server, provider, body, content_type):
    s = llm_server
    name = "b" if provider == "openai" else "a"
    path = config(tmp_path, s, panel=(name,))
    s.fail(f"{name}-model", Fault.not_api_json(body, content_type))
    report, _ = await check(path, corpus / "en-webb-telescope.txt")
    member = report.panel[0]
    assert member.status is MemberStatus.ERROR
    assert "not the API's JSON" in member.reason
    assert report.failed(Stage.PANEL)


async def test_models_probe_survives_an_html_answer(tmp_path):
    async def html(_request: web.Request) -> web.Response:
        return web.Response(text="<html>proxy</html>", content_type="text/html")

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", html)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        settings = load_settings(environ={"ANTHROPIC_API_KEY": KEY}, path=None)
        for kind, url in (("anthropic", f"http://127.0.0.1:{port}"),
                          ("openai", f"http://127.0.0.1:{port}/v1")):
            config_ = settings.model[0].model_copy(update={"provider": kind, "base_url": url,
                                                           "name": kind})
            provider = build_provider(config_, settings)
            try:
                assert await provider.probe() == "malformed response from the server"
            finally:
                await provider.aclose()
    finally:
        await runner.cleanup()


def test_the_progress_line_never_calls_a_failed_stage_ready():
    lines: list[str] = []
    board = Board(lines.append)
    board.set("summary", "summarizing")
    board.set("claims", "extracting claims")
    board.set("claims", "5 claim(s)")
    board.set("summary", "summary failed")
    assert lines[-1] == "summary failed · 5 claim(s)"


def _incomplete(report):
    from dataclasses import replace

    from bot.records import StageFailure
    return replace(report, failed_stages=(StageFailure(Stage.CLAIMS, "m: unreachable"),))


async def test_every_face_says_incomplete(offline_settings, corpus):
    async with build_app(offline_settings) as app:
        report = _incomplete(await check_article(str(corpus / "fr-ai-safety.txt"), app))
    data = report_dict(report)
    assert data["status"] == "incomplete"
    assert data["failed_stages"] == [{"stage": "claims", "reason": "m: unreachable"}]
    header = report_messages(report, "fr")[0][0]["description"]
    assert "Vérification incomplète" in header and "m: unreachable" in header
    sub = Subscription(1, "1", "2", "daily@08:00", "UTC", ("en",))
    item = DigestItem("a", "T", None, {"en": "s"}, {}, {}, (), False, complete=False)
    text = digest_messages(Digest(sub, "p", (item,)))[0][1]["description"]
    assert "check incomplete" in text and "not checked" not in text


async def test_a_stored_report_names_the_source_it_was_asked_about(offline_settings, corpus):
    from bot.pipeline import check_text
    path = corpus / "de-rhein.txt"
    async with build_app(offline_settings) as app:
        first = await check_article(str(path), app)
        again = await check_text(path.read_text(encoding="utf-8"), app)
    assert first.article.source == str(path)
    assert again.cached and again.article.source == "text"
    assert str(path) not in json.dumps(report_messages(again), ensure_ascii=False)


async def test_flags_follow_the_asking_servers_policy(offline_settings, corpus):
    from bot.records import Consensus, GuildSettings
    from bot.store.guilds import save_guild_settings
    async with build_app(offline_settings) as app:
        await app.store.run(save_guild_settings, GuildSettings(
            "111111111111111111", flag_on=frozenset({Consensus.ABSTAINED})))
        strict = await check_article(str(corpus / "en-webb-telescope.txt"), app,
                                     guild_id="111111111111111111")
        other = await check_article(str(corpus / "en-webb-telescope.txt"), app,
                                    guild_id="222222222222222222")
        cli = await check_article(str(corpus / "en-webb-telescope.txt"), app)
    assert strict.claims and {r.consensus for r in strict.claims} == {Consensus.ABSTAINED}
    assert all(r.flagged for r in strict.claims)  # that server flags abstentions
    assert other.cached and not any(r.flagged for r in other.claims)  # the default does not
    assert not any(r.flagged for r in cli.claims)


def test_provider_errors_are_one_tree():
    assert issubclass(EndpointDown, ProviderError)

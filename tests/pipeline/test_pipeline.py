"""The staged pipeline on the offline provider and on scripted providers (no network)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from bot.app import build_app
from bot.config import ModelConfig
from bot.errors import EmptyArticleError
from bot.ingest import ingest
from bot.pipeline import check_article, check_text, request_key, run_check
from bot.providers import CompletionRequest
from bot.providers.offline import OfflineProvider
from bot.records import Consensus, MemberStatus, ReportStatus, Stage, Verdict
from bot.store.calls import table_counts
from tests.fakes.scripted import Scripts


async def test_offline_check_of_french_article(offline_settings, corpus):
    async with build_app(offline_settings) as app:
        report = await check_article(str(corpus / "fr-ai-safety.txt"), app, ("fr", "en"))
        counts = await app.store.run(table_counts)
    assert report.article.language.code == "fr"
    assert report.summaries["fr"].text and report.summaries["fr"].model == "offline"
    assert "cannot translate" in (report.summaries["en"].note or "")
    assert report.claims and all(r.consensus is Consensus.ABSTAINED for r in report.claims)
    assert counts["articles"] == 1 and counts["claims"] == len(report.claims)
    assert counts["verdicts"] == len(report.claims) and counts["model_calls"] == 3
    assert report.summaries["fr"].prompt_sha256 and report.claims[0].claim.prompt_sha256


async def test_bad_input_writes_nothing(offline_settings, corpus):
    async with build_app(offline_settings) as app:
        with pytest.raises(EmptyArticleError):
            await check_article(str(corpus / "whitespace-only.txt"), app)
        counts = await app.store.run(table_counts)
    assert set(counts.values()) == {0}


def claims_json(*quotes: str) -> str:
    return json.dumps({"claims": [{"text": q, "quote": q, "translations": {}} for q in quotes]})


def verdicts_json(*verdicts: str) -> str:
    return json.dumps({"verdicts": [
        {"claim": i, "verdict": v, "confidence": 0.8, "rationale": "because", "evidence": []}
        for i, v in enumerate(verdicts, start=1)]})


async def scripted_check(scripted: Scripts, folder: Path, corpus: Path, panel: list[str],
                         writer: str, say=print):
    """A check of one article by the scripted models, built by the app from its configuration
    (``provider = "scripted"``) like any plug-in's."""
    settings = scripted.settings(folder, summarize=writer, claims=writer, panel=panel)
    async with build_app(settings) as app:
        article = await ingest(str(corpus / "en-webb-telescope.txt"), app.fetcher, app.limits)
        report = await run_check(article, app, ("en",), request_key(app, ("en",)), say)
        counts = await app.store.run(table_counts)
    return report, counts


async def test_panel_votes_and_consensus(scripted, tmp_path, corpus):
    q1 = "Its primary mirror is 6.5 metres across"
    q2 = "Webb replaced the Hubble Space Telescope, which was shut down in 2020."
    scripted.add("writer", [
        json.dumps({"summaries": [{"language": "en", "text": "Webb summary.", "note": ""}]}),
        claims_json(q1, q2, "An invented quote that is not in the article."),
    ])
    scripted.add("a", [verdicts_json("supported", "refuted")], delay=0.05)
    scripted.add("b", [verdicts_json("supported", "uncertain")])
    scripted.add("c", [verdicts_json("supported", "supported")], delay=0.02)
    stages: list[str] = []
    report, counts = await scripted_check(scripted, tmp_path, corpus, ["a", "b", "c"], "writer",
                                          stages.append)
    # One line for the stages running side by side, each answer counted as it comes in
    assert stages[-4:] == [f"summary ready · 2 claim(s) · 0 source(s) · {n} of 3 models answered"
                           for n in (1, 2, 3)] + ["saving"]
    assert report.status is ReportStatus.COMPLETE
    assert [r.claim.quote for r in report.claims] == [q1, q2]
    assert any("1 claim(s) dropped" in w for w in report.warnings)
    assert report.claims[0].consensus is Consensus.AGREED_SUPPORTED
    assert report.claims[1].consensus is Consensus.DISPUTED and report.claims[1].flagged
    assert {m.provider for m in report.panel} == {"scripted"}  # the plug-in's kind, as configured
    assert counts["model_calls"] == 5 and counts["verdicts"] == 6


async def test_invalid_output_retried_once_then_error_vote(scripted, tmp_path, corpus):
    q1 = "Its primary mirror is 6.5 metres across"
    scripted.add("writer", [json.dumps({"summaries": []}), claims_json(q1)])
    fixed = scripted.add("fixed", ['{"verdicts": "nope"}', verdicts_json("supported")])
    scripted.add("broken", ["not json", "{still not json"])
    scripted.add("down", [TimeoutError()], timeout=0.5)
    report, counts = await scripted_check(scripted, tmp_path, corpus,
                                          ["fixed", "broken", "down"], "writer")
    votes = {v.model: v for v in report.claims[0].votes}
    assert votes["fixed"].verdict is Verdict.SUPPORTED
    assert fixed.requests[1][1] is not None  # the retry carried the validation error
    assert votes["broken"].verdict is Verdict.ERROR
    assert "invalid output" in votes["broken"].rationale
    assert votes["down"].verdict is Verdict.ERROR
    assert report.claims[0].consensus is Consensus.INSUFFICIENT  # 1 of quorum 2 answered
    # An answer without a single summary asked for is a failed stage, not a finished report
    assert report.status is ReportStatus.INCOMPLETE
    assert "gave no summary in en" in report.failed(Stage.SUMMARY).reason
    statuses = {m.name: m.status for m in report.panel}
    assert statuses["fixed"] is MemberStatus.OK and statuses["broken"] is MemberStatus.ERROR
    assert counts["model_calls"] == 5


async def test_two_processes_checking_one_text_at_once_store_one_check(scripted, tmp_path,
                                                                      corpus):
    """Two apps on one database file (two processes' connections), both past the lookup before
    either stores: one check stands, and both answer with it."""
    text = (corpus / "de-rhein.txt").read_text(encoding="utf-8")
    in_step = asyncio.Barrier(2)
    rules = OfflineProvider(ModelConfig(name="rules", provider="offline"))
    gated = [True]

    async def offline_in_step(request: CompletionRequest) -> str:
        if request.claims and gated[0]:  # the last call: each check's waits for the other's
            await in_step.wait()
        return (await rules.complete(request)).output.model_dump_json()

    scripted.add("m", respond=offline_in_step)
    settings = scripted.settings(tmp_path, summarize="m", claims="m", panel=["m"])
    async with build_app(settings) as first, build_app(settings) as second:
        reports = await asyncio.gather(check_text(text, first), check_text(text, second))
        counts = await first.store.run(table_counts)
        gated[0] = False  # alone again: no partner to wait for
        again = await check_text(text, first, fresh=True)
        after = await first.store.run(table_counts)
    assert reports[0].check_id == reports[1].check_id
    assert sorted(r.cached for r in reports) == [False, True]  # one checked, one read it
    assert reports[0].claims == reports[1].claims
    assert counts["checks"] == 1 and counts["articles"] == 1
    assert counts["model_calls"] == 6  # both made their calls: the ledger says so
    assert again.check_id != reports[0].check_id and after["checks"] == 2  # --fresh adds one

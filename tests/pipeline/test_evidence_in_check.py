"""The evidence stage inside the check: the same numbered passages for every panel model,
citations kept only when they name a passage that was given, the stage's failure shown."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

from rich.console import Console

from bot.app import build_app
from bot.errors import SearchError
from bot.pipeline import check_article, check_text
from bot.pipeline.panel import claims_listing, verify
from bot.present.embeds import details_embeds, report_messages
from bot.present.json import report_dict
from bot.present.text import render_report
from bot.prompts import Task
from bot.records import Claim, MemberStatus, Passage, ReportStatus, Stage
from tests.fakes.scripted import ScriptedProvider

EN = """Flood barrier closes in Rotterdam

The Maeslant barrier near Rotterdam closed on 12 March 2025 for the first time in six years.
Water minister Ruud Vermeer said the closure protected 1.5 million residents from a 3.2 metre surge.
The barrier, completed in 1997, has two steel arms each 210 metres long.
"""
FR = """Rotterdam ferme sa barrière anti-tempête

La barrière Maeslant, près de Rotterdam, s'est fermée le 12 mars 2025, une première depuis six ans.
Le ministre Ruud Vermeer a déclaré que la fermeture protégeait 1,5 million d'habitants.
Achevée en 1997, la barrière possède deux bras d'acier de 210 mètres chacun.
"""


async def test_the_archive_corroborates_across_languages_offline(offline_settings, tmp_path):
    first = tmp_path / "rotterdam-en.txt"
    first.write_text(EN, encoding="utf-8")
    async with build_app(offline_settings) as app:
        await check_article(str(first), app)
        report = await check_text(FR, app)
    assert report.status is ReportStatus.COMPLETE
    assert report.claims and all(r.evidence for r in report.claims)
    passage = report.claims[0].evidence[0]
    assert passage.backend == "archive" and passage.language == "en" and passage.id == "E1"
    assert "Maeslant" in passage.text
    data = report_dict(report)
    assert set(data["claims"][0]["evidence"][0]) == {
        "id", "url", "title", "site", "published", "language", "passage", "backend"}
    assert data["searches"] and {s["backend"] for s in data["searches"]} == {"archive"}
    # A file path names no site and reaches no Discord reader.
    shown = json.dumps([report_messages(report), details_embeds(report)], ensure_ascii=False)
    assert str(first) not in shown and str(first) not in json.dumps(data["claims"])
    # Every face names the earlier report and its language: the same event, elsewhere.
    assert "also reported by Flood barrier closes in Rotterdam (en)" in shown
    terminal = Console(width=200, record=True)
    render_report(report, terminal)
    assert "also reported by Flood barrier closes in Rotterdam (en)" in terminal.export_text()


class Down:
    """A search backend that always fails."""

    name = "web"

    async def search(self, query, language, limit, **_):
        raise SearchError("web: unavailable (503)")


async def test_every_backend_failing_is_a_failed_stage_but_the_panel_answers(offline_settings,
                                                                             corpus):
    async with build_app(offline_settings) as app:
        app = replace(app, search={"web": Down()}, settings=app.settings.model_copy(update={
            "pipeline": app.settings.pipeline.model_copy(update={"evidence": ["web"]})}))
        report = await check_article(str(corpus / "de-rhein.txt"), app)
    assert report.status is ReportStatus.INCOMPLETE
    failure = report.failed(Stage.EVIDENCE)
    assert failure and "unavailable (503)" in failure.reason
    assert report.claims and all(v.verdict.value == "uncertain"
                                 for r in report.claims for v in r.votes)
    assert all(m.status is MemberStatus.OFFLINE for m in report.panel)
    assert {s.status for s in report.searches} == {"error"}


def _passages() -> dict[str, tuple[Passage, ...]]:
    one = Passage("E1", "https://example.org/a", "Budget vote", "example.org", "2025-03-03",
                  "en", "The council approved 42 million euros on 3 March.", "web")
    two = Passage("E2", "https://news.example/b", "Schools", "news.example", None, "en",
                  "12. The plan funds twelve schools.", "web")
    return {"c-0": (one, two), "c-1": ()}


def test_passages_sit_under_their_claim_and_never_pass_for_one():
    claims = [Claim("c-0", 0, "The council approved 42 million euros.", "q"),
              Claim("c-1", 1, "Twelve schools will be built.", "q")]
    listing = claims_listing(claims, _passages())
    numbered = re.findall(r"^(\d+)\. ", listing, flags=re.MULTILINE)
    assert numbered == ["1", "2"]  # a passage starting "12." is indented: not a claim
    assert "[E1] example.org · 2025-03-03 · Budget vote · https://example.org/a" in listing


async def test_only_cited_ids_that_were_given_are_kept(offline_settings, corpus):
    claims = [Claim("c-0", 0, "The council approved 42 million euros.", "q"),
              Claim("c-1", 1, "Twelve schools will be built.", "q")]
    answer = json.dumps({"verdicts": [
        {"claim": 1, "verdict": "supported", "confidence": 0.9, "rationale": "E1 says so.",
         "cites": ["E1", "E9", "E2", "E1"], "evidence": []},
        {"claim": 2, "verdict": "uncertain", "confidence": 0.2, "rationale": "Nothing given.",
         "cites": ["E1"], "evidence": []}]})
    model = ScriptedProvider("judge", [answer])
    async with build_app(offline_settings) as app:
        from bot.ingest import ingest
        article = await ingest(str(corpus / "en-webb-telescope.txt"), app.fetcher, app.limits)
        from bot.pipeline.calls import CallLog
        votes, members = await verify([model], app.prompts, CallLog(app.store, "c"), article,
                                      claims, "en", passages=_passages())
    by_claim = {v.claim_id: v for v in votes}
    assert by_claim["c-0"].cites == ("E1", "E2")  # E9 was never given; E1 once
    assert by_claim["c-1"].cites == ()  # E1 was given with another claim, not this one
    prompt = model.requests[0][0].prompt
    block = re.search(r"<evidence-([0-9a-f]{16})>\n(.*)\n</evidence-\1>", prompt.instructions,
                      re.DOTALL)
    assert block and "The council approved 42 million euros on 3 March." in block.group(2)
    assert prompt.task is Task.VERIFY_CLAIMS and members[0].status is MemberStatus.OK


async def test_a_stored_report_keeps_its_evidence_and_citations(offline_settings, tmp_path):
    first = tmp_path / "rotterdam-en.txt"
    first.write_text(EN, encoding="utf-8")
    async with build_app(offline_settings) as app:
        await check_article(str(first), app)
        fresh = await check_text(FR, app)
        stored = await check_text(FR, app)
    assert stored.cached
    assert [r.evidence for r in stored.claims] == [r.evidence for r in fresh.claims]
    assert stored.searches == fresh.searches


def test_the_moderators_card_shows_the_cited_sources():
    from bot.present.review_cards import review_card
    from bot.records import ClaimResult, Consensus, Verdict, Vote
    claim = Claim("c-0", 0, "The council approved 42 million euros.", "q")
    passages = _passages()["c-0"]
    votes = (Vote("c-0", "a", Verdict.SUPPORTED, 0.9, "E1 says so.", cites=("E1",)),
             Vote("c-0", "b", Verdict.REFUTED, 0.8, "No.", cites=()))
    card = review_card(ClaimResult(claim, votes, Consensus.DISPUTED, True, evidence=passages),
                       "Budget", None, "the panel's models disagree", None, None)
    text = json.dumps(card, ensure_ascii=False)
    assert "https://example.org/a" in text  # cited by a
    assert "https://news.example/b" not in text  # given, but cited by no model


def test_usage_lists_searches_per_backend(tmp_path):
    import subprocess
    import sys
    root = Path(__file__).resolve().parents[2]
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(root)}
    (tmp_path / "a.txt").write_text(EN, encoding="utf-8")
    db = str(tmp_path / "p.db")
    subprocess.run([sys.executable, "-m", "bot.cli", "check", "a.txt", "--offline", "--db", db],
                   cwd=tmp_path, env=env, capture_output=True, check=True, timeout=300)
    done = subprocess.run([sys.executable, "-m", "bot.cli", "usage", "--db", db], cwd=tmp_path,
                          env=env, capture_output=True, text=True, check=True, timeout=300)
    assert re.search(r"archive\s+\d+ searches", done.stdout), done.stdout


async def test_a_model_that_reads_the_passages_settles_what_it_declined_without_them(
        tmp_path, llm_server):
    """Through the real SDK: the same fake model, with and without the evidence stage, on a
    French article whose figures an earlier English article reported."""
    from bot.config import load_settings
    from bot.records import Verdict
    s = llm_server
    s.add("writer-model")
    s.add("reader-model", verdicts="reader")
    (tmp_path / "en.txt").write_text(EN, encoding="utf-8")
    (tmp_path / "fr.txt").write_text(FR, encoding="utf-8")

    def settings(evidence: str, db: str):
        path = tmp_path / f"{db}.toml"
        path.write_text("\n".join([
            f'database = "{tmp_path / db}.db"', 'languages = ["en"]',
            *[line for name in ("writer", "reader") for line in (
                "[[model]]", f'name = "{name}"', 'provider = "anthropic"',
                f'model = "{name}-model"', f'base_url = "{s.url}"')],
            "[pipeline]", 'summarize = "writer"', 'claims = "writer"', 'panel = ["reader"]',
            f"evidence = {evidence}"]) + "\n", encoding="utf-8")
        return load_settings(environ={"ANTHROPIC_API_KEY": "sk-ant-x"}, path=path)

    outcomes = {}
    for evidence, db in (('["archive"]', "with"), ("[]", "without")):
        async with build_app(settings(evidence, db)) as app:
            await check_article(str(tmp_path / "en.txt"), app)
            report = await check_article(str(tmp_path / "fr.txt"), app)
        outcomes[db] = [v for r in report.claims for v in r.votes]
    assert {v.verdict for v in outcomes["without"]} == {Verdict.UNCERTAIN}
    supported = [v for v in outcomes["with"] if v.verdict is Verdict.SUPPORTED]
    assert supported and all(v.cites for v in supported)  # settled by a cited passage


async def test_a_models_own_web_search_joins_the_claims_numbered_sources(tmp_path, llm_server):
    """Anthropic's server-side search beside the archive: what the model's search returned
    joins the claim's passages with ids of their own (never reusing one), and the verdict
    cites them; every face lists one set of sources per claim."""
    from bot.config import load_settings
    s = llm_server
    s.add("writer-model")
    s.add("searcher-model", verdicts="supported")
    (tmp_path / "en.txt").write_text(EN, encoding="utf-8")
    (tmp_path / "fr.txt").write_text(FR, encoding="utf-8")
    path = tmp_path / "parallax.toml"
    path.write_text("\n".join([
        f'database = "{tmp_path / "p.db"}"', 'languages = ["en"]',
        *[line for name in ("writer", "searcher") for line in (
            "[[model]]", f'name = "{name}"', 'provider = "anthropic"', f'model = "{name}-model"',
            f'base_url = "{s.url}"', f"web_search = {'true' if name == 'searcher' else 'false'}")],
        "[pipeline]", 'summarize = "writer"', 'claims = "writer"', 'panel = ["searcher"]',
        'evidence = ["archive"]']) + "\n", encoding="utf-8")
    settings = load_settings(environ={"ANTHROPIC_API_KEY": "sk-ant-x"}, path=path)
    async with build_app(settings) as app:
        await check_article(str(tmp_path / "en.txt"), app)
        report = await check_article(str(tmp_path / "fr.txt"), app)
        stored = await check_article(str(tmp_path / "fr.txt"), app)  # the stored report
    urls = {(p.id, p.url) for r in report.claims for p in r.evidence}
    assert len({i for i, _ in urls}) == len(urls)  # an id names one source in the check
    for result in report.claims:
        searched = [p for p in result.evidence if p.backend == "web_search:searcher"]
        assert len(searched) == 1 and searched[0].url.startswith("https://news.example/")
        assert searched[0].site == "news.example" and searched[0].title
        assert any(p.backend == "archive" for p in result.evidence)  # the stage's, kept
        (vote,) = result.votes
        assert searched[0].id in vote.cites and vote.evidence  # DESIGN.md's field stays
    assert [r.evidence for r in stored.claims] == [r.evidence for r in report.claims]
    data = report_dict(report)
    first = data["claims"][0]
    assert first["verdicts"][0]["cites"][-1] in {e["id"] for e in first["evidence"]}

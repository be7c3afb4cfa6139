"""Scoring on hand-made verdict tables, policy derivation, labels, a run on the fake server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.app import build_app
from bot.config import load_settings
from bot.errors import InputError
from bot.evaluation import (
    GRADES,
    CallCost,
    EvalRun,
    Grade,
    Label,
    Labels,
    Policy,
    Scores,
    evaluate,
    grade,
    load_labels,
    parse_labels,
    policies,
    policy_verdict,
    run_eval,
    score,
    verdict_of,
)
from bot.prompts import ARTICLE_BLOCK
from bot.records import Consensus, Verdict, Vote
from bot.store.calls import table_counts
from tests.fakes.llm_server import Fault, LLMServer

S, R, M, U, E = (Verdict.SUPPORTED, Verdict.REFUTED, Verdict.MISLEADING, Verdict.UNCERTAIN,
                 Verdict.ERROR)
C, W, N, X = Grade.CORRECT, Grade.INCORRECT, Grade.NOT_ATTEMPTED, Grade.ERROR


# -- grading: every cell ------------------------------------------------------------------

TABLE = {  # verdict: (on supported, on refuted, on unverifiable)
    S: (C, W, W),
    R: (W, C, W),
    M: (W, C, W),
    U: (N, N, C),
    E: (X, X, X),
}


@pytest.mark.parametrize("verdict", list(TABLE))
@pytest.mark.parametrize("label", list(Label))
def test_every_cell_of_the_grading(verdict, label):
    expected = TABLE[verdict][list(Label).index(label)]
    assert grade(verdict, label) is expected


def test_the_grading_table_covers_every_pair():
    assert set(GRADES) == {(v, label) for v in Verdict for label in Label}


# -- scores ------------------------------------------------------------------------------------

def test_scores_of_a_mixed_table():
    s = score([C] * 6 + [W] * 2 + [N] * 2 + [X])
    assert (s.correct, s.incorrect, s.not_attempted, s.errors) == (6, 2, 2, 1)
    assert (s.claims, s.graded, s.attempted) == (11, 10, 8)
    assert s.coverage == pytest.approx(0.8)
    assert s.accuracy == pytest.approx(0.6)
    assert s.accuracy_when_attempted == pytest.approx(0.75)
    assert s.wrong_rate == pytest.approx(0.2)
    assert s.error_rate == pytest.approx(1 / 11)
    assert s.f_score == pytest.approx(2 * 0.6 * 0.75 / 1.35)


def test_nothing_attempted_scores_zero_not_a_division_error():
    s = score([N] * 5)
    assert (s.coverage, s.accuracy, s.accuracy_when_attempted, s.f_score) == (0, 0, 0, 0)
    assert s.wrong_rate == 0


def test_everything_wrong_scores_zero():
    s = score([W] * 4)
    assert s.coverage == 1 and s.accuracy_when_attempted == 0 and s.f_score == 0
    assert s.wrong_rate == 1


def test_everything_right_scores_one():
    s = score([C] * 3)
    assert s.coverage == s.accuracy == s.accuracy_when_attempted == s.f_score == 1
    assert s.wrong_rate == 0


def test_only_errors_and_no_claims_score_zero():
    for s in (score([X] * 3), score([]), Scores()):
        assert (s.coverage, s.accuracy, s.accuracy_when_attempted, s.f_score) == (0, 0, 0, 0)
    assert score([X] * 3).error_rate == 1


def test_errors_stay_out_of_the_rates():
    assert score([C, W, X, X]).accuracy_when_attempted == score([C, W]).accuracy_when_attempted
    assert score([C, N, X]).coverage == pytest.approx(0.5)


def test_declining_an_unverifiable_claim_is_a_correct_attempt():
    s = score([grade(U, Label.UNVERIFIABLE), grade(U, Label.SUPPORTED)])
    assert (s.correct, s.not_attempted, s.attempted) == (1, 1, 1)
    assert s.accuracy_when_attempted == 1 and s.coverage == pytest.approx(0.5)


def test_a_cautious_model_beats_a_confident_one_when_attempting_but_not_on_coverage():
    labels = [Label.SUPPORTED] * 6 + [Label.REFUTED] * 4
    cautious = [S, S, U, U, U, U, R, U, U, U]
    confident = [S, S, S, R, S, S, R, S, S, S]
    a = score(grade(v, label) for v, label in zip(cautious, labels, strict=True))
    b = score(grade(v, label) for v, label in zip(confident, labels, strict=True))
    assert a.accuracy_when_attempted == 1 and a.coverage == pytest.approx(0.3)
    assert b.coverage == 1 and b.wrong_rate == pytest.approx(0.4)
    assert a.wrong_rate < b.wrong_rate and a.coverage < b.coverage


# -- policies ---------------------------------------------------------------------------------

def votes(*verdicts: Verdict, claim: str = "c", prefix: str = "m") -> list[Vote]:
    return [Vote(claim, f"{prefix}{i}", v, 0.9, "") for i, v in enumerate(verdicts)]


def test_policies_of_a_panel():
    assert [p.name for p in policies(3, False)] == ["quorum 1/3", "quorum 2/3", "quorum 3/3"]
    both = policies(2, True)
    assert [p.name for p in both] == ["quorum 1/2", "quorum 2/2", "quorum 1/2 + escalation",
                                      "quorum 2/2 + escalation"]


@pytest.mark.parametrize(("value", "expected"), [
    (Consensus.AGREED_SUPPORTED, S), (Consensus.AGREED_REFUTED, R),
    (Consensus.AGREED_MISLEADING, M), (Consensus.DISPUTED, U), (Consensus.ABSTAINED, U),
    (Consensus.INSUFFICIENT, U),
])
def test_what_the_reader_gets_from_each_consensus(value, expected):
    assert verdict_of(value, votes(S, E)) is expected


def test_no_model_answering_at_all_is_an_error_not_an_abstention():
    assert verdict_of(Consensus.INSUFFICIENT, votes(E, E)) is E
    assert verdict_of(Consensus.INSUFFICIENT, []) is E


@pytest.mark.parametrize(("panel", "quorum", "expected"), [
    ((S, S, U), 1, S), ((S, S, U), 2, S), ((S, S, U), 3, U),  # abstained at 3
    ((S, R, S), 1, U),  # disputed whatever the quorum
    ((R, U, U), 1, R), ((R, U, U), 2, U),
    ((M, M, E), 2, M), ((M, E, E), 2, U),  # insufficient
    ((E, E, E), 1, E),
])
def test_policy_verdict_without_escalation(panel, quorum, expected):
    verdict, escalated = policy_verdict(votes(*panel), votes(S, prefix="j"), Policy(quorum, 3))
    assert verdict is expected and not escalated


def test_escalation_settles_an_abstained_claim_with_the_same_quorum():
    panel, judge = votes(S, S, U), votes(S, prefix="j")
    assert policy_verdict(panel, judge, Policy(3, 3, escalate=True)) == (S, True)
    assert policy_verdict(panel, votes(R, prefix="j"), Policy(3, 3, True)) == (U, True)


def test_escalation_never_settles_a_disputed_claim_and_skips_agreed_ones():
    assert policy_verdict(votes(S, R, U), votes(S, prefix="j"), Policy(1, 3, True)) == (U, True)
    assert policy_verdict(votes(S, S, U), votes(R, prefix="j"), Policy(2, 3, True)) == (S, False)


def test_escalation_without_escalation_votes_changes_nothing():
    assert policy_verdict(votes(S, U, U), [], Policy(2, 3, True)) == (U, False)


# -- evaluate on a hand-made run -----------------------------------------------------------------

def hand_labels() -> Labels:
    data = {"articles": {
        "a.txt": {"claims": [{"claim": "One.", "label": "supported"},
                             {"claim": "Two.", "label": "refuted"},
                             {"claim": "Three.", "label": "unverifiable"}]},
        "b.txt": {"claims": [{"claim": "Four.", "label": "supported"}]},
    }}
    return parse_labels(data, "hand.json")


def hand_run() -> EvalRun:
    labels = hand_labels()
    ids = [c.claim.id for c in labels.claims]
    table = {  # claim -> (oracle, bold, shy, judge)
        ids[0]: (S, S, U, S),
        ids[1]: (R, S, U, R),
        ids[2]: (U, S, U, U),
        ids[3]: (S, S, E, S),
    }
    names = ("oracle", "bold", "shy", "judge")
    all_votes = tuple(Vote(cid, name, v, 0.9, "") for cid, row in table.items()
                      for name, v in zip(names, row, strict=True))
    calls = tuple(CallCost(name, article, latency, cost, True)
                  for article, base in (("a.txt", 100), ("b.txt", 300))
                  for name, latency, cost in (("oracle", base, 0.04), ("bold", base + 50, 0.02),
                                              ("shy", base // 2, 0.0), ("judge", 1000, 0.08)))
    return EvalRun(labels, ("oracle", "bold", "shy"), ("judge",), all_votes, calls, quorum=2)


def test_evaluate_models_on_a_hand_made_table():
    ev = evaluate(hand_run())
    rows = {r.name: r for r in ev.models}
    assert list(rows) == ["oracle", "bold", "shy", "judge"]
    assert rows["oracle"].scores == Scores(correct=4)
    assert rows["bold"].scores == Scores(correct=2, incorrect=2)
    assert rows["shy"].scores == Scores(correct=1, not_attempted=2, errors=1)
    assert rows["judge"].role == "escalation" and rows["oracle"].role == "panel"
    assert rows["oracle"].cost_per_claim_usd == pytest.approx(0.08 / 4)
    assert rows["bold"].latency_ms_per_claim == pytest.approx((150 + 350) / 4)
    assert ev.label_counts == {"supported": 2, "refuted": 1, "unverifiable": 1}
    assert ev.claims == 4 and ev.articles == 2


def test_evaluate_policies_on_a_hand_made_table():
    ev = evaluate(hand_run())
    rows = {r.name: r for r in ev.policies}
    assert list(rows) == ["quorum 1/3", "quorum 2/3", "quorum 3/3", "quorum 1/3 + escalation",
                          "quorum 2/3 + escalation", "quorum 3/3 + escalation"]
    # claim 1: S S U · claim 2: R S U (disputed) · claim 3: U S U · claim 4: S S E
    assert rows["quorum 1/3"].scores == Scores(correct=2, incorrect=1, not_attempted=1)
    assert rows["quorum 2/3"].scores == Scores(correct=3, not_attempted=1)
    assert rows["quorum 3/3"].scores == Scores(correct=1, not_attempted=3)
    # With the judge, quorum 3 settles claim 1 (abstained) but never claim 2 (disputed);
    # claim 4 (S S error) is insufficient, not escalated.
    esc = rows["quorum 3/3 + escalation"]
    assert esc.scores == Scores(correct=2, not_attempted=2) and esc.escalated == 3
    assert rows["quorum 2/3 + escalation"].configured
    assert [r.name for r in ev.policies if r.configured] == ["quorum 2/3 + escalation"]
    verdicts = {o.claim.claim.text: o.verdicts for o in ev.outcomes}
    assert verdicts["One."]["quorum 3/3 + escalation"] is S
    assert verdicts["One."]["quorum 3/3"] is U
    assert verdicts["Two."]["bold"] is S


def test_policy_cost_and_latency_count_escalation_only_where_it_happened():
    ev = evaluate(hand_run())
    rows = {r.name: r for r in ev.policies}
    plain = rows["quorum 2/3"]
    assert plain.cost_per_claim_usd == pytest.approx(0.12 / 4)
    assert plain.latency_ms_per_claim == pytest.approx((150 + 350) / 4)  # slowest per article
    # quorum 2 + escalation: claims 2 (disputed) and 3 (abstained) of a.txt go to the judge.
    esc = rows["quorum 2/3 + escalation"]
    assert esc.escalated == 2
    assert esc.cost_per_claim_usd == pytest.approx((0.12 + 0.08) / 4)
    assert esc.latency_ms_per_claim == pytest.approx((150 + 1000 + 350) / 4)


def test_a_missing_vote_is_an_error():
    run = hand_run()
    kept = tuple(v for v in run.votes if not (v.model == "oracle" and v.claim_id.endswith("#1")))
    ev = evaluate(EvalRun(run.labels, run.panel, run.escalate, kept, run.calls, 2))
    assert {r.name: r for r in ev.models}["oracle"].scores.errors == 2  # a.txt#1 and b.txt#1


# -- labels ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("data", "reason"), [
    ([], "expected an object"),
    ({"articles": []}, "expected an object"),
    ({"articles": {"a.txt": {"claims": "x"}}}, "articles.a.txt: expected an object with"),
    ({"articles": {"a.txt": {"claims": [{"claim": "x", "label": "true"}]}}},
     'articles.a.txt.claims[0].label: "true" is not one of supported, refuted, unverifiable'),
    ({"articles": {"a.txt": {"claims": [{"claim": " ", "label": "refuted"}]}}},
     "claims[0].claim: missing or empty"),
    ({"articles": {"a.txt": {"claims": [{"claim": "x", "label": "refuted", "quote": 3}]}}},
     "claims[0].quote: expected a string"),
    ({"articles": {"a.txt": {"claims": []}}}, "no labeled claims"),
    ({"articles": {"a.txt": {"language": 7, "claims": []}}}, "language"),
])
def test_bad_labels_are_refused_with_where_and_why(data, reason):
    with pytest.raises(InputError) as caught:
        parse_labels(data, "labels.json")
    assert caught.value.reason.startswith("labels.json: ")
    assert reason in caught.value.reason
    assert caught.value.exit_code == 2


def test_load_labels_errors_are_one_line(tmp_path):
    with pytest.raises(InputError, match="no such labels file"):
        load_labels(tmp_path / "missing.json")
    bad = tmp_path / "bad.json"
    bad.write_text('{"articles": {\n  "a": [,]\n}}', encoding="utf-8")
    with pytest.raises(InputError, match=r"not JSON: .* \(line 2\)"):
        load_labels(bad)
    with pytest.raises(InputError, match="is a directory"):
        load_labels(tmp_path)


def test_article_files_are_found_next_to_the_labels_only(tmp_path):
    (tmp_path / "here.txt").write_text("text", encoding="utf-8")
    (tmp_path.parent / "outside.txt").write_text("text", encoding="utf-8")
    claim = [{"claim": "x", "label": "supported"}]
    data = {"articles": {name: {"claims": claim}
                         for name in ("here.txt", "absent.txt", "../outside.txt", ".")}}
    labels = parse_labels(data, "l.json", tmp_path)
    paths = {a.name: a.path for a in labels.articles}
    assert paths == {"here.txt": tmp_path / "here.txt", "absent.txt": None,
                     "../outside.txt": None, ".": None}


def test_the_corpus_labels_load(corpus):
    labels = load_labels(corpus / "claims.json")
    assert len(labels.articles) == 7 and len(labels.claims) == 51
    assert all(a.path is not None for a in labels.articles)
    assert len({c.claim.id for c in labels.claims}) == 51


# -- a run on the fake server ---------------------------------------------------------------------

ARTICLE = ("Harbour city opens its new bridge\n\nThe bridge opened in 2025 after four years of "
           "work. It is 90 metres long, the city said on Monday, and it carries two lanes of "
           "traffic, a tram line and a wide path for cyclists and people on foot across the "
           "harbour mouth.")  # long enough for the fast language detector
LABELS = {"articles": {
    "bridge.txt": {"language": "en", "claims": [
        {"claim": "The bridge opened in 2025.", "label": "supported"},
        {"claim": "The bridge is 90 metres long.", "label": "refuted"}]},
    "elsewhere.txt": {"language": "en", "claims": [
        {"claim": "The mayor earns 100000 euros a year.", "label": "unverifiable"}]},
}}


def write_labels(folder: Path) -> Path:
    (folder / "bridge.txt").write_text(ARTICLE, encoding="utf-8")
    path = folder / "labels.json"
    path.write_text(json.dumps(LABELS), encoding="utf-8")
    return path


def config(folder: Path, server: LLMServer, panel: dict[str, str], escalate: dict[str, str],
           quorum: int | None = None) -> Path:
    lines = [f'database = "{folder / "p.db"}"']
    for name, model in {**panel, **escalate}.items():
        lines += ["[[model]]", f'name = "{name}"', 'provider = "anthropic"',
                  f'model = "{model}"', f'base_url = "{server.url}"', "timeout = 5"]
    lines += ["[pipeline]", f"panel = {json.dumps(list(panel))}",
              f"escalate = {json.dumps(list(escalate))}"]
    if quorum:
        lines.append(f"quorum = {quorum}")
    path = folder / "parallax.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def oracle(number: int, claim: str) -> tuple[str, float]:
    labels = {c["claim"]: c["label"] for a in LABELS["articles"].values() for c in a["claims"]}
    label = labels.get(claim, "unverifiable")
    return ("uncertain", 0.3) if label == "unverifiable" else (label, 0.9)


async def test_run_eval_one_call_per_model_per_article(tmp_path, llm_server):
    s = llm_server
    s.add("claude-haiku-5-5", verdicts=oracle)  # a priced model id: its cost is counted
    s.add("bold-model", verdicts="supported")
    s.add("judge-model", verdicts="refuted")
    s.fail("judge-model", Fault.status_code(400, "bad request"))  # first article: errors
    path = config(tmp_path, s, {"oracle": "claude-haiku-5-5", "bold": "bold-model"},
                  {"judge": "judge-model"})
    settings = load_settings(environ={"ANTHROPIC_API_KEY": "k"}, path=path)
    seen: list[tuple[int, int, str]] = []
    async with build_app(settings) as app:
        run = await run_eval(app, load_labels(write_labels(tmp_path)),
                             progress=lambda *a: seen.append(a))
        counts = await app.store.run(table_counts)
    assert seen == [(1, 2, "bridge.txt"), (2, 2, "elsewhere.txt")]
    assert run.panel == ("oracle", "bold") and run.escalate == ("judge",) and run.quorum == 2
    for model in ("claude-haiku-5-5", "bold-model"):
        assert len(s.calls(model=model, path="/v1/messages")) == 2
    first, second = s.calls(model="bold-model", path="/v1/messages")
    assert "after four years of work" in first.text  # the article file's text
    block = ARTICLE_BLOCK.search(second.text)
    assert block is not None and "The mayor earns 100000 euros a year." in block.group("text")
    assert counts["model_calls"] == 6  # every call on the ledger, the failed ones too
    ev = evaluate(run)
    rows = {r.name: r for r in ev.rows}
    assert rows["oracle"].scores == Scores(correct=3)
    assert rows["oracle"].cost_per_claim_usd > 0
    assert rows["bold"].scores == Scores(correct=1, incorrect=2)
    assert rows["judge"].scores == Scores(correct=0, incorrect=1, errors=2)
    # claim 2 is disputed; on claim 3 bold alone answers: agreed at quorum 1, abstained at 2
    assert rows["quorum 1/2"].scores == Scores(correct=1, incorrect=1, not_attempted=1)
    assert rows["quorum 2/2"].scores == Scores(correct=2, not_attempted=1)
    assert any("no price known for bold-model, judge-model" in w for w in run.warnings)


async def test_run_eval_refuses_an_unknown_panel_model_or_quorum(tmp_path, llm_server):
    llm_server.add("a-model")
    path = config(tmp_path, llm_server, {"a": "a-model"}, {})
    settings = load_settings(environ={"ANTHROPIC_API_KEY": "k"}, path=path)
    labels = load_labels(write_labels(tmp_path))
    async with build_app(settings) as app:
        with pytest.raises(InputError, match="--panel: no model named 'zz'"):
            await run_eval(app, labels, ["a", "zz"])
        with pytest.raises(InputError, match="--quorum 2: must be between 1 and"):
            await run_eval(app, labels, None, 2)
    assert not llm_server.calls(path="/v1/messages")


async def test_eval_uses_the_configured_evidence_and_reports_retrieval_recall(
        offline_settings, tmp_path):
    """Labels may list, per claim, the URLs that settle it: eval runs the evidence stage as a
    check does and reports the share of those claims that got a passage from one of them."""
    from bot.evaluation import evaluate, parse_labels, run_eval
    from bot.ingest import IngestLimits, to_article
    from bot.present.eval_report import render_eval_json
    from bot.records import RawDocument
    from bot.store.articles import save_article

    earlier = ("The Maeslant barrier near Rotterdam closed on 12 March 2025 for the first time "
               "in six years. Water minister Ruud Vermeer said it protected 1.5 million people.")
    stored = to_article(RawDocument(earlier.encode(), "https://example.org/rotterdam",
                                    "text/plain", url="https://example.org/rotterdam"),
                        IngestLimits())
    labels = parse_labels({"articles": {"fr.txt": {"language": "fr", "claims": [
        {"claim": "La barrière Maeslant s'est fermée le 12 mars 2025.", "label": "supported",
         "sources": ["https://example.org/rotterdam/"]},
        {"claim": "Ruud Vermeer protège 1,5 million d'habitants.", "label": "supported",
         "sources": ["https://elsewhere.example/story"]},
        {"claim": "Le conseil a voté 42 millions.", "label": "unverifiable"}]}}}, "labels")
    async with build_app(offline_settings) as app:
        await app.store.run(save_article, stored)
        evaluation = evaluate(await run_eval(app, labels))
    assert evaluation.retrieval_claims == 2  # the unlabelled-source claim is not counted
    assert evaluation.retrieval_recall == 0.5
    assert json.loads(render_eval_json(evaluation))["retrieval"] == {"recall": 0.5,
                                                                      "claims": 2}
    with pytest.raises(InputError, match=r"claims\[0\]\.sources: expected a list of http"):
        parse_labels({"articles": {"a": {"claims": [
            {"claim": "x", "label": "supported", "sources": "https://x"}]}}}, "labels")

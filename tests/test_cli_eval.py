"""`parallax eval` end to end: a subprocess against models on the loopback server."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import sys
from pathlib import Path

import pytest

from bot.present.eval_report import CSV_FIELDS
from tests.fakes.llm_server import LLMServer

ROOT = Path(__file__).resolve().parent.parent
KEY = "sk-ant-eval-SECRET-77"
ARTICLE = ("Harbour city opens its new bridge\n\nThe bridge opened in 2025 after four years of "
           "work. It is 90 metres long, the city said on Monday, and it carries two lanes of "
           "traffic, a tram line and a wide path for cyclists and people on foot.")
LABELS = {"articles": {
    "bridge.txt": {"language": "en", "claims": [
        {"claim": "The bridge opened in 2025.", "label": "supported"},
        {"claim": "The bridge is 90 metres long.", "label": "refuted"},
        {"claim": "The mayor earns 100000 euros a year.", "label": "unverifiable"}]},
    "water.txt": {"language": "en", "claims": [
        {"claim": "Water boils at 100 degrees Celsius at sea level.", "label": "supported"}]},
}}
KNOWN = {c["claim"]: c["label"] for a in LABELS["articles"].values() for c in a["claims"]}


def oracle(_number: int, claim: str) -> tuple[str, float]:
    label = KNOWN.get(claim, "unverifiable")
    return ("uncertain", 0.3) if label == "unverifiable" else (label, 0.9)


@pytest.fixture
async def setup(tmp_path: Path, llm_server: LLMServer) -> tuple[Path, LLMServer]:
    """Labels with one article file beside them; a panel oracle, bold, shy; judge escalates."""
    (tmp_path / "bridge.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "labels.json").write_text(json.dumps(LABELS), encoding="utf-8")
    s = llm_server
    s.add("oracle-model", verdicts=oracle)
    s.add("bold-model", verdicts="supported")
    s.add("shy-model", verdicts="uncertain")
    s.add("judge-model", verdicts=oracle)
    lines = [f'database = "{tmp_path / "p.db"}"']
    for name in ("oracle", "bold", "shy", "judge"):
        lines += ["[[model]]", f'name = "{name}"', 'provider = "anthropic"',
                  f'model = "{name}-model"', f'base_url = "{s.url}"', "timeout = 5"]
    lines += ["[pipeline]", 'panel = ["oracle", "bold", "shy"]', 'escalate = ["judge"]']
    (tmp_path / "parallax.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return tmp_path, s


async def parallax(folder: Path, *args: str) -> tuple[int, str, str]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", "eval", *args, cwd=folder,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "ANTHROPIC_API_KEY": KEY,
             "PARALLAX_CONFIG": str(folder / "parallax.toml"), "COLUMNS": "120"})
    out, err = await asyncio.wait_for(proc.communicate(), 90)
    assert KEY not in out.decode() + err.decode()
    return proc.returncode, out.decode(), err.decode()


async def test_json_scores_every_model_and_policy(setup):
    folder, server = setup
    code, out, err = await parallax(folder, "labels.json", "--json")
    assert code == 0, err
    assert err == ""  # no progress bar or stage lines when stderr is not a terminal
    data = json.loads(out)
    assert data["claims"] == 4 and data["articles"] == 2
    assert data["label_counts"] == {"supported": 2, "refuted": 1, "unverifiable": 1}
    assert data["panel"] == ["oracle", "bold", "shy"] and data["escalate"] == ["judge"]
    assert data["quorum"] == 2
    models = {r["name"]: r for r in data["models"]}
    assert [models["oracle"][k] for k in ("correct", "incorrect", "not_attempted")] == [4, 0, 0]
    assert [models["bold"][k] for k in ("correct", "incorrect", "not_attempted")] == [2, 2, 0]
    assert [models["shy"][k] for k in ("correct", "incorrect", "not_attempted")] == [1, 0, 3]
    assert models["shy"]["coverage"] == 0.25 and models["shy"]["accuracy_when_attempted"] == 1
    assert models["bold"]["f_score"] == 0.5 and models["bold"]["wrong_rate"] == 0.5
    assert models["judge"]["role"] == "escalation"
    policies = {r["name"]: r for r in data["policies"]}
    assert len(policies) == 6
    assert [r["name"] for r in data["policies"] if r["configured"]] == ["quorum 2/3 + escalation"]
    # claim 1 S S U · claim 2 R S U (disputed) · claim 3 U S U · claim 4 S S U
    q1, q3 = policies["quorum 1/3"], policies["quorum 3/3"]
    q3e = policies["quorum 3/3 + escalation"]
    assert (q1["correct"], q1["incorrect"], q1["not_attempted"]) == (2, 1, 1)
    assert (q3["correct"], q3["not_attempted"]) == (1, 3)
    assert (q3e["correct"], q3e["not_attempted"], q3e["escalated"]) == (3, 1, 4)
    outcome = {o["text"]: o["verdicts"] for o in data["outcomes"]}
    assert outcome["The bridge is 90 metres long."]["quorum 3/3 + escalation"] == "uncertain"
    assert any("no price known" in w for w in data["warnings"])
    # one verification call per model per article
    for name in ("oracle", "bold", "shy", "judge"):
        assert len(server.calls(model=f"{name}-model", path="/v1/messages")) == 2


async def test_table_for_people(setup):
    folder, _ = setup
    code, out, err = await parallax(folder, "labels.json")
    assert code == 0, err
    for text in ("Parallax eval", "4 labeled claims from 2 articles", "Models", "Panel policies",
                 "oracle", "judge (escalation)", "2 of 3 + esc. ◀", "coverage", "declined"):
        assert text in out, text


async def test_csv_one_line_per_model_and_policy(setup):
    folder, _ = setup
    code, out, err = await parallax(folder, "labels.json", "--csv", "--panel", "oracle,bold",
                                    "--quorum", "1")
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert tuple(rows[0]) == CSV_FIELDS
    assert [r["name"] for r in rows] == ["oracle", "bold", "judge", "quorum 1/2", "quorum 2/2",
                                         "quorum 1/2 + escalation", "quorum 2/2 + escalation"]
    by_name = {r["name"]: r for r in rows}
    assert by_name["quorum 1/2 + escalation"]["configured"] == "True"
    assert by_name["oracle"]["f_score"] == "1.0" and by_name["oracle"]["kind"] == "model"
    assert by_name["quorum 2/2"]["quorum"] == "2"


async def test_plot_writes_a_png(setup):
    folder, _ = setup
    target = folder / "tradeoff.png"
    code, out, err = await parallax(folder, "labels.json", "--json", "--plot", str(target))
    assert code == 0, err
    json.loads(out)  # stdout stays JSON only
    assert "plot written to" in err
    data = target.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 10_000


@pytest.mark.parametrize(("args", "reason"), [
    (["missing.json"], "missing.json: no such labels file"),
    (["bad.json"], "bad.json: not JSON"),
    (["wrong.json"], 'claims[0].label: "maybe" is not one of'),
    (["labels.json", "--panel", "oracle,nobody"], "--panel: no model named 'nobody'"),
    (["labels.json", "--quorum", "4"], "--quorum 4: must be between 1 and the panel's size (3)"),
    (["labels.json", "--json", "--csv"], "--json and --csv cannot be used together"),
    (["labels.json", "--plot", "nowhere/p.png"], "no such folder"),
    (["labels.json", "--plot", "p.jpg"], "the file must end in .png"),
])
async def test_bad_input_exits_2_with_one_line_and_no_model_call(setup, args, reason):
    folder, server = setup
    (folder / "bad.json").write_text("{not json", encoding="utf-8")
    (folder / "wrong.json").write_text(json.dumps(
        {"articles": {"a.txt": {"claims": [{"claim": "x", "label": "maybe"}]}}}),
        encoding="utf-8")
    code, out, err = await parallax(folder, *args)
    assert code == 2
    assert out == ""
    assert err.startswith("parallax: error: ") and err.count("\n") == 1
    assert reason in err
    assert not server.calls(path="/v1/messages")

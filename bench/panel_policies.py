"""Consensus policies compared: can a panel be more careful than its boldest model and answer
more than its most cautious one?

Model profiles on the loopback server, shaped on published behaviour (the OpenAI/Anthropic
joint evaluation, August 2025: Claude Opus 4 and Sonnet 4 declined up to 70% of questions
when unsure; o3 and o4-mini almost always answered and hallucinated more):

- every model knows the *obvious* claims (half of the settled ones, by a hash of the text);
  on the others — and on every unverifiable claim — each profile behaves as below;
- ``cautious`` declines 70% of them, and is right on 60% of those it answers;
- ``middle`` declines 35%, right on 50% of those it answers;
- ``confident`` declines 5%, right on 35% of those it answers (wrong on most of what it
  does not know);
- ``judge`` (escalation only) declines 40%, right on 70% of those it answers.

"Right" on a settled claim is the label; "wrong" is the opposite verdict; any confident
verdict on an unverifiable claim is wrong. Each model draws by its own hash, so their
mistakes are independent. The profiles know the labels through the corpus file; they run
through ``parallax eval``'s own code (real SDK, real prompts, the fake server) on the labeled
corpus claims, and every consensus policy is scored on the same claims.

Goal: a policy whose wrong-verdict rate is lower than the confident model's at a coverage
higher than the cautious model's. The run says plainly when no policy achieves that.

Usage: python bench/panel_policies.py [--labels tests/data/corpus/claims.json]
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from figures import print_figures  # noqa: E402 - bench/ is the script folder

from bot.app import build_app  # noqa: E402
from bot.config import load_settings  # noqa: E402
from bot.evaluation import Evaluation, Label, Labels, Row, evaluate, load_labels, run_eval  # noqa: E402
from tests.fakes.llm_server import LLMServer  # noqa: E402

LABELS = ROOT / "tests" / "data" / "corpus" / "claims.json"
PANEL = ("cautious", "middle", "confident")
ESCALATE = ("judge",)
# name -> (share declined of the non-obvious claims, share right of those answered)
PROFILES = {"cautious": (0.70, 0.60), "middle": (0.35, 0.50), "confident": (0.05, 0.35),
            "judge": (0.40, 0.70)}
OBVIOUS = 0.5  # share of the settled claims every model knows
SWEEP = (0.0, 0.25, 0.5, 0.75)  # shares compared after the main run


def draw(*parts: str) -> float:
    """A deterministic number in [0, 1) from ``parts``."""
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()
    return int(digest[:12], 16) / 16**12


def profile(name: str, labels: dict[str, Label], obvious: float = OBVIOUS):
    """The verdict rule of model ``name``, knowing ``labels`` (claim text -> label)."""
    declines, right = PROFILES[name]

    def rule(_number: int, claim: str) -> tuple[str, float]:
        label = labels.get(" ".join(claim.split()))
        if label is None:
            return "uncertain", 0.1
        truth = "supported" if label is Label.SUPPORTED else "refuted"
        if label is not Label.UNVERIFIABLE and draw("obvious", claim) < obvious:
            return truth, 0.95
        if draw(name, "declines", claim) < declines:
            return "uncertain", 0.3
        if label is Label.UNVERIFIABLE:  # no source settles it: any verdict is invented
            return ("supported", 0.8) if draw(name, "guess", claim) < 0.7 else ("refuted", 0.8)
        if draw(name, "right", claim) < right:
            return truth, 0.85
        return ("refuted" if truth == "supported" else "supported"), 0.85

    return rule


def write_config(folder: Path, server: LLMServer) -> Path:
    lines = [f'database = "{folder / "bench.db"}"', 'languages = ["en"]']
    for name in (*PANEL, *ESCALATE):
        lines += ["[[model]]", f'name = "{name}"', 'provider = "anthropic"',
                  f'model = "{name}-model"', f'base_url = "{server.url}"']
    lines += ["[pipeline]", "panel = [" + ", ".join(f'"{n}"' for n in PANEL) + "]",
              "escalate = [" + ", ".join(f'"{n}"' for n in ESCALATE) + "]"]
    path = folder / "parallax.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


async def measure(labels: Labels, obvious: float = OBVIOUS) -> Evaluation:
    known = {c.claim.text: c.label for c in labels.claims}
    with tempfile.TemporaryDirectory() as tmp:
        async with LLMServer() as server:
            for name in (*PANEL, *ESCALATE):
                server.add(f"{name}-model", verdicts=profile(name, known, obvious))
            settings = load_settings(environ={"ANTHROPIC_API_KEY": "bench"},
                                     path=write_config(Path(tmp), server))
            async with build_app(settings) as app:
                run = await run_eval(app, labels)
    return evaluate(run)


def table(ev: Evaluation) -> None:
    print(f"{ev.claims} labeled claims from {ev.articles} articles "
          f"({', '.join(f'{n} {k}' for k, n in ev.label_counts.items())}); "
          f"panel {', '.join(ev.panel)}, escalation {', '.join(ev.escalate)}")
    print(f"{'':<24} {'right':>5} {'wrong':>5} {'declined':>8} {'coverage':>8} "
          f"{'acc. att.':>9} {'wrong rate':>10} {'F':>5} {'escalated':>9}")
    for row in ev.rows:
        s = row.scores
        escalated = str(row.escalated) if row.escalation else ""
        print(f"{row.name:<24} {s.correct:>5} {s.incorrect:>5} {s.not_attempted:>8} "
              f"{s.coverage:>8.0%} {s.accuracy_when_attempted:>9.0%} {s.wrong_rate:>10.0%} "
              f"{s.f_score:>5.2f} {escalated:>9}")


def winners(ev: Evaluation) -> tuple[list[Row], Row, Row]:
    """The policies beating both the confident model's wrong rate and the cautious model's
    coverage; and those two models' rows."""
    models = {r.name: r for r in ev.models}
    cautious, confident = models["cautious"], models["confident"]
    found = [r for r in ev.policies
             if r.scores.wrong_rate < confident.scores.wrong_rate
             and r.scores.coverage > cautious.scores.coverage]
    return found, cautious, confident


def verdict(ev: Evaluation) -> tuple[str, str, str, bool]:
    """The best policy meeting the goal (or "none"), its coverage / wrong rate, the goal, and
    whether it is met: said plainly either way."""
    found, cautious, confident = winners(ev)
    wrong, cover = confident.scores.wrong_rate, cautious.scores.coverage
    goal = f"wrong < {wrong:.0%}, coverage > {cover:.0%}"
    if not found:
        return "none", "-", goal, False
    best = max(found, key=lambda r: r.scores.f_score)
    s = best.scores
    return best.name, f"{s.coverage:.0%} / {s.wrong_rate:.0%}", goal, True


def explain(ev: Evaluation) -> None:
    found, cautious, confident = winners(ev)
    if found:
        best = max(found, key=lambda r: r.scores.f_score)
        s = best.scores
        print(f"\nMet by {', '.join(r.name for r in found)}: fewer wrong verdicts than the "
              f"confident model ({confident.scores.wrong_rate:.0%}) and more answers than the "
              f"cautious one ({cautious.scores.coverage:.0%}). Best F-score among them: "
              f"{best.name} (coverage {s.coverage:.0%}, wrong {s.wrong_rate:.0%}, "
              f"F {s.f_score:.2f}).")
    else:
        print(f"\nNo policy achieves it: none is wrong less often than the confident model "
              f"({confident.scores.wrong_rate:.0%}) while answering more than the cautious "
              f"one ({cautious.scores.coverage:.0%}).")
    for row in ev.policies:
        s = row.scores
        misses = [why for bad, why in (
            (s.wrong_rate >= confident.scores.wrong_rate,
             "wrong at least as often as the confident model"),
            (s.coverage <= cautious.scores.coverage, "answers no more than the cautious model"))
            if bad]
        if misses:
            print(f"  not met by {row.name}: {' and '.join(misses)}")
    escalated = [r for r in ev.policies if r.escalation]
    same = [r.name for r in escalated if next(
        p for p in ev.policies if p.quorum == r.quorum and not p.escalation).scores == r.scores]
    if same:
        print(f"  escalation changed nothing for {', '.join(same)}: a disputed claim stays "
              f"disputed whatever the escalation models say; only abstained claims can settle")


async def sweep(labels: Labels, shares: list[float]) -> list[tuple[float, Evaluation]]:
    return [(share, await measure(labels, share)) for share in shares]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--labels", type=Path, default=LABELS)
    parser.add_argument("--obvious", type=float, default=OBVIOUS,
                        help="share of the settled claims every model knows")
    args = parser.parse_args()
    labels = load_labels(args.labels)
    ev = asyncio.run(measure(labels, args.obvious))
    print(f"obvious claims: {args.obvious:.0%} of the settled ones")
    table(ev)
    explain(ev)
    name, measured, goal, met = verdict(ev)
    found, cautious, confident = winners(ev)
    rows: list[tuple[str, str, str, bool | None]] = [
        ("cautious model: coverage", f"{cautious.scores.coverage:.0%}", "shown", None),
        ("cautious model: wrong rate", f"{cautious.scores.wrong_rate:.0%}", "shown", None),
        ("confident model: coverage", f"{confident.scores.coverage:.0%}", "shown", None),
        ("confident model: wrong rate", f"{confident.scores.wrong_rate:.0%}", "shown", None),
        ("policies beating both", f"{len(found)} of {len(ev.policies)}", ">= 1", met),
        (f"coverage / wrong of the best: {name}", measured, goal, met),
    ]
    others = [share for share in SWEEP if abs(share - args.obvious) > 1e-9]
    print("\nThe same goal when fewer or more claims are obvious to every model:")
    for share, other in asyncio.run(sweep(labels, others)):
        name, measured, goal, met = verdict(other)
        print(f"  {share:.0%} obvious: " + (f"met by {name} ({measured}; goal {goal})" if met
                                            else f"no policy achieves it (goal {goal})"))
        rows.append((f"{share:.0%} obvious: best policy: {name}", measured, goal, None))
    print_figures(rows)


if __name__ == "__main__":
    main()

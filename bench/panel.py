"""The panel stage and the model calls of a check against the strict loopback model server.

Printed side by side in one run:
- model calls per article, against the 2 + claims x models of a per-claim design
  (goal: 2 + models: one summary call, one extraction call, one verification call per model);
- the panel stage's wall time divided by its slowest single call (goal <= 1.15: the models
  really run concurrently);
- a repeated check of the same article: its model calls (goal: none) and time (goal < 50 ms);
- prompt caching, as the services really do it (exact prefixes, output format included,
  readable once the writing call answered): the input-token cost equivalent (cache writes at
  1.25x, reads at 0.1x) of the calls of one Anthropic model that summarizes, extracts and
  sits on a 3-model panel, on a 10 KB article, divided by the same calls uncached
  (goal <= 0.7); the whole check's ratio is shown beside it (the two other panel models
  make one call each, which no cache can make cheaper);
- the check's wall time (evidence off) divided by (claims call + slowest panel call), every
  call taking --latency (goal <= 1.2: the summary runs beside the claims and the panel);
- a 12-claim panel with an OpenAI reasoning model at the default settings: claims left
  without a verdict (goal 0);
- a model whose output limit (256 tokens) is too small for 12 verdicts: claims left without
  a verdict (goal 0) and extra calls (goal <= 1).
- 12 review cards and a 20-channel digest run against the rate-limited loopback Discord:
  posts lost and duplicated (goal 0), 429s met and the waits (shown; bench/discord_limits.py).

Usage: python bench/panel.py [--latency 0.3] [--models 3]
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from figures import print_figures  # noqa: E402 - bench/ is the script folder

from bot.app import build_app  # noqa: E402
from bot.config import load_settings  # noqa: E402
from bot.pipeline import check_article  # noqa: E402
from bot.providers.pricing import CACHE_READ_FACTOR, CACHE_WRITE_FACTOR  # noqa: E402
from bot.records import Report, Verdict  # noqa: E402
from tests.fakes.llm_server import LLMServer  # noqa: E402

CLAIMS = 12
OPENAI_CACHED_FACTOR = 0.5  # OpenAI's smallest cached-input discount (others give 75-90%)
Row = tuple[str, str, str, bool | None]
Model = tuple[str, str, str, tuple[str, ...]]  # name, provider, model id, extra config lines


def article(claims: int = CLAIMS, size: int = 0) -> str:
    """A bridge story with ``claims`` check-worthy sentences, padded to ``size`` characters."""
    text = "Harbour city opens its new bridge\n\n" + "\n".join(
        f"The bridge's section {i} is {40 + i} metres long and cost {i + 2} million euros in "
        "2025." for i in range(1, claims + 1))
    filler = ("\nResidents gathered along the quay while the mayor thanked the workers who "
              "had built it through two winters.")
    while len(text) < size:
        text += filler
    return text[:size] if size else text


def write_config(folder: Path, server: LLMServer, models: list[Model], summarize: str,
                 claims: str, panel: list[str], evidence: bool = True) -> Path:
    lines = [f'database = "{folder / "bench.db"}"', 'languages = ["en"]']
    for name, provider, model, extra in models:
        url = server.url if provider == "anthropic" else server.openai_url
        lines += ["[[model]]", f'name = "{name}"', f'provider = "{provider}"',
                  f'model = "{model}"', f'base_url = "{url}"', *extra]
    lines += ["[pipeline]", f'summarize = "{summarize}"', f'claims = "{claims}"',
              "panel = [" + ", ".join(f'"{n}"' for n in panel) + "]", f"max_claims = {CLAIMS}"]
    if not evidence:
        lines.append("evidence = []")
    path = folder / "parallax.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


async def check(folder: Path, server: LLMServer, text: str, models: list[Model],
                summarize: str, claims: str, panel: list[str],
                evidence: bool = True) -> tuple[Report, float, list[sqlite3.Row]]:
    """One check of ``text``: the report, its wall time (s) and its ledger rows."""
    source = folder / "article.txt"
    source.write_text(text, encoding="utf-8")
    keys = {"ANTHROPIC_API_KEY": "bench", "OPENAI_API_KEY": "bench"}
    settings = load_settings(environ=keys, path=write_config(
        folder, server, models, summarize, claims, panel, evidence))
    async with build_app(settings) as app:
        started = time.perf_counter()
        report = await check_article(str(source), app)
        wall = time.perf_counter() - started
    with sqlite3.connect(folder / "bench.db") as db:
        db.row_factory = sqlite3.Row
        rows = db.execute("SELECT * FROM model_calls WHERE check_id = ?",
                          (report.check_id,)).fetchall()
    return report, wall, rows


def anthropic(name: str, model: str, *extra: str) -> Model:
    return (name, "anthropic", model, extra)


def openai(name: str, model: str, *extra: str) -> Model:
    return (name, "openai", model, extra)


def unanswered(report: Report, name: str) -> int:
    """Claims on which model ``name`` gave no verdict."""
    return sum(1 for r in report.claims for v in r.votes
               if v.model == name and v.verdict is Verdict.ERROR)


async def measure_panel(latency: float, models: int) -> list[Row]:
    """The first figures: calls per article, concurrency, a repeated check."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        source = folder / "article.txt"
        source.write_text(article(), encoding="utf-8")
        async with LLMServer() as server:
            names = [f"m{i}" for i in range(models)]
            for name in ["writer", *names]:
                server.add(f"{name}-model", latency=latency)
            config = write_config(folder, server,
                                  [anthropic(n, f"{n}-model") for n in ["writer", *names]],
                                  "writer", "writer", names)
            settings = load_settings(environ={"ANTHROPIC_API_KEY": "bench"}, path=config)
            stamps: dict[str, float] = {}

            def progress(line: str) -> None:  # "summarizing · asking 3 panel model(s)"
                for stage in ("asking", "saving"):
                    if stage in line:
                        stamps.setdefault(stage, time.perf_counter())

            async with build_app(settings) as app:
                report = await check_article(str(source), app, progress=progress)
                calls = len(server.calls(path="/v1/messages"))
                started = time.perf_counter()
                again = await check_article(str(source), app)
                repeat_ms = (time.perf_counter() - started) * 1000
                repeat_calls = len(server.calls(path="/v1/messages")) - calls
    claims = len(report.claims)
    panel_wall = stamps["saving"] - stamps["asking"]
    slowest = max(m.latency_ms for m in report.panel) / 1000
    ratio = panel_wall / slowest
    per_claim = 2 + claims * models
    print(f"{models} panel models, {claims} claims, {latency * 1000:.0f} ms per call; "
          f"panel stage {panel_wall * 1000:.0f} ms, slowest call {slowest * 1000:.0f} ms; "
          f"repeat served from the store: {again.cached}")
    return [
        ("model calls per article", str(calls), f"= {2 + models} (per-claim: {per_claim})",
         calls == 2 + models),
        ("panel wall time / slowest call", f"{ratio:.2f}", "<= 1.15", ratio <= 1.15),
        ("repeated check: model calls", str(repeat_calls), "0", repeat_calls == 0),
        ("repeated check: time", f"{repeat_ms:.1f} ms", "< 50 ms", repeat_ms < 50),
    ]


def cost(rows: list[sqlite3.Row], cached: bool) -> float:
    """Input-token cost equivalent of ``rows``: as billed, or as if nothing were cached."""
    total = 0.0
    for row in rows:
        read, write = row["cache_read_tokens"], row["cache_write_tokens"]
        if not cached:
            total += row["input_tokens"] + read + write
        elif row["provider"] == "anthropic":
            total += row["input_tokens"] + CACHE_WRITE_FACTOR * write + CACHE_READ_FACTOR * read
        else:
            total += row["input_tokens"] + OPENAI_CACHED_FACTOR * read
    return total


async def measure_caching(latency: float) -> list[Row]:
    """Figures (a) and (b): one check of a 10 KB article, evidence off."""
    with tempfile.TemporaryDirectory() as tmp:
        async with LLMServer() as server:
            server.add("claude-sonnet-5-5", latency=latency)
            server.add("gpt-4.1", latency=latency)
            server.add("llama3.1:8b", latency=latency)
            models = [anthropic("sonnet", "claude-sonnet-5-5"), openai("gpt", "gpt-4.1"),
                      openai("llama", "llama3.1:8b", 'structured = "json_object"')]
            report, wall, rows = await check(Path(tmp), server, article(size=10_000), models,
                                             "sonnet", "sonnet", ["sonnet", "gpt", "llama"],
                                             evidence=False)
    writer = [r for r in rows if r["name"] == "sonnet"]
    ratio = cost(writer, True) / cost(writer, False)
    whole = cost(rows, True) / cost(rows, False)
    claims_ms = next(r["latency_ms"] for r in rows if r["task"] == "extract_claims")
    slowest = max(r["latency_ms"] for r in rows if r["task"] == "verify_claims")
    wall_ratio = wall * 1000 / (claims_ms + slowest)
    reads = [r["cache_read_tokens"] for r in writer]
    writes = [r["cache_write_tokens"] for r in writer]
    print(f"10 KB article, {len(report.claims)} claims: sonnet's calls "
          f"{', '.join(r['task'] for r in writer)}; cache writes {writes}, reads {reads}; "
          f"check {wall * 1000:.0f} ms, claims call {claims_ms} ms, slowest panel call "
          f"{slowest} ms")
    return [
        ("cached/uncached input cost, one model's calls", f"{ratio:.2f}", "<= 0.7",
         ratio <= 0.7),
        ("cached/uncached input cost, whole check", f"{whole:.2f}", "shown", None),
        ("check wall / (claims + slowest panel call)", f"{wall_ratio:.2f}", "<= 1.2",
         wall_ratio <= 1.2),
    ]


async def measure_budgets() -> list[Row]:
    """Figures (c) and (d): a reasoning model, and an output limit too small for 12 claims."""
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as tmp:
        async with LLMServer() as server:
            server.add("claude-sonnet-5-5")
            server.add("gpt-5-mini", reasoning=True)
            models = [anthropic("sonnet", "claude-sonnet-5-5"), openai("gpt", "gpt-5-mini")]
            report, _, _ = await check(Path(tmp), server, article(), models, "sonnet",
                                       "sonnet", ["gpt"], evidence=False)
    missing = unanswered(report, "gpt")
    rows.append(("reasoning model, defaults: claims without verdict", str(missing), "0",
                 missing == 0))
    with tempfile.TemporaryDirectory() as tmp:
        async with LLMServer() as server:
            server.add("claude-sonnet-5-5")
            server.add("claude-haiku-5-5")
            models = [anthropic("sonnet", "claude-sonnet-5-5"),
                      anthropic("small", "claude-haiku-5-5", "max_output_tokens = 256")]
            report, _, ledger = await check(Path(tmp), server, article(), models, "sonnet",
                                            "sonnet", ["small"], evidence=False)
    missing = unanswered(report, "small")
    extra = sum(1 for r in ledger if r["name"] == "small") - 1
    print(f"output limit 256 tokens, {len(report.claims)} claims: {extra} extra call(s)")
    rows += [("output limit too small: claims without verdict", str(missing), "0",
              missing == 0),
             ("output limit too small: extra calls", str(extra), "<= 1", extra <= 1)]
    return rows


async def measure(latency: float, models: int) -> list[Row]:
    from discord_limits import measure as measure_discord_limits  # bench/: issue 14's rule 5

    return [*await measure_panel(latency, models), *await measure_caching(latency),
            *await measure_budgets(), *await measure_discord_limits()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=0.3)
    parser.add_argument("--models", type=int, default=3)
    args = parser.parse_args()
    print_figures(asyncio.run(measure(args.latency, args.models)))


if __name__ == "__main__":
    main()

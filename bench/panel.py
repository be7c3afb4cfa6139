"""The panel stage against the loopback model server: calls per article, concurrency, caching.

3 panel models answering in 300 ms each, an article with 12 claims. Printed in one run:
- model calls per article, against the 2 + claims x models of a per-claim design
  (goal: 2 + models: one summary call, one extraction call, one verification call per model);
- the panel stage's wall time divided by its slowest single call (goal <= 1.15: the models
  really run concurrently);
- a repeated check of the same article: its model calls (goal: none) and time (goal < 50 ms).

Usage: python bench/panel.py [--latency 0.3] [--models 3]
"""

from __future__ import annotations

import argparse
import asyncio
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
from tests.fakes.llm_server import LLMServer  # noqa: E402

CLAIMS = 12
ARTICLE = "Harbour city opens its new bridge\n\n" + "\n".join(
    f"The bridge's section {i} is {40 + i} metres long and cost {i + 2} million euros in 2025."
    for i in range(1, CLAIMS + 1)
)


def write_config(folder: Path, server: LLMServer, models: int) -> Path:
    lines = [f'database = "{folder / "bench.db"}"', 'languages = ["en"]']
    names = [f"m{i}" for i in range(models)]
    for name in ["writer", *names]:
        lines += ["[[model]]", f'name = "{name}"', 'provider = "anthropic"',
                  f'model = "{name}-model"', f'base_url = "{server.url}"']
    lines += ["[pipeline]", 'summarize = "writer"', 'claims = "writer"',
              "panel = [" + ", ".join(f'"{n}"' for n in names) + "]", f"max_claims = {CLAIMS}"]
    path = folder / "parallax.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


async def measure(latency: float, models: int) -> list[tuple[str, str, str, bool]]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        article = folder / "article.txt"
        article.write_text(ARTICLE, encoding="utf-8")
        async with LLMServer() as server:
            server.add("writer-model", latency=latency)
            for i in range(models):
                server.add(f"m{i}-model", latency=latency)
            settings = load_settings(environ={"ANTHROPIC_API_KEY": "bench"},
                                     path=write_config(folder, server, models))
            stamps: dict[str, float] = {}

            def progress(stage: str) -> None:
                stamps.setdefault(stage.split()[0], time.perf_counter())

            async with build_app(settings) as app:
                report = await check_article(str(article), app, progress=progress)
                calls = len(server.calls(path="/v1/messages"))
                started = time.perf_counter()
                again = await check_article(str(article), app)
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=0.3)
    parser.add_argument("--models", type=int, default=3)
    args = parser.parse_args()
    rows = asyncio.run(measure(args.latency, args.models))
    print_figures(rows)


if __name__ == "__main__":
    main()

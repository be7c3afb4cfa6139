"""50 concurrent /check interactions against the loopback Discord, with a 300 ms fake panel.

Printed in one run: interactions acknowledged, the 99th-percentile time from INTERACTION_CREATE
to the acknowledgement (goal <= 0.5 s, far inside Discord's 3 s), and the time until every
report has arrived.

Usage: python bench/discord_bot.py [--interactions 50] [--latency 0.3]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from figures import print_figures  # noqa: E402 - bench/ is the script folder

from bot.app import build_app  # noqa: E402
from bot.config import load_settings  # noqa: E402
from bot.discord_app.client import ParallaxBot, point_at  # noqa: E402
from tests.fakes.discord_server import DiscordServer  # noqa: E402
from tests.fakes.llm_server import LLMServer  # noqa: E402


def article(i: int) -> str:
    return (f"Harbour report {i}\n\nThe harbour of Example handled {1000 + i} ships in 2025, "
            f"{i} per cent more than in 2024. Its new quay is {300 + i} metres long and cost "
            f"{20 + i} million euros. The port authority employs {400 + i} people.")


async def measure(count: int, latency: float) -> list[tuple[str, str, str, bool | None]]:
    with tempfile.TemporaryDirectory() as tmp:
        async with DiscordServer() as discord, LLMServer() as llm:
            lines = [f'database = "{Path(tmp) / "bench.db"}"']
            for name in ("writer", "a", "b", "c"):
                llm.add(f"{name}-model", latency=latency)
                lines += ["[[model]]", f'name = "{name}"', 'provider = "anthropic"',
                          f'model = "{name}-model"', f'base_url = "{llm.url}"']
            lines += ["[pipeline]", 'summarize = "writer"', 'panel = ["a", "b", "c"]']
            config = Path(tmp) / "parallax.toml"
            config.write_text("\n".join(lines) + "\n", encoding="utf-8")
            settings = load_settings(path=config, environ={
                "ANTHROPIC_API_KEY": "bench", "DISCORD_API_BASE": discord.api_base,
                "DISCORD_GATEWAY_URL": discord.gateway_url})
            point_at(settings)
            async with build_app(settings) as app:
                bot = ParallaxBot(app, guild_ready_timeout=0.05)
                runner = asyncio.create_task(bot.start("bench-token"))
                await asyncio.wait_for(bot.wait_until_ready(), 10)
                started = time.perf_counter()
                # Distinct members: the per-member cooldown is not what is measured here.
                itxs = await asyncio.gather(*(
                    discord.slash("check", {"text": article(i)}, user_id=10**17 + i)
                    for i in range(count)))
                await discord.wait_for(
                    lambda: all((m := discord.original(i)) and m["embeds"] for i in itxs),
                    timeout=120)
                total = time.perf_counter() - started
                await bot.close()
                await runner
    delays = sorted(i.ack_delay for i in itxs if i.ack_delay is not None)
    p99 = delays[max(0, int(len(delays) * 0.99) - 1)] if delays else float("inf")
    print(f"{count} concurrent /check, 4 model calls of {latency * 1000:.0f} ms each per check; "
          f"ack median {statistics.median(delays) * 1000:.0f} ms")
    return [
        ("interactions acknowledged", f"{len(delays)}/{count}", f"{count}/{count}",
         len(delays) == count),
        ("p99 INTERACTION_CREATE -> ack", f"{p99 * 1000:.0f} ms", "<= 500 ms", p99 <= 0.5),
        ("all reports delivered in", f"{total:.1f} s", "(shown)", None),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--interactions", type=int, default=50)
    parser.add_argument("--latency", type=float, default=0.3)
    args = parser.parse_args()
    rows = asyncio.run(measure(args.interactions, args.latency))
    print_figures(rows)


if __name__ == "__main__":
    main()

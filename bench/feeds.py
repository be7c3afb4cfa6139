"""A feed of 200 new entries and 20 digest subscriptions, against loopback servers.

Printed in one run: articles ingested, summary calls (goal: one per article — each article is
summarized once for every language the channels read, however many channels take it), summary
rows per (article, language), digests posted, and the day's spending against the budget.

Usage: python bench/feeds.py [--entries 200] [--subscriptions 20]
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from figures import print_figures  # noqa: E402 - bench/ is the script folder

from bot.app import build_app  # noqa: E402
from bot.config import load_settings  # noqa: E402
from bot.digest import run_due, subscribe  # noqa: E402
from bot.discord_rest import DiscordREST  # noqa: E402
from bot.polling import follow_feed, poll_due  # noqa: E402
from bot.records import GuildSettings  # noqa: E402
from bot.store.guilds import save_guild_settings, spent_today  # noqa: E402
from tests.fakes.discord_server import GUILD_ID, DiscordServer  # noqa: E402
from tests.fakes.http_server import HTTPServer  # noqa: E402
from tests.fakes.llm_server import LLMServer  # noqa: E402

T0 = datetime.now(UTC).replace(hour=6, minute=0, second=0, microsecond=0)
LANGUAGE_SETS = (("en",), ("fr",), ("en", "de"), ("es", "en"), ("fr", "de"))
BUDGET = 5.0


def rss(base: str, count: int) -> str:
    items = "".join(f"<item><title>Harbour story {i}</title><link>{base}/a/{i}.txt</link>"
                    f"<guid>story-{i}</guid></item>" for i in range(count))
    return f'<rss version="2.0"><channel><title>Bench</title>{items}</channel></rss>'


def page(i: int) -> str:
    return (f"Harbour story {i}\n\nThe harbour of Example handled {1000 + i} ships in 2025, "
            f"{i % 40} per cent more than in 2024. A new quay of {300 + i} metres opened on "
            f"{i % 28 + 1} March and cost {20 + i % 9} million euros.")


async def measure(entries: int, subscriptions: int) -> list[tuple[str, str, str, bool | None]]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        async with HTTPServer() as web, LLMServer() as llm, DiscordServer() as discord:
            llm.add("claude-haiku-5-5")
            config = folder / "parallax.toml"
            config.write_text("\n".join([
                f'database = "{folder / "bench.db"}"', 'allowed_networks = ["127.0.0.1/32"]',
                "[[model]]", 'name = "haiku"', 'provider = "anthropic"',
                'model = "claude-haiku-5-5"', f'base_url = "{llm.url}"']) + "\n")
            settings = load_settings(path=config, environ={"ANTHROPIC_API_KEY": "bench"})
            base = web.url("").rstrip("/")
            web.page("/feed.xml", rss(base, 0), "application/rss+xml")
            for i in range(entries):
                web.page(f"/a/{i}.txt", page(i), "text/plain")
            guild = str(GUILD_ID)
            async with build_app(settings) as app, \
                    DiscordREST("bench", api_base=discord.api_base) as poster:
                await app.store.run(save_guild_settings,
                                    GuildSettings(guild, daily_budget_usd=BUDGET))
                await follow_feed(app, guild, f"{base}/feed.xml", False, 15, T0)
                for n in range(subscriptions):
                    channel = 800_000_000_000_000_000 + n
                    discord.add_channel(GUILD_ID, channel, f"news-{n}")
                    await subscribe(app, guild, str(channel), "daily@09:00", "UTC",
                                    LANGUAGE_SETS[n % len(LANGUAGE_SETS)], T0)
                web.page("/feed.xml", rss(base, entries), "application/rss+xml")
                started = time.perf_counter()
                await poll_due(app, T0 + timedelta(hours=1))
                ingest_time = time.perf_counter() - started
                outcomes = await run_due(app, poster, T0.replace(hour=9, minute=1))
                spent = await app.store.run(spent_today, guild, T0 + timedelta(hours=3))
        with sqlite3.connect(folder / "bench.db") as conn:
            articles = conn.execute("select count(*) from articles").fetchone()[0]
            calls = conn.execute("select count(*) from model_calls where task = 'summarize'"
                                 ).fetchone()[0]
            rows = conn.execute("select count(*) from summaries").fetchone()[0]
            dupes = conn.execute("select count(*) from (select k.article_id, s.language "
                                 "from summaries s join checks k on k.id = s.check_id "
                                 "group by 1, 2 having count(*) > 1)").fetchone()[0]
    languages = len({lang for s in LANGUAGE_SETS for lang in s})
    posted = sum(o.status == "posted" for o in outcomes)
    print(f"{entries} entries, {subscriptions} subscriptions reading {languages} languages; "
          f"ingest and summaries took {ingest_time:.1f} s")
    return [
        ("articles ingested", str(articles), str(entries), articles == entries),
        ("summary calls", str(calls), f"= {articles} (one per article)", calls == articles),
        ("summary rows (article x language)", str(rows), f"= {articles * languages}",
         rows == articles * languages),
        ("(article, language) summarized twice", str(dupes), "0", dupes == 0),
        ("digests posted", f"{posted}/{subscriptions}", f"{subscriptions}/{subscriptions}",
         posted == subscriptions),
        ("spent today", f"${spent:.4f}", f"<= ${BUDGET:.2f}", spent <= BUDGET),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=200)
    parser.add_argument("--subscriptions", type=int, default=20)
    args = parser.parse_args()
    rows = asyncio.run(measure(args.entries, args.subscriptions))
    print_figures(rows)


if __name__ == "__main__":
    main()

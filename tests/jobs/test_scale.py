"""The issue's bar: two gateway shards and three workers on one Postgres answer 50
concurrent /checks exactly once each, survive a worker's SIGKILL, and post a due digest once.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

import psycopg

from bot.digest import subscribe
from bot.discord_rest import DiscordREST
from bot.jobs.queue import JobQueue
from bot.scheduler import Scheduler
from bot.schedules import utc_now
from tests.fakes.discord_server import CHANNEL_ID, GUILD_ID, DiscordServer
from tests.fakes.llm_server import LLMServer
from tests.jobs.processes import gateway, queue_settings, until, workers
from tests.jobs.test_recovery import articles, edits_of

DIGEST_CHANNEL = 900_000_000_000_000_201
MEMBERS = 900_000_000_000_010_000  # the first of fifty members' ids


def scalar(url: str, sql: str) -> int:
    with psycopg.connect(url) as conn:
        return int(conn.execute(sql).fetchone()[0])


async def test_two_shards_and_three_workers_answer_fifty_checks_once_through_a_kill(
        tmp_path, postgres_url, discord_server: DiscordServer, llm_server: LLMServer):
    for model in ("writer-model", "a-model", "b-model"):
        llm_server.add(model, latency=0.5)
    discord_server.add_channel(GUILD_ID, DIGEST_CHANNEL, "digest")
    settings, env = queue_settings(tmp_path, discord_server, llm_server, postgres_url)
    async with (gateway(settings, shard_ids=[0, 1], shard_count=2) as bot,
                JobQueue(postgres_url) as queue,
                DiscordREST("fake-token", discord_server.api_base) as rest):
        assert sorted(bot.shards) == [0, 1]
        assert sorted(i["shard"][0] for i in discord_server.identifies) == [0, 1]
        await subscribe(bot.app, str(GUILD_ID), str(DIGEST_CHANNEL), "hourly", "UTC", ("en",),
                        utc_now() - timedelta(hours=2), post_empty=True)
        with workers(env, 3, "--concurrency", "4", "--stalled-after", "2",
                     log_dir=tmp_path) as procs:
            # Fifty members at once (one member is held to three checks a minute).
            itxs = await asyncio.gather(*(
                discord_server.slash("check", {"text": text, "languages": "en"},
                                     user_id=MEMBERS + n)
                for n, text in enumerate(articles(50))))
            schedulers = [Scheduler(bot.app, rest, queue=queue) for _ in range(2)]
            await asyncio.gather(*(s.start() for s in schedulers))
            for scheduler in schedulers:
                scheduler.shutdown()
            await until(lambda: scalar(postgres_url, "select count(*) from procrastinate_jobs "
                                       "where status = 'succeeded'") >= 5, "a few checks done")
            procs[0].kill()
            await until(lambda: all((m := discord_server.original(i)) and m["embeds"]
                                    for i in itxs), "every interaction answered")
            await until(lambda: scalar(postgres_url, "select count(*) from procrastinate_jobs "
                                       "where status not in ('succeeded', 'failed')") == 0,
                        "the queue drained")
    assert all(i.callbacks[0].type == 5 for i in itxs)  # each deferred by a gateway shard
    assert scalar(postgres_url, "select count(*) from checks") == 50
    assert scalar(postgres_url, "select count(*) from parallax_interactions "
                  "where answered_at is null") == 0
    assert max(edits_of(discord_server, i) for i in itxs) <= 2  # a retried edit shows once
    assert all(discord_server.followups(i) == [] for i in itxs)
    assert len(discord_server.messages(CHANNEL_ID)) == 50  # no answer posted twice
    assert len(discord_server.messages(DIGEST_CHANNEL)) == 1
    assert scalar(postgres_url, "select count(*) from procrastinate_jobs "
                  "where status = 'failed'") == 0

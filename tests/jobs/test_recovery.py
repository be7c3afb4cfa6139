"""Workers die and schedulers race: every check is stored once and answered once, every due
digest posted once. Real worker processes on a real Postgres, the loopback Discord and model
server; conditions are polled with generous deadlines (never a speed test)."""

from __future__ import annotations

import asyncio
import signal
from datetime import timedelta
from pathlib import Path

import psycopg
import pytest

from bot.digest import subscribe
from bot.discord_rest import DiscordREST
from bot.jobs.queue import JobQueue
from bot.scheduler import Scheduler
from bot.schedules import utc_now
from tests.fakes.discord_server import CHANNEL_ID, GUILD_ID, DiscordServer
from tests.fakes.llm_server import LLMServer
from tests.jobs.processes import gateway, original_edits, queue_settings, until, workers

CORPUS = Path(__file__).resolve().parents[1] / "data" / "corpus"
FAST_RECOVERY = ("--stalled-after", "2")  # seconds; the default 30 would only make it slow


def scalar(url: str, sql: str) -> int:
    with psycopg.connect(url) as conn:
        return int(conn.execute(sql).fetchone()[0])


def articles(count: int) -> list[str]:
    """``count`` distinct articles (so each is a check of its own)."""
    base = (CORPUS / "en-webb-telescope.txt").read_text(encoding="utf-8")
    return [f"{base}\nReport number {n}: the observatory logged {n + 100} new targets."
            for n in range(count)]


def answered_once(server: DiscordServer, itx) -> bool:
    message = server.original(itx)
    return bool(message and message["embeds"])


def edits_of(server: DiscordServer, itx) -> int:
    """The answer's edits of the deferred message (progress lines are not the answer)."""
    return len(original_edits(server, itx.token))


async def test_a_job_of_a_killed_worker_is_run_again_by_another_and_answered_once(
        tmp_path, postgres_url, discord_server: DiscordServer, llm_server: LLMServer):
    # Slow models: the worker is surely in the middle of its checks when it is killed.
    for model in ("writer-model", "a-model", "b-model"):
        llm_server.add(model, latency=3.0)
    settings, env = queue_settings(tmp_path, discord_server, llm_server, postgres_url)
    async with gateway(settings):
        itxs = [await discord_server.slash("check", {"text": text, "languages": "en"})
                for text in articles(3)]
        with workers(env, 1, "--concurrency", "3", *FAST_RECOVERY, log_dir=tmp_path) as first:
            await until(lambda: scalar(postgres_url, "select count(*) from procrastinate_jobs "
                                       "where status = 'doing'") == 3, "the jobs started")
            first[0].kill()  # SIGKILL: no goodbye, its jobs stay 'doing'
            first[0].wait()
        assert not any(answered_once(discord_server, i) for i in itxs)
        second = tmp_path / "second"
        second.mkdir()
        with workers(env, 1, "--concurrency", "3", *FAST_RECOVERY, log_dir=second):
            await until(lambda: all(answered_once(discord_server, i) for i in itxs),
                        "every interaction answered")
            await until(lambda: scalar(postgres_url, "select count(*) from procrastinate_jobs "
                                       "where status = 'succeeded'") == 3, "the jobs done")
    assert scalar(postgres_url, "select count(*) from checks") == 3
    assert [edits_of(discord_server, i) for i in itxs] == [1, 1, 1]
    assert all(discord_server.followups(i) == [] for i in itxs)
    assert discord_server.messages(CHANNEL_ID) == [discord_server.original(i) for i in itxs]


async def test_a_due_digest_is_posted_once_with_two_schedulers(
        tmp_path, postgres_url, discord_server: DiscordServer):
    settings, env = queue_settings(tmp_path, discord_server, None, postgres_url)
    async with gateway(settings) as bot, JobQueue(postgres_url) as queue:
        # Subscribed two hours ago: the last hour's digest is due now.
        await subscribe(bot.app, str(GUILD_ID), str(CHANNEL_ID), "hourly", "UTC", ("en",),
                        utc_now() - timedelta(hours=2), post_empty=True)
        async with DiscordREST("fake-token", discord_server.api_base) as rest:
            schedulers = [Scheduler(bot.app, rest, queue=queue) for _ in range(2)]
            await asyncio.gather(*(s.start() for s in schedulers))  # both catch up at once
            for scheduler in schedulers:
                await scheduler.post_digest(1)  # and both wake for the subscription
                scheduler.shutdown()
        waiting = scalar(postgres_url, "select count(*) from procrastinate_jobs "
                         "where task_name = 'parallax.due_digests'")
        assert waiting == 1  # the queueing lock: one job waits, whoever enqueued it
        with workers(env, 2, log_dir=tmp_path):
            await until(lambda: scalar(postgres_url, "select count(*) from procrastinate_jobs "
                                       "where status not in ('succeeded', 'failed')") == 0
                        and scalar(postgres_url, "select count(*) from digest_runs") > 0,
                        "the digest jobs done")
    assert scalar(postgres_url, "select count(*) from procrastinate_jobs "
                  "where status = 'failed'") == 0
    posts = discord_server.messages(CHANNEL_ID)
    assert len(posts) == scalar(postgres_url, "select count(*) from digest_runs "
                                "where status = 'posted'") == 1


@pytest.mark.parametrize("drain", ["60", "0.2"])
async def test_sigterm_drains_a_worker_its_job_finishes_or_goes_back(
        drain, tmp_path, postgres_url, discord_server: DiscordServer, llm_server: LLMServer):
    for model in ("writer-model", "a-model", "b-model"):
        llm_server.add(model, latency=1.5)
    settings, env = queue_settings(tmp_path, discord_server, llm_server, postgres_url)
    async with gateway(settings):
        itx = await discord_server.slash("check", {"text": articles(1)[0], "languages": "en"})
        with workers(env, 1, "--drain-timeout", drain, log_dir=tmp_path) as first:
            await until(lambda: scalar(postgres_url, "select count(*) from procrastinate_jobs "
                                       "where status = 'doing'"), "the job started")
            first[0].send_signal(signal.SIGTERM)
            await asyncio.to_thread(first[0].wait, 120)
        status = scalar(postgres_url, "select count(*) from procrastinate_jobs "
                        "where status = 'succeeded'")
        if drain == "60":  # time enough: the job finished before the worker left
            assert status == 1 and answered_once(discord_server, itx)
        else:  # cut short: back in the queue, for the next worker
            assert status == 0 and not answered_once(discord_server, itx)
            assert scalar(postgres_url, "select count(*) from procrastinate_jobs "
                          "where status = 'todo'") == 1
            second = tmp_path / "second"
            second.mkdir()
            with workers(env, 1, log_dir=second):
                await until(lambda: answered_once(discord_server, itx), "the answer")
    assert scalar(postgres_url, "select count(*) from checks") == 1
    assert edits_of(discord_server, itx) == 1

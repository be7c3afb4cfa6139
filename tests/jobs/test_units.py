"""The queue's parts on their own: retries, REST components, shard ids, the schema, status."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import discord
import psycopg
import pytest
from click.testing import CliRunner
from procrastinate.jobs import Job

from bot.cli import cli
from bot.discord_app.client import parse_shards
from bot.discord_app.cogs.check import DetailsButton
from bot.discord_app.cogs.review import card_view
from bot.discord_rest import DiscordUnavailable
from bot.errors import ConfigError, FetchError, InputError, LimitError, StoreError
from bot.jobs.queue import JobKind, JobQueue, queue_url
from bot.jobs.retry import CappedBackoff
from bot.jobs.schema import apply_schema
from bot.present.components import details_components, review_components
from bot.present.queue_status import status_lines


def job(attempts: int) -> Job:
    return Job(id=1, queue="default", lock=None, queueing_lock=None, task_name="t",
               attempts=attempts)


def test_transient_failures_back_off_exponentially_up_to_the_cap():
    strategy = CappedBackoff(max_attempts=10, base=2.0, cap=30.0)
    assert [strategy.delay(n) for n in range(6)] == [2.0, 4.0, 8.0, 16.0, 30.0, 30.0]
    decision = strategy.get_retry_decision(exception=DiscordUnavailable("5xx"), job=job(1))
    assert decision is not None and decision.retry_at is not None
    assert strategy.get_retry_decision(exception=StoreError("gone"), job=job(9)) is None


@pytest.mark.parametrize("error", [InputError("bad url"), FetchError("404"),
                                   LimitError("budget"), ValueError("a bug")])
def test_a_users_mistake_or_a_bug_is_not_retried(error):
    assert CappedBackoff().get_retry_decision(exception=error, job=job(0)) is None


def test_a_job_cut_short_by_a_drain_goes_back_at_once():
    decision = CappedBackoff().get_retry_decision(exception=asyncio.CancelledError(),
                                                  job=job(3))
    assert decision is not None  # back to the queue, for another worker


def test_rest_components_are_the_gateways_own_buttons():
    """A card a worker posts is pressed on a gateway: same ids, labels and styles."""
    view = card_view("0123456789abcdef-2", "fr")
    assert review_components("0123456789abcdef-2", "fr") == view.to_components()
    details = discord.ui.View(timeout=None)
    details.add_item(DetailsButton("0123456789abcdef", "Details"))
    assert details_components("0123456789abcdef", "en") == details.to_components()


@pytest.mark.parametrize(("text", "ids"), [("0-3", [0, 1, 2, 3]), ("4,6", [4, 6]),
                                           ("0-1,7", [0, 1, 7]), ("15", [15])])
def test_shard_ids(text, ids):
    assert parse_shards(text, 16) == ids


@pytest.mark.parametrize("text", ["16", "3-1", "a", "0-", "-2", ""])
def test_bad_shard_ids_are_one_line(text):
    with pytest.raises(InputError, match="--shards"):
        parse_shards(text, 16)


def test_the_queue_needs_postgres(tmp_path):
    with pytest.raises(ConfigError, match="needs a Postgres database"):
        queue_url(tmp_path / "p.db")
    runner = CliRunner()
    env = {"PARALLAX_DATABASE": str(tmp_path / "p.db"), "DISCORD_TOKEN": "x"}
    for args in (["run", "--gateway-only"], ["worker"], ["status"]):
        result = runner.invoke(cli, args, env=env)
        assert result.exit_code == 2, args
        assert result.output.count("\n") == 1 and "Postgres" in result.output
    result = runner.invoke(cli, ["run", "--shards", "0-1"], env=env)
    assert result.exit_code == 2 and "go together" in result.output


def test_the_schema_is_applied_once_when_processes_start_together(postgres_server):
    url = postgres_server.database(migrated=False)
    with ThreadPoolExecutor(4) as pool:
        created = list(pool.map(apply_schema, [url] * 4))
    assert sorted(created) == [False, False, False, True]
    assert apply_schema(url) is False
    with psycopg.connect(url) as conn:
        assert conn.execute("select count(*) from procrastinate_jobs").fetchone() == (0,)


async def test_status_counts_waiting_and_failed_jobs(postgres_url):
    async with JobQueue(postgres_url) as queue:
        await queue.defer(JobKind.POLL_FEEDS, {})
        failed = await queue.defer(JobKind.DUE_DIGESTS, {})
        async with queue.pool.connection() as conn:
            await conn.execute("update procrastinate_jobs set status = 'failed' where id = %s",
                               (failed,))
        counts = await queue.counts()
    assert (counts.waiting, counts.running, counts.failed) == (1, 0, 1)
    assert counts.by_task == {"parallax.poll_feeds": {"todo": 1},
                              "parallax.due_digests": {"failed": 1}}
    lines = status_lines(counts)
    assert "1 waiting" in lines[1] and "1 failed" in lines[1]
    result = await asyncio.to_thread(CliRunner().invoke, cli, ["status"],
                                     env={"PARALLAX_DATABASE": postgres_url})
    assert result.exit_code == 0 and "parallax.due_digests: failed 1" in result.output


async def test_a_queueing_lock_lets_one_job_wait(postgres_url):
    async with JobQueue(postgres_url) as queue:
        first = await queue.defer(JobKind.POLL_FEEDS, {}, queueing_lock="q")
        second = await queue.defer(JobKind.POLL_FEEDS, {}, queueing_lock="q")
    assert first is not None and second is None

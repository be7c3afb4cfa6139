"""Queue mode's feeds: a poll hands each new entry over as a job of its own, in one
transaction with its status; worker processes fetch, store and check each entry once,
through a SIGKILL, and try an incomplete check again. Real Postgres, real workers, the
loopback site and model server; conditions polled with generous deadlines."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import psycopg
import pytest

from bot.app import App, build_app
from bot.jobs.handoff import entry_lock, hand_over_entries, release_orphans
from bot.jobs.queue import JobKind, JobQueue
from bot.polling import follow_feed, poll_feed
from bot.records import Feed
from bot.schedules import utc_now
from bot.store.feeds import EntryStatus, get_feed
from tests.fakes.discord_server import GUILD_ID, DiscordServer
from tests.fakes.http_server import HTTPServer
from tests.fakes.llm_server import Fault, LLMServer
from tests.jobs.processes import queue_settings, until, workers

CORPUS = Path(__file__).resolve().parents[1] / "data" / "corpus"
RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Tribune</title><link>{base}/</link>{items}</channel></rss>"""
ITEM = "<item><title>{path}</title><link>{base}{path}</link><guid>{path}</guid></item>"
PAGES = {"/webb.txt": "en-webb-telescope.txt", "/rhein.txt": "de-rhein.txt",
         "/prado.txt": "es-museo-prado.txt"}
FAST_RECOVERY = ("--stalled-after", "2")  # seconds; the default 30 would only make it slow


def scalar(url: str, sql: str, params: tuple = ()) -> int:
    with psycopg.connect(url) as conn:
        return int(conn.execute(sql, params).fetchone()[0])


def statuses(url: str) -> dict[str, str]:
    with psycopg.connect(url) as conn:
        return dict(conn.execute("select title, status from feed_entries").fetchall())


@dataclass
class QueuedFeeds:
    app: App
    queue: JobQueue
    web: HTTPServer
    env: dict[str, str]
    url: str
    feed: Feed

    def serve(self, *paths: str) -> None:
        base = self.web.url("").rstrip("/")
        items = "".join(ITEM.format(base=base, path=p) for p in paths)
        self.web.page("/feed.xml", RSS.format(base=base, items=items), "application/rss+xml")

    async def due(self) -> Feed:
        """The feed, due now (its next poll moved to the past, as time passing would)."""
        with psycopg.connect(self.url) as conn:
            conn.execute("update feeds set next_poll_at = %s",
                         ((utc_now() - timedelta(minutes=1)).isoformat(timespec="seconds"),))
            conn.execute("update feed_entries set retry_at = %s where retry_at is not null",
                         ((utc_now() - timedelta(minutes=1)).isoformat(timespec="seconds"),))
        found = await self.app.store.run(get_feed, self.feed.id)
        assert found is not None
        return found

    def entry_jobs(self, status: str | None = None) -> int:
        return scalar(self.url, "select count(*) from procrastinate_jobs where task_name = %s"
                      + (" and status = %s" if status else ""),
                      (JobKind.FEED_ENTRY.value, *([status] if status else [])))


@pytest.fixture
async def queued(tmp_path, postgres_url, discord_server: DiscordServer,
                 llm_server: LLMServer) -> AsyncIterator[QueuedFeeds]:
    """A checking feed on Postgres with the queue, seeded with one entry two hours ago."""
    for model in ("writer-model", "a-model", "b-model"):
        llm_server.add(model)
    settings, env = queue_settings(tmp_path, discord_server, llm_server, postgres_url)
    async with HTTPServer() as web, build_app(settings) as app, JobQueue(postgres_url) as queue:
        for path, name in PAGES.items():
            web.page(path, (CORPUS / name).read_bytes(), "text/plain")
        world = QueuedFeeds(app, queue, web, env, postgres_url, None)  # type: ignore[arg-type]
        world.serve("/webb.txt")
        world.feed, _ = await follow_feed(app, str(GUILD_ID), web.url("/feed.xml"), True, 15,
                                          utc_now() - timedelta(hours=2))
        yield world


async def hand_over(queued: QueuedFeeds) -> int:
    async def give(_feed: Feed, entries: list[dict]) -> int:
        return await hand_over_entries(queued.queue, entries)

    outcome = await poll_feed(queued.app, await queued.due(), utc_now(), hand_over=give)
    return outcome.queued


async def test_a_poll_hands_each_new_entry_over_as_a_job_once(queued: QueuedFeeds):
    queued.serve("/webb.txt", "/rhein.txt", "/prado.txt")
    assert await hand_over(queued) == 2
    assert statuses(queued.url) == {"/webb.txt": "seen", "/rhein.txt": "queued",
                                    "/prado.txt": "queued"}
    with psycopg.connect(queued.url) as conn:
        handed = conn.execute(
            "select e.id, j.queueing_lock, j.args->>'entry_id', j.status from feed_entries e "
            "join procrastinate_jobs j on j.id = e.job_id order by e.id").fetchall()
    assert [(lock, int(arg), status) for _, lock, arg, status in handed] == [
        (entry_lock(entry_id), entry_id, "todo") for entry_id, *_ in handed]
    assert [r.path for r in queued.web.requests].count("/rhein.txt") == 0  # for the workers
    # The next poll finds nothing waiting; stale rows handed over again change nothing.
    assert await hand_over(queued) == 0
    stale = [{"id": i, "status": "pending", "canonical_link": None, "link": None}
             for i, *_ in handed]
    assert await hand_over_entries(queued.queue, stale) == 0
    assert queued.entry_jobs() == 2


async def test_a_crash_between_recording_and_handing_over_leaves_entries_pending(
        queued: QueuedFeeds):
    queued.serve("/webb.txt", "/rhein.txt")

    async def crash(_feed: Feed, _entries: list[dict]) -> int:
        raise ConnectionError("the process died here")

    with pytest.raises(ConnectionError):
        await poll_feed(queued.app, await queued.due(), utc_now(), hand_over=crash)
    assert statuses(queued.url)["/rhein.txt"] == "pending" and queued.entry_jobs() == 0
    assert await hand_over(queued) == 1  # the next poll hands it over
    assert statuses(queued.url)["/rhein.txt"] == "queued" and queued.entry_jobs() == 1


async def test_an_entry_whose_job_failed_for_good_is_handed_over_again(queued: QueuedFeeds):
    queued.serve("/webb.txt", "/rhein.txt")
    assert await hand_over(queued) == 1
    assert await release_orphans(queued.queue, queued.feed.id) == []  # its job waits
    with psycopg.connect(queued.url) as conn:
        conn.execute("update procrastinate_jobs set status = 'failed'")
    assert len(await release_orphans(queued.queue, queued.feed.id)) == 1
    assert statuses(queued.url)["/rhein.txt"] == EntryStatus.PENDING
    assert await hand_over(queued) == 1 and queued.entry_jobs("todo") == 1


async def poll_on_a_worker(queued: QueuedFeeds) -> None:
    await queued.due()
    await queued.queue.defer(JobKind.POLL_FEED, {"feed_id": queued.feed.id})


def settled(queued: QueuedFeeds, *titles: str, status: str = "ingested") -> bool:
    found = statuses(queued.url)
    done = queued.entry_jobs() == queued.entry_jobs("succeeded")
    return done and all(found.get(t) == status for t in titles)


async def test_workers_check_each_entry_as_its_own_job(tmp_path, queued: QueuedFeeds,
                                                       llm_server: LLMServer):
    queued.serve("/webb.txt", "/rhein.txt", "/prado.txt")
    await poll_on_a_worker(queued)
    with workers(queued.env, 2, log_dir=tmp_path):
        await until(lambda: settled(queued, "/rhein.txt", "/prado.txt"), "both entries")
    assert queued.entry_jobs("succeeded") == 2
    assert scalar(queued.url, "select count(*) from checks where status = 'complete'") == 2
    assert scalar(queued.url, "select count(*) from procrastinate_jobs "
                  "where status = 'failed'") == 0


async def test_an_incomplete_check_is_tried_again_by_a_later_poll_on_a_worker(
        tmp_path, queued: QueuedFeeds, llm_server: LLMServer):
    queued.serve("/webb.txt", "/rhein.txt")
    for model in ("a-model", "b-model"):  # every panel model down for the first check
        llm_server.fail(model, Fault.status_code(401, "invalid x-api-key"))
    await poll_on_a_worker(queued)
    with workers(queued.env, 1, log_dir=tmp_path):
        await until(lambda: settled(queued, "/rhein.txt", status="incomplete"),
                    "the incomplete check")
        summaries = len(llm_server.calls("writer-model", "/v1/messages"))
        await poll_on_a_worker(queued)  # a feed interval later
        await until(lambda: settled(queued, "/rhein.txt"), "the check tried again")
    assert scalar(queued.url, "select count(*) from checks") == 2
    assert scalar(queued.url, "select count(*) from checks where status = 'complete'") == 1
    assert len(llm_server.calls("writer-model", "/v1/messages")) == summaries  # kept
    assert scalar(queued.url, "select checks from feed_entries where title = '/rhein.txt'") == 1
    assert queued.entry_jobs("succeeded") == 2


async def test_an_entry_job_of_a_killed_worker_runs_again_and_stores_one_report(
        tmp_path, queued: QueuedFeeds, llm_server: LLMServer):
    # Slow enough to be killed mid-check, well within the models' 5 s timeout.
    for model in ("writer-model", "a-model", "b-model"):
        llm_server.add(model, latency=1.5)
    queued.serve("/webb.txt", "/rhein.txt")
    await poll_on_a_worker(queued)
    with workers(queued.env, 1, *FAST_RECOVERY, log_dir=tmp_path) as first:
        await until(lambda: queued.entry_jobs("doing") == 1 and llm_server.calls(),
                    "the entry's check started")
        first[0].kill()  # SIGKILL: its job stays 'doing', its entry 'queued'
        first[0].wait()
    assert statuses(queued.url)["/rhein.txt"] == "queued"
    second = tmp_path / "second"
    second.mkdir()
    with workers(queued.env, 1, *FAST_RECOVERY, log_dir=second):
        await until(lambda: settled(queued, "/rhein.txt"), "the entry checked")
    assert scalar(queued.url, "select count(*) from checks") == 1
    assert scalar(queued.url, "select count(*) from articles") == 1

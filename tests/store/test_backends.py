"""The store's guarantees, once on SQLite and once on Postgres (the ``database`` fixture).

A check written in one transaction and read back, nothing left by bad input, two writers
checking one text at once storing one check, a digest period and its articles claimed once
by racing writers, one subscription per channel, and one-line store errors.
"""

from __future__ import annotations

import asyncio
import functools
import socket
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import pytest

from bot.app import build_app
from bot.config import ModelConfig
from bot.errors import EmptyArticleError, StoreError
from bot.pipeline import check_article, check_text
from bot.present.json import report_dict
from bot.providers import CompletionRequest
from bot.providers.offline import OfflineProvider
from bot.records import Review, ReviewAction
from bot.store import Store, insert_rows
from bot.store.articles import latest_review, load_check, save_article
from bot.store.calls import table_counts, usage_by_model_day
from bot.store.digests import claim_digest, claim_run, save_subscription
from bot.store.feeds import add_feed, entries_of, entry_done, record_entries
from bot.store.guilds import guild_settings, spent_today, typical_check_cost
from bot.store.postgres import store_error
from bot.store.reviews import claim_card_posted, pending_claims, pending_count, record_review
from tests.conftest import ROOT
from tests.search.test_archive import STORIES

WRITERS = 4  # stores on one database at once: each is what another process would hold


def without_ids(report: dict) -> dict:
    """A report as plain data, less what differs between two checks of one text (ids,
    timings, and the order in which concurrent searches finished)."""
    searches = sorted(({**s, "latency_ms": None} for s in report["searches"]), key=str)
    return {**report, "claims": [{**c, "id": None} for c in report["claims"]],
            "article": {**report["article"], "id": None}, "cached": None, "panel": None,
            "searches": searches}


async def test_a_check_is_written_once_and_read_back(offline_settings, database, corpus):
    settings = offline_settings.model_copy(update={"database": database})
    async with build_app(settings) as app:
        first = await check_article(str(corpus / "fr-ai-safety.txt"), app, ("fr", "en"))
        counts = await app.store.run(table_counts)
        again = await check_article(str(corpus / "fr-ai-safety.txt"), app, ("fr", "en"))
        stored = await app.store.run(load_check, first.check_id)
        assert await app.store.run(table_counts) == counts  # the stored answer: nothing written
        usage = await app.store.run(usage_by_model_day)
    assert again.cached and again.check_id == first.check_id
    assert report_dict(stored) == report_dict(again)
    assert without_ids(report_dict(stored)) == without_ids(report_dict(first))
    assert counts["checks"] == 1 and counts["articles"] == 1
    assert counts["claims"] == len(first.claims) and counts["model_calls"] == 3
    assert [(u["name"], u["calls"], u["errors"]) for u in usage] == [("offline", 3, 0)]


async def test_bad_input_writes_nothing(offline_settings, database, corpus):
    async with build_app(offline_settings.model_copy(update={"database": database})) as app:
        with pytest.raises(EmptyArticleError):
            await check_article(str(corpus / "whitespace-only.txt"), app)
        counts = await app.store.run(table_counts)
    assert set(counts.values()) == {0}


async def test_the_same_check_on_sqlite_and_postgres_gives_the_same_report(
        offline_settings, tmp_path, postgres_url, corpus):
    reports = []
    for database in (tmp_path / "same.db", postgres_url):
        async with build_app(offline_settings.model_copy(update={"database": database})) as app:
            report = await check_article(str(corpus / "de-rhein.txt"), app, ("de", "en"))
            reports.append(report_dict(await app.store.run(load_check, report.check_id)))
    assert without_ids(reports[0]) == without_ids(reports[1])


async def test_two_writers_checking_one_text_at_once_store_one_check(scripted, tmp_path,
                                                                    database, corpus):
    """Two apps on one database (two processes' connections), both past the look-up before
    either stores: one check stands, and both answer with it."""
    text = (corpus / "de-rhein.txt").read_text(encoding="utf-8")
    in_step = asyncio.Barrier(2)
    rules = OfflineProvider(ModelConfig(name="rules", provider="offline"))

    async def offline_in_step(request: CompletionRequest) -> str:
        if request.claims:  # the last call: each check's waits for the other's
            await in_step.wait()
        return (await rules.complete(request)).output.model_dump_json()

    scripted.add("m", respond=offline_in_step)
    settings = scripted.settings(tmp_path, summarize="m", claims="m", panel=["m"])
    settings = settings.model_copy(update={"database": database})
    async with build_app(settings) as first, build_app(settings) as second:
        reports = await asyncio.gather(check_text(text, first), check_text(text, second))
        counts = await first.store.run(table_counts)
    assert reports[0].check_id == reports[1].check_id
    assert sorted(r.cached for r in reports) == [False, True]
    assert counts["checks"] == 1 and counts["articles"] == 1 and counts["model_calls"] == 6


async def stores(database: Path | str, count: int = WRITERS) -> list[Store]:
    return [await Store(database).open() for _ in range(count)]


async def test_a_digest_period_and_its_articles_are_claimed_once(database):
    """Racing schedulers: one claim of a period wins; two periods never list one article."""
    writers = await stores(database)
    try:
        first = writers[0]
        for story in STORIES[:3]:
            await first.run(save_article, story)
        moment = datetime(2026, 12, 1, tzinfo=UTC)
        feed = await first.run(add_feed, "g", "https://feed.example/rss", False, 30, moment)
        assert feed is not None
        assert await first.run(add_feed, "g", "https://feed.example/rss", False, 30, moment) \
            is None  # the server follows it already
        entries = [{"key": s.id, "link": s.source, "canonical_link": s.source, "title": s.title,
                    "published": None} for s in STORIES[:3]]
        ids = await first.run(record_entries, feed.id, entries, "pending", moment)
        assert len(ids) == 3 and await first.run(record_entries, feed.id, entries, "pending",
                                                 moment) == []
        for entry_id, story in zip(ids, STORIES[:3], strict=True):
            await first.run(entry_done, entry_id, "ingested", story.id)
        sub, new = await first.run(save_subscription, "g", "c", "hourly", "UTC", ("en",),
                                   "2000-01-01T00:00:00+00:00")
        assert new
        until = "2999-01-01T00:00:00+00:00"
        same = await asyncio.gather(*(w.run(claim_digest, sub, "p1", f"n{i}", until)
                                      for i, w in enumerate(writers)))
        winners = [items for items in same if items is not None]
        assert len(winners) == 1 and sorted(winners[0]) == sorted(s.id for s in STORIES[:3])
        assert not any(await asyncio.gather(*(w.run(claim_run, sub.id, "p1", "late")
                                              for w in writers)))
        later = await first.run(claim_digest, sub, "p2", "n", until)
        assert later == []  # every article was listed by p1: none twice
        listed = await first.run(entries_of, feed.id)
        assert {e.digests for e in listed} == {("subscription 1 (p1)",)}
    finally:
        for writer in writers:
            await writer.close()


async def test_a_channel_subscribed_by_racing_writers_has_one_subscription(database):
    writers = await stores(database)
    try:
        results = await asyncio.gather(*(
            w.run(save_subscription, "g", "c", "daily@08:00", "UTC", ("fr",), "2026-01-01")
            for w in writers))
    finally:
        for writer in writers:
            await writer.close()
    assert sorted(new for _, new in results) == [False] * (WRITERS - 1) + [True]
    assert len({sub.id for sub, _ in results}) == 1


async def test_review_cards_are_posted_once_and_decisions_kept(offline_settings, database, corpus):
    async with build_app(offline_settings.model_copy(update={"database": database})) as app:
        report = await check_article(str(corpus / "en-webb-telescope.txt"), app, ("en",))
        run = app.store.run
        claims = [r.claim.id for r in report.claims[:2]]
        for claim in claims:
            assert await run(claim_card_posted, claim, "g", "mods", None, "abstained")
            assert not await run(claim_card_posted, claim, "g", "mods", None, "abstained")
        assert [r["claim_id"] for r in await run(pending_claims, "g")] == claims[::-1]
        review = Review(claims[0], "g", "mod", ReviewAction.ACCURATE, "", "2026-01-01T00:00:00")
        await run(record_review, review)
        assert await run(pending_count, "g") == 1
        assert await run(latest_review, claims[0], "g") == review
        assert await run(latest_review, claims[0], "other") is None
        assert (await run(guild_settings, "g")).guild_id == "g"
        assert await run(spent_today, "g") == 0.0 and await run(typical_check_cost, "g") == 0.0


async def test_a_failing_job_writes_nothing(store):
    def half_then_fail(db):
        with db.atomic():
            insert_rows(db, "guild_settings", [{"guild_id": "g", "languages": "[]"}])
            raise ValueError("the job's own bug")

    with pytest.raises(ValueError, match="own bug"):
        await store.run(half_then_fail)
    assert (await store.run(table_counts))["guild_settings"] == 0
    with pytest.raises(StoreError) as caught:
        await store.run(lambda db: db.execute("select * from no_such_table"))
    assert "\n" not in caught.value.reason and "no_such_table" in caught.value.reason


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.parametrize(("url", "expected"), [
    ("postgresql://postgres:s3cret@127.0.0.1:{free}/parallax", "cannot reach the database server"),
    ("{server}/no_such_database", "no database at"),
    ("postgresql://nobody:s3cret@{host}/postgres", "refused the login"),
])
async def test_postgres_failures_are_one_line_store_errors(postgres_server, url, expected):
    base = postgres_server.cluster.base_url.rsplit("/", 1)[0]
    url = url.format(free=_free_port(), server=base, host=base.split("@", 1)[1])
    with pytest.raises(StoreError) as caught:
        await Store(url).open()
    reason = caught.value.reason
    assert expected in reason and "\n" not in reason and "s3cret" not in reason


def test_a_full_disk_on_the_server_names_itself():
    full = psycopg.errors.DiskFull("could not extend file: No space left on device")
    reason = store_error(full, "postgresql://u:pw@db.example:5432/parallax").reason
    assert reason.startswith("disk full on the database server postgresql://u@db.example:5432")
    assert "pw" not in reason


def test_the_command_line_on_postgres(postgres_url, corpus, tmp_path):
    """`--db URL` checks into Postgres and reads it back; a refused server is one line."""
    run = functools.partial(subprocess.run, capture_output=True, text=True, timeout=120,
                            cwd=tmp_path, env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)})
    checked = run([sys.executable, "-m", "bot.cli", "check", str(corpus / "es-museo-prado.txt"),
                   "--offline", "--json", "--db", postgres_url])
    assert checked.returncode == 0, checked.stderr
    stats = run([sys.executable, "-m", "bot.cli", "db", "stats", "--db", postgres_url])
    assert stats.returncode == 0, stats.stderr
    counts = dict(line.split() for line in stats.stdout.splitlines()[1:])
    assert counts["articles"] == "1" and counts["checks"] == "1"
    refused = f"postgresql://parallax:s3cret@127.0.0.1:{_free_port()}/parallax"
    failed = run([sys.executable, "-m", "bot.cli", "db", "stats", "--db", refused])
    assert failed.returncode == 1 and "Traceback" not in failed.stderr
    assert failed.stderr.count("\n") == 1 and "cannot reach the database server" in failed.stderr
    assert "s3cret" not in failed.stderr and not list(tmp_path.iterdir())  # no file made

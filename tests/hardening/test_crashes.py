"""Faults and crashes: the process killed (SIGKILL) in the middle of a check, a feed poll and a
digest post; the database locked by another process or its disk full; Discord unreachable at
start. After each, the database passes ``PRAGMA integrity_check``, holds no half-written
article, and the interrupted work completes exactly once.

Every crash is a real ``python -m bot.cli …`` process killed with SIGKILL by the test, against
the loopback model server, web site and Discord.

Nothing here depends on the machine's speed: the test waits for events (a request arrived, a
write transaction open), a slow model or page is slow for longer than any test runs, and the
timeouts are safety nets against a hang, generous enough for a machine busy with other work.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import itertools
import logging
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
from aiohttp import web

from bot.app import build_app
from bot.config import load_settings
from bot.digest import subscribe
from bot.discord_app.client import retry_delays, wait_for_discord
from bot.discord_rest import DiscordREST, DiscordUnavailable
from bot.errors import StoreError
from bot.pipeline import check_article
from bot.polling import follow_feed, poll_due
from bot.schedules import utc_now
from bot.store import Store
from bot.store.calls import table_counts
from tests.fakes.discord_server import CHANNEL_ID, GUILD_ID, DiscordServer
from tests.fakes.http_server import HTTPServer
from tests.fakes.llm_server import LLMServer

T = TypeVar("T")
HANG_GUARD = 300.0  # seconds: a command that takes longer is hung, however busy the machine
ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "data" / "corpus"
KEY = "sk-crash-SECRET-7731"
TOKEN = "discord-token-SECRET-9182"
GUILD = str(GUILD_ID)

# Whole-database invariants: no row without the rows it belongs to (no half-written check).
ORPHANS = {
    "article without a check":
        "select count(*) from articles a where not exists "
        "(select 1 from checks c where c.article_id = a.id)",
    "check without summaries":
        "select count(*) from checks c where not exists "
        "(select 1 from summaries s where s.check_id = c.id)",
    "summary without its check":
        "select count(*) from summaries s where not exists "
        "(select 1 from checks c where c.id = s.check_id)",
    "claim without its check":
        "select count(*) from claims l where not exists "
        "(select 1 from checks c where c.id = l.check_id)",
    "verdict without its claim":
        "select count(*) from verdicts v where not exists "
        "(select 1 from claims l where l.id = v.claim_id)",
}


# A database trigger that keeps a write transaction busy for seconds (a slow disk, on demand):
# the test's instrument for killing a process inside a transaction, not between two.
BALLAST = """
create table ballast (x integer);
insert into ballast with recursive c(x) as (select 1 union all select x + 1 from c limit 8000)
    select x from c;
"""
STALL = "select count(*) from ballast a, ballast b where a.x + b.x < 0;"
UNSTALL = "drop trigger stall; drop table ballast;"


# -- helpers ------------------------------------------------------------------------------


async def spawn(cwd: Path, *args: str, **env: str) -> asyncio.subprocess.Process:
    """``parallax ARGS`` as its own process, in ``cwd`` (where its parallax.toml is)."""
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", *args, cwd=cwd,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), **env})


async def parallax(cwd: Path, *args: str, **env: str) -> tuple[int, str, str]:
    """Run ``parallax ARGS`` to its end: exit status, stdout, stderr."""
    proc = await spawn(cwd, *args, **env)
    out, err = await asyncio.wait_for(proc.communicate(), HANG_GUARD)
    return proc.returncode or 0, out.decode(), err.decode()


async def kill9(proc: asyncio.subprocess.Process) -> str:
    """SIGKILL the process (no cleanup, no atexit, nothing flushed); its stderr so far."""
    proc.kill()
    _, err = await asyncio.wait_for(proc.communicate(), HANG_GUARD)
    assert proc.returncode == -signal.SIGKILL
    return err.decode()


@contextlib.asynccontextmanager
async def reaped(proc: asyncio.subprocess.Process) -> AsyncIterator[asyncio.subprocess.Process]:
    """Make sure a process started by the test does not outlive it."""
    try:
        yield proc
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.communicate()


async def until(predicate: Callable[[], T], proc: asyncio.subprocess.Process | None = None,
                timeout: float = HANG_GUARD, what: str = "the condition") -> T:  # noqa: ASYNC109
    """Poll ``predicate`` until it is truthy; fail early if ``proc`` exits meanwhile."""
    deadline = time.monotonic() + timeout
    while not (value := predicate()):
        if proc is not None and proc.returncode is not None:
            _, err = await proc.communicate()
            raise AssertionError(f"the process exited ({proc.returncode}) before {what}: "
                                 f"{err.decode()[-2000:]}")
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.02)
    return value


def query(db: Path, sql: str, *params: Any) -> list[tuple]:
    """Read the database as another process would (WAL: never blocked by a writer)."""
    with contextlib.closing(sqlite3.connect(db, timeout=10)) as conn:
        return conn.execute(sql, params).fetchall()


def scalar(db: Path, sql: str, *params: Any) -> Any:
    return query(db, sql, *params)[0][0]


def assert_whole(db: Path) -> None:
    """The file is sound and every check is all there or not there at all."""
    assert scalar(db, "PRAGMA integrity_check") == "ok"
    assert query(db, "PRAGMA foreign_key_check") == []
    for what, sql in ORPHANS.items():
        assert scalar(db, sql) == 0, what


def writing(db: Path) -> bool:
    """Whether another connection holds the write lock (is inside a write transaction)."""
    with contextlib.closing(sqlite3.connect(db, timeout=0, isolation_level=None)) as conn:
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError:
            return True
        conn.execute("ROLLBACK")
        return False


def one_line_error(err: str) -> str:
    """The single ``parallax: error: …`` line of a failed command (and no traceback)."""
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith("parallax: error: ")
    return lines[0]


def rss(base: str, *paths: str) -> str:
    items = "".join(f"<item><title>Story {p}</title><link>{base}{p}</link><guid>{p}</guid>"
                    f"</item>" for p in paths)
    return f'<rss version="2.0"><channel><title>Tribune</title>{items}</channel></rss>'


def write_config(tmp_path: Path, db: Path, *lines: str) -> Path:
    path = tmp_path / "parallax.toml"
    path.write_text("\n".join([f'database = "{db}"', 'languages = ["en"]', *lines]) + "\n",
                    encoding="utf-8")
    return path


# -- 1. SIGKILL in the middle of a check ---------------------------------------------------


def panel_config(tmp_path: Path, server: LLMServer) -> Path:
    """A writer for summaries and claims and a panel of two, all on the fake model server."""
    lines = []
    for name in ("writer", "fast", "slow"):
        lines += ["[[model]]", f'name = "{name}"', 'provider = "openai"',
                  f'model = "{name}-model"', f'base_url = "{server.openai_url}"',
                  "timeout = 20"]
    lines += ["[pipeline]", 'summarize = "writer"', 'claims = "writer"',
              'panel = ["fast", "slow"]']
    return write_config(tmp_path, tmp_path / "p.db", *lines)


async def test_sigkill_during_a_check_leaves_nothing_half_written(tmp_path, llm_server):
    s, db = llm_server, tmp_path / "p.db"
    s.add("writer-model")
    s.add("fast-model")
    slow = s.add("slow-model")
    panel_config(tmp_path, s)
    calls = lambda model: len(s.calls(model=model, path="/v1/chat/completions"))  # noqa: E731

    # An earlier, complete check: what a fresh check costs, and rows a crash must not harm.
    code, _, err = await parallax(tmp_path, "check", str(CORPUS / "de-rhein.txt"),
                                  OPENAI_API_KEY=KEY)
    assert code == 0, err
    fresh_calls = calls("writer-model")
    assert fresh_calls == 2  # one summary call (every language), one claims call

    article = str(CORPUS / "en-webb-telescope.txt")
    webb_rows = "select count(*) from articles where source = ?"

    # Killed while a panel model is still thinking (summaries and claims are in memory): it
    # thinks for longer than the test runs, so the kill comes first however slow the machine.
    slow.latency, asked = HANG_GUARD, calls("slow-model")
    async with reaped(await spawn(tmp_path, "check", article, OPENAI_API_KEY=KEY)) as proc:
        await until(lambda: calls("slow-model") > asked, proc, what="the verification request")
        await kill9(proc)
    assert calls("writer-model") == 2 * fresh_calls  # it was that far
    assert_whole(db)
    assert scalar(db, webb_rows, article) == 0
    assert scalar(db, "select count(*) from checks") == 1  # the earlier check, intact

    # Killed inside the transaction that stores the check: a trigger (the test's instrument)
    # stalls it after the article and check rows are written, before the claims.
    slow.latency = 0.0
    with contextlib.closing(sqlite3.connect(db)) as conn:
        conn.executescript(BALLAST + f"create trigger stall after insert on checks "
                                     f"begin {STALL} end;")
    async with reaped(await spawn(tmp_path, "check", article, OPENAI_API_KEY=KEY)) as proc:
        await until(lambda: writing(db), proc, what="the check's write transaction")
        assert scalar(db, webb_rows, article) == 0  # not visible before it commits
        await kill9(proc)
    with contextlib.closing(sqlite3.connect(db)) as conn:
        conn.executescript(UNSTALL)
    assert_whole(db)
    assert scalar(db, webb_rows, article) == 0
    assert scalar(db, "select count(*) from checks") == 1

    slow.latency = 0.0
    before = calls("writer-model")
    code, out, err = await parallax(tmp_path, "check", article, "--json",
                                    OPENAI_API_KEY=KEY)
    assert code == 0, err
    assert calls("writer-model") - before == fresh_calls  # a plain fresh check: nothing half-reused
    assert '"consensus"' in out
    assert_whole(db)
    checks = query(db, "select c.id from checks c join articles a on a.id = c.article_id "
                       "where a.source = ?", article)
    assert len(checks) == 1
    claims = query(db, "select id from claims where check_id = ?", checks[0][0])
    assert claims
    for (claim_id,) in claims:  # every claim carries both panel models' verdicts
        models = {m for (m,) in query(db, "select model from verdicts where claim_id = ?",
                                      claim_id)}
        assert models == {"fast", "slow"}

    # Checking it again finds the stored report: no model call, no second check.
    requests = len(s.requests)
    code, _, err = await parallax(tmp_path, "check", article, OPENAI_API_KEY=KEY)
    assert code == 0, err
    assert len(s.requests) == requests
    assert scalar(db, "select count(*) from checks") == 2


# -- 2. SIGKILL in the middle of a feed poll -----------------------------------------------


async def test_sigkill_during_a_feed_poll_then_every_entry_ingested_once(tmp_path):
    db = tmp_path / "p.db"
    # The trickling page must still be arriving when the process is killed: the fetch's
    # time limit is the largest allowed, not the 20 s default a busy machine could reach.
    config = write_config(tmp_path, db, 'allowed_networks = ["127.0.0.1/32"]',
                          "fetch_timeout = 120")
    async with HTTPServer() as web_site:
        base = web_site.url("").rstrip("/")
        web_site.page("/feed.xml", rss(base, "/old"), "application/rss+xml")
        async with build_app(load_settings(path=config, environ={})) as app:
            await follow_feed(app, GUILD, f"{base}/feed.xml", False, 15, utc_now())
        # Four new entries; the first one's page arrives one byte at a time.
        new = ["/slow", "/a", "/b", "/c"]
        web_site.page("/feed.xml", rss(base, "/old", *new), "application/rss+xml")
        web_site.trickle("/slow", interval=0.2)
        for path, name in zip(new[1:], ("de-rhein", "es-museo-prado", "fr-ai-safety"),
                              strict=True):
            web_site.page(path, (CORPUS / f"{name}.txt").read_bytes(), "text/plain")
        # The last entry's page is stored with its summary, then the process is killed inside
        # the transaction that marks the entry done: the window between the two writes.
        with contextlib.closing(sqlite3.connect(db)) as conn:
            conn.executescript(BALLAST + "create trigger stall after update of status on "
                               "feed_entries when new.link like '%/c' and new.status = "
                               f"'ingested' begin {STALL} end;")
        link = lambda path: f"{base}{path}"  # noqa: E731

        async with reaped(await spawn(tmp_path, "feeds", "poll", "--once")) as proc:
            # The stall comes after /c's article is committed (ledger writes are brief).
            await until(lambda: "/slow" in web_site.paths and scalar(
                db, "select count(*) from articles where source = ?", link("/c")) == 1
                and writing(db), proc,
                what="a page trickling while the last entry is being marked done")
            await kill9(proc)

        with contextlib.closing(sqlite3.connect(db)) as conn:
            conn.executescript(UNSTALL)
        assert_whole(db)
        status = dict(query(db, "select link, status from feed_entries"))
        assert status[link("/slow")] == "pending"  # interrupted: still waiting, not lost
        assert status[link("/c")] == "pending"
        assert scalar(db, "select count(*) from articles where source = ?", link("/c")) == 1
        again = [p for p in new if status[link(p)] == "pending"]  # /a and /b: most likely done

        web_site.page("/slow", (CORPUS / "en-webb-telescope.txt").read_bytes(), "text/plain")
        code, out, err = await parallax(tmp_path, "feeds", "poll", "--once")
        assert code == 0, err
        assert "feed 1:" in out

        assert_whole(db)
        statuses = dict(query(db, "select status, count(*) from feed_entries group by status"))
        assert statuses == {"seen": 1, "ingested": 4}
        assert scalar(db, "select count(*) from articles") == 4
        assert scalar(db, "select count(distinct article_id) from feed_entries "
                          "where status = 'ingested'") == 4
        per_article = query(db, "select article_id, count(*) from checks group by article_id")
        assert len(per_article) == 4 and {n for _, n in per_article} == {1}  # /c not redone
        # The restart fetched again only the pages of the entries left pending.
        assert [web_site.paths.count(p) for p in new] == [1 + (p in again) for p in new]


# -- 3. SIGKILL in the middle of a digest post ---------------------------------------------


class HeldDiscord(DiscordServer):
    """The fake Discord, holding the first message POST to the channel forever: after
    creating the message (``land_first``: the answer is lost) or before (nothing posted)."""

    def __init__(self, land_first: bool) -> None:
        super().__init__()
        self.land_first = land_first
        self.holding = asyncio.Event()

    async def _rest(self, request: web.Request) -> web.Response:
        first = not self.holding.is_set()
        if first and request.method == "POST" and request.path.endswith(
                f"/channels/{CHANNEL_ID}/messages"):
            if self.land_first:
                await super()._rest(request)
            self.holding.set()
            await asyncio.Event().wait()  # until the client goes away or the server closes
        return await super()._rest(request)


@pytest.mark.parametrize("land_first", [False, True], ids=["before-posting", "after-posting"])
async def test_sigkill_during_a_digest_post_then_posted_exactly_once(tmp_path, land_first):
    db = tmp_path / "p.db"
    config = write_config(tmp_path, db, 'allowed_networks = ["127.0.0.1/32"]')
    async with HTTPServer() as web_site, HeldDiscord(land_first) as discord:
        base = web_site.url("").rstrip("/")
        web_site.page("/feed.xml", rss(base, "/old"), "application/rss+xml")
        web_site.page("/a", (CORPUS / "de-rhein.txt").read_bytes(), "text/plain")
        web_site.page("/b", (CORPUS / "es-museo-prado.txt").read_bytes(), "text/plain")
        async with build_app(load_settings(path=config, environ={})) as app:
            await follow_feed(app, GUILD, f"{base}/feed.xml", False, 15, utc_now())
            web_site.page("/feed.xml", rss(base, "/old", "/a", "/b"), "application/rss+xml")
            [outcome] = await poll_due(app, utc_now(), everything=True)
            assert outcome.ingested == 2
            await subscribe(app, GUILD, str(CHANNEL_ID), "daily@09:00", "UTC", ("en",))
        env = {"DISCORD_TOKEN": TOKEN, "DISCORD_API_BASE": discord.api_base}
        posts = lambda: [m for m in discord.messages(CHANNEL_ID) if m["embeds"]]  # noqa: E731

        async with reaped(await spawn(tmp_path, "digest", "run", "--now", **env)) as proc:
            await until(discord.holding.is_set, proc, what="the digest's POST")
            err = await kill9(proc)
        assert TOKEN not in err
        assert_whole(db)
        assert query(db, "select status from digest_runs") == [("claimed",)]
        assert len(posts()) == (1 if land_first else 0)

        code, out, err = await parallax(tmp_path, "digest", "run", **env)
        assert code == 0, err
        assert "posted (2 articles)" in out
        assert len(posts()) == 1  # the nonce made Discord return the first message, if any
        assert query(db, "select status, articles from digest_runs") == [("posted", 2)]
        assert_whole(db)


# -- 4. the database locked, the disk full ----------------------------------------------------


async def test_locked_database_is_one_clear_line_then_the_check_succeeds(tmp_path):
    db = tmp_path / "p.db"
    write_config(tmp_path, db)
    async with Store(db):  # created and migrated
        pass
    article = str(CORPUS / "en-webb-telescope.txt")
    holder = sqlite3.connect(db, isolation_level=None)
    try:
        holder.execute("BEGIN EXCLUSIVE")  # another process is writing, and takes its time
        started = time.monotonic()
        code, _, err = await parallax(tmp_path, "check", "--offline", article)
        elapsed = time.monotonic() - started
    finally:
        holder.close()  # rolls the lock holder's transaction back
    assert code == 1
    line = one_line_error(err)
    assert "database is locked" in line and str(db) in line
    assert elapsed >= 4.5  # it waited out the busy timeout (5 s) instead of failing at once
    assert_whole(db)
    assert scalar(db, "select count(*) from articles") == 0

    code, _, err = await parallax(tmp_path, "check", "--offline", article)
    assert code == 0, err
    assert_whole(db)
    assert scalar(db, "select count(*) from checks") == 1


async def test_store_errors_name_the_problem_and_roll_back(tmp_path):
    """In process: a full database (``max_page_count``), a lock held elsewhere (busy timeout
    lowered on this connection only), and a store function failing halfway."""
    db = tmp_path / "p.db"
    settings = load_settings(path=write_config(tmp_path, db), environ={}).offline()
    rhein, prado = str(CORPUS / "de-rhein.txt"), str(CORPUS / "es-museo-prado.txt")
    async with build_app(settings) as app:
        run = app.store.run
        await check_article(rhein, app)
        before = await run(table_counts)
        pages = await run(lambda d: d.execute("PRAGMA page_count").fetchone()[0])
        await run(lambda d: d.execute(f"PRAGMA max_page_count = {pages}"))
        with pytest.raises(StoreError) as full:
            await check_article(prado, app)
        assert full.value.reason.startswith(f"disk full: cannot write {db}")
        assert not await run(lambda d: d.conn.in_transaction)
        after = await run(table_counts)
        # The whole check rolled back; the ledgers keep the calls and searches that were made
        # (they were made: they cost, and the audit trail says so), and the archive's search
        # index of the articles already stored may have grown while it searched.
        ledgers = {"model_calls", "source_calls", "archive_terms"}
        assert {k: v for k, v in after.items() if k not in ledgers} == {
            k: v for k, v in before.items() if k not in ledgers}
        assert after["source_calls"] >= before["source_calls"]
        await run(lambda d: d.execute("PRAGMA max_page_count = 1073741823"))

        await run(lambda d: d.execute("PRAGMA busy_timeout = 200"))
        holder = sqlite3.connect(db, isolation_level=None)
        try:
            holder.execute("BEGIN IMMEDIATE")
            with pytest.raises(StoreError) as locked:
                await check_article(prado, app)
        finally:
            holder.close()
        assert locked.value.reason.startswith("database is locked: another process holds")
        assert await run(table_counts) == after  # nothing written at all: not even a call

        with pytest.raises(StoreError, match="no such table: nowhere"):
            await run(lambda d: d.execute("select * from nowhere"))
        await run(lambda d: d.execute("create table scratch (x)"))

        def half_written(d: Any) -> None:
            d.conn.execute("insert into scratch values (1)")  # opens a transaction implicitly
            raise RuntimeError("a bug between two writes")

        with pytest.raises(RuntimeError):
            await run(half_written)
        assert not await run(lambda d: d.conn.in_transaction)
        assert await run(lambda d: d.execute("select count(*) from scratch").fetchone()[0]) == 0

        report = await check_article(prado, app)  # and the store works on
        assert report.article.source == prado
    assert_whole(db)
    assert scalar(db, "select count(*) from checks") == 2


@contextlib.contextmanager
def tiny_disk(path: Path, size: str = "2m") -> Iterator[Path]:
    """A small tmpfs mounted at ``path`` (root only; the test is skipped elsewhere)."""
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    path.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
                             capture_output=True, check=False)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], capture_output=True, check=False)


def fill(disk: Path) -> Path:
    """Write a file until the disk refuses another byte."""
    filler = disk / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:
        while True:
            os.write(fd, b"\0" * 4096)
    except OSError as exc:
        assert exc.errno == errno.ENOSPC
    finally:
        os.close(fd)
    return filler


async def test_full_disk_is_one_clear_line_and_no_corruption(tmp_path):
    with tiny_disk(tmp_path / "disk") as disk:
        db = disk / "p.db"
        write_config(tmp_path, db)
        code, _, err = await parallax(tmp_path, "check", "--offline",
                                      str(CORPUS / "de-rhein.txt"))
        assert code == 0, err
        filler = fill(disk)
        article = str(CORPUS / "fr-ai-safety.txt")
        code, _, err = await parallax(tmp_path, "check", "--offline", article)
        assert code == 1
        assert "disk full: cannot write" in one_line_error(err)
        filler.unlink()
        assert_whole(db)
        assert scalar(db, "select count(*) from articles") == 1
        code, _, err = await parallax(tmp_path, "check", "--offline", article)
        assert code == 0, err
        assert_whole(db)
        assert scalar(db, "select count(*) from checks") == 2


# -- 5. Discord unreachable at start -------------------------------------------------------


def test_retry_delays_double_up_to_a_minute_with_jitter():
    assert list(itertools.islice(retry_delays(rand=lambda: 0.5), 9)) == [
        1, 2, 4, 8, 16, 32, 60, 60, 60]
    nominal = [1, 2, 4, 8, 16, 32] + [60] * 94
    spread = list(itertools.islice(retry_delays(), 100))
    assert all(0.9 * n <= d <= 1.1 * n for d, n in zip(spread, nominal, strict=True))
    assert len({round(d, 6) for d in spread[6:]}) > 1  # not in step with other bots


def free_port() -> int:
    """A port nothing listens on (yet): connecting to it is refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Relay:
    """Discord "coming back" on a port: a TCP relay from ``port`` to the fake Discord."""

    def __init__(self, port: int, target: DiscordServer) -> None:
        self.port, self.target_port = port, int(target.url.rsplit(":", 1)[1])
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self._tasks: set[asyncio.Task[None]] = set()

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._relay, "127.0.0.1", self.port)

    async def _relay(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)  # type: ignore[arg-type]
        up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.target_port)
        self._writers |= {writer, up_writer}

        async def pipe(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
            with contextlib.suppress(ConnectionError):
                while data := await src.read(65536):
                    dst.write(data)
                    await dst.drain()
            dst.close()

        try:
            await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))
        finally:
            self._tasks.discard(task)  # type: ignore[arg-type]

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
            for writer in self._writers:
                writer.close()
            for task in list(self._tasks):
                task.cancel()
            await asyncio.gather(*self._tasks, return_exceptions=True)
            await self._server.wait_closed()


async def test_wait_for_discord_backs_off_logs_each_attempt_then_goes_on(discord_server,
                                                                         caplog):
    port = free_port()
    relay = Relay(port, discord_server)
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)
        if len(slept) == 2:  # Discord is back after two refused attempts, but failing (503)
            discord_server.fail_next("GET", r"^/users/@me$", 503)
            await relay.start()

    try:
        async with DiscordREST(TOKEN, api_base=f"http://127.0.0.1:{port}/api/v10") as rest:
            with caplog.at_level(logging.INFO, logger="parallax.discord"):
                await wait_for_discord(rest, retry_delays(rand=lambda: 0.5), sleep)
    finally:
        await relay.close()
    assert slept == [1, 2, 4]
    lines = [r.getMessage() for r in caplog.records if r.name == "parallax.discord"]
    assert len(lines) == 3
    assert all(re.fullmatch(r"Discord unreachable \(.+\); retrying in \d+\.\d s", x)
               for x in lines)
    assert "cannot reach Discord" in lines[0] and "retrying in 1.0 s" in lines[0]
    assert "503" in lines[2] and "retrying in 4.0 s" in lines[2]
    assert TOKEN not in caplog.text
    assert [r.status for r in discord_server.requests if r.path == "/users/@me"] == [503, 200]


async def test_wait_for_discord_with_finite_delays_gives_up_with_the_reason(caplog):
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)

    async with DiscordREST(TOKEN, api_base=f"http://127.0.0.1:{free_port()}/api/v10") as rest:
        with pytest.raises(DiscordUnavailable, match="cannot reach Discord"):
            await wait_for_discord(rest, [0.5, 0.5], sleep)
    assert slept == [0.5, 0.5]  # three attempts, two waits, then the error
    assert caplog.text.count("Discord unreachable") == 2 and TOKEN not in caplog.text


async def collect(stream: asyncio.StreamReader | None, into: list[str]) -> None:
    assert stream is not None
    async for line in stream:
        into.append(line.decode())


async def test_parallax_run_retries_until_discord_is_up_then_connects(tmp_path,
                                                                      discord_server):
    write_config(tmp_path, tmp_path / "p.db")
    port = free_port()
    relay = Relay(port, discord_server)
    err: list[str] = []
    out: list[str] = []
    proc = await spawn(tmp_path, "run", DISCORD_TOKEN=TOKEN,
                       DISCORD_API_BASE=f"http://127.0.0.1:{port}/api/v10",
                       DISCORD_GATEWAY_URL=f"ws://127.0.0.1:{port}/gateway")
    readers = [asyncio.create_task(collect(proc.stderr, err)),
               asyncio.create_task(collect(proc.stdout, out))]
    unreachable = lambda: [x for x in err if "Discord unreachable" in x]  # noqa: E731
    try:
        async with reaped(proc):
            await until(lambda: len(unreachable()) >= 2, proc, what="two refused attempts")
            await relay.start()  # Discord is back, on the same address
            await discord_server.wait_for(lambda: discord_server.identifies,
                                          timeout=HANG_GUARD)
            proc.send_signal(signal.SIGTERM)
            code = await asyncio.wait_for(proc.wait(), HANG_GUARD)
        await asyncio.gather(*readers)
    finally:
        await relay.close()
    text = "".join(err)
    assert code == 0, text
    lines = unreachable()
    assert len(lines) == 2  # the third attempt went through
    first = r"Discord unreachable \(cannot reach Discord.+\); retrying in (0\.9|1\.[01]) s"
    assert re.search(first, lines[0])  # 1 s ± 10 %
    assert re.search(r"retrying in (1\.[89]|2\.\d) s", lines[1])
    assert TOKEN not in text and "Traceback" not in text


async def test_parallax_run_with_a_refused_token_stops_at_once(tmp_path, discord_server):
    discord_server.token = "the-right-token"
    write_config(tmp_path, tmp_path / "p.db")
    code, _, err = await parallax(tmp_path, "run", DISCORD_TOKEN=TOKEN,
                                  DISCORD_API_BASE=discord_server.api_base,
                                  DISCORD_GATEWAY_URL=discord_server.gateway_url)
    assert code == 2  # "at once": it ended by itself, after one request and no retry (below)
    errors = [x for x in err.splitlines() if x.startswith("parallax: error: ")]
    assert len(errors) == 1 and "401" in errors[0] and "DISCORD_TOKEN" in errors[0]
    assert "Discord unreachable" not in err and "Traceback" not in err and TOKEN not in err
    assert [r.path for r in discord_server.requests] == ["/users/@me"]  # asked once

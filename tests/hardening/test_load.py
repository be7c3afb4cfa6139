"""Load: many checks at once lose no row, duplicate none, and never surface "database is locked".

Three shapes of concurrency, each against the loopback model server (a writer and a panel of
three, answering after a short latency):

- 200 different articles checked at once in one process (``asyncio.gather`` over the core),
- 20 ``parallax check`` processes at once, all writing to the same database file,
- 100 /check interactions at once through the loopback Discord and the real bot.

Afterwards the database holds exactly what the checks reported: one article per distinct text,
one check per request, each check's claims, three verdicts per claim, five model calls per
check (summary, claims, three panel models), and nothing else.

These tests count rows and answers, never seconds: how fast the checks go is measured by
bench/ (bench/discord_bot.py for the time to acknowledge an interaction). The timeouts below
are safety nets against a hang, generous enough for a machine busy with other work, and so is
the loopback Discord's deadline for acknowledging an interaction (Discord's is 3 s).
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import sys
from collections import Counter
from pathlib import Path

import pytest

from bot.app import build_app
from bot.config import Settings, load_settings
from bot.pipeline import check_article, check_text
from bot.providers import anthropic as anthropic_provider
from bot.records import Report
from bot.store import Store
from tests.discord_app.bots import running
from tests.fakes.discord_server import DiscordServer
from tests.fakes.llm_server import LLMServer

ROOT = Path(__file__).resolve().parents[2]
PANEL = ("a", "b", "c")
CALLS_PER_CHECK = 2 + len(PANEL)  # summary, claims, one verification per panel model
LATENCY = 0.02  # seconds each model takes to answer
KEY = "sk-ant-load-test"
HANG_GUARD = 600  # seconds: much longer, and something is stuck, however busy the machine


@pytest.fixture(autouse=True)
def connect_within_the_call_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    """The SDK clients' 5 s connect limit (there to fail fast on a host that never answers)
    counts wall-clock time in an event loop these tests saturate on purpose, the fake servers
    included: on a busy machine hundreds of loopback connects wait longer than that before the
    loop gets back to them, and turn into "timed out". What is tested is rows and answers, so
    here the call's own timeout bounds the connect too."""
    monkeypatch.setattr(anthropic_provider, "sdk_timeout", lambda call: (call + 1.0, call))


def article(i: int) -> str:
    """A distinct article; its four sentences with figures become four claims."""
    return "\n\n".join([
        f"Council number {i} approved a budget of {i + 10} million euros for its town on Monday.",
        f"About {1000 + i} residents attended the meeting, which lasted {2 + i % 5} hours.",
        "Officials said the project would reduce traffic in the centre of the town.",
        f"The new bridge over the river will be {120 + i} metres long and open in {2027 + i % 4}.",
        f"Local shops reported that their sales rose by {i % 9 + 1} percent over the last year.",
    ])


def write_config(tmp_path: Path, llm: LLMServer, database: Path) -> Path:
    lines = [f'database = "{database}"', 'languages = ["en"]']
    for name in ("writer", *PANEL):
        lines += ["[[model]]", f'name = "{name}"', 'provider = "anthropic"',
                  f'model = "{name}-model"', f'base_url = "{llm.url}"',
                  f"timeout = {HANG_GUARD}"]  # a model call queued behind 999 others is no error
    lines += ["[pipeline]", 'summarize = "writer"', 'claims = "writer"',
              f"panel = {json.dumps(list(PANEL))}"]
    path = tmp_path / "parallax.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def panel_server(llm: LLMServer) -> None:
    for name in ("writer", *PANEL):
        llm.add(f"{name}-model", verdicts="supported", latency=LATENCY)


def query(database: Path, sql: str, *params: object) -> list[tuple]:
    with sqlite3.connect(database) as conn:
        return conn.execute(sql, params).fetchall()


def assert_rows_match(database: Path, checks: dict[str, int], texts: int,
                      unstored: int = 0) -> None:
    """``checks`` maps each check id to its number of claims; ``texts``: distinct articles;
    ``unstored``: at most this many checks lost a race to an identical one stored first (their
    calls are in the ledger, nothing else of them)."""
    def count(table: str) -> int:
        return query(database, f'select count(*) from "{table}"')[0][0]

    assert query(database, "pragma integrity_check") == [("ok",)]
    assert count("articles") == texts
    assert query(database, "select sha256 from articles group by sha256 having count(*) > 1") == []
    assert sorted(r[0] for r in query(database, "select id from checks")) == sorted(checks)
    assert count("summaries") == len(checks)
    per_check = dict(query(database, "select check_id, count(*) from claims group by check_id"))
    assert per_check == {c: n for c, n in checks.items() if n}
    claims = sum(checks.values())
    assert count("claims") == claims
    assert count("verdicts") == claims * len(PANEL)
    assert query(database, "select claim_id from verdicts group by claim_id, model "
                           "having count(*) > 1") == []
    calls = dict(query(database, "select check_id, count(*) from model_calls group by check_id"))
    assert set(calls.values()) == {CALLS_PER_CHECK} and set(checks) <= set(calls)
    assert len(calls) - len(checks) <= unstored
    assert query(database, "select count(*) from model_calls where status != 'ok'") == [(0,)]


def assert_report_complete(report: Report) -> None:
    assert [m.status for m in report.panel] == ["ok"] * len(PANEL)
    assert len(report.claims) == 4 and "en" in report.summaries
    assert all(len(r.votes) == len(PANEL) for r in report.claims)


async def test_200_articles_checked_at_once_in_one_process(tmp_path, llm_server):
    panel_server(llm_server)
    database = tmp_path / "p.db"
    settings = load_settings(path=write_config(tmp_path, llm_server, database),
                             environ={"ANTHROPIC_API_KEY": KEY})
    files = []
    for i in range(100, 200):  # half as files, the way `parallax check` reads them
        files.append(tmp_path / f"article-{i}.txt")
        files[-1].write_text(article(i), encoding="utf-8")
    async with build_app(settings) as app:
        reports = await asyncio.gather(*(check_text(article(i), app) for i in range(100)),
                                       *(check_article(str(f), app) for f in files))
    for report in reports:
        assert_report_complete(report)
    assert len({r.check_id for r in reports}) == 200
    assert len(llm_server.calls(path="/v1/messages")) == 200 * CALLS_PER_CHECK  # no retry
    assert_rows_match(database, {r.check_id: len(r.claims) for r in reports}, texts=200)


async def test_the_same_text_checked_by_several_tasks_at_once_is_one_check(
        tmp_path, llm_server):
    """Identical requests at the same moment: one article, one check, the models asked once."""
    panel_server(llm_server)
    database = tmp_path / "p.db"
    settings = load_settings(path=write_config(tmp_path, llm_server, database),
                             environ={"ANTHROPIC_API_KEY": KEY})
    async with build_app(settings) as app:
        reports = await asyncio.gather(*(check_text(article(7), app) for _ in range(8)))
    for report in reports:
        assert_report_complete(report)
    assert query(database, "select count(*) from articles") == [(1,)]  # never two articles
    assert len(llm_server.calls(path="/v1/messages")) == CALLS_PER_CHECK
    assert query(database, "select count(*) from checks") == [(1,)]
    assert len({r.check_id for r in reports}) == 1


async def parallax_check(source: Path, env: dict[str, str]) -> tuple[int, str, str]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", "check", str(source), "--json", env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    try:
        out, err = await asyncio.wait_for(proc.communicate(), HANG_GUARD)
    finally:
        if proc.returncode is None:  # never leave a process behind
            proc.kill()
            await proc.wait()
    return proc.returncode or 0, out.decode(), err.decode()


def cli_env(tmp_path: Path, config: Path) -> dict[str, str]:
    return {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "PARALLAX_CONFIG": str(config),
            "ANTHROPIC_API_KEY": KEY, "HOME": str(tmp_path)}


async def test_20_cli_processes_write_to_one_database_at_once(tmp_path, llm_server):
    """16 different articles and 4 copies of one more, each its own process, one file."""
    panel_server(llm_server)
    database = tmp_path / "shared" / "p.db"
    config = write_config(tmp_path, llm_server, database)
    async with Store(database):  # the file exists, as it does once the bot has run
        pass
    sources = []
    for i in range(17):
        path = tmp_path / f"article-{i}.txt"
        path.write_text(article(300 + i), encoding="utf-8")
        sources.append(path)
    sources += [sources[-1]] * 3  # the same file, checked by four processes at once
    env = cli_env(tmp_path, config)
    results = await asyncio.gather(*(parallax_check(s, env) for s in sources))
    failures = [(code, err) for code, _, err in results if code != 0]
    assert failures == []  # in particular, no "database is locked"
    assert not any("locked" in err for _, _, err in results)
    reports = [json.loads(out) for _, out, _ in results]
    for report in reports:
        assert [m["status"] for m in report["panel"]] == ["ok"] * len(PANEL)
        assert len(report["claims"]) == 4
    # Each report's check is stored whole; a process that found the copy already stored, or
    # stored while it was checking, answered from it (nothing half-written, no duplicate).
    checks = {k: n for k, n in query(
        database, "select k.id, count(c.id) from checks k left join claims c on c.check_id = k.id "
                  "group by k.id")}
    assert_rows_match(database, checks, texts=17, unstored=3)
    per_article = dict(query(database, "select article_id, count(*) from checks "
                                       "group by article_id"))
    fresh = Counter(r["article"]["id"] for r in reports if not r["cached"])
    assert per_article == fresh
    assert set(per_article.values()) == {1}  # four processes on one text: still one check
    assert {r["article"]["id"] for r in reports} == set(per_article)
    claims = {r[0] for r in query(database, "select id from claims")}
    assert all(c["id"] in claims for r in reports for c in r["claims"])


# Import everything, say so, then wait for "go": the processes open the database together.
AT_ONCE = ("import sys; from bot.cli import cli; print('ready', flush=True); "
           "sys.stdin.readline(); cli(args=sys.argv[1:], prog_name='parallax')")


async def test_processes_starting_at_once_on_a_new_database_all_open_it(tmp_path, llm_server):
    """Ten commands started together (cron, a deploy) on a file that does not exist yet: a
    feed poll with nothing to poll, which creates the database (read-only commands such as
    `db stats` refuse a missing one)."""
    database = tmp_path / "fresh" / "p.db"
    env = cli_env(tmp_path, write_config(tmp_path, llm_server, database))
    procs = [await asyncio.create_subprocess_exec(
        sys.executable, "-c", AT_ONCE, "feeds", "poll", "--once", env=env,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE) for _ in range(10)]
    try:
        async with asyncio.timeout(HANG_GUARD):
            for proc in procs:
                assert proc.stdout is not None
                assert await proc.stdout.readline() == b"ready\n"
            results = await asyncio.gather(*(p.communicate(b"go\n") for p in procs))
    finally:
        for proc in procs:
            if proc.returncode is None:
                proc.kill()
                await proc.wait()
    errors = [(p.returncode, err.decode()) for p, (_, err) in zip(procs, results, strict=True)
              if p.returncode != 0]
    assert errors == []
    names = [r[0] for r in query(database, "select name from _sqlite_migrations")]
    assert len(names) == len(set(names)) and names


async def test_100_concurrent_check_interactions(tmp_path, discord_server: DiscordServer,
                                                 llm_server):
    panel_server(llm_server)
    database = tmp_path / "p.db"
    path = write_config(tmp_path, llm_server, database)
    settings: Settings = load_settings(path=path, environ={
        "DISCORD_TOKEN": "fake-token", "ANTHROPIC_API_KEY": KEY,
        "DISCORD_API_BASE": discord_server.api_base,
        "DISCORD_GATEWAY_URL": discord_server.gateway_url})
    discord = discord_server
    discord.ack_deadline = HANG_GUARD  # that each is deferred first is asserted, not how fast
    users = [900_000_000_000_100_000 + i for i in range(100)]  # the cooldown is per member
    async with running(settings):
        interactions = await asyncio.gather(*(
            discord.slash("check", {"text": article(500 + i)}, user_id=user)
            for i, user in enumerate(users)))

        def answered() -> bool:
            return all((m := discord.original(i)) and (m["embeds"] or "error" in m["content"])
                       for i in interactions)

        await discord.wait_for(answered, timeout=HANG_GUARD)
    for n, itx in enumerate(interactions):
        message = discord.original(itx)
        assert message is not None and message["embeds"], n
        shown = json.dumps(message)
        assert "Council number" in shown and "error" not in message["content"].lower(), n
        assert discord.callbacks(itx)[0].type == 5 and itx.ack_delay is not None
        assert discord.followups(itx) == [] or all(
            not f["flags"] & 64 for f in discord.followups(itx)), n  # no private error
    assert discord.unhandled == []
    assert not [r for r in discord.requests if r.status >= 400]
    checks = {r[0]: r[1] for r in query(
        database, "select k.id, count(c.id) from checks k left join claims c on c.check_id = k.id "
                  "group by k.id")}
    assert len(checks) == 100
    assert_rows_match(database, checks, texts=100)
    assert query(database, "select count(*) from checks where guild_id is null") == [(0,)]
    assert query(database, "select count(*) from model_calls where guild_id is null") == [(0,)]

"""Parallax past one process (issue 15): worker processes on one Postgres, side by side.

Printed in one run, on this machine:

- Throughput of 1, 2 and 4 ``parallax worker`` processes draining the same backlog of checks
  (200 by default), handed over by a ``--gateway-only`` bot on the loopback Discord, with the
  loopback model server answering every call after 1,000 ms: checks per second from the first
  job started to the last one done (procrastinate's event times), the speed-up over one
  worker (goal >= 3.5x at 4: the work waits on models), and beside it the CPU the workers used
  per check and how busy the machine's cores were meanwhile.
- A worker SIGKILLed in the middle of 20 checks and a digest run: checks stored twice,
  interactions left unanswered, digests posted twice (goal 0 each), and the seconds from the
  kill until its jobs started again on another worker (``--stalled-after`` decides most of it).
- The same check on SQLite and on Postgres: the same report (ids, times and latencies aside)
  and the store's cost per check on each (time spent in store calls, median of a few checks).

Usage: python bench/scale.py [--checks 200] [--latency 1.0] [--concurrency 4]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402
from figures import Row, print_figures  # noqa: E402 - bench/ is the script folder

from bot.app import build_app  # noqa: E402
from bot.config import load_settings  # noqa: E402
from bot.digest import subscribe  # noqa: E402
from bot.jobs.handoff import wake  # noqa: E402
from bot.jobs.queue import JobKind, JobQueue  # noqa: E402
from bot.pipeline import check_text  # noqa: E402
from bot.present.json import report_dict  # noqa: E402
from bot.schedules import utc_now  # noqa: E402
from tests.discord_app.bots import settings_for  # noqa: E402
from tests.fakes.discord_server import GUILD_ID, DiscordServer  # noqa: E402
from tests.fakes.llm_server import LLMServer  # noqa: E402
from tests.jobs.processes import gateway, queue_settings, until, workers  # noqa: E402
from tests.postgres import ENV_SERVER, Cluster  # noqa: E402

MODELS = ("writer-model", "a-model", "b-model")
DIGEST_CHANNEL = 900_000_000_000_000_201
MEMBERS = 10**17  # the first of the members' ids: one member per check (no cooldown)
STALLED_AFTER = 5.0  # seconds, for the kill: the default 30 only makes the figure longer


def article(i: int) -> str:
    return (f"Harbour report {i}\n\nThe harbour of Example handled {1000 + i} ships in 2025, "
            f"{i} per cent more than in 2024. Its new quay is {300 + i} metres long and cost "
            f"{20 + i} million euros. The port authority employs {400 + i} people.")


def scalar(url: str, sql: str, *args: Any) -> Any:
    with psycopg.connect(url) as conn:
        return conn.execute(sql, args or None).fetchone()[0]


def cpu_busy() -> tuple[int, int]:
    """(busy, total) jiffies of all cores since boot, from /proc/stat."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return sum(fields) - idle, sum(fields)


def processes_cpu(procs: list) -> float:
    """CPU seconds (user + system) the live processes ``procs`` have used so far."""
    ticks = 0
    for proc in procs:
        fields = Path(f"/proc/{proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
    return ticks / os.sysconf("SC_CLK_TCK")


async def enqueue(discord: DiscordServer, url: str, first: int, count: int) -> list:
    """``count`` /checks handed over by the gateway; wait until they are all in the queue."""
    before = scalar(url, "select count(*) from procrastinate_jobs")
    itxs = await asyncio.gather(*(
        discord.slash("check", {"text": article(i), "languages": "en"}, user_id=MEMBERS + i)
        for i in range(first, first + count)))
    await until(lambda: scalar(url, "select count(*) from procrastinate_jobs")
                >= before + count, "the backlog enqueued")
    return itxs


async def throughput(cluster: Cluster, tmp: Path, checks: int, latency: float,
                     concurrency: int) -> list[Row]:
    rows: list[Row] = []
    rates: dict[int, float] = {}
    for count in (1, 2, 4):
        url = cluster.create_database()
        run_dir = tmp / f"workers{count}"
        run_dir.mkdir()
        async with DiscordServer() as discord, LLMServer() as llm:
            for model in MODELS:
                llm.add(model, latency=latency)
            settings, env = queue_settings(run_dir, discord, llm, url)
            async with gateway(settings):
                with workers(env, count, "--concurrency", str(concurrency),
                             log_dir=run_dir) as procs:
                    # Every worker up and idle; then the burst of /checks arrives.
                    await until(lambda u=url, n=count: scalar(
                        u, "select count(*) from procrastinate_workers") == n, "workers up")
                    cpu_before, (busy0, total0) = processes_cpu(procs), cpu_busy()
                    await enqueue(discord, url, 0, checks)
                    await until(lambda u=url: scalar(u, "select count(*) from procrastinate_jobs "
                                                     "where status = 'succeeded'") >= checks,
                                "the backlog drained", timeout=3600)
                    cpu = processes_cpu(procs) - cpu_before
                    busy1, total1 = cpu_busy()
        span = scalar(url, "select extract(epoch from max(at) filter (where type = "
                      "'succeeded') - min(at) filter (where type = 'started')) "
                      "from procrastinate_events")
        rates[count] = checks / float(span)
        machine = 100.0 * (busy1 - busy0) / max(1, total1 - total0)
        print(f"{count} worker(s) x {concurrency}: {checks} checks in {float(span):.1f} s "
              f"({rates[count]:.2f}/s); workers' CPU {cpu / checks * 1000:.0f} ms per check; "
              f"machine busy {machine:.0f}% of {os.cpu_count()} cores", flush=True)
        rows.append((f"{count} worker(s): checks/s", f"{rates[count]:.2f}", "(shown)", None))
        rows.append((f"{count} worker(s): CPU per check / machine busy",
                     f"{cpu / checks * 1000:.0f} ms / {machine:.0f}%", "(shown)", None))
        cluster.drop_database(url)
    speedup = rates[4] / rates[1]
    rows.append(("speed-up, 4 workers over 1", f"{speedup:.2f}x", ">= 3.5x", speedup >= 3.5))
    return rows


async def kill(cluster: Cluster, tmp: Path, latency: float, concurrency: int) -> list[Row]:
    url = cluster.create_database()
    run_dir = tmp / "kill"
    run_dir.mkdir()
    checks = 20
    async with DiscordServer() as discord, LLMServer() as llm:
        for model in MODELS:
            llm.add(model, latency=latency)
        discord.add_channel(GUILD_ID, DIGEST_CHANNEL, "digest")
        settings, env = queue_settings(run_dir, discord, llm, url)
        async with gateway(settings) as bot, JobQueue(url) as queue:
            await subscribe(bot.app, str(GUILD_ID), str(DIGEST_CHANNEL), "hourly", "UTC",
                            ("en",), utc_now() - timedelta(hours=2), post_empty=True)
            itxs = await enqueue(discord, url, 0, checks)
            await wake(queue, JobKind.DUE_DIGESTS)
            args = ("--concurrency", str(concurrency), "--stalled-after", str(STALLED_AFTER))
            # One worker first, to know its id; then another to take over when it dies.
            with workers(env, 1, *args, log_dir=run_dir) as (victim_proc, *_):
                await until(lambda: scalar(url, "select count(*) from procrastinate_jobs "
                                           "where status = 'doing'"), "the first jobs")
                victim = scalar(url, "select min(id) from procrastinate_workers")
                other = run_dir / "other"
                other.mkdir()
                with workers(env, 1, *args, log_dir=other):
                    await until(lambda: scalar(url, "select count(*) from procrastinate_jobs "
                                               "where status = 'succeeded'") >= 3, "a few done")
                    victim_proc.kill()
                    killed_at, killed_db = time.monotonic(), scalar(url, "select now()")
                    stalled = [r for (r,) in psycopg.connect(url).execute(
                        "select id from procrastinate_jobs where status = 'doing' and "
                        "worker_id = %s", (victim,)).fetchall()]
                    await until(lambda: scalar(
                        url, "select count(distinct job_id) from procrastinate_events where "
                        "job_id = any(%s) and type = 'started' and at > %s", stalled,
                        killed_db) == len(stalled), "the stalled jobs started again")
                    rerun = time.monotonic() - killed_at
                    await until(lambda: scalar(url, "select count(*) from procrastinate_jobs "
                                               "where status in ('todo', 'doing')") == 0,
                                "the queue drained", timeout=3600)
    twice = scalar(url, "select count(*) - count(distinct article_id) from checks")
    unanswered = scalar(url, "select count(*) from parallax_interactions "
                        "where answered_at is null")
    digests = len(discord.messages(DIGEST_CHANNEL))
    print(f"killed a worker with {len(stalled)} job(s) in progress; "
          f"{sum(1 for i in itxs if discord.original(i))} of {checks} answered; "
          f"{digests} digest post(s)")
    cluster.drop_database(url)
    return [("kill: checks stored twice", str(twice), "0", twice == 0),
            ("kill: interactions unanswered", str(unanswered), "0", unanswered == 0),
            ("kill: digests posted twice", str(max(0, digests - 1)), "0", digests == 1),
            ("kill: seconds until stalled jobs ran again", f"{rerun:.1f} s",
             f"(shown; --stalled-after {STALLED_AFTER:g})", None)]


def comparable(report: dict) -> dict:
    """The report without what differs between any two runs: ids, times, latencies, and the
    order in which concurrent searches finished."""
    drop = {"id", "check_id", "latency_ms", "created_at", "checked_at", "started_at"}

    def clean(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items() if k not in drop}
        if isinstance(value, list):
            return [clean(v) for v in value]
        return value
    cleaned = clean(report)
    cleaned["searches"] = sorted(cleaned.get("searches", []),
                                 key=lambda s: json.dumps(s, sort_keys=True))
    return cleaned


async def store_cost(cluster: Cluster, tmp: Path, samples: int = 8) -> list[Row]:
    costs: dict[str, list[float]] = {}
    reports: dict[str, dict] = {}
    url = cluster.create_database()
    for name, database in (("SQLite", str(tmp / "cost.db")), ("Postgres", url)):
        # A model server of its own for each: its prompt cache must not tell them apart.
        async with DiscordServer() as discord, LLMServer() as llm:
            for model in MODELS:
                llm.add(model)
            folder = tmp / f"cost-{name}"
            folder.mkdir()
            settings_for(folder, discord, llm)
            settings = load_settings(path=folder / "parallax.toml", environ={
                "ANTHROPIC_API_KEY": "k", "PARALLAX_DATABASE": database})
            async with build_app(settings) as app:
                spent = [0.0]
                run = app.store.run

                async def timed(fn: Any, *args: Any, _run: Any = run, _spent: list = spent,
                                **kwargs: Any) -> Any:
                    started = time.perf_counter()
                    try:
                        return await _run(fn, *args, **kwargs)
                    finally:
                        _spent[0] += time.perf_counter() - started
                object.__setattr__(app.store, "run", timed)
                costs[name] = []
                for i in range(samples):
                    spent[0] = 0.0
                    report = await check_text(article(1000 + i), app, ("en",))
                    costs[name].append(spent[0])
                    if i == 0:
                        reports[name] = comparable(report_dict(report))
    cluster.drop_database(url)
    same = json.dumps(reports["SQLite"], sort_keys=True) == json.dumps(reports["Postgres"],
                                                                          sort_keys=True)
    median = {k: statistics.median(v) * 1000 for k, v in costs.items()}
    return [("same check, SQLite and Postgres: same report", "yes" if same else "no", "yes",
             same),
            ("store cost per check, SQLite", f"{median['SQLite']:.1f} ms", "(shown)", None),
            ("store cost per check, Postgres", f"{median['Postgres']:.1f} ms", "(shown)",
             None)]


async def main_async(args: argparse.Namespace) -> list[Row]:
    named = os.environ.get(ENV_SERVER)
    cluster = Cluster(named) if named else Cluster.start()
    try:
        with tempfile.TemporaryDirectory() as folder:
            tmp = Path(folder)
            rows = await store_cost(cluster, tmp)
            rows += await kill(cluster, tmp, min(args.latency, 0.5), args.concurrency)
            rows += await throughput(cluster, tmp, args.checks, args.latency, args.concurrency)
            return rows
    finally:
        cluster.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--checks", type=int, default=200)
    parser.add_argument("--latency", type=float, default=1.0, help="seconds per model call")
    parser.add_argument("--concurrency", type=int, default=4, help="jobs per worker")
    print_figures(asyncio.run(main_async(parser.parse_args())))


if __name__ == "__main__":
    main()

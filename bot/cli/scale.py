"""Running past one process: ``parallax worker`` and ``parallax status``."""

from __future__ import annotations

import logging

import click

from bot.cli import cli, run_command, settings_of


@cli.command()
@click.option("--concurrency", type=click.IntRange(1, 256), default=4, show_default=True,
              help="Jobs this worker runs at once. A check mostly waits on model calls, so "
                   "a core serves several: start with 4 per core.")
@click.option("--stalled-after", type=click.FloatRange(1.0, 3600.0), default=30.0,
              show_default=True, metavar="SECONDS",
              help="A worker silent this long is dead: its jobs run again elsewhere.")
@click.option("--drain-timeout", type=click.FloatRange(0.0, 3600.0), default=60.0,
              show_default=True, metavar="SECONDS",
              help="On SIGTERM, how long jobs in progress get to finish before they go "
                   "back to the queue.")
@click.option("--name", help="The worker's name in logs (default: host-pid).")
def worker(concurrency: int, stalled_after: float, drain_timeout: float,
           name: str | None) -> None:
    """Run queued jobs (checks, feed polls, digests) from the Postgres database.

    Start as many as you like, on any machine that reaches the database, Discord and the
    models: each takes jobs as it has room. Gateways (`parallax run --gateway-only`) and
    their schedulers enqueue the work; a worker answers interactions through their webhook
    token (15 minutes; past that in the channel) and posts cards and digests through
    Discord's REST API (DISCORD_TOKEN; DISCORD_API_BASE for a shared proxy).

    A worker killed mid-job is noticed by the others within --stalled-after seconds and its
    jobs run again; every job is safe to run twice (one stored report, one answer, one
    digest). SIGTERM drains: no new job is taken, jobs in progress finish or, after
    --drain-timeout, go back to the queue.
    """
    from bot.jobs.worker import WorkerOptions, run_worker

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    # httpx logs every URL at INFO, and an interaction's URL holds its token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    options = WorkerOptions(concurrency, stalled_after, drain_timeout, name)
    run_command(lambda: run_worker(settings_of(False), options))


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def status(as_json: bool) -> None:
    """The job queue: jobs waiting, in progress and failed, per task, and live workers."""
    from bot.jobs.queue import JobQueue
    from bot.present.queue_status import status_json, status_lines

    async def run():  # type: ignore[no-untyped-def]
        async with JobQueue(settings_of(False).database, pool_size=1) as queue:
            return await queue.counts()

    counts = run_command(run)
    click.echo(status_json(counts) if as_json else "\n".join(status_lines(counts)))

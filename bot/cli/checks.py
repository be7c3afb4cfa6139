"""Checking articles and the models: ``check``, ``models``, ``eval``, ``run``, ``sync-commands``."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import TYPE_CHECKING

import click

from bot.cli import (
    DB_OPTION,
    INCOMPLETE_EXIT,
    cli,
    fail,
    languages_of,
    run_command,
    settings_of,
    snowflake,
)
from bot.errors import InputError, ParallaxError

if TYPE_CHECKING:
    from bot.evaluation import Evaluation
    from bot.records import Report


@cli.command()
@click.argument("source")
@click.option("--lang", "langs", metavar="en,de", help="Summary languages, comma-separated.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--details", is_flag=True, help="Show each model's rationale and evidence.")
@click.option("--fresh", is_flag=True, help="Check again even if a stored report exists.")
@click.option("--offline", is_flag=True, help="Use the offline provider whatever is configured.")
@DB_OPTION
def check(source: str, langs: str | None, as_json: bool, details: bool, fresh: bool,
          offline: bool, db: Path | None) -> None:
    """Check SOURCE: a file, an http(s) URL, or - for standard input."""
    from rich.console import Console

    from bot.app import build_app
    from bot.pipeline import check_article
    from bot.present.json import render_json
    from bot.present.progress import stages
    from bot.present.text import render_report
    from bot.records import ReportStatus

    languages = languages_of(langs)

    async def run() -> Report:
        settings = settings_of(offline)
        async with build_app(settings, db) as app:
            with stages() as say:
                report = await check_article(source, app, languages, fresh=fresh, progress=say)
        if as_json:
            click.echo(render_json(report))
        else:
            render_report(report, Console(), details=details)
        return report

    report = run_command(run)
    if report.status is ReportStatus.INCOMPLETE:
        failed = ", ".join(f.stage.value for f in report.failed_stages)
        fail(f"incomplete report, not stored as the answer: {failed} failed", INCOMPLETE_EXIT)


@cli.command()
def models() -> None:
    """List the configured models, the stages each serves, and check each endpoint."""
    from bot.providers import build_provider

    settings = settings_of(False)

    async def run() -> list[str]:
        providers = [build_provider(m, settings) for m in settings.model]
        try:
            return list(await asyncio.gather(*(p.probe() for p in providers)))
        finally:
            for provider in providers:
                await provider.aclose()

    statuses = run_command(run)
    roles = {"summarize": [settings.summarizer.name], "claims": [settings.extractor.name],
             "panel": [m.name for m in settings.panel],
             "escalate": settings.pipeline.escalate}
    for m, status in zip(settings.model, statuses, strict=True):
        serves = ",".join(r for r, names in roles.items() if m.name in names) or "-"
        click.echo(f"{m.name:<12} {m.provider:<10} {m.model:<22} {serves:<28} {status}")


@cli.command(name="eval")
@click.argument("labels", metavar="LABELS.json")
@click.option("--panel", "panel_names", metavar="a,b",
              help="Models to evaluate as the panel (default: the configured panel).")
@click.option("--quorum", type=int, help="The panel's quorum (default: the configured one).")
@click.option("--json", "as_json", is_flag=True, help="Print the evaluation as JSON.")
@click.option("--csv", "as_csv", is_flag=True, help="Print one CSV line per model and policy.")
@click.option("--plot", type=click.Path(path_type=Path), metavar="FILE.png",
              help="Draw coverage against accuracy when attempted into FILE.png.")
@DB_OPTION
def eval_command(labels: str, panel_names: str | None, quorum: int | None, as_json: bool,
                 as_csv: bool, plot: Path | None, db: Path | None) -> None:
    """Measure each panel model and each consensus policy on LABELS.json (labeled claims):
    correct, wrong, not attempted, coverage, F-score, cost and time per claim."""
    from rich.console import Console

    from bot.app import build_app
    from bot.evaluation import evaluate, load_labels, run_eval
    from bot.plot import check_target, plot_tradeoff
    from bot.present import eval_report as shown
    from bot.present.progress import progress_bar

    if as_json and as_csv:
        fail("--json and --csv cannot be used together", 2)
    names = [n.strip() for n in (panel_names or "").split(",") if n.strip()] or None

    async def run() -> Evaluation:
        labeled = load_labels(Path(labels))
        if plot is not None:
            check_target(plot)
        settings = settings_of(False)
        async with build_app(settings, db) as app:
            with progress_bar("verifying", "verified") as advance:
                done = await run_eval(app, labeled, names, quorum, progress=advance)
        return evaluate(done)

    evaluation = run_command(run)
    if as_json:
        click.echo(shown.render_eval_json(evaluation))
    elif as_csv:
        click.echo(shown.render_eval_csv(evaluation), nl=False)
    else:
        shown.render_eval(evaluation, Console())
    if plot is not None:
        try:
            plot_tradeoff(shown.plot_points(evaluation), plot, shown.plot_title(evaluation))
        except ParallaxError as exc:
            fail(exc.reason, exc.exit_code)
        click.echo(f"plot written to {plot}", err=True)


@cli.command()
@click.option("--gateway-only", is_flag=True,
              help="Postgres only: defer interactions and hand the work to `parallax worker` "
                   "processes through the job queue.")
@click.option("--shards", metavar="IDS", help="With --gateway-only: the gateway shards this "
              "process runs, e.g. 0-3 or 0,2 (with --shard-count).")
@click.option("--shard-count", type=click.IntRange(1, 100_000),
              help="The bot's total number of shards (Discord needs one per 2,500 servers).")
def run(gateway_only: bool, shards: str | None, shard_count: int | None) -> None:
    """Start the Discord bot (needs DISCORD_TOKEN)."""
    from bot.discord_app.client import parse_shards, run_bot  # discord.py loads only here

    if (shards is None) != (shard_count is None):
        fail("--shards and --shard-count go together", 2)
    ids = None
    if shards is not None and shard_count is not None:
        try:
            ids = parse_shards(shards, shard_count)
        except InputError as exc:
            fail(exc.reason, 2)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    run_command(lambda: run_bot(settings_of(False), gateway_only=gateway_only, shards=ids,
                                shard_count=shard_count))


@cli.command(name="sync-commands")
@click.option("--guild", callback=lambda c, p, v: snowflake(p, v),
              help="Register in this server only (its id; instant, for testing).")
def sync_commands(guild: str | None) -> None:
    """Register the slash commands with Discord (an operator action, not done at start)."""
    from bot.discord_app.client import sync_commands as sync

    names = run_command(lambda: sync(settings_of(False), int(guild) if guild else None))
    where = f"server {guild}" if guild else "every server (global commands take up to an hour)"
    click.echo(f"registered {len(names)} commands in {where}: {', '.join(sorted(names))}")

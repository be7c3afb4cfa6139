"""The ``parallax`` command: a thin face over the core. Parse, call one core function, render."""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import NoReturn, TypeVar

import click
from rich.console import Console

from bot import __version__
from bot.app import build_app
from bot.config import Settings, load_settings
from bot.digest import RunOutcome, run_digest, run_due, subscribe_channel
from bot.discord_rest import rest_poster
from bot.errors import InputError, ParallaxError
from bot.languages import parse_languages
from bot.pipeline import check_article
from bot.polling import PollOutcome, follow_feed, notify_paused, poll_due
from bot.present.feed_entries import entry_line, entry_outcome
from bot.present.json import render_json
from bot.present.progress import progress_bar, stages
from bot.present.text import render_report
from bot.providers import build_provider
from bot.records import Feed, FeedEntry, Report, ReportStatus, Subscription
from bot.redact import mask
from bot.schedules import utc_now
from bot.store import Store
from bot.store.calls import table_counts, usage_by_model_day
from bot.store.digests import list_subscriptions, remove_subscription
from bot.store.feeds import entries_of, get_feed, list_feeds, remove_feed

T = TypeVar("T")
INCOMPLETE_EXIT = 3  # a whole stage failed: the report says which and why


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="parallax")
def cli() -> None:
    """Parallax: summarize news articles in many languages and cross-check their claims."""


@cli.command()
@click.argument("source")
@click.option("--lang", "langs", metavar="en,de", help="Summary languages, comma-separated.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--details", is_flag=True, help="Show each model's rationale and evidence.")
@click.option("--fresh", is_flag=True, help="Check again even if a stored report exists.")
@click.option("--offline", is_flag=True, help="Use the offline provider whatever is configured.")
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), help="Database file.")
def check(source: str, langs: str | None, as_json: bool, details: bool, fresh: bool,
          offline: bool, db: Path | None) -> None:
    """Check SOURCE: a file, an http(s) URL, or - for standard input."""
    languages = _languages(langs)

    async def run() -> Report:
        settings = _settings(offline)
        async with build_app(settings, db) as app:
            with stages() as say:
                report = await check_article(source, app, languages, fresh=fresh, progress=say)
        if as_json:
            click.echo(render_json(report))
        else:
            render_report(report, Console(), details=details)
        return report

    report = _run(run)
    if report.status is ReportStatus.INCOMPLETE:
        failed = ", ".join(f.stage.value for f in report.failed_stages)
        _fail(f"incomplete report, not stored as the answer: {failed} failed", INCOMPLETE_EXIT)


@cli.command()
def models() -> None:
    """List the configured models, the stages each serves, and check each endpoint."""
    settings = _settings(False)

    async def run() -> list[str]:
        providers = [build_provider(m, settings) for m in settings.model]
        try:
            return list(await asyncio.gather(*(p.probe() for p in providers)))
        finally:
            for provider in providers:
                await provider.aclose()

    statuses = _run(run)
    roles = {"summarize": [settings.summarizer.name], "claims": [settings.extractor.name],
             "panel": [m.name for m in settings.panel],
             "escalate": settings.pipeline.escalate}
    for m, status in zip(settings.model, statuses, strict=True):
        serves = ",".join(r for r, names in roles.items() if m.name in names) or "-"
        click.echo(f"{m.name:<12} {m.provider:<10} {m.model:<22} {serves:<28} {status}")


@cli.command()
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), help="Database file.")
def usage(db: Path | None) -> None:
    """Tokens and cost per model and per day."""
    rows = _with_store(db, lambda store: store.run(usage_by_model_day))
    console = Console()
    if not rows:
        console.print("no model calls recorded yet")
    for r in rows:
        console.print(f"{r['day']}  {r['name']:<12} {r['calls']:>5} calls  "
                      f"{r['input_tokens']:>9} in  {r['output_tokens']:>9} out  "
                      f"${r['cost_usd']:.4f}  {r['errors']} errors", markup=False)


@cli.command(name="eval")
@click.argument("labels", metavar="LABELS.json")
@click.option("--panel", "panel_names", metavar="a,b",
              help="Models to evaluate as the panel (default: the configured panel).")
@click.option("--quorum", type=int, help="The panel's quorum (default: the configured one).")
@click.option("--json", "as_json", is_flag=True, help="Print the evaluation as JSON.")
@click.option("--csv", "as_csv", is_flag=True, help="Print one CSV line per model and policy.")
@click.option("--plot", type=click.Path(path_type=Path), metavar="FILE.png",
              help="Draw coverage against accuracy when attempted into FILE.png.")
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), help="Database file.")
def eval_command(labels: str, panel_names: str | None, quorum: int | None, as_json: bool,
                 as_csv: bool, plot: Path | None, db: Path | None) -> None:
    """Measure each panel model and each consensus policy on LABELS.json (labeled claims):
    correct, wrong, not attempted, coverage, F-score, cost and time per claim."""
    from bot.evaluation import Evaluation, evaluate, load_labels, run_eval
    from bot.plot import check_target, plot_tradeoff
    from bot.present import eval_report as shown

    if as_json and as_csv:
        _fail("--json and --csv cannot be used together", 2)
    names = [n.strip() for n in (panel_names or "").split(",") if n.strip()] or None

    async def run() -> Evaluation:
        labeled = load_labels(Path(labels))
        if plot is not None:
            check_target(plot)
        settings = _settings(False)
        async with build_app(settings, db) as app:
            with progress_bar("verifying", "verified") as advance:
                done = await run_eval(app, labeled, names, quorum, progress=advance)
        return evaluate(done)

    evaluation = _run(run)
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
            _fail(exc.reason, exc.exit_code)
        click.echo(f"plot written to {plot}", err=True)


@cli.command()
def run() -> None:
    """Start the Discord bot (needs DISCORD_TOKEN)."""
    from bot.discord_app.client import run_bot  # discord.py loads only for the bot's commands

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    _run(lambda: run_bot(_settings(False)))


@cli.command(name="sync-commands")
@click.option("--guild", callback=lambda c, p, v: _snowflake(p, v),
              help="Register in this server only (its id; instant, for testing).")
def sync_commands(guild: str | None) -> None:
    """Register the slash commands with Discord (an operator action, not done at start)."""
    from bot.discord_app.client import sync_commands as sync

    names = _run(lambda: sync(_settings(False), int(guild) if guild else None))
    where = f"server {guild}" if guild else "every server (global commands take up to an hour)"
    click.echo(f"registered {len(names)} commands in {where}: {', '.join(sorted(names))}")


@cli.group()
def feeds() -> None:
    """RSS and Atom feeds the servers follow."""


@feeds.command(name="add")
@click.argument("url")
@click.option("--guild", required=True, callback=lambda c, p, v: _snowflake(p, v),
              help="The Discord server that follows the feed (its id).")
@click.option("--check", is_flag=True, help="Also cross-check new articles' claims.")
@click.option("--interval", type=click.IntRange(5, 1440), default=15, show_default=True,
              help="Minutes between polls.")
def feeds_add(url: str, guild: str, check: bool, interval: int) -> None:
    """Follow URL: its current entries are remembered, never posted."""
    async def run() -> str:
        async with build_app(_settings(False)) as app:
            feed, seen = await follow_feed(app, guild, url, check, interval, utc_now())
        return f"feed {feed.id}: {feed.title or feed.url} ({seen} current entries remembered)"

    click.echo(_run(run))


@feeds.command(name="list")
@click.option("--guild", callback=lambda c, p, v: _snowflake(p, v),
              help="Only this server's feeds.")
def feeds_list(guild: str | None) -> None:
    """Every feed with its state, last success and last error."""
    for feed in _with_store(None, lambda store: store.run(list_feeds, guild)):
        click.echo(f"{feed.id:>4}  {feed.state:<6} guild {feed.guild_id}  every "
                   f"{feed.interval_minutes} min  {feed.url}")
        click.echo(f"      last success {feed.last_success_at or 'never'}"
                   + (f"; last error: {feed.last_error}" if feed.last_error else ""))


@feeds.command(name="remove")
@click.argument("feed_id", type=int)
def feeds_remove(feed_id: int) -> None:
    """Stop following a feed."""
    if not _with_store(None, lambda store: store.run(remove_feed, feed_id)):
        _fail(f"no feed {feed_id}", 2)
    click.echo(f"feed {feed_id} removed")


@feeds.command(name="entries")
@click.argument("feed_id", type=int)
@click.option("--limit", type=click.IntRange(1, 1000), default=20, show_default=True,
              help="How many of the newest entries.")
def feeds_entries(feed_id: int, limit: int) -> None:
    """What became of a feed's latest entries: posted, failed (and why), or never posted."""
    async def run(store: Store) -> tuple[Feed | None, list[FeedEntry]]:
        return await store.run(get_feed, feed_id), await store.run(entries_of, feed_id, limit)

    feed, entries = _with_store(None, run)
    if feed is None:
        _fail(f"no feed {feed_id}", 2)
    click.echo(f"feed {feed_id}: {feed.title or feed.url} ({len(entries)} newest entries)")
    for entry in entries:
        click.echo(entry_line(entry))
        click.echo(f"      {entry_outcome(entry)}")


@feeds.command(name="poll")
@click.option("--once", is_flag=True, help="Poll every active feed now, due or not.")
def feeds_poll(once: bool) -> None:
    """Poll the feeds that are due (cron-friendly), and ingest their new entries."""
    async def run() -> list[PollOutcome]:
        settings = _settings(False)
        async with build_app(settings) as app:
            with progress_bar("polling", "polled") as advance:
                outcomes = await poll_due(app, utc_now(), everything=once, progress=advance)
            if any(o.paused for o in outcomes) and settings.secret("DISCORD_TOKEN"):
                async with rest_poster(settings) as poster:
                    await notify_paused(app, poster, outcomes)
            return outcomes

    for o in _run(run):
        state = f"error: {o.error}" if o.error else (
            f"{'unchanged, ' if o.unchanged else ''}{o.new_entries} new, {o.ingested} ingested, "
            f"{o.failed} failed")
        click.echo(f"feed {o.feed.id}: {state}{' (now paused)' if o.paused else ''}")


@cli.group()
def digest() -> None:
    """Digest subscriptions and their runs."""


@digest.command(name="subscribe")
@click.option("--guild", required=True, callback=lambda c, p, v: _snowflake(p, v),
              help="The Discord server (its id).")
@click.option("--channel", required=True, callback=lambda c, p, v: _snowflake(p, v),
              help="The channel that receives the digest (its id).")
@click.option("--schedule", required=True, help="hourly | daily@HH:MM | weekly@mon@HH:MM")
@click.option("--languages", help="Summary languages, e.g. en,fr.")
@click.option("--tz", default="UTC", show_default=True, help="IANA timezone.")
def digest_subscribe(guild: str, channel: str, schedule: str, languages: str | None,
                     tz: str) -> None:
    """Subscribe a channel to its server's digest."""
    async def run() -> tuple[Subscription, bool]:
        async with build_app(_settings(False)) as app:
            return await subscribe_channel(app, guild, channel, schedule, tz,
                                           parse_languages(languages))

    sub, created = _run(run)
    # One subscription per channel: subscribing it again updates it, and says so.
    done = "" if created else " updated (the channel was already subscribed)"
    click.echo(f"subscription {sub.id}{done}: channel {sub.channel_id} {sub.schedule} "
               f"{sub.timezone} in {','.join(sub.languages)}")


@digest.command(name="list")
@click.option("--guild", callback=lambda c, p, v: _snowflake(p, v),
              help="Only this server's subscriptions.")
def digest_list(guild: str | None) -> None:
    """Every subscription."""
    for s in _with_store(None, lambda store: store.run(list_subscriptions, guild)):
        state = "enabled" if s.enabled else f"disabled: {s.disabled_reason}"
        click.echo(f"{s.id:>4}  guild {s.guild_id} channel {s.channel_id}  {s.schedule} "
                   f"{s.timezone}  {','.join(s.languages)}  {state}")


@digest.command(name="unsubscribe")
@click.argument("subscription_id", type=int)
def digest_unsubscribe(subscription_id: int) -> None:
    """Remove a subscription."""
    if not _with_store(None, lambda store: store.run(remove_subscription, subscription_id)):
        _fail(f"no subscription {subscription_id}", 2)
    click.echo(f"subscription {subscription_id} removed")


@digest.command(name="run")
@click.option("--now", "right_now", is_flag=True, help="Post every subscription's digest now.")
def digest_run(right_now: bool) -> None:
    """Post the digests that are due, through Discord's REST API (needs DISCORD_TOKEN)."""
    async def run() -> list[RunOutcome]:
        settings = _settings(False)
        async with build_app(settings) as app, rest_poster(settings) as poster:
            if not right_now:
                return await run_due(app, poster, utc_now())
            subs = await app.store.run(list_subscriptions, None, True)
            return [await run_digest(app, poster, s, utc_now(), manual=True) for s in subs]

    outcomes = _run(run)
    for o in outcomes:
        click.echo(f"subscription {o.subscription_id} {o.period}: {o.status}"
                   + (f" ({o.articles} articles)" if o.articles else "")
                   + (f": {o.error}" if o.error else ""))
    # Exit 1 when posts were attempted and none went out (each failure is on its line above);
    # 0 when one was posted, or nothing was due, or every due digest was empty.
    failed = sum(o.status in ("retry", "disabled") for o in outcomes)
    if failed and not any(o.status == "posted" for o in outcomes):
        _fail(f"no digest was posted ({failed} failed)", 1)


@cli.group(name="db")
def db_group() -> None:
    """The database."""


@db_group.command()
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), help="Database file.")
def stats(db: Path | None) -> None:
    """Rows per table and the file's size."""
    counts = _with_store(db, lambda store: store.run(table_counts))
    path = db or _settings(False).database
    click.echo(f"{path}  {path.stat().st_size:,} bytes" if path.exists() else str(path))
    for name, count in counts.items():
        click.echo(f"  {name:<14} {count:>8,}")


def main() -> None:
    """Console-script entry point."""
    cli()


def _settings(offline: bool) -> Settings:
    settings = load_settings()
    return settings.offline() if offline else settings


def _languages(value: str | None) -> tuple[str, ...]:
    """``--lang``'s codes, canonical and distinct; a bad one is one line and exit 2."""
    try:
        return parse_languages(value)
    except InputError as exc:
        _fail(f"--lang: {exc.reason}", 2)


def _snowflake(param: click.Parameter, value: str | None) -> str | None:
    """A Discord id as typed: a snowflake is an unsigned 64-bit integer of 17 to 20 digits."""
    if value is None:
        return None
    text = value.strip()
    if not (text.isascii() and text.isdigit() and 17 <= len(text) <= 20 and int(text) < 2**64):
        name = param.opts[0] if param.opts else str(param.name)
        _fail(f"{name}: '{value}' is not a Discord id (17 to 20 digits: Copy ID in Discord)",
              2)
    return text


def _with_store(db: Path | None, action: Callable[[Store], Awaitable[T]]) -> T:
    """Run a reading (or removing) command: a missing database is refused, never created."""
    async def run() -> T:
        async with Store(db or _settings(False).database, create=False) as store:
            return await action(store)

    return _run(run)


def _run(coro: Callable[[], Awaitable[T]]) -> T:
    """Run the command; turn every failure into one line on stderr and the right exit code."""
    try:
        return asyncio.run(coro())  # type: ignore[arg-type]
    except ParallaxError as exc:
        _fail(exc.reason, exc.exit_code)
    except KeyboardInterrupt:
        _fail("interrupted", 130)
    except Exception as exc:  # no traceback for users: one line, exit 1
        _fail(f"internal error: {exc.__class__.__name__}: {exc}", 1)
    raise AssertionError("unreachable")


def _fail(reason: str, code: int) -> NoReturn:
    # Masked here too: an internal error's text is a library's (discord.py quotes headers).
    click.echo(f"parallax: error: {mask(' '.join(reason.split()))}", err=True)
    sys.exit(code)


if __name__ == "__main__":
    main()

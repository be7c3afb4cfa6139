"""Feeds and digests: ``feeds add|list|remove|entries|poll``, ``digest subscribe|list|…|run``.

Only ``feeds poll`` (which ingests new entries) loads the article pipeline, and only then.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from bot.cli import cli, fail, run_command, settings_of, snowflake, with_store

if TYPE_CHECKING:
    from bot.digest import RunOutcome
    from bot.polling import PollOutcome
    from bot.records import Feed, FeedEntry, Subscription
    from bot.store import Store


@cli.group()
def feeds() -> None:
    """RSS and Atom feeds the servers follow."""


@feeds.command(name="add")
@click.argument("url")
@click.option("--guild", required=True, callback=lambda c, p, v: snowflake(p, v),
              help="The Discord server that follows the feed (its id).")
@click.option("--check", is_flag=True, help="Also cross-check new articles' claims.")
@click.option("--interval", type=click.IntRange(5, 1440), default=15, show_default=True,
              help="Minutes between polls.")
def feeds_add(url: str, guild: str, check: bool, interval: int) -> None:
    """Follow URL: its current entries are remembered, never posted."""
    from bot.app import build_app
    from bot.polling import follow_feed
    from bot.schedules import utc_now

    async def run() -> str:
        async with build_app(settings_of(False)) as app:
            feed, seen = await follow_feed(app, guild, url, check, interval, utc_now())
        return f"feed {feed.id}: {feed.title or feed.url} ({seen} current entries remembered)"

    click.echo(run_command(run))


@feeds.command(name="list")
@click.option("--guild", callback=lambda c, p, v: snowflake(p, v),
              help="Only this server's feeds.")
def feeds_list(guild: str | None) -> None:
    """Every feed with its state, last success and last error."""
    from bot.store.feeds import list_feeds

    for feed in with_store(None, lambda store: store.run(list_feeds, guild)):
        click.echo(f"{feed.id:>4}  {feed.state:<6} guild {feed.guild_id}  every "
                   f"{feed.interval_minutes} min  {feed.url}")
        click.echo(f"      last success {feed.last_success_at or 'never'}"
                   + (f"; last error: {feed.last_error}" if feed.last_error else ""))


@feeds.command(name="remove")
@click.argument("feed_id", type=int)
def feeds_remove(feed_id: int) -> None:
    """Stop following a feed."""
    from bot.store.feeds import remove_feed

    if not with_store(None, lambda store: store.run(remove_feed, feed_id)):
        fail(f"no feed {feed_id}", 2)
    click.echo(f"feed {feed_id} removed")


@feeds.command(name="entries")
@click.argument("feed_id", type=int)
@click.option("--limit", type=click.IntRange(1, 1000), default=20, show_default=True,
              help="How many of the newest entries.")
def feeds_entries(feed_id: int, limit: int) -> None:
    """What became of a feed's latest entries: posted, failed (and why), or never posted."""
    from bot.present.feed_entries import entry_line, entry_outcome
    from bot.store.feeds import entries_of, get_feed

    async def run(store: Store) -> tuple[Feed | None, list[FeedEntry]]:
        return await store.run(get_feed, feed_id), await store.run(entries_of, feed_id, limit)

    feed, entries = with_store(None, run)
    if feed is None:
        fail(f"no feed {feed_id}", 2)
    click.echo(f"feed {feed_id}: {feed.title or feed.url} ({len(entries)} newest entries)")
    for entry in entries:
        click.echo(entry_line(entry))
        click.echo(f"      {entry_outcome(entry)}")


@feeds.command(name="poll")
@click.option("--once", is_flag=True, help="Poll every active feed now, due or not.")
def feeds_poll(once: bool) -> None:
    """Poll the feeds that are due (cron-friendly), and ingest their new entries."""
    from bot.app import build_app
    from bot.discord_rest import rest_poster
    from bot.polling import notify_paused, poll_due
    from bot.present.progress import progress_bar
    from bot.schedules import utc_now

    async def run() -> list[PollOutcome]:
        settings = settings_of(False)
        async with build_app(settings) as app:
            with progress_bar("polling", "polled") as advance:
                outcomes = await poll_due(app, utc_now(), everything=once, progress=advance)
            if any(o.paused for o in outcomes) and settings.secret("DISCORD_TOKEN"):
                async with rest_poster(settings) as poster:
                    await notify_paused(app, poster, outcomes)
            return outcomes

    for o in run_command(run):
        state = f"error: {o.error}" if o.error else (
            f"{'unchanged, ' if o.unchanged else ''}{o.new_entries} new, {o.ingested} ingested, "
            f"{o.failed} failed"
            + (f", {o.incomplete} check(s) incomplete (see feeds entries)"
               if o.incomplete else ""))
        click.echo(f"feed {o.feed.id}: {state}{' (now paused)' if o.paused else ''}")


@cli.group()
def digest() -> None:
    """Digest subscriptions and their runs."""


@digest.command(name="subscribe")
@click.option("--guild", required=True, callback=lambda c, p, v: snowflake(p, v),
              help="The Discord server (its id).")
@click.option("--channel", required=True, callback=lambda c, p, v: snowflake(p, v),
              help="The channel that receives the digest (its id).")
@click.option("--schedule", required=True, help="hourly | daily@HH:MM | weekly@mon@HH:MM")
@click.option("--languages", help="Summary languages, e.g. en,fr.")
@click.option("--tz", default="UTC", show_default=True, help="IANA timezone.")
def digest_subscribe(guild: str, channel: str, schedule: str, languages: str | None,
                     tz: str) -> None:
    """Subscribe a channel to its server's digest."""
    from bot.app import build_app
    from bot.digest import subscribe_channel
    from bot.languages import parse_languages

    async def run() -> tuple[Subscription, bool]:
        async with build_app(settings_of(False)) as app:
            return await subscribe_channel(app, guild, channel, schedule, tz,
                                           parse_languages(languages))

    sub, created = run_command(run)
    # One subscription per channel: subscribing it again updates it, and says so.
    done = "" if created else " updated (the channel was already subscribed)"
    click.echo(f"subscription {sub.id}{done}: channel {sub.channel_id} {sub.schedule} "
               f"{sub.timezone} in {','.join(sub.languages)}")


@digest.command(name="list")
@click.option("--guild", callback=lambda c, p, v: snowflake(p, v),
              help="Only this server's subscriptions.")
def digest_list(guild: str | None) -> None:
    """Every subscription."""
    from bot.store.digests import list_subscriptions

    for s in with_store(None, lambda store: store.run(list_subscriptions, guild)):
        state = "enabled" if s.enabled else f"disabled: {s.disabled_reason}"
        click.echo(f"{s.id:>4}  guild {s.guild_id} channel {s.channel_id}  {s.schedule} "
                   f"{s.timezone}  {','.join(s.languages)}  {state}")


@digest.command(name="unsubscribe")
@click.argument("subscription_id", type=int)
def digest_unsubscribe(subscription_id: int) -> None:
    """Remove a subscription."""
    from bot.store.digests import remove_subscription

    if not with_store(None, lambda store: store.run(remove_subscription, subscription_id)):
        fail(f"no subscription {subscription_id}", 2)
    click.echo(f"subscription {subscription_id} removed")


@digest.command(name="run")
@click.option("--now", "right_now", is_flag=True, help="Post every subscription's digest now.")
def digestrun_command(right_now: bool) -> None:
    """Post the digests that are due, through Discord's REST API (needs DISCORD_TOKEN)."""
    from bot.app import build_app
    from bot.digest import run_digest, run_due
    from bot.discord_rest import rest_poster
    from bot.schedules import utc_now
    from bot.store.digests import list_subscriptions

    async def run() -> list[RunOutcome]:
        settings = settings_of(False)
        async with build_app(settings) as app, rest_poster(settings) as poster:
            if not right_now:
                return await run_due(app, poster, utc_now())
            subs = await app.store.run(list_subscriptions, None, True)
            return [await run_digest(app, poster, s, utc_now(), manual=True) for s in subs]

    outcomes = run_command(run)
    for o in outcomes:
        click.echo(f"subscription {o.subscription_id} {o.period}: {o.status}"
                   + (f" ({o.articles} articles)" if o.articles else "")
                   + (f": {o.error}" if o.error else ""))
    # Exit 1 when posts were attempted and none went out (each failure is on its line above);
    # 0 when one was posted, or nothing was due, or every due digest was empty.
    failed = sum(o.status in ("retry", "disabled") for o in outcomes)
    if failed and not any(o.status == "posted" for o in outcomes):
        fail(f"no digest was posted ({failed} failed)", 1)

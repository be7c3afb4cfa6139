"""What the database holds: ``usage`` and ``db stats``."""

from __future__ import annotations

from pathlib import Path

import click

from bot.cli import DB_OPTION, cli, settings_of, with_store
from bot.redact import mask


@cli.command()
@DB_OPTION
def usage(db: Path | None) -> None:
    """Tokens and cost per model and per day."""
    from rich.console import Console

    from bot.store.calls import usage_by_model_day
    from bot.store.sources import searches_by_backend_day

    async def both(store):  # type: ignore[no-untyped-def]
        return (await store.run(usage_by_model_day),
                await store.run(searches_by_backend_day))

    rows, searches = with_store(db, both)
    console = Console()
    if not rows:
        console.print("no model calls recorded yet")
    for r in rows:
        console.print(f"{r['day']}  {r['name']:<12} {r['calls']:>5} calls  "
                      f"{r['input_tokens']:>9} in  {r['output_tokens']:>9} out  "
                      f"${r['cost_usd']:.4f}  {r['errors']} errors", markup=False)
    for r in searches:  # the evidence stage's searches and page reads, per backend
        console.print(f"{r['day']}  {r['backend']:<12} {r['searches']:>5} searches "
                      f"{r['fetches']:>5} fetches  {r['errors']} errors", markup=False)


@cli.group(name="db")
def db_group() -> None:
    """The database."""


@db_group.command()
@DB_OPTION
def stats(db: Path | None) -> None:
    """Rows per table and the file's size."""
    from bot.store.calls import table_counts

    counts = with_store(db, lambda store: store.run(table_counts))
    path = db or settings_of(False).database
    on_disk = isinstance(path, Path) and path.exists()  # a Postgres URL has no file
    click.echo(f"{path}  {path.stat().st_size:,} bytes" if on_disk else mask(str(path)))
    for name, count in counts.items():
        click.echo(f"  {name:<14} {count:>8,}")

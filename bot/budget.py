"""A server's daily spending cap on model calls."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.app import App
from bot.errors import LimitError
from bot.store.guilds import guild_settings, spent_today, typical_check_cost


async def ensure_budget(app: App, guild_id: str, now: datetime | None = None) -> None:
    """Raise LimitError when the server's next check would go over its daily budget."""
    settings = await app.store.run(guild_settings, guild_id)
    if settings.daily_budget_usd is None:
        return
    moment = now or datetime.now(UTC)
    spent = await app.store.run(spent_today, guild_id, moment)
    estimate = await app.store.run(typical_check_cost, guild_id)
    if spent + estimate > settings.daily_budget_usd or spent >= settings.daily_budget_usd:
        reset = (moment + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
        raise LimitError(
            f"this server's daily budget of ${settings.daily_budget_usd:.2f} is spent "
            f"(${spent:.2f} today); it resets at {reset:%H:%M} UTC")

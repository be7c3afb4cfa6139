"""Servers' settings and their spending."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from bot.records import Consensus, GuildSettings
from bot.store import now
from bot.store.connection import Db, upsert


def guild_settings(db: Db, guild_id: str) -> GuildSettings:
    """The server's settings, or the defaults if it never set any."""
    rows = list(db.query("select * from guild_settings where guild_id = ?", [guild_id]))
    if not rows:
        return GuildSettings(guild_id)
    row = rows[0]
    default = GuildSettings(guild_id)
    return GuildSettings(
        guild_id=guild_id,
        languages=tuple(json.loads(row["languages"] or "[]")),
        mod_channel_id=row["mod_channel_id"],
        mod_role_id=row["mod_role_id"],
        flag_on=frozenset(Consensus(v) for v in json.loads(row["flag_on"]))
        if row["flag_on"] is not None else default.flag_on,
        daily_budget_usd=row["daily_budget_usd"],
    )


def save_guild_settings(db: Db, settings: GuildSettings) -> None:
    """Create or replace the server's settings."""
    with db.atomic():
        upsert(db, "guild_settings", {
            "guild_id": settings.guild_id, "languages": json.dumps(list(settings.languages)),
            "mod_channel_id": settings.mod_channel_id, "mod_role_id": settings.mod_role_id,
            "flag_on": json.dumps(sorted(c.value for c in settings.flag_on)),
            "daily_budget_usd": settings.daily_budget_usd, "updated_at": now(),
        }, key=("guild_id",))


def owned(db: Db, table: str, row_id: int, guild_id: str | None) -> bool:
    """Whether row ``row_id`` of ``table`` exists and, when a server is named, is its own."""
    sql, params = f"select 1 from {table} where id = ?", [row_id]  # noqa: S608 - our names
    if guild_id is not None:
        sql, params = sql + " and guild_id = ?", [row_id, guild_id]
    return bool(list(db.query(sql, params)))


def spent_today(db: Db, guild_id: str, today: datetime | None = None) -> float:
    """Dollars the server's checks spent on models since midnight UTC."""
    day = (today or datetime.now(UTC)).strftime("%Y-%m-%d")
    row = next(db.query(
        "select coalesce(sum(cost_usd), 0) as spent from model_calls "
        "where guild_id = ? and created_at >= ?", [guild_id, day]))
    return float(row["spent"])


def typical_check_cost(db: Db, guild_id: str) -> float:
    """The mean cost of the server's last 20 checks: the estimate of the next one."""
    row = next(db.query(
        "select coalesce(avg(cost), 0) as mean from (select sum(cost_usd) as cost "
        "from model_calls where guild_id = ? and check_id is not null group by check_id "
        "order by max(created_at) desc limit 20) as recent", [guild_id]))
    return float(row["mean"])

"""Parallax's bot under Discord's rate limits: a check that flags 12 claims posts 12 review
cards to one channel in a burst, through the real discord.py client against the loopback
Discord with its per-channel bucket and a tight global limit. Nothing may be lost or doubled.

Counts and order only: how long the waits took is bench/discord_limits.py's figure.
"""

from __future__ import annotations

import logging
import sqlite3

from bot.records import GuildSettings
from bot.store.guilds import save_guild_settings
from tests.discord_app.bots import running, settings_for
from tests.fakes.discord_ratelimits import RateLimits
from tests.fakes.discord_server import GUILD_ID, DiscordServer
from tests.fakes.llm_server import LLMServer

MOD_CHANNEL = 900_000_000_000_000_001
CLAIMS = 12


def twelve_claims() -> str:
    """An article whose twelve sentences each carry a figure: twelve check-worthy claims."""
    places = ["Arden", "Belmont", "Corvin", "Dunmore", "Elston", "Farrow", "Glenhurst",
              "Harwick", "Ivel", "Jarrow", "Kelton", "Lindale"]
    return " ".join(f"The town of {place} opened {i + 3} new libraries in {1990 + i}, "
                    f"spending {120 + 7 * i} thousand euros." for i, place in enumerate(places))


async def test_twelve_review_cards_in_a_burst_land_once_each(
    tmp_path, discord_server: DiscordServer, llm_server: LLMServer, caplog
) -> None:
    # Discord's 5 messages per window per channel, and a global limit the burst exceeds.
    discord_server.set_rate_limits(RateLimits(global_limit=6, global_window=0.5).scaled(0.5))
    discord_server.add_channel(GUILD_ID, MOD_CHANNEL, "moderators")
    llm_server.add("writer-model")
    llm_server.add("a-model", verdicts="supported")
    llm_server.add("b-model", verdicts="refuted")  # every claim disputed: every claim flagged
    settings = settings_for(tmp_path, discord_server, llm_server)
    async with running(settings) as bot:
        await bot.app.store.run(save_guild_settings, GuildSettings(
            str(GUILD_ID), mod_channel_id=str(MOD_CHANNEL)))
        itx = await discord_server.slash("check", {"text": twelve_claims(), "languages": "en"})
        await discord_server.wait_for(lambda: (m := discord_server.original(itx)) and m["embeds"])
        cards = await discord_server.wait_for(
            lambda: len(discord_server.messages(MOD_CHANNEL)) >= CLAIMS and
            _stored_cards(settings.database) >= CLAIMS and discord_server.messages(MOD_CHANNEL))
    claims = [claim_of(card) for card in cards]
    assert len(claims) == len(set(claims)) == CLAIMS  # none lost, none doubled
    posts = [r for r in discord_server.requests
             if r.method == "POST" and r.path == f"/channels/{MOD_CHANNEL}/messages"]
    assert [r.status for r in posts].count(200) == CLAIMS  # one accepted request per card
    assert all(r.status in (200, 429) for r in posts)
    assert {r.limited for r in posts if r.status == 429} <= {"user", "global"}
    with sqlite3.connect(settings.database) as db:
        stored = {row[0] for row in db.execute(
            "select message_id from review_cards where channel_id = ?", [str(MOD_CHANNEL)])}
    assert stored == {card["id"] for card in cards}  # each card's message is the one stored
    errors = [r.getMessage() for r in caplog.records
              if r.name.startswith("discord") and r.levelno >= logging.ERROR]
    assert errors == [] and discord_server.unhandled == []


def claim_of(card: dict) -> str:
    """The claim id a review card's buttons carry."""
    ids = [c["custom_id"] for row in card["components"] for c in row["components"]]
    return next(i for i in ids if i.startswith("parallax:review:")).rsplit(":", 1)[1]


def _stored_cards(database: str) -> int:
    with sqlite3.connect(database) as db:
        return db.execute("select count(message_id) from review_cards").fetchone()[0]

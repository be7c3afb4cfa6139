"""Who may do what: every moderators' action against a permission matrix.

Two rules exist. Reviewing (the card's buttons Accurate / Inaccurate / Needs context / Dismiss,
the Add note form, /review queue) is for moderators: the server's owner, administrators,
members with manage-messages, or the server's moderators' role (``can_moderate``). Changing
the server's setup (/review settings, /settings budget, /feeds add, /digest subscribe) needs
manage-server. Nobody acts on a server from another server or from a direct message.

The rows are tested twice: purely against ``can_moderate``, then through the real bot on the
loopback Discord, where an allowed action changes the database (an audit row, a settings row,
a feed, a subscription) and a refused one gets a private refusal and changes nothing.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sqlite3
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.app import build_app
from bot.config import Settings
from bot.discord_app.client import ParallaxBot
from bot.moderation import Member, can_moderate, decide
from bot.pipeline import check_text
from bot.records import GuildSettings, ReviewAction
from bot.store.guilds import save_guild_settings
from tests.discord_app.bots import running, settings_for
from tests.fakes.discord_server import (
    ADMINISTRATOR,
    CHANNEL_ID,
    EVERYONE_PERMISSIONS,
    GUILD_ID,
    OWNER_ID,
    USER_ID,
    DiscordServer,
    Interaction,
    Ref,
)
from tests.fakes.http_server import HTTPServer
from tests.fakes.llm_server import LLMServer

CORPUS = Path(__file__).resolve().parents[1] / "data" / "corpus"
MANAGE_GUILD, MANAGE_MESSAGES = 1 << 5, 1 << 13
EPHEMERAL, LOADING = 1 << 6, 1 << 7
MOD_CHANNEL = 900_000_000_000_000_201
MOD_ROLE = 900_000_000_000_000_400
ADMIN_ROLE = 900_000_000_000_000_401
ADMIN_ID, MOD_ID, MESSAGES_ID, GUILD_MANAGER_ID = (900_000_000_000_000_310 + i for i in range(4))
OTHER_GUILD = 900_000_000_000_000_500
OTHER_CHANNEL = 900_000_000_000_000_501
OTHER_ADMIN_ROLE = 900_000_000_000_000_502
OTHER_OWNER, OTHER_ADMIN = 900_000_000_000_000_510, 900_000_000_000_000_511
# Seconds before a wait for an answer fails: a safety net against a hang, not a speed limit
# (a check or a refusal takes well under a second on an idle machine, far more on a busy one).
WAIT = 120.0
DM_CHANNEL = 900_000_000_000_000_600
BUTTONS = (ReviewAction.ACCURATE, ReviewAction.INACCURATE, ReviewAction.NEEDS_CONTEXT,
           ReviewAction.DISMISS)
# A form replayed after it was used is refused as expired: still private, still nothing stored.
REFUSED = ("Only moderators", "not allowed", "form has expired")


@dataclass(frozen=True)
class Row:
    """One kind of member; ``guild_id`` is where they act from (None: a direct message)."""

    name: str
    member: Member  # the core's view, against server A's settings
    user_id: int
    guild_id: int | None
    permissions: int | None  # None: computed by the fake Discord from the member's roles
    moderate: bool  # may review in server A
    manage: bool  # may change the setup of the server they act from


A = str(GUILD_ID)
ROWS = [
    Row("owner", Member("1", is_owner=True, in_guild=A), OWNER_ID, GUILD_ID, None, True, True),
    Row("administrator", Member("2", administrator=True, in_guild=A), ADMIN_ID, GUILD_ID, None,
        True, True),
    Row("moderators' role", Member("3", role_ids=frozenset({str(MOD_ROLE)}), in_guild=A),
        MOD_ID, GUILD_ID, None, True, False),
    Row("manage-messages", Member("4", manage_messages=True, in_guild=A), MESSAGES_ID, GUILD_ID,
        EVERYONE_PERMISSIONS | MANAGE_MESSAGES, True, False),
    Row("manage-guild", Member("5", in_guild=A), GUILD_MANAGER_ID, GUILD_ID,
        EVERYONE_PERMISSIONS | MANAGE_GUILD, False, True),
    Row("plain member", Member("6", in_guild=A), USER_ID, GUILD_ID, None, False, False),
    # An administrator (and owner) of server B: nothing in server A, everything in B.
    Row("member of another server", Member("7", is_owner=True, administrator=True,
                                           manage_messages=True, in_guild=str(OTHER_GUILD)),
        OTHER_ADMIN, OTHER_GUILD, None, False, True),
    Row("direct message", Member("8", is_owner=True, administrator=True, manage_messages=True,
                                 role_ids=frozenset({str(MOD_ROLE)}), in_guild=None),
        USER_ID, None, None, False, False),
]
IDS = [r.name for r in ROWS]


# -- the rule itself -------------------------------------------------------------------------

@pytest.mark.parametrize("row", ROWS, ids=IDS)
def test_can_moderate_matrix(row: Row):
    settings = GuildSettings(A, mod_channel_id=str(MOD_CHANNEL), mod_role_id=str(MOD_ROLE))
    assert can_moderate(row.member, settings) is row.moderate


def test_the_moderators_role_counts_only_when_it_is_the_configured_one():
    member = Member("3", role_ids=frozenset({str(MOD_ROLE)}), in_guild=A)
    assert not can_moderate(member, GuildSettings(A))  # no role configured
    assert not can_moderate(member, GuildSettings(A, mod_role_id="123"))
    everyone = Member("9", role_ids=frozenset({A}), in_guild=A)  # @everyone's id = guild id
    assert not can_moderate(everyone, GuildSettings(A, mod_role_id=None))


def test_a_direct_message_is_refused_even_against_the_settings_of_no_server():
    # The bot reads settings for str(interaction.guild_id), which is "None" in a DM.
    dm = Member("8", is_owner=True, administrator=True, manage_messages=True, in_guild=None)
    assert not can_moderate(dm, GuildSettings("None"))
    assert not can_moderate(dm, GuildSettings(""))


@pytest.mark.parametrize("row", ROWS, ids=IDS)
async def test_decide_stores_only_what_is_allowed(row: Row, offline_settings: Settings):
    async with build_app(offline_settings) as app:
        await app.store.run(save_guild_settings, GuildSettings(
            A, mod_channel_id=str(MOD_CHANNEL), mod_role_id=str(MOD_ROLE)))
        report = await check_text((CORPUS / "de-rhein.txt").read_text(), app)
        claim = report.claims[0].claim.id
        for action in (*BUTTONS, ReviewAction.NOTE):
            if row.moderate:
                review = await decide(app, claim, A, row.member, action, "a note")
                assert review.moderator_id == row.member.user_id
            else:
                with pytest.raises(PermissionError):
                    await decide(app, claim, A, row.member, action, "a note")
    with sqlite3.connect(offline_settings.database) as conn:
        stored = [r[0] for r in conn.execute("select action from reviews order by id")]
    assert stored == ([a.value for a in (*BUTTONS, ReviewAction.NOTE)] if row.moderate else [])


# -- through the real bot --------------------------------------------------------------------

@dataclass
class World:
    discord: DiscordServer
    settings: Settings
    bot: ParallaxBot
    web: HTTPServer
    card: dict  # a moderators' card in server A, for a claim the panel disputes

    def rows(self, sql: str, *params: object) -> list[tuple]:
        with sqlite3.connect(self.settings.database) as conn:
            return conn.execute(sql, params).fetchall()

    def state(self, guild: int | None) -> dict[str, list[tuple]]:
        """Everything a moderators' action may change in one server."""
        g = str(guild)
        return {
            "reviews": self.rows("select claim_id, moderator_id, action, note from reviews "
                                 "where guild_id = ? order by id", g),
            "settings": self.rows("select languages, mod_channel_id, mod_role_id, flag_on, "
                                  "daily_budget_usd from guild_settings where guild_id = ?", g),
            "feeds": self.rows("select url from feeds where guild_id = ?", g),
            "subscriptions": self.rows("select channel_id, schedule from subscriptions "
                                       "where guild_id = ?", g),
        }

    def button(self, action: ReviewAction) -> str:
        return next(c["custom_id"] for row in self.card["components"] for c in row["components"]
                    if c["custom_id"].startswith(f"parallax:review:{action.value}:"))


BASELINE = GuildSettings(A, mod_channel_id=str(MOD_CHANNEL), mod_role_id=str(MOD_ROLE))


def prepare_servers(discord: DiscordServer) -> None:
    """Server A with its roles and members; server B with its own administrator."""
    discord.add_channel(GUILD_ID, MOD_CHANNEL, "moderators")
    discord.add_role(GUILD_ID, MOD_ROLE, 0, name="moderators")
    discord.add_role(GUILD_ID, ADMIN_ROLE, ADMINISTRATOR, name="admins")
    discord.add_member(GUILD_ID, ADMIN_ID, roles=[ADMIN_ROLE])
    discord.add_member(GUILD_ID, MOD_ID, roles=[MOD_ROLE])
    discord.add_member(GUILD_ID, MESSAGES_ID)
    discord.add_member(GUILD_ID, GUILD_MANAGER_ID)
    discord.add_guild(OTHER_GUILD, OTHER_OWNER, "Other server")
    discord.add_channel(OTHER_GUILD, OTHER_CHANNEL, "general")
    discord.add_role(OTHER_GUILD, OTHER_ADMIN_ROLE, ADMINISTRATOR, name="admins")
    discord.add_member(OTHER_GUILD, OTHER_ADMIN, roles=[OTHER_ADMIN_ROLE])


@pytest.fixture
async def world(tmp_path, discord_server: DiscordServer, llm_server: LLMServer,
                caplog) -> AsyncIterator[World]:
    discord = discord_server
    prepare_servers(discord)
    llm_server.add("writer-model")
    llm_server.add("a-model", verdicts="supported")
    llm_server.add("b-model", verdicts="refuted")
    settings = settings_for(tmp_path, discord, llm_server)
    async with HTTPServer() as web, running(settings) as bot:
        await bot.app.store.run(save_guild_settings, BASELINE)
        itx = await discord.slash("check", {"text": (CORPUS / "en-webb-telescope.txt").read_text()})
        await discord.wait_for(lambda: (m := discord.original(itx)) and m["embeds"], timeout=WAIT)
        cards = await discord.wait_for(lambda: discord.messages(MOD_CHANNEL), timeout=WAIT)
        yield World(discord, settings, bot, web, cards[0])
    records = caplog.get_records("setup") + caplog.get_records("call")  # not only teardown's
    errors = [r.getMessage() for r in records
              if r.name.startswith(("discord", "parallax")) and r.levelno >= logging.ERROR]
    assert errors == []
    assert discord.unhandled == []


async def first_answer(discord: DiscordServer, itx: Interaction,
                       wait: float = WAIT) -> tuple[int, bool, str]:
    """The interaction's answer once complete: (callback type, ephemeral, everything shown)."""
    def complete() -> object:
        callbacks = discord.callbacks(itx)
        if not callbacks:
            return None
        if callbacks[0].type in (4, 7, 9):
            return callbacks[0]
        message = discord.original(itx)
        return callbacks[0] if message and not message["flags"] & LOADING else None

    first = await discord.wait_for(complete, timeout=wait)
    if first.type in (4, 7, 9):
        return first.type, bool(first.data.get("flags", 0) & EPHEMERAL), json.dumps(first.data)
    message = discord.original(itx) or {}
    return first.type, bool(message.get("flags", 0) & EPHEMERAL), json.dumps(message)


def assert_refused(answer: tuple[int, bool, str], what: str) -> None:
    kind, ephemeral, shown = answer
    assert kind == 4 and ephemeral, (what, answer)
    assert any(word in shown for word in REFUSED), (what, answer)
    assert "embeds\": [{" not in shown, (what, answer)  # a refusal shows nothing else


@pytest.mark.parametrize("row", [r for r in ROWS if r.guild_id == GUILD_ID],
                         ids=[r.name for r in ROWS if r.guild_id == GUILD_ID])
async def test_review_buttons_and_note_through_the_bot(world: World, row: Row):
    """The card lives in server A: every row that can press it there."""
    discord = world.discord
    claim = world.button(ReviewAction.ACCURATE).rsplit(":", 1)[1]
    expected = []
    for action in (*BUTTONS, ReviewAction.NOTE):
        before = world.state(GUILD_ID)
        itx = await discord.click(world.card, world.button(action), user_id=row.user_id,
                                  permissions=row.permissions)
        answer = await first_answer(discord, itx)
        if not row.moderate:
            assert_refused(answer, action)
            assert world.state(GUILD_ID) == before
            continue
        if action is ReviewAction.NOTE:
            assert answer[0] == 9, answer  # the note form opens
            form = discord.callbacks(itx)[0].data
            field = next(c["custom_id"] for r in form["components"] for c in r["components"])
            itx = await discord.submit_modal(form["custom_id"], {field: f"note by {row.name}"},
                                             user_id=row.user_id, permissions=row.permissions,
                                             message=world.card)
            answer = await first_answer(discord, itx)
        assert answer[0] == 7, answer  # the card is edited with the decision
        expected.append((claim, str(row.user_id), action.value,
                         f"note by {row.name}" if action is ReviewAction.NOTE else ""))
        assert world.state(GUILD_ID)["reviews"] == before["reviews"] + [expected[-1]]
    assert world.state(GUILD_ID)["reviews"] == expected


@pytest.mark.parametrize("row", ROWS, ids=IDS)
async def test_review_queue_through_the_bot(world: World, row: Row):
    discord = world.discord
    before = (world.state(GUILD_ID), world.state(OTHER_GUILD))
    itx = await discord.slash("review", {}, subcommand="queue", user_id=row.user_id,
                              guild_id=row.guild_id,
                              channel_id=channel_of(row), member_permissions=row.permissions)
    answer = await first_answer(discord, itx)
    claims = [r[0] for r in world.rows("select text from claims")]
    if row.moderate:
        kind, ephemeral, shown = answer
        assert kind == 4 and ephemeral and "Review queue" in shown, answer
        assert any(c[:100] in shown for c in claims)
    elif row.guild_id == OTHER_GUILD:  # B's administrator sees B's queue: empty, none of A's
        kind, ephemeral, shown = answer
        assert kind == 4 and ephemeral and "No claims are waiting" in shown, answer
        assert not any(c[:60] in shown for c in claims)
    else:
        assert_refused(answer, "queue")
        assert not any(c[:60] in answer[2] for c in claims)
    assert (world.state(GUILD_ID), world.state(OTHER_GUILD)) == before


def channel_of(row: Row) -> int:
    return {GUILD_ID: CHANNEL_ID, OTHER_GUILD: OTHER_CHANNEL, None: DM_CHANNEL}[row.guild_id]


@pytest.mark.parametrize("row", ROWS, ids=IDS)
async def test_manage_server_commands_through_the_bot(world: World, row: Row):
    discord, store = world.discord, world.bot.app.store
    n = ROWS.index(row)
    world.web.page(f"/feed-{n}.xml", feed_xml(world.web.url("")), "application/rss+xml")
    here = channel_of(row)
    commands = {
        "/review settings": ("review", "settings", {
            "channel": Ref.channel(OTHER_CHANNEL if row.guild_id == OTHER_GUILD else MOD_CHANNEL),
            "abstained": True}, "settings"),
        "/settings budget": ("settings", "budget", {"dollars": 1.5 + n}, "settings"),
        "/feeds add": ("feeds", "add", {"url": world.web.url(f"/feed-{n}.xml")}, "feeds"),
        "/digest subscribe": ("digest", "subscribe", {
            "channel": Ref.channel(CHANNEL_ID if row.guild_id is None else here),
            "schedule": "daily@09:00"}, "subscriptions"),
    }
    for what, (name, sub, options, table) in commands.items():
        await store.run(save_guild_settings, BASELINE)
        before = {g: world.state(g) for g in (GUILD_ID, OTHER_GUILD, None)}
        itx = await discord.slash(name, options, subcommand=sub, user_id=row.user_id,
                                  guild_id=row.guild_id, channel_id=here,
                                  member_permissions=row.permissions)
        kind, ephemeral, shown = await first_answer(discord, itx)
        after = {g: world.state(g) for g in (GUILD_ID, OTHER_GUILD, None)}
        if row.manage:
            assert ephemeral and not any(word in shown for word in REFUSED), (what, shown)
            assert after[row.guild_id][table] != before[row.guild_id][table], what
            others = [g for g in after if g != row.guild_id]
        else:
            assert_refused((kind, ephemeral, shown), what)
            others = list(after)
        for guild in others:  # nothing changes anywhere else
            assert after[guild] == before[guild], (what, guild)


def feed_xml(base: str) -> str:
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Tribune</title>'
            f"<link>{base}</link><item><title>Story</title><link>{base}story</link>"
            "<guid>1</guid></item></channel></rss>")


# -- across servers, and forms submitted by someone who may not -----------------------------

async def test_a_decision_in_another_server_decides_nothing_here(world: World):
    """The same article checked in server B shares its claims; B's moderators decide for B."""
    discord, store = world.discord, world.bot.app.store
    await store.run(save_guild_settings, GuildSettings(
        str(OTHER_GUILD), mod_channel_id=str(OTHER_CHANNEL)))
    text = (CORPUS / "en-webb-telescope.txt").read_text()
    itx = await discord.slash("check", {"text": text}, guild_id=OTHER_GUILD,
                              channel_id=OTHER_CHANNEL, user_id=OTHER_ADMIN)
    await discord.wait_for(lambda: (m := discord.original(itx)) and m["embeds"], timeout=WAIT)
    theirs = await discord.wait_for(
        lambda: [m for m in discord.messages(OTHER_CHANNEL) if m["components"]
                 and "parallax:review:" in str(m["components"])], timeout=WAIT)
    claim = world.button(ReviewAction.INACCURATE).rsplit(":", 1)[1]
    card = next(m for m in theirs if claim in str(m["components"]))
    ours = world.state(GUILD_ID)
    pending = world.rows("select count(*) from review_cards rc where guild_id = ? and not exists "
                         "(select 1 from reviews r where r.claim_id = rc.claim_id and "
                         "r.guild_id = rc.guild_id)", A)
    pressed = await discord.click(card, f"parallax:review:inaccurate:{claim}",
                                  user_id=OTHER_ADMIN)
    assert (await first_answer(discord, pressed))[0] == 7
    assert world.rows("select guild_id, action from reviews") == [(str(OTHER_GUILD),
                                                                   "inaccurate")]
    assert world.state(GUILD_ID) == ours
    assert world.rows("select count(*) from review_cards rc where guild_id = ? and not exists "
                      "(select 1 from reviews r where r.claim_id = rc.claim_id and "
                      "r.guild_id = rc.guild_id)", A) == pending
    assert discord.messages(MOD_CHANNEL)[0] == world.card  # our card is untouched
    # Our own members checking the article again see no decision of server B's moderators.
    again = await discord.slash("check", {"text": text}, user_id=MESSAGES_ID)
    report = await discord.wait_for(lambda: (m := discord.original(again)) and m["embeds"] and m,
                                    timeout=WAIT)
    assert f"<@{OTHER_ADMIN}>" not in json.dumps(report)
    assert "Inaccurate" not in json.dumps(report["embeds"])


async def open_note_form(world: World, user_id: int, permissions: int | None) -> dict:
    itx = await world.discord.click(world.card, world.button(ReviewAction.NOTE), user_id=user_id,
                                    permissions=permissions)
    answer = await first_answer(world.discord, itx)
    assert answer[0] == 9, answer
    return world.discord.callbacks(itx)[0].data


def field_of(form: dict) -> str:
    return next(c["custom_id"] for r in form["components"] for c in r["components"])


async def test_a_note_form_submitted_by_a_member_who_may_not_is_refused(world: World):
    """A moderator opens the form and loses the role before sending it; a direct message
    replays the form's id: each gets a private refusal and nothing is stored."""
    discord = world.discord
    form = await open_note_form(world, MOD_ID, None)
    await world.bot.app.store.run(save_guild_settings, GuildSettings(
        A, mod_channel_id=str(MOD_CHANNEL)))  # the moderators' role is no longer MOD_ROLE
    for where in ({"guild_id": GUILD_ID}, {"guild_id": None, "channel_id": DM_CHANNEL}):
        itx = await discord.submit_modal(form["custom_id"], {field_of(form): "sneaky"},
                                         user_id=MOD_ID, message=world.card, **where)
        assert_refused(await first_answer(discord, itx), f"note submitted {where}")
    assert world.rows("select * from reviews") == []


async def test_two_moderators_writing_notes_on_one_card_both_land(world: World):
    discord = world.discord
    forms = [await open_note_form(world, user, perms) for user, perms in (
        (MOD_ID, None), (MESSAGES_ID, EVERYONE_PERMISSIONS | MANAGE_MESSAGES))]
    for (user, perms), form in zip(((MOD_ID, None),
                                    (MESSAGES_ID, EVERYONE_PERMISSIONS | MANAGE_MESSAGES)),
                                   forms, strict=True):
        itx = await discord.submit_modal(form["custom_id"], {field_of(form): f"by {user}"},
                                         user_id=user, permissions=perms, message=world.card)
        assert (await first_answer(discord, itx))[0] == 7, f"note by {user}"
    assert sorted(r[0] for r in world.rows("select note from reviews")) == sorted([
        f"by {MESSAGES_ID}", f"by {MOD_ID}"])


async def test_every_moderator_action_is_refused_in_a_direct_message(world: World):
    """Slash commands from a DM, by a user who owns server A: refused, nothing changes."""
    discord = world.discord
    before = {g: world.state(g) for g in (GUILD_ID, OTHER_GUILD, None)}
    for name, sub, options in (
            ("review", "queue", {}),
            ("review", "settings", {"channel": Ref.channel(MOD_CHANNEL)}),
            ("settings", "budget", {"dollars": 3.0}),
            ("settings", "languages", {"languages": "fr"}),
            ("feeds", "add", {"url": world.web.url("/feed.xml")}),
            ("digest", "subscribe", {"channel": Ref.channel(CHANNEL_ID),
                                     "schedule": "hourly"})):
        itx = await discord.slash(name, options, subcommand=sub, user_id=OWNER_ID,
                                  guild_id=None, channel_id=DM_CHANNEL)
        assert_refused(await first_answer(discord, itx), f"/{name} {sub}")
    await asyncio.sleep(0.1)
    assert {g: world.state(g) for g in before} == before

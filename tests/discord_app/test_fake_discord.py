"""The loopback Discord against the real, unmodified discord.py client.

A minimal bot defined here logs in to ``tests.fakes.discord_server``; each test drives it
through the fake (slash commands, buttons, modals, faults, reconnects) and asserts on what the
fake recorded.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import re
import warnings
from collections.abc import AsyncIterator
from typing import Any

import discord
import pytest
from discord import app_commands
from discord.ext import commands

from tests.fakes.discord_server import (  # noqa: F401 - the fixture registers by import
    CHANNEL_ID,
    GUILD_ID,
    USER_ID,
    DiscordServer,
    Ref,
    discord_server_fixture,
    validate_message,
)
from tests.fakes.http_server import HTTPServer

GUILD = discord.Object(GUILD_ID)
MANAGE_MESSAGES = 1 << 13


class ReviewButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"parallax:review:(?P<action>\w+):(?P<claim>\d+)",
):
    """A restart-proof button: all of its state is in the custom_id."""

    def __init__(self, action: str, claim: int) -> None:
        super().__init__(discord.ui.Button(label=action.title(),
                                           custom_id=f"parallax:review:{action}:{claim}"))
        self.action, self.claim = action, claim

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item[Any],
                             match: re.Match[str]) -> ReviewButton:
        return cls(match["action"], int(match["claim"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        if not interaction.permissions.manage_messages:
            await interaction.response.send_message("Not allowed.", ephemeral=True)
            return
        interaction.client.clicks.append((self.action, self.claim, interaction.user.id))  # type: ignore[attr-defined]
        await interaction.response.edit_message(content=f"Marked {self.action}.", view=None)


class NoteModal(discord.ui.Modal, title="Add note"):
    note = discord.ui.TextInput(label="Note", custom_id="note")

    def __init__(self, bot: MiniBot) -> None:
        super().__init__(custom_id="parallax:note")
        self.bot = bot

    async def on_submit(self, interaction: discord.Interaction) -> None:
        self.bot.notes.append(self.note.value)
        await interaction.response.send_message("Saved.", ephemeral=True)


class MiniBot(commands.Bot):
    """Only the default intents without message content, no member chunking."""

    def __init__(self) -> None:
        intents = discord.Intents.default()
        intents.message_content = False
        super().__init__(command_prefix=commands.when_mentioned, intents=intents,
                         chunk_guilds_at_startup=False, guild_ready_timeout=0.05)
        self.clicks: list[tuple[str, int, int]] = []
        self.notes: list[str] = []
        self.errors: list[discord.HTTPException] = []
        self.files: list[bytes] = []
        self.ready_guilds: list[int] = []
        self.tree.add_command(self._check_command(), guild=GUILD)

    def _check_command(self) -> app_commands.Command[Any, Any, None]:
        @app_commands.command(name="check", description="Check an article")
        async def check(interaction: discord.Interaction, text: str = "",
                        long: bool = False, file: discord.Attachment | None = None,
                        note: bool = False) -> None:
            if note:  # a modal must be the first response: no defer
                await interaction.response.send_modal(NoteModal(self))
                return
            await interaction.response.defer(thinking=True)
            if file is not None:
                self.files.append(await file.read())
            embed = discord.Embed(title="Report", description="x" * 5000 if long else text)
            mentions = discord.AllowedMentions.none()
            try:
                await interaction.edit_original_response(embed=embed, allowed_mentions=mentions)
            except discord.HTTPException as exc:
                self.errors.append(exc)
                await interaction.edit_original_response(content="Too long.",
                                                         allowed_mentions=mentions)

        return check

    async def setup_hook(self) -> None:
        self.add_dynamic_items(ReviewButton)

    async def on_ready(self) -> None:
        self.ready_guilds = [guild.id for guild in self.guilds]


async def _start(server: DiscordServer) -> tuple[MiniBot, asyncio.Task[None]]:
    server.point_discord_py()
    bot = MiniBot()
    task = asyncio.create_task(bot.start("fake-token"))
    await asyncio.wait_for(bot.wait_until_ready(), 5)
    return bot, task


@pytest.fixture
async def bot(discord_server: DiscordServer, caplog: pytest.LogCaptureFixture
              ) -> AsyncIterator[MiniBot]:
    client, task = await _start(discord_server)
    yield client
    await client.close()
    await task
    # discord.py logs (rather than raises) what goes wrong in event handlers and views.
    records = caplog.get_records("setup") + caplog.get_records("call")
    errors = [r.getMessage() for r in records
              if r.name.startswith("discord") and r.levelno >= logging.ERROR]
    assert errors == []
    assert discord_server.unhandled == []


async def test_login_reaches_ready_with_the_guild_and_minimal_intents(
    discord_server: DiscordServer, bot: MiniBot
) -> None:
    assert bot.ready_guilds == [GUILD_ID]
    guild = bot.get_guild(GUILD_ID)
    assert guild is not None and guild.get_channel(CHANNEL_ID).name == "general"  # type: ignore[union-attr]
    assert guild.me.guild_permissions.manage_messages
    expected = discord.Intents.default()
    expected.message_content = False
    assert discord_server.identify is not None
    assert discord_server.identify["intents"] == expected.value
    assert discord_server.identify["token"] == "fake-token"


async def test_slash_defers_then_edits_the_original_with_an_embed(
    discord_server: DiscordServer, bot: MiniBot
) -> None:
    itx = await discord_server.slash("check", {"text": "Hello @everyone"}, guild_command=True)
    original = await discord_server.wait_for(
        lambda: (m := discord_server.original(itx)) and m["embeds"] and m)
    assert [c.type for c in discord_server.callbacks(itx)] == [5]
    assert itx.ack_delay is not None  # how fast is bench/discord_bot.py's figure
    assert original["embeds"][0]["description"] == "Hello @everyone"
    assert not original["flags"] & 128  # no longer "thinking"
    assert original["mention_everyone"] is False
    edits = [p for m, p, p_json in discord_server.payloads if m == "PATCH"]
    assert edits and all("@original" in p for p in edits)
    assert all(body["allowed_mentions"]["parse"] == [] for m, _, body in discord_server.payloads
               if m == "PATCH")


async def test_an_oversize_embed_is_a_400_with_code_50035(
    discord_server: DiscordServer, bot: MiniBot
) -> None:
    itx = await discord_server.slash("check", {"long": True}, guild_command=True)
    await discord_server.wait_for(lambda: (m := discord_server.original(itx)) and m["content"])
    [error] = bot.errors
    assert error.status == 400 and error.code == 50035
    assert "embeds.0.description" in error.text
    assert discord_server.original(itx)["content"] == "Too long."  # type: ignore[index]


async def test_a_429_with_via_is_retried_and_the_post_lands_once(
    discord_server: DiscordServer, bot: MiniBot
) -> None:
    discord_server.fail_next("POST", r"^/channels/\d+/messages$", 429, retry_after=0.1)
    channel = bot.get_channel(CHANNEL_ID)
    assert isinstance(channel, discord.TextChannel)
    await channel.send("hello")
    assert [m["content"] for m in discord_server.messages(CHANNEL_ID)] == ["hello"]
    assert [r.status for r in discord_server.requests if r.method == "POST"] == [429, 200]
    discord_server.fail_next("POST", r"/messages$", 429, via=False)  # a Cloudflare ban
    with pytest.raises(discord.HTTPException) as caught:
        await channel.send("again")
    assert caught.value.status == 429


async def test_enforce_nonce_returns_the_first_message(
    discord_server: DiscordServer, bot: MiniBot
) -> None:
    channel = bot.get_channel(CHANNEL_ID)
    assert isinstance(channel, discord.TextChannel)
    first = await channel.send("once", nonce="n-1")
    second = await channel.send("once", nonce="n-1")
    assert first.id == second.id and len(discord_server.messages(CHANNEL_ID)) == 1


async def test_a_dynamic_button_click_reaches_its_callback(
    discord_server: DiscordServer, bot: MiniBot
) -> None:
    channel = bot.get_channel(CHANNEL_ID)
    assert isinstance(channel, discord.TextChannel)
    view = discord.ui.View(timeout=None)
    view.add_item(ReviewButton("accurate", 42))
    sent = await channel.send("Claim 42", view=view)
    [card] = discord_server.messages(CHANNEL_ID)

    refused = await discord_server.click(card, "parallax:review:accurate:42", user_id=USER_ID)
    reply = await discord_server.wait_for(lambda: discord_server.original(refused))
    assert reply["content"] == "Not allowed." and reply["flags"] & 64
    assert bot.clicks == []

    itx = await discord_server.click(sent.id, "parallax:review:accurate:42",
                                     permissions=MANAGE_MESSAGES)
    await discord_server.wait_for(lambda: bot.clicks)
    assert bot.clicks == [("accurate", 42, USER_ID)]
    await discord_server.wait_for(lambda: discord_server.callbacks(itx))
    assert discord_server.messages(CHANNEL_ID)[0]["content"] == "Marked accurate."
    assert discord_server.original(itx)["id"] == str(sent.id)  # type: ignore[index]


async def test_tree_sync_to_a_guild_records_the_commands(
    discord_server: DiscordServer, bot: MiniBot
) -> None:
    synced = await bot.tree.sync(guild=GUILD)
    recorded = discord_server.guild_commands[GUILD_ID]
    assert [c["name"] for c in recorded] == ["check"] == [c.name for c in synced]
    assert {o["name"] for o in recorded[0]["options"]} == {"text", "long", "file", "note"}
    assert discord_server.global_commands == []
    itx = await discord_server.slash("check", {"text": "synced"})  # scope found from the sync
    assert itx.payload["data"]["guild_id"] == str(GUILD_ID)
    await discord_server.wait_for(lambda: (m := discord_server.original(itx)) and m["embeds"])


async def test_attachment_option_is_read_from_a_loopback_url(
    discord_server: DiscordServer, bot: MiniBot
) -> None:
    async with HTTPServer() as files:
        files.page("/a.txt", "article body", content_type="text/plain")
        ref = Ref.attachment(files.url("/a.txt"), "a.txt", size=12, content_type="text/plain")
        itx = await discord_server.slash("check", {"file": ref}, guild_command=True)
        await discord_server.wait_for(lambda: discord_server.original(itx)
                                      and not discord_server.original(itx)["flags"] & 128)  # type: ignore[index]
    assert bot.files == [b"article body"]


async def test_modal_submit_reaches_on_submit(discord_server: DiscordServer, bot: MiniBot) -> None:
    opener = await discord_server.slash("check", {"note": True}, guild_command=True)
    await discord_server.wait_for(lambda: discord_server.callbacks(opener))
    assert discord_server.callbacks(opener)[0].type == 9
    await discord_server.submit_modal("parallax:note", {"note": "Context matters"})
    await discord_server.wait_for(lambda: bot.notes)
    assert bot.notes == ["Context matters"]


async def test_an_expired_token_is_refused_so_the_channel_api_must_be_used(
    discord_server: DiscordServer, bot: MiniBot
) -> None:
    itx = await discord_server.slash("check", {"text": "first"}, guild_command=True)
    original = await discord_server.wait_for(
        lambda: (m := discord_server.original(itx)) and m["embeds"] and m)
    discord_server.expire(itx)
    webhook = discord.Webhook.partial(bot.application_id, itx.token, client=bot)  # type: ignore[arg-type]
    with pytest.raises(discord.HTTPException) as caught:
        await webhook.edit_message(int(original["id"]), content="late")
    assert (caught.value.status, caught.value.code) == (401, 50027)
    channel = bot.get_channel(CHANNEL_ID)
    assert isinstance(channel, discord.TextChannel)
    await channel.get_partial_message(int(original["id"])).edit(content="late")
    assert discord_server.original(itx)["content"] == "late"  # type: ignore[index]


async def test_op_7_makes_the_client_resume(discord_server: DiscordServer, bot: MiniBot) -> None:
    await discord_server.reconnect()
    await discord_server.wait_for(lambda: discord_server.resumes)
    assert discord_server.resumes[0]["session_id"]
    itx = await discord_server.slash("check", {"text": "after resume"}, guild_command=True)
    await discord_server.wait_for(lambda: discord_server.callbacks(itx))
    assert len(discord_server.identifies) == 1


async def test_clean_shutdown_leaves_no_tasks_or_warnings(discord_server: DiscordServer) -> None:
    discord_server.token = "fake-token"  # the bot routes now require this Authorization
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        client, task = await _start(discord_server)
        await client.close()
        await task
        await asyncio.sleep(0)
        gc.collect()
    leftovers = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()
                 and "/discord/" in str(getattr(t.get_coro(), "cr_code", ""))]
    assert leftovers == []
    assert [str(w.message) for w in caught] == []
    assert client.is_closed()
    assert not discord_server.unhandled


def _row(*buttons: dict[str, Any]) -> dict[str, Any]:
    return {"type": 1, "components": list(buttons)}


@pytest.mark.parametrize(("payload", "path"), [
    ({"content": "x" * 2001}, "content"),
    ({"embeds": [{"title": "t"}] * 11}, "embeds"),
    ({"embeds": [{"title": "t" * 257}]}, "embeds.0.title"),
    ({"embeds": [{"fields": [{"name": "n", "value": "v"}] * 26}]}, "embeds.0.fields"),
    ({"embeds": [{"fields": [{"name": "n", "value": "v" * 1025}]}]}, "embeds.0.fields.0.value"),
    ({"embeds": [{"footer": {"text": "f" * 2049}}]}, "embeds.0.footer.text"),
    ({"embeds": [{"description": "d" * 4000}, {"description": "d" * 2001}]}, "embeds"),
    ({"components": [_row({"type": 2, "label": "l", "custom_id": f"c{i}"}) for i in range(6)]},
     "components"),
    ({"components": [_row(*({"type": 2, "label": "l", "custom_id": f"c{i}"} for i in range(6)))]},
     "components.0.components"),
    ({"components": [_row({"type": 2, "label": "l" * 81, "custom_id": "c"})]},
     "components.0.components.0.label"),
    ({"components": [_row({"type": 2, "label": "l", "custom_id": "c" * 101})]},
     "components.0.components.0.custom_id"),
])
def test_the_validator_rejects_what_discord_rejects(payload: dict[str, Any], path: str) -> None:
    node = validate_message(payload)
    for key in path.split("."):
        node = node[key]
    assert node["_errors"][0]["code"] in {"BASE_TYPE_MAX_LENGTH", "MAX_EMBED_SIZE_EXCEEDED"}
    at_limit = {"content": "x" * 2000, "embeds": [{"title": "t" * 256, "description": "d" * 4096,
                                                   "fields": [{"name": "n", "value": "v"}] * 25}]}
    assert validate_message(at_limit) == {}

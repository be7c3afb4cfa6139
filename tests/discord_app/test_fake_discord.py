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
import time
import warnings
from collections.abc import AsyncIterator
from typing import Any

import discord
import httpx
import pytest
from discord import app_commands
from discord.ext import commands

from tests.fakes.discord_ratelimits import RateLimits
from tests.fakes.discord_server import (  # noqa: F401 - the fixture registers by import
    APP_ID,
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


# -- rate limits (tests/fakes/discord_ratelimits.py) -------------------------------------------

SLOW = RateLimits().scaled(2.0)  # Discord's counts; windows long enough never to roll in a test
OTHER_CHANNEL = 900_000_000_000_000_201


async def _naive_burst(server: DiscordServer, channel: int, count: int,
                       token: str = "fake-token") -> list[httpx.Response]:
    """The old way: every post at once, the headers never read."""
    async with httpx.AsyncClient(base_url=server.api_base) as client:
        return list(await asyncio.gather(*(
            client.post(f"/channels/{channel}/messages", json={"content": f"card {i}"},
                        headers={"Authorization": f"Bot {token}"}) for i in range(count))))


async def test_every_answer_carries_discord_rate_limit_headers() -> None:
    async with DiscordServer(rate_limits=SLOW) as server:
        server.add_channel(GUILD_ID, OTHER_CHANNEL, "other")
        first, second = await _naive_burst(server, CHANNEL_ID, 2)
        [other] = await _naive_burst(server, OTHER_CHANNEL, 1)
        async with httpx.AsyncClient(base_url=server.api_base) as client:
            me = await client.get("/users/@me", headers={"Authorization": "Bot fake-token"})
    remaining = sorted(int(r.headers["X-RateLimit-Remaining"]) for r in (first, second))
    assert remaining == [3, 4]
    assert first.headers["X-RateLimit-Limit"] == "5" and first.headers["Via"]
    assert 0 < float(first.headers["X-RateLimit-Reset-After"]) <= 10.0
    assert abs(float(first.headers["X-RateLimit-Reset"]) - time.time()) <= 11.0
    # One bucket id for the route, counted per channel: the other channel starts afresh.
    assert other.headers["X-RateLimit-Bucket"] == first.headers["X-RateLimit-Bucket"]
    assert other.headers["X-RateLimit-Remaining"] == "4"
    assert me.status_code == 200 and me.headers["X-RateLimit-Bucket"] != \
        first.headers["X-RateLimit-Bucket"]
    assert "X-RateLimit-Scope" not in first.headers  # only on 429s


async def test_a_naive_burst_to_one_channel_is_refused_with_429s() -> None:
    async with DiscordServer(rate_limits=SLOW) as server:
        answers = await _naive_burst(server, CHANNEL_ID, 12)
        refused = [r for r in answers if r.status_code == 429]
        assert [r.status_code for r in answers].count(200) == 5
        assert len(refused) == 7 == len(server.rate_limited("user"))
        assert len(server.messages(CHANNEL_ID)) == 5  # the old poster lost 7 of 12 here
        for answer in refused:
            body = answer.json()
            assert body["global"] is False and body["message"]
            assert isinstance(body["retry_after"], float) and 0 < body["retry_after"] <= 10.0
            assert answer.headers["X-RateLimit-Scope"] == "user"
            assert answer.headers["X-RateLimit-Remaining"] == "0"
            assert int(answer.headers["Retry-After"]) >= body["retry_after"]
            assert answer.headers["Via"]  # else discord.py takes it for a Cloudflare ban
            assert answer.headers["Content-Type"] == "application/json"


async def test_the_global_limit_is_per_token_and_spares_interaction_endpoints() -> None:
    limits = RateLimits(global_limit=10, global_window=60.0)
    async with DiscordServer(rate_limits=limits) as server:
        for channel in range(5):
            server.add_channel(GUILD_ID, OTHER_CHANNEL + channel, f"c{channel}")
        answers = [a for channel in range(5)
                   for a in await _naive_burst(server, OTHER_CHANNEL + channel, 3)]
        assert [a.status_code for a in answers].count(200) == 10
        [*_, refused] = [a for a in answers if a.status_code == 429]
        assert refused.json()["global"] is True and refused.json()["retry_after"] > 0
        assert refused.headers["X-RateLimit-Global"] == "true"
        assert refused.headers["X-RateLimit-Scope"] == "global" and refused.headers["Via"]
        assert len(server.rate_limited("global")) == 5
        # Another bot token has a global limit of its own.
        assert [a.status_code for a in await _naive_burst(server, CHANNEL_ID, 1, "other")] == [200]
        async with httpx.AsyncClient(base_url=server.api_base) as client:
            callback = await client.post("/interactions/1/tok/callback", json={"type": 5})
            followup = await client.post(f"/webhooks/{APP_ID}/tok", json={"content": "x"})
    # Unknown interaction, not rate limited: interaction endpoints are exempt.
    assert callback.status_code == 404 and callback.json()["code"] == 10062
    assert followup.status_code == 404


async def test_discord_py_sends_a_burst_of_12_to_one_channel_without_loss_or_double(
    discord_server: DiscordServer, bot: MiniBot
) -> None:
    discord_server.set_rate_limits(RateLimits().scaled(0.05))  # 5 per 0.25 s
    channel = bot.get_channel(CHANNEL_ID)
    assert isinstance(channel, discord.TextChannel)
    for i in range(12):  # one after the other, as the review cards are posted
        await channel.send(f"card {i}")
    # discord.py reads the headers and waits out an exhausted bucket: no 429 was needed.
    assert discord_server.rate_limited() == []
    # All at once: discord.py may let a few too many through when its bucket refills (they
    # meet a 429); each is retried after its retry_after, and lands once.
    await asyncio.gather(*(channel.send(f"burst {i}") for i in range(12)))
    contents = [m["content"] for m in discord_server.messages(CHANNEL_ID)]
    assert contents[:12] == [f"card {i}" for i in range(12)]
    assert sorted(contents[12:]) == sorted(f"burst {i}" for i in range(12))
    landed = [r for r in discord_server.requests if r.status == 200
              and r.path == f"/channels/{CHANNEL_ID}/messages"]
    assert len(landed) == len(contents) == 24  # one accepted request per message


async def test_discord_py_answers_global_429s_by_waiting(
    discord_server: DiscordServer, bot: MiniBot
) -> None:
    # The global limit tighter than one channel's: discord.py does not count its own requests
    # against it and meets it, then waits retry_after and sends again.
    discord_server.set_rate_limits(RateLimits(global_limit=4, global_window=1.0))
    for i in range(3):
        discord_server.add_channel(GUILD_ID, OTHER_CHANNEL + i, f"c{i}")
    await bot.wait_until_ready()
    ids = [OTHER_CHANNEL + i for i in range(3)]
    # Channels created after login are fetched through REST: the request is what is tested.
    await asyncio.gather(*(bot.http.send_message(cid, params=_params(f"to {cid} #{n}"))
                           for cid in ids for n in range(3)))
    for cid in ids:
        assert sorted(m["content"] for m in discord_server.messages(cid)) == \
            sorted(f"to {cid} #{n}" for n in range(3))
    assert discord_server.rate_limited("global")  # met, and answered by waiting


def _params(content: str) -> Any:
    return discord.http.handle_message_parameters(content=content)

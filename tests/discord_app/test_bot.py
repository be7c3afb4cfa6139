"""Parallax's own bot, end to end: the real discord.py client against the loopback Discord."""

from __future__ import annotations

import asyncio
import logging
import re
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.config import Settings, load_settings
from bot.discord_app.client import ParallaxBot
from bot.present.limits import validate_message
from bot.records import GuildSettings
from bot.store.guilds import save_guild_settings
from tests.discord_app.bots import running, settings_for
from tests.fakes.discord_server import CHANNEL_ID, GUILD_ID, OWNER_ID, USER_ID, DiscordServer, Ref
from tests.fakes.http_server import HTTPServer
from tests.fakes.llm_server import Fault, LLMServer

CORPUS = Path(__file__).resolve().parents[1] / "data" / "corpus"
MOD_CHANNEL = 900_000_000_000_000_001
MANAGE_MESSAGES = 1 << 13
DISPUTING = {"a-model": "supported", "b-model": "refuted"}


@pytest.fixture
async def world(tmp_path, discord_server: DiscordServer, llm_server: LLMServer, caplog
                ) -> AsyncIterator[tuple[DiscordServer, LLMServer, Settings]]:
    discord_server.add_channel(GUILD_ID, MOD_CHANNEL, "moderators")
    llm_server.add("writer-model")
    for model, verdicts in DISPUTING.items():
        llm_server.add(model, verdicts=verdicts)
    yield discord_server, llm_server, settings_for(tmp_path, discord_server, llm_server)
    records = caplog.get_records("setup") + caplog.get_records("call")
    errors = [r.getMessage() for r in records
              if r.name.startswith("discord") and r.levelno >= logging.ERROR]
    assert errors == []
    assert discord_server.unhandled == []


async def moderated(bot: ParallaxBot, budget: float | None = None) -> None:
    await bot.app.store.run(save_guild_settings, GuildSettings(
        str(GUILD_ID), mod_channel_id=str(MOD_CHANNEL), daily_budget_usd=budget))


async def answered(server: DiscordServer, itx) -> dict:
    return await server.wait_for(
        lambda: (m := server.original(itx)) and (m["embeds"] or "error" in m["content"]) and m,
        timeout=20)


def rows(settings: Settings, table: str) -> int:
    with sqlite3.connect(settings.database) as conn:
        return conn.execute(f'select count(*) from "{table}"').fetchone()[0]


async def test_check_text_is_deferred_at_once_then_answered_with_the_report(world):
    discord, llm, settings = world
    async with running(settings) as bot:
        await moderated(bot)
        text = (CORPUS / "en-webb-telescope.txt").read_text(encoding="utf-8")
        itx = await discord.slash("check", {"text": text, "languages": "en,fr"})
        message = await answered(discord, itx)
        assert discord.callbacks(itx)[0].type == 5  # deferred first (how fast: bench/)
        assert itx.ack_delay is not None
        everything = str(message["embeds"])
        assert "Webb" in everything and "✅" in everything and "❌" in everything
        assert any(c["custom_id"].startswith("parallax:details:")
                   for row in message["components"] for c in row["components"])
        cards = await discord.wait_for(lambda: discord.messages(MOD_CHANNEL), timeout=10)
        assert cards and "parallax:review:accurate:" in str(cards[0]["components"])
        assert len(llm.calls(path="/v1/messages")) == 4


async def test_long_article_is_split_across_messages(world, tmp_path):
    discord, _, settings = world
    # Twelve claims of ~900 characters each cannot fit the 6,000 characters of one message.
    long = "\n\n".join(
        f"In {2000 + i} the city of Example counted " + ", ".join(
            f"{i * 100 + k} cyclists on road number {k} in district {i}" for k in range(18))
        + "." for i in range(14))
    async with running(settings):
        itx = await discord.slash("check", {"text": long, "languages": "en"})
        await answered(discord, itx)
        followups = await discord.wait_for(lambda: discord.followups(itx), timeout=10)
        assert followups, "a long answer continues in follow-ups"


async def test_check_an_attachment_and_a_url(world):
    discord, _, settings = world
    page = (CORPUS / "article-page.html").read_bytes()
    async with HTTPServer() as web, running(settings):
        web.page("/article.html", page, "text/html")
        web.page("/de-rhein.txt", (CORPUS / "de-rhein.txt").read_bytes(), "text/plain")
        itx = await discord.slash("check", {"url": web.url("/article.html")})
        assert "Webb telescope" in str((await answered(discord, itx))["embeds"])
        itx = await discord.slash("check", {"file": Ref.attachment(
            web.url("/de-rhein.txt"), "de-rhein.txt", size=958)})
        assert "Rhein" in str((await answered(discord, itx))["embeds"])


async def test_moderator_decides_and_others_are_refused_even_after_a_restart(world):
    discord, _, settings = world
    async with running(settings) as bot:
        await moderated(bot)
        itx = await discord.slash("check", {"text": (CORPUS / "de-rhein.txt").read_text()})
        await answered(discord, itx)
        cards = await discord.wait_for(lambda: discord.messages(MOD_CHANNEL), timeout=10)
    card = cards[0]
    accurate = next(c["custom_id"] for row in card["components"] for c in row["components"]
                    if c["custom_id"].startswith("parallax:review:accurate:"))
    async with running(settings):  # a new process: the card's buttons must still work
        refused = await discord.click(card, accurate, user_id=USER_ID, permissions=0)
        reply = await discord.wait_for(lambda: discord.callbacks(refused), timeout=10)
        assert reply[0].data.get("flags", 0) & 64  # ephemeral refusal
        assert rows(settings, "reviews") == 0
        ok = await discord.click(card, accurate, user_id=USER_ID, permissions=MANAGE_MESSAGES)
        update = await discord.wait_for(lambda: discord.callbacks(ok), timeout=10)
        assert update[0].type == 7  # the card itself is edited
        assert "<@" in str(update[0].data["embeds"])
        owner = await discord.click(card, accurate.replace(":accurate:", ":dismiss:"),
                                    user_id=OWNER_ID, permissions=0)
        await discord.wait_for(lambda: discord.callbacks(owner), timeout=10)
    with sqlite3.connect(settings.database) as conn:
        actions = [r[0] for r in conn.execute("select action from reviews order by id")]
    assert actions == ["accurate", "dismiss"]


async def test_a_note_form_open_across_a_restart_is_accepted(world):
    """A moderator opens Add note, the bot restarts, the form is sent to the new process: the
    note lands on the claim and the card shows it; the same form from a non-moderator does not.
    """
    discord, _, settings = world
    async with running(settings) as bot:
        await moderated(bot)
        itx = await discord.slash("check", {"text": (CORPUS / "de-rhein.txt").read_text()})
        await answered(discord, itx)
        card = (await discord.wait_for(lambda: discord.messages(MOD_CHANNEL), timeout=10))[0]
        note = next(c["custom_id"] for row in card["components"] for c in row["components"]
                    if c["custom_id"].startswith("parallax:review:note:"))
        opened = await discord.click(card, note, user_id=USER_ID, permissions=MANAGE_MESSAGES)
        form = (await discord.wait_for(lambda: discord.callbacks(opened), timeout=10))[0].data
    field = next(c["custom_id"] for row in form["components"] for c in row["components"])
    async with running(settings):  # a new process: it never saw this form
        refused = await discord.submit_modal(form["custom_id"], {field: "sneaky"},
                                             user_id=USER_ID, permissions=0, message=card)
        reply = await discord.wait_for(lambda: discord.callbacks(refused), timeout=10)
        assert reply[0].data.get("flags", 0) & 64 and rows(settings, "reviews") == 0
        sent = await discord.submit_modal(form["custom_id"], {field: "Source is the 2024 map"},
                                          user_id=USER_ID, permissions=MANAGE_MESSAGES,
                                          message=card)
        update = await discord.wait_for(lambda: discord.callbacks(sent), timeout=10)
        assert update[0].type == 7  # answered by editing the card, as a live form is
    with sqlite3.connect(settings.database) as conn:
        assert conn.execute("select action, note from reviews").fetchall() == [
            ("note", "Source is the 2024 map")]


async def test_a_429_on_the_card_post_is_retried_and_lands_once(world):
    discord, _, settings = world
    async with running(settings) as bot:
        await moderated(bot)
        discord.fail_next("POST", rf"^/channels/{MOD_CHANNEL}/messages$", 429, retry_after=0.1)
        itx = await discord.slash("check", {"text": (CORPUS / "es-museo-prado.txt").read_text()})
        await answered(discord, itx)
        await discord.wait_for(lambda: discord.messages(MOD_CHANNEL), timeout=10)
        await asyncio.sleep(0.3)
        cards = discord.messages(MOD_CHANNEL)
        claim_ids = [str(c["components"]).split("parallax:review:accurate:")[1][:18]
                     for c in cards]
        assert len(claim_ids) == len(set(claim_ids))
        statuses = [r.status for r in discord.requests
                    if r.method == "POST" and r.path.endswith(f"{MOD_CHANNEL}/messages")]
        assert statuses[0] == 429 and statuses.count(200) == len(cards)


async def test_an_article_with_everyone_pings_nobody(world):
    discord, _, settings = world
    text = ("@everyone <@&123456789012345678> The council voted 31 to 12 on Tuesday to build "
            "eight kilometres of cycle lanes costing 14 million euros. @here it opens in 2028.")
    async with running(settings) as bot:
        await moderated(bot)
        itx = await discord.slash("check", {"text": text * 3})
        await answered(discord, itx)
        await discord.wait_for(lambda: discord.messages(MOD_CHANNEL), timeout=10)
    bodies = [body for method, _, body in discord.payloads
              if method in ("POST", "PATCH") and isinstance(body, dict)
              and ("embeds" in body or "content" in body or "data" in body)]
    assert bodies
    for body in bodies:
        payload = body.get("data", body)
        if "embeds" in payload or "content" in payload:
            assert payload.get("allowed_mentions", {}).get("parse") == [], payload
    assert not any(m["mention_everyone"] for ch in (CHANNEL_ID, MOD_CHANNEL)
                   for m in discord.messages(ch))


async def test_budget_exceeded_is_refused_privately_with_no_model_call(world):
    discord, llm, settings = world
    async with running(settings) as bot:
        await moderated(bot)
        first = await discord.slash("check", {"text": (CORPUS / "ar-nile.txt").read_text()})
        await answered(discord, first)
        await moderated(bot, budget=0.0)  # today's spending (none here) already meets it
        calls = len(llm.calls())
        itx = await discord.slash("check", {"text": (CORPUS / "ja-fujisan.txt").read_text()})
        reply = await discord.wait_for(
            lambda: [m for m in discord.followups(itx) if "budget" in m["content"]], timeout=10)
        assert reply[0]["flags"] & 64
        assert len(llm.calls()) == calls


async def test_panel_failing_still_answers_with_the_error_column(world):
    discord, llm, settings = world
    llm.fail("b-model", *[Fault.overloaded()] * 3)
    async with running(settings):
        itx = await discord.slash("check", {"text": (CORPUS / "en-webb-telescope.txt").read_text()})
        message = await answered(discord, itx)
        assert "💥" in str(message["embeds"])


async def test_bad_input_gets_a_private_one_line_answer(world):
    discord, _, settings = world
    async with running(settings):
        itx = await discord.slash("check", {"text": "   "})
        await asyncio.sleep(0)
        both = await discord.slash("check", {"text": "x", "url": "https://example.org"})
        for interaction in (itx, both):
            def private(i=interaction) -> list[object]:
                return ([m for m in discord.followups(i) if m["flags"] & 64]
                        or [c for c in discord.callbacks(i) if c.data.get("flags", 0) & 64])

            assert await discord.wait_for(private, timeout=10)


async def test_an_expired_token_is_answered_through_the_channel(world):
    discord, llm, settings = world
    llm.add("writer-model", latency=1.0)
    async with running(settings):
        itx = await discord.slash("check", {"text": (CORPUS / "de-rhein.txt").read_text()})
        await discord.wait_for(lambda: discord.callbacks(itx), timeout=5)
        # The bot has read its deferred message's id (the check then waits for the writer):
        # expired only after that request, however long the machine takes to make it.
        await discord.wait_for(lambda: any(
            r.method == "GET" and r.path.endswith("/messages/@original") and r.status == 200
            for r in discord.requests))
        discord.expire(itx)
        edited = await discord.wait_for(
            lambda: [m for m in discord.messages(CHANNEL_ID) if m["embeds"]], timeout=20)
        assert "Rhein" in str(edited[0]["embeds"])
        statuses = [(r.method, r.status) for r in discord.requests if "webhooks" in r.path]
        assert ("PATCH", 401) in statuses
        channel_edits = [r for r in discord.requests
                         if r.method == "PATCH" and r.path.startswith("/channels/")]
        assert channel_edits and channel_edits[-1].status == 200


def many_claims_settings(tmp_path: Path, discord: DiscordServer, llm: LLMServer) -> Settings:
    """The world's settings with room for 16 claims (the default keeps 12), and an output limit
    on the writer that holds 16 long claims with their quotes (the fake cuts at the limit)."""
    settings_for(tmp_path, discord, llm)  # writes the file, ending with the [pipeline] table
    path = tmp_path / "parallax.toml"
    text = path.read_text(encoding="utf-8").replace(
        'name = "writer"\n', 'name = "writer"\nmax_output_tokens = 32000\n')
    path.write_text(text + "max_claims = 16\n", encoding="utf-8")
    return load_settings(path=path, environ={
        "DISCORD_TOKEN": "fake-token", "ANTHROPIC_API_KEY": "k",
        "DISCORD_API_BASE": discord.api_base, "DISCORD_GATEWAY_URL": discord.gateway_url})


def footer_of(message: dict) -> str:
    return message["embeds"][-1].get("footer", {}).get("text", "")


def buttons(message: dict) -> dict[str, dict]:
    """The message's buttons by label."""
    return {c["label"]: c for row in message["components"] for c in row["components"]}


async def test_details_pages_through_the_whole_report_even_after_a_restart(world, tmp_path):
    """Details opens page 1 of many, privately; Next reaches every page, in a new process too,
    and Previous comes back; every page is within Discord's limits, pings nobody, and all 16
    claims appear across the pages."""
    discord, llm, _ = world
    settings = many_claims_settings(tmp_path, discord, llm)
    markers = [f"marker{i:02d}" for i in range(16)]
    text = "\n\n".join(
        f"The {m} survey found that in {2000 + i} the city of Example counted " + ", ".join(
            f"{i * 100 + k} cyclists on road {k} in district {i}" for k in range(24)) + "."
        for i, m in enumerate(markers))
    async with running(settings):
        itx = await discord.slash("check", {"text": text, "languages": "en"})
        report = await answered(discord, itx)
        details = next(c["custom_id"] for row in report["components"]
                       for c in row["components"] if c["custom_id"].startswith("parallax:"))
        press = await discord.click(report, details)
        page = await discord.wait_for(
            lambda: (m := discord.original(press)) and m["embeds"] and m, timeout=10)
    assert page["flags"] & 64  # only the one who pressed sees it
    total = int(re.fullmatch(r"page 1 of (\d+)", footer_of(page))[1])
    assert total >= 5
    seen = [page]
    async with running(settings):  # a new process: the page buttons still work
        for number in range(2, total + 1):
            press = await discord.click(seen[-1], buttons(seen[-1])["Next ▶"]["custom_id"])
            seen.append(await discord.wait_for(
                lambda n=number, p=press: (m := discord.original(p))
                and footer_of(m) == f"page {n} of {total}" and m, timeout=10))
        last = buttons(seen[-1])
        assert last["Next ▶"].get("disabled") and not last["◀ Previous"].get("disabled")
        press = await discord.click(seen[-1], last["◀ Previous"]["custom_id"])
        await discord.wait_for(lambda: footer_of(discord.original(press) or {"embeds": [{}]})
                               == f"page {total - 1} of {total}", timeout=10)
    assert buttons(seen[0])["◀ Previous"].get("disabled")
    assert len({m["id"] for m in seen}) == 1  # one private message, edited in place
    everything = " ".join(str(m["embeds"]) for m in seen)
    assert all(marker in everything for marker in markers)
    for m in seen:
        assert len(m["embeds"]) <= 10 and validate_message(m["embeds"]) == []
    bodies = [body.get("data", body) for method, path, body in discord.payloads
              if method in ("POST", "PATCH") and isinstance(body, dict)]
    for body in bodies:
        if body.get("embeds"):
            assert body.get("allowed_mentions", {}).get("parse") == [], body

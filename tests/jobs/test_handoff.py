"""A gateway-only bot hands /check to a worker process, which answers exactly once."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from bot.records import GuildSettings
from bot.store.guilds import save_guild_settings
from tests.fakes.discord_server import CHANNEL_ID, GUILD_ID, DiscordServer
from tests.fakes.llm_server import LLMServer
from tests.jobs.processes import gateway, original_edits, queue_settings, until, workers

CORPUS = Path(__file__).resolve().parents[1] / "data" / "corpus"
MOD_CHANNEL = 900_000_000_000_000_001


def rows(url: str, sql: str) -> list[tuple]:
    with psycopg.connect(url) as conn:
        return conn.execute(sql).fetchall()


@pytest.fixture
def disputing(discord_server: DiscordServer, llm_server: LLMServer) -> LLMServer:
    """A writer and two panel models that disagree: every claim is flagged."""
    discord_server.add_channel(GUILD_ID, MOD_CHANNEL, "moderators")
    llm_server.add("writer-model")
    llm_server.add("a-model", verdicts="supported")
    llm_server.add("b-model", verdicts="refuted")
    return llm_server


async def test_a_check_from_a_gateway_is_run_and_answered_by_a_worker_once(
        tmp_path, postgres_url, discord_server: DiscordServer, disputing: LLMServer):
    llm_server = disputing
    settings, env = queue_settings(tmp_path, discord_server, llm_server, postgres_url)
    text = (CORPUS / "en-webb-telescope.txt").read_text(encoding="utf-8")
    async with gateway(settings) as bot:
        await bot.app.store.run(save_guild_settings, GuildSettings(
            str(GUILD_ID), mod_channel_id=str(MOD_CHANNEL)))
        itx = await discord_server.slash("check", {"text": text, "languages": "en"})
        await until(lambda: rows(postgres_url, "select 1 from procrastinate_jobs"),
                    "the check enqueued")
        assert discord_server.callbacks(itx)[0].type == 5  # deferred by the gateway
        assert llm_server.calls() == []  # the gateway itself asks no model
        with workers(env, 1, "--concurrency", "2", log_dir=tmp_path):
            message = await until(lambda: (m := discord_server.original(itx)) and m["embeds"]
                                  and m, "the answer")
            await until(lambda: rows(postgres_url, "select 1 from procrastinate_jobs "
                                     "where status = 'succeeded'"), "the job done")
    assert "Webb" in str(message["embeds"])
    assert any(c["custom_id"].startswith("parallax:details:")
               for row in message["components"] for c in row["components"])
    assert len(original_edits(discord_server, itx.token)) == 1  # progress lines aside
    assert rows(postgres_url, "select count(*) from checks") == [(1,)]
    assert rows(postgres_url, "select answered_via, token from parallax_interactions") == [
        ("webhook", None)]
    cards = discord_server.messages(MOD_CHANNEL)
    flagged = rows(postgres_url, "select count(*) from review_cards")[0][0]
    assert flagged and len(cards) == flagged
    buttons = [c["custom_id"] for c in cards[0]["components"][0]["components"]]
    assert [b.split(":")[2] for b in buttons] == [
        "accurate", "inaccurate", "needs-context", "dismiss", "note"]


async def test_past_the_tokens_life_the_answer_goes_to_the_channel(
        tmp_path, postgres_url, discord_server: DiscordServer, disputing: LLMServer):
    settings, env = queue_settings(tmp_path, discord_server, disputing, postgres_url)
    text = (CORPUS / "en-webb-telescope.txt").read_text(encoding="utf-8")
    async with gateway(settings):
        itx = await discord_server.slash("summarize", {"text": text, "languages": "en"})
        await until(lambda: rows(postgres_url, "select 1 from procrastinate_jobs"),
                    "the check enqueued")
        discord_server.expire(itx)  # the worker comes after the token's 15 minutes
        with workers(env, 1, log_dir=tmp_path):
            message = await until(lambda: (m := discord_server.original(itx)) and m["embeds"]
                                  and m, "the answer")
    assert "Webb" in str(message["embeds"])
    assert message["components"] == []  # /summarize has no Details
    edits = [r for r in discord_server.requests if r.method == "PATCH"
             and r.path == f"/channels/{CHANNEL_ID}/messages/{message['id']}"]
    assert len(edits) == 1
    assert rows(postgres_url, "select answered_via from parallax_interactions") == [
        ("channel",)]


async def test_status_on_a_gateway_shows_the_queue(tmp_path, postgres_url,
                                                   discord_server: DiscordServer,
                                                   disputing: LLMServer):
    settings, _ = queue_settings(tmp_path, discord_server, disputing, postgres_url)
    async with gateway(settings):
        await discord_server.slash("check", {"text": "Paris is in France.", "languages": "en"})
        await until(lambda: rows(postgres_url, "select 1 from procrastinate_jobs"),
                    "the check enqueued")
        itx = await discord_server.slash("status")
        shown = await until(lambda: [
            m for m in [*discord_server.followups(itx), discord_server.original(itx) or {}]
            if "Jobs" in str(m.get("embeds"))], "/status")
    assert "1 waiting · 0 in progress · 0 failed · 0 worker(s)" in str(shown[0]["embeds"])


async def test_a_users_mistake_is_answered_privately_once_and_not_retried(
        tmp_path, postgres_url, discord_server: DiscordServer, disputing: LLMServer):
    settings, env = queue_settings(tmp_path, discord_server, disputing, postgres_url)
    async with gateway(settings):
        # A private address: the fetcher refuses it (bad input), on the worker.
        itx = await discord_server.slash("check", {"url": "http://10.255.255.1/story"})
        with workers(env, 1, log_dir=tmp_path):
            notice = await until(lambda: discord_server.followups(itx), "the notice")
            await until(lambda: rows(postgres_url, "select 1 from procrastinate_jobs "
                                     "where status = 'succeeded'"), "the job done")
    assert notice[0]["flags"] & 64 and "10.255.255.1" in notice[0]["content"]
    assert discord_server.original(itx) is None  # the public "thinking…" was removed
    assert rows(postgres_url, "select count(*) from procrastinate_events "
                "where type = 'started'") == [(1,)]  # one attempt: not retried
    assert disputing.calls() == []

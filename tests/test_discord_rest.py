"""DiscordREST against the loopback Discord: mentions off, nonces, 429 retries, error mapping."""

from __future__ import annotations

import time

import httpx
import pytest

from bot.discord_rest import (
    USER_AGENT,
    ChannelUnavailable,
    DiscordError,
    DiscordREST,
    DiscordUnavailable,
    short_nonce,
)
from bot.errors import ParallaxError
from tests.fakes.discord_server import CHANNEL_ID, DiscordServer

TOKEN = "test-token.abc.XYZ"
MESSAGES = rf"/channels/{CHANNEL_ID}/messages"


@pytest.fixture
async def rest(discord_server: DiscordServer):
    async with DiscordREST(TOKEN, api_base=discord_server.api_base) as client:
        yield client


def posts(server: DiscordServer) -> list:
    return [r for r in server.requests if r.method == "POST" and r.path == MESSAGES]


async def test_post_lands_without_mentions_and_with_enforce_nonce(
        rest: DiscordREST, discord_server: DiscordServer) -> None:
    embed = {"title": "Digest", "description": "two articles"}
    mid = await rest.post_message(str(CHANNEL_ID), content="hello @everyone", embeds=[embed],
                                  nonce="digest-1")
    [message] = discord_server.messages(CHANNEL_ID)
    assert message["id"] == mid
    assert message["content"] == "hello @everyone"
    assert message["embeds"][0]["title"] == "Digest"
    assert message["mention_everyone"] is False
    _, _, payload = discord_server.payloads[-1]
    assert payload["allowed_mentions"] == {"parse": []}
    assert payload["nonce"] == "digest-1"
    assert payload["enforce_nonce"] is True


async def test_headers_and_no_nonce_by_default(discord_server: DiscordServer) -> None:
    seen: list[httpx.Request] = []

    async def record(request: httpx.Request) -> None:
        seen.append(request)

    async with httpx.AsyncClient(event_hooks={"request": [record]}) as client:
        rest = DiscordREST(TOKEN, discord_server.api_base + "/", client=client)
        await rest.post_message(CHANNEL_ID, content="plain")
        await rest.aclose()  # a shared client stays open
        assert not client.is_closed
    assert seen[0].headers["Authorization"] == f"Bot {TOKEN}"
    assert seen[0].headers["User-Agent"] == USER_AGENT == "DiscordBot (parallax, 0.1)"
    _, _, payload = discord_server.payloads[-1]
    assert "nonce" not in payload and "enforce_nonce" not in payload
    assert payload["allowed_mentions"] == {"parse": []}


async def test_same_nonce_twice_gives_one_message(
        rest: DiscordREST, discord_server: DiscordServer) -> None:
    first = await rest.post_message(CHANNEL_ID, content="digest", nonce="sub-3:2025-01-10T08")
    second = await rest.post_message(CHANNEL_ID, content="digest", nonce="sub-3:2025-01-10T08")
    assert first == second
    assert len(discord_server.messages(CHANNEL_ID)) == 1
    assert len(posts(discord_server)) == 2


async def test_long_nonce_is_shortened_stably(
        rest: DiscordREST, discord_server: DiscordServer) -> None:
    long = "digest:subscription-123456:2025-01-10T08:00:00Z"
    assert len(short_nonce(long)) == 25 and short_nonce(long) == short_nonce(long)
    assert short_nonce("short") == "short"
    first = await rest.post_message(CHANNEL_ID, content="x", nonce=long)
    second = await rest.post_message(CHANNEL_ID, content="x", nonce=long)
    assert first == second
    assert discord_server.payloads[-1][2]["nonce"] == short_nonce(long)


async def test_429_is_retried_and_lands_once(
        rest: DiscordREST, discord_server: DiscordServer) -> None:
    discord_server.fail_next("POST", MESSAGES, 429, retry_after=0.05)
    start = time.monotonic()
    mid = await rest.post_message(CHANNEL_ID, content="after a wait", nonce="n-429")
    assert time.monotonic() - start >= 0.05
    assert [r.status for r in posts(discord_server)] == [429, 200]
    assert [m["id"] for m in discord_server.messages(CHANNEL_ID)] == [mid]


async def test_429_gives_up_after_three_retries(
        rest: DiscordREST, discord_server: DiscordServer) -> None:
    discord_server.fail_next("POST", MESSAGES, 429, retry_after=0.01, times=10)
    with pytest.raises(DiscordUnavailable) as info:
        await rest.post_message(CHANNEL_ID, content="x")
    assert len(posts(discord_server)) == 4
    assert info.value.status == 429


async def test_long_429_is_not_waited_for(discord_server: DiscordServer) -> None:
    discord_server.fail_next("POST", MESSAGES, 429, retry_after=60)
    async with DiscordREST(TOKEN, discord_server.api_base, max_retry_after=1.0) as rest:
        with pytest.raises(DiscordUnavailable) as info:
            await rest.post_message(CHANNEL_ID, content="x")
    assert info.value.retry_after == 60
    assert len(posts(discord_server)) == 1


@pytest.mark.parametrize("status", [403, 404])
async def test_403_404_channel_unavailable_no_retry(
        rest: DiscordREST, discord_server: DiscordServer, status: int) -> None:
    discord_server.fail_next("POST", MESSAGES, status, code=50001, message="Missing Access")
    with pytest.raises(ChannelUnavailable) as info:
        await rest.post_message(CHANNEL_ID, content="x")
    assert len(discord_server.requests) == 1
    assert info.value.status == status and info.value.code == 50001
    assert "Missing Access" in info.value.reason
    assert isinstance(info.value, DiscordError) and isinstance(info.value, ParallaxError)


async def test_unknown_channel_is_unavailable(rest: DiscordREST) -> None:
    with pytest.raises(ChannelUnavailable, match="Unknown Channel"):
        await rest.post_message("123", content="x")


async def test_500_is_discord_unavailable(
        rest: DiscordREST, discord_server: DiscordServer) -> None:
    discord_server.fail_next("POST", MESSAGES, 500)
    with pytest.raises(DiscordUnavailable) as info:
        await rest.post_message(CHANNEL_ID, content="x")
    assert info.value.status == 500
    assert len(discord_server.requests) == 1
    assert discord_server.messages(CHANNEL_ID) == []


async def test_network_error_is_discord_unavailable() -> None:
    async with DiscordREST(TOKEN, "http://127.0.0.1:9/api/v10") as rest:
        with pytest.raises(DiscordUnavailable) as info:
            await rest.post_message(CHANNEL_ID, content="x")
    assert TOKEN not in str(info.value)


async def test_wrong_token_is_refused_without_leaking_it() -> None:
    async with DiscordServer(token="the-right-token") as server:
        async with DiscordREST(TOKEN, server.api_base) as rest:
            with pytest.raises(DiscordError) as info:
                await rest.post_message(CHANNEL_ID, content="x")
        assert type(info.value) is DiscordError
        assert info.value.status == 401
        assert "token was refused" in info.value.reason
        assert TOKEN not in str(info.value) and TOKEN not in repr(info.value)
        assert len(server.requests) == 1
        async with DiscordREST("the-right-token", server.api_base) as rest:
            assert await rest.post_message(CHANNEL_ID, content="ok")


async def test_invalid_payload_is_one_line_discord_error(rest: DiscordREST) -> None:
    with pytest.raises(DiscordError) as info:
        await rest.post_message(CHANNEL_ID, content="x" * 2001)
    assert type(info.value) is DiscordError
    assert info.value.code == 50035
    assert "content" in info.value.reason and "\n" not in info.value.reason

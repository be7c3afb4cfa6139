"""DiscordREST against the loopback Discord: mentions off, nonces, 429 retries, error mapping."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from bot.discord_ratelimits import Limits, route_of
from bot.discord_rest import (
    USER_AGENT,
    ChannelUnavailable,
    DiscordError,
    DiscordREST,
    DiscordUnavailable,
    short_nonce,
)
from bot.errors import ParallaxError
from tests.fakes.discord_ratelimits import RateLimits
from tests.fakes.discord_server import CHANNEL_ID, GUILD_ID, DiscordServer

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
    mid = await rest.post_message(CHANNEL_ID, content="after a wait", nonce="n-429")
    assert [r.status for r in posts(discord_server)] == [429, 200]
    assert [r.json["nonce"] for r in posts(discord_server)] == ["n-429", "n-429"]  # same post
    assert [m["id"] for m in discord_server.messages(CHANNEL_ID)] == [mid]
    assert rest.stats.limited == 1 and rest.stats.waits["retry"] == 1


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


# -- Discord's rate limits, read from the headers (bot/discord_ratelimits.py) -----------------

OTHER = 900_000_000_000_000_210


def contents(server: DiscordServer, channel: int = CHANNEL_ID) -> list[str]:
    return [m["content"] for m in server.messages(channel)]


async def test_a_burst_to_one_channel_waits_out_the_bucket_instead_of_meeting_429s() -> None:
    # 5 posts per second per channel: 12 posts in a row exhaust the bucket twice. The old
    # poster sent them regardless and met a 429 for each post beyond the fifth of a window.
    async with DiscordServer(rate_limits=RateLimits().scaled(0.2)) as server, \
            DiscordREST(TOKEN, server.api_base) as rest:
        for i in range(12):
            await rest.post_message(CHANNEL_ID, content=f"card {i}", nonce=f"card-{i}")
        assert contents(server) == [f"card {i}" for i in range(12)]
        assert server.rate_limited() == [] and rest.stats.limited == 0
        assert len(posts(server)) == 12
        assert rest.stats.waits["bucket"] <= 2  # fewer only if a window closed by itself


async def test_concurrent_posts_to_one_channel_go_in_order_without_429s() -> None:
    async with DiscordServer(rate_limits=RateLimits().scaled(0.05)) as server, \
            DiscordREST(TOKEN, server.api_base) as rest:
        await asyncio.gather(*(rest.post_message(CHANNEL_ID, content=f"n{i}", nonce=f"n{i}")
                               for i in range(12)))
        assert contents(server) == [f"n{i}" for i in range(12)]
        assert server.rate_limited() == [] and len(posts(server)) == 12


async def test_an_exhausted_bucket_resetting_too_late_raises_without_sending() -> None:
    async with DiscordServer(rate_limits=RateLimits().scaled(4.0)) as server, \
            DiscordREST(TOKEN, server.api_base, max_retry_after=1.0) as rest:
        for i in range(5):
            await rest.post_message(CHANNEL_ID, content=f"m{i}")
        with pytest.raises(DiscordUnavailable) as info:
            await rest.post_message(CHANNEL_ID, content="sixth")
        assert info.value.status == 429 and info.value.retry_after is not None
        assert info.value.retry_after > 1.0
        assert len(posts(server)) == 5 and server.rate_limited() == []  # no 429 was spent
        server.add_channel(GUILD_ID, OTHER, "other")  # another channel: another bucket
        await rest.post_message(OTHER, content="elsewhere")
        assert contents(server, OTHER) == ["elsewhere"]


async def test_global_429s_are_waited_out_and_every_post_lands_once() -> None:
    # Discord's global limit tighter than the one the poster assumes: it meets global 429s,
    # holds every request for retry_after, and sends the same posts (same nonces) again.
    async with DiscordServer(rate_limits=RateLimits(global_limit=4, global_window=1.0)) as server, \
            DiscordREST(TOKEN, server.api_base) as rest:
        channels = [OTHER + i for i in range(10)]
        for cid in channels:
            server.add_channel(GUILD_ID, cid, f"c{cid}")
        await asyncio.gather(*(rest.post_message(cid, content=f"digest {cid}", nonce=f"d{cid}")
                               for cid in channels))
        for cid in channels:
            assert contents(server, cid) == [f"digest {cid}"]
        met = server.rate_limited("global")
        assert met and rest.stats.limited == len(met) and rest.stats.waits["retry"] >= 1


async def test_the_poster_keeps_to_its_own_global_limit() -> None:
    now = [0.0]
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    limits = Limits(global_limit=3, global_window=1.0, clock=lambda: now[0], sleep=sleep)
    for _ in range(7):
        await limits.global_slot()
    assert limits.stats.waits["global"] == 2 and slept == [1.0, 1.0]


async def test_headers_fill_the_bucket_and_a_shared_bucket_id_is_shared() -> None:
    now = [100.0]
    limits = Limits(clock=lambda: now[0])
    route, major = route_of("POST", f"/channels/{CHANNEL_ID}/messages")
    assert (route, major) == ("POST /channels/{id}/messages", str(CHANNEL_ID))
    bucket = limits.bucket(route, major)
    assert limits.wait_needed(bucket) == 0.0  # unknown: one request may go
    limits.learn(route, major, bucket, {"x-ratelimit-bucket": "abc", "x-ratelimit-remaining": "0",
                                        "x-ratelimit-reset-after": "2.5"}, 200)
    assert limits.wait_needed(bucket) == 2.5
    other, _ = route_of("PATCH", f"/channels/{CHANNEL_ID}/messages/1")
    shared = limits.bucket(other, major)
    limits.learn(other, major, shared, {"x-ratelimit-bucket": "abc"}, 200)
    assert limits.bucket(other, major) is bucket  # the same bucket id: the same limit
    assert limits.bucket(route, "1") is not bucket  # another channel: its own
    now[0] += 2.5
    assert limits.wait_needed(bucket) == 0.0
    assert route_of("POST", "/webhooks/1/tok/messages/2") == (
        "POST /webhooks/{id}/{token}/messages/{id}", "1:tok")

"""The Anthropic rules the strict fake enforces, the old request shapes it refuses or does
not cache, and Parallax's requests passing under them."""

from __future__ import annotations

import asyncio

import anthropic
import pytest

from bot.providers.anthropic import THINKING_ROOM, AnthropicProvider
from bot.providers.schema import strict_schema
from bot.schemas import ClaimsOutput, SummaryOutput, VerifyOutput
from tests.fakes.llm_server import (
    FORMAT_WITH_CITATIONS,
    THINKING_FORCED,
    LLMServer,
    min_cache_tokens,
)

SEARCH = {"type": "web_search_20260318", "name": "web_search", "max_uses": 3}


def old_request(model: str, article: str, schema: dict | None = None, **extra) -> dict:
    """A request as Parallax built them before: one output format per task."""
    body = {"model": model, "max_tokens": 4096, "system": "Rules.",
            "messages": [{"role": "user", "content": [
                {"type": "text", "text": article, "cache_control": {"type": "ephemeral"}},
                {"type": "text", "text": 'Return JSON: {"claims": []}'}]}], **extra}
    if schema is not None:
        body["output_config"] = {"format": {"type": "json_schema", "schema": schema}}
    return body


@pytest.fixture
async def client(server: LLMServer, key: str):
    sdk = anthropic.AsyncAnthropic(api_key=key, base_url=server.url, max_retries=0,
                                   _strict_response_validation=True)
    async with sdk:
        yield sdk


LONG = "The bridge is 40 metres long. " * 400  # ~3,000 tokens: above every minimum


async def test_fake_refuses_an_output_format_with_web_search(server, client):
    server.add("model-a")
    with pytest.raises(anthropic.BadRequestError) as caught:
        await client.messages.create(**old_request(
            "model-a", LONG, strict_schema(ClaimsOutput), tools=[SEARCH]))
    assert caught.value.status_code == 400 and FORMAT_WITH_CITATIONS in str(caught.value)
    assert caught.value.body["error"]["type"] == "invalid_request_error"


async def test_fake_refuses_forced_tool_use_while_thinking(server, client):
    server.add("claude-opus-5-5", thinking=True)
    emit = {"name": "emit", "description": "d", "input_schema": strict_schema(ClaimsOutput)}
    for choice in ({"type": "tool", "name": "emit"}, {"type": "any"}):
        with pytest.raises(anthropic.BadRequestError, match=THINKING_FORCED):
            await client.messages.create(**old_request(
                "claude-opus-5-5", LONG, tools=[emit], tool_choice=choice))


async def test_fake_caches_only_an_identical_prefix(server, client):
    server.add("model-a")
    claims = await client.messages.create(**old_request("model-a", LONG,
                                                        strict_schema(ClaimsOutput)))
    verify = await client.messages.create(**old_request("model-a", LONG,
                                                        strict_schema(VerifyOutput)))
    same = await client.messages.create(**old_request("model-a", LONG,
                                                      strict_schema(VerifyOutput)))
    assert claims.usage.cache_creation_input_tokens > 0
    # The old shape: another task's format is another prefix, written again, never read.
    assert verify.usage.cache_read_input_tokens == 0
    assert verify.usage.cache_creation_input_tokens > 0
    assert same.usage.cache_read_input_tokens == verify.usage.cache_creation_input_tokens
    other = await client.messages.create(**old_request(
        "model-a", LONG,
        strict_schema(VerifyOutput), tool_choice={"type": "none"},
        tools=[{"name": "t", "description": "d", "input_schema": {"type": "object"}}]))
    assert other.usage.cache_read_input_tokens == 0  # tools changed: the whole prefix


async def test_fake_caches_nothing_under_the_minimum(server, client):
    server.add("claude-haiku-5-5")
    short = "The bridge is 40 metres long. " * 200  # ~1,500 tokens: under Haiku's 2,048
    first = await client.messages.create(**old_request("claude-haiku-5-5", short))
    again = await client.messages.create(**old_request("claude-haiku-5-5", short))
    for usage in (first.usage, again.usage):
        assert usage.cache_creation_input_tokens == 0 and usage.cache_read_input_tokens == 0


async def test_fake_cache_is_readable_only_once_the_writer_answered(server, client):
    server.add("model-a", latency=0.2)
    body = old_request("model-a", LONG)
    side = await asyncio.gather(client.messages.create(**body),
                                client.messages.create(**body))
    assert [m.usage.cache_creation_input_tokens > 0 for m in side] == [True, True]
    after = await client.messages.create(**body)
    assert after.usage.cache_read_input_tokens > 0


async def test_every_task_of_one_model_reads_the_cached_article(server, make_provider, tasks):
    server.add("model-a", latency=0.2)
    provider = make_provider(AnthropicProvider)
    # As a check runs them: the summary beside the claims, then the panel's verification.
    summary, claims = await asyncio.gather(provider.complete(tasks.summary()),
                                           provider.complete(tasks.claims()))
    verify = await provider.complete(tasks.verify())
    assert isinstance(summary.output, SummaryOutput)
    assert claims.usage.cache_write_tokens > 0 and claims.usage.cache_read_tokens == 0
    assert summary.usage.cache_read_tokens == claims.usage.cache_write_tokens
    assert summary.usage.cache_write_tokens == 0
    assert verify.usage.cache_read_tokens == claims.usage.cache_write_tokens
    bodies = [c.body for c in server.calls(path="/v1/messages")]
    assert bodies[0]["messages"][0]["content"][1]["text"].startswith("Task: list")  # claims first


async def test_web_search_asks_for_json_by_the_prompt_and_keeps_sources(server, make_provider,
                                                                        tasks):
    server.add("model-a")
    done = await make_provider(AnthropicProvider, web_search=True).complete(tasks.verify(2))
    body = server.calls(path="/v1/messages")[0].body
    assert "output_config" not in body and body["tools"] == [SEARCH]
    assert all(v.evidence and v.evidence[0].url.startswith("https://news.example/")
               for v in done.output.verdicts)


@pytest.mark.parametrize("config", [{"model": "claude-opus-5-5"}, {"thinking": True}])
async def test_a_thinking_model_in_tool_mode_is_not_forced(server, make_provider, tasks,
                                                           config):
    server.add(config.get("model", "model-a"), thinking=True)
    done = await make_provider(AnthropicProvider, structured="tool", **config).complete(
        tasks.verify(2))
    assert len(done.output.verdicts) == 2
    assert server.calls(path="/v1/messages")[0].body["tool_choice"] == {"type": "auto"}


async def test_a_model_that_does_not_think_keeps_forced_tool_use(server, make_provider, tasks):
    server.add("claude-sonnet-5-5")
    await make_provider(AnthropicProvider, structured="tool",
                        model="claude-sonnet-5-5").complete(tasks.verify(2))
    body = server.calls(path="/v1/messages")[0].body
    assert body["tool_choice"] == {"type": "tool", "name": "emit"}


async def test_a_thinking_model_gets_room_to_think_beside_its_answer(server, make_provider,
                                                                     tasks):
    server.add("claude-fable-5-2", thinking=True)  # its thinking alone uses up 256 tokens
    provider = make_provider(AnthropicProvider, model="claude-fable-5-2", max_output_tokens=256)
    done = await provider.complete(tasks.verify(2))
    assert not done.cut and len(done.output.verdicts) == 2
    assert server.calls(path="/v1/messages")[0].body["max_tokens"] == 256 + THINKING_ROOM


async def test_fake_refuses_an_output_format_with_a_citing_document(server, client):
    """Citations asked for on a document block are refused with a format as web search is."""
    server.add("model-a")
    body = old_request("model-a", LONG, strict_schema(ClaimsOutput))
    body["messages"][0]["content"].insert(0, {
        "type": "document", "source": {"type": "text", "media_type": "text/plain",
                                       "data": "The bridge opened in 2024."},
        "citations": {"enabled": True}})
    with pytest.raises(anthropic.BadRequestError, match=r"not compatible with citations"):
        await client.messages.create(**body)
    body["messages"][0]["content"][0]["citations"] = {"enabled": False}
    assert (await client.messages.create(**body)).stop_reason == "end_turn"


@pytest.mark.parametrize(("model", "least"), [
    ("claude-haiku-4-5", 4096), ("claude-haiku-4-5-20251001", 4096),
    ("claude-opus-4-5-20251101", 4096), ("claude-opus-4-6", 4096),
    ("claude-sonnet-4-5-20250929", 1024), ("claude-sonnet-4-6", 1024),
    ("claude-opus-4-20250514", 1024), ("claude-3-5-haiku-20241022", 2048),
    ("claude-haiku-5-5", 2048), ("model-a", 1024),  # no source lists them: the family rule
])
def test_minimum_cacheable_prefix_follows_the_vendors_table(model, least):
    assert min_cache_tokens(model) == least


async def test_a_prefix_above_sonnets_minimum_is_not_cached_by_haiku_4_5(server, client):
    """~3,000 tokens: cached by Sonnet 4.5 (1,024), not by Haiku 4.5 (4,096)."""
    for model in ("claude-sonnet-4-5", "claude-haiku-4-5"):
        server.add(model)
        await client.messages.create(**old_request(model, LONG))
    sonnet = await client.messages.create(**old_request("claude-sonnet-4-5", LONG))
    haiku = await client.messages.create(**old_request("claude-haiku-4-5", LONG))
    assert sonnet.usage.cache_read_input_tokens > 0
    assert haiku.usage.cache_read_input_tokens == haiku.usage.cache_creation_input_tokens == 0

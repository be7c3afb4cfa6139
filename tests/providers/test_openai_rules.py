"""The OpenAI rules the strict fake enforces (reasoning models, prompt caching) and
Parallax's requests passing under them."""

from __future__ import annotations

import openai
import pytest

from bot.providers.openai_compat import OpenAICompatProvider
from bot.providers.schema import strict_schema
from bot.schemas import ClaimsOutput, VerifyOutput
from tests.fakes.llm_server import LLMServer
from tests.providers.conftest import numbered_claims


@pytest.fixture
async def client(server: LLMServer, key: str):
    sdk = openai.AsyncOpenAI(api_key=key, base_url=server.openai_url, max_retries=0,
                             _strict_response_validation=True)
    async with sdk:
        yield sdk


def chat(model: str, user: str, schema: dict, **extra) -> dict:
    return {"model": model, "messages": [{"role": "system", "content": "Rules."},
                                         {"role": "user", "content": user}],
            "response_format": {"type": "json_schema", "json_schema": {
                "name": "x", "schema": schema, "strict": True}}, **extra}


LONG = "The bridge is 40 metres long. " * 400


async def test_fake_caches_identical_prefixes_schema_included(server, client):
    server.add("gpt-x")
    claims, verify = strict_schema(ClaimsOutput), strict_schema(VerifyOutput)
    await client.chat.completions.create(**chat("gpt-x", LONG + "claims", claims))
    other = await client.chat.completions.create(**chat("gpt-x", LONG + "verify", verify))
    same = await client.chat.completions.create(**chat("gpt-x", LONG + "verify", claims))
    assert other.usage.prompt_tokens_details.cached_tokens == 0  # another schema: another prefix
    cached = same.usage.prompt_tokens_details.cached_tokens
    assert cached >= 1024 and (cached - 1024) % 128 == 0
    short = await client.chat.completions.create(**chat("gpt-x", "tiny", claims))
    again = await client.chat.completions.create(**chat("gpt-x", "tiny", claims))
    assert short.usage.prompt_tokens_details.cached_tokens == 0
    assert again.usage.prompt_tokens_details.cached_tokens == 0  # under 1,024 tokens


async def test_fake_reasoning_model_rules(server, client):
    server.add("o4-mini", reasoning=True)
    server.add("gpt-4o")
    schema = strict_schema(ClaimsOutput)
    with pytest.raises(openai.BadRequestError, match="Use 'max_completion_tokens'"):
        await client.chat.completions.create(**chat("o4-mini", "x", schema, max_tokens=100))
    with pytest.raises(openai.BadRequestError, match="'reasoning_effort' is not supported"):
        await client.chat.completions.create(**chat("gpt-4o", "x", schema,
                                                    reasoning_effort="low"))
    # The default effort (medium) spends 6,144 reasoning tokens: 4,096 leave no answer.
    eaten = await client.chat.completions.create(**chat("o4-mini", "x", schema,
                                                        max_completion_tokens=4096))
    assert eaten.choices[0].finish_reason == "length" and eaten.choices[0].message.content == ""
    assert eaten.usage.completion_tokens_details.reasoning_tokens == 4096


async def test_a_reasoning_model_at_the_default_settings_answers_twelve_claims(
        server, make_provider, tasks):
    server.add("gpt-5-mini", reasoning=True)
    provider = make_provider(OpenAICompatProvider, model="gpt-5-mini")
    done = await provider.complete(tasks.verify_texts(numbered_claims(12)))
    assert not done.cut and len(done.output.verdicts) == 12
    body = server.calls(path="/v1/chat/completions")[0].body
    assert body["reasoning_effort"] == "low" and "max_tokens" not in body
    assert body["max_completion_tokens"] == 4096 + 4096


@pytest.mark.parametrize(("effort", "sent"), [("high", "high"), ("none", None)])
async def test_reasoning_effort_is_configured_per_model(server, make_provider, tasks, effort,
                                                        sent):
    server.add("gpt-5-mini", reasoning=effort != "none")
    provider = make_provider(OpenAICompatProvider, model="gpt-5-mini", reasoning_effort=effort)
    await provider.complete(tasks.verify(2))
    body = server.calls(path="/v1/chat/completions")[0].body
    assert body.get("reasoning_effort") == sent


async def test_a_model_that_does_not_reason_gets_no_effort(server, make_provider, tasks):
    server.add("llama3.1:8b")
    done = await make_provider(OpenAICompatProvider, model="llama3.1:8b").complete(
        tasks.verify(2))
    body = server.calls(path="/v1/chat/completions")[0].body
    assert len(done.output.verdicts) == 2
    assert "reasoning_effort" not in body and body["max_tokens"] == 4096


async def test_every_task_of_one_model_shares_its_cached_prefix(server, make_provider, tasks):
    server.add("gpt-x")
    provider = make_provider(OpenAICompatProvider, model="gpt-x")
    first = await provider.complete(tasks.claims())
    second = await provider.complete(tasks.verify())
    third = await provider.complete(tasks.summary())
    assert first.usage.cache_read_tokens == 0
    assert second.usage.cache_read_tokens >= 1024 and third.usage.cache_read_tokens >= 1024

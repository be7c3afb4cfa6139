"""AnthropicProvider through the real SDK against the fake server (strict response validation)."""

from __future__ import annotations

import time

import anthropic
import pytest

from bot.errors import ProviderError
from bot.prompts import ARTICLE_BLOCK
from bot.providers.anthropic import AnthropicProvider, ground_evidence
from bot.providers.http_faults import RetryPolicy
from bot.schemas import ClaimsOutput, SummaryOutput, VerifyOutput
from tests.fakes.llm_server import Fault, LLMServer, strict_problem, tokens_of
from tests.providers.conftest import numbered_claims


def user_blocks(server: LLMServer, index: int = -1) -> list[dict]:
    return server.calls(path="/v1/messages")[index].body["messages"][0]["content"]


async def test_structured_output_for_every_task(server, make_provider, tasks, article):
    server.add("model-a", verdicts="confident")
    provider = make_provider(AnthropicProvider)
    summary = (await provider.complete(tasks.summary(("en", "de")))).output
    claims = (await provider.complete(tasks.claims(("en", "fr")))).output
    verdicts = (await provider.complete(tasks.verify(3))).output
    assert isinstance(summary, SummaryOutput)
    assert [s.language for s in summary.summaries] == ["en", "de"]
    assert isinstance(claims, ClaimsOutput) and claims.claims
    assert all(c.quote in article.text for c in claims.claims)
    assert all(set(c.translations) == {"en", "fr"} for c in claims.claims)
    assert isinstance(verdicts, VerifyOutput)
    assert [v.claim for v in verdicts.verdicts] == [1, 2, 3]
    bodies = [c.body for c in server.calls(path="/v1/messages")]
    body = bodies[-1]
    schema = body["output_config"]["format"]["schema"]
    assert body["output_config"]["format"]["type"] == "json_schema"
    assert strict_problem(schema) is None and "tools" not in body
    assert "temperature" not in body and body["max_tokens"] == 4096
    # One output format for every task: it is part of the cached prefix.
    assert all(b["output_config"] == body["output_config"] for b in bodies)


async def test_article_is_a_cached_delimited_block(server, make_provider, tasks, article):
    server.add("model-a")
    request = tasks.claims()
    await make_provider(AnthropicProvider).complete(request)
    recorded = server.calls(path="/v1/messages")[0]
    first, second = user_blocks(server)
    assert first["cache_control"] == {"type": "ephemeral"}
    block = ARTICLE_BLOCK.search(first["text"])
    assert block is not None and block.group("text") == article.text
    assert "cache_control" not in second and second["text"] == request.prompt.instructions
    assert recorded.body["system"] == request.prompt.system
    assert recorded.credential == "bearer" and "authorization" not in recorded.headers


async def test_usage_counts_cache_writes_then_reads(server, make_provider, tasks):
    server.add("model-a")
    provider = make_provider(AnthropicProvider)
    first = await provider.complete(tasks.claims())
    second = await provider.complete(tasks.verify())
    assert first.usage.cache_write_tokens > 0 and first.usage.cache_read_tokens == 0
    assert second.usage.cache_read_tokens == first.usage.cache_write_tokens
    assert second.usage.cache_write_tokens == 0
    assert first.usage.input_tokens > 0 and first.usage.output_tokens > 0


async def test_forced_tool_fallback(server, make_provider, tasks):
    server.add("model-a")
    done = await make_provider(AnthropicProvider, structured="tool").complete(tasks.verify())
    assert isinstance(done.output, VerifyOutput) and len(done.output.verdicts) == 3
    body = server.calls(path="/v1/messages")[0].body
    assert body["tool_choice"] == {"type": "tool", "name": "emit"}
    assert [t["name"] for t in body["tools"]] == ["emit"]
    assert strict_problem(body["tools"][0]["input_schema"]) is None
    assert "output_config" not in body


async def test_malformed_answer_is_retried_once_with_the_error(server, make_provider, tasks):
    server.add("model-a")
    server.fail("model-a", Fault.malformed())
    done = await make_provider(AnthropicProvider, structured="json_object").complete(
        tasks.summary())
    assert done.attempts == 2
    retry = user_blocks(server)
    assert len(retry) == 3 and retry[2]["text"].startswith("Your previous answer was invalid:")
    assert "output_config" not in server.calls()[0].body


async def test_malformed_twice_is_an_error(server, make_provider, tasks):
    server.add("model-a")
    server.fail("model-a", Fault.malformed(), Fault.malformed('{"summaries": 3}'))
    with pytest.raises(ProviderError, match=r"^sonnet: invalid output after retry"):
        await make_provider(AnthropicProvider).complete(tasks.summary())


async def test_refusal_is_an_error_not_a_retry(server, make_provider, tasks):
    server.add("model-a")
    server.fail("model-a", Fault.refusal())
    with pytest.raises(ProviderError, match=r"^sonnet: refused$"):
        await make_provider(AnthropicProvider).complete(tasks.verify())
    assert len(server.calls()) == 1


async def test_a_cut_answer_keeps_the_verdicts_that_arrived_whole(server, make_provider,
                                                                  tasks):
    server.add("model-a")
    server.fail("model-a", Fault.truncated())
    request = tasks.verify(5)
    done = await make_provider(AnthropicProvider).complete(request)
    assert done.cut and done.attempts == 1 and len(server.calls()) == 1
    numbers = [v.claim for v in done.output.verdicts]
    assert numbers == list(range(1, len(numbers) + 1)) and 1 <= len(numbers) < 5


async def test_an_answer_over_max_tokens_is_cut_by_the_fake_and_kept_in_part(
        server, make_provider, tasks):
    server.add("model-a")
    done = await make_provider(AnthropicProvider, max_output_tokens=256).complete(
        tasks.verify_texts(numbered_claims(12)))
    numbers = [v.claim for v in done.output.verdicts]
    assert done.cut and numbers == list(range(1, len(numbers) + 1)) and 1 <= len(numbers) < 12
    assert done.usage.output_tokens == 256


async def test_cut_before_one_item_is_complete_is_an_error(server, make_provider, tasks):
    server.add("model-a", thinking=True)  # the thinking block alone uses up 256 tokens
    with pytest.raises(ProviderError, match="cut at the output limit before one item"):
        await make_provider(AnthropicProvider, max_output_tokens=256).complete(tasks.verify())


@pytest.mark.parametrize(("fault", "reason"), [
    (Fault.overloaded(), "overloaded (529)"),
    (Fault.server_error(), "server error (500)"),
    (Fault.rate_limited(retry_after=0.01), "rate limited (429)"),
])
async def test_persistent_faults_end_after_capped_retries(server, make_provider, tasks,
                                                          fault, reason, sleeps):
    server.add("model-a")
    server.fail("model-a", fault, fault, fault, fault)
    with pytest.raises(ProviderError) as caught:
        await make_provider(AnthropicProvider).complete(tasks.verify())
    assert caught.value.reason == f"sonnet: {reason}"
    assert len(server.calls()) == 3  # the first try and two retries
    assert len(sleeps) == 2 and sum(sleeps) <= 0.1  # each after the policy's short backoff


async def test_a_transient_overload_is_retried(server, make_provider, tasks):
    server.add("model-a")
    server.fail("model-a", Fault.overloaded())
    done = await make_provider(AnthropicProvider).complete(tasks.verify())
    assert len(done.output.verdicts) == 3 and len(server.calls()) == 2


async def test_retry_after_200_fails_at_once_with_the_default_policy(server, make_provider,
                                                                      tasks, sleeps):
    server.add("model-a")
    server.fail("model-a", Fault.rate_limited(retry_after=200))
    # A timeout long enough for the 429 to come back on a busy machine: failing at once is
    # the policy's choice (200 s is over its max_retry_after), not the clock's.
    provider = make_provider(AnthropicProvider, retry=RetryPolicy(), timeout=60.0)
    with pytest.raises(ProviderError, match=r"rate limited \(429\); the server asks to wait 200"):
        await provider.complete(tasks.verify())
    assert sleeps == [] and len(server.calls()) == 1  # no wait, no second try


async def test_retry_after_longer_than_the_timeout_is_not_slept(server, make_provider, tasks,
                                                               sleeps):
    # Even a policy that accepts long waits never sleeps past the call's timeout.
    server.add("model-a")
    server.fail("model-a", Fault.rate_limited(retry_after=300))
    provider = make_provider(AnthropicProvider, retry=RetryPolicy(max_retry_after=600),
                             timeout=60.0)
    with pytest.raises(ProviderError, match=r"rate limited \(429\)"):
        await provider.complete(tasks.verify())
    assert sleeps == [] and len(server.calls()) == 1


async def test_a_hang_is_cut_at_the_timeout(server, make_provider, tasks):
    server.add("model-a")
    server.fail("model-a", Fault.hang(300))
    started = time.monotonic()
    with pytest.raises(ProviderError, match=r"^sonnet: no answer within 0.5 s$"):
        await make_provider(AnthropicProvider, timeout=0.5).complete(tasks.verify())
    # It waited the timeout, and was cut long before the hang ends (a busy machine may make
    # the wait longer than 0.5 s, never shorter).
    assert 0.4 < time.monotonic() - started < 60


async def test_unknown_model_and_refused_key(server, make_provider, tasks, key):
    with pytest.raises(ProviderError, match=r"^sonnet: unknown model \(404\)$"):
        await make_provider(AnthropicProvider, model="claude-nope").complete(tasks.verify())
    server.add("model-a")
    with pytest.raises(ProviderError, match=r"^sonnet: key refused \(401\)$"):
        await make_provider(AnthropicProvider, key="sk-wrong").complete(tasks.verify())


async def test_the_key_never_appears_in_an_error(server, make_provider, tasks, key):
    server.add("model-a")
    faults = [Fault.status_code(400, f"Incorrect API key provided: {key}"), Fault.overloaded(),
              Fault.refusal(), Fault.hang(30)]
    reasons = []
    for fault in faults:
        server.profiles["model-a"].faults.clear()
        server.fail("model-a", fault, fault, fault)
        with pytest.raises(ProviderError) as caught:
            # Only the hang is cut by the timeout; the others' answers must be waited for.
            timeout = 0.5 if fault.kind == "hang" else 60.0
            await make_provider(AnthropicProvider, timeout=timeout).complete(tasks.verify())
        reasons.append(caught.value.reason)
        assert key not in str(caught.value) and key not in repr(caught.value)
    assert reasons[0] == "sonnet: request rejected (400): Incorrect API key provided: ***"


async def test_no_key_for_the_real_api_fails_before_any_request(make_provider, tasks):
    provider = make_provider(AnthropicProvider, key=None, base_url=None)
    with pytest.raises(ProviderError, match=r"no API key \(set ANTHROPIC_API_KEY\)"):
        await provider.complete(tasks.verify())
    assert await provider.probe() == "no key (set ANTHROPIC_API_KEY)"


async def test_web_search_resends_on_pause_turn_and_grounds_evidence(server, make_provider,
                                                                      tasks):
    server.add("model-a", pause_turns=1, invented_source=True)
    done = await make_provider(AnthropicProvider, web_search=True).complete(tasks.verify(2))
    calls = server.calls(path="/v1/messages")
    assert len(calls) == 2 and calls[1].body["messages"][1]["role"] == "assistant"
    assert calls[0].body["tools"] == [{"type": "web_search_20260318", "name": "web_search",
                                       "max_uses": 3}]
    first = done.output.verdicts[0].evidence
    assert [e.url for e in first] == [first[0].url]  # the invented source is gone
    assert first[0].url.startswith("https://news.example/")
    assert first[0].title == "Report on claim 1" and first[0].quote  # filled from citations
    usage = done.usage  # both turns counted
    assert usage.input_tokens + usage.cache_read_tokens + usage.cache_write_tokens == sum(
        tokens_of(c.body) for c in calls)
    # With search, no output format: structured outputs and citations do not go together.
    assert all("output_config" not in c.body for c in calls)


async def test_web_search_with_tool_mode_lets_the_model_search_first(server, make_provider,
                                                                      tasks):
    server.add("model-a")
    done = await make_provider(AnthropicProvider, web_search=True,
                               structured="tool").complete(tasks.verify(2))
    body = server.calls(path="/v1/messages")[0].body
    assert body["tool_choice"] == {"type": "any"}
    assert [t["name"] for t in body["tools"]] == ["web_search", "emit"]
    assert all(v.evidence for v in done.output.verdicts)


async def test_thinking_blocks_are_not_part_of_the_answer(server, make_provider, tasks):
    server.add("model-a", thinking=True)
    done = await make_provider(AnthropicProvider).complete(tasks.verify(2))
    assert len(done.output.verdicts) == 2 and done.attempts == 1


def test_ground_evidence_keeps_non_json_text_unchanged():
    assert ground_evidence("not json", {}) == "not json"


async def test_probe(server, make_provider, dead_url):
    server.add("model-a")
    server.add("claude-old", lifecycle="deprecated")
    assert await make_provider(AnthropicProvider).probe() == "ok"
    old = make_provider(AnthropicProvider, model="claude-old")
    assert await old.probe() == "ok (deprecated, retires 2026-11-30)"
    assert await make_provider(AnthropicProvider, model="x").probe() == "unknown model (404)"
    assert await make_provider(AnthropicProvider, key="bad").probe() == "key refused (401)"
    assert await make_provider(AnthropicProvider, base_url=dead_url).probe() == "unreachable"


async def test_fake_counts_tokens_and_lists_models_for_the_sdk(server, key):
    server.add("model-a")
    client = anthropic.AsyncAnthropic(api_key=key, base_url=server.url,
                                      _strict_response_validation=True)
    async with client:
        counted = await client.messages.count_tokens(
            model="model-a", messages=[{"role": "user", "content": "hello there"}])
        listed = [m.id async for m in client.models.list()]
    assert counted.input_tokens > 0 and listed == ["model-a"]


def test_prepare_makes_the_client_and_never_fails(monkeypatch: pytest.MonkeyPatch):
    # A warm-up for long-running processes: an SDK that refuses the sample answer leaves the
    # first check slower, never the bot unable to start.
    import asyncio

    from bot.config import ModelConfig

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise TypeError("no such field")

    monkeypatch.setattr(anthropic.types.Message, "construct", refuse)
    provider = AnthropicProvider(ModelConfig(name="m", provider="anthropic", model="claude-x",
                                             base_url="http://127.0.0.1:9"), api_key="k")

    async def prepare() -> anthropic.AsyncAnthropic:
        provider.prepare()
        return provider._sdk()

    client = asyncio.run(prepare())
    assert isinstance(client, anthropic.AsyncAnthropic)

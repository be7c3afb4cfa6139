"""OpenAICompatProvider through the real SDK against the fake server (strict validation)."""

from __future__ import annotations

import time

import pytest

from bot.config import ModelConfig
from bot.errors import ProviderError
from bot.prompts import ARTICLE_BLOCK
from bot.providers.http_faults import RetryPolicy
from bot.providers.openai_compat import OpenAICompatProvider
from bot.schemas import ClaimsOutput, SummaryOutput, VerifyOutput
from tests.fakes.llm_server import Fault, LLMServer, strict_problem
from tests.providers.conftest import numbered_claims


def last_body(server: LLMServer) -> dict:
    return server.calls(path="/v1/chat/completions")[-1].body


async def test_json_schema_output_for_every_task(server, make_provider, tasks, article):
    server.add("model-a", verdicts="cautious")
    provider = make_provider(OpenAICompatProvider)
    summary = (await provider.complete(tasks.summary(("en", "ja")))).output
    claims = (await provider.complete(tasks.claims(("en",)))).output
    verdicts = (await provider.complete(tasks.verify(3))).output
    assert isinstance(summary, SummaryOutput) and len(summary.summaries) == 2
    assert isinstance(claims, ClaimsOutput)
    assert all(c.quote in article.text and set(c.translations) == {"en"} for c in claims.claims)
    assert isinstance(verdicts, VerifyOutput) and len(verdicts.verdicts) == 3
    fmt = last_body(server)["response_format"]
    assert fmt["type"] == "json_schema" and fmt["json_schema"]["strict"] is True
    assert fmt["json_schema"]["name"] == "Answer"  # one schema for every task: one prefix
    assert all(c.body["response_format"] == fmt for c in server.calls(path="/v1/chat/completions"))
    assert strict_problem(fmt["json_schema"]["schema"]) is None


async def test_messages_put_the_article_first(server, make_provider, tasks, article):
    server.add("model-a")
    request = tasks.claims()
    await make_provider(OpenAICompatProvider).complete(request)
    system, user = last_body(server)["messages"]
    assert system == {"role": "system", "content": request.prompt.system}
    assert user["content"].startswith(request.prompt.article)
    block = ARTICLE_BLOCK.search(user["content"])
    assert block is not None and block.group("text") == article.text
    assert user["content"].endswith(request.prompt.instructions)
    # a compatible server gets max_tokens; only OpenAI's own API gets max_completion_tokens
    assert last_body(server)["max_tokens"] == 4096


async def test_forced_tool_fallback(server, make_provider, tasks):
    server.add("model-a")
    done = await make_provider(OpenAICompatProvider, structured="tool").complete(tasks.verify())
    assert isinstance(done.output, VerifyOutput) and len(done.output.verdicts) == 3
    body = last_body(server)
    assert body["tool_choice"] == {"type": "function", "function": {"name": "emit"}}
    assert body["tools"][0]["function"]["name"] == "emit"
    assert strict_problem(body["tools"][0]["function"]["parameters"]) is None
    assert "response_format" not in body


async def test_json_mode_unwraps_fences_and_repairs_once(server, make_provider, tasks):
    server.add("model-a", fenced=True)
    server.fail("model-a", Fault.malformed('{"summaries": [{"language": "en"}]}'))
    done = await make_provider(OpenAICompatProvider, structured="json_object").complete(
        tasks.summary())
    assert done.attempts == 2 and isinstance(done.output, SummaryOutput)
    first, second = server.calls(path="/v1/chat/completions")
    assert first.body["response_format"] == {"type": "json_object"}
    assert "Your previous answer was invalid: summaries.0.text" in second.body["messages"][1][
        "content"]


async def test_refusal_is_an_error_and_a_cut_answer_keeps_whole_verdicts(server,
                                                                          make_provider, tasks):
    server.add("model-a")
    server.fail("model-a", Fault.refusal(), Fault.truncated())
    provider = make_provider(OpenAICompatProvider)
    with pytest.raises(ProviderError, match=r"^sonnet: refused$"):
        await provider.complete(tasks.verify())
    done = await provider.complete(tasks.verify_texts(numbered_claims(6)))
    numbers = [v.claim for v in done.output.verdicts]
    assert done.cut and numbers == list(range(1, len(numbers) + 1)) and 1 <= len(numbers) < 6
    assert len(server.calls()) == 2


@pytest.mark.parametrize(("fault", "reason"), [
    (Fault.overloaded(), "overloaded (529)"),
    (Fault.server_error(503), "unavailable (503)"),
    (Fault.rate_limited(retry_after=0.01), "rate limited (429)"),
])
async def test_persistent_faults_end_after_capped_retries(server, make_provider, tasks,
                                                          fault, reason, sleeps):
    server.add("model-a")
    server.fail("model-a", fault, fault, fault, fault)
    with pytest.raises(ProviderError) as caught:
        await make_provider(OpenAICompatProvider).complete(tasks.verify())
    assert caught.value.reason == f"sonnet: {reason}"
    assert len(server.calls()) == 3
    assert len(sleeps) == 2 and sum(sleeps) <= 0.1  # each after the policy's short backoff


async def test_retry_after_200_fails_at_once(server, make_provider, tasks, sleeps):
    server.add("model-a")
    server.fail("model-a", Fault.rate_limited(retry_after=200))
    # A timeout long enough for the 429 to come back on a busy machine: failing at once is
    # the policy's choice (200 s is over its max_retry_after), not the clock's.
    provider = make_provider(OpenAICompatProvider, retry=RetryPolicy(), timeout=60.0)
    with pytest.raises(ProviderError, match=r"rate limited \(429\); the server asks to wait 200"):
        await provider.complete(tasks.verify())
    assert sleeps == [] and len(server.calls()) == 1  # no wait, no second try


async def test_a_hang_is_cut_at_the_timeout(server, make_provider, tasks):
    server.add("model-a")
    server.fail("model-a", Fault.hang(300))
    started = time.monotonic()
    with pytest.raises(ProviderError, match=r"^sonnet: no answer within 0.5 s$"):
        await make_provider(OpenAICompatProvider, timeout=0.5).complete(tasks.verify())
    # It waited the timeout, and was cut long before the hang ends (a busy machine may make
    # the wait longer than 0.5 s, never shorter).
    assert 0.4 < time.monotonic() - started < 60


async def test_usage_reports_cached_prefix_as_cache_reads(server, make_provider, tasks):
    server.add("model-a")
    provider = make_provider(OpenAICompatProvider)
    first = await provider.complete(tasks.claims())
    second = await provider.complete(tasks.verify())
    assert first.usage.cache_read_tokens == 0 and first.usage.input_tokens > 0
    assert second.usage.cache_read_tokens > 0 and second.usage.output_tokens > 0
    assert second.usage.cache_read_tokens % 128 == 0  # 1,024 and more, in 128-token steps
    assert second.usage.input_tokens < first.usage.input_tokens + first.usage.cache_read_tokens


async def test_keyless_local_server(llm_server, tasks):
    llm_server.add("llama3.1:8b")
    config = ModelConfig(name="llama", provider="openai", model="llama3.1:8b",
                         base_url=llm_server.openai_url, structured="json_object")
    provider = OpenAICompatProvider(config, None, strict_responses=True)
    try:
        done = await provider.complete(tasks.verify())
        assert await provider.probe() == "ok"
    finally:
        await provider.aclose()
    assert len(done.output.verdicts) == 3
    assert llm_server.calls()[0].credential == "bearer"


async def test_no_key_for_openai_itself_fails_before_any_request(make_provider, tasks):
    provider = make_provider(OpenAICompatProvider, key=None, base_url=None)
    with pytest.raises(ProviderError, match=r"no API key \(set OPENAI_API_KEY\)"):
        await provider.complete(tasks.verify())
    assert await provider.probe() == "no key (set OPENAI_API_KEY)"


async def test_the_key_never_appears_in_an_error(server, make_provider, tasks, key):
    server.add("model-a")
    faults = [Fault.status_code(400, f"Incorrect API key provided: {key}"),
              Fault.status_code(401, f"Incorrect API key provided: {key}"),
              Fault.overloaded(), Fault.refusal()]
    reasons = []
    for fault in faults:
        server.profiles["model-a"].faults.clear()
        server.fail("model-a", fault, fault, fault)
        with pytest.raises(ProviderError) as caught:
            await make_provider(OpenAICompatProvider).complete(tasks.verify())
        reasons.append(caught.value.reason)
        assert key not in str(caught.value) and key not in repr(caught.value)
    assert reasons[:2] == ["sonnet: request rejected (400): Incorrect API key provided: ***",
                           "sonnet: key refused (401)"]


async def test_probe(server, make_provider, dead_url):
    server.add("model-a")
    assert await make_provider(OpenAICompatProvider).probe() == "ok"
    unknown = make_provider(OpenAICompatProvider, model="gpt-nope")
    assert await unknown.probe() == "unknown model (not listed by the server)"
    assert await make_provider(OpenAICompatProvider, key="bad").probe() == "key refused (401)"
    dead = make_provider(OpenAICompatProvider, base_url=dead_url + "/v1")
    assert await dead.probe() == "unreachable"

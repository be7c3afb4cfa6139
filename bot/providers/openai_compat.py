"""The OpenAI-compatible provider: the official SDK's async client on Chat Completions.

Chat Completions is what OpenAI, Ollama, vLLM, OpenRouter and LM Studio all serve; the
server is chosen by ``base_url``. The user message puts the article block first and the task
after it, and every task of a model sends the same response schema
(:func:`bot.providers.schema.answer_schema`): OpenAI caches identical prompt prefixes of
1,024 tokens or more by itself, the schema included, so the calls on one article share the
system rules, the schema and the article. Structured output by the per-model ``structured``
setting:

- ``json_schema``: ``response_format`` with the strict schema (servers that honour it);
- ``json_object``: JSON mode, then validation and one repair retry by the base class; a reply
  wrapped in prose or a code fence, as local models like to do, is unwrapped first;
- ``tool``: a function tool ``emit`` forced with ``tool_choice``; its arguments are the JSON.

``message.refusal`` and ``finish_reason`` are checked before the text is used; an answer cut
at ``length`` is passed on as cut, and the items that arrived whole are kept.

Reasoning models (the o-series and gpt-5 family, or any model given ``reasoning_effort``)
pay for hidden reasoning out of ``max_completion_tokens``: they get ``reasoning_effort``
("low" unless configured) and room to reason on top of ``max_output_tokens``
(:data:`REASONING_ROOM`), so the reasoning does not eat the answer. Other models are sent
neither (OpenAI refuses ``reasoning_effort`` for them).
"""

from __future__ import annotations

import asyncio
import hashlib
import re
from typing import Any

import openai

from bot.errors import ProviderError
from bot.providers.base import CompletionRequest, Generation
from bot.providers.http_faults import (
    SDKErrors,
    api_answer,
    reason,
    sdk_timeout,
    with_retries,
)
from bot.providers.schema import answer_schema, extract_json, repair_note
from bot.providers.sdk import SDKProvider
from bot.records import Usage

DEFAULT_BASE_URL = "https://api.openai.com/v1"
ERRORS = SDKErrors(openai.APIStatusError, openai.APITimeoutError, openai.APIConnectionError,
                   openai.APIResponseValidationError)
# OpenAI's reasoning models: o1, o3, o4-mini and their variants, the gpt-5 family.
REASONING_IDS = re.compile(r"^(?:o\d(?:$|-)|gpt-5)")
DEFAULT_EFFORT = "low"  # enough for judging claims; "medium" (the API's default) costs more
# Hidden reasoning room per effort, on top of the answer's own max_output_tokens.
REASONING_ROOM = {"minimal": 1024, "low": 4096, "medium": 16384, "high": 32768}


class OpenAICompatProvider(SDKProvider[openai.AsyncOpenAI]):
    """A model behind any OpenAI-compatible Chat Completions endpoint."""

    kind = "openai"

    @property
    def _official(self) -> bool:
        """Whether this is OpenAI's own API (it needs a key and max_completion_tokens)."""
        return not self.config.base_url or "api.openai.com" in self.config.base_url

    def _new_client(self) -> openai.AsyncOpenAI:
        total, connect = sdk_timeout(self.config.timeout)
        return openai.AsyncOpenAI(
            # The SDK refuses an empty key; local servers (Ollama, vLLM) need none.
            api_key=self._api_key or "not-needed",
            base_url=self.config.base_url or DEFAULT_BASE_URL,
            max_retries=0,  # retried in http_faults, with a cap on retry-after
            timeout=openai.Timeout(total, connect=connect),
            _strict_response_validation=self._strict,
        )

    async def _generate(self, request: CompletionRequest, repair: str | None) -> Generation:
        if not self._api_key and self._official:
            raise ProviderError(f"{self.name}: no API key (set {self.config.key_env})")
        params = self._params(request, repair)
        client = self._sdk()
        completion = api_answer(await with_retries(
            lambda: client.chat.completions.create(**params), label=self.name, errors=ERRORS,
            policy=self.retry, budget=self.config.timeout, secret=self._api_key),
            openai.types.chat.ChatCompletion, ("choices",), self.name)
        usage = _usage(completion.usage)
        if not completion.choices:
            raise ProviderError(f"{self.name}: empty answer")
        choice = completion.choices[0]
        message = choice.message
        if message.refusal:
            raise ProviderError(f"{self.name}: refused")
        if choice.finish_reason == "content_filter":
            raise ProviderError(f"{self.name}: answer withheld by the content filter")
        cut = choice.finish_reason == "length"
        if self.config.structured == "tool":
            for call in message.tool_calls or []:
                if call.type == "function" and call.function.name == "emit":
                    return Generation(call.function.arguments, usage, cut=cut)
        text = message.content or ""
        if cut:  # no closing brace to look for: the answer starts at the first one
            start = text.find("{")
            return Generation(text[start:] if start >= 0 else "", usage, cut=True)
        if self.config.structured == "json_object":
            text = extract_json(text)
        return Generation(text, usage)

    @property
    def effort(self) -> str | None:
        """The ``reasoning_effort`` to send, or None for a model that does not reason."""
        effort = self.config.reasoning_effort
        if effort == "none":
            return None
        if effort is None:
            return DEFAULT_EFFORT if REASONING_IDS.match(self.model) else None
        return effort

    def _cached_prefix(self, request: CompletionRequest) -> str | None:
        # Schema and system are the same for every task of this model; the article follows.
        prompt = request.prompt
        digest = hashlib.sha256(f"{prompt.system}\0{prompt.article}".encode()).hexdigest()
        return f"{self.model}:{digest}"

    def _params(self, request: CompletionRequest, repair: str | None) -> dict[str, Any]:
        prompt = request.prompt
        user = f"{prompt.article}\n\n{prompt.instructions}"
        if repair:
            user += "\n\n" + repair_note(repair)
        # OpenAI's reasoning models refuse max_tokens; most other servers only know it.
        effort = self.effort
        limit = "max_completion_tokens" if self._official or effort else "max_tokens"
        budget = self.config.max_output_tokens + (REASONING_ROOM[effort] if effort else 0)
        params: dict[str, Any] = {
            "model": self.model, limit: budget,
            "messages": [{"role": "system", "content": prompt.system},
                         {"role": "user", "content": user}],
        }
        if effort:
            params["reasoning_effort"] = effort
        mode = self.config.structured
        if mode == "json_object":
            params["response_format"] = {"type": "json_object"}
            return params
        schema = answer_schema()
        if mode == "tool":
            params["tools"] = [{"type": "function", "function": {
                "name": "emit", "description": "Give the answer.", "parameters": schema,
                "strict": True}}]
            params["tool_choice"] = {"type": "function", "function": {"name": "emit"}}
        else:
            params["response_format"] = {"type": "json_schema", "json_schema": {
                "name": "Answer", "schema": schema, "strict": True}}
        return params

    async def probe(self) -> str:
        """Whether the endpoint answers, accepts the key and lists the model; never raises.

        It lists the models rather than retrieving one: vLLM and OpenRouter serve the list,
        not always the single-model route (and OpenRouter ids contain slashes).
        """
        if not self._api_key and self._official:
            return f"no key (set {self.config.key_env})"
        try:
            async with asyncio.timeout(min(self.config.timeout, 10.0)):
                ids = [m.id async for m in self._sdk().models.list()]
        except TimeoutError:
            return "unreachable (no answer)"
        except openai.OpenAIError as exc:
            return reason(exc, ERRORS, self._api_key)
        except (ValueError, AttributeError, TypeError):
            # A lenient SDK pages over whatever came back: HTML or JSON of another shape.
            return "malformed response from the server"
        return "ok" if self.model in ids else "unknown model (not listed by the server)"


def _usage(usage: Any) -> Usage:
    """Usage with ``input_tokens`` as the uncached part, as Anthropic reports it."""
    if usage is None:  # some compatible servers send none
        return Usage()
    details = usage.prompt_tokens_details
    cached = (details.cached_tokens or 0) if details else 0
    written = (getattr(details, "cache_write_tokens", None) or 0) if details else 0
    return Usage(max(usage.prompt_tokens - cached - written, 0), usage.completion_tokens,
                 cached, written)

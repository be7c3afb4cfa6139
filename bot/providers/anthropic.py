"""The Anthropic provider: the official SDK's async client on the Messages API.

One request per task: the system rules, then one user message of two text blocks, the
article block marked ``cache_control: ephemeral`` and the task's instructions. Anthropic
caches an exact prefix (tools, then system, then messages up to the breakpoint; the output
format is part of it), so every task of one model sends the same tools, the same system
rules and the same output format (:func:`bot.providers.schema.answer_schema`, one schema
covering every task): the extraction, verification and summary calls on one article then
share the cached article. Output format by the per-model setting and what the API allows:

- ``json_schema`` (default): ``output_config.format`` with the strict schema. Not with web
  search: structured outputs are incompatible with citations, and search results always
  cite, so the API refuses the two together. With ``web_search = true`` the answer is asked
  for as JSON by the prompt alone and validated (the repair retry covers a bad one), and
  the sources are kept.
- ``tool``: a forced ``emit`` tool (older models, Anthropic-compatible servers). A forced
  ``tool_choice`` is refused while the model thinks (Opus 5.5 and Fable always do; the
  ``thinking`` setting says so for others), so a thinking model is offered ``emit`` with
  ``tool_choice: auto`` and its answer read from the tool call or the text. Thinking is paid
  out of ``max_tokens``, so a thinking model gets :data:`THINKING_ROOM` on top of the answer's.
- ``json_object``: no schema; the prompt and validation.

``stop_reason`` is checked before the text is used: a refusal is an error, never a verdict;
an answer cut at ``max_tokens`` is passed on as cut, and the items that arrived whole are kept.

Web search (``web_search = true``): the server-side search tool is offered and
``pause_turn`` answered by resending, a bounded number of times. The model fills each
verdict's ``evidence`` itself; the provider then keeps only evidence whose URL the search
really returned, filling an empty title or quote from the search's citation of that URL.
A source the model never retrieved is dropped: a made-up citation is worse than none.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
from typing import Any, ClassVar

import anthropic
import pydantic_core

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

DEFAULT_BASE_URL = "https://api.anthropic.com"
WEB_SEARCH_TOOL = {"type": "web_search_20260318", "name": "web_search", "max_uses": 3}
ERRORS = SDKErrors(anthropic.APIStatusError, anthropic.APITimeoutError,
                   anthropic.APIConnectionError, anthropic.APIResponseValidationError)
# Models that always think (a forced tool_choice is refused); the ``thinking`` setting wins.
ALWAYS_THINKING = ("claude-opus-5-5", "claude-fable-")
THINKING_ROOM = 8192  # tokens a thinking model may think, on top of max_output_tokens


class AnthropicProvider(SDKProvider[anthropic.AsyncAnthropic]):
    """A Claude model (or an Anthropic-compatible server) behind the Messages API."""

    kind = "anthropic"
    max_continuations: ClassVar[int] = 3  # pause_turn resends before giving up

    def _new_client(self) -> anthropic.AsyncAnthropic:
        total, connect = sdk_timeout(self.config.timeout)
        return anthropic.AsyncAnthropic(
            api_key=self._api_key or "not-needed",  # keyless compatible servers
            base_url=self.config.base_url or DEFAULT_BASE_URL,
            max_retries=0,  # retried in http_faults, with a cap on retry-after
            timeout=anthropic.Timeout(total, connect=connect),
            _strict_response_validation=self._strict,
        )

    def prepare(self) -> None:
        """The SDK client, and the validators of the answer's types: the SDK's models build
        them when first read (~20 ms on a first /check, measured), here from a sample answer
        of the blocks a check reads."""
        super().prepare()
        # Only a warm-up: should a later SDK refuse the sample, the first check is slower.
        with contextlib.suppress(Exception):
            anthropic.types.Message.construct(
                id="msg_prepare", type="message", role="assistant", model="prepare",
                content=[{"type": "text", "text": ""},
                         {"type": "tool_use", "id": "toolu_prepare", "name": "answer",
                          "input": {}}],
                stop_reason="end_turn", stop_sequence=None,
                usage={"input_tokens": 0, "output_tokens": 0})

    async def _generate(self, request: CompletionRequest, repair: str | None) -> Generation:
        if not self._api_key and not self.config.base_url:
            raise ProviderError(f"{self.name}: no API key (set {self.config.key_env})")
        params = self._params(request, repair)
        messages: list[Any] = params.pop("messages")
        client, budget_end = self._sdk(), asyncio.get_running_loop().time() + self.config.timeout
        usage, blocks = Usage(), []
        for _ in range(self.max_continuations + 1):
            left = budget_end - asyncio.get_running_loop().time()
            msg = api_answer(await with_retries(
                lambda m=messages: client.messages.create(messages=m, **params),
                label=self.name, errors=ERRORS, policy=self.retry, budget=left,
                secret=self._api_key), anthropic.types.Message, ("content", "usage"), self.name)
            usage = usage + _usage(msg.usage)
            blocks += msg.content
            if msg.stop_reason != "pause_turn":
                break
            # The server paused its tool loop: send its turn back so it carries on.
            messages = [*messages, msg.to_param()]
        else:
            raise ProviderError(f"{self.name}: web search did not finish "
                                f"after {self.max_continuations} continuations")
        if msg.stop_reason == "refusal":
            raise ProviderError(f"{self.name}: refused")
        if msg.stop_reason == "model_context_window_exceeded":
            raise ProviderError(f"{self.name}: the prompt fills the model's context window")
        cut = msg.stop_reason == "max_tokens"
        text = self._answer(msg.content, cut)
        if self.config.web_search:
            text = ground_evidence(text, sources(blocks), partial=cut)
        return Generation(text, usage, cut=cut)

    @property
    def thinks(self) -> bool:
        """Whether the model thinks before it answers (then tool use cannot be forced)."""
        if self.config.thinking is not None:
            return self.config.thinking
        return self.model.startswith(ALWAYS_THINKING)

    def _cached_prefix(self, request: CompletionRequest) -> str | None:
        # Tools, system and output format are the same for every task of this model; the
        # article block ends the cached part.
        prompt = request.prompt
        digest = hashlib.sha256(f"{prompt.system}\0{prompt.article}".encode()).hexdigest()
        return f"{self.model}:{digest}"

    def _params(self, request: CompletionRequest, repair: str | None) -> dict[str, Any]:
        prompt = request.prompt
        content: list[dict[str, Any]] = [
            {"type": "text", "text": prompt.article, "cache_control": {"type": "ephemeral"}},
            {"type": "text", "text": prompt.instructions},
        ]
        if repair:
            content.append({"type": "text", "text": repair_note(repair)})
        params: dict[str, Any] = {
            # Thinking is paid out of max_tokens: room for it on top of the answer's own limit.
            "model": self.model,
            "max_tokens": self.config.max_output_tokens + (THINKING_ROOM if self.thinks else 0),
            "system": prompt.system, "messages": [{"role": "user", "content": content}],
        }
        tools: list[dict[str, Any]] = [dict(WEB_SEARCH_TOOL)] if self.config.web_search else []
        if self.config.structured == "tool":
            tools.append({"name": "emit", "description": "Give the answer.",
                          "input_schema": answer_schema()})
            if self.thinks:  # a forced choice is refused while thinking
                params["tool_choice"] = {"type": "auto"}
            else:  # forcing "emit" would forbid searching first; "any" still rules out prose
                params["tool_choice"] = ({"type": "any"} if self.config.web_search
                                         else {"type": "tool", "name": "emit"})
        elif self.config.structured == "json_schema" and not self.config.web_search:
            params["output_config"] = {"format": {"type": "json_schema",
                                                  "schema": answer_schema()}}
        if tools:
            params["tools"] = tools
        return params

    def _answer(self, content: list[Any], cut: bool = False) -> str:
        if self.config.structured == "tool":
            for block in content:
                if block.type == "tool_use" and block.name == "emit":
                    return json.dumps(block.input, ensure_ascii=False)
        # The answer is the text after the last search result (or thinking); earlier text is
        # narration, and so is a lead-in sentence before the JSON (extract_json drops it).
        last = max((i for i, b in enumerate(content) if b.type != "text"), default=-1)
        text = "".join(b.text for b in content[last + 1:] if b.type == "text")
        if cut:  # no closing brace to look for: the answer starts at the first one
            start = text.find("{")
            return text[start:] if start >= 0 else ""
        return extract_json(text)

    async def probe(self) -> str:
        """Whether the endpoint answers, accepts the key and knows the model; never raises."""
        if not self._api_key and not self.config.base_url:
            return f"no key (set {self.config.key_env})"
        try:
            async with asyncio.timeout(min(self.config.timeout, 10.0)):
                info = await self._sdk().models.retrieve(self.model)
        except TimeoutError:
            return "unreachable (no answer)"
        except anthropic.AnthropicError as exc:
            return reason(exc, ERRORS, self._api_key)
        except ValueError:
            return "malformed response from the server"
        if not isinstance(info, anthropic.types.ModelInfo) or info.id is None:
            return "malformed response from the server"
        if info.lifecycle == "retired":
            return "retired model"
        if info.lifecycle == "deprecated":
            when = f", retires {info.retires_at:%Y-%m-%d}" if info.retires_at else ""
            return f"ok (deprecated{when})"
        return "ok"


def _usage(usage: anthropic.types.Usage) -> Usage:
    return Usage(usage.input_tokens, usage.output_tokens,
                 usage.cache_read_input_tokens or 0, usage.cache_creation_input_tokens or 0)


def sources(blocks: list[Any]) -> dict[str, dict[str, str]]:
    """Every URL the web search returned or a text block cited: url -> title, cited_text."""
    found: dict[str, dict[str, str]] = {}
    for block in blocks:
        if block.type == "web_search_tool_result" and isinstance(block.content, list):
            for result in block.content:
                found.setdefault(result.url, {"title": result.title or "", "cited_text": ""})
        for cite in getattr(block, "citations", None) or []:
            if cite.type == "web_search_result_location":
                entry = found.setdefault(cite.url, {"title": "", "cited_text": ""})
                entry["title"] = entry["title"] or cite.title or ""
                entry["cited_text"] = entry["cited_text"] or cite.cited_text
    return found


def ground_evidence(text: str, found: dict[str, dict[str, str]], partial: bool = False) -> str:
    """``text`` (a JSON answer) with each ``evidence`` list cut to the URLs in ``found`` and
    empty titles and quotes filled from them. Text that is not JSON is returned unchanged
    (validation and the repair retry deal with it). ``partial``: the text was cut, and what
    it holds is grounded too (the cut item is dropped later, see ``complete_items``)."""
    try:
        answer = pydantic_core.from_json(text, allow_partial=partial)
    except ValueError:
        return text

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("evidence"), list):
                node["evidence"] = [_fill(e, found[e["url"]]) for e in node["evidence"]
                                    if isinstance(e, dict) and e.get("url") in found]
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(answer)
    return json.dumps(answer, ensure_ascii=False)


def _fill(evidence: dict[str, Any], source: dict[str, str]) -> dict[str, Any]:
    return {**evidence, "title": evidence.get("title") or source["title"],
            "quote": evidence.get("quote") or source["cited_text"]}

"""A loopback server that speaks the Anthropic Messages API and OpenAI Chat Completions.

One aiohttp server on 127.0.0.1 answers both wire protocols closely enough that the real SDKs,
with ``_strict_response_validation=True``, accept every answer:

- ``POST /v1/messages`` and ``POST /v1/messages/count_tokens`` (Anthropic; key as ``x-api-key``
  or ``Authorization: Bearer``), ``POST /v1/chat/completions`` (OpenAI),
- ``GET /v1/models`` and ``GET /v1/models/{id}``, Anthropic-shaped when the request carries
  ``anthropic-version``, OpenAI-shaped otherwise.

Each model id answers by a :class:`Profile` (register it with :meth:`LLMServer.add`; an
unregistered id gets a 404 like an unknown model). The profile reads the request the way a
model would: the task comes from the requested JSON schema's top-level property when it
names one task, else from the prompt's answer line (:data:`bot.prompt_marks.TASK_LINE`),
claims quote sentences really found in the article block (located by
``bot.prompts.ARTICLE_BLOCK``), and verdicts follow the numbered claims list by a
deterministic profile. Faults queued on a profile (:class:`Fault`) are served one per
request, before normal answers. Every request is recorded without its secrets.

It is as strict as the services on the rules that change what Parallax must send (tokens
are counted deterministically, one per 4 characters of text, tool and schema JSON included):

- Anthropic structured outputs are incompatible with citations ("Feature compatibility" of
  platform.claude.com/docs/en/build-with-claude/structured-outputs; the Citations guide's
  missing warning is anthropics/claude-code#19417: "Attempting to use both results in a 400
  error"). Web search results always cite, a document or search result block cites when it
  says ``citations: {"enabled": true}``, and so does a web fetch tool that enables them: any
  of these with ``output_config.format`` is a 400 ``invalid_request_error``
  (:data:`FORMAT_WITH_CITATIONS`). The status and error type are the documented ones; the
  service's exact message is in no stored page or issue, so the fake's own names the field
  and the reason.
- Thinking is incompatible with forced tool use: "Tool use with thinking only supports
  tool_choice: auto (the default) or none" (docs.anthropic.com, extended thinking, "Extended
  thinking with tool use"); the service answers 400 "Thinking may not be enabled when
  tool_choice forces tool use." A profile with ``thinking=True`` is such a model.
- Anthropic prompt caching (platform.claude.com/docs/en/build-with-claude/prompt-caching and
  .../tool-use/tool-use-with-prompt-caching): an exact prefix, in the order tools → system →
  messages, up to a ``cache_control`` breakpoint; a change at one level invalidates that
  level and the ones after it; the output format belongs to the first level and
  ``tool_choice`` (and thinking) to the messages level; the cache is per model; a prefix
  under the model's minimum (:data:`MIN_CACHE_TOKENS`, by model id: 4,096 for Opus 4.5/4.6
  and Haiku 4.5) is not cached at all, silently; a cache entry becomes readable only once the
  response that wrote it begins, so two calls sent side by side both write. Writes are
  reported as ``cache_creation_input_tokens``, reads as ``cache_read_input_tokens``, and
  ``input_tokens`` is the rest.
- OpenAI prompt caching (developers.openai.com/docs/guides/prompt-caching: "Caching is
  enabled automatically for prompts that are 1024 tokens or longer", "Cache hits are only
  possible for exact prefix matches within a prompt", tools included; the Prompt Caching 201
  cookbook: "cache hits occurring in increments of 128 tokens"): the longest prefix shared
  with an earlier prompt of the same model, if 1,024 tokens or more, counted down to a
  1,024 + 128·k boundary; the structured-output schema and the tools are part of the prefix;
  reported as ``usage.prompt_tokens_details.cached_tokens``.
- OpenAI reasoning models (platform.openai.com/docs/guides/reasoning; ``reasoning=True``):
  ``max_completion_tokens`` pays for hidden reasoning first (``reasoning_tokens`` per
  effort, the API's default effort being medium), and an answer that no longer fits ends
  in ``finish_reason: length``, with no content at all when the reasoning used everything;
  ``max_tokens`` is refused ("Unsupported parameter: 'max_tokens' is not supported with
  this model. Use 'max_completion_tokens' instead."). Other models refuse
  ``reasoning_effort``.
- Both: an answer longer than the request's output limit is cut there (``max_tokens`` /
  ``length``), and ``output_tokens`` / ``completion_tokens`` count what was written.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import math
import re
import time
from collections import deque
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pydantic_core
import pytest
from aiohttp import web

from bot.prompt_marks import (
    CLAIMS_HEADING,
    LANGUAGES,
    MAX_CLAIMS,
    NUMBERED_CLAIM,
    TASK_LINE,
)
from bot.prompts import ARTICLE_BLOCK

VerdictRule = Callable[[int, str], tuple[str, float]]
_SECRET_HEADERS = {"authorization", "x-api-key", "api-key"}
_ERROR_TYPES = {400: "invalid_request_error", 401: "authentication_error", 403: "permission_error",
                404: "not_found_error", 429: "rate_limit_error", 500: "api_error",
                529: "overloaded_error"}
TASKS = ("summaries", "claims", "verdicts")
# Hidden reasoning of an OpenAI reasoning model per effort, in tokens (medium: the default).
REASONING_TOKENS = {"minimal": 256, "low": 1536, "medium": 6144, "high": 20000}
THINKING_TOKENS = 300  # an Anthropic thinking block, paid out of max_tokens
THINKING_FORCED = "Thinking may not be enabled when tool_choice forces tool use."
FORMAT_WITH_CITATIONS = ("output_config.format: structured outputs are not compatible with "
                         "citations (web_search results always carry them)")
STRICT_SCHEMA_KEYS = frozenset({"type", "description", "enum", "const", "items", "properties",
                                "required", "additionalProperties", "anyOf", "$defs", "$ref"})


@dataclass(frozen=True)
class Fault:
    """One scripted failure, served instead of the next normal answer."""

    kind: str  # status | hang | malformed | refusal | truncated | body
    status: int = 0
    retry_after: float | None = None
    seconds: float = 30.0
    text: str = '{"answer": [unterminated'  # the reply text of a malformed answer
    message: str = ""  # the error body's message of a status fault
    task: str | None = None  # served only to a request of this task (summaries, claims…)

    @classmethod
    def status_code(cls, status: int, message: str = "", task: str | None = None) -> Fault:
        """Any error status, with the error body's message; ``task``: only for that task."""
        return cls("status", status, message=message, task=task)

    @classmethod
    def rate_limited(cls, retry_after: float | None = 1.0) -> Fault:
        """A 429 with a ``retry-after`` header (seconds)."""
        return cls("status", 429, retry_after)

    @classmethod
    def overloaded(cls) -> Fault:
        """Anthropic's 529 overloaded_error (a plain 5xx to an OpenAI client)."""
        return cls("status", 529)

    @classmethod
    def server_error(cls, status: int = 500) -> Fault:
        """A 5xx api_error."""
        return cls("status", status)

    @classmethod
    def hang(cls, seconds: float = 30.0) -> Fault:
        """No answer for ``seconds`` (longer than any client timeout in the tests)."""
        return cls("hang", seconds=seconds)

    @classmethod
    def malformed(cls, text: str = '{"answer": [unterminated') -> Fault:
        """A well-formed response whose text is not valid JSON for the task."""
        return cls("malformed", text=text)

    @classmethod
    def not_api_json(cls, text: str, content_type: str = "text/html") -> Fault:
        """A 200 whose body is not the API's JSON: an HTML page, an empty body, other JSON."""
        return cls("body", text=text, message=content_type)

    @classmethod
    def refusal(cls) -> Fault:
        """``stop_reason: refusal`` / ``message.refusal``."""
        return cls("refusal")

    @classmethod
    def truncated(cls) -> Fault:
        """The answer cut at the token limit (``max_tokens`` / ``length``)."""
        return cls("truncated")


@dataclass
class Profile:
    """How one model id answers. ``verdicts``: supported | refuted | uncertain | cautious (about
    70% uncertain, by hash) | confident (never uncertain) | contrarian (the opposite of
    confident), reader (judges only from the evidence passages given, citing them: see
    :func:`read_evidence`), or a function (number, claim text) -> (verdict, confidence)."""

    verdicts: str | VerdictRule = "supported"
    latency: float = 0.0
    faults: deque[Fault] = field(default_factory=deque)
    bad_quote: bool = False  # add a claim whose quote is not in the article
    skip: tuple[int, ...] = ()  # claim numbers to give no verdict on
    fenced: bool = False  # wrap JSON text in a ```json fence, as some local models do
    search: bool = True  # use the web_search server tool when the request offers it
    pause_turns: int = 0  # pause_turn replies before the final answer, when searching
    invented_source: bool = False  # add evidence with a URL the search never returned
    lifecycle: str = "active"  # Anthropic models API: active | deprecated | retired
    thinking: bool = False  # Anthropic: always thinks, as Opus 5.5 does (forced tools refused)
    reasoning: bool = False  # OpenAI: a reasoning model (hidden reasoning, max_completion_tokens)
    min_cache: int | None = None  # minimum cacheable prefix in tokens; None: by model id


@dataclass(frozen=True)
class Recorded:
    """One request as received; secret headers are dropped, ``credential`` says how the key
    came (``bearer``, ``x-api-key`` or ``none``)."""

    method: str
    path: str
    model: str | None
    headers: dict[str, str]
    body: dict[str, Any]
    credential: str

    @property
    def text(self) -> str:
        """Every text of the request (system and messages) joined, in order."""
        return "\n".join(_texts(self.body))


@dataclass
class _CacheLookup:
    """What one Anthropic request reads from and writes to the cache (tokens), and the
    prefixes it leaves cached once it has answered."""

    read: int = 0
    write: int = 0
    written: set[tuple[str, str]] = field(default_factory=set)

    def usage(self, total: int, output: int) -> dict[str, Any]:
        """The response's usage for a request of ``total`` input tokens."""
        return {"input_tokens": total - self.read - self.write, "output_tokens": output,
                "cache_read_input_tokens": self.read,
                "cache_creation_input_tokens": self.write}


class LLMServer:
    """``async with LLMServer(api_key=...) as server``: ``server.url`` is the Anthropic base URL,
    ``server.openai_url`` the OpenAI one (with ``/v1``)."""

    def __init__(self, api_key: str | None = None) -> None:
        self.api_key = api_key  # when set, any other key gets a 401
        self.profiles: dict[str, Profile] = {}
        self.requests: list[Recorded] = []
        self._cache: set[tuple[str, str]] = set()  # Anthropic: (model, prefix digest)
        self._prefixes: dict[str, list[str]] = {}  # OpenAI: the prompts each model has seen
        self._closing = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self.url = ""

    @property
    def openai_url(self) -> str:
        """Base URL for an OpenAI client."""
        return self.url + "/v1"

    def add(self, model: str, **options: Any) -> Profile:
        """Register (or replace) ``model`` with a Profile built from ``options``."""
        self.profiles[model] = Profile(**options)
        return self.profiles[model]

    def fail(self, model: str, *faults: Fault) -> None:
        """Queue ``faults`` for ``model``'s next requests, one per request."""
        self.profiles[model].faults.extend(faults)

    def calls(self, model: str | None = None, path: str | None = None) -> list[Recorded]:
        """Recorded requests, optionally only one model's or one path's."""
        return [r for r in self.requests
                if (model is None or r.model == model) and (path is None or r.path == path)]

    async def __aenter__(self) -> LLMServer:
        app = web.Application()
        app.router.add_post("/v1/messages", self._messages)
        app.router.add_post("/v1/messages/count_tokens", self._count_tokens)
        app.router.add_post("/v1/chat/completions", self._chat)
        app.router.add_get("/v1/models", self._models)
        app.router.add_get("/v1/models/{model:.+}", self._model)
        self._runner = web.AppRunner(app, shutdown_timeout=0.5, handler_cancellation=True)
        await self._runner.setup()
        # A deep accept queue: with aiohttp's 128, hundreds of clients connecting at once
        # (the load tests) overflow it while a busy machine is slow to accept, the kernel
        # drops their SYNs and each connect waits out 1 + 2 + 4 s of retransmits.
        site = web.TCPSite(self._runner, "127.0.0.1", 0, backlog=4096)
        await site.start()
        port = self._runner.addresses[0][1]
        self.url = f"http://127.0.0.1:{port}"
        return self

    async def __aexit__(self, *exc: object) -> None:
        self._closing.set()  # ends hanging handlers at once
        if self._runner:
            await self._runner.cleanup()

    # -- plumbing ------------------------------------------------------------------------

    async def _admit(self, request: web.Request, anthropic: bool,
                     delay: bool = True) -> tuple[Recorded, Any]:
        """Record the request; return it and either a Profile or an error response."""
        body = await request.json() if request.can_read_body else {}
        auth = request.headers.get("authorization", "")
        key = request.headers.get("x-api-key") or auth.removeprefix("Bearer ") or None
        credential = "x-api-key" if "x-api-key" in request.headers else (
            "bearer" if auth.startswith("Bearer ") else "none")
        model = body.get("model") or request.match_info.get("model")
        headers = {k.lower(): v for k, v in request.headers.items()
                   if k.lower() not in _SECRET_HEADERS}
        rec = Recorded(request.method, request.path, model, headers, body, credential)
        self.requests.append(rec)
        if self.api_key is not None and key != self.api_key:
            return rec, _error(anthropic, 401, "invalid x-api-key")
        profile = self.profiles.get(model or "")
        if profile is None:
            return rec, _error(anthropic, 404, f"model: {model}")
        if delay and profile.latency:
            await asyncio.sleep(profile.latency)
        return rec, profile

    async def _fault(self, profile: Profile, anthropic: bool,
                     task: str = "") -> web.Response | Fault | None:
        """Serve the next queued fault meant for ``task``: an error response, or the Fault to
        shape an answer."""
        fault = next((f for f in profile.faults if f.task in (None, task)), None)
        if fault is None:
            return None
        profile.faults.remove(fault)
        if fault.kind == "status":
            headers = {} if fault.retry_after is None else {"retry-after": f"{fault.retry_after:g}"}
            message = fault.message or (
                "Overloaded" if fault.status == 529 else f"scripted {fault.status}")
            return _error(anthropic, fault.status, message, headers)
        if fault.kind == "body":  # 200 with whatever a proxy or a wrong base_url serves
            return web.Response(status=200, body=fault.text.encode(),
                                headers={"Content-Type": fault.message})
        if fault.kind == "hang":
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._closing.wait(), fault.seconds)
            return _error(anthropic, 504, "hung")
        return fault

    # -- Anthropic -----------------------------------------------------------------------

    async def _messages(self, request: web.Request) -> web.Response:
        rec, profile = await self._admit(request, anthropic=True, delay=False)
        if isinstance(profile, web.Response):
            return profile
        body = rec.body
        if "temperature" in body:
            return _error(True, 400, "temperature: this parameter is no longer supported")
        fmt = (body.get("output_config") or {}).get("format")
        if fmt and (problem := strict_problem(fmt.get("schema", {}))):
            return _error(True, 400, f"output_config.format.schema: {problem}")
        tools = body.get("tools") or []
        offers_search = any(t.get("type", "").startswith("web_search") for t in tools)
        if fmt and (offers_search or _cites(body)):
            return _error(True, 400, FORMAT_WITH_CITATIONS)
        if profile.thinking and (body.get("tool_choice") or {}).get("type") in ("any", "tool"):
            return _error(True, 400, THINKING_FORCED)
        # Looked up on arrival, written once the answer is ready: side by side, both write.
        cache = self._anthropic_cache(body, profile)
        if profile.latency:
            await asyncio.sleep(profile.latency)
        emit = next((t for t in tools if t.get("name") == "emit"), None)
        schema = (fmt or {}).get("schema") or (emit or {}).get("input_schema")
        served = await self._fault(profile, True, task_of(schema, rec.text))
        if isinstance(served, web.Response):
            return served
        searching = profile.search and offers_search
        answer, sources = answer_for(profile, rec.text, schema, searched=searching)
        content: list[dict[str, Any]] = []
        budget = int(body.get("max_tokens") or 0)
        if profile.thinking:
            content.append({"type": "thinking", "thinking": "Weighing each claim.",
                            "signature": "c2lnbmF0dXJl"})
            budget -= THINKING_TOKENS
        stop = "end_turn"
        turns = sum(1 for m in body.get("messages", []) if m.get("role") == "assistant")
        usage = cache.usage(tokens_of(body), THINKING_TOKENS if profile.thinking else 0)
        if searching and sources:
            content += _search_blocks(sources, turns)
            if turns < profile.pause_turns:
                self._cache.update(cache.written)
                return web.json_response(_message(body, content, "pause_turn", usage))
            content.append({"type": "text", "text": "According to the sources found, ",
                            "citations": [_citation(s) for s in sources[:2]]})
        text = json.dumps(answer, ensure_ascii=False)
        if isinstance(served, Fault) and served.kind == "truncated":
            text = text[: len(text) // 2]
            stop = "max_tokens"
        elif isinstance(served, Fault) and served.kind == "malformed":
            text = served.text
        elif profile.fenced and emit is None:
            text = _fence(text)
        text, cut = _within(text, budget)
        stop = "max_tokens" if cut else stop
        if isinstance(served, Fault) and served.kind == "refusal":
            content, stop, text = [], "refusal", ""
        elif emit is not None and not isinstance(served, Fault):
            # A cut tool call carries what was written of its input.
            content.append({"type": "tool_use", "id": "toolu_1", "name": "emit",
                            "input": _partial(text) if cut else answer})
            stop = stop if cut else "tool_use"
        else:
            content.append({"type": "text", "text": text})
        usage["output_tokens"] += _tokens(text)
        if searching:
            usage["server_tool_use"] = {"web_search_requests": 1, "web_fetch_requests": 0}
        self._cache.update(cache.written)
        return web.json_response(_message(body, content, stop, usage))

    def _anthropic_cache(self, body: dict[str, Any], profile: Profile) -> _CacheLookup:
        """What this request reads from and writes to the cache, by its breakpoints."""
        model = body["model"]
        least = profile.min_cache or min_cache_tokens(model)
        marks = [(digest, tokens) for digest, tokens in _breakpoints(body) if tokens >= least]
        if not marks:
            return _CacheLookup()
        last = marks[-1][1]
        for digest, tokens in reversed(marks):
            if (model, digest) in self._cache:
                return _CacheLookup(read=tokens, write=last - tokens,
                                    written={(model, d) for d, _ in marks})
        return _CacheLookup(write=last, written={(model, d) for d, _ in marks})

    async def _count_tokens(self, request: web.Request) -> web.Response:
        rec, profile = await self._admit(request, anthropic=True)
        if isinstance(profile, web.Response):
            return profile
        return web.json_response({"input_tokens": tokens_of(rec.body)})

    # -- OpenAI --------------------------------------------------------------------------

    async def _chat(self, request: web.Request) -> web.Response:
        rec, profile = await self._admit(request, anthropic=False, delay=False)
        if isinstance(profile, web.Response):
            return profile
        body = rec.body
        fmt = body.get("response_format") or {}
        strict = fmt.get("type") == "json_schema" and fmt["json_schema"].get("strict")
        if strict and (problem := strict_problem(fmt["json_schema"].get("schema", {}))):
            return _error(False, 400, f"response_format: {problem}")
        if profile.reasoning and "max_tokens" in body:
            return _error(False, 400, "Unsupported parameter: 'max_tokens' is not supported "
                          "with this model. Use 'max_completion_tokens' instead.")
        if not profile.reasoning and "reasoning_effort" in body:
            return _error(False, 400, "Unsupported parameter: 'reasoning_effort' is not "
                          "supported with this model.")
        prompt_text = _openai_prefix(body)
        cached = self._openai_cached(body["model"], prompt_text)
        if profile.latency:
            await asyncio.sleep(profile.latency)
        tools = body.get("tools") or []
        emit = next((t["function"] for t in tools if t["function"]["name"] == "emit"), None)
        schema = (fmt.get("json_schema") or {}).get("schema") or (emit or {}).get("parameters")
        served = await self._fault(profile, False, task_of(schema, rec.text))
        if isinstance(served, web.Response):
            return served
        answer, _ = answer_for(profile, rec.text, schema, searched=False)
        text = json.dumps(answer, ensure_ascii=False)
        reasoning = REASONING_TOKENS[body.get("reasoning_effort") or "medium"] \
            if profile.reasoning else 0
        limit = body.get("max_completion_tokens") or body.get("max_tokens") or 10**6
        finish = "stop"
        if isinstance(served, Fault) and served.kind == "truncated":
            text, finish = text[: len(text) // 2], "length"
        elif isinstance(served, Fault) and served.kind == "malformed":
            text = served.text
        elif profile.fenced and emit is None:
            text = _fence(text)
        reasoning = min(reasoning, limit)  # the reasoning is paid first
        text, cut = _within(text, limit - reasoning)
        finish = "length" if cut else finish
        message: dict[str, Any] = {"role": "assistant", "content": text, "refusal": None}
        if isinstance(served, Fault) and served.kind == "refusal":
            message.update(content=None, refusal="I can't help with that.")
        elif emit is not None and not isinstance(served, Fault):
            message["content"], finish = None, finish if cut else "tool_calls"
            message["tool_calls"] = [{"id": "call_1", "type": "function",
                                      "function": {"name": "emit", "arguments": text}}]
        self._prefixes.setdefault(body["model"], []).append(prompt_text)
        prompt, written = _tokens(prompt_text), _tokens(text)
        completion = reasoning + written
        return web.json_response({
            "id": "chatcmpl-1", "object": "chat.completion", "created": int(time.time()),
            "model": body["model"],
            "choices": [{"index": 0, "message": message, "finish_reason": finish,
                         "logprobs": None}],
            "usage": {"prompt_tokens": prompt, "completion_tokens": completion,
                      "total_tokens": prompt + completion,
                      "prompt_tokens_details": {"cached_tokens": cached},
                      "completion_tokens_details": {"reasoning_tokens": reasoning}},
        })

    def _openai_cached(self, model: str, prompt: str) -> int:
        """Tokens of ``prompt`` OpenAI serves from its cache: the longest prefix shared with
        an earlier prompt of ``model``, if 1,024 tokens or more, in 128-token steps."""
        shared = max((_common(prompt, seen) for seen in self._prefixes.get(model, [])),
                     default=0)
        tokens = shared // 4
        return 0 if tokens < 1024 else 1024 + (tokens - 1024) // 128 * 128

    # -- models --------------------------------------------------------------------------

    async def _models(self, request: web.Request) -> web.Response:
        anthropic = "anthropic-version" in request.headers
        _, admitted = await self._admit(request, anthropic)
        if isinstance(admitted, web.Response) and admitted.status == 401:
            return admitted
        infos = [_model_info(m, p, anthropic) for m, p in self.profiles.items()]
        if anthropic:
            return web.json_response({"data": infos, "has_more": False,
                                      "first_id": infos[0]["id"] if infos else None,
                                      "last_id": infos[-1]["id"] if infos else None})
        return web.json_response({"object": "list", "data": infos})

    async def _model(self, request: web.Request) -> web.Response:
        anthropic = "anthropic-version" in request.headers
        rec, profile = await self._admit(request, anthropic)
        if isinstance(profile, web.Response):
            return profile
        return web.json_response(_model_info(rec.model or "", profile, anthropic))


# -- answers -------------------------------------------------------------------------------

def answer_for(profile: Profile, text: str, schema: dict[str, Any] | None,
               searched: bool) -> tuple[dict[str, Any], list[dict[str, str]]]:
    """The JSON answer a model with ``profile`` gives to a request whose texts are ``text``,
    in the requested schema's shape (a schema covering every task gets the others empty);
    also the search results it "found" when ``searched``."""
    task = task_of(schema, text)
    answer, sources = _task_answer(profile, task, text, searched)
    props = (schema or {}).get("properties") or {}
    for other in TASKS:
        if other in props and other not in answer:
            answer[other] = []
    claim = ((props.get("claims") or {}).get("items") or {}).get("properties") or {}
    if (claim.get("translations") or {}).get("type") == "object":  # a schema asking a map
        for item in answer.get("claims", []):
            item["translations"] = {t["language"]: t["text"] for t in item["translations"]}
    return answer, sources


def _task_answer(profile: Profile, task: str, text: str,
                 searched: bool) -> tuple[dict[str, Any], list[dict[str, str]]]:
    found = [m.group("languages") for m in LANGUAGES.finditer(text)]  # the task's is last
    languages = [lang.strip() for lang in (found[-1] if found else "").split(", ")
                 if lang.strip()]
    block = ARTICLE_BLOCK.search(text)  # the prompt's own marking, not the system rules' mention
    article = block.group("text") if block else ""
    if task == "summaries":
        first = _sentences(article)[:1] or [""]
        return {"summaries": [{"language": lang, "text": f"[{lang}] {first[0]}", "note": ""}
                              for lang in languages]}, []
    if task == "claims":
        tail = text[block.end():] if block else text  # the task, after the article
        limits = [int(m.group("count")) for m in MAX_CLAIMS.finditer(tail)]
        limit = limits[0] if limits else 12
        chosen = [s for s in _sentences(article) if re.search(r"\d", s)] or _sentences(article)
        claims = [{"text": s, "quote": s,
                   "translations": [{"language": lang, "text": f"[{lang}] {s}"}
                                    for lang in languages]}
                  for s in chosen[:limit]]
        if profile.bad_quote:
            fake = "The moon is made of green cheese, officials said on 1 April."
            claims.append({"text": fake, "quote": fake, "translations": []})
        return {"claims": claims}, []
    if task == "verdicts":
        listing = text.rsplit(CLAIMS_HEADING, 1)[-1]
        numbered = [(int(m.group("number")), m.group("claim").strip())
                    for m in NUMBERED_CLAIM.finditer(listing)]
        verdicts, sources = [], []
        passages = passages_under(listing)
        for number, claim in numbered:
            if number in profile.skip:
                continue
            cites: list[str] = []
            if profile.verdicts == "reader":
                verdict, confidence, cites = read_evidence(claim, passages.get(number, []))
            else:
                verdict, confidence = verdict_of(profile.verdicts, number, claim)
            evidence = []
            if searched:
                source = {"url": f"https://news.example/{_hash(claim) % 10**6}",
                          "title": f"Report on claim {number}", "cited_text": claim[:80]}
                sources.append(source)
                evidence.append({"url": source["url"], "title": "", "quote": ""})
                if profile.invented_source:
                    evidence.append({"url": "https://invented.example/nowhere",
                                     "title": "Invented", "quote": "never fetched"})
            verdicts.append({"claim": number, "verdict": verdict, "confidence": confidence,
                             "rationale": f"Fake model judges claim {number} {verdict}.",
                             "cites": cites, "evidence": evidence})
        return {"verdicts": verdicts}, sources
    return {"error": "the fake cannot tell which task this is"}, []


_PASSAGE = re.compile(r"^   \[(?P<id>E\d+)\] [^\n]*\n   (?P<text>[^\n]*)$", re.MULTILINE)
_FIGURE = re.compile(r"\d+(?:[.,]\d+)?")


def passages_under(listing: str) -> dict[int, list[tuple[str, str]]]:
    """The evidence passages given under each numbered claim: number -> [(id, text)]."""
    found: dict[int, list[tuple[str, str]]] = {}
    claims = list(NUMBERED_CLAIM.finditer(listing))
    for i, m in enumerate(claims):
        end = claims[i + 1].start() if i + 1 < len(claims) else len(listing)
        found[int(m.group("number"))] = [(p.group("id"), p.group("text"))
                                         for p in _PASSAGE.finditer(listing, m.end(), end)]
    return found


def read_evidence(claim: str, passages: list[tuple[str, str]]) -> tuple[str, float, list[str]]:
    """The "reader" profile: judges a claim only from the passages it is given, as a careful
    model reading today's news would. A passage holding every figure of the claim supports it;
    one that shares the claim's words but gives other figures refutes it; with nothing that
    settles it, uncertain."""
    figures = set(_FIGURE.findall(claim))
    words = {w for w in re.findall(r"\w{5,}", claim.lower())}
    for pid, text in passages:
        if figures and figures <= set(_FIGURE.findall(text)):
            return "supported", 0.85, [pid]
    for pid, text in passages:
        shared = words & set(re.findall(r"\w{5,}", text.lower()))
        if figures and _FIGURE.search(text) and len(shared) >= max(2, len(words) // 3):
            return "refuted", 0.7, [pid]
    return "uncertain", 0.3, []


def task_of(schema: dict[str, Any] | None, text: str) -> str:
    """summaries | claims | verdicts: the schema's top-level property when it names one task,
    else the prompt's answer line (the last one: the task comes after the article)."""
    props = (schema or {}).get("properties") or {}
    named = [task for task in TASKS if task in props]
    if len(named) == 1:
        return named[0]
    found = [m.group("task") for m in TASK_LINE.finditer(text)]
    return found[-1] if found else "unknown"


def verdict_of(rule: str | VerdictRule, number: int, claim: str) -> tuple[str, float]:
    """One profile's verdict on one claim; deterministic by the claim's hash."""
    if callable(rule):
        return rule(number, claim)
    h = _hash(claim)
    confident = ("refuted", 0.95) if h % 4 == 0 else ("supported", 0.95)
    table: dict[str, tuple[str, float]] = {
        "supported": ("supported", 0.9), "refuted": ("refuted", 0.9),
        "uncertain": ("uncertain", 0.2), "confident": confident,
        "cautious": ("uncertain", 0.3) if h % 10 < 7 else ("supported", 0.7),
        "contrarian": ("supported" if confident[0] == "refuted" else "refuted", 0.9),
    }
    return table[rule]


def strict_problem(schema: dict[str, Any], path: str = "$") -> str | None:
    """What the structured-output APIs would refuse in ``schema``: an object that is not closed,
    a property not required, or a keyword they do not support; None when it is fine."""
    for key in schema:
        if key not in STRICT_SCHEMA_KEYS and key != "title":
            return f"{path}: unsupported keyword '{key}'"
    if schema.get("type") == "object":
        if schema.get("additionalProperties") is not False:
            return f"{path}: additionalProperties must be false"
        props = schema.get("properties", {})
        if sorted(schema.get("required", [])) != sorted(props):
            return f"{path}: every property must be required"
    children = [(f"{path}.{k}", v) for k, v in (schema.get("properties") or {}).items()]
    children += [(f"{path}[]", schema["items"])] if isinstance(schema.get("items"), dict) else []
    children += [(f"{path}|{i}", v) for i, v in enumerate(schema.get("anyOf") or [])]
    children += [(f"{path}.$defs.{k}", v) for k, v in (schema.get("$defs") or {}).items()]
    for where, child in children:
        if problem := strict_problem(child, where):
            return problem
    return None


# -- helpers -------------------------------------------------------------------------------

def _error(anthropic: bool, status: int, message: str,
           headers: dict[str, str] | None = None) -> web.Response:
    kind = _ERROR_TYPES.get(status, "api_error")
    if anthropic:
        body: dict[str, Any] = {"type": "error", "error": {"type": kind, "message": message},
                                "request_id": "req_fake"}
    else:
        body = {"error": {"message": message, "type": kind, "param": None, "code": None}}
    return web.json_response(body, status=status, headers=headers)


def _message(body: dict[str, Any], content: list[dict[str, Any]], stop: str,
             usage: dict[str, Any]) -> dict[str, Any]:
    return {"id": "msg_fake", "type": "message", "role": "assistant", "model": body["model"],
            "content": content, "stop_reason": stop, "stop_sequence": None, "usage": usage}


def _search_blocks(sources: list[dict[str, str]], turn: int) -> list[dict[str, Any]]:
    tool_id = f"srvtoolu_{turn}"
    results = [{"type": "web_search_result", "url": s["url"], "title": s["title"],
                "encrypted_content": "ZmFrZQ==", "page_age": None} for s in sources]
    return [{"type": "server_tool_use", "id": tool_id, "name": "web_search",
             "input": {"query": "claims"}},
            {"type": "web_search_tool_result", "tool_use_id": tool_id, "content": results}]


def _citation(source: dict[str, str]) -> dict[str, Any]:
    return {"type": "web_search_result_location", "url": source["url"], "title": source["title"],
            "cited_text": source["cited_text"], "encrypted_index": "ZmFrZQ=="}


def _model_info(model: str, profile: Profile, anthropic: bool) -> dict[str, Any]:
    if anthropic:
        retires = "2026-11-30T00:00:00Z" if profile.lifecycle != "active" else None
        return {"id": model, "type": "model", "display_name": model,
                "created_at": "2026-01-01T00:00:00Z", "lifecycle": profile.lifecycle,
                "retires_at": retires}
    return {"id": model, "object": "model", "created": 0, "owned_by": "fake"}


def _blocks(body: dict[str, Any]) -> Iterator[tuple[str, bool]]:
    """(text, has cache_control) for the system and every message block, in order."""
    for part in (body.get("system"), *(m.get("content") for m in body.get("messages", []))):
        if isinstance(part, str):
            yield part, False
        for block in part if isinstance(part, list) else []:
            yield block.get("text") or "", "cache_control" in block


def _texts(body: dict[str, Any]) -> list[str]:
    return [text for text, _ in _blocks(body)]


def _sentences(text: str) -> list[str]:
    # A full stop ends a sentence only before a space ("6.5 metres" stays whole).
    found = re.findall(r"[^\n]+?(?:[.!?](?=\s|$)|[。！？])", text)
    return [s.strip() for s in found if s.strip()]


def _match(pattern: str, text: str) -> str:
    found = re.search(pattern, text, flags=re.MULTILINE | re.DOTALL)
    return found.group(1) if found else ""


def _fence(text: str) -> str:
    return f"Here is the JSON:\n```json\n{text}\n```"


def _hash(text: str) -> int:
    return int(hashlib.sha256(text.encode("utf-8")).hexdigest()[:8], 16)


def _tokens(text: str) -> int:
    return math.ceil(len(text) / 4)


# The minimum cacheable prefix of each Anthropic model, by dateless id, in tokens.
MIN_CACHE_TOKENS: dict[str, int] = {
    # The vendor's table: platform.claude.com/docs/en/build-with-claude/prompt-caching, "Cache
    # limitations" (quoted in anthropics/anthropic-sdk-python#1194).
    "claude-opus-4-6": 4096, "claude-opus-4-5": 4096, "claude-haiku-4-5": 4096,
    "claude-sonnet-4-6": 1024, "claude-sonnet-4-5": 1024, "claude-opus-4-1": 1024,
    "claude-opus-4": 1024, "claude-sonnet-4": 1024, "claude-3-7-sonnet": 1024,
    "claude-3-5-haiku": 2048, "claude-3-haiku": 2048,
    # Later models, from a secondary source only (dev.to/creeta, "Claude's prompt cache fails
    # silently below 1,024 tokens", 2026): the stored vendor pages do not list them.
    "claude-opus-4-8": 1024, "claude-opus-4-7": 2048, "claude-sonnet-5": 1024,
    "claude-opus-5": 512, "claude-fable-5": 512, "claude-mythos-5": 512,
}
_DATED = re.compile(r"-(\d{8}|latest)$")


def min_cache_tokens(model: str) -> int:
    """The minimum cacheable prefix of an Anthropic model, in tokens (a profile's
    ``min_cache`` overrides): :data:`MIN_CACHE_TOKENS` for the ids it lists, dated snapshots
    (``claude-opus-4-5-20251101``) included. An id no stored source gives a figure for (the
    5.x point releases, the tests' own names) keeps the issue's figures by family: 2,048 for
    Haiku, 1,024 otherwise."""
    known = MIN_CACHE_TOKENS.get(_DATED.sub("", model))
    if known is not None:
        return known
    return 2048 if "haiku" in model else 1024


def _cites(body: dict[str, Any]) -> bool:
    """Whether an Anthropic request asks for citations besides web search: a document or
    search result block, or a web fetch tool, with ``citations.enabled``."""
    def enabled(item: dict[str, Any]) -> bool:
        return bool((item.get("citations") or {}).get("enabled"))

    if any(t.get("type", "").startswith("web_fetch") and enabled(t)
           for t in body.get("tools") or []):
        return True
    for message in body.get("messages", []):
        content = message.get("content")
        for block in content if isinstance(content, list) else []:
            nested = block.get("content") if block.get("type") == "tool_result" else None
            inner = nested if isinstance(nested, list) else []
            if any(isinstance(b, dict) and enabled(b) for b in (block, *inner)):
                return True
    return False


def _pieces(body: dict[str, Any]) -> Iterator[tuple[str, bool]]:
    """(text, is a cache breakpoint) of an Anthropic request in the cache's order: tools and
    the output format, the system blocks, then the messages (tool_choice and thinking first,
    so a change to them invalidates only the messages level)."""
    tools = body.get("tools") or []
    fmt = (body.get("output_config") or {}).get("format")
    yield (json.dumps({"format": fmt, "tools": tools}, sort_keys=True),
           any("cache_control" in t for t in tools))
    system = body.get("system")
    if isinstance(system, str):
        yield system, False
    for block in system if isinstance(system, list) else []:
        yield block.get("text") or "", "cache_control" in block
    yield json.dumps({"thinking": body.get("thinking"), "tool_choice": body.get("tool_choice")},
                     sort_keys=True), False
    for message in body.get("messages", []):
        content = message.get("content")
        if isinstance(content, str):
            yield f"{message.get('role')}: {content}", False
        for block in content if isinstance(content, list) else []:
            text = block.get("text") if block.get("type") == "text" else json.dumps(
                {k: v for k, v in block.items() if k != "cache_control"}, sort_keys=True)
            yield text or "", "cache_control" in block


def _breakpoints(body: dict[str, Any]) -> Iterator[tuple[str, int]]:
    """(digest of the prefix, its tokens) at each cache breakpoint, in order."""
    digest, chars = hashlib.sha256(), 0
    for text, mark in _pieces(body):
        digest.update(text.encode() + b"\0")
        chars += len(text)
        if mark:
            yield digest.hexdigest(), math.ceil(chars / 4)


def tokens_of(body: dict[str, Any]) -> int:
    """Input tokens of an Anthropic request, as the fake counts them."""
    return math.ceil(sum(len(text) for text, _ in _pieces(body)) / 4)


def _openai_prefix(body: dict[str, Any]) -> str:
    """An OpenAI request as the cache sees it: the schema and tools first, then messages."""
    head = json.dumps({"response_format": body.get("response_format"),
                       "tools": body.get("tools")}, sort_keys=True)
    parts = [head]
    for message in body.get("messages", []):
        content = message.get("content")
        if isinstance(content, list):
            content = "".join(part.get("text", "") for part in content)
        parts.append(f"{message.get('role')}: {content}")
    return "\n".join(parts)


def _common(a: str, b: str) -> int:
    """Length of the longest common prefix of ``a`` and ``b``."""
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _within(text: str, budget: int) -> tuple[str, bool]:
    """``text`` cut to ``budget`` tokens, and whether it was cut."""
    if _tokens(text) <= max(budget, 0):
        return text, False
    return text[: max(budget, 0) * 4], True


def _partial(text: str) -> Any:
    try:
        return pydantic_core.from_json(text, allow_partial=True)
    except ValueError:
        return {}


@pytest.fixture
async def llm_server() -> AsyncIterator[LLMServer]:
    """A running LLMServer with no key check; register models with ``server.add``."""
    async with LLMServer() as server:
        yield server

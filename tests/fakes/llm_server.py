"""A loopback server that speaks the Anthropic Messages API and OpenAI Chat Completions.

One aiohttp server on 127.0.0.1 answers both wire protocols closely enough that the real SDKs,
with ``_strict_response_validation=True``, accept every answer:

- ``POST /v1/messages`` and ``POST /v1/messages/count_tokens`` (Anthropic; key as ``x-api-key``
  or ``Authorization: Bearer``), ``POST /v1/chat/completions`` (OpenAI),
- ``GET /v1/models`` and ``GET /v1/models/{id}``, Anthropic-shaped when the request carries
  ``anthropic-version``, OpenAI-shaped otherwise.

Each model id answers by a :class:`Profile` (register it with :meth:`LLMServer.add`; an
unregistered id gets a 404 like an unknown model). The profile reads the request the way a
model would: the task comes from the requested JSON schema's top-level property (summaries,
claims, verdicts; in JSON mode from the prompt's "Return JSON" line), claims quote sentences
really found in the article block (located by ``bot.prompts.ARTICLE_BLOCK``), and verdicts
follow the numbered claims list by a deterministic profile. Faults queued on a profile
(:class:`Fault`) are served one per request, before normal answers. Every request is
recorded without its secrets.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import re
import time
from collections import deque
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiohttp import web

from bot.prompts import ARTICLE_BLOCK

VerdictRule = Callable[[int, str], tuple[str, float]]
_SECRET_HEADERS = {"authorization", "x-api-key", "api-key"}
_ERROR_TYPES = {400: "invalid_request_error", 401: "authentication_error", 403: "permission_error",
                404: "not_found_error", 429: "rate_limit_error", 500: "api_error",
                529: "overloaded_error"}
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

    @classmethod
    def status_code(cls, status: int, message: str = "") -> Fault:
        """Any error status, with the error body's message."""
        return cls("status", status, message=message)

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
    confident), or a function (number, claim text) -> (verdict, confidence)."""

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
    thinking: bool = False  # start Anthropic answers with a thinking block, as Opus 5.5 does


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


class LLMServer:
    """``async with LLMServer(api_key=...) as server``: ``server.url`` is the Anthropic base URL,
    ``server.openai_url`` the OpenAI one (with ``/v1``)."""

    def __init__(self, api_key: str | None = None) -> None:
        self.api_key = api_key  # when set, any other key gets a 401
        self.profiles: dict[str, Profile] = {}
        self.requests: list[Recorded] = []
        self._cache: set[tuple[str, str]] = set()
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

    async def _admit(self, request: web.Request, anthropic: bool) -> tuple[Recorded, Any]:
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
        if profile.latency:
            await asyncio.sleep(profile.latency)
        return rec, profile

    async def _fault(self, profile: Profile, anthropic: bool) -> web.Response | Fault | None:
        """Serve the next queued fault: an error response, or the Fault to shape an answer."""
        if not profile.faults:
            return None
        fault = profile.faults.popleft()
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

    def _cached(self, model: str, prefix: str) -> bool:
        """Whether ``prefix`` was seen before for ``model``; remember it either way."""
        key = (model, hashlib.sha256(prefix.encode()).hexdigest())
        seen = key in self._cache
        self._cache.add(key)
        return seen

    # -- Anthropic -----------------------------------------------------------------------

    async def _messages(self, request: web.Request) -> web.Response:
        rec, profile = await self._admit(request, anthropic=True)
        if isinstance(profile, web.Response):
            return profile
        body = rec.body
        if "temperature" in body:
            return _error(True, 400, "temperature: this parameter is no longer supported")
        fmt = (body.get("output_config") or {}).get("format")
        if fmt and (problem := strict_problem(fmt.get("schema", {}))):
            return _error(True, 400, f"output_config.format.schema: {problem}")
        served = await self._fault(profile, anthropic=True)
        if isinstance(served, web.Response):
            return served
        tools = body.get("tools") or []
        emit = next((t for t in tools if t.get("name") == "emit"), None)
        searching = profile.search and any(t.get("type", "").startswith("web_search")
                                           for t in tools)
        schema = (fmt or {}).get("schema") or (emit or {}).get("input_schema")
        answer, sources = answer_for(profile, rec.text, schema, searched=searching)
        content: list[dict[str, Any]] = []
        if profile.thinking:
            content.append({"type": "thinking", "thinking": "Weighing each claim.",
                            "signature": "c2lnbmF0dXJl"})
        stop = "end_turn"
        turns = sum(1 for m in body.get("messages", []) if m.get("role") == "assistant")
        if searching and sources:
            content += _search_blocks(sources, turns)
            if turns < profile.pause_turns:
                return web.json_response(_message(body, content, "pause_turn", self._usage(body)))
            content.append({"type": "text", "text": "According to the sources found, ",
                            "citations": [_citation(s) for s in sources[:2]]})
        text = json.dumps(answer, ensure_ascii=False)
        if isinstance(served, Fault) and served.kind == "refusal":
            content, stop = [], "refusal"
        elif isinstance(served, Fault) and served.kind == "truncated":
            content.append({"type": "text", "text": text[: len(text) // 2]})
            stop = "max_tokens"
        elif isinstance(served, Fault):
            content.append({"type": "text", "text": served.text})
        elif emit is not None:
            content.append({"type": "tool_use", "id": "toolu_1", "name": "emit", "input": answer})
            stop = "tool_use"
        else:
            content.append({"type": "text", "text": _fence(text) if profile.fenced else text})
        usage = self._usage(body, searches=1 if searching else 0)
        return web.json_response(_message(body, content, stop, usage))

    def _usage(self, body: dict[str, Any], searches: int = 0) -> dict[str, Any]:
        """Token counts with prompt caching: the prefix up to the last cache_control marker."""
        parts = list(_blocks(body))
        marks = [i for i, (_, cached) in enumerate(parts) if cached]
        prefix = "".join(t for t, _ in parts[: marks[-1] + 1]) if marks else ""
        total = _tokens("".join(t for t, _ in parts))
        hit = bool(prefix) and self._cached(body["model"], prefix)
        usage: dict[str, Any] = {
            "input_tokens": total - _tokens(prefix) if prefix else total,
            "output_tokens": 40,
            "cache_read_input_tokens": _tokens(prefix) if hit else 0,
            "cache_creation_input_tokens": _tokens(prefix) if prefix and not hit else 0,
        }
        if searches:
            usage["server_tool_use"] = {"web_search_requests": searches, "web_fetch_requests": 0}
        return usage

    async def _count_tokens(self, request: web.Request) -> web.Response:
        rec, profile = await self._admit(request, anthropic=True)
        if isinstance(profile, web.Response):
            return profile
        return web.json_response({"input_tokens": _tokens(rec.text)})

    # -- OpenAI --------------------------------------------------------------------------

    async def _chat(self, request: web.Request) -> web.Response:
        rec, profile = await self._admit(request, anthropic=False)
        if isinstance(profile, web.Response):
            return profile
        body = rec.body
        fmt = body.get("response_format") or {}
        strict = fmt.get("type") == "json_schema" and fmt["json_schema"].get("strict")
        if strict and (problem := strict_problem(fmt["json_schema"].get("schema", {}))):
            return _error(False, 400, f"response_format: {problem}")
        served = await self._fault(profile, anthropic=False)
        if isinstance(served, web.Response):
            return served
        tools = body.get("tools") or []
        emit = next((t["function"] for t in tools if t["function"]["name"] == "emit"), None)
        schema = (fmt.get("json_schema") or {}).get("schema") or (emit or {}).get("parameters")
        answer, _ = answer_for(profile, rec.text, schema, searched=False)
        text = json.dumps(answer, ensure_ascii=False)
        message: dict[str, Any] = {"role": "assistant", "content": text, "refusal": None}
        finish = "stop"
        if isinstance(served, Fault) and served.kind == "refusal":
            message.update(content=None, refusal="I can't help with that.")
        elif isinstance(served, Fault) and served.kind == "truncated":
            message["content"], finish = text[: len(text) // 2], "length"
        elif isinstance(served, Fault):
            message["content"] = served.text
        elif emit is not None:
            message["content"], finish = None, "tool_calls"
            message["tool_calls"] = [{"id": "call_1", "type": "function",
                                      "function": {"name": "emit", "arguments": text}}]
        elif profile.fenced:
            message["content"] = _fence(text)
        all_text = rec.text
        block = ARTICLE_BLOCK.search(all_text)
        cut = block.end() if block else 0
        cached = _tokens(all_text[:cut]) if cut > 0 and self._cached(body["model"],
                                                                      all_text[:cut]) else 0
        prompt = _tokens(all_text)
        return web.json_response({
            "id": "chatcmpl-1", "object": "chat.completion", "created": int(time.time()),
            "model": body["model"],
            "choices": [{"index": 0, "message": message, "finish_reason": finish,
                         "logprobs": None}],
            "usage": {"prompt_tokens": prompt, "completion_tokens": 40,
                      "total_tokens": prompt + 40,
                      "prompt_tokens_details": {"cached_tokens": cached}},
        })

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
    """The JSON answer a model with ``profile`` gives to a request whose texts are ``text``;
    also the search results it "found" when ``searched``."""
    task = task_of(schema, text)
    languages = _match(r"these languages: ([^\n]+?)\.?\s*$", text).split(", ")
    languages = [lang.strip() for lang in languages if lang.strip()]
    block = ARTICLE_BLOCK.search(text)  # the prompt's own marking, not the system rules' mention
    article = block.group("text") if block else ""
    if task == "summaries":
        first = _sentences(article)[:1] or [""]
        return {"summaries": [{"language": lang, "text": f"[{lang}] {first[0]}", "note": ""}
                              for lang in languages]}, []
    if task == "claims":
        limit = int(_match(r"at most (\d+)", text) or 12)
        chosen = [s for s in _sentences(article) if re.search(r"\d", s)] or _sentences(article)
        claims = [{"text": s, "quote": s, "translations": {lang: f"[{lang}] {s}"
                                                           for lang in languages}}
                  for s in chosen[:limit]]
        if profile.bad_quote:
            fake = "The moon is made of green cheese, officials said on 1 April."
            claims.append({"text": fake, "quote": fake, "translations": {}})
        return {"claims": claims}, []
    if task == "verdicts":
        listing = text.split("Claims:", 1)[-1]
        numbered = re.findall(r"^(\d+)\. (.+)$", listing, flags=re.MULTILINE)
        verdicts, sources = [], []
        for number, claim in ((int(n), c.strip()) for n, c in numbered):
            if number in profile.skip:
                continue
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
                             "evidence": evidence})
        return {"verdicts": verdicts}, sources
    return {"error": "the fake cannot tell which task this is"}, []


def task_of(schema: dict[str, Any] | None, text: str) -> str:
    """summaries | claims | verdicts, from the schema's top-level property or the prompt."""
    props = (schema or {}).get("properties") or {}
    for task in ("summaries", "claims", "verdicts"):
        if task in props:
            return task
    found = re.findall(r'Return JSON: \{"(summaries|claims|verdicts)"', text)
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
    return len(text) // 4 + 1 if text else 0


@pytest.fixture
async def llm_server() -> AsyncIterator[LLMServer]:
    """A running LLMServer with no key check; register models with ``server.add``."""
    async with LLMServer() as server:
        yield server

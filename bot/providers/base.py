"""The Provider seam: one async ``complete()`` that returns a validated, typed answer.

Shared work lives here once: the per-call timeout, validation into the task's pydantic
schema, the single repair retry with the validation error, what a cut answer keeps, and the
order of calls that share a cached prefix. Subclasses only say how to send a prompt and get
text back (:meth:`Provider._generate`) and which prefix the service caches
(:meth:`Provider._cached_prefix`).

Cut answers: when the service stops at the output limit (``max_tokens`` / ``length``), the
items that arrived whole are kept (:func:`bot.providers.schema.complete_items`) and the
completion says it was cut, so the caller can ask again for what is missing.

Shared prefixes: the services make a cached prefix readable only once the call that writes
it has answered, so two calls sent side by side both pay for writing it. A call whose task
nobody waits for (the summary, beside the claims and the panel) therefore lets a call in
flight with the same prefix answer first, and then reads the cache instead of writing it.
"""

from __future__ import annotations

import asyncio
import logging
import time
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import ClassVar

from pydantic import BaseModel, ValidationError

from bot.config import ModelConfig
from bot.errors import EndpointDown, ProviderError
from bot.prompts import RenderedPrompt, Task
from bot.providers.schema import complete_items, narrow
from bot.records import Article, Claim, Usage

log = logging.getLogger("parallax.providers")
# Tasks off the check's critical path: they may wait for a call writing their cached prefix.
DEFERRABLE = frozenset({Task.SUMMARIZE})


@dataclass(frozen=True)
class CompletionRequest:
    """One task for one model: the rendered prompt, the schema to answer in, and the context.

    The structured context (article, languages, claims) lets providers that do not read
    prompts — the offline one — do the same task by rule.
    """

    prompt: RenderedPrompt
    schema: type[BaseModel]
    article: Article
    languages: tuple[str, ...] = ()
    claims: tuple[Claim, ...] = ()
    max_claims: int = 12
    summary_sentences: int = 3
    reader_language: str = "en"
    # Verification: the passage ids each claim may cite (claim id -> ids given with it).
    cites: Mapping[str, frozenset[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Generation:
    """What a subclass returns: the model's raw text and what it cost."""

    text: str
    usage: Usage = field(default_factory=Usage)
    cut: bool = False  # the service stopped at the output limit: the text is incomplete


@dataclass(frozen=True)
class Completion:
    """A validated answer and what it cost. ``cut``: the answer stopped at the output limit
    and ``output`` holds only the items that arrived whole."""

    output: BaseModel
    usage: Usage
    latency_ms: int
    attempts: int
    cut: bool = False


class Provider(ABC):
    """A model behind one async method. Subclasses set ``kind`` and implement ``_generate``."""

    kind: ClassVar[str]
    offline: ClassVar[bool] = False

    def __init__(self, config: ModelConfig, api_key: str | None = None) -> None:
        self.config = config
        self._api_key = api_key  # never logged, never in a message
        self._writing: dict[str, asyncio.Event] = {}  # cached prefixes being written

    @property
    def name(self) -> str:
        """The name the configuration gives this model."""
        return self.config.name

    @property
    def model(self) -> str:
        """The vendor's model id."""
        return self.config.model

    @property
    def endpoint(self) -> str:
        """Where the calls go (server and model): within one check, an endpoint that did not
        answer is not asked again."""
        return f"{self.kind}:{self.config.base_url or 'default'}:{self.model}"

    async def complete(self, request: CompletionRequest) -> Completion:
        """Ask the model; validate the answer; retry once with the validation error.

        Raises ProviderError when the model cannot give a valid answer in time.
        """
        started = time.perf_counter()
        usage = Usage()
        repair: str | None = None
        for attempt in (1, 2):
            try:
                async with asyncio.timeout(self.config.timeout):
                    generation = await self._in_turn(request, repair)
            except TimeoutError:
                reason = f"{self.name}: no answer within {self.config.timeout:g} s"
                raise EndpointDown(reason) from None
            except ProviderError:
                raise
            except Exception as exc:  # a model's failure must never crash the check
                log.exception("%s: unexpected failure", self.name)
                raise ProviderError(f"{self.name}: unexpected {type(exc).__name__}") from None
            usage = usage + generation.usage
            latency = int((time.perf_counter() - started) * 1000)
            if generation.cut:
                # Asking the same again would be cut the same way: keep what came whole.
                kept = complete_items(generation.text, request.schema)
                if kept is None:
                    raise ProviderError(f"{self.name}: answer cut at the output limit "
                                        "before one item was complete")
                return Completion(kept, usage, latency, attempt, cut=True)
            try:
                output = request.schema.model_validate_json(
                    narrow(generation.text, request.schema))
            except ValidationError as exc:
                repair = _first_error(exc)
                continue
            return Completion(output, usage, latency, attempt)
        raise ProviderError(f"{self.name}: invalid output after retry ({repair})")

    async def _in_turn(self, request: CompletionRequest, repair: str | None) -> Generation:
        """:meth:`_generate`, after the call writing the same cached prefix (if any) when
        ``request``'s task can wait; a call that writes a prefix is known while it runs."""
        key = self._cached_prefix(request)
        if key is None:
            return await self._generate(request, repair)
        if request.prompt.task in DEFERRABLE:
            # Started beside a call on the critical path (the claims): let it go first.
            for _ in range(3):
                await asyncio.sleep(0)
            if (writer := self._writing.get(key)) is not None:
                await writer.wait()
        if key in self._writing:  # a deferrable call arriving first: nothing to wait for
            return await self._generate(request, repair)
        done = self._writing[key] = asyncio.Event()
        try:
            return await self._generate(request, repair)
        finally:
            del self._writing[key]
            done.set()

    def _cached_prefix(self, request: CompletionRequest) -> str | None:
        """A key of the prefix the service caches for ``request`` (calls with equal keys share
        it), or None when nothing is cached; the default caches nothing."""
        return None

    async def probe(self) -> str:
        """One line on the endpoint: reachable, key accepted, model known. Never raises."""
        return "ok (offline)" if self.offline else "not checked"

    def prepare(self) -> None:  # noqa: B027 - optional hook, not abstract
        """Make now, in the running event loop, what the first call would make; the default
        has nothing to make."""

    async def aclose(self) -> None:  # noqa: B027 - optional hook, not abstract
        """Release network resources; the default has none."""

    @abstractmethod
    async def _generate(self, request: CompletionRequest, repair: str | None) -> Generation:
        """Send the prompt (plus the repair note on the retry) and return the raw text."""


def _first_error(exc: ValidationError) -> str:
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err["loc"]) or "answer"
    return f"{where}: {err['msg']}"[:200]

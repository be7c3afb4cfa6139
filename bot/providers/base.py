"""The Provider seam: one async ``complete()`` that returns a validated, typed answer.

Shared work lives here once: the per-call timeout, validation into the task's pydantic
schema, and the single repair retry with the validation error. Subclasses only say how to
send a prompt and get text back (:meth:`Provider._generate`).
"""

from __future__ import annotations

import asyncio
import logging
import time
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import ClassVar

from pydantic import BaseModel, ValidationError

from bot.config import ModelConfig
from bot.errors import EndpointDown, ProviderError
from bot.prompts import RenderedPrompt
from bot.records import Article, Claim, Usage

log = logging.getLogger("parallax.providers")


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


@dataclass(frozen=True)
class Generation:
    """What a subclass returns: the model's raw text and what it cost."""

    text: str
    usage: Usage = field(default_factory=Usage)


@dataclass(frozen=True)
class Completion:
    """A validated answer and what it cost."""

    output: BaseModel
    usage: Usage
    latency_ms: int
    attempts: int


class Provider(ABC):
    """A model behind one async method. Subclasses set ``kind`` and implement ``_generate``."""

    kind: ClassVar[str]
    offline: ClassVar[bool] = False

    def __init__(self, config: ModelConfig, api_key: str | None = None) -> None:
        self.config = config
        self._api_key = api_key  # never logged, never in a message

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
                    generation = await self._generate(request, repair)
            except TimeoutError:
                reason = f"{self.name}: no answer within {self.config.timeout:g} s"
                raise EndpointDown(reason) from None
            except ProviderError:
                raise
            except Exception as exc:  # a model's failure must never crash the check
                log.exception("%s: unexpected failure", self.name)
                raise ProviderError(f"{self.name}: unexpected {type(exc).__name__}") from None
            usage = usage + generation.usage
            try:
                output = request.schema.model_validate_json(generation.text)
            except ValidationError as exc:
                repair = _first_error(exc)
                continue
            latency = int((time.perf_counter() - started) * 1000)
            return Completion(output, usage, latency, attempt)
        raise ProviderError(f"{self.name}: invalid output after retry ({repair})")

    async def probe(self) -> str:
        """One line on the endpoint: reachable, key accepted, model known. Never raises."""
        return "ok (offline)" if self.offline else "not checked"

    async def aclose(self) -> None:  # noqa: B027 - optional hook, not abstract
        """Release network resources; the default has none."""

    @abstractmethod
    async def _generate(self, request: CompletionRequest, repair: str | None) -> Generation:
        """Send the prompt (plus the repair note on the retry) and return the raw text."""


def _first_error(exc: ValidationError) -> str:
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err["loc"]) or "answer"
    return f"{where}: {err['msg']}"[:200]

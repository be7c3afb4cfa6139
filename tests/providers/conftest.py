"""Fixtures for provider tests: the fake LLM server with a key, providers built against it
with strict response validation and fast retries, and ready-made requests for each task."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest

from bot.config import ModelConfig
from bot.prompts import Prompts, Task, load_prompts
from bot.providers.anthropic import AnthropicProvider
from bot.providers.base import CompletionRequest, Provider
from bot.providers.http_faults import RetryPolicy
from bot.providers.openai_compat import OpenAICompatProvider
from bot.records import Article, Claim, Language
from bot.schemas import ClaimsOutput, SummaryOutput, VerifyOutput
from tests.fakes.llm_server import LLMServer

KEY = "sk-test-PARALLAX-0123456789-do-not-leak"
FAST = RetryPolicy(retries=2, base_delay=0.01, max_delay=0.05, max_retry_after=5.0)
MakeProvider = Callable[..., Any]


@pytest.fixture
async def server() -> AsyncIterator[LLMServer]:
    """A fake server that accepts only KEY."""
    async with LLMServer(api_key=KEY) as fake:
        yield fake


@pytest.fixture
def prompts() -> Prompts:
    """The project's prompt templates."""
    return load_prompts()


@pytest.fixture
def article(corpus: Path) -> Article:
    """The English sample article as the pipeline would pass it."""
    text = (corpus / "en-webb-telescope.txt").read_text(encoding="utf-8").strip()
    return Article("a" * 16, "b" * 64, text, "Webb telescope", Language("en", 0.99), "test")


@pytest.fixture
async def make_provider(server: LLMServer) -> AsyncIterator[MakeProvider]:
    """``make_provider(cls, key=KEY, retry=FAST, **config)``: a provider of ``cls`` pointed at
    the fake server; its HTTP client is closed after the test."""
    made: list[Provider] = []

    def make(cls: type[AnthropicProvider | OpenAICompatProvider], key: str | None = KEY,
             retry: RetryPolicy = FAST, **config: Any) -> Any:
        url = server.url if cls is AnthropicProvider else server.openai_url
        fields: dict[str, Any] = {"name": "sonnet", "provider": cls.kind, "model": "model-a",
                                  # a safety net: a busy machine makes loopback answers slow
                                  "base_url": url, "timeout": 60.0, **config}
        provider = cls(ModelConfig(**fields), key, retry=retry, strict_responses=True)
        made.append(provider)
        return provider

    yield make
    for provider in made:
        await provider.aclose()  # type: ignore[attr-defined]


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Every delay asked of ``asyncio.sleep`` during the test (the sleeps still happen): what
    a retry policy waited, as the numbers it chose rather than the wall clock, which a busy
    machine stretches."""
    asked: list[float] = []
    real = asyncio.sleep

    async def sleep(delay: float, *args: Any, **kwargs: Any) -> Any:
        asked.append(delay)
        return await real(delay, *args, **kwargs)

    monkeypatch.setattr(asyncio, "sleep", sleep)
    return asked


def numbered_claims(count: int) -> list[str]:
    """``count`` distinct claim texts."""
    return [f"The harbour bridge's section {i} is {40 + i} metres long." for i in
            range(1, count + 1)]


class Tasks:
    """Ready-made requests for each task on one article."""

    def __init__(self, prompts: Prompts, article: Article) -> None:
        self.prompts, self.article = prompts, article

    def summary(self, languages: tuple[str, ...] = ("en", "de")) -> CompletionRequest:
        """The summarize task for ``languages``."""
        prompt = self.prompts.render(Task.SUMMARIZE, self.article,
                                     languages=", ".join(languages), sentences=3)
        return CompletionRequest(prompt, SummaryOutput, self.article, languages=languages)

    def claims(self, languages: tuple[str, ...] = ("en", "fr")) -> CompletionRequest:
        """The claim-extraction task, at most 5 claims."""
        prompt = self.prompts.render(Task.EXTRACT_CLAIMS, self.article, max_claims=5,
                                     languages=", ".join(languages))
        return CompletionRequest(prompt, ClaimsOutput, self.article, languages=languages,
                                 max_claims=5)

    def verify(self, count: int = 3) -> CompletionRequest:
        """The verification task on ``count`` claims taken from the article's sentences."""
        sentences = [s.strip() + "." for s in self.article.text.split(". ")
                     if any(c.isdigit() for c in s)]
        return self.verify_texts(sentences[:count])

    def verify_texts(self, texts: list[str]) -> CompletionRequest:
        """The verification task on claims of the given texts."""
        claims = tuple(Claim(f"c{i}", i, s, s) for i, s in enumerate(texts))
        listing = "\n".join(f"{i}. {c.text}" for i, c in enumerate(claims, start=1))
        prompt = self.prompts.render(Task.VERIFY_CLAIMS, self.article, claims=listing,
                                     reader_language="en")
        return CompletionRequest(prompt, VerifyOutput, self.article, claims=claims,
                                 reader_language="en")


@pytest.fixture
def tasks(prompts: Prompts, article: Article) -> Tasks:
    """Requests for the three tasks on the sample article."""
    return Tasks(prompts, article)


@pytest.fixture
def key() -> str:
    """The API key the fake server accepts; it must never appear in an error."""
    return KEY


@pytest.fixture
def dead_url() -> str:
    """A loopback URL where nothing listens (connections are refused at once)."""
    return closed_port_url()


def closed_port_url() -> str:
    """A loopback URL where nothing listens (connections are refused at once)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"

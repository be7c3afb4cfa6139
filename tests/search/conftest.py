"""Fixtures for the search backends: the fake services, the app's HTTP client, the waits."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from bot.ingest.fetch import FetchPolicy, build_http_client
from tests.fakes.search_server import search_server  # noqa: F401 - the fixture


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    """The client the app gives every backend (no keep-alive, no environment)."""
    async with build_http_client(FetchPolicy()) as client:
        yield client


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Every wait a rate limit asked of the backends, recorded instead of slept."""
    asked: list[float] = []

    async def record(seconds: float) -> None:
        asked.append(seconds)

    monkeypatch.setattr("bot.search.base._sleep", record)
    return asked

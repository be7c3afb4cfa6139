"""What the two SDK-backed providers share: settings for retries, one client per event loop."""

from __future__ import annotations

from abc import abstractmethod
from typing import Generic, TypeVar

from bot.config import ModelConfig
from bot.providers.base import Provider
from bot.providers.http_faults import LoopClient, RetryPolicy

C = TypeVar("C")


class SDKProvider(Provider, Generic[C]):
    """A provider that talks through a vendor SDK's async client ``C``.

    The SDK's own retries are off: :mod:`bot.providers.http_faults` retries, with a cap on
    retry-after. ``strict_responses`` (tests) makes the SDK refuse answers off the real shapes.
    """

    def __init__(self, config: ModelConfig, api_key: str | None = None, *,
                 retry: RetryPolicy | None = None, strict_responses: bool = False) -> None:
        super().__init__(config, api_key)
        self.retry = retry or RetryPolicy()
        self._strict = strict_responses
        self._clients: LoopClient[C] = LoopClient(self._new_client)

    @abstractmethod
    def _new_client(self) -> C:
        """A new SDK client for the running event loop."""

    def _sdk(self) -> C:
        return self._clients.get()

    def prepare(self) -> None:
        """Make the SDK client for the running loop now: making one loads the TLS trust store
        (~17 ms a client, measured, even for an http:// endpoint), which the first check would
        otherwise pay once per model."""
        self._sdk()

    async def aclose(self) -> None:
        """Close the HTTP connections (safe to call twice)."""
        await self._clients.aclose()

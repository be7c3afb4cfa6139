"""A provider whose raw replies a test queues and whose requests it records (no network)."""

from __future__ import annotations

import asyncio
from collections import deque

from bot.config import ModelConfig
from bot.providers.base import CompletionRequest, Generation, Provider
from bot.records import Usage


class ScriptedProvider(Provider):
    """Replies, in order, with the queued strings; an Exception in the queue is raised."""

    kind = "scripted"

    def __init__(self, name: str, replies: list[str | BaseException] | None = None,
                 delay: float = 0.0, timeout: float = 5.0) -> None:
        super().__init__(ModelConfig(name=name, provider="offline", model=f"{name}-1",
                                     timeout=timeout))
        self.replies: deque[str | BaseException] = deque(replies or [])
        self.requests: list[tuple[CompletionRequest, str | None]] = []
        self.delay = delay

    async def _generate(self, request: CompletionRequest, repair: str | None) -> Generation:
        self.requests.append((request, repair))
        if self.delay:
            await asyncio.sleep(self.delay)
        reply = self.replies.popleft()
        if isinstance(reply, BaseException):
            raise reply
        return Generation(reply, Usage(input_tokens=100, output_tokens=10))

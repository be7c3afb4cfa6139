"""The one place every model call goes through: it runs the call and records it."""

from __future__ import annotations

from dataclasses import dataclass

from bot.errors import ProviderError
from bot.prompts import Task
from bot.providers import Completion, CompletionRequest, Provider
from bot.providers.pricing import estimate_cost
from bot.store import Store
from bot.store.calls import ModelCall, record_call


@dataclass(frozen=True)
class CallLog:
    """Runs model calls for one check and writes each to the ledger, success or failure."""

    store: Store
    check_id: str

    async def ask(self, provider: Provider, task: Task, request: CompletionRequest) -> Completion:
        """Call ``provider``; record the call; re-raise a ProviderError after recording it."""
        try:
            done = await provider.complete(request)
        except ProviderError as exc:
            await self.store.run(record_call, self._row(provider, task, request, error=exc.reason))
            raise
        await self.store.run(record_call, self._row(provider, task, request, done=done))
        return done

    def _row(
        self,
        provider: Provider,
        task: Task,
        request: CompletionRequest,
        done: Completion | None = None,
        error: str | None = None,
    ) -> ModelCall:
        usage = done.usage if done else None
        return ModelCall(
            check_id=self.check_id, task=task.value, name=provider.name,
            provider=provider.kind, model=provider.model,
            status="ok" if done else "error", error=error,
            latency_ms=done.latency_ms if done else 0,
            prompt_sha256=request.prompt.sha256,
            input_tokens=usage.input_tokens if usage else 0,
            output_tokens=usage.output_tokens if usage else 0,
            cache_read_tokens=usage.cache_read_tokens if usage else 0,
            cache_write_tokens=usage.cache_write_tokens if usage else 0,
            cost_usd=estimate_cost(provider.model, usage) if usage else 0.0,
        )

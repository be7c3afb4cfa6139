"""The one place every model call goes through: it runs the call and records it."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.errors import ProviderError
from bot.prompts import Task
from bot.providers import Completion, CompletionRequest, Provider
from bot.providers.pricing import estimate_cost
from bot.records import Usage
from bot.store import Store
from bot.store.calls import ModelCall, record_calls


@dataclass
class CallLog:
    """Runs model calls for one check and writes a ledger row for each, success or failure.

    Each row is written as soon as the call returns, in its own short transaction: the
    ledger holds every call, even of a check that is killed before it is stored.
    It also keeps the check's running totals, for the report's footer.
    """

    store: Store
    check_id: str
    guild_id: str | None = None
    usage: Usage = field(default_factory=Usage)
    cost_usd: float = 0.0

    async def ask(self, provider: Provider, task: Task, request: CompletionRequest) -> Completion:
        """Call ``provider``; record the call; re-raise a ProviderError after recording it."""
        try:
            done = await provider.complete(request)
        except ProviderError as exc:
            await self.store.run(record_calls, [self._row(provider, task, request,
                                                          error=exc.reason)])
            raise
        row = self._row(provider, task, request, done=done)
        self.usage = self.usage + done.usage
        self.cost_usd += row.cost_usd
        await self.store.run(record_calls, [row])
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
            guild_id=self.guild_id,
        )

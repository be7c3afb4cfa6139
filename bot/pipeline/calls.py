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
    """Runs model calls for one check and keeps a ledger row for each, success or failure.

    The rows are written with the check, in its transaction (:meth:`take`), or on their own
    when the check stops early (:meth:`flush`): one write per check instead of one per call.
    It also keeps the check's running totals, for the report's footer.
    """

    store: Store
    check_id: str
    guild_id: str | None = None
    usage: Usage = field(default_factory=Usage)
    cost_usd: float = 0.0
    pending: list[ModelCall] = field(default_factory=list)

    async def ask(self, provider: Provider, task: Task, request: CompletionRequest) -> Completion:
        """Call ``provider``; note the call; re-raise a ProviderError after noting it."""
        try:
            done = await provider.complete(request)
        except ProviderError as exc:
            self.pending.append(self._row(provider, task, request, error=exc.reason))
            raise
        row = self._row(provider, task, request, done=done)
        self.usage = self.usage + done.usage
        self.cost_usd += row.cost_usd
        self.pending.append(row)
        return done

    def take(self) -> list[ModelCall]:
        """The rows not yet written, handed over to be written with the check."""
        rows, self.pending = self.pending, []
        return rows

    async def flush(self) -> None:
        """Write the rows not yet written (a check that stopped before being stored)."""
        rows = self.take()
        if rows:
            await self.store.run(record_calls, rows)

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

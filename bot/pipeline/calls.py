"""The one place every model call goes through: it runs the call and records it."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from bot.errors import EndpointDown, ProviderError
from bot.prompts import Task
from bot.providers import Completion, CompletionRequest, Provider
from bot.providers.pricing import estimate_cost
from bot.records import Usage
from bot.store import Store
from bot.store.calls import ModelCall, record_calls
from bot.store.pending import settle


@dataclass
class CallLog:
    """Runs model calls for one check and writes a ledger row for each, success or failure.

    Each row is queued on the store's thread as soon as the call returns, in its own short
    transaction: the ledger holds every call, even of a check that is killed before it is
    stored. The check does not wait for each row; :meth:`flush` waits for all of them.
    It also keeps the check's running totals, for the report's footer.
    """

    store: Store
    check_id: str
    guild_id: str | None = None
    usage: Usage = field(default_factory=Usage)
    cost_usd: float = 0.0
    _writes: list[asyncio.Future[None]] = field(default_factory=list, init=False, repr=False)
    _down: dict[str, str] = field(default_factory=dict, init=False, repr=False)

    async def ask(self, provider: Provider, task: Task, request: CompletionRequest) -> Completion:
        """Call ``provider``; record the call; re-raise a ProviderError after recording it.

        An endpoint that did not answer earlier in this check (refused, unreachable, hung) is
        not asked again: the call fails at once with the first failure's reason, so a hung
        server costs one timeout per check, not one per stage.
        """
        down = self._down.get(provider.endpoint)
        if down is not None:
            reason = f"{provider.name}: not asked, the endpoint failed earlier in this check " \
                     f"({down})"
            self._record(self._row(provider, task, request, error=reason))
            raise EndpointDown(reason)
        try:
            done = await provider.complete(request)
        except ProviderError as exc:
            if isinstance(exc, EndpointDown):
                self._down.setdefault(provider.endpoint, exc.reason.removeprefix(
                    f"{provider.name}: "))
            self._record(self._row(provider, task, request, error=exc.reason))
            raise
        row = self._row(provider, task, request, done=done)
        self.usage = self.usage + done.usage
        self.cost_usd += row.cost_usd
        self._record(row)
        return done

    async def flush(self, raise_errors: bool = True) -> None:
        """Wait until every row queued so far is written; raise the first failure if asked."""
        writes, self._writes = self._writes, []
        await settle(writes, raise_errors, f"check {self.check_id} model ledger")

    def _record(self, row: ModelCall) -> None:
        # Not awaited here: the next stage runs while the store's thread writes the row.
        self._writes.append(self.store.submit(record_calls, [row]))

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

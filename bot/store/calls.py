"""The model-call ledger: one row per call, the audit trail and the cost record."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from bot.store import insert_rows, now
from bot.store.connection import Db, count


@dataclass(frozen=True)
class ModelCall:
    """One model call as recorded."""

    check_id: str
    task: str
    name: str
    provider: str
    model: str
    status: str  # "ok" or "error"
    latency_ms: int
    prompt_sha256: str
    input_tokens: int = 0
    output_tokens: int = 0
    cache_read_tokens: int = 0
    cache_write_tokens: int = 0
    cost_usd: float = 0.0
    error: str | None = None
    guild_id: str | None = None  # the server the call was made for, for its budget


def record_calls(db: Db, calls: list[ModelCall]) -> None:
    """Append calls to the ledger (in the caller's transaction, if there is one)."""
    with db.atomic():
        insert_rows(db, "model_calls", ({**asdict(call), "created_at": now()} for call in calls))


def usage_by_model_day(db: Db) -> list[dict]:
    """Calls, tokens and cost per model and per day, newest day first."""
    return list(db.query(
        "select substr(created_at, 1, 10) as day, name, model, count(*) as calls, "
        "sum(input_tokens) as input_tokens, sum(output_tokens) as output_tokens, "
        "sum(cost_usd) as cost_usd, sum(case when status != 'ok' then 1 else 0 end) as errors "
        "from model_calls group by day, name, model order by day desc, name"))


def table_counts(db: Db) -> dict[str, int]:
    """Row count of every table of the store, by name (a full-text index's own tables,
    which hold its settings and vocabulary, are not data and are left out)."""
    return {name: count(db, name) for name in sorted(db.table_names())
            if not name.startswith("_") and "_fts" not in name and not name.endswith("_vocab")}

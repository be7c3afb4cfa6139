"""Named, append-only schema migrations. Never edit one that has shipped: add a new one."""

from __future__ import annotations

from sqlite_utils import Database, Migrations

migrations = Migrations("parallax")


@migrations(name="0001_core")
def core(db: Database) -> None:
    """Articles, checks and what each check produced; every model call."""
    db["articles"].create(
        {
            "id": str, "sha256": str, "canonical_url": str, "source": str, "title": str,
            "language": str, "language_confidence": float, "author": str, "published": str,
            "text": str, "chars": int, "created_at": str,
        },
        pk="id",
        not_null={"sha256", "source", "language", "text", "chars", "created_at"},
    )
    db["articles"].create_index(["sha256"], unique=True)
    db["articles"].create_index(["canonical_url"])
    db["checks"].create(
        {
            "id": str, "article_id": str, "request_key": str, "languages": str,
            "panel": str, "quorum": int, "warnings": str, "created_at": str,
        },
        pk="id",
        foreign_keys=[("article_id", "articles", "id")],
        not_null={"article_id", "request_key", "languages", "panel", "created_at"},
    )
    db["checks"].create_index(["article_id", "request_key"])
    db["summaries"].create(
        {
            "id": int, "check_id": str, "language": str, "text": str, "model": str,
            "note": str, "prompt_sha256": str,
        },
        pk="id",
        foreign_keys=[("check_id", "checks", "id")],
        not_null={"check_id", "language", "text", "model"},
    )
    db["claims"].create(
        {
            "id": str, "check_id": str, "position": int, "text": str, "quote": str,
            "translations": str, "consensus": str, "flagged": int, "prompt_sha256": str,
        },
        pk="id",
        foreign_keys=[("check_id", "checks", "id")],
        not_null={"check_id", "position", "text", "quote", "consensus", "flagged"},
    )
    db["verdicts"].create(
        {
            "id": int, "claim_id": str, "model": str, "verdict": str, "confidence": float,
            "rationale": str, "evidence": str, "prompt_sha256": str,
        },
        pk="id",
        foreign_keys=[("claim_id", "claims", "id")],
        not_null={"claim_id", "model", "verdict", "confidence", "rationale"},
    )
    # No foreign key on purpose: the call ledger keeps calls of checks that failed and
    # were never stored, because their tokens were spent all the same.
    db["model_calls"].create(
        {
            "id": int, "check_id": str, "task": str, "name": str, "provider": str,
            "model": str, "status": str, "error": str, "latency_ms": int,
            "input_tokens": int, "output_tokens": int, "cache_read_tokens": int,
            "cache_write_tokens": int, "cost_usd": float, "prompt_sha256": str,
            "created_at": str,
        },
        pk="id",
        not_null={"task", "name", "provider", "model", "status", "latency_ms", "created_at"},
    )
    db["model_calls"].create_index(["check_id"])
    db["model_calls"].create_index(["created_at"])

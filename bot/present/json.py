"""The report as JSON, in the shape DESIGN.md fixes (field names are a contract)."""

from __future__ import annotations

import json
from typing import Any

from bot.records import Report


def report_dict(report: Report) -> dict[str, Any]:
    """The report as plain data."""
    a = report.article
    return {
        "article": {
            "id": a.id, "title": a.title, "language": a.language.code,
            "language_confidence": round(a.language.confidence, 3), "source": a.source,
            "canonical_url": a.canonical_url, "author": a.author, "published": a.published,
            "sha256": a.sha256, "chars": a.chars,
        },
        "summaries": {
            lang: {"text": s.text, "model": s.model, **({"note": s.note} if s.note else {})}
            for lang, s in report.summaries.items()
        },
        "claims": [
            {
                "id": r.claim.id, "text": r.claim.text, "quote": r.claim.quote,
                "translations": r.claim.translations,
                "evidence": [{"id": p.id, "url": p.url, "title": p.title, "site": p.site,
                              "published": p.published, "language": p.language,
                              "passage": p.text, "backend": p.backend} for p in r.evidence],
                "verdicts": [
                    {"model": v.model, "verdict": v.verdict.value, "confidence": v.confidence,
                     "rationale": v.rationale, "cites": list(v.cites),
                     "evidence": [{"url": e.url, "title": e.title, "quote": e.quote}
                                  for e in v.evidence]}
                    for v in r.votes
                ],
                "consensus": r.consensus.value, "flagged": r.flagged,
                "review": {"action": r.review.action.value, "moderator_id": r.review.moderator_id,
                           "note": r.review.note, "decided_at": r.review.decided_at}
                if r.review else None,
            }
            for r in report.claims
        ],
        "panel": [
            {"name": m.name, "provider": m.provider, "model": m.model, "status": m.status.value,
             "reason": m.reason, "escalation": m.escalation, "latency_ms": m.latency_ms,
             "usage": {"input_tokens": m.usage.input_tokens,
                       "output_tokens": m.usage.output_tokens,
                       "cache_read_tokens": m.usage.cache_read_tokens,
                       "cache_write_tokens": m.usage.cache_write_tokens}}
            for m in report.panel
        ],
        "searches": [{"backend": x.backend, "query": x.query, "status": x.status,
                      "results": x.results, "latency_ms": x.latency_ms,
                      **({"error": x.error} if x.error else {})} for x in report.searches],
        "status": report.status.value,
        "failed_stages": [{"stage": f.stage.value, "reason": f.reason}
                          for f in report.failed_stages],
        "quorum": report.quorum,
        "usage": {"input_tokens": report.usage.input_tokens,
                  "output_tokens": report.usage.output_tokens,
                  "cache_read_tokens": report.usage.cache_read_tokens,
                  "cache_write_tokens": report.usage.cache_write_tokens},
        "cost_usd": round(report.cost_usd, 6),
        "cached": report.cached,
        "warnings": list(report.warnings),
    }


def render_json(report: Report) -> str:
    """The report as indented UTF-8 JSON."""
    return json.dumps(report_dict(report), ensure_ascii=False, indent=2)

"""An evaluation for people (a terminal table) and for machines (JSON, CSV, plot points)."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from rich import box
from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from bot.evaluation import Evaluation, Row
from bot.plot import Point

LEGEND = (
    "right: the verdict matches the label (uncertain on an unverifiable claim is right) · "
    "wrong: a confident verdict against the label, a hallucination · declined: uncertain on a "
    "claim with a settled answer (not attempted) · errors: no answer, left out of the rates · "
    "coverage: share of the claims attempted · F: harmonic mean of accuracy (right / answered) "
    "and accuracy when attempted · a policy's disputed, abstained or insufficient claim counts "
    "as uncertain"
)
CSV_FIELDS = (
    "kind", "name", "role", "quorum", "escalation", "configured", "escalated", "claims",
    "correct", "incorrect", "not_attempted", "errors", "coverage", "accuracy",
    "accuracy_when_attempted", "wrong_rate", "f_score", "cost_per_claim_usd",
    "latency_ms_per_claim",
)


def row_dict(row: Row) -> dict[str, Any]:
    """One row as plain data (the CSV's columns, with rates rounded to 4 places)."""
    s = row.scores
    return {
        "kind": row.kind, "name": row.name, "role": row.role or None, "quorum": row.quorum,
        "escalation": row.escalation, "configured": row.configured,
        "escalated": row.escalated, "claims": s.claims, "correct": s.correct,
        "incorrect": s.incorrect, "not_attempted": s.not_attempted, "errors": s.errors,
        "coverage": round(s.coverage, 4), "accuracy": round(s.accuracy, 4),
        "accuracy_when_attempted": round(s.accuracy_when_attempted, 4),
        "wrong_rate": round(s.wrong_rate, 4), "f_score": round(s.f_score, 4),
        "cost_per_claim_usd": round(row.cost_per_claim_usd, 8),
        "latency_ms_per_claim": round(row.latency_ms_per_claim, 1),
    }


def eval_dict(ev: Evaluation) -> dict[str, Any]:
    """The whole evaluation as plain data: summary, rows, and every claim's verdicts."""
    return {
        "labels": ev.source, "articles": ev.articles, "claims": ev.claims,
        "label_counts": ev.label_counts, "panel": list(ev.panel),
        "escalate": list(ev.escalate), "quorum": ev.quorum,
        "models": [row_dict(r) for r in ev.models],
        "policies": [row_dict(r) for r in ev.policies],
        "outcomes": [
            {"id": o.claim.claim.id, "article": o.claim.article, "text": o.claim.claim.text,
             "label": o.claim.label.value,
             "verdicts": {name: v.value for name, v in o.verdicts.items()}}
            for o in ev.outcomes
        ],
        "retrieval": {"recall": ev.retrieval_recall, "claims": ev.retrieval_claims},
        "warnings": list(ev.warnings),
    }


def render_eval_json(ev: Evaluation) -> str:
    """The evaluation as JSON."""
    return json.dumps(eval_dict(ev), ensure_ascii=False, indent=2)


def render_eval_csv(ev: Evaluation) -> str:
    """One CSV line per model and per policy."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_FIELDS, lineterminator="\n")
    writer.writeheader()
    for row in ev.rows:
        writer.writerow(row_dict(row))
    return out.getvalue()


def plot_points(ev: Evaluation) -> list[Point]:
    """Coverage (x) against accuracy when attempted (y): one point per model and per policy."""
    points = []
    for row in ev.rows:
        kind = "model" if row.kind == "model" else (
            "escalation" if row.escalation else "policy")
        points.append(Point(_short(row), row.scores.coverage, row.scores.accuracy_when_attempted,
                            kind, row.configured))
    return points


def plot_title(ev: Evaluation) -> str:
    """The plot's title: what was measured."""
    counts = ", ".join(f"{n} {label}" for label, n in ev.label_counts.items() if n)
    return f"{ev.claims} labeled claims ({counts}): caution against confidence"


def render_eval(ev: Evaluation, console: Console) -> None:
    """Print the header, the models' table, the policies' table, the legend and warnings."""
    errors = any(r.scores.errors for r in ev.rows)
    console.print(_header(ev))
    console.print(_table("Models", ev.models, errors))
    n = len(ev.panel)
    console.print(_table(f"Panel policies · k of {n}: a verdict needs k answers, all agreeing"
                         + (" · + esc.: escalation on disputed and abstained claims"
                            if ev.escalate else ""), ev.policies, errors))
    console.print(Text(LEGEND, style="dim"))
    if ev.retrieval_recall is not None:
        console.print(Text(f"retrieval recall: {ev.retrieval_recall:.0%} of the "
                           f"{ev.retrieval_claims} claims whose labels list settling URLs had "
                           "a passage from one of them"))
    for warning in ev.warnings:
        console.print(Text(f"⚠ {warning}", style="yellow"))


def _header(ev: Evaluation) -> Panel:
    counts = " · ".join(f"{n} {label}" for label, n in ev.label_counts.items())
    lines = [
        Text(f"{ev.claims} labeled claims from {ev.articles} articles: {counts}", style="bold"),
        Text(f"panel {', '.join(ev.panel)} · quorum {ev.quorum}"
             + (f" · escalation {', '.join(ev.escalate)}" if ev.escalate else "")),
    ]
    configured = ev.configured
    if configured is not None:
        s = configured.scores
        lines.append(Text(f"◀ the configured panel answers {_pct(s.coverage)} of the claims, "
                          f"is right on {_pct(s.accuracy_when_attempted)} of those and wrong "
                          f"on {_pct(s.wrong_rate)} of all", style="cyan"))
    best = max(ev.policies, key=lambda r: r.scores.f_score, default=None)
    if best is not None and best is not configured:
        lines.append(Text(f"best F-score among the policies: {_short(best)} "
                          f"({best.scores.f_score:.2f})", style="green"))
    return Panel(Group(*lines), title=Text(f"Parallax eval · {ev.source}"), title_align="left")


def _short(row: Row) -> str:
    if row.kind != "policy" or row.quorum is None:
        return row.name
    size = row.name.split("/", 1)[1].split()[0]
    return f"{row.quorum} of {size}" + (" + esc." if row.escalation else "")


def _table(title: str, rows: tuple[Row, ...], errors: bool) -> Table:
    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, collapse_padding=True,
                  pad_edge=False)
    table.add_column("model" if rows and rows[0].kind == "model" else "policy", min_width=8)
    headers = ["right", "wrong", "declined", *(["errors"] if errors else []), "coverage",
               "accuracy\nattempted", "F", "$/claim", "ms/claim"]
    for column in headers:
        table.add_column(column, justify="right", no_wrap=True)
    best = max((r.scores.f_score for r in rows), default=0.0)
    for row in rows:
        s = row.scores
        name = Text(_short(row), style="bold" if row.configured else "")
        if row.kind == "model" and row.role and row.role != "panel":
            name.append(f" ({row.role})", style="dim")
        if row.configured:
            name.append(" ◀", style="cyan")
        cells = [Text(str(s.correct), style="green" if s.correct else ""),
                 Text(str(s.incorrect), style="red" if s.incorrect else ""),
                 Text(str(s.not_attempted), style="blue" if s.not_attempted else "")]
        if errors:
            cells.append(Text(str(s.errors), style="magenta" if s.errors else ""))
        cells += [_pct(s.coverage), _pct(s.accuracy_when_attempted),
                  Text(f"{s.f_score:.2f}", style="bold green" if best and s.f_score == best
                       else ""),
                  _dollars(row.cost_per_claim_usd), f"{row.latency_ms_per_claim:.0f}"]
        table.add_row(name, *cells)
    return table


def _pct(value: float) -> str:
    return f"{value:.0%}"


def _dollars(value: float) -> str:
    if value == 0:
        return "$0"
    return f"${value:.6f}" if value < 0.0001 else f"${value:.4f}"



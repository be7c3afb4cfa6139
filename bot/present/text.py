"""The report for a terminal: readable at a glance, with marks, colours and counts."""

from __future__ import annotations

from collections import Counter

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from bot.present.claim_marks import reported_by
from bot.present.wrap import Wrapped
from bot.records import Consensus, MemberStatus, Report, ReportStatus, Stage, Verdict

MARKS = {
    Verdict.SUPPORTED: ("✔", "green"),
    Verdict.REFUTED: ("✘", "red"),
    Verdict.MISLEADING: ("⚠", "yellow"),
    Verdict.UNCERTAIN: ("?", "blue"),
    Verdict.ERROR: ("!", "magenta"),
}
CONSENSUS_STYLE = {
    Consensus.AGREED_SUPPORTED: "green", Consensus.AGREED_REFUTED: "red",
    Consensus.AGREED_MISLEADING: "yellow", Consensus.DISPUTED: "bold yellow",
    Consensus.ABSTAINED: "blue", Consensus.INSUFFICIENT: "magenta",
}


def render_report(report: Report, console: Console, details: bool = False) -> None:
    """Print the report: header, summaries, claims table, panel, warnings."""
    console.print(_header(report))
    for lang, summary in report.summaries.items():
        body = Text(summary.text or "—")
        if summary.note:
            body.append(f"\n({summary.note})", style="dim italic")
        title = Text(f"Summary [{lang}] · {summary.model}")  # Text: "[fr]" is not markup
        console.print(Panel(Wrapped(body), title=title, title_align="left"))
    if report.claims:
        console.print(_claims_table(report))
    if details:
        for result in report.claims:
            for p in result.evidence:
                console.print(f"  [{result.claim.position + 1}] {p.id} {p.site} "
                              f"{p.published or ''} {p.title} <{p.url}>", markup=False,
                              highlight=False)
                console.print(f"      {' '.join(p.text.split())[:300]}", markup=False,
                              highlight=False)
            for vote in result.votes:
                console.print(
                    f"  [{result.claim.position + 1}] {vote.model}: {vote.verdict.value} "
                    f"({vote.confidence:.2f}) {vote.rationale}"
                    + (f" [cites {', '.join(vote.cites)}]" if vote.cites
                       else " [own knowledge]" if result.evidence else ""),
                    markup=False, highlight=False)
                for ev in vote.evidence:
                    console.print(f"      {ev.title or ev.url} <{ev.url}>", markup=False)
    console.print(_panel_table(report))
    for warning in report.warnings:
        console.print(Text(f"⚠ {warning}", style="yellow"))


def _header(report: Report) -> Panel:
    a = report.article
    counts = Counter(r.consensus for r in report.claims)
    flagged = sum(r.flagged for r in report.claims)
    lines = [
        Text(a.title or "(untitled)", style="bold"),
        Text(f"language {a.language.code} ({a.language.confidence:.0%}) · {a.chars:,} characters"
             f" · {a.source}"),
        Text(f"{len(report.claims)} claims · "
             + " · ".join(f"{n} {c.value}" for c, n in sorted(counts.items())))
        if report.claims else Text("claims not extracted" if report.failed(Stage.CLAIMS)
                                   else "no check-worthy claims found"),
    ]
    if report.status is ReportStatus.INCOMPLETE:
        lines.insert(0, Text("INCOMPLETE — a stage failed; this report is not stored as the "
                             "answer, run the check again later", style="bold red"))
        lines += [Text(f"✘ {f.stage.value} failed: {f.reason}", style="red")
                  for f in report.failed_stages]
    if flagged:
        lines.append(Text(f"{flagged} flagged for moderators", style="yellow"))
    if report.cached:
        lines.append(Text("stored report (run with --fresh to check again)", style="dim"))
    return Panel(Group(*lines), title=Text(f"Parallax · article {a.id}"), title_align="left")


def _squash(text: str) -> str:
    return " ".join(text.split())


def _claims_table(report: Report) -> Table:
    names = [m.name for m in report.panel]
    table = Table(title="Claims", title_justify="left", show_lines=True, expand=True)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("Claim", ratio=1)
    for name in names:
        table.add_column(name, justify="center", no_wrap=True)
    table.add_column("Consensus", no_wrap=True)
    for result in report.claims:
        votes = {v.model: v for v in result.votes}
        marks = []
        for name in names:
            vote = votes.get(name)
            mark, style = MARKS[vote.verdict] if vote else ("·", "dim")
            marks.append(Text(f"{mark} {vote.verdict.value}" if vote else mark, style=style))
        claim = Text(result.claim.text)
        if _squash(result.claim.quote) != _squash(result.claim.text):
            claim.append(f"\n“{result.claim.quote}”", style="italic")
        if result.evidence:
            citing = [v.model for v in result.votes if v.cites]
            claim.append(f"\n{len({p.url for p in result.evidence})} source(s)"
                         + (f" · cited by {', '.join(citing)}" if citing else
                            " · cited by no model"), style="cyan")
            if witnesses := reported_by(result):
                claim.append(f"\nalso reported by {', '.join(witnesses)}", style="cyan")
        for lang, text in result.claim.translations.items():
            claim.append(f"\n[{lang}] {text}", style="dim")
        consensus = Text(result.consensus.value, style=CONSENSUS_STYLE[result.consensus])
        if result.flagged:
            consensus.append(" ⚑", style="bold yellow")
        if result.review:
            consensus.append(f"\nmoderators: {result.review.action.value}", style="cyan")
        # Wrapped: Chinese, Japanese and Thai have no spaces to wrap at, and must not be cut.
        table.add_row(str(result.claim.position + 1), Wrapped(claim), *marks, consensus)
    return table


def _panel_table(report: Report) -> Table:
    table = Table(title="Panel", title_justify="left")
    for column in ("model", "provider", "status", "latency", "tokens in/out"):
        table.add_column(column)
    for m in report.panel:
        status = m.status.value + (f": {m.reason}" if m.reason else "")
        if m.status is MemberStatus.OFFLINE:
            status = "offline: no verifier configured"
        name = f"{m.name} (escalation)" if m.escalation else m.name
        style = {MemberStatus.OK: "green", MemberStatus.ERROR: "red"}.get(m.status, "yellow")
        asked = m.status in (MemberStatus.OK, MemberStatus.ERROR)
        table.add_row(name, m.provider if m.model == m.name else f"{m.provider} · {m.model}",
                      Text(status, style=style), f"{m.latency_ms} ms" if asked else "—",
                      f"{m.usage.input_tokens}/{m.usage.output_tokens}")
    return table

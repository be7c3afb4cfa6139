"""What an earlier, incomplete check of the same request already answered.

An incomplete report is never served, but its stages that did answer are not asked again:
the next check keeps its summaries when the summary call answered, its claims when the
claims call answered, and the votes of each panel model that answered, and asks only the
rest. Claims take the new check's ids (a claim belongs to one check), and the kept votes
follow them. Escalation is asked again whenever it is needed: it depends on the votes.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from bot.records import Claim, PanelMember, Report, Stage, Summary, Vote


@dataclass(frozen=True)
class Prior:
    """The answered stages of an earlier check; ``None`` means "ask again"."""

    summaries: dict[str, Summary] | None = None
    claims: list[Claim] | None = None
    votes: dict[str, list[Vote]] = field(default_factory=dict)  # panel model -> its votes
    members: dict[str, PanelMember] = field(default_factory=dict)


def prior_of(report: Report | None, check_id: str) -> Prior:
    """What ``report`` (an incomplete check, or None) lets the check ``check_id`` keep."""
    if report is None:
        return Prior()
    summaries = None if report.failed(Stage.SUMMARY) else dict(report.summaries)
    if report.failed(Stage.CLAIMS):
        return Prior(summaries)
    renamed = {r.claim.id: f"{check_id}-{i}" for i, r in enumerate(report.claims)}
    claims = [replace(r.claim, id=renamed[r.claim.id]) for r in report.claims]
    votes: dict[str, list[Vote]] = {}
    members = {}
    for member in report.panel:
        if member.answered and not member.escalation:
            members[member.name] = member
            votes[member.name] = [replace(v, claim_id=renamed[v.claim_id])
                                  for r in report.claims for v in r.votes
                                  if v.model == member.name and v.claim_id in renamed]
    return Prior(summaries, claims, votes, members)

"""Aggregation: per claim, the panel's consensus and whether moderators should see it. Pure."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace

from bot.records import Claim, ClaimResult, Consensus, GuildSettings, Passage, Verdict, Vote

ANSWERS = frozenset({Verdict.SUPPORTED, Verdict.REFUTED, Verdict.MISLEADING})
_AGREED = {
    Verdict.SUPPORTED: Consensus.AGREED_SUPPORTED,
    Verdict.REFUTED: Consensus.AGREED_REFUTED,
    Verdict.MISLEADING: Consensus.AGREED_MISLEADING,
}
# Disputed claims are always flagged; these are flagged too unless a server says otherwise.
DEFAULT_FLAGS = GuildSettings("").flag_on


def consensus(votes: Iterable[Vote], quorum: int) -> Consensus:
    """The panel's consensus on one claim from its models' votes (see DESIGN.md's table).

    Disagreement among the models that answered is ``disputed`` whatever the quorum.
    Short of the quorum, it is ``abstained`` when the models that declined would have made
    up the shortfall, and ``insufficient`` when errors left it short.
    """
    votes = list(votes)
    answered = [v.verdict for v in votes if v.verdict in ANSWERS]
    if len(set(answered)) > 1:
        return Consensus.DISPUTED
    if answered and len(answered) >= quorum:
        return _AGREED[answered[0]]
    declined = sum(v.verdict is Verdict.UNCERTAIN for v in votes)
    if declined and len(answered) + declined >= quorum:
        return Consensus.ABSTAINED
    return Consensus.INSUFFICIENT


def is_flagged(value: Consensus, flags: frozenset[Consensus] = DEFAULT_FLAGS) -> bool:
    """Whether a claim with this consensus goes to the moderators' queue."""
    return value is Consensus.DISPUTED or value in flags


def aggregate(
    claims: Iterable[Claim],
    votes: Iterable[Vote],
    quorum: int,
    flags: frozenset[Consensus] = DEFAULT_FLAGS,
    passages: Mapping[str, tuple[Passage, ...]] | None = None,
) -> tuple[ClaimResult, ...]:
    """Combine every vote into one result per claim, in the claims' order, each with the
    evidence passages the panel was given for it."""
    by_claim: dict[str, list[Vote]] = {}
    for vote in votes:
        by_claim.setdefault(vote.claim_id, []).append(vote)
    results = []
    for claim in claims:
        claim_votes = tuple(by_claim.get(claim.id, ()))
        value = consensus(claim_votes, quorum)
        results.append(ClaimResult(claim, claim_votes, value, is_flagged(value, flags),
                                   evidence=(passages or {}).get(claim.id, ())))
    return tuple(results)


def with_flags(results: Iterable[ClaimResult],
               flags: frozenset[Consensus] = DEFAULT_FLAGS) -> tuple[ClaimResult, ...]:
    """``results`` flagged by the policy ``flags`` (a stored report, shown to a server)."""
    return tuple(replace(r, flagged=is_flagged(r.consensus, flags)) for r in results)

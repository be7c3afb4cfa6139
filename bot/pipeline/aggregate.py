"""Aggregation: per claim, the panel's consensus and whether moderators should see it. Pure."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace

from bot.ingest.urls import host_of
from bot.records import Claim, ClaimResult, Consensus, GuildSettings, Passage, Verdict, Vote

SEARCHED = "web_search"  # a passage's backend when a model's own web search found it
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
    claims = list(claims)
    given = {c.id: (passages or {}).get(c.id, ()) for c in claims}
    numbers = _NumberedIds(given.values())
    results = []
    for claim in claims:
        claim_votes, evidence = join_searched(by_claim.get(claim.id, ()), given[claim.id],
                                              numbers)
        value = consensus(claim_votes, quorum)
        results.append(ClaimResult(claim, claim_votes, value, is_flagged(value, flags),
                                   evidence=evidence))
    return tuple(results)


class _NumberedIds:
    """Passage ids of a check: one per URL across all its claims (as the evidence stage gives
    them), the next free one ("E7" after "E6") for a URL not seen yet."""

    def __init__(self, passages: Iterable[Iterable[Passage]]) -> None:
        self.ids = {p.url: p.id for group in passages for p in group}
        self.last = max((int(i[1:]) for i in self.ids.values()
                         if i[:1] == "E" and i[1:].isdigit()), default=0)

    def of(self, url: str) -> str:
        """The id of ``url``: its passage's, or the next free one."""
        if url not in self.ids:
            self.last += 1
            self.ids[url] = f"E{self.last}"
        return self.ids[url]


def join_searched(votes: Iterable[Vote], passages: tuple[Passage, ...],
                  numbers: _NumberedIds) -> tuple[tuple[Vote, ...], tuple[Passage, ...]]:
    """The sources a model's own web search returned for a claim, joined to the claim's
    numbered passages: each URL once (one id per URL in the check), and the vote cites the
    ids of what it found, so every face shows one list of sources per claim."""
    joined = list(passages)
    listed = {p.url for p in passages}
    out = []
    for vote in votes:
        cites = list(vote.cites)
        for source in vote.evidence:
            pid = numbers.of(source.url)
            if source.url not in listed:
                listed.add(source.url)
                joined.append(Passage(
                    id=pid, url=source.url, title=source.title, site=host_of(source.url) or "",
                    published=None, language=None, text=source.quote,
                    backend=f"{SEARCHED}:{vote.model}"))
            if pid not in cites:
                cites.append(pid)
        out.append(replace(vote, cites=tuple(cites)) if cites != list(vote.cites) else vote)
    return tuple(out), tuple(joined)


def with_flags(results: Iterable[ClaimResult],
               flags: frozenset[Consensus] = DEFAULT_FLAGS) -> tuple[ClaimResult, ...]:
    """``results`` flagged by the policy ``flags`` (a stored report, shown to a server)."""
    return tuple(replace(r, flagged=is_flagged(r.consensus, flags)) for r in results)

import pytest

from bot.pipeline.aggregate import aggregate, consensus, is_flagged
from bot.records import Claim, Consensus, Evidence, Passage, Verdict, Vote

S, R, M, U, E = (Verdict.SUPPORTED, Verdict.REFUTED, Verdict.MISLEADING, Verdict.UNCERTAIN,
                 Verdict.ERROR)


def votes(*verdicts):
    return [Vote("c", f"m{i}", v, 0.5, "") for i, v in enumerate(verdicts)]


@pytest.mark.parametrize(
    ("verdicts", "quorum", "expected"),
    [
        ((S, S), 2, Consensus.AGREED_SUPPORTED),
        ((R, R, R), 2, Consensus.AGREED_REFUTED),
        ((M, M), 2, Consensus.AGREED_MISLEADING),
        ((S, S, U), 2, Consensus.AGREED_SUPPORTED),
        ((S, R), 2, Consensus.DISPUTED),
        ((S, M, U), 2, Consensus.DISPUTED),
        ((S, R, E), 3, Consensus.DISPUTED),  # disagreement shows even below the quorum
        ((S, U, U), 2, Consensus.ABSTAINED),
        ((U, U), 1, Consensus.ABSTAINED),
        ((S, U, E), 2, Consensus.ABSTAINED),
        ((S, E, E), 2, Consensus.INSUFFICIENT),
        ((E, E), 1, Consensus.INSUFFICIENT),
        ((), 1, Consensus.INSUFFICIENT),
        ((S,), 1, Consensus.AGREED_SUPPORTED),
    ],
)
def test_consensus_table(verdicts, quorum, expected):
    assert consensus(votes(*verdicts), quorum) is expected


def test_flags():
    assert is_flagged(Consensus.DISPUTED, frozenset())
    assert is_flagged(Consensus.AGREED_REFUTED)
    assert not is_flagged(Consensus.ABSTAINED)
    assert is_flagged(Consensus.ABSTAINED, frozenset({Consensus.ABSTAINED}))
    assert not is_flagged(Consensus.AGREED_SUPPORTED)


def test_aggregate_keeps_claim_order_and_groups_votes():
    claims = [Claim("a", 0, "A", "A"), Claim("b", 1, "B", "B")]
    vs = [Vote("b", "x", R, 1, ""), Vote("a", "x", S, 1, ""), Vote("b", "y", R, 1, "")]
    results = aggregate(claims, vs, quorum=2)
    assert [r.claim.id for r in results] == ["a", "b"]
    assert results[0].consensus is Consensus.INSUFFICIENT
    assert results[1].consensus is Consensus.AGREED_REFUTED and results[1].flagged


def test_a_models_own_search_joins_the_passages_one_id_per_url():
    claims = [Claim("a", 0, "A", "A"), Claim("b", 1, "B", "B")]
    given = {"a": (Passage("E1", "https://x.example/1", "X", "x.example", None, "en", "t",
                           "web"),),
             "b": (Passage("E2", "https://y.example/2", "Y", "y.example", None, "en", "t",
                           "web"),)}
    found = (Evidence("https://x.example/1"), Evidence("https://www.z.example/3", "Z", "q"))
    vs = [Vote("a", "claude", S, 0.9, "", evidence=found, cites=("E1",)),
          Vote("b", "claude", S, 0.9, "", evidence=found[1:]),
          Vote("b", "llama", S, 0.9, "", cites=("E2",))]
    a, b = aggregate(claims, vs, quorum=1, passages=given)
    # The stage's passage keeps its id; the new source gets the check's next one, everywhere.
    assert [p.id for p in a.evidence] == ["E1", "E3"] and [p.id for p in b.evidence] == ["E2", "E3"]
    new = a.evidence[1]
    assert (new.site, new.title, new.text, new.backend) == ("z.example", "Z", "q",
                                                           "web_search:claude")
    assert a.votes[0].cites == ("E1", "E3") and b.votes[0].cites == ("E3",)
    assert b.votes[1].cites == ("E2",)  # a model that searched nothing cites what it was given

"""Grading and scores, per model and per consensus policy: pure functions on votes."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from bot.evaluation.labels import Label, LabeledClaim, Labels
from bot.pipeline import ESCALATE_ON
from bot.pipeline.aggregate import consensus
from bot.records import Consensus, Verdict, Vote


class Grade(StrEnum):
    """One verdict graded against one label."""

    CORRECT = "correct"
    INCORRECT = "incorrect"  # a confident verdict contradicting the label: a hallucination
    NOT_ATTEMPTED = "not attempted"  # uncertain on a claim that has a settled answer
    ERROR = "error"  # no answer: infrastructure


_C, _I, _N = Grade.CORRECT, Grade.INCORRECT, Grade.NOT_ATTEMPTED
GRADES: Mapping[tuple[Verdict, Label], Grade] = {
    (Verdict.SUPPORTED, Label.SUPPORTED): _C,
    (Verdict.SUPPORTED, Label.REFUTED): _I,
    (Verdict.SUPPORTED, Label.UNVERIFIABLE): _I,
    (Verdict.REFUTED, Label.SUPPORTED): _I,
    (Verdict.REFUTED, Label.REFUTED): _C,
    (Verdict.REFUTED, Label.UNVERIFIABLE): _I,
    (Verdict.MISLEADING, Label.SUPPORTED): _I,
    (Verdict.MISLEADING, Label.REFUTED): _C,
    (Verdict.MISLEADING, Label.UNVERIFIABLE): _I,
    (Verdict.UNCERTAIN, Label.SUPPORTED): _N,
    (Verdict.UNCERTAIN, Label.REFUTED): _N,
    (Verdict.UNCERTAIN, Label.UNVERIFIABLE): _C,
    **{(Verdict.ERROR, label): Grade.ERROR for label in Label},
}


def grade(verdict: Verdict, label: Label) -> Grade:
    """How ``verdict`` fares against ``label`` (see the module's table)."""
    return GRADES[(verdict, label)]


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


@dataclass(frozen=True)
class Scores:
    """Counts of each grade over a set of claims, and the rates derived from them."""

    correct: int = 0
    incorrect: int = 0
    not_attempted: int = 0
    errors: int = 0

    @property
    def claims(self) -> int:
        """Every claim scored, errors included."""
        return self.correct + self.incorrect + self.not_attempted + self.errors

    @property
    def graded(self) -> int:
        """Claims that got an answer (all but errors): the denominator of the rates."""
        return self.correct + self.incorrect + self.not_attempted

    @property
    def attempted(self) -> int:
        """Claims answered with a verdict that can be right or wrong."""
        return self.correct + self.incorrect

    @property
    def coverage(self) -> float:
        """Share of the graded claims attempted."""
        return _ratio(self.attempted, self.graded)

    @property
    def accuracy(self) -> float:
        """Share of the graded claims answered correctly (declining counts against)."""
        return _ratio(self.correct, self.graded)

    @property
    def accuracy_when_attempted(self) -> float:
        """Share of the attempted claims answered correctly; 0 when nothing was attempted."""
        return _ratio(self.correct, self.attempted)

    @property
    def wrong_rate(self) -> float:
        """Share of the graded claims answered wrongly: the hallucination rate."""
        return _ratio(self.incorrect, self.graded)

    @property
    def error_rate(self) -> float:
        """Share of all claims that got no answer."""
        return _ratio(self.errors, self.claims)

    @property
    def f_score(self) -> float:
        """Harmonic mean of accuracy and accuracy when attempted; 0 when both are 0."""
        a, b = self.accuracy, self.accuracy_when_attempted
        return 2 * a * b / (a + b) if a + b else 0.0


def score(grades: Iterable[Grade]) -> Scores:
    """Count ``grades`` into Scores."""
    counts = Counter(grades)
    return Scores(counts[Grade.CORRECT], counts[Grade.INCORRECT], counts[Grade.NOT_ATTEMPTED],
                  counts[Grade.ERROR])


_FROM_CONSENSUS = {
    Consensus.AGREED_SUPPORTED: Verdict.SUPPORTED,
    Consensus.AGREED_REFUTED: Verdict.REFUTED,
    Consensus.AGREED_MISLEADING: Verdict.MISLEADING,
}


@dataclass(frozen=True)
class Policy:
    """How a panel of ``size`` models decides: its quorum, and whether it escalates."""

    quorum: int
    size: int
    escalate: bool = False

    @property
    def name(self) -> str:
        """``quorum 2/3`` or ``quorum 2/3 + escalation``."""
        return f"quorum {self.quorum}/{self.size}" + (" + escalation" if self.escalate else "")


def policies(size: int, escalation: bool) -> list[Policy]:
    """Every policy of a ``size``-model panel: each quorum, then each with escalation."""
    plain = [Policy(q, size) for q in range(1, size + 1)]
    return plain + ([Policy(q, size, True) for q in range(1, size + 1)] if escalation else [])


def verdict_of(value: Consensus, votes: Sequence[Vote]) -> Verdict:
    """What the reader gets from a consensus: agreed-X is X, anything else is uncertain —
    unless every vote is an error (no model answered at all), which is an error."""
    if value in _FROM_CONSENSUS:
        return _FROM_CONSENSUS[value]
    if all(v.verdict is Verdict.ERROR for v in votes):  # true of no votes too
        return Verdict.ERROR
    return Verdict.UNCERTAIN


def policy_verdict(panel_votes: Sequence[Vote], escalation_votes: Sequence[Vote],
                   policy: Policy) -> tuple[Verdict, bool]:
    """A policy's verdict on one claim, and whether it escalated the claim."""
    votes = list(panel_votes)
    value = consensus(votes, policy.quorum)
    escalated = policy.escalate and value in ESCALATE_ON and bool(escalation_votes)
    if escalated:
        votes += escalation_votes
        value = consensus(votes, policy.quorum)
    return verdict_of(value, votes), escalated


@dataclass(frozen=True)
class CallCost:
    """One verification call as eval saw it."""

    model: str  # the configured name
    article: str
    latency_ms: int
    cost_usd: float
    ok: bool


@dataclass(frozen=True)
class EvalRun:
    """What the models said: the raw material of :func:`evaluate`."""

    labels: Labels
    panel: tuple[str, ...]
    escalate: tuple[str, ...]
    votes: tuple[Vote, ...]
    calls: tuple[CallCost, ...]
    quorum: int  # the configured panel's quorum
    warnings: tuple[str, ...] = ()
    # Claims whose labels list settling URLs: (claim id, whether a passage came from one)
    retrieved: tuple[tuple[str, bool], ...] = ()


@dataclass(frozen=True)
class Row:
    """One line of the evaluation: a model, or a panel policy."""

    name: str
    kind: str  # "model" | "policy"
    scores: Scores
    cost_per_claim_usd: float
    latency_ms_per_claim: float
    quorum: int | None = None
    escalation: bool = False
    configured: bool = False  # the panel as configured (or as --panel/--quorum say)
    escalated: int = 0  # claims this policy sent to the escalation models
    role: str = ""  # for models: "panel", "escalation" or "panel, escalation"


@dataclass(frozen=True)
class ClaimOutcome:
    """One claim: its label, and every model's and every policy's verdict on it."""

    claim: LabeledClaim
    verdicts: dict[str, Verdict]  # model name or policy name -> verdict


@dataclass(frozen=True)
class Evaluation:
    """Every row and every claim's outcome."""

    source: str
    articles: int
    panel: tuple[str, ...]
    escalate: tuple[str, ...]
    quorum: int
    models: tuple[Row, ...]
    policies: tuple[Row, ...]
    outcomes: tuple[ClaimOutcome, ...]
    warnings: tuple[str, ...] = ()
    label_counts: dict[str, int] = field(default_factory=dict)
    # Retrieval recall over the claims whose labels list settling URLs (None: none do)
    retrieval_recall: float | None = None
    retrieval_claims: int = 0

    @property
    def claims(self) -> int:
        """How many labeled claims were evaluated."""
        return len(self.outcomes)

    @property
    def rows(self) -> tuple[Row, ...]:
        """Models first, then policies."""
        return self.models + self.policies

    @property
    def configured(self) -> Row | None:
        """The policy of the panel as configured."""
        return next((r for r in self.policies if r.configured), None)


def evaluate(run: EvalRun) -> Evaluation:
    """Grade every model and every policy on the run's claims. Pure."""
    claims = run.labels.claims
    n = len(claims)
    by_claim: dict[str, dict[str, Vote]] = {}
    for vote in run.votes:
        by_claim.setdefault(vote.claim_id, {}).setdefault(vote.model, vote)
    calls_by: dict[tuple[str, str], list[CallCost]] = {}
    for call in run.calls:
        calls_by.setdefault((call.model, call.article), []).append(call)
    names = list(dict.fromkeys(run.panel + run.escalate))
    verdicts: dict[str, dict[str, Verdict]] = {c.claim.id: {} for c in claims}

    models = []
    for name in names:
        grades = []
        for c in claims:
            vote = by_claim.get(c.claim.id, {}).get(name)
            verdict = vote.verdict if vote else Verdict.ERROR
            verdicts[c.claim.id][name] = verdict
            grades.append(grade(verdict, c.label))
        mine = [call for call in run.calls if call.model == name]
        role = ", ".join(r for r, group in (("panel", run.panel), ("escalation", run.escalate))
                         if name in group)
        models.append(Row(name, "model", score(grades),
                          _ratio_f(sum(c.cost_usd for c in mine), n),
                          _ratio_f(sum(c.latency_ms for c in mine), n), role=role))

    rows = []
    configured = Policy(run.quorum, len(run.panel), bool(run.escalate))
    for policy in policies(len(run.panel), bool(run.escalate)):
        grades, escalated_in = [], Counter[str]()
        for c in claims:
            votes = by_claim.get(c.claim.id, {})
            panel_votes = [votes[m] for m in run.panel if m in votes]
            more = [votes[m] for m in run.escalate if m in votes]
            verdict, escalated = policy_verdict(panel_votes, more, policy)
            verdicts[c.claim.id][policy.name] = verdict
            grades.append(grade(verdict, c.label))
            escalated_in[c.article] += escalated
        cost = latency = 0.0
        for article in run.labels.articles:
            panel_calls = [x for m in run.panel for x in calls_by.get((m, article.name), [])]
            cost += sum(x.cost_usd for x in panel_calls)
            latency += max((x.latency_ms for x in panel_calls), default=0)
            if escalated_in[article.name]:
                more_calls = [x for m in run.escalate for x in calls_by.get((m, article.name), [])]
                cost += sum(x.cost_usd for x in more_calls)
                latency += max((x.latency_ms for x in more_calls), default=0)
        rows.append(Row(policy.name, "policy", score(grades), _ratio_f(cost, n),
                        _ratio_f(latency, n), policy.quorum, policy.escalate,
                        policy == configured, sum(escalated_in.values())))

    outcomes = tuple(ClaimOutcome(c, verdicts[c.claim.id]) for c in claims)
    counts = Counter(c.label.value for c in claims)
    return Evaluation(run.labels.source, len(run.labels.articles), run.panel, run.escalate,
                      run.quorum, tuple(models), tuple(rows), outcomes, run.warnings,
                      {label.value: counts[label.value] for label in Label},
                      (sum(found for _, found in run.retrieved) / len(run.retrieved)
                       if run.retrieved else None), len(run.retrieved))


def _ratio_f(total: float, n: int) -> float:
    return total / n if n else 0.0


# -- running the models (I/O) -----------------------------------------------------------------


"""Measure a panel on labeled claims: per model and per consensus policy, SimpleQA-style.

Three parts, a module each; this package exports their public names:

- **labels** (``labels.py``) — :func:`load_labels` reads a labels file (the format of the corpus'
  ``claims.json``: ``{"articles": {"<file>": {"language": "fr", "claims": [{"claim": "…",
  "label": "supported|refuted|unverifiable", "quote": "…"}]}}}``) into :class:`Labels`;
  :func:`parse_labels` does the checking on already-decoded JSON and is pure.
- **run** (``run.py``) — :func:`run_eval` (the only I/O): per article, every panel model and
  every escalation model gets all of that article's claims in one call, as in a check, and
  every call goes on the ledger. The article text is the file of that name next to the labels file
  when there is one; otherwise (or when it cannot be read) a minimal article made of the
  claim texts, one per paragraph. Escalation models are asked about *every* claim once, so
  that every policy can be simulated from one run (see below).
- **scoring** (``scoring.py``) — pure functions on votes: :func:`grade`, :func:`score`,
  :func:`policy_verdict`, :func:`evaluate`.

Grading (:data:`GRADES`), one verdict against one label:

============  ============  ============  ============
verdict       supported     refuted       unverifiable
============  ============  ============  ============
supported     correct       incorrect     incorrect
refuted       incorrect     correct       incorrect
misleading    incorrect     correct       incorrect
uncertain     not attempted not attempted correct
error         error         error         error
============  ============  ============  ============

``misleading`` ("true in part, or missing context that changes its meaning") warns the
reader off the claim as stated: it is a partial refutation, right on a refuted claim, wrong
on a supported one (it casts doubt on a true claim) and wrong on an unverifiable one (a
confident verdict where no source settles it). ``uncertain`` on an unverifiable claim is
the right answer, so it is correct — and therefore attempted.

Scores (:class:`Scores`): errors are infrastructure, not behaviour, so they are counted
apart and left out of every rate; the rates are over the *graded* claims (all but errors).
``coverage`` = attempted / graded with attempted = correct + incorrect; ``accuracy`` =
correct / graded; ``accuracy when attempted`` = correct / attempted; ``wrong rate`` =
incorrect / graded (the hallucination rate); ``F-score`` = harmonic mean of accuracy and
accuracy when attempted. Edge cases: nothing attempted → accuracy when attempted 0 and
F 0; everything wrong → F 0; everything right → F 1; no graded claim → every rate 0.

Policies (:class:`Policy`): for each quorum 1..n of an n-model panel, without escalation
and (when escalation models are configured) with it. The policy's verdict on a claim comes
from :func:`bot.pipeline.aggregate.consensus` exactly as a check computes it: agreed-X → X;
disputed, abstained, or insufficient → ``uncertain`` (the reader gets no verdict), except a
claim on which every vote is an error, which is graded ``error``. With escalation, the
escalation models' votes are added only on the claims that policy found disputed or
abstained, and the consensus is recomputed with the same quorum — as in a check.

Cost and latency per claim: a model's calls' estimated cost and latency, summed, divided by
the claims. A policy's cost is its panel calls plus, on every article where it escalated at
least one claim, the escalation calls (the whole call: an upper bound, since a check would
have sent only the escalated claims); its latency is, per article, the slowest panel call
(the models run concurrently) plus the slowest escalation call where it escalated.
"""

from __future__ import annotations

from bot.evaluation.labels import (
    Label,
    LabeledArticle,
    LabeledClaim,
    Labels,
    load_labels,
    parse_labels,
)
from bot.evaluation.run import minimal_article, resolve_panel, run_eval
from bot.evaluation.scoring import (
    GRADES,
    CallCost,
    ClaimOutcome,
    EvalRun,
    Evaluation,
    Grade,
    Policy,
    Row,
    Scores,
    evaluate,
    grade,
    policies,
    policy_verdict,
    score,
    verdict_of,
)

__all__ = [
    "GRADES", "CallCost", "ClaimOutcome", "EvalRun", "Evaluation", "Grade", "Label",
    "LabeledArticle", "LabeledClaim", "Labels", "Policy", "Row", "Scores", "evaluate", "grade",
    "load_labels", "minimal_article", "parse_labels", "policies", "policy_verdict",
    "resolve_panel", "run_eval", "score", "verdict_of",
]

"""Measure a panel on labeled claims: per model and per consensus policy, SimpleQA-style.

Three parts, kept apart:

- **labels** — :func:`load_labels` reads a labels file (the format of the corpus'
  ``claims.json``: ``{"articles": {"<file>": {"language": "fr", "claims": [{"claim": "…",
  "label": "supported|refuted|unverifiable", "quote": "…"}]}}}``) into :class:`Labels`;
  :func:`parse_labels` does the checking on already-decoded JSON and is pure.
- **run** — :func:`run_eval` (the only I/O): per article, every panel model and every
  escalation model gets all of that article's claims in one call, as in a check, and every
  call goes on the ledger. The article text is the file of that name next to the labels file
  when there is one; otherwise (or when it cannot be read) a minimal article made of the
  claim texts, one per paragraph. Escalation models are asked about *every* claim once, so
  that every policy can be simulated from one run (see below).
- **scoring** — pure functions on votes: :func:`grade`, :func:`score`, :func:`policy_verdict`,
  :func:`evaluate`.

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

import hashlib
import json
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path
from typing import Any

from bot.app import App
from bot.errors import InputError
from bot.ingest import ingest
from bot.ingest.language import detect_language
from bot.pipeline import ESCALATE_ON
from bot.pipeline.aggregate import consensus
from bot.pipeline.calls import CallLog
from bot.pipeline.panel import verify
from bot.providers.pricing import estimate_cost, price_of
from bot.records import Article, Claim, Consensus, Language, Verdict, Vote

# -- labels ---------------------------------------------------------------------------------


class Label(StrEnum):
    """What a careful fact-checker says of a claim."""

    SUPPORTED = "supported"
    REFUTED = "refuted"
    UNVERIFIABLE = "unverifiable"  # no reliable public source settles it


@dataclass(frozen=True)
class LabeledClaim:
    """One claim of the labels file with its label."""

    claim: Claim
    label: Label
    article: str  # the article's name in the labels file


@dataclass(frozen=True)
class LabeledArticle:
    """One article of the labels file: its claims, and its text file when the folder has it."""

    name: str
    claims: tuple[LabeledClaim, ...]
    language: str | None = None
    path: Path | None = None


@dataclass(frozen=True)
class Labels:
    """A labels file, checked."""

    source: str
    articles: tuple[LabeledArticle, ...]

    @property
    def claims(self) -> tuple[LabeledClaim, ...]:
        """Every labeled claim, article by article."""
        return tuple(c for a in self.articles for c in a.claims)


def load_labels(path: Path) -> Labels:
    """Read and check a labels file; an unusable one raises an InputError (one line, exit 2)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{path}: no such labels file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory, not a labels file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read: {exc.__class__.__name__}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}: not JSON: {exc.msg} (line {exc.lineno})") from None
    return parse_labels(data, str(path), path.parent)


def parse_labels(data: Any, source: str, folder: Path | None = None) -> Labels:
    """Check decoded labels; article files are looked up in ``folder`` (no other I/O)."""
    def bad(where: str, reason: str) -> InputError:
        return InputError(f"{source}: {where}: {reason}" if where else f"{source}: {reason}")

    if not isinstance(data, dict) or not isinstance(data.get("articles"), dict):
        raise bad("", 'expected an object with "articles": {"<article file>": {"claims": […]}}')
    articles = []
    for name, entry in data["articles"].items():
        where = f"articles.{name}"
        if not isinstance(entry, dict) or not isinstance(entry.get("claims"), list):
            raise bad(where, 'expected an object with a "claims" list')
        language = entry.get("language")
        if language is not None and (not isinstance(language, str) or not language.strip()):
            raise bad(f"{where}.language", "expected a language code such as en")
        claims = []
        for i, item in enumerate(entry["claims"]):
            at = f"{where}.claims[{i}]"
            if not isinstance(item, dict):
                raise bad(at, "expected an object with claim and label")
            text, label, quote = item.get("claim"), item.get("label"), item.get("quote", "")
            if not isinstance(text, str) or not text.strip():
                raise bad(f"{at}.claim", "missing or empty")
            if label not in set(Label):
                raise bad(f"{at}.label", f"{json.dumps(label)} is not one of "
                          + ", ".join(label.value for label in Label))
            if not isinstance(quote, str):
                raise bad(f"{at}.quote", "expected a string")
            claim = Claim(id=f"{name}#{i + 1}", position=i, text=" ".join(text.split()),
                          quote=quote or text)
            claims.append(LabeledClaim(claim, Label(label), name))
        if claims:
            articles.append(LabeledArticle(name, tuple(claims), language,
                                           _article_file(folder, name)))
    if not articles:
        raise bad("", "no labeled claims")
    return Labels(source, tuple(articles))


def _article_file(folder: Path | None, name: str) -> Path | None:
    """The article file ``name`` in ``folder``: a plain file name only, never a path."""
    if folder is None or not name or Path(name).name != name or name.startswith("."):
        return None
    path = folder / name
    return path if path.is_file() else None


# -- grading and scores (pure) ----------------------------------------------------------------


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


# -- the run and its evaluation ---------------------------------------------------------------


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
                      {label.value: counts[label.value] for label in Label})


def _ratio_f(total: float, n: int) -> float:
    return total / n if n else 0.0


# -- running the models (I/O) -----------------------------------------------------------------

Progress = Callable[[int, int, str], None]  # (articles done, articles in all, article's name)


def resolve_panel(app: App, names: Sequence[str] | None, quorum: int | None
                  ) -> tuple[tuple[str, ...], tuple[str, ...], int]:
    """The panel, the escalation models and the quorum to evaluate, checked.

    ``names`` (``--panel``) replaces the configured panel; ``quorum`` (``--quorum``) the
    configured quorum, which otherwise applies when it fits the panel (else a majority).
    """
    settings = app.settings
    known = [m.name for m in settings.model]
    if names:
        unknown = [n for n in names if n not in app.providers]
        if unknown:
            raise InputError(f"--panel: no model named {', '.join(map(repr, unknown))} "
                             f"(configured: {', '.join(known)})")
        panel = tuple(dict.fromkeys(names))
    else:
        panel = tuple(m.name for m in settings.panel)
    escalate = tuple(n for n in settings.pipeline.escalate if n not in panel)
    if quorum is not None and not 1 <= quorum <= len(panel):
        raise InputError(f"--quorum {quorum}: must be between 1 and the panel's size "
                         f"({len(panel)})")
    configured = settings.pipeline.quorum
    if quorum is None:
        fits = configured is not None and configured <= len(panel)
        quorum = configured if fits else len(panel) // 2 + 1
    return panel, escalate, quorum


async def run_eval(
    app: App,
    labels: Labels,
    panel: Sequence[str] | None = None,
    quorum: int | None = None,
    progress: Progress | None = None,
) -> EvalRun:
    """Have every panel and escalation model verify every labeled claim, article by article.

    One call per model per article, the models concurrently; the call log writes every call
    to the ledger as it returns.
    """
    names, escalate, quorum = resolve_panel(app, panel, quorum)
    providers = [app.provider(n) for n in dict.fromkeys(names + escalate)]
    language = app.settings.languages[0] if app.settings.languages else "en"
    log = CallLog(app.store, "eval-" + uuid.uuid4().hex[:11])
    votes: list[Vote] = []
    calls: list[CallCost] = []
    warnings: list[str] = []
    if providers and all(p.offline for p in providers):
        warnings.append("offline mode: no verifier configured — every verdict is uncertain")
    unpriced = sorted({p.model for p in providers if not p.offline and price_of(p.model) is None})
    if unpriced:
        warnings.append(f"no price known for {', '.join(unpriced)}: counted as free")
    total = len(labels.articles)
    try:
        for done, entry in enumerate(labels.articles):
            article, note = await _article(app, entry)
            if note:
                warnings.append(note)
            claims = [c.claim for c in entry.claims]
            more_votes, members = await verify(providers, app.prompts, log, article, claims,
                                               language)
            votes += more_votes
            calls += [CallCost(m.name, entry.name, m.latency_ms,
                               estimate_cost(m.model, m.usage), not m.status.startswith("error"))
                      for m in members]
            if progress:
                progress(done + 1, total, entry.name)
    except BaseException:
        await log.flush(raise_errors=False)  # the run's own error is the one to report
        raise
    await log.flush()
    return EvalRun(labels, names, escalate, tuple(votes), tuple(calls), quorum, tuple(warnings))


async def _article(app: App, entry: LabeledArticle) -> tuple[Article, str | None]:
    """The article to verify ``entry``'s claims against, and a note when it fell back."""
    note = None
    if entry.path is not None:
        try:
            article = await ingest(str(entry.path), None, app.limits)
        except InputError as exc:
            note = f"{entry.name}: {exc.reason}; its claims were verified on their own"
        else:
            return _with_language(article, entry.language), None
    return minimal_article(entry), note


def minimal_article(entry: LabeledArticle) -> Article:
    """An article made of ``entry``'s claim texts, one per paragraph, titled by its name."""
    text = "\n\n".join(c.claim.text for c in entry.claims)
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    language = Language(entry.language, 1.0) if entry.language else detect_language(text)
    return Article(id=sha[:16], sha256=sha, text=text, title=entry.name, language=language,
                   source=entry.name)


def _with_language(article: Article, language: str | None) -> Article:
    return replace(article, language=Language(language, 1.0)) if language else article

"""The only I/O of an evaluation: every panel and escalation model asked about every labeled
claim, article by article, each call on the ledger."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Sequence
from dataclasses import replace

from bot.app import App
from bot.errors import InputError
from bot.evaluation.labels import LabeledArticle, Labels
from bot.evaluation.scoring import CallCost, EvalRun
from bot.evidence.ledger import SourceLog
from bot.ingest import ingest
from bot.ingest.language import detect_language
from bot.pipeline.calls import CallLog
from bot.pipeline.evidence import EvidenceRequest, EvidenceSettings, gather_evidence
from bot.pipeline.panel import verify
from bot.providers.pricing import estimate_cost, price_of
from bot.records import Article, Claim, EvidenceResult, Language, Passage, Vote

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
    retrieved: list[tuple[str, bool]] = []
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
            evidence = await _evidence(app, log, article, claims)
            retrieved += [(c.claim.id, _retrieved(c.sources, evidence.passages[c.claim.id]))
                          for c in entry.claims if c.sources]
            warnings += [w for w in evidence.warnings if w not in warnings]
            more_votes, members = await verify(providers, app.prompts, log, article, claims,
                                               language, passages=evidence.passages)
            votes += more_votes
            calls += [CallCost(m.name, entry.name, m.latency_ms,
                               estimate_cost(m.model, m.usage), m.answered)
                      for m in members]
            if progress:
                progress(done + 1, total, entry.name)
    except BaseException:
        await log.flush(raise_errors=False)  # the run's own error is the one to report
        raise
    await log.flush()
    return EvalRun(labels, names, escalate, tuple(votes), tuple(calls), quorum, tuple(warnings),
                   tuple(retrieved))


async def _evidence(app: App, log: CallLog, article: Article,
                    claims: list[Claim]) -> EvidenceResult:
    """The configured evidence stage on one labeled article's claims (as a check runs it)."""
    names = app.settings.pipeline.evidence
    backends = [app.search[n] for n in names if n in app.search]
    if not backends:
        return EvidenceResult({c.id: () for c in claims}, ())
    limits = EvidenceSettings(**app.settings.evidence.model_dump())
    return await gather_evidence(EvidenceRequest(
        claims, article, backends, app.fetcher, app.store, SourceLog(app.store, log.check_id),
        limits))


def _retrieved(sources: tuple[str, ...], passages: tuple[Passage, ...]) -> bool:
    """Whether a passage came from one of the URLs the labels say settle the claim."""
    wanted = {_plain(u) for u in sources}
    return any(_plain(p.url) in wanted for p in passages)


def _plain(url: str) -> str:
    return url.split("#", 1)[0].rstrip("/").removeprefix("https://").removeprefix("http://")


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

"""The check, as a numbered recipe: ``check_article(source, app) -> Report``.

1. ingest the source into an Article (bad input raises an InputError here, before any write)
2. return the stored report if this article was checked the same way before and that check
   was complete (an incomplete one is never served: its answered stages are reused below)
3. summarize in every requested language (one call), while, at the same time,
4. the claims are extracted (one call), then
5. every panel model verifies every claim (one call per model, concurrently), then
6. the votes are aggregated into a consensus per claim; if escalation models are configured,
   they are asked about the disputed and abstained claims only, and the votes aggregated again
7. the whole check is stored in one transaction, complete or not (see :mod:`.outcome`)

Whether a claim is flagged for moderators is decided once, by the policy of the server that
asked (the default policy where there is none), and on every answer, stored or new.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import uuid
from dataclasses import dataclass, replace
from typing import BinaryIO

from bot.app import App
from bot.evidence.ledger import SourceLog
from bot.ingest import ingest, to_article
from bot.pipeline.aggregate import DEFAULT_FLAGS, aggregate, with_flags
from bot.pipeline.calls import CallLog
from bot.pipeline.claims import extract_claims
from bot.pipeline.evidence import EvidenceRequest, EvidenceSettings, gather_evidence
from bot.pipeline.outcome import Board, Progress, whole_failure
from bot.pipeline.panel import not_asked, verify
from bot.pipeline.reuse import Prior, prior_of
from bot.pipeline.summarize import summarize
from bot.prompts import Task
from bot.records import (
    Article,
    Claim,
    ClaimResult,
    Consensus,
    EvidenceResult,
    PanelMember,
    RawDocument,
    Report,
    SearchRecord,
    Stage,
    StageFailure,
    Summary,
    Vote,
)
from bot.store.articles import find_article, load_check, load_report, load_unfinished, save_report
from bot.store.guilds import guild_settings

ESCALATE_ON = frozenset({Consensus.DISPUTED, Consensus.ABSTAINED})
OFFLINE_WARNING = (
    "offline mode: no verifier configured — summaries are extracted sentences, claims are "
    "rule-based candidates, and no claim has been checked"
)


@dataclass(frozen=True)
class Run:
    """One check in progress: what every stage needs, passed as one value."""

    app: App
    article: Article
    languages: tuple[str, ...]
    log: CallLog
    board: Board
    flags: frozenset[Consensus]


async def check_article(
    source: str,
    app: App,
    languages: tuple[str, ...] = (),
    fresh: bool = False,
    progress: Progress | None = None,
    stdin: BinaryIO | None = None,
    guild_id: str | None = None,
) -> Report:
    """Ingest ``source`` and run the whole check on it; see the module docstring.

    ``guild_id`` names the Discord server the check is made for: its spending is counted and
    its policy decides which claims are flagged.
    """
    say = progress or (lambda _stage: None)
    say("reading the article")
    article = await ingest(source, app.fetcher, app.limits, stdin)  # 1
    return await check_ingested(article, app, languages, fresh, say, guild_id)


async def check_text(
    text: str, app: App, languages: tuple[str, ...] = (), fresh: bool = False,
    progress: Progress | None = None, guild_id: str | None = None, source: str = "text",
) -> Report:
    """The whole check of text given directly (pasted in Discord, say) rather than a source."""
    # "replace": text from a terminal or JSON may hold lone surrogates UTF-8 cannot encode.
    raw = RawDocument(data=text.encode("utf-8", "replace"), source=source,
                      content_type="text/plain")
    article = to_article(raw, app.limits)
    return await check_ingested(article, app, languages, fresh, progress, guild_id)


async def check_ingested(
    article: Article, app: App, languages: tuple[str, ...] = (), fresh: bool = False,
    progress: Progress | None = None, guild_id: str | None = None,
) -> Report:
    """Steps 2 to 7 on an article that is already ingested."""
    say = progress or (lambda _stage: None)
    langs = languages or tuple(app.settings.languages) or (article.language.code,)
    key = request_key(app, langs)
    flags = await flags_of(app, guild_id)
    # A second identical request waits for the first, then finds its report (one check).
    async with app.checks_in_flight.hold(f"{article.sha256}:{key}"):
        if not fresh:  # 2
            stored = await app.store.run(find_article, article.sha256)
            if stored is not None:
                cached = await app.store.run(load_report, stored.id, key, guild_id)
                if cached is not None:
                    say("found a stored report")
                    return as_asked(cached, article, flags)
        return await run_check(article, app, langs, key, say, guild_id, fresh=fresh,
                               flags=flags)


async def summarize_article(article: Article, app: App, languages: tuple[str, ...],
                            guild_id: str | None = None) -> Report:
    """Summaries only (a feed that does not ask for checks): one model call, stored."""
    key = "summary:" + request_key(app, languages)
    stored = await app.store.run(load_report, article.id, key)
    if stored is not None:
        return as_asked(stored, article, await flags_of(app, guild_id))
    return await run_check(article, app, languages, key, lambda _stage: None, guild_id,
                           verify_claims=False)


async def run_check(
    article: Article, app: App, languages: tuple[str, ...], key: str, say: Progress,
    guild_id: str | None = None, verify_claims: bool = True, fresh: bool = False,
    flags: frozenset[Consensus] = DEFAULT_FLAGS,
) -> Report:
    """Steps 3 to 7 on an article that is already ingested (3 and 7 only without claims).

    Unless ``fresh``, the stages that answered in the latest incomplete check of the same
    request are reused rather than asked again, and when another process stored the same
    complete check meanwhile, its report is returned and this one is not stored (its model
    calls stay in the ledger).
    """
    check_id = uuid.uuid4().hex[:16]
    log = CallLog(app.store, check_id, guild_id)
    try:
        unfinished = None if fresh else await app.store.run(load_unfinished, article.id, key)
        run = Run(app, article, languages, log, Board(say), flags)
        report = await _stages(run, prior_of(unfinished, check_id), verify_claims)
        say("saving")
        await log.flush()
        stands = await app.store.run(save_report, report, key, guild_id, fresh)  # 7
        if stands == report.check_id:
            return report
        stored = await app.store.run(load_check, stands, guild_id)
        return as_asked(stored, article, flags) if stored else report
    except BaseException:
        await log.flush(raise_errors=False)  # the check's own error is the one to report
        raise


async def _stages(run: Run, prior: Prior, verify_claims: bool) -> Report:
    settings, article = run.app.settings, run.article
    warnings: list[str] = list(article.findings)
    if article.language.code == "und":
        warnings.append("the article's language could not be determined")
    if verify_claims:  # 3 beside 4-6: the summary and the claims do not wait for each other
        (summaries, notes, summary_failure), (results, members, more, failures, searches) = (
            await asyncio.gather(_summary(run, prior), _verify_claims(run, prior)))
    else:
        summaries, notes, summary_failure = await _summary(run, prior)
        results, members, more, failures, searches = (), [], [], [], ()
    failed = ([summary_failure] if summary_failure else []) + failures
    warnings += notes + more
    return Report(article, summaries, results, tuple(members), tuple(warnings),
                  check_id=run.log.check_id, quorum=settings.quorum, usage=run.log.usage,
                  cost_usd=run.log.cost_usd, failed_stages=tuple(failed), searches=searches)


async def _summary(run: Run, prior: Prior,
                   ) -> tuple[dict[str, Summary], list[str], StageFailure | None]:
    """Step 3, or the summaries an earlier incomplete check already has."""
    if prior.summaries is not None:
        run.board.set("summary", "summary ready (kept from the last try)")
        return prior.summaries, [], None
    run.board.set("summary", "summarizing")
    app = run.app
    summaries, notes, failure = await summarize(
        app.provider(app.settings.summarizer.name), app.prompts, run.log, run.article,
        run.languages, app.settings.pipeline.summary_sentences)
    run.board.set("summary", "summary failed" if failure else "summary ready")
    return summaries, notes, failure


async def _verify_claims(
    run: Run, prior: Prior,
) -> tuple[tuple[ClaimResult, ...], list[PanelMember], list[str], list[StageFailure],
           tuple[SearchRecord, ...]]:
    """Steps 4 to 7: claims, evidence, the panel's votes (with escalation), the consensus."""
    app, settings, warnings = run.app, run.app.settings, []
    if prior.claims is not None:
        claims, failure = prior.claims, None
        run.board.set("claims", f"{len(claims)} claim(s) (kept from the last try)")
    else:
        run.board.set("claims", "extracting claims")
        claims, notes, failure = await extract_claims(  # 4
            app.provider(settings.extractor.name), app.prompts, run.log, run.article,
            run.languages, run.log.check_id, settings.pipeline.max_claims)
        warnings += notes
        run.board.set("claims", "claims failed" if failure else f"{len(claims)} claim(s)")
    if failure is not None:
        members = [not_asked(p, "the claims stage failed") for p in app.panel]
        return (), members, warnings, [failure], ()
    evidence = await _evidence(run, claims)  # 5: the same passages for every model
    warnings += evidence.warnings
    failures = [StageFailure(Stage.EVIDENCE, evidence.failed)] if evidence.failed else []
    asked = [p for p in app.panel if p.name not in prior.votes]
    if asked and claims:
        run.board.set("panel", f"asking {len(asked)} panel model(s)")
    votes, members = await verify(asked, app.prompts, run.log, run.article, claims,  # 6
                                  run.languages[0], lambda line: run.board.set("panel", line),
                                  evidence.passages)
    votes += [v for p in app.panel if p.name in prior.votes for v in prior.votes[p.name]]
    members = _in_order(app.panel, members + [prior.members[n] for n in prior.votes])
    failures += [f for f in [whole_failure(Stage.PANEL, members)] if f and claims]
    results = aggregate(claims, votes, settings.quorum, run.flags, evidence.passages)  # 7
    results, escalated, failure = await _escalate(run, claims, votes, results, evidence)
    members += escalated
    failures += [failure] if failure else []
    if all(p.offline for p in app.panel):
        warnings.insert(0, OFFLINE_WARNING)
    return results, members, warnings, failures, evidence.searches


async def _evidence(run: Run, claims: list[Claim]) -> EvidenceResult:
    """Step 5: search, read and rank passages for every claim (off: none configured)."""
    app, names = run.app, run.app.settings.pipeline.evidence
    backends = [app.search[name] for name in names if name in app.search]
    if not (claims and backends):
        return EvidenceResult({c.id: () for c in claims}, ())
    run.board.set("evidence", "searching for evidence")
    limits = EvidenceSettings(**app.settings.evidence.model_dump())
    ledger = SourceLog(app.store, run.log.check_id, run.log.guild_id)
    found = await gather_evidence(EvidenceRequest(claims, run.article, backends, app.fetcher,
                                                  app.store, ledger, limits))
    sources = len({p.url for passages in found.passages.values() for p in passages})
    run.board.set("evidence", "evidence failed" if found.failed else f"{sources} source(s)")
    return found


async def _escalate(
    run: Run, claims: list, votes: list[Vote], results: tuple[ClaimResult, ...],
    evidence: EvidenceResult,
) -> tuple[tuple[ClaimResult, ...], list[PanelMember], StageFailure | None]:
    """Step 6's second half: the escalation models, on the doubtful claims only."""
    app, settings = run.app, run.app.settings
    doubtful = [r.claim for r in results if r.consensus in ESCALATE_ON]
    escalation = [app.provider(name) for name in settings.pipeline.escalate]
    if not (escalation and doubtful):
        return results, [], None
    run.board.set("panel", f"asking {len(escalation)} escalation model(s) about "
                           f"{len(doubtful)} claim(s)")
    more_votes, members = await verify(escalation, app.prompts, run.log, run.article, doubtful,
                                       run.languages[0], lambda line: run.board.set("panel", line),
                                       evidence.passages)
    members = [replace(m, escalation=True) for m in members]
    results = aggregate(claims, votes + more_votes, settings.quorum, run.flags,
                        evidence.passages)
    return results, members, whole_failure(Stage.ESCALATION, members)


def _in_order(panel: list, members: list[PanelMember]) -> list[PanelMember]:
    by_name = {m.name: m for m in members}
    return [by_name[p.name] for p in panel if p.name in by_name]


async def flags_of(app: App, guild_id: str | None) -> frozenset[Consensus]:
    """The consensus values the server flags for its moderators (the default policy without
    a server)."""
    if guild_id is None:
        return DEFAULT_FLAGS
    return (await app.store.run(guild_settings, guild_id)).flag_on


def as_asked(report: Report, article: Article, flags: frozenset[Consensus]) -> Report:
    """A stored report as the answer to this request: it names the source it was asked about
    (not the one it was first stored under: a file path must not reach Discord because the
    CLI checked the same text first), and its flags follow the asking server's policy."""
    shown = replace(report.article, source=article.source,
                    canonical_url=article.canonical_url or report.article.canonical_url)
    return replace(report, article=shown, claims=with_flags(report.claims, flags))


def request_key(app: App, languages: tuple[str, ...]) -> str:
    """What makes two checks of one article the same: languages, models, prompts, limits."""
    s = app.settings
    parts = {
        "languages": list(languages),
        "summarize": s.summarizer.model_dump(), "claims": s.extractor.model_dump(),
        "panel": [m.model_dump() for m in s.panel], "quorum": s.quorum,
        "escalate": [s.model_named(n).model_dump() for n in s.pipeline.escalate],
        "max_claims": s.pipeline.max_claims, "sentences": s.pipeline.summary_sentences,
        "prompts": [app.prompts.sha256(t) for t in Task],
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()[:32]

"""The check, as a numbered recipe: ``check_article(source, app) -> Report``.

1. ingest the source into an Article (bad input raises an InputError here, before any write)
2. return the stored report if this article was checked the same way before
3. summarize in every requested language (one call)
4. extract the claims (one call)
5. have every panel model verify every claim (one call per model, concurrently)
6. aggregate the votes into a consensus per claim; if escalation models are configured, ask
   them about the disputed and abstained claims only, and aggregate again
7. store the whole check in one transaction
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable
from typing import BinaryIO

from bot.app import App
from bot.ingest import ingest, to_article
from bot.pipeline.aggregate import aggregate
from bot.pipeline.calls import CallLog
from bot.pipeline.claims import extract_claims
from bot.pipeline.panel import verify
from bot.pipeline.summarize import summarize
from bot.prompts import Task
from bot.records import Article, ClaimResult, Consensus, PanelMember, RawDocument, Report
from bot.store.articles import find_article, load_check, load_report, save_report

Progress = Callable[[str], None]
ESCALATE_ON = frozenset({Consensus.DISPUTED, Consensus.ABSTAINED})
OFFLINE_WARNING = (
    "offline mode: no verifier configured — summaries are extracted sentences, claims are "
    "rule-based candidates, and no claim has been checked"
)


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

    ``guild_id`` names the Discord server the check is made for: its spending is counted.
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
    # A second identical request waits for the first, then finds its report (one check).
    async with app.checks_in_flight.hold(f"{article.sha256}:{key}"):
        if not fresh:  # 2
            stored = await app.store.run(find_article, article.sha256)
            if stored is not None:
                cached = await app.store.run(load_report, stored.id, key, guild_id)
                if cached is not None:
                    say("found a stored report")
                    return cached
        return await run_check(article, app, langs, key, say, guild_id, fresh=fresh)


async def run_check(
    article: Article, app: App, languages: tuple[str, ...], key: str, say: Progress,
    guild_id: str | None = None, verify_claims: bool = True, fresh: bool = False,
) -> Report:
    """Steps 3 to 7 on an article that is already ingested (3 and 7 only without claims).

    Unless ``fresh``, when another process stored the same check meanwhile, its report is
    returned and this one is not stored (its model calls stay in the ledger).
    """
    check_id = uuid.uuid4().hex[:16]
    log = CallLog(app.store, check_id, guild_id)
    try:
        report = await _stages(article, app, languages, key, say, guild_id, verify_claims, log)
        say("saving")
        await log.flush()
        stands = await app.store.run(save_report, report, key, guild_id, fresh)  # 7
        if stands == report.check_id:
            return report
        stored = await app.store.run(load_check, stands, guild_id)
        return stored or report
    except BaseException:
        await log.flush(raise_errors=False)  # the check's own error is the one to report
        raise


async def _stages(
    article: Article, app: App, languages: tuple[str, ...], key: str, say: Progress,
    guild_id: str | None, verify_claims: bool, log: CallLog,
) -> Report:
    settings, check_id = app.settings, log.check_id
    warnings: list[str] = list(article.findings)
    if article.language.code == "und":
        warnings.append("the article's language could not be determined")
    say("summarizing")
    summaries, notes = await summarize(  # 3
        app.provider(settings.summarizer.name), app.prompts, log, article, languages,
        settings.pipeline.summary_sentences)
    warnings += notes
    results: tuple[ClaimResult, ...] = ()
    members: list[PanelMember] = []
    if verify_claims:
        results, members, notes = await _verify_claims(article, app, languages, log, say)
        warnings += notes
    report = Report(article, summaries, results, tuple(members), tuple(warnings),
                    check_id=check_id, quorum=settings.quorum, usage=log.usage,
                    cost_usd=log.cost_usd)
    return report


async def summarize_article(article: Article, app: App, languages: tuple[str, ...],
                            guild_id: str | None = None) -> Report:
    """Summaries only (a feed that does not ask for checks): one model call, stored."""
    key = "summary:" + request_key(app, languages)
    stored = await app.store.run(load_report, article.id, key)
    if stored is not None:
        return stored
    return await run_check(article, app, languages, key, lambda _stage: None, guild_id,
                           verify_claims=False)


async def _verify_claims(
    article: Article, app: App, languages: tuple[str, ...], log: CallLog, say: Progress,
) -> tuple[tuple[ClaimResult, ...], list[PanelMember], list[str]]:
    """Steps 4 to 6: claims, the panel's votes (with escalation), the consensus."""
    settings, warnings = app.settings, []
    check_id = log.check_id
    say("summaries ready; extracting claims")
    claims, notes = await extract_claims(  # 4
        app.provider(settings.extractor.name), app.prompts, log, article, languages, check_id,
        settings.pipeline.max_claims)
    warnings += notes
    say(f"asking {len(app.panel)} panel model(s) about {len(claims)} claim(s)")
    votes, members = await verify(app.panel, app.prompts, log, article, claims,  # 5
                                  languages[0], say)
    results = aggregate(claims, votes, settings.quorum)  # 6
    doubtful = [r.claim for r in results if r.consensus in ESCALATE_ON]
    escalation = [app.provider(name) for name in settings.pipeline.escalate]
    if escalation and doubtful:
        say(f"asking {len(escalation)} escalation model(s) about {len(doubtful)} claim(s)")
        more_votes, more_members = await verify(escalation, app.prompts, log, article, doubtful,
                                                languages[0], say)
        votes += more_votes
        members += more_members
        results = aggregate(claims, votes, settings.quorum)
    if all(p.offline for p in app.panel):
        warnings.insert(0, OFFLINE_WARNING)
    elif claims and all(m.status.startswith("error") for m in members):
        warnings.append("no panel model answered: every claim is insufficient")
    return results, members, warnings


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

"""The evidence stage: ``gather_evidence(request) -> EvidenceResult``.

1. Queries: per claim, the claim in the article's language, and its English rendering (from
   the claims call) when the article is not English.
2. Search every configured backend with every query, each distinct search once per check.
3. Read the top hits: archive hits from the store, web pages from the source cache or through
   the safe fetcher (bounded: see :mod:`bot.evidence.gathering`). One deadline covers steps 2
   and 3; claims get what arrived in time.
4. Per claim, choose passages (:mod:`bot.evidence.choose`): ranked by BM25, the article's own
   text and near duplicates left out, different sites first.
5. Number the passages E1…En across the check in claim order; a passage chosen for two
   claims keeps its first number.

A backend that fails or hangs loses its results with a warning; when every backend failed,
``failed`` says why and the report is incomplete (the panel still answers, from its own
knowledge). Searches and pages read are cached for ``cache_hours``: a repeated check makes no
search and no fetch.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.evidence import choose
from bot.evidence.choose import Chosen, Found, choose_passages
from bot.evidence.gathering import Backend, Gathering, Limits, Search
from bot.evidence.ledger import SourceLog
from bot.evidence.ranking import Rendering
from bot.ingest.fetch import Fetcher
from bot.records import Article, Claim, EvidenceResult, Passage
from bot.store import Store
from bot.text.sentences import base_language

EvidenceSettings = Limits  # the ``[evidence]`` block's values (and the fetch bounds)


@dataclass(frozen=True)
class EvidenceRequest:
    """Everything the stage needs, as one value."""

    claims: Sequence[Claim]
    article: Article
    backends: Sequence[Backend]
    fetcher: Fetcher | None  # None: web hits are not read (archive hits still are)
    store: Store
    ledger: SourceLog
    settings: EvidenceSettings = field(default_factory=EvidenceSettings)


def renderings(claim: Claim, article: Article) -> list[Rendering]:
    """The wordings a claim is searched in: its own, and English for a non-English article."""
    language = article.language.code
    found = [Rendering(claim.text, language)]
    english = claim.translations.get("en")
    if base_language(language) != "en" and english and english.strip() != claim.text.strip():
        found.append(Rendering(english, "en"))
    return found


async def gather_evidence(request: EvidenceRequest) -> EvidenceResult:
    """Search, read and choose passages for every claim of ``request`` (see the docstring)."""
    claims, article, limits = list(request.claims), request.article, request.settings
    if not claims or not request.backends:
        return EvidenceResult({claim.id: () for claim in claims}, ())
    wordings = {claim.id: renderings(claim, article) for claim in claims}
    searches = {claim.id: [Search(backend, r.text, r.language) for r in wordings[claim.id]
                           for backend in request.backends] for claim in claims}
    gathering = Gathering([s for claim in claims for s in searches[claim.id]],
                          request.fetcher, request.store, request.ledger, limits, article.id,
                          article.canonical_url)
    warnings: list[str] = []
    try:
        async with asyncio.timeout(limits.timeout):
            await gathering.run()
    except TimeoutError:
        warnings.append(f"evidence: the {limits.timeout:g} s deadline passed; claims have the "
                        "sources that arrived in time")
    finally:
        await gathering.stop()
        await request.ledger.flush(raise_errors=False)
    warnings += _backend_warnings(gathering)
    own = choose.Article(article.sha256, article.canonical_url, article.text)
    found = {claim.id: _found(gathering, searches[claim.id]) for claim in claims}
    # Splitting and ranking are CPU work: off the event loop, which may be serving Discord.
    def choose_all() -> dict[str, tuple[list[Chosen], list[str]]]:
        return {claim.id: choose_passages(wordings[claim.id], found[claim.id], own,
                                          limits.passages_per_claim) for claim in claims}

    # Nothing found (the usual offline check of a new story): no thread to cross for nothing.
    picked = await asyncio.to_thread(choose_all) if any(found.values()) else choose_all()
    for _, notes in picked.values():
        for note in notes:
            if note not in warnings:
                warnings.append(note)
    return EvidenceResult(
        passages=_numbered([(claim.id, picked[claim.id][0]) for claim in claims]),
        searches=tuple(gathering.records), warnings=tuple(warnings),
        failed=_failure(gathering, request.backends))


def _found(gathering: Gathering, searches: list[Search]) -> list[Found]:
    """The sources read for one claim's searches, best rank first."""
    found: list[Found] = []
    for search in searches:
        for rank, hit in enumerate(gathering.hits.get(search, [])):
            key = gathering.read_key(hit)
            future = gathering.reads.get(key) if key else None
            source = future.result() if future is not None and future.done() else None
            if source is not None:
                found.append(Found(source, search.backend.name, rank))
    found.sort(key=lambda item: item.rank)
    return found


def _numbered(chosen: list[tuple[str, list[Chosen]]]) -> dict[str, tuple[Passage, ...]]:
    ids: dict[tuple[str, str], str] = {}
    passages: dict[str, tuple[Passage, ...]] = {}
    for claim_id, picks in chosen:
        numbered = []
        for pick in picks:
            source = pick.found.source
            key = (source.url, pick.text)
            ids.setdefault(key, f"E{len(ids) + 1}")
            numbered.append(Passage(
                id=ids[key], url=source.final_url, title=source.title, site=source.site,
                published=source.published, language=source.language, text=pick.text,
                backend=pick.found.backend))
        passages[claim_id] = tuple(numbered)
    return passages


def _backend_warnings(gathering: Gathering) -> list[str]:
    notes = []
    for backend, reasons in gathering.failures.items():
        count = f"{len(reasons)} search{'es' if len(reasons) != 1 else ''}"
        notes.append(f"search backend {backend} failed ({count}): {reasons[0]}; its results "
                     "are missing")
    unread = gathering.unread
    if unread["budget"]:
        notes.append(f"evidence: {unread['budget']} result(s) not read: the check's fetch "
                     f"budget (max_fetches = {gathering.limits.max_fetches}) was spent")
    if unread["failed"]:
        notes.append(f"evidence: {unread['failed']} result page(s) could not be read")
    return notes


def _failure(gathering: Gathering, backends: Sequence[Backend]) -> str | None:
    """Why the stage failed as a whole: no backend answered a single search."""
    if gathering.answered or not gathering.failures:
        return None
    reasons = "; ".join(f"{b.name}: {gathering.failures[b.name][0]}" for b in backends
                        if b.name in gathering.failures)
    return f"every search backend failed ({reasons})"

"""Stage: every panel model receives all claims in one call; the models run concurrently."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping

from bot.errors import ProviderError
from bot.pipeline.calls import CallLog
from bot.prompts import Prompts, Task
from bot.providers import CompletionRequest, Provider
from bot.records import (
    Article,
    Claim,
    Evidence,
    MemberStatus,
    PanelMember,
    Passage,
    Usage,
    Verdict,
    Vote,
)
from bot.schemas import VerifyOutput


async def verify(
    panel: list[Provider],
    prompts: Prompts,
    log: CallLog,
    article: Article,
    claims: list[Claim],
    reader_language: str,
    progress: Callable[[str], None] | None = None,
    passages: Mapping[str, tuple[Passage, ...]] | None = None,
) -> tuple[list[Vote], list[PanelMember]]:
    """Every model's vote on every claim (``error`` where it gave none) and how each fared.

    Every model receives, under each claim, the same numbered ``passages`` (claim id ->
    passages), inside a delimited data block; a vote keeps only the cited ids it was given.
    ``progress`` hears "2 of 3 models answered" as each model's answer (or failure) comes in.
    """
    if not claims:
        return [], [not_asked(p, "no claims to verify") for p in panel]
    given = passages or {}

    def request_for(subset: list[Claim]) -> CompletionRequest:
        listing = claims_listing(subset, given)
        texts = [p.text + p.title for c in subset for p in given.get(c.id, ())]
        prompt = prompts.render(Task.VERIFY_CLAIMS, article, claims=listing,
                                reader_language=reader_language,
                                boundary=prompts.boundary_token(article, texts))
        return CompletionRequest(prompt, VerifyOutput, article, claims=tuple(subset),
                                 reader_language=reader_language,
                                 cites={c.id: frozenset(p.id for p in given.get(c.id, ()))
                                        for c in subset})

    request = request_for(claims)
    answered = 0

    async def ask(provider: Provider) -> tuple[list[Vote], PanelMember]:
        nonlocal answered
        result = await _ask(provider, log, request, claims, request_for)
        answered += 1
        if progress:
            progress(f"{answered} of {len(panel)} models answered")
        return result

    results = await asyncio.gather(*(ask(p) for p in panel))
    votes = [vote for member_votes, _ in results for vote in member_votes]
    return votes, [member for _, member in results]


async def _ask(
    provider: Provider, log: CallLog, request: CompletionRequest, claims: list[Claim],
    request_for: Callable[[list[Claim]], CompletionRequest],
) -> tuple[list[Vote], PanelMember]:
    started = time.perf_counter()
    sha = request.prompt.sha256
    try:
        done = await log.ask(provider, Task.VERIFY_CLAIMS, request)
    except ProviderError as exc:
        latency = int((time.perf_counter() - started) * 1000)
        votes = [Vote(c.id, provider.name, Verdict.ERROR, 0.0, exc.reason, prompt_sha256=sha)
                 for c in claims]
        member = PanelMember(provider.name, provider.kind, provider.model,
                             MemberStatus.ERROR, latency, Usage(), exc.reason)
        return votes, member
    assert isinstance(done.output, VerifyOutput)
    given = _votes(provider, done.output, claims, sha, request.cites)
    usage, missing_why = done.usage, "the model gave no verdict on this claim"
    if done.cut:
        missing_why = "the answer was cut at the output limit before this claim"
        more, usage = await _ask_missing(provider, log, claims, given, request_for, usage)
        given.update(more)
    votes = [given.get(i) or Vote(c.id, provider.name, Verdict.ERROR, 0.0, missing_why,
                                  prompt_sha256=sha)
             for i, c in enumerate(claims, start=1)]
    status = MemberStatus.OFFLINE if provider.offline else MemberStatus.OK
    latency = int((time.perf_counter() - started) * 1000)
    member = PanelMember(provider.name, provider.kind, provider.model, status,
                         latency if done.cut else done.latency_ms, usage)
    return votes, member


def _votes(provider: Provider, output: VerifyOutput, claims: list[Claim], sha: str,
           allowed: Mapping[str, frozenset[str]]) -> dict[int, Vote]:
    """The verdicts of ``output`` by claim number (1-based in ``claims``), first one kept;
    ``allowed`` maps a claim id to the passage ids it may cite (others are dropped)."""
    given: dict[int, Vote] = {}
    for item in output.verdicts:
        if 1 <= item.claim <= len(claims) and item.claim not in given:
            claim = claims[item.claim - 1]
            evidence = tuple(Evidence(e.url, e.title, e.quote) for e in item.evidence)
            known = allowed.get(claim.id, frozenset())
            cites = tuple(dict.fromkeys(c.strip() for c in item.cites if c.strip() in known))
            given[item.claim] = Vote(claim.id, provider.name, Verdict(item.verdict),
                                     item.confidence, item.rationale.strip(), evidence, sha,
                                     cites)
    return given


def claims_listing(claims: list[Claim], passages: Mapping[str, tuple[Passage, ...]]) -> str:
    """The numbered claims, each followed by its passages (indented, so that no passage line
    can pass for a numbered claim)."""
    lines = []
    for number, claim in enumerate(claims, start=1):
        lines.append(f"{number}. {_one_line(claim.text)}")
        for p in passages.get(claim.id, ()):
            about = " · ".join(x for x in (p.site, p.published, _one_line(p.title)) if x)
            lines.append(f"   [{p.id}] {about} · {p.url}")
            lines.append(f"   {_one_line(p.text)}")
    return "\n".join(lines)


def _one_line(text: str | None) -> str:
    return " ".join((text or "").split())


# -- a cut answer: one more call for the claims it did not reach ----------------------------

async def _ask_missing(
    provider: Provider, log: CallLog, claims: list[Claim], given: dict[int, Vote],
    request_for: Callable[[list[Claim]], CompletionRequest], usage: Usage,
) -> tuple[dict[int, Vote], Usage]:
    """The verdicts on the claims a cut answer did not reach, asked once (numbered afresh),
    by their number in ``claims``; whatever this call does not answer stays missing."""
    missing = [i for i in range(1, len(claims) + 1) if i not in given]
    if not missing:
        return {}, usage
    subset = [claims[i - 1] for i in missing]
    request = request_for(subset)
    try:
        done = await log.ask(provider, Task.VERIFY_CLAIMS, request)
    except ProviderError:
        return {}, usage  # the verdicts that arrived stand; the rest are errors
    assert isinstance(done.output, VerifyOutput)
    more = _votes(provider, done.output, subset, request.prompt.sha256, request.cites)
    return {missing[n - 1]: vote for n, vote in more.items()}, usage + done.usage


def not_asked(provider: Provider, why: str) -> PanelMember:
    """A panel model that was not asked anything, and why: it never shows as ``ok``."""
    return PanelMember(provider.name, provider.kind, provider.model, MemberStatus.NOT_ASKED, 0,
                       Usage(), why)

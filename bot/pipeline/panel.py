"""Stage: every panel model receives all claims in one call; the models run concurrently."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

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
) -> tuple[list[Vote], list[PanelMember]]:
    """Every model's vote on every claim (``error`` where it gave none) and how each fared.

    ``progress`` hears "2 of 3 models answered" as each model's answer (or failure) comes in.
    """
    if not claims:
        return [], [not_asked(p, "no claims to verify") for p in panel]
    listing = "\n".join(f"{i}. {c.text}" for i, c in enumerate(claims, start=1))
    prompt = prompts.render(Task.VERIFY_CLAIMS, article, claims=listing,
                            reader_language=reader_language)
    request = CompletionRequest(prompt, VerifyOutput, article, claims=tuple(claims),
                                reader_language=reader_language)
    answered = 0

    async def ask(provider: Provider) -> tuple[list[Vote], PanelMember]:
        nonlocal answered
        result = await _ask(provider, log, request, claims)
        answered += 1
        if progress:
            progress(f"{answered} of {len(panel)} models answered")
        return result

    results = await asyncio.gather(*(ask(p) for p in panel))
    votes = [vote for member_votes, _ in results for vote in member_votes]
    return votes, [member for _, member in results]


async def _ask(
    provider: Provider, log: CallLog, request: CompletionRequest, claims: list[Claim]
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
    given: dict[int, Vote] = {}
    for item in done.output.verdicts:
        if 1 <= item.claim <= len(claims) and item.claim not in given:
            claim = claims[item.claim - 1]
            evidence = tuple(Evidence(e.url, e.title, e.quote) for e in item.evidence)
            given[item.claim] = Vote(claim.id, provider.name, Verdict(item.verdict),
                                     item.confidence, item.rationale.strip(), evidence, sha)
    votes = [given.get(i) or Vote(c.id, provider.name, Verdict.ERROR, 0.0,
                                  "the model gave no verdict on this claim", prompt_sha256=sha)
             for i, c in enumerate(claims, start=1)]
    status = MemberStatus.OFFLINE if provider.offline else MemberStatus.OK
    member = PanelMember(provider.name, provider.kind, provider.model, status,
                         done.latency_ms, done.usage)
    return votes, member


def not_asked(provider: Provider, why: str) -> PanelMember:
    """A panel model that was not asked anything, and why: it never shows as ``ok``."""
    return PanelMember(provider.name, provider.kind, provider.model, MemberStatus.NOT_ASKED, 0,
                       Usage(), why)

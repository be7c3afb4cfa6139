"""Stage: one model call extracts atomic, check-worthy claims, each with a verbatim quote."""

from __future__ import annotations

import re

from bot.errors import ProviderError
from bot.pipeline.calls import CallLog
from bot.prompts import Prompts, Task
from bot.providers import CompletionRequest, Provider
from bot.records import Article, Claim, Stage, StageFailure
from bot.schemas import ClaimsOutput

_SPACE = re.compile(r"\s+")


def squash(text: str) -> str:
    """``text`` with every run of whitespace made one space, for whitespace-blind matching."""
    return _SPACE.sub(" ", text).strip()


def quote_in_article(quote: str, squashed_text: str) -> bool:
    """Whether ``quote`` occurs in the article (already passed through :func:`squash`)."""
    needle = squash(quote)
    return bool(needle) and needle in squashed_text


async def extract_claims(
    provider: Provider,
    prompts: Prompts,
    log: CallLog,
    article: Article,
    languages: tuple[str, ...],
    check_id: str,
    max_claims: int = 12,
) -> tuple[list[Claim], list[str], StageFailure | None]:
    """Claims in article order, warnings (dropped quotes), and the stage's failure when the
    call gave no answer at all."""
    prompt = prompts.render(Task.EXTRACT_CLAIMS, article, languages=", ".join(languages),
                            max_claims=max_claims)
    request = CompletionRequest(prompt, ClaimsOutput, article, languages=languages,
                                max_claims=max_claims)
    try:
        done = await log.ask(provider, Task.EXTRACT_CLAIMS, request)
    except ProviderError as exc:
        return [], [], StageFailure(Stage.CLAIMS, exc.reason)
    assert isinstance(done.output, ClaimsOutput)
    claims: list[Claim] = []
    dropped = 0
    text = squash(article.text)
    for item in done.output.claims[:max_claims]:
        if not item.text.strip() or not quote_in_article(item.quote, text):
            dropped += 1  # an invented quote means the claim cannot be located: drop it
            continue
        claims.append(Claim(
            id=f"{check_id}-{len(claims)}", position=len(claims), text=item.text.strip(),
            quote=item.quote.strip(), translations=dict(item.translations),
            prompt_sha256=prompt.sha256,
        ))
    warnings = [f"{dropped} claim(s) dropped: quote not found in the article"] if dropped else []
    return claims, warnings, None

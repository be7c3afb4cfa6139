"""The offline provider: no network, no key, and it says so in everything it returns.

It summarizes by extraction in the article's own language (it cannot translate, nor write
Chinese in the other script: a ``zh-Hant`` summary of a Simplified article is the
cannot-translate note, see :func:`bot.languages.same_written_language`), proposes
rule-based claim candidates, and answers ``uncertain`` on every claim because nothing
verifies them. It exists so that a new user sees the whole flow at once.
"""

from __future__ import annotations

from bot.languages import same_written_language
from bot.providers.base import CompletionRequest, Generation, Provider
from bot.schemas import (
    ClaimItem,
    ClaimsOutput,
    SummaryItem,
    SummaryOutput,
    VerdictItem,
    VerifyOutput,
)
from bot.text.candidates import claim_candidates
from bot.text.rank import extractive_summary
from bot.text.sentences import join_sentences

NO_VERIFIER = "no verifier configured (offline mode)"


class OfflineProvider(Provider):
    """Rule-based stand-in for a model; every output names it as offline."""

    kind = "offline"
    offline = True

    async def _generate(self, request: CompletionRequest, repair: str | None) -> Generation:
        schema = request.schema
        if schema is SummaryOutput:
            output: SummaryOutput | ClaimsOutput | VerifyOutput = _summaries(request)
        elif schema is ClaimsOutput:
            output = _claims(request)
        elif schema is VerifyOutput:
            output = _verdicts(request)
        else:  # pragma: no cover - a new task must be taught to the offline provider
            raise TypeError(f"offline provider cannot answer {schema.__name__}")
        return Generation(output.model_dump_json())


def _summaries(request: CompletionRequest) -> SummaryOutput:
    article = request.article
    own = article.language.code
    sentences = extractive_summary(article.text, own, max_sentences=request.summary_sentences)
    text = join_sentences(sentences)  # Chinese and Japanese sentences take no space between
    items = []
    for lang in request.languages or (own,):
        if own == "und" or same_written_language(lang, own):
            note = "offline extractive summary: sentences taken from the article"
            items.append(SummaryItem(language=lang, text=text, note=note))
        else:
            note = f"offline mode cannot translate: the summary exists only in '{own}'"
            items.append(SummaryItem(language=lang, text="", note=note))
    return SummaryOutput(summaries=items)


def _claims(request: CompletionRequest) -> ClaimsOutput:
    article = request.article
    found = claim_candidates(article.text, article.language.code, limit=request.max_claims)
    return ClaimsOutput(claims=[ClaimItem(text=s, quote=s) for s in found])


def _verdicts(request: CompletionRequest) -> VerifyOutput:
    return VerifyOutput(
        verdicts=[
            VerdictItem(claim=i, verdict="uncertain", confidence=0.0, rationale=NO_VERIFIER)
            for i, _ in enumerate(request.claims, start=1)
        ]
    )

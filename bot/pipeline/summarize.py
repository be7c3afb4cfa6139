"""Stage: one model call returns the summaries in every requested language."""

from __future__ import annotations

from bot.errors import ProviderError
from bot.pipeline.calls import CallLog
from bot.prompts import Prompts, Task
from bot.providers import CompletionRequest, Provider
from bot.records import Article, Stage, StageFailure, Summary
from bot.schemas import SummaryOutput


async def summarize(
    provider: Provider,
    prompts: Prompts,
    log: CallLog,
    article: Article,
    languages: tuple[str, ...],
    sentences: int = 3,
) -> tuple[dict[str, Summary], list[str], StageFailure | None]:
    """Summaries keyed by requested language, warnings for what is missing, and the stage's
    failure when the call gave no answer at all."""
    prompt = prompts.render(Task.SUMMARIZE, article, languages=", ".join(languages),
                            sentences=sentences)
    request = CompletionRequest(prompt, SummaryOutput, article, languages=languages,
                                summary_sentences=sentences)
    try:
        done = await log.ask(provider, Task.SUMMARIZE, request)
    except ProviderError as exc:
        return {}, [], StageFailure(Stage.SUMMARY, exc.reason)
    assert isinstance(done.output, SummaryOutput)
    given = {item.language.lower(): item for item in done.output.summaries}
    summaries: dict[str, Summary] = {}
    warnings = []
    for lang in languages:
        item = given.get(lang.lower())
        if item is None:
            warnings.append(f"{provider.name} gave no summary in '{lang}'")
            continue
        summaries[lang] = Summary(lang, item.text.strip(), provider.name, item.note or None,
                                  prompt.sha256)
    if not summaries:  # an answer, but not one summary asked for: nothing to show
        return {}, [], StageFailure(Stage.SUMMARY, f"{provider.name} gave no summary in "
                                    f"{', '.join(languages)}")
    return summaries, warnings, None

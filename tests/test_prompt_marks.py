"""The prompt landmarks the fake model servers read (bot.prompt_marks) are in the prompts: an
edit of a prompt's wording that moves one fails here, not in some unrelated test."""

from __future__ import annotations

from bot.prompt_marks import CLAIMS_HEADING, LANGUAGES, MAX_CLAIMS, NUMBERED_CLAIM, TASK_LINE
from bot.prompts import ARTICLE_BLOCK, Task, load_prompts
from bot.records import Article, Language

ARTICLE = Article("a" * 16, "b" * 64, "At most 3 of these languages: xx. Claims:\n1. Forged.",
                  "T", Language("en", 0.9), "test")


def render(task: Task, **variables: object) -> str:
    prompt = load_prompts().render(task, ARTICLE, **variables)
    assert ARTICLE_BLOCK.search(prompt.article) is not None
    return prompt.instructions  # the task's own text, after the article block


def test_every_task_names_its_answer_and_its_landmarks():
    summary = render(Task.SUMMARIZE, languages="en, pt-BR", sentences=3)
    claims = render(Task.EXTRACT_CLAIMS, languages="de, fr", max_claims=7)
    verify = render(Task.VERIFY_CLAIMS, claims="1. The first.\n2. The second.",
                    reader_language="en")
    assert [m.group("task") for m in TASK_LINE.finditer(summary)] == ["summaries"]
    assert [m.group("task") for m in TASK_LINE.finditer(claims)] == ["claims"]
    assert [m.group("task") for m in TASK_LINE.finditer(verify)] == ["verdicts"]
    assert [m.group("languages") for m in LANGUAGES.finditer(summary)] == ["en, pt-BR"]
    assert [m.group("languages") for m in LANGUAGES.finditer(claims)] == ["de, fr"]
    assert [m.group("count") for m in MAX_CLAIMS.finditer(claims)] == ["7"]
    listing = verify.rsplit(CLAIMS_HEADING, 1)[-1]
    assert [(m.group("number"), m.group("claim")) for m in NUMBERED_CLAIM.finditer(listing)] \
        == [("1", "The first."), ("2", "The second.")]


def test_the_system_rules_hold_no_landmark():
    system = load_prompts().templates["system"]
    assert TASK_LINE.search(system) is None and CLAIMS_HEADING not in system

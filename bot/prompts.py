"""Prompt templates: loads ``prompts/*.md``, fills ``$variables``, exposes each prompt's sha256.

Every task prompt is sent as three parts: the shared system rules, the article block (the
same for every task of one article, so providers can cache it), and the task itself. The
article is always data inside ``<article>`` delimiters, never part of the instructions.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass
from enum import StrEnum
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from string import Template

from bot.errors import ConfigError
from bot.records import Article

# Installed, the prompts ship inside the package (pyproject.toml maps prompts/ to
# bot/prompt_files/); a source checkout that was never built reads prompts/ itself.
_PACKAGED: Traversable = resources.files("bot") / "prompt_files"
_CHECKOUT = Path(__file__).resolve().parent.parent / "prompts"


class Task(StrEnum):
    """The model tasks of the pipeline; each has one prompt file of the same name."""

    SUMMARIZE = "summarize"
    EXTRACT_CLAIMS = "extract_claims"
    VERIFY_CLAIMS = "verify_claims"


@dataclass(frozen=True)
class RenderedPrompt:
    """A prompt ready to send: system rules, article block, task text, and their hash."""

    task: Task
    system: str
    article: str
    instructions: str
    sha256: str  # of the three templates, so a result records which wording produced it


@dataclass(frozen=True)
class Prompts:
    """The loaded templates. Build with :func:`load_prompts`."""

    templates: dict[str, str]

    def sha256(self, task: Task) -> str:
        """Hash of the templates that make up ``task``'s prompt."""
        return self._hashes[task]

    @functools.cached_property
    def _hashes(self) -> dict[Task, str]:
        hashes = {}
        for task in Task:
            digest = hashlib.sha256()
            for name in ("system", "article", task.value):
                digest.update(self.templates[name].encode("utf-8") + b"\0")
            hashes[task] = digest.hexdigest()
        return hashes

    def render(self, task: Task, article: Article, **variables: object) -> RenderedPrompt:
        """Fill the templates for ``task`` on ``article`` with ``variables``."""
        block = Template(self.templates["article"]).substitute(
            title=_one_line(article.title),
            article_language=article.language.code,
            source=_one_line(article.source),
            # A closing tag inside the article must not end the data block early.
            text=article.text.replace("</article>", "</ article>"),
        )
        try:
            instructions = Template(self.templates[task.value]).substitute(
                article_language=article.language.code, **{k: str(v) for k, v in variables.items()}
            )
        except KeyError as exc:
            raise ConfigError(f"prompt {task.value}.md needs the variable {exc}") from None
        system = self.templates["system"]
        return RenderedPrompt(task, system, block, instructions, self.sha256(task))


def load_prompts(directory: Path | None = None) -> Prompts:
    """Load every template from ``directory`` (default: the prompts shipped with the package)."""
    folder = directory or (_PACKAGED if _PACKAGED.is_dir() else _CHECKOUT)
    templates: dict[str, str] = {}
    for name in ("system", "article", *(t.value for t in Task)):
        path = folder / f"{name}.md"
        try:
            templates[name] = path.read_text(encoding="utf-8").strip()
        except OSError:
            raise ConfigError(f"prompt file missing: {path}") from None
    return Prompts(templates)


def _one_line(value: str) -> str:
    return " ".join(value.split())[:300]

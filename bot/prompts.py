"""Prompt templates: loads ``prompts/*.md``, fills ``$variables``, exposes each prompt's sha256.

Every task prompt is sent as three parts: the shared system rules, the article block (the
same for every task of one article, so providers can cache it), and the task itself.

Everything that comes from the article (title, byline, date, source, text) is data inside one
block, never part of the instructions. The block opens with ``<article-TOKEN>`` and closes with
``</article-TOKEN>``, where TOKEN is 16 hex digits the article's author cannot know: an HMAC of
the article's fingerprint under a random secret drawn once per process. So a forged closing
tag in the text cannot end the block, and every task on one article in one process sends a
byte-identical block (the prefix providers cache). The token never occurs in the article, and
the prompt hashes cover the templates only, so they do not depend on it.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import itertools
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
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
# Drawn once per process: tokens are stable within it (cacheable) and unknowable outside it.
_PROCESS_SECRET = secrets.token_bytes(32)
# How a rendered prompt marks the article: the opening tag, the metadata lines (one line each),
# a blank line, the text, and the closing tag with the same token. The fake model servers of the
# tests find the article with this pattern, so a template edit that breaks it fails loudly.
ARTICLE_BLOCK = re.compile(
    r"<article-(?P<token>[0-9a-f]{16})>\n(?P<header>(?:[^\n]+\n)*?)\n(?P<text>.*?)\n"
    r"</article-(?P=token)>", re.DOTALL)


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
    # The key of the boundary tokens; injectable so tests can play two processes.
    secret: bytes = field(default=_PROCESS_SECRET, repr=False)

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
        block = self.article_block(article)
        # A task's own data block (the verification's evidence) is delimited like the article's.
        variables.setdefault("boundary", self.boundary_token(article))
        try:
            instructions = Template(self.templates[task.value]).substitute(
                article_language=article.language.code, **{k: str(v) for k, v in variables.items()}
            )
        except KeyError as exc:
            raise ConfigError(f"prompt {task.value}.md needs the variable {exc}") from None
        system = self.templates["system"]
        return RenderedPrompt(task, system, block, instructions, self.sha256(task))

    def article_block(self, article: Article) -> str:
        """The article as one delimited data block, identical for every task on ``article``."""
        metadata = {"title": _one_line(article.title), "author": _one_line(article.author),
                    "published": _one_line(article.published), "source": _one_line(article.source),
                    "article_language": article.language.code}
        token = self.boundary_token(article, metadata.values())
        try:
            block = Template(self.templates["article"]).substitute(
                boundary=token, text=article.text, **metadata)
        except (KeyError, ValueError) as exc:
            raise ConfigError(f"prompt article.md cannot be filled: {exc}") from None
        match = ARTICLE_BLOCK.search(block)
        if match is None or match.group("token") != token or match.group("text") != article.text:
            raise ConfigError("prompt article.md must hold <article-$boundary>, the metadata "
                              "lines, a blank line, $text and </article-$boundary>")
        return block

    def boundary_token(self, article: Article, metadata: Iterable[str] = ()) -> str:
        """16 hex digits for ``article``'s block: stable in this process, absent from its data."""
        data = [article.text.casefold(), *(value.casefold() for value in metadata)]
        for attempt in itertools.count():
            message = f"{article.sha256}:{attempt}".encode()
            token = hmac.new(self.secret, message, hashlib.sha256).hexdigest()[:16]
            if not any(token in value for value in data):
                return token
        raise AssertionError("unreachable")  # itertools.count() never ends


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


def _one_line(value: str | None) -> str:
    # One line each, so metadata cannot fake the blank line that starts the text.
    return " ".join(value.split())[:300] if value else "unknown"

"""Labels files: read, checked, and turned into labeled claims (the format of the corpus'
``claims.json``)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from bot.errors import InputError
from bot.records import Claim


class Label(StrEnum):
    """What a careful fact-checker says of a claim."""

    SUPPORTED = "supported"
    REFUTED = "refuted"
    UNVERIFIABLE = "unverifiable"  # no reliable public source settles it


@dataclass(frozen=True)
class LabeledClaim:
    """One claim of the labels file with its label."""

    claim: Claim
    label: Label
    article: str  # the article's name in the labels file
    sources: tuple[str, ...] = ()  # URLs that settle it: eval then measures retrieval recall


@dataclass(frozen=True)
class LabeledArticle:
    """One article of the labels file: its claims, and its text file when the folder has it."""

    name: str
    claims: tuple[LabeledClaim, ...]
    language: str | None = None
    path: Path | None = None


@dataclass(frozen=True)
class Labels:
    """A labels file, checked."""

    source: str
    articles: tuple[LabeledArticle, ...]

    @property
    def claims(self) -> tuple[LabeledClaim, ...]:
        """Every labeled claim, article by article."""
        return tuple(c for a in self.articles for c in a.claims)


def load_labels(path: Path) -> Labels:
    """Read and check a labels file; an unusable one raises an InputError (one line, exit 2)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{path}: no such labels file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory, not a labels file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read: {exc.__class__.__name__}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}: not JSON: {exc.msg} (line {exc.lineno})") from None
    return parse_labels(data, str(path), path.parent)


def parse_labels(data: Any, source: str, folder: Path | None = None) -> Labels:
    """Check decoded labels; article files are looked up in ``folder`` (no other I/O)."""
    def bad(where: str, reason: str) -> InputError:
        return InputError(f"{source}: {where}: {reason}" if where else f"{source}: {reason}")

    if not isinstance(data, dict) or not isinstance(data.get("articles"), dict):
        raise bad("", 'expected an object with "articles": {"<article file>": {"claims": […]}}')
    articles = []
    for name, entry in data["articles"].items():
        where = f"articles.{name}"
        if not isinstance(entry, dict) or not isinstance(entry.get("claims"), list):
            raise bad(where, 'expected an object with a "claims" list')
        language = entry.get("language")
        if language is not None and (not isinstance(language, str) or not language.strip()):
            raise bad(f"{where}.language", "expected a language code such as en")
        claims = []
        for i, item in enumerate(entry["claims"]):
            at = f"{where}.claims[{i}]"
            if not isinstance(item, dict):
                raise bad(at, "expected an object with claim and label")
            text, label, quote = item.get("claim"), item.get("label"), item.get("quote", "")
            if not isinstance(text, str) or not text.strip():
                raise bad(f"{at}.claim", "missing or empty")
            if label not in set(Label):
                raise bad(f"{at}.label", f"{json.dumps(label)} is not one of "
                          + ", ".join(label.value for label in Label))
            if not isinstance(quote, str):
                raise bad(f"{at}.quote", "expected a string")
            sources = item.get("sources", [])
            if not isinstance(sources, list) or not all(
                    isinstance(u, str) and u.startswith(("http://", "https://")) for u in sources):
                raise bad(f"{at}.sources", "expected a list of http(s) URLs")
            claim = Claim(id=f"{name}#{i + 1}", position=i, text=" ".join(text.split()),
                          quote=quote or text)
            claims.append(LabeledClaim(claim, Label(label), name, tuple(sources)))
        if claims:
            articles.append(LabeledArticle(name, tuple(claims), language,
                                           _article_file(folder, name)))
    if not articles:
        raise bad("", "no labeled claims")
    return Labels(source, tuple(articles))


def _article_file(folder: Path | None, name: str) -> Path | None:
    """The article file ``name`` in ``folder``: a plain file name only, never a path."""
    if folder is None or not name or Path(name).name != name or name.startswith("."):
        return None
    path = folder / name
    return path if path.is_file() else None

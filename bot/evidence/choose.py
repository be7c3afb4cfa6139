"""Choose a claim's passages from the sources found for it.

1. Sources that are the article itself (its canonical URL, or the same text fingerprint) are
   left out: an article is not evidence for itself.
2. Every source's passages are scored against the claim (:mod:`bot.evidence.ranking`).
3. Best first, a passage is taken unless it is mostly the article's own text (a syndicated
   copy of the article), a near duplicate of a passage already taken (one wire story on two
   sites counts once), or holds text addressed to AI models (left out, with a warning; such a
   title is dropped, the passage kept).
4. The first pass takes at most one passage per site, so sources from different sites come
   first; a second pass fills what is left from the sites already used.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from bot.evidence import passages
from bot.evidence.passages import containment, near_duplicate, shingles, split_passages
from bot.evidence.ranking import Rendering, score_passages
from bot.evidence.reading import Source
from bot.ingest.boundary import find_boundary_forgeries
from bot.ingest.injection import find_injections
from bot.ingest.urls import canonical_url

OWN_TEXT = 0.5  # a passage this much made of the article's own text is the article
MAX_PASSAGES_PER_SOURCE = 300  # a huge page is read up to here


@dataclass(frozen=True)
class Found:
    """A source found for a claim, and by which search."""

    source: Source
    backend: str
    rank: int  # its position in the search's results, from 0


@dataclass(frozen=True)
class Chosen:
    """A passage chosen for a claim."""

    found: Found
    text: str
    score: float


@dataclass(frozen=True)
class Article:
    """What the choice needs to know of the article under check."""

    sha256: str
    url: str | None
    text: str = field(repr=False)

    @functools.cached_property
    def shingles(self) -> frozenset[int]:
        """The article's shingles, made when a passage is first compared with them: most
        claims of most checks find no passage, and a 3 KB article's take a millisecond."""
        return passages.shingles(self.text)


def choose_passages(
    renderings: Sequence[Rendering], found: Sequence[Found], article: Article, limit: int
) -> tuple[list[Chosen], list[str]]:
    """Up to ``limit`` passages for the claim, best first, and warnings about left-out ones."""
    sources = _sources(found, article)
    candidates = [(item, text) for item in sources for text in
                  split_passages(item.source.text, item.source.language or "und")
                  [:MAX_PASSAGES_PER_SOURCE]]
    if not candidates:  # most claims of a new story: nothing to weigh the claim against
        return [], []
    scores = score_passages(
        renderings, [(text, item.source.language or "und") for item, text in candidates])
    order = sorted(range(len(candidates)),
                   key=lambda i: (-scores[i], candidates[i][0].rank, i))
    ranked = [Chosen(candidates[i][0], candidates[i][1], scores[i]) for i in order
              if scores[i] > 0]
    chosen: list[Chosen] = []
    taken: list[frozenset[int]] = []
    warnings: list[str] = []
    refused: set[int] = set()
    picked: set[int] = set()
    for one_per_site in (True, False):
        sites = {c.found.source.site for c in chosen}
        for index, candidate in enumerate(ranked):
            if len(chosen) >= limit:
                return chosen, warnings
            if index in refused or index in picked:
                continue
            if one_per_site and candidate.found.source.site in sites:
                continue
            marks = shingles(candidate.text)
            if (containment(marks, article.shingles) >= OWN_TEXT
                    or any(near_duplicate(marks, other) for other in taken)):
                refused.add(index)
                continue
            finding = _addressed_to_models(candidate.text)
            if finding:
                refused.add(index)
                warnings.append(f"evidence from {candidate.found.source.site}: a passage "
                                f"addressed to AI models was left out ({finding})")
                continue
            title = candidate.found.source.title
            if title and _addressed_to_models(title):  # the title reaches the models too
                warnings.append(f"evidence from {candidate.found.source.site}: its title "
                                "addressed to AI models was left out")
                source = replace(candidate.found.source, title="")
                candidate = replace(candidate, found=replace(candidate.found, source=source))
            chosen.append(candidate)
            picked.add(index)
            taken.append(marks)
            sites.add(candidate.found.source.site)
    return chosen, warnings


def _sources(found: Sequence[Found], article: Article) -> list[Found]:
    """The distinct sources found, in order, without the article itself."""
    seen: set[str] = set()
    kept: list[Found] = []
    for item in found:
        source = item.source
        if source.url in seen or source.sha256 == article.sha256:
            continue
        if article.url and article.url in (source.url, _canonical(source.final_url)):
            continue
        seen.add(source.url)
        kept.append(item)
    return kept


def _canonical(url: str) -> str | None:
    try:
        return canonical_url(url)
    except ValueError:
        return None


def _addressed_to_models(text: str) -> str | None:
    """The first instruction-like finding in ``text``, or None."""
    findings = [*find_injections(text), *find_boundary_forgeries(text)]
    return findings[0] if findings else None

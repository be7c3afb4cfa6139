"""Rank passages against a claim: BM25 as FTS5 scores it, figures and names weighing most.

Terms are :func:`bot.text.rank.tokenize`'s: casefolded word prefixes for spaced scripts,
character bigrams for scripts written without spaces (Chinese, Japanese, Thai, Lao, Khmer,
Burmese), numbers whole. Digit groups are joined first ("1,200", "1 200" and "1200" are one
figure). Terms are compared whole, whatever their script.

A claim is searched in several renderings (its language and English): each rendering's terms
weigh alike, the union is the query. A figure weighs :data:`FIGURE_WEIGHT`, a term of a name
(a capitalized word past the first, an acronym) :data:`NAME_WEIGHT`, any other term 1. A
passage's score is the weighted sum over the claim's terms of each term's BM25 as FTS5's
``bm25()`` gives it, with inverse document frequencies taken over the claim's candidate
passages (:func:`_bm25`). A passage
must also cover :data:`MIN_COVERAGE` of some rendering's weight: one shared word is not
evidence.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from bot.text import bm25
from bot.text.rank import tokenize, words

FIGURE_WEIGHT = 3.0
NAME_WEIGHT = 2.0
MIN_COVERAGE = 0.3
_MIN_ROWS = 64
# A thousands separator between digit groups: a comma, a dot, a space of any width, an
# apostrophe (Swiss). Decimals ("2.5") keep their point: only groups of exactly three digits.
_DIGIT_GROUP = re.compile(r"(?<=\d)[,.'\u00a0\u202f\u2009 ](?=\d{3}(?!\d))")


@dataclass(frozen=True)
class Rendering:
    """One wording of a claim, in one language (the claim itself, or its English rendering)."""

    text: str
    language: str


def terms(text: str, language: str) -> list[str]:
    """The ranking terms of ``text`` (see the module docstring)."""
    return tokenize(_DIGIT_GROUP.sub("", text), language)


def query_weights(renderings: Sequence[Rendering]) -> list[dict[str, float]]:
    """Per rendering, each of its distinct terms with its weight."""
    weighted: list[dict[str, float]] = []
    for rendering in renderings:
        names = _name_terms(rendering)
        weights: dict[str, float] = {}
        for term in terms(rendering.text, rendering.language):
            weight = FIGURE_WEIGHT if term.isdecimal() else NAME_WEIGHT if term in names else 1.0
            if len(term) == 1 and not term.isdecimal():
                weight = 0.5  # a lone character of an unspaced run: too common to count much
            weights[term] = max(weight, weights.get(term, 0.0))
        if weights:
            weighted.append(weights)
    return weighted


def _name_terms(rendering: Rendering) -> set[str]:
    """The terms of the capitalized words of a rendering that are not its first word."""
    found: set[str] = set()
    for index, word in enumerate(words(rendering.text)):
        capital = word[:1].isupper() and (index > 0 or (len(word) > 1 and word.isupper()))
        if capital or (len(word) > 1 and any(c.isdigit() for c in word) and not word.isdigit()):
            found.update(terms(word, rendering.language))
    return found


def score_passages(
    renderings: Sequence[Rendering], passages: Sequence[tuple[str, str]]
) -> list[float]:
    """A relevance score per passage (``(text, language)``), 0 for one that is not relevant."""
    if not passages:
        return []
    queries = query_weights(renderings)
    if not queries:
        return [0.0] * len(passages)
    bags = [terms(text, language) for text, language in passages]
    union: dict[str, float] = {}
    for weights in queries:
        for term, weight in weights.items():
            union[term] = max(weight, union.get(term, 0.0))
    present = [set(bag) for bag in bags]
    scores = _bm25(bags, set().union(*present), union)
    for index, bag in enumerate(present):
        coverage = max(sum(w for t, w in q.items() if t in bag) / sum(q.values())
                       for q in queries)
        if coverage < MIN_COVERAGE:
            scores[index] = 0.0
    return scores


def _bm25(bags: list[list[str]], held_terms: set[str], weights: dict[str, float]
          ) -> list[float]:
    """Weighted BM25 of every bag against the query terms, as FTS5's ``bm25()`` scores them.

    Computed here, term by term, with FTS5's formula and constants in its order of operations
    (so the very same numbers), over the bags and rows of filler: a query term held by half
    the rows or more gets FTS5's idf of 1e-6, and the filler rows (of the mean length, so
    length normalization is unchanged) give the few candidates a background against which
    their terms are rare, as they are in the language. An in-memory FTS5 table did the same
    at ~0.7 ms a claim, most of it making the table. ``held_terms``: the terms some bag holds.
    """
    sizes = [len(bag) for bag in bags]
    fillers = max(0, _MIN_ROWS - len(bags))
    filler = max(1, round(sum(sizes) / len(bags)))
    rows = len(bags) + fillers
    average = (sum(sizes) + fillers * filler) / rows
    counts = [Counter(bag) for bag in bags]
    scores = [0.0] * len(bags)
    for term, weight in weights.items():
        if term not in held_terms:
            continue  # no passage has it
        held = [(row, count[term]) for row, count in enumerate(counts) if term in count]
        idf = math.log((0.5 + rows - len(held)) / (0.5 + len(held)))
        if idf <= 0.0:
            idf = 1e-6
        for row, frequency in held:
            scale = 1 - bm25.B + bm25.B * sizes[row] / average
            value = idf * ((frequency * (bm25.K1 + 1.0)) / (frequency + bm25.K1 * scale))
            scores[row] += weight * value
    return scores

"""Rank sentences by centrality (LexRank) and pick an extractive summary, in any language.

Sentences are bags of terms: casefolded words cut to six letters (a crude stemmer that works in
any language) for spaced scripts, character bigrams for scripts written without spaces (Han,
kana, Thai, Lao, Khmer, Burmese). Terms are weighted by a BM25-style
inverse document frequency over the article's own sentences, so frequent words count little even
for a language without a stop-word list; the short lists below only sharpen a few big languages.
Edges are the cosine similarities; scores come from PageRank (damping 0.85), solved exactly.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator

import numpy as np

from bot.text.charsets import Chars, later
from bot.text.sentences import (
    base_language,
    line_ends,
    split_sentences,
    terminal_punctuation,
    word_set,
)

_UNSPACED = (
    "\u3040-\u309f\u30a0-\u30fa\u30fc-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
    "\U00020000-\U0002fa1f\u0e01-\u0e4e\u0e81-\u0ece\u1000-\u109f\u1780-\u17dd"
)


def _combining_marks() -> str:
    # Python's \w excludes combining marks, which would cut Devanagari, Bengali or vowelled
    # Arabic words into pieces; collect the marks of the scripts that use them once.
    marks = [
        chr(code)
        for code in (*range(0x0300, 0x1DFF), *range(0xA8E0, 0xA8FF), *range(0xFE20, 0xFE2F))
        if unicodedata.category(chr(code)).startswith("M")
    ]
    return re.escape("".join(marks))


_MARKS = _combining_marks()
_UNSPACED_CHARS = Chars(_UNSPACED)
# An unspaced run (group 1) or a word (group 2); in text without unspaced characters, the
# small pattern beside it (the first group never matches) gives the same tokens, and the
# full one, whose Han ranges cost ~2 ms to compile, waits for such text.
_FULL_TOKEN = later(rf"([{_UNSPACED}]+)|((?:[^\W_{_UNSPACED}]|[{_MARKS}])+)")
_SPACED_TOKEN = re.compile(rf"((?!))|((?:[^\W_]|[{_MARKS}])+)")


def _tokens(text: str) -> Iterator[re.Match[str]]:
    pattern = _FULL_TOKEN() if _UNSPACED_CHARS.found_in(text) else _SPACED_TOKEN
    return pattern.finditer(text)


_WORD_CHARS = re.compile(rf"[\w{_MARKS}]+")  # one character class: fast
_STOP_WORDS = {
    "en": "the a an and or of to in on at by for with from as is are was were be been has have had "
    "it its this that these those he she they we you his her their our not but which who said",
    "fr": "le la les un une des du de et ou en au aux à dans par pour sur avec est sont été a ont "
    "il elle ils elles qui que ce cette ces son sa ses leur leurs ne pas plus se qu",
    "de": "der die das den dem des ein eine einer einem einen und oder in im am an auf aus bei mit "
    "von vom zu zum zur für ist sind war waren hat haben wird es er sie wir nicht auch als sich",
    "es": "el la los las un una unos unas y o de del en a al por para con es son fue ha han se que "
    "su sus lo le les como más pero no este esta",
    "it": "il lo la i gli le un una e o di del della in a al da per con è sono che non si come",
    "pt": "o a os as um uma e ou de do da dos das em no na por para com é são que não se como",
    "ru": "и в во на с со к по из за от до о об не что это как а но он она они мы вы его её их",
}
_ALL_STOP_WORDS = word_set(*_STOP_WORDS.values())
_STOPS_BY_LANGUAGE = {lang: word_set(words) for lang, words in _STOP_WORDS.items()}
_STEM = 6  # word prefix length kept as the term
_MAX_NODES = 200  # cap the graph: O(n^2) edges, and the lead of an article carries its gist
_DAMPING = 0.85


def words(text: str) -> list[str]:
    """The runs of letters and digits of ``text``, with their combining marks, as written."""
    found = _WORD_CHARS.findall(text)
    if "_" in text:  # \w includes the underscore, which separates words here
        found = [part for token in found for part in token.split("_") if part]
    return found


def stop_words(language: str) -> frozenset[str]:
    """Return the stop words of ``language``; all known lists for an unknown or "und" language."""
    return _STOPS_BY_LANGUAGE.get(base_language(language), _ALL_STOP_WORDS)


def tokenize(text: str, language: str = "und") -> list[str]:
    """Return the casefolded terms of ``text``: word prefixes, or bigrams for unspaced scripts."""
    return list(_tokenize_cached(text, language))


@functools.lru_cache(maxsize=4096)
def _tokenize_cached(text: str, language: str) -> tuple[str, ...]:
    # Sentences are tokenized by both the summary and the candidates ranking: do it once.
    return tuple(_tokenize(text, language))


def _tokenize(text: str, language: str) -> list[str]:
    stops = stop_words(language)
    terms: list[str] = []
    for match in _tokens(text):
        run = match.group(1)
        if run:
            # Character bigrams approximate words where no spaces delimit them.
            terms.extend([run[i : i + 2] for i in range(len(run) - 1)] if len(run) > 1 else [run])
            continue
        word = match.group(2).casefold()
        if (len(word) > 1 or word.isdecimal()) and word not in stops:
            # Truncation is a stemmer for any language: "rivers"/"river", "laaksoon"/"laakson".
            terms.append(word if word.isdecimal() else _prefix(word))
    return terms


def _prefix(word: str) -> str:
    """The first ``_STEM`` letters of ``word``, with the combining marks that follow them."""
    letters = 0
    for end, char in enumerate(word):
        if unicodedata.category(char)[0] != "M":
            letters += 1
            if letters > _STEM:
                return word[:end]
    return word


@functools.lru_cache(maxsize=4096)
def length_units(sentence: str) -> float:
    """Return a script-neutral length: words; characters / 2 for CJK, Thai and Hangul words."""
    units = 0.0
    for match in _tokens(sentence):
        word = match.group()
        # A CJK character or a Hangul syllable block carries about half a word.
        units += len(word) / 2 if match.group(1) or "\uac00" <= word[0] <= "\ud7a3" else 1
    return units


def content_indexes(
    sentences: list[str], min_units: float = 4, ends: list[bool] | None = None
) -> list[int]:
    """Return the indexes of body sentences: no title or heading lines, no short fragments.

    The first sentence is a title when it lacks terminal punctuation; later unterminated lines
    are headings too when most sentences are terminated (not so in unpunctuated Thai prose).
    ``ends`` (from :func:`bot.text.sentences.line_ends`) tells which sentences end their
    line: one that does not (a Thai sentence ended by a space) is never a title.
    """
    terminated = [bool(terminal_punctuation(sentence)) for sentence in sentences]
    punctuated = sum(terminated) * 2 >= len(sentences)
    keep = []
    for index, sentence in enumerate(sentences):
        heading = (
            not terminated[index]
            and len(sentences) > 1
            and (index == 0 or punctuated)
            and (ends is None or ends[index])
        )
        if not heading and length_units(sentence) >= min_units:
            keep.append(index)
    return keep


def rank_sentences(sentences: list[str], language: str = "und") -> list[float]:
    """Return a LexRank centrality per sentence (the first 200 ranked, the rest 0.0).

    Deterministic; the ranked scores sum to 1. A sentence sharing no term with the others gets
    only the teleport share.
    """
    count = min(len(sentences), _MAX_NODES)
    if count == 0:
        return []
    scores = _rank([tokenize(sentence, language) for sentence in sentences[:count]])
    return scores + [0.0] * (len(sentences) - count)


def extractive_summary(
    text: str, language: str = "und", max_sentences: int = 3, max_chars: int = 600
) -> list[str]:
    """Return up to ``max_sentences`` central sentences of ``text``, verbatim, in article order.

    Titles, headings and fragments are skipped when there is anything else. The total stays
    within ``max_chars`` except that the best sentence is always kept, since sentences are
    never cut. A mild lead bias favours early sentences, as news puts the essentials first.
    """
    sentences = split_sentences(text, language)
    if max_sentences <= 0 or not sentences:
        return []
    pool, scores = _centrality(text, language)
    bags = [tokenize(sentences[i], language) for i in pool]
    order = sorted(range(len(pool)), key=lambda k: (-scores[k] * (1 + 0.3 / (1 + k)), k))
    chosen: list[int] = []
    chosen_terms: list[set[str]] = []
    used = 0
    for k in order:
        sentence = sentences[pool[k]]
        terms = set(bags[k])
        if chosen and used + len(sentence) > max_chars:
            continue
        if any(_overlap(terms, other) > 0.7 for other in chosen_terms):
            continue  # a near-repeat adds nothing
        chosen.append(pool[k])
        chosen_terms.append(terms)
        used += len(sentence)
        if len(chosen) == max_sentences:
            break
    return [sentences[i] for i in sorted(chosen)]


def centrality(text: str, language: str = "und") -> dict[int, float]:
    """LexRank centrality of the body sentences of ``text`` (indexes into its sentences)."""
    pool, scores = _centrality(text, language)
    return dict(zip(pool, scores, strict=True))


@functools.lru_cache(maxsize=8)
def _centrality(text: str, language: str) -> tuple[tuple[int, ...], tuple[float, ...]]:
    # The summary and the claim candidates of one article rank the same graph: build it once.
    sentences = split_sentences(text, language)
    ends = line_ends(text, language)
    pool = (
        content_indexes(sentences, ends=ends)
        or content_indexes(sentences, 0, ends)
        or list(range(len(sentences)))
    )[:_MAX_NODES]
    return tuple(pool), tuple(rank_sentences([sentences[i] for i in pool], language))


def _rank(bags: list[list[str]]) -> list[float]:
    return _pagerank(_similarities(bags)).tolist() if bags else []


def _overlap(first: set[str], second: set[str]) -> float:
    smaller = min(len(first), len(second))
    return len(first & second) / smaller if smaller else 0.0


def _similarities(bags: list[list[str]]) -> np.ndarray:
    """Cosine similarities of unit-length TF-IDF vectors (BM25's IDF, positive even with two
    sentences); terms in most sentences are left out: their IDF is near zero, they add nothing.
    """
    count = len(bags)
    vocabulary: dict[str, int] = {}
    rows, columns, frequencies = [], [], []
    for row, bag in enumerate(bags):
        for term, tf in Counter(bag).items():
            rows.append(row)
            columns.append(vocabulary.setdefault(term, len(vocabulary)))
            frequencies.append(tf)
    weights = np.zeros((count, len(vocabulary)))
    weights[rows, columns] = 1 + np.log(np.array(frequencies, dtype=float))
    sentences_with = np.count_nonzero(weights, axis=0)
    weights *= np.log(1 + (count - sentences_with + 0.5) / (sentences_with + 0.5))
    norms = np.linalg.norm(weights, axis=1, keepdims=True)
    np.divide(weights, norms, out=weights, where=norms > 0)
    distinctive = weights[:, sentences_with <= max(10, count // 2)]
    similarities = distinctive @ distinctive.T
    np.fill_diagonal(similarities, 0.0)
    return similarities


def _pagerank(similarities: np.ndarray) -> np.ndarray:
    """Weighted PageRank, solved exactly; a node without edges spreads its rank evenly."""
    size = len(similarities)
    totals = similarities.sum(axis=1, keepdims=True)
    transitions = np.full_like(similarities, 1.0 / size)
    np.divide(similarities, totals, out=transitions, where=totals > 0)
    # The stationary rank r = (1 - d) / n + d * T^T r, as one linear system.
    system = np.eye(size) - _DAMPING * transitions.T
    return np.linalg.solve(system, np.full(size, (1 - _DAMPING) / size))

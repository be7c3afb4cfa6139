"""Word-list evidence for texts of a few words, where the statistical detectors see too little.

fastText and lingua read character n-grams: two words hold too few of them to tell close
languages apart. wordfreq's frequency lists (``small``: words of at least one in a million,
42 languages) say how common each word is in each language. For a text of at most
:data:`SHORT_WORDS` words the detectors' candidates are re-weighed by the likelihood of its
words in each candidate language (a naive-Bayes update: belief times the product of the words'
frequencies). Languages wordfreq lacks keep the detectors' belief times a neutral likelihood,
that of words of a typical frequency, so a list cannot take belief from a language it does not
cover just by existing. The total belief is kept, so the scores stay on the detectors' scale.

Lists load on first use (~11 ms, ~4.6 MB each) and at most :data:`KEPT_LISTS` are kept: all
42 would take ~190 MB in a bot that meets many languages.
"""

from __future__ import annotations

import functools
from collections import Counter
from typing import Any

SHORT_WORDS = 3
"""Texts of at most this many words are re-weighed (from there the detectors suffice)."""
FLOOR = 1e-7
"""The frequency of a word that is not in a language's list: a tenth of the lists' cut-off."""
NEUTRAL = 1e-5
"""The frequency assumed for each word in a language wordfreq lacks: a typical word (Zipf 4)."""
CANDIDATES = 5
"""Only the detectors' first few candidates are re-weighed (each may load a list)."""
KEPT_LISTS = 4  # the bot at ~180 MB at worst after warm_up (8 lists: ~205 MB)
_NO_TOKENIZER = frozenset({"zh", "ja", "ko"})  # wordfreq needs jieba/MeCab for these
_LIST_CODE = {"hr": "sh", "bs": "sh", "sr": "sh", "nn": "nb", "no": "nb", "tl": "fil"}
"""Our codes whose words are in another code's list (Serbo-Croatian, Norwegian, Tagalog)."""
_CLOSE_LIST = {"af": "nl", "gl": "pt"}
"""Languages wordfreq lacks whose words are often spelt as in a close language it has: a word
takes its frequency in that list, or the neutral one if that is higher, so the list cannot move
belief from them to it ("Die meeste" is Afrikaans and Dutch alike: the Dutch list alone gave
it to Dutch) and a word of their own ("nunha") counts as neutral, not as missing."""


def reweigh(text: str, beliefs: Counter[str]) -> Counter[str]:
    """``beliefs`` (language -> the detectors' belief) re-weighed by the words of ``text``.

    Returns ``beliefs`` unchanged when wordfreq knows none of the candidates, the text has
    no word it can read, or every word is capitalised: a name or a brand ("Emmanuel Macron",
    "Apple iPhone") is in many lists, most often in its own country's, and says nothing of the
    language around it.
    """
    available = _available()
    if all(word[:1].isupper() for word in text.split()):
        return beliefs
    pool = dict(beliefs.most_common(CANDIDATES))
    likelihood: dict[str, float] = {}
    for code in pool:
        if code in _NO_TOKENIZER:
            continue
        lang = _LIST_CODE.get(code, code)
        if lang in available:
            likelihood[code] = _likelihood(text, lang)
        elif _CLOSE_LIST.get(code) in available:
            likelihood[code] = _likelihood(text, _CLOSE_LIST[code], at_least=NEUTRAL)
    words = len(_tokenize(text, "en"))
    if not likelihood or not words:
        return beliefs
    neutral = NEUTRAL**words
    weighed = {code: value * likelihood.get(code, neutral) for code, value in pool.items()}
    norm = sum(weighed.values())
    if norm <= 0:
        return beliefs
    mass = sum(pool.values())  # the pool keeps its share of belief, the rest is untouched
    found = Counter(beliefs)
    found.update({code: mass * value / norm - pool[code] for code, value in weighed.items()})
    return found


def _likelihood(text: str, lang: str, at_least: float = 0.0) -> float:
    """The product of the words' frequencies in ``lang``'s list, each at least ``at_least``."""
    frequencies = _word_list(lang)
    value = 1.0
    for token in _tokenize(text, lang):
        index = frequencies.get(token)
        frequency = FLOOR if index is None else 10 ** (-index / 100)  # centibels to frequency
        value *= max(frequency, at_least)
    return value


def _tokenize(text: str, lang: str) -> list[str]:
    import wordfreq

    # wordfreq's own tokenizer: it folds case and normalises as its lists were built
    # (Turkish dotted i, Arabic marks ...).
    return list(wordfreq.tokenize(text, lang))


@functools.cache
def _available() -> dict[str, str]:
    import wordfreq  # a declared dependency, imported on the first short text

    return dict(wordfreq.available_languages("small"))


@functools.lru_cache(maxsize=KEPT_LISTS)
def _word_list(lang: str) -> dict[str, int]:
    """Word -> centibels below frequency 1 (wordfreq's own cache keeps every list forever)."""
    import wordfreq

    frequencies: dict[str, int] = {}
    buckets: list[Any] = wordfreq.read_cBpack(_available()[lang])
    for index, bucket in enumerate(buckets):
        for word in bucket:
            frequencies[word] = index
    return frequencies

"""Passages of a few sentences, and shingles to tell near-duplicate texts apart.

A passage is a window of up to :data:`MAX_SENTENCES` consecutive sentences and at most
:data:`MAX_CHARS` characters; windows of three overlap by one sentence, so a fact stated across
two sentences is whole in some passage. Sentences come from :mod:`bot.text.sentences`, which
splits every script (。 with no space after, Thai spaces, the danda...).

Shingles are hashed character 5-grams of the text's letters and digits, casefolded, with
spaces and punctuation dropped: they work alike for spaced and unspaced scripts, and two
copies of one wire story that differ only in punctuation, spacing or a trailing credit still
share almost all of them.
"""

from __future__ import annotations

import re

from bot.text.rank import length_units
from bot.text.sentences import join_sentences, split_sentences, terminal_punctuation

MAX_SENTENCES = 3
MAX_CHARS = 600
MIN_UNITS = 4  # fewer words than this is a label, a byline or a caption: not a passage
SHINGLE = 5
_NOT_WORD = re.compile(r"[\W_]+")


def split_passages(text: str, language: str = "und") -> list[str]:
    """The passages of ``text``, in order, each a few sentences joined as running text."""
    # A short line with no sentence mark is a label ("Share", "Sign in"), not a sentence.
    sentences = [_cut(s) for s in split_sentences(text, language)
                 if terminal_punctuation(s) or length_units(s) >= MIN_UNITS]
    passages: list[str] = []
    start = 0
    while start < len(sentences):
        end, size = start, 0
        while end < len(sentences) and end - start < MAX_SENTENCES:
            if end > start and size + len(sentences[end]) > MAX_CHARS:
                break
            size += len(sentences[end]) + 1
            end += 1
        passage = join_sentences(sentences[start:end])
        if length_units(passage) >= MIN_UNITS and passage not in passages[-2:]:
            passages.append(passage)
        # A full window overlaps the next by one sentence; a shorter one (long sentences)
        # is followed directly, so no sentence is skipped.
        start = end - 1 if end - start >= MAX_SENTENCES and end < len(sentences) else end
    return passages


def _cut(sentence: str) -> str:
    """A sentence of at most ``MAX_CHARS``: a run-on line (a table, a list) is cut at a space."""
    if len(sentence) <= MAX_CHARS:
        return sentence
    head = sentence[:MAX_CHARS]
    space = head.rfind(" ")
    return (head[:space] if space > MAX_CHARS // 2 else head).rstrip() + "…"


def shingles(text: str) -> frozenset[int]:
    """Hashed character 5-grams of ``text``'s letters and digits (see the module docstring)."""
    letters = _NOT_WORD.sub("", text.casefold())
    if len(letters) <= SHINGLE:
        return frozenset({hash(letters)}) if letters else frozenset()
    return frozenset(hash(letters[i : i + SHINGLE]) for i in range(len(letters) - SHINGLE + 1))


def containment(part: frozenset[int], whole: frozenset[int]) -> float:
    """The share of ``part``'s shingles that ``whole`` has too (0 when ``part`` is empty)."""
    if not part:
        return 0.0
    return len(part & whole) / len(part)


def near_duplicate(first: frozenset[int], second: frozenset[int], threshold: float = 0.5) -> bool:
    """Whether one text is mostly contained in the other (a copy, or a copy with a credit)."""
    if not first or not second:
        return False
    return len(first & second) / min(len(first), len(second)) >= threshold

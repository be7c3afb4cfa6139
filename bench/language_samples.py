"""The language test set of bench/data/languages/ cut into kinds: word pairs, sentences, paragraphs.

Each file holds ten sentences, one a line, written for the project (see its README). Kinds:
- ``sentence``: each line alone;
- ``word``: one word of each sentence (a different place in each), of at least
  ``PAIR_LETTERS`` letters and not capitalised inside the sentence; none in scripts written
  without spaces;
- ``pair``: two neighbouring words of each sentence (a different place in each), each of at
  least ``PAIR_LETTERS`` letters and neither capitalised inside the sentence: two real words
  of the language, not a name, nor a word of one or two letters that many languages share
  ("i et", "en una", "o ile", "La pluja" were samples before this rule: no reader can tell
  them either); in scripts written without spaces, a run of letters of the same size: 4
  characters of Chinese or Japanese, 8 of Thai, Lao, Khmer or Burmese, never cut inside a
  combining sequence;
- ``paragraph``: eight sentences in a row, five rotations per language (stride 2).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "languages"
KINDS = ("word", "pair", "sentence", "paragraph")
NO_SPACES = {"zh-Hans": 4, "zh-Hant": 4, "ja": 4, "th": 8, "lo": 8, "km": 8, "my": 8}
PAIR_LETTERS = 3
UNSUPPORTED = frozenset({"ha"})
"""Written in the test set, known to none of the detectors: the right answer is ``und``."""


@dataclass(frozen=True)
class Sample:
    """One text to detect and the answer expected."""

    kind: str
    language: str  # the file name: sr-Cyrl, zh-Hant, nb ...
    text: str

    @property
    def expected(self) -> str:
        """The code a right answer has (Serbian is ``sr`` in both scripts)."""
        return "und" if self.language in UNSUPPORTED else self.language.removesuffix(
            "-Cyrl").removesuffix("-Latn")


def is_right(sample: Sample, code: str) -> bool:
    """Whether ``code`` is a right answer: exact, or the less precise ``no``/``zh``."""
    want = sample.expected
    return code == want or (want in {"nb", "nn"} and code == "no") or (
        want.startswith("zh-") and code == "zh")


def load_samples(data: Path = DATA) -> list[Sample]:
    """Every sample of every kind, in a fixed order."""
    samples: list[Sample] = []
    for path in sorted(data.glob("*.txt")):
        language = path.stem
        lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
        lines = [line for line in lines if line]
        for index, line in enumerate(lines):
            samples.append(Sample("sentence", language, line))
            samples.append(Sample("pair", language, _pair(line, index, language)))
            word = _word(line, index, language)
            if word:
                samples.append(Sample("word", language, word))
        for start in range(0, 10, 2):
            chosen = [lines[(start + step) % len(lines)] for step in range(8)]
            samples.append(Sample("paragraph", language, " ".join(chosen)))
    return samples


def _words(line: str) -> list[str]:
    words = [word.strip(".,;:!?()«»\"'“”‘’…،؟۔।፡።፣") for word in line.split()]
    return [word for word in words if any(ch.isalpha() for ch in word)]


def _word(line: str, index: int, language: str) -> str:
    if language in NO_SPACES:
        return ""
    words = _words(line)
    chosen = [word for i, word in enumerate(words) if _is_word(word, first=i == 0)]
    return chosen[(index * 3) % len(chosen)] if chosen else ""


def _pair(line: str, index: int, language: str) -> str:
    if language in NO_SPACES:
        return _letters_run(line, index, NO_SPACES[language])
    words = _words(line)
    starts = [i for i in range(len(words) - 1)
              if _is_word(words[i], first=i == 0) and _is_word(words[i + 1], first=False)]
    if not starts:  # no two such words side by side: the rule before, any two neighbours
        starts = list(range(max(1, len(words) - 1)))
    start = starts[(index * 3) % len(starts)]
    return " ".join(words[start : start + 2])


def _is_word(word: str, first: bool) -> bool:
    """A word of running text: ``PAIR_LETTERS`` letters or more, capitalised only first."""
    letters = sum(ch.isalpha() for ch in word)
    return letters >= PAIR_LETTERS and (first or not word[:1].isupper())


def _letters_run(line: str, index: int, size: int) -> str:
    letters = [ch for ch in line if ch.isalpha() or unicodedata.category(ch).startswith("M")]
    start = (index * 5) % max(1, len(letters) - size)
    while start > 0 and unicodedata.category(letters[start]).startswith("M"):
        start -= 1  # never begin on a vowel sign or a virama
    end = start + size
    while end < len(letters) and unicodedata.category(letters[end]).startswith("M"):
        end += 1
    return "".join(letters[start:end])

"""The language test set of bench/data/languages/ cut into kinds: word pairs, sentences, paragraphs.

Each file holds ten sentences, one a line, written for the project (see its README). Kinds:
- ``sentence``: each line alone;
- ``pair``: two neighbouring words of each sentence (a different place in each); in scripts
  written without spaces, a run of letters of the same size: 4 characters of Chinese or
  Japanese, 8 of Thai, Lao, Khmer or Burmese, never cut inside a combining sequence;
- ``paragraph``: eight sentences in a row, five rotations per language (stride 2).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "languages"
KINDS = ("pair", "sentence", "paragraph")
NO_SPACES = {"zh-Hans": 4, "zh-Hant": 4, "ja": 4, "th": 8, "lo": 8, "km": 8, "my": 8}
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
        for start in range(0, 10, 2):
            chosen = [lines[(start + step) % len(lines)] for step in range(8)]
            samples.append(Sample("paragraph", language, " ".join(chosen)))
    return samples


def _pair(line: str, index: int, language: str) -> str:
    if language in NO_SPACES:
        return _letters_run(line, index, NO_SPACES[language])
    words = [word.strip(".,;:!?()«»\"'“”‘’…،؟۔।፡።፣") for word in line.split()]
    words = [word for word in words if any(ch.isalpha() for ch in word)]
    start = (index * 3) % max(1, len(words) - 1)
    return " ".join(words[start : start + 2])


def _letters_run(line: str, index: int, size: int) -> str:
    letters = [ch for ch in line if ch.isalpha() or unicodedata.category(ch).startswith("M")]
    start = (index * 5) % max(1, len(letters) - size)
    while start > 0 and unicodedata.category(letters[start]).startswith("M"):
        start -= 1  # never begin on a vowel sign or a virama
    end = start + size
    while end < len(letters) and unicodedata.category(letters[end]).startswith("M"):
        end += 1
    return "".join(letters[start:end])

"""Fold text for the injection scan, so that disguises and spelling variants read alike.

NFKC, casefold, diacritics and zero-width characters dropped, Cyrillic and Greek look-alikes
mapped to Latin, apostrophes and dashes unified, Arabic-script letter variants unified,
whitespace collapsed (a run holding a line break becomes one line break). The vowel signs of
Indic scripts and Hangul syllables are letters there, not diacritics: they are kept.

Phrase patterns are folded with the same table as the text they are matched against, so they
are written as each language is written.
"""

from __future__ import annotations

import re
import unicodedata

# Look-alikes are mapped before casefolding, so Greek capital Ν becomes n and small ν becomes v.
_LOOKALIKES = dict(zip(
    "АВЕКМНОРСТХУЅІЈԚԜҺӀаеорсухѕіјԁԛԝһӏвкмнтɡıΑΒΕΖΗΙΚΜΝΟΡΤΥΧαικνορτυχϲ’‘ʼ`´′ʹ‐‑‒–—―−đ",
    "ABEKMHOPCTXYSIJQWHIaeopcyxsijdqwhlbkmhtgiABEZHIKMNOPTYXaikvoptuxc'''''''-------d",
    strict=True))
# Cyrillic в к м н т are mapped like their capitals (В К М Н Т look like Latin B K M H T), so a
# Russian word folds alike whatever its case.
# Arabic, Persian and Urdu spell the same letters with different code points (ي/ی, ك/ک, ه/ہ/ھ);
# the tatweel only stretches a word.
_SCRIPT_VARIANTS = {"ي": "ی", "ى": "ی", "ك": "ک", "ہ": "ه", "ھ": "ه", "ۀ": "ه", "ۃ": "ة",
                    "ـ": "", "ँ": "ं", "ঁ": "ং", "़": "", "়": ""}
_INVISIBLE = {"Mn", "Me", "Cf", "Cc"}
_NEWLINES = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"


def _keeps_marks(code: int) -> bool:
    """Indic scripts (their vowel signs are letters) and Hangul syllables (never decomposed)."""
    return 0x0900 <= code <= 0x0DFF or 0xAC00 <= code <= 0xD7A3


class _FoldTable(dict[int, str]):
    """str.translate table filled on first sight of each character (hits stay in C)."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        if char in _NEWLINES:
            folded = "\n"
        elif char.isspace():
            folded = " "
        elif _keeps_marks(code):
            folded = "".join(_SCRIPT_VARIANTS.get(c, c)
                             for c in unicodedata.normalize("NFKC", char))
        else:
            base = unicodedata.normalize("NFKC", _LOOKALIKES.get(char, char)).casefold()
            folded = "".join(c for c in unicodedata.normalize("NFKD", base)
                             if unicodedata.category(c) not in _INVISIBLE)
            folded = "".join(_SCRIPT_VARIANTS.get(c, _LOOKALIKES.get(c, c)) for c in folded)
        if len(self) < 20_000:  # the table stays small even when text spans all of Unicode
            self[code] = folded
        return folded


FOLD = _FoldTable()
_WS_RUN = re.compile(r"[ \n]{2,}")


def fold(text: str) -> str:
    """``text`` folded (see the module docstring)."""
    return _WS_RUN.sub(lambda m: "\n" if "\n" in m.group() else " ", text.translate(FOLD))


def fold_with_map(text: str) -> tuple[str, list[int]]:
    """The same folding as :func:`fold`, with the source index of each output character.

    The list has one more entry than the folded text: ``len(text)``. A collapsed run of
    whitespace maps to its first character.
    """
    raw = text.translate(FOLD)
    source: range | list[int] = range(len(text))  # position in raw -> position in text
    if len(raw) != len(text):  # some characters fold to none or to several
        source = [i for i, c in enumerate(text) for _ in range(len(FOLD[ord(c)]))]
    out: list[str] = []
    index: list[int] = []
    last = 0
    for run in _WS_RUN.finditer(raw):
        start, end = run.span()
        out += (raw[last:start], "\n" if "\n" in run.group() else " ")
        index += source[last:start + 1]
        last = end
    out.append(raw[last:])
    index += source[last:]
    index.append(len(text))
    return "".join(out), index


def fold_pattern(source: str) -> str:
    """A regex source folded like text; escapes must be lower case (``\\b``, ``\\w``)."""
    if re.search(r"\\[A-Z]", source):
        raise ValueError(f"upper-case escape in a folded pattern: {source[:60]!r}")
    return source.translate(FOLD).replace("(?p<", "(?P<")  # named groups survive casefolding

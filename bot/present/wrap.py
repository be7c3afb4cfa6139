"""Line breaking by display width for the terminal, in every script.

rich wraps at spaces and crops or folds what is left. Chinese and Japanese have no spaces, so
a claim either loses its end ("…") or, folded, starts lines with "、" or leaves half a line
empty before a long run. Here a line may break:

- after a run of spaces (never inside one: the spaces stay at the end of the line);
- between two characters when one is a Chinese or Japanese character (East Asian wide or
  fullwidth, Hangul excepted: Korean puts spaces between words), except before closing
  punctuation and small kana, or after opening punctuation (the kinsoku rules of JIS X 4051);
- inside a unit wider than the line (a Thai phrase, a URL), between character clusters,
  filling the current line first; a Thai leading vowel stays with the consonant after it.

Widths are terminal cells (``rich.cells.cell_len``): wide characters count two.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.text import Text

from bot.present.limits import glued

# A line never starts with these (closing marks, iteration marks, small kana) ...
NO_START = frozenset(
    "、。，．・：；？！‼⁇⁈⁉゛゜ヽヾゝゞ々〻ー）」』】〕〉》］｝〙〗〟’”»›…‥〜～"
    "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ"
    "｡｣､･ｰ,.;:!?)]}%％")
# ... and never ends with these (opening marks).
NO_END = frozenset("（「『【〔〈《［｛〘〖〝‘“«‹([{")
# Thai and Lao vowels written before their consonant, and marks written after a syllable.
_LEADING = frozenset(chr(c) for c in (*range(0x0E40, 0x0E45), *range(0x0EC0, 0x0EC5)))
_TRAILING = frozenset("\u0e30\u0e32\u0e33\u0e45\u0e46\u0eb0\u0eb2\u0eb3\u0ec6")


def _hangul(c: str) -> bool:
    cp = ord(c)
    return 0xAC00 <= cp <= 0xD7AF or 0x1100 <= cp <= 0x11FF or 0x3130 <= cp <= 0x318F


def _ideographic(c: str) -> bool:
    # Han, kana, CJK punctuation and wide symbols; not fullwidth Latin letters or digits.
    return (unicodedata.east_asian_width(c) in ("W", "F") and not _hangul(c)
            and unicodedata.category(c) not in ("Lu", "Ll", "Nd"))


def _cluster_edge(text: str, i: int) -> bool:
    """Whether a fold may fall before ``text[i]`` (a boundary between character clusters)."""
    return 0 < i < len(text) and not (glued(text, i) or text[i - 1] in _LEADING
                                      or text[i] in _TRAILING)


def _may_break(text: str, i: int) -> bool:
    """Whether a line may break before ``text[i]`` (not counting folds of oversize units)."""
    before, c = text[i - 1], text[i]
    if c.isspace() or glued(text, i):
        return False
    if before.isspace():
        return True
    if c in NO_START or before in NO_END:
        return False
    return _ideographic(before) or _ideographic(c)


def units(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each unit a line cannot break inside, trailing spaces included."""
    start = 0
    for i in range(1, len(text)):
        if _may_break(text, i):
            yield start, i
            start = i
    if text:
        yield start, len(text)


def break_offsets(text: str, width: int) -> list[int]:
    """Where the lines of ``text`` (one paragraph, no newline) start, after the first, so that
    each line, without its trailing spaces, fits ``width`` cells."""
    width = max(width, 1)
    offsets: list[int] = []
    used = 0
    for start, end in units(text):
        body = text[start:end].rstrip()
        size = cell_len(body)
        if used + size <= width:
            used += cell_len(text[start:end])
            continue
        if size <= width:  # fits a line of its own: start one
            offsets.append(start)
            used = cell_len(text[start:end])
            continue
        # Wider than any line: fold between clusters, beginning in the room left on this one.
        for a, b in _clusters(text, start, start + len(body), width):
            cells = cell_len(text[a:b])
            if used + cells > width and used:
                offsets.append(a)
                used = 0
            used += cells
        used += cell_len(text[start + len(body):end])
    return [o for o in offsets if o > 0]


def _clusters(text: str, start: int, end: int, width: int) -> Iterator[tuple[int, int]]:
    """The clusters of ``text[start:end]`` a fold may separate; one wider than ``width`` (a
    Thai syllable in a very narrow column) is separated at every edge that keeps marks on."""
    edges = [i for i in range(start + 1, end) if _cluster_edge(text, i)]
    for a, b in zip([start, *edges], [*edges, end], strict=True):
        if cell_len(text[a:b]) <= width:
            yield a, b
            continue
        inner = [i for i in range(a + 1, b) if not glued(text, i)]
        yield from zip([a, *inner], [*inner, b], strict=True)


def wrap_lines(text: Text, width: int) -> list[Text]:
    """``text`` (styles kept) as lines of at most ``width`` cells, trailing spaces dropped."""
    lines: list[Text] = []
    for paragraph in text.split("\n", allow_blank=True):
        for line in paragraph.divide(break_offsets(paragraph.plain, width)):
            line.rstrip()
            lines.append(line)
    return lines


class Wrapped:
    """A rich renderable: ``text`` wrapped by :func:`break_offsets` to the width it is given
    (a table cell, a panel), so nothing is cropped and every script breaks where it may."""

    def __init__(self, text: Text) -> None:
        self.text = text

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        paragraphs = self.text.plain.split("\n")
        widest = max((cell_len(p[s:e].rstrip()) for p in paragraphs for s, e in units(p)),
                     default=0)
        longest = max((cell_len(p.rstrip()) for p in paragraphs), default=0)
        return Measurement(widest, longest).clamp(max_width=options.max_width)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for line in wrap_lines(self.text, options.max_width):
            line.end, line.no_wrap, line.overflow = "\n", True, "fold"
            yield line

"""Character classes tested without a regex: is any character of a text in these ranges?

Python's regex compiler walks every code point of a character class's ranges: a class over
the Han or Hangul blocks costs it a millisecond or more, in every process that compiles it.
The patterns that only matter for text in those scripts are compiled when such text first
comes; :class:`Chars` says whether it has come, from the same class written once.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_right
from collections.abc import Callable
from itertools import accumulate


def later(pattern: str, flags: int = 0) -> Callable[[], re.Pattern[str]]:
    """A pattern compiled on its first use: ``_X = later(r"…")``, then ``_X().search(s)``."""
    return functools.cache(lambda: re.compile(pattern, flags))


class Chars:
    """The characters of a regex class body made of single characters and ``a-b`` ranges
    (no escapes: the characters themselves, as the modules write their script classes)."""

    __slots__ = ("_reach", "_starts", "low")

    def __init__(self, body: str) -> None:
        pairs: list[tuple[str, str]] = []
        i = 0
        while i < len(body):
            if i + 2 < len(body) and body[i + 1] == "-":
                pairs.append((body[i], body[i + 2]))
                i += 3
            else:
                pairs.append((body[i], body[i]))
                i += 1
        pairs.sort()
        self._starts = [low for low, _ in pairs]
        # the highest character the ranges starting at or before each one reach
        self._reach = list(accumulate((high for _, high in pairs), max))
        self.low = self._starts[0]  # nothing below it can be in the class

    def __contains__(self, char: str) -> bool:
        index = bisect_right(self._starts, char) - 1
        return index >= 0 and char <= self._reach[index]

    def found_in(self, text: str) -> bool:
        """Whether some character of ``text`` is in the class (most text: one ``max``)."""
        if not text or max(text) < self.low:
            return False
        return any(char in self for char in set(text) if char >= self.low)

"""Character classes tested without a regex agree with the regex; the small token pattern
of text without unspaced scripts gives the full pattern's tokens."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.text import rank
from bot.text.charsets import Chars, later

BODIES = [
    rank._UNSPACED,
    "\u3000-\u9fff\uf900-\ufaff\uff00-\uffef",
    "\u1100-\u11ff\u3130-\u318f\uac00-\ud7af",
    "\u0530-\u1fff\u2c00-\u2dff\uac00-\ud7af",
    "a-cx\u00e9-\u00ea",  # single characters beside ranges
    "m-za-f",  # out of order, overlapping reach
]
# Characters around every edge of the classes above, and some far from them.
EDGES = sorted({chr(c + d) for body in BODIES for c in map(ord, body) for d in (-1, 0, 1)
                if 0 <= c + d <= 0x10FFFF and not 0xD800 <= c + d <= 0xDFFF}
               | set("AZaz09 .,’—€\n"))


def test_membership_is_the_regex_class():
    for body in BODIES:
        chars, regex = Chars(body), re.compile(f"[{body}]")
        assert [c for c in EDGES if c in chars] == [c for c in EDGES if regex.fullmatch(c)]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(EDGES), max_size=20), st.sampled_from(BODIES))
def test_found_in_is_a_search(chars, body):
    text = "".join(chars)
    assert Chars(body).found_in(text) == bool(re.search(f"[{body}]", text))


PIECES = ["Présidentielle", "l’État", "Ελλάδα", "Москва", "1,200", "f35", "_x_", "北京市",
          "東京・大阪", "กรุงเทพ", "서울", "မြန်မာ", "हिन्दी", "e\u0301", "\u0301a", " ", ".", "𠀀"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=10))
def test_tokens_are_those_of_the_full_pattern(pieces):
    text = "".join(pieces)
    full = [(m.group(1), m.group(2)) for m in rank._FULL_TOKEN().finditer(text)]
    assert [(m.group(1), m.group(2)) for m in rank._tokens(text)] == full


def test_a_later_pattern_is_compiled_once():
    pattern = later(r"\d+")
    assert pattern() is pattern() and pattern().findall("a1b22") == ["1", "22"]

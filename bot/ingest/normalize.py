"""Normalize extracted text so that the same article always gives the same characters.

What is removed is invisible or hostile (zero-width characters, controls, bidi overrides, tag
characters that can smuggle hidden instructions to a model); what is kept carries meaning
(paragraph breaks, single line breaks, the joiners that Persian, Indic scripts and emoji need).

Joiner choice: U+200C ZWNJ and U+200D ZWJ are kept when both neighbours are non-ASCII,
non-space characters (inside a Persian/Hindi word, inside an emoji sequence such as 👨‍👩‍👧) and
removed elsewhere (stray at a word edge or in ASCII text, where they only break search and
de-duplication). U+200E/U+200F/U+061C directional *marks* are kept: unlike overrides they
cannot reorder text, and they keep mixed right-to-left text readable.
"""

from __future__ import annotations

import re
import unicodedata

# CR, CRLF, and the other Unicode line breaks become "\n" (NEL, VT, FF, LS, PS).
_LINE_BREAKS = re.compile("\r\n?|[\x0b\x0c\x85\u2028\u2029]")

# Zero-width space, word joiner, BOM/ZWNBSP, soft hyphen; bidi embeddings/overrides/isolates.
_INVISIBLE = re.compile("[\u200b\u2060\ufeff\u00ad\u202a-\u202e\u2066-\u2069]")

# A run of joiners is kept only between two non-ASCII, non-space characters.
_JOINERS = re.compile("[\u200c\u200d]+")

# Tag characters (U+E0000-E007F) are invisible yet read by language models ("ASCII smuggling").
# The only legitimate use is an emoji subdivision flag: U+1F3F4, tag letters, CANCEL TAG.
_TAGS = re.compile("(\U0001f3f4[\U000e0020-\U000e007e]{1,12}\U000e007f)|[\U000e0000-\U000e007f]")

# Surrogate code points are not characters: a valid str holds none, but text decoded with
# "surrogateescape" (sys.argv, os.environ) or JSON's "\ud83d" escapes can, and UTF-8 cannot
# encode them (hashing and storing the text would fail).
_SURROGATES = re.compile("[\ud800-\udfff]")

# C0/C1 controls other than "\n" and "\t" (DEL included).
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")

# Horizontal whitespace: tabs and every Unicode space separator.
_HSPACE = r"[\t\x20\xa0\u1680\u2000-\u200a\u202f\u205f\u3000]"
_HSPACE_RUN = re.compile(rf"{_HSPACE}{{2,}}|\t")
_LINE_EDGES = re.compile(rf"^{_HSPACE}+|{_HSPACE}+$", re.MULTILINE)
_BLANK_LINES = re.compile(r"\n{3,}")


def normalize(text: str) -> str:
    """Return ``text`` cleaned for storage, fingerprinting and model input.

    Line breaks are unified to ``"\\n"``; invisible, control, bidi-override and tag characters
    are removed (see the module docstring for joiners); runs of spaces and tabs become one
    space and lines are stripped; three or more newlines become one blank line; the result is
    NFC and stripped. A single non-breaking space (French typography) is left alone. Surrogate
    pairs are joined and lone surrogates dropped, so the result always encodes as UTF-8.
    """
    if _SURROGATES.search(text):
        # A high-low pair becomes the character it encodes; a lone surrogate is dropped.
        text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "ignore")
    # NFC first too: compatibility singletons can turn into ASCII (KELVIN SIGN -> "K"), which
    # changes what the joiner rule sees.
    text = unicodedata.normalize("NFC", text)
    text = _LINE_BREAKS.sub("\n", text)
    text = _INVISIBLE.sub("", text)
    text = _TAGS.sub(lambda m: m.group(1) or "", text)
    text = _CONTROLS.sub("", text)
    text = _JOINERS.sub(_keep_meaningful_joiners, text)
    text = _HSPACE_RUN.sub(" ", text)
    text = _LINE_EDGES.sub("", text)
    text = _BLANK_LINES.sub("\n\n", text)
    # NFC last: removing an invisible character can bring a base letter and its combining mark
    # together ("e<ZWSP>\u0301" -> "é").
    return unicodedata.normalize("NFC", text).strip()


def _keep_meaningful_joiners(match: re.Match[str]) -> str:
    text, start, end = match.string, match.start(), match.end()
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    inside_word = all(not c.isascii() and not c.isspace() for c in (before, after))
    return match.group() if inside_word else ""

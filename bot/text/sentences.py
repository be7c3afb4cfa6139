"""Split text into sentences in any language; every sentence is a verbatim slice of the text.

The splitter is rule-based and needs no model: terminal punctuation ends a sentence, except where
the context says otherwise (decimals, initials, abbreviations, ordinals, lowercase continuations,
text inside a short quotation). Blank lines and single line breaks end sentences too, so a title
line is a sentence of its own; a hard-wrapped line whose next line starts in lowercase continues.

Every script's own marks count (see :mod:`bot.text.scripts`): 。！？ with no space after, the
danda (। ॥), ؟ and ۔, ։ (or ":" after Armenian), ። and ፧, ။, ។ and ៕, the Tibetan shad, the
Greek question mark ";". Thai and Lao mark sentences with a space only, so a space between two
Thai or Lao letters ends one, unless a connective on either side carries the sentence on ("ว่า",
"และ", "ໂດຍ"...) or a side is too short to be a sentence (a name, a dateline); a space beside a
number or a Latin word never does. Khmer and Burmese spaces separate phrases, not sentences.
"""

from __future__ import annotations

import bisect
import functools
import heapq
import re
from typing import NamedTuple

from bot.text.abbreviations import (
    BEFORE_NUMBER,
    DE_MONTHS,
    DE_ORDINAL_CUES,
    FINAL_PAIRS,
    NEVER_FINAL,
)
from bot.text.scripts import (
    ARMENIAN,
    COMMON_TERMINALS,
    CONTINUES_AFTER,
    CONTINUES_BEFORE,
    MARKED_SCRIPTS,
    MIN_SPACED_REST,
    MIN_SPACED_SENTENCE,
    QUESTION_MARKS,
    RARE_TERMINALS,
    SCRIPT_TERMINAL,
    SPACE_BETWEEN_LETTERS,
    SPECIAL_SCRIPTS,
    STRONG_TERMINALS,
    TERMINALS,
    THAI_LAO,
    has_astral,
    is_lowercase,
    script_terminal,
    word_set,
)

__all__ = ["QUESTION_MARKS", "join_sentences", "line_ends", "split_sentences", "word_set"]

_STRONG = frozenset(STRONG_TERMINALS)  # end a sentence even with no space after: 。 । ។ ...
_TERMINALS = frozenset(TERMINALS)
_CLOSERS = "\"'’”“»«」』）)]}〉》】〕›"
_OPENERS = "\"'‘“„«»「『（([{〈《【〔‹¿¡"
_CLOSING = f"([{re.escape(_CLOSERS)}]*)"
# sre scans a short character class faster than a long one, and one holding astral characters
# item by item (7x slower): the marks of rarer scripts are looked for only where they occur.
_TERMINATOR = re.compile(f"([{re.escape(COMMON_TERMINALS)}]+)" + _CLOSING)
_TERMINATOR_ALL = re.compile(f"([{re.escape(TERMINALS)}]+)" + _CLOSING)
# ":" ";" "፡" end sentences only after Armenian, Greek or Ethiopic letters: their own finder.
_SCRIPT_TERMINATOR = re.compile(f"({SCRIPT_TERMINAL})" + _CLOSING)
# Text that ends its Armenian sentences with ։ (or ":") uses "." as a colon or in abbreviations.
_ARMENIAN_COLON = re.compile(f"[{ARMENIAN}]:")
_CJK_STOPS = frozenset("。！？｡")  # followed by no space in running text
_LINE = re.compile(r"[^\n\r\u2028\u2029\x0b\x0c\x85]+")
_BREAK = re.compile(r"\r\n|[\n\r\u2028\u2029\x0b\x0c\x85]")
_QUOTE_CHARS = re.compile('["“”„«»「」『』]')
_OPEN_TO_CLOSE = {"“": "”", "„": "“", "«": "»", "»": "«", "「": "」", "『": "』"}
# A longer "quotation" is a multi-sentence speech or a stray quote mark: split inside it.
_MAX_QUOTE = 280


_ROMAN = re.compile("[IVXLC]+")


class _Rules(NamedTuple):
    """What one text tells about its own conventions, decided once per text."""

    lang: str
    danda: bool  # Hindi, Bengali and kin then use "." for abbreviations only
    armenian: bool  # Armenian then uses "." as a colon or in abbreviations only
    thai_lao: bool  # spaces between Thai or Lao letters may end sentences
    script_marks: bool  # ":" ";" may end Armenian, Greek, Ethiopic sentences
    terminator: re.Pattern[str]


def split_sentences(text: str, language: str = "und") -> list[str]:
    """Split ``text`` into sentences, in order; each is a stripped, verbatim substring of it."""
    return list(_split_cached(text, language)[0])


def line_ends(text: str, language: str = "und") -> list[bool]:
    """Per sentence of :func:`split_sentences`, whether it ends its line (a title line does)."""
    return list(_split_cached(text, language)[1])


def join_sentences(sentences: list[str]) -> str:
    """Join sentences as running text: a space between them, none after 。！？ (CJK)."""
    out: list[str] = []
    for sentence in sentences:
        if out:
            run = terminal_punctuation(out[-1])
            if not (run and set(run) <= _CJK_STOPS):
                out.append(" ")
        out.append(sentence)
    return "".join(out)


@functools.lru_cache(maxsize=16)
def _split_cached(text: str, language: str) -> tuple[tuple[str, ...], tuple[bool, ...]]:
    # The summary and the claim candidates split the same article: split it once.
    pieces = _split(text, language)
    return tuple(piece for piece, _ in pieces), tuple(final for _, final in pieces)


def _split(text: str, language: str) -> list[tuple[str, bool]]:
    """Return (sentence, ends its line) pairs."""
    special = not text.isascii() and SPECIAL_SCRIPTS.search(text) is not None
    marked = special and any(mark in text for mark in ":;፡") and bool(MARKED_SCRIPTS.search(text))
    rules = _Rules(
        base_language(language),
        "।" in text,
        "։" in text or (marked and ":" in text and _ARMENIAN_COLON.search(text) is not None),
        special and THAI_LAO.search(text) is not None,
        marked,
        _TERMINATOR_ALL
        if special and (has_astral(text) or RARE_TERMINALS.search(text))
        else _TERMINATOR,
    )
    sentences: list[tuple[str, bool]] = []
    for start, end in _segments(text):
        segment = text[start:end]
        spans = [span for span in quote_spans(segment) if span[1] - span[0] <= _MAX_QUOTE]
        first, cut, begin = len(sentences), 0, 0
        for stop in _boundaries(segment, spans, rules):
            piece = segment[cut:stop].strip()
            if (
                piece
                and piece[0] in _TERMINALS
                and len(sentences) > first
                and _TERMINALS.issuperset(piece.replace(" ", ""))
            ):
                # Marks alone ("། །" in Tibetan, "! !") close the sentence before them.
                sentences[-1] = (segment[begin:stop].strip(), False)
            elif piece:
                sentences.append((piece, False))
                begin = cut
            cut = stop
        piece = segment[cut:].strip()
        if piece:
            sentences.append((piece, True))
        elif len(sentences) > first:
            sentences[-1] = (sentences[-1][0], True)
    return sentences


def _boundaries(segment: str, spans: list[tuple[int, int]], rules: _Rules) -> list[int]:
    """Return the offsets in ``segment`` where a sentence ends, in order."""
    marks = rules.terminator.finditer(segment)
    finders = [marks]
    if rules.script_marks:
        finders.append(_SCRIPT_TERMINATOR.finditer(segment))
    if rules.thai_lao and THAI_LAO.search(segment):
        finders.append(SPACE_BETWEEN_LETTERS.finditer(segment))
    if len(finders) == 1:  # the common case, one finder
        return [m.end() for m in marks if _is_boundary(segment, m, spans, rules)]
    # Spaces are judged against the last cut, so every candidate is taken in text order.
    stops: list[int] = []
    for match in heapq.merge(*finders, key=lambda m: m.start(1)):
        if match.re is SPACE_BETWEEN_LETTERS:
            if _space_ends(segment, match, stops[-1] if stops else 0, spans):
                stops.append(match.end(1))
        elif _is_boundary(segment, match, spans, rules):
            stops.append(match.end())
    return stops


def _space_ends(segment: str, match: re.Match[str], cut: int, spans: list[tuple[int, int]]) -> bool:
    """Whether a space between Thai or Lao letters ends the sentence begun at ``cut``."""
    start, end = match.span(1)
    if start - cut < MIN_SPACED_SENTENCE or len(segment) - end < MIN_SPACED_REST:
        return False
    if segment.startswith(CONTINUES_BEFORE, end) or segment.endswith(CONTINUES_AFTER, cut, start):
        return False
    return not _inside(spans, start)


def base_language(language: str) -> str:
    """Return the primary subtag of a language tag, casefolded: "de-AT" -> "de"."""
    return re.split(r"[-_]", language.strip().casefold() or "und")[0]


def terminal_punctuation(sentence: str) -> str:
    """Return the sentence-final punctuation run ("." "?!" "。"), closing quotes ignored."""
    end = len(sentence)
    while end and (sentence[end - 1].isspace() or sentence[end - 1] in _CLOSERS):
        end -= 1
    start = end
    while start and sentence[start - 1] in _TERMINALS:
        start -= 1
    return sentence[start:end] if start < end else script_terminal(sentence, end)


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Return the (start, end) of every closed quotation in ``text``, quote marks included.

    Handles “…”, „…“, «…», »…«, ”…”, "…", 「…」 and 『…』; an unclosed quote yields no span.
    Sorted by start; nested quotations give nested spans.
    """
    spans: list[tuple[int, int]] = []
    stack: list[tuple[int, str]] = []
    for match in _QUOTE_CHARS.finditer(text):
        char, pos = match.group(), match.start()
        if char == '"' and 0 < pos < len(text) - 1 and text[pos - 1].isalpha() and (
            text[pos + 1].isalpha()
        ):
            continue  # Hebrew gershayim typed as '"' inside an acronym: צה"ל, ארה"ב
        if stack and stack[-1][1] == char:
            spans.append((stack.pop()[0], pos + 1))
        elif char in _OPEN_TO_CLOSE or char in '"”':
            stack.append((pos, _OPEN_TO_CLOSE.get(char, char)))
    return sorted(spans)


def _segments(text: str) -> list[list[int]]:
    """Return [start, end] of each non-blank line, joining hard-wrapped continuation lines."""
    segments: list[list[int]] = []
    for line in _LINE.finditer(text):
        if not line.group().strip():
            continue
        if segments and _continues(text, segments[-1], line.start()):
            segments[-1][1] = line.end()
        else:
            segments.append([line.start(), line.end()])
    return segments


def _continues(text: str, previous: list[int], start: int) -> bool:
    # One line break, no terminal mark or colon before it, a lowercase letter after it:
    # a hard-wrapped sentence, not a title or a new paragraph.
    if len(_BREAK.findall(text, previous[1], start)) != 1:
        return False
    last = text[max(previous[0], previous[1] - 80) : previous[1]].rstrip()  # the end suffices
    if terminal_punctuation(last) or last.endswith((":", ";")):
        return False
    first = _word_after(text, start)
    return bool(first) and is_lowercase(first[0])


def _inside(spans: list[tuple[int, int]], position: int) -> bool:
    """Whether ``position`` falls strictly inside one of the short, sorted ``spans``."""
    first = bisect.bisect_left(spans, (position - _MAX_QUOTE, 0))
    last = bisect.bisect_left(spans, (position, 0))
    return any(stop > position for _, stop in spans[first:last])


def _is_boundary(
    segment: str, match: re.Match[str], spans: list[tuple[int, int]], rules: _Rules
) -> bool:
    run, closers = match.group(1), match.group(2)
    end = match.end()
    if _inside(spans, end):
        return False  # inside a short quotation: «Je ne sais pas… peut-être», dit-il.
    after = segment[end : end + 1]
    if any(char in _STRONG for char in run):
        if run[-1] == "។" and (
            segment.startswith("ល។", end) or segment.endswith("។ល", 0, match.start())
        ):
            return False  # Khmer "។ល។" is "etc.", not two full stops
        # 「…。」と言った: hiragana right after a closing quote continues the sentence.
        return not (closers and after and "\u3040" <= after <= "\u309f")
    if after and not after.isspace():
        return False  # 6.5 metres, 1.230 km, example.com, e.g., U.S.-based
    following = _word_after(segment, end)
    if following[:1].islower() and is_lowercase(following[0]):
        return False  # an abbreviation or an ellipsis mid-sentence: "ca. zwei", "… and then"
    if run != ".":
        return True
    if rules.armenian and match.start() and "\u0531" <= segment[match.start() - 1] <= "\u0587":
        return False  # "2024 թ." (year), or the Armenian colon
    return not _is_abbreviation(segment, match.start(), following, rules)


def _is_abbreviation(segment: str, dot: int, following: str, rules: _Rules) -> bool:
    """Whether the period at ``dot`` (followed by a capital, digit or uncased word) is not final."""
    raw, start = _word_before(segment, dot)
    token = raw.lstrip(_OPENERS)
    if not token:
        return False
    key = token.casefold()
    if token.isdecimal() and len(token) <= 3:
        before = start
        while before and segment[before - 1] in " \t":
            before -= 1
        if not before or segment[before - 1] in "\r\n":
            return True  # a numbered list item: "1. Install"
        if len(token) <= 2 and following.casefold() in DE_MONTHS:
            return True
        cue = _word_before(segment, start)[0].casefold()
        if rules.lang in ("de", "und") and cue in DE_ORDINAL_CUES:
            return True
    if rules.lang == "de" and _ROMAN.fullmatch(token):
        return True  # "Papst Leo XIV. sagte"
    parts = [part for part in re.split(r"[.\-]", key) if part]
    if parts and all(len(part) == 1 and part.isalpha() for part in parts):
        # Initials and dotted abbreviations: "James E. Webb", "J.-C.", "z. B.", "U.S.", "د."
        previous = _word_before(segment, start)[0]
        if key in FINAL_PAIRS or f"{previous.casefold()} {key}" in FINAL_PAIRS:
            return False
        # A letter after a number is a unit or an era: "5 m.", "1970 م."
        return not (len(parts) == 1 and previous[:1].isdecimal())
    if key in NEVER_FINAL or (key in BEFORE_NUMBER and following[:1].isdecimal()):
        return True
    # Indic scripts (Devanagari to Malayalam) that end sentences with the danda.
    return rules.danda and "\u0900" <= token[-1] <= "\u0d7f"


def _word_before(text: str, end: int) -> tuple[str, int]:
    """Return the whitespace-delimited token ending at ``end`` (skipping spaces) and its start."""
    while end and text[end - 1].isspace():
        end -= 1
    start = end
    while start and not text[start - 1].isspace() and end - start < 40:
        start -= 1
    return text[start:end], start


def _word_after(text: str, pos: int) -> str:
    """Return the word starting after ``pos``, skipping spaces and opening punctuation."""
    size = len(text)
    while pos < size and (text[pos].isspace() or text[pos] in _OPENERS or text[pos] in "-–—"):
        pos += 1
    end = pos
    while end < size and text[end].isalnum() and end - pos < 40:
        end += 1
    return text[pos:end]

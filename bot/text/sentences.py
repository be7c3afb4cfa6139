"""Split text into sentences in any language; every sentence is a verbatim slice of the text.

The splitter is rule-based and needs no model: terminal punctuation ends a sentence, except where
the context says otherwise (decimals, initials, abbreviations, ordinals, lowercase continuations,
text inside a short quotation). Blank lines and single line breaks end sentences too, so a title
line is a sentence of its own; a hard-wrapped line whose next line starts in lowercase continues.
Thai, Lao, Khmer and Burmese prose without sentence marks is split at line breaks only.
"""

from __future__ import annotations

import bisect
import functools
import re

# Need whitespace (or the end of the line) after them: "6.5", "example.com", "e.g.," stay whole.
_WEAK = ".!?…‼⁇⁈⁉\u037e"
# End a sentence even with no space after: CJK marks, Devanagari danda, Arabic question mark,
# Urdu, Armenian, Ethiopic, Burmese and Khmer full stops.
_STRONG = "。！？｡।॥؟۔։።፧။។"
_TERMINALS = _WEAK + _STRONG
QUESTION_MARKS = "?？؟⁇⁈⁉\u037e፧"
_CLOSERS = "\"'’”“»«」』）)]}〉》】〕›"
_OPENERS = "\"'‘“„«»「『（([{〈《【〔‹¿¡"
_TERMINATOR = re.compile(f"([{re.escape(_TERMINALS)}]+)([{re.escape(_CLOSERS)}]*)")
_LINE = re.compile(r"[^\n\r\u2028\u2029\x0b\x0c\x85]+")
_BREAK = re.compile(r"\r\n|[\n\r\u2028\u2029\x0b\x0c\x85]")
_QUOTE_CHARS = re.compile('["“”„«»「」『』]')
_OPEN_TO_CLOSE = {"“": "”", "„": "“", "«": "»", "»": "«", "「": "」", "『": "』"}
# A longer "quotation" is a multi-sentence speech or a stray quote mark: split inside it.
_MAX_QUOTE = 280


def word_set(*groups: str) -> frozenset[str]:
    """Return the casefolded words of space-separated word lists, as one set."""
    return frozenset(word for group in groups for word in group.casefold().split())


# Abbreviations a period never ends (casefolded, without their final period). A few languages
# each; the union serves every text, since names and quotes cross language borders.
_NEVER_FINAL = word_set(
    "mr mrs ms dr prof st jr sr rev gen col lt sgt capt gov sen hon messrs vs viz cf approx dept",
    "hr hrn fr frl dipl ing bzw bspw ca evtl ggf inkl sog vgl zzgl mio mrd tsd nr",  # de
    "mme mlle mgr ste av apr env",  # fr
    "sra srta sres dra dña lic arq avda pág núm ud uds",  # es
    "sig sigg dott avv geom",  # it
    "exmo",  # pt
    "г-н г-жа проф акад им ул напр",  # ru
    "डॉ प्रो",  # hi
    "tp ths pgs",  # vi
)
# Abbreviations that only end a sentence when no number follows: "No. 5", "pp. 12", "Jan. 3".
_BEFORE_NUMBER = word_set(
    "no nos núm num art abs pp vol fig tab ch chap sec par pag str tel jan feb mar apr jun jul "
    "aug sep sept oct okt nov dec dez janv févr avr juil déc ene abr ago dic"
)
# Dotted abbreviations that often end sentences: "и т. д." (etc.), "at 5 p.m."
_FINAL_PAIRS = frozenset({"т. д", "т. п", "т.д", "т.п", "a.m", "p.m"})
# German ordinals: "am 3. Oktober", "im 19. Jahrhundert", "der 2. Platz".
_DE_MONTHS = word_set(
    "januar jänner februar märz april mai juni juli august september oktober november dezember"
)
_DE_ORDINAL_CUES = word_set("am im vom zum zur beim der die das den dem des seit ab bis")
_ROMAN = re.compile("[IVXLC]+")


def split_sentences(text: str, language: str = "und") -> list[str]:
    """Split ``text`` into sentences, in order; each is a stripped, verbatim substring of it."""
    return list(_split_cached(text, language))


@functools.lru_cache(maxsize=16)
def _split_cached(text: str, language: str) -> tuple[str, ...]:
    # The summary and the claim candidates split the same article: split it once.
    return tuple(_split(text, language))


def _split(text: str, language: str) -> list[str]:
    lang = base_language(language)
    danda = "।" in text  # Hindi and kin then use "." for abbreviations only
    sentences: list[str] = []
    for start, end in _segments(text):
        segment = text[start:end]
        spans = [span for span in quote_spans(segment) if span[1] - span[0] <= _MAX_QUOTE]
        cut = 0
        for match in _TERMINATOR.finditer(segment):
            if _is_boundary(segment, match, spans, lang, danda):
                sentences.append(segment[cut : match.end()].strip())
                cut = match.end()
        sentences.append(segment[cut:].strip())
    return [sentence for sentence in sentences if sentence]


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
    return sentence[start:end]


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Return the (start, end) of every closed quotation in ``text``, quote marks included.

    Handles “…”, „…“, «…», »…«, ”…”, "…", 「…」 and 『…』; an unclosed quote yields no span.
    Sorted by start; nested quotations give nested spans.
    """
    spans: list[tuple[int, int]] = []
    stack: list[tuple[int, str]] = []
    for match in _QUOTE_CHARS.finditer(text):
        char, pos = match.group(), match.start()
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
    return first[:1].islower()


def _inside(spans: list[tuple[int, int]], position: int) -> bool:
    """Whether ``position`` falls strictly inside one of the short, sorted ``spans``."""
    first = bisect.bisect_left(spans, (position - _MAX_QUOTE, 0))
    last = bisect.bisect_left(spans, (position, 0))
    return any(stop > position for _, stop in spans[first:last])


def _is_boundary(
    segment: str, match: re.Match[str], spans: list[tuple[int, int]], lang: str, danda: bool
) -> bool:
    run, closers = match.group(1), match.group(2)
    end = match.end()
    if _inside(spans, end):
        return False  # inside a short quotation: «Je ne sais pas… peut-être», dit-il.
    after = segment[end : end + 1]
    if any(char in _STRONG for char in run):
        # 「…。」と言った: hiragana right after a closing quote continues the sentence.
        return not (closers and after and "\u3040" <= after <= "\u309f")
    if after and not after.isspace():
        return False  # 6.5 metres, 1.230 km, example.com, e.g., U.S.-based
    following = _word_after(segment, end)
    if following[:1].islower():
        return False  # an abbreviation or an ellipsis mid-sentence: "ca. zwei", "… and then"
    if run != ".":
        return True
    return not _is_abbreviation(segment, match.start(), following, lang, danda)


def _is_abbreviation(segment: str, dot: int, following: str, lang: str, danda: bool) -> bool:
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
        if len(token) <= 2 and following.casefold() in _DE_MONTHS:
            return True
        if lang in ("de", "und") and _word_before(segment, start)[0].casefold() in _DE_ORDINAL_CUES:
            return True
    if lang == "de" and _ROMAN.fullmatch(token):
        return True  # "Papst Leo XIV. sagte"
    parts = [part for part in re.split(r"[.\-]", key) if part]
    if parts and all(len(part) == 1 and part.isalpha() for part in parts):
        # Initials and dotted abbreviations: "James E. Webb", "J.-C.", "z. B.", "U.S.", "د."
        previous = _word_before(segment, start)[0]
        if key in _FINAL_PAIRS or f"{previous.casefold()} {key}" in _FINAL_PAIRS:
            return False
        # A letter after a number is a unit or an era: "5 m.", "1970 م."
        return not (len(parts) == 1 and previous[:1].isdecimal())
    if key in _NEVER_FINAL or (key in _BEFORE_NUMBER and following[:1].isdecimal()):
        return True
    return danda and "\u0900" <= token[-1] <= "\u097f"


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

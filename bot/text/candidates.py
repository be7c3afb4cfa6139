"""Rule-based candidates for check-worthy claims, in any language, without a model.

A candidate is a whole sentence from :func:`split_sentences`, verbatim. Titles, headings, short
fragments, questions and quoted opinions (a sentence mostly inside quotation marks, the rest an
attribution) are never candidates; a quotation holding a number still is, as a quoted statistic
can be checked. The others are scored by what fact-checkers look for, and the best ``limit`` are
returned in article order. The signals, summed:

- numbers in any script: ``\\d`` matches ASCII, Arabic-Indic, Devanagari and full-width digits;
- dates: years 1000-2100, a number beside a month name, 年/月/日 after a number, weekdays and
  "yesterday"-like words; percentages (% ٪ ％ ‰ and the word in a few languages);
- amounts: currency signs and names, scale words (million, Milliarde, 万, लाख, مليار...),
  a number followed by a unit or noun, and number words ("twenty", "moitié", "一千万人");
- superlatives and ordinals ("first", "längste", "أطول", "最も"), which mark checkable records;
- proper names in cased scripts: runs of capitalised words not opening the sentence, acronyms
  and codes (NASA, GPT-5, o4-mini). German capitalises every noun, so a lone capitalised word
  counts a third there, while runs ("Schweizer Alpen") and acronyms count fully;
- scripts without case have no capitalised names. Japanese, whose kana break up the Han
  compounds, gets katakana runs (foreign names, loanwords) and Han compounds of 4+ characters
  (place names, institutions) instead; Chinese is all Han with no spaces, so it relies on numbers
  and markers; Arabic, Hebrew, Devanagari and the rest on numbers, quantities and markers only.

A sentence in a cased script needs at least one signal. Every sentence also gets its LexRank
centrality in the article (the graph the summary ranks, scaled to 0-1) added: it breaks ties,
and it lets a sentence in a caseless script, whose names cannot be seen, enter on centrality
alone, so that Arabic articles still yield their statements.
"""

from __future__ import annotations

import re

from bot.text.charsets import Chars, later
from bot.text.rank import centrality, content_indexes, stop_words, words
from bot.text.scripts import INNER_QUESTION, has_case
from bot.text.sentences import (
    QUESTION_MARKS,
    base_language,
    line_ends,
    quote_spans,
    split_sentences,
    terminal_punctuation,
    word_set,
)
from bot.text.vocabulary import (
    EITHER_SCRIPTS,
    MARKERS,
    MONEY_AND_SCALE,
    MONTH_STEMS,
    MONTHS,
    NUMBER_WORDS,
    OTHER_MONEY_AND_SCALE,
    OTHER_MONTHS,
    OTHER_PERCENT,
    PERCENT_STEMS,
    STEMMED_SCRIPTS,
    TIME_WORDS,
    UNSPACED_MONEY_AND_SCALE,
    UNSPACED_MONTH,
    UNSPACED_PERCENT,
    UNSPACED_SCRIPTS,
)

# Digits of every script (\d), Ethiopic numerals (not decimal digits), Arabic separators.
_NUMBER = re.compile(r"[\d\u1369-\u137c]+(?:[.,\u00a0\u202f\u066b\u066c][\d\u1369-\u137c]+)*")
_QUANTITY = re.compile(r"\d[\d.,]*\s?[^\W\d_]")  # "18 gold", "1.230 Kilometern", "3776メートル"
_CJK_DATE = re.compile(r"[\d〇一二三四五六七八九十]\s?[年月日]")
_CJK_AMOUNT = re.compile(
    r"[\d〇一二三四五六七八九十百千两]+[百千万億兆亿]|[一二三四五六七八九十两][人倍]"
)
_PERCENT = re.compile(
    r"[%٪％‰]|\b(?:percent|per cent|pour cent|prozent|por ciento|per cento|por cento|procent|"
    r"процент\w*|प्रतिशत)\b",
    re.IGNORECASE,
)
_PERCENT_SIGN = re.compile(r"[%٪％‰]")
_PERCENT_HINTS = word_set("percent cent cento ciento prozent procent प्रतिशत")
_CURRENCY = re.compile(r"[$€£¥₹₽₩₺₪₦]")
_CJK_CURRENCY = re.compile(r"\d\s?(?:円|元|ドル|ユーロ)")
_CJK = Chars("\u3000-\u9fff\uf900-\ufaff\uff00-\uffef")  # what the _CJK_ patterns need
_CJK_MARKERS = re.compile(r"最[^近新]|初めて|唯一|首次|第一")
_KATAKANA = re.compile(r"[\u30a1-\u30fa\u30fc]{3,}")
_HAN_COMPOUND = later(r"[\u4e00-\u9fff]{4,}")  # for Japanese only: compiled when it comes
_HIRAGANA = re.compile(r"[\u3040-\u309f]")


_NAME_CAP = 3.0


def claim_candidates(text: str, language: str = "und", limit: int = 12) -> list[str]:
    """Return up to ``limit`` check-worthy sentences of ``text``, verbatim, in article order."""
    sentences = split_sentences(text, language)
    if limit <= 0 or not sentences:
        return []
    seen: set[str] = set()
    eligible = []
    for index in content_indexes(sentences, ends=line_ends(text, language)):
        sentence = sentences[index]
        if sentence not in seen and _is_statement(sentence):
            seen.add(sentence)
            eligible.append(index)
    central = centrality(text, language)
    scores = [central.get(i, 0.0) for i in eligible]
    top = max(scores, default=0.0) or 1.0
    scored = []
    for k, index in enumerate(eligible):
        signals = claim_score(sentences[index], language)
        # Without letter case names are invisible, so a caseless sentence may enter on
        # centrality alone; a cased one needs at least one signal.
        if signals > 0 or not has_case(sentences[index]):
            scored.append((signals + scores[k] / top, index))
    best = sorted(scored, key=lambda pair: (-pair[0], pair[1]))[:limit]
    return [sentences[index] for index in sorted(index for _, index in best)]


def claim_score(sentence: str, language: str = "und") -> float:
    """Return the check-worthiness signals of one sentence (0 when it has none)."""
    tokens = words(sentence)
    folded = [token.casefold() for token in tokens]
    bare = set(folded)
    bare.update(_strip_arabic_prefix(word) for word in folded if word[0] in "وا")
    # Most sentences have no CJK character: their five CJK patterns are not run at all.
    cjk = _CJK.found_in(sentence)
    numbers = _NUMBER.findall(sentence)
    # The word lists of other scripts are consulted only for text outside ASCII; those of
    # the scripts without spaces (Thai, Lao, Khmer, Burmese) are searched inside the runs.
    native = not sentence.isascii()
    either = native and EITHER_SCRIPTS.search(sentence) is not None
    unspaced = either and UNSPACED_SCRIPTS.search(sentence) is not None
    stemmed = either and STEMMED_SCRIPTS.search(sentence) is not None
    score = 0.0
    if numbers:
        score += min(1.5 + 0.5 * (len(numbers) - 1), 3.0)
    if _dated(sentence, numbers, bare, cjk, native, unspaced, stemmed):
        score += 1.0
    if bare & TIME_WORDS:
        score += 0.5
    if _has_percent(sentence, bare) or (
        native and _native_percent(sentence, bare, unspaced, stemmed)
    ):
        score += 1.0
    if (_CURRENCY.search(sentence) or bare & MONEY_AND_SCALE
            or (cjk and (_CJK_CURRENCY.search(sentence) or _CJK_AMOUNT.search(sentence)))
            or (native and bare & OTHER_MONEY_AND_SCALE)
            or (unspaced and UNSPACED_MONEY_AND_SCALE.search(sentence))):
        score += 1.0
    if _QUANTITY.search(sentence):
        score += 0.5
    if bare & NUMBER_WORDS:
        score += 1.0
    if bare & MARKERS or (cjk and _CJK_MARKERS.search(sentence)):
        score += 1.0
    return score + _name_score(sentence, tokens, folded, base_language(language))


def _dated(
    sentence: str,
    numbers: list[str],
    bare: set[str],
    cjk: bool,
    native: bool,
    unspaced: bool,
    stemmed: bool,
) -> bool:
    """A year (Buddhist-era years 2400-2700 too, in Thai, Lao, Khmer and Burmese text), a
    number beside a month's name, or a CJK date (十月 needs no digit)."""
    if cjk and _CJK_DATE.search(sentence):
        return True
    if not numbers:
        return False
    for number in numbers:
        if len(number) == 4 and number.isdecimal():
            year = int(number)
            if 1000 <= year <= 2100 or (unspaced and 2400 <= year <= 2700):
                return True
    if bare & MONTHS:
        return True
    if not native:
        return False
    return bool(
        bare & OTHER_MONTHS
        or (stemmed and any(word[:4] in MONTH_STEMS for word in bare))
        or (unspaced and UNSPACED_MONTH.search(sentence))
    )


def _native_percent(sentence: str, bare: set[str], unspaced: bool, stemmed: bool) -> bool:
    if bare & OTHER_PERCENT or (stemmed and any(w.startswith(PERCENT_STEMS) for w in bare)):
        return True
    return unspaced and UNSPACED_PERCENT.search(sentence) is not None


def _has_percent(sentence: str, bare: set[str]) -> bool:
    if _PERCENT_SIGN.search(sentence):
        return True
    # The spelled-out forms are rare: their case-blind pattern runs only when a word hints.
    hinted = bare & _PERCENT_HINTS or "роцент" in sentence
    return bool(hinted and _PERCENT.search(sentence))


def _name_score(sentence: str, tokens: list[str], folded: list[str], lang: str) -> float:
    """Proper-name evidence: capitalised runs in cased scripts, kana/Han compounds in Japanese.

    ``tokens`` are the sentence's words as written, ``folded`` the same casefolded.
    """
    score = 0.0
    if _HIRAGANA.search(sentence):
        score += min(0.75 * len(_KATAKANA.findall(sentence)), 1.5)
        score += min(0.5 * len(_HAN_COMPOUND().findall(sentence)), 1.5)
    stops = stop_words(lang)
    capitals = [len(token) > 1 and token.isupper() for token in [*tokens, ""]]
    # Words in capitals side by side are shouting ("ALL CLAIMS VERIFIED"), not a name.
    shouting = [capitals[i] and (capitals[i - 1] or capitals[i + 1]) for i in range(len(tokens))]
    named = [
        _is_name_like(token) and folded[i] not in stops and not shouting[i]
        for i, token in enumerate(tokens)
    ]
    # The opening word is capitalised anyway: it counts only as part of a longer name
    # ("Nicholas Carlini") or as an acronym ("NASA's").
    if named and not _is_coded(tokens[0]):
        named[0] = named[0] and len(named) > 1 and named[1]
    run: list[str] = []
    for token, is_name in zip([*tokens, ""], [*named, False], strict=True):
        if is_name:
            run.append(token)
        elif run:
            score += _run_score(run, lang)
            run = []
    return min(score, _NAME_CAP)


def _run_score(run: list[str], lang: str) -> float:
    if len(run) > 1:
        return 1.0 + 0.5 * (len(run) - 1)
    # German capitalises every noun: a lone capitalised word is weak evidence of a name there.
    return 0.35 if lang in ("de", "lb") and not _is_coded(run[0]) else 1.0


def _is_coded(token: str) -> bool:
    """Acronyms and codes: "NASA", "OpenAI", "GPT5", "o4"."""
    return sum(char.isupper() for char in token) > 1 or (
        token[:1].isalpha() and any(char.isdecimal() for char in token)
    )


def _is_name_like(token: str) -> bool:
    if not token:
        return False
    first, rest = token[0], token[1:]
    if first.isupper():
        return True
    if not first.islower() or (rest.islower() and rest.isalpha()):
        return False  # the common case, a plain word, decided without a loop
    # Model names and codes: "o4-mini", "iPhone", "x86".
    return any(c.isdecimal() or c.isupper() for c in rest)


def _strip_arabic_prefix(word: str) -> str:
    # Arabic attaches "and" (و) and "the" (ال) to the word: والأطول -> أطول.
    if word.startswith("و") and len(word) > 3:
        word = word[1:]
    return word[2:] if word.startswith("ال") and len(word) > 4 else word


def _is_statement(sentence: str) -> bool:
    """False for questions, datelines, and quoted opinions without a number in the quotation."""
    if any(mark in QUESTION_MARKS for mark in terminal_punctuation(sentence)):
        return False
    if sentence.lstrip().startswith("¿") or INNER_QUESTION in sentence or _is_dateline(sentence):
        return False  # Spanish opens its questions, Armenian marks them on the stressed word
    spans = _merged(quote_spans(sentence))
    quoted = sum(stop - start for start, stop in spans)
    if quoted * 2 < len(sentence.strip()):
        return True
    return any(char.isdecimal() for start, stop in spans for char in sentence[start:stop])


def _is_dateline(sentence: str) -> bool:
    """A news dateline standing alone: "MOSCOW, March 12.", "МОСКВА, 12 марта 2025 года." —
    a place in capitals, a comma, then a date (numbers and month names, with at most one other
    word such as "года") and nothing else."""
    place, comma, rest = sentence.strip().partition(",")
    if not comma or len(place) < 3 or not place.isupper():
        return False
    tokens = [token.casefold() for token in words(rest)]
    dated = [token for token in tokens if token.isdecimal() or token in MONTHS]
    return bool(dated) and len(tokens) - len(dated) <= 1


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, stop in spans:  # sorted by start
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(stop, merged[-1][1]))
        else:
            merged.append((start, stop))
    return merged

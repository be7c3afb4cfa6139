"""Detect the language of an article, a title or a claim.

Two detectors, each where it is good: langdetect on article-length text (fast and accurate
there, but poor on short text, and random unless seeded), and lingua on short text (accurate on
a few words, with confidence values that let us answer ``und`` instead of guessing). lingua is
limited to :data:`SUPPORTED_LANGUAGES` because each language costs memory: about 28 MB per
Latin-script language in high-accuracy mode, all 75 languages would take over 1 GB.
"""

from __future__ import annotations

import functools
import gc
import re
import threading
from typing import TYPE_CHECKING

from bot.records import Language

if TYPE_CHECKING:
    from langdetect.detector_factory import DetectorFactory
    from lingua import LanguageDetector

SUPPORTED_LANGUAGES: frozenset[str] = frozenset(
    {
        # Latin script
        "en", "fr", "de", "es", "it", "pt", "nl", "pl", "tr", "vi", "id", "sv", "da", "fi",
        "cs", "ro", "hu",
        # other scripts
        "ru", "uk", "el", "ar", "fa", "he", "hi", "th", "ja", "zh", "ko",
    }
)  # fmt: skip
"""ISO 639-1 codes the short-text detector knows (Chinese comes out as zh-Hans/zh-Hant/zh)."""

UNDETERMINED = Language("und", 0.0)

LONG_TEXT_LETTERS = 150  # ~200 characters of prose: langdetect is reliable from here, lingua below
MIN_LETTERS = 2  # fewer letters than this is not language ("12:30", "!!!", "a")
SHORT_THRESHOLD = 0.4  # lingua's top confidence below this means "unsure": und
LONG_THRESHOLD = 0.5  # langdetect's top probability below this: ask lingua instead
LONG_SAMPLE_CHARS = 300  # what langdetect reads of a long text
_LINGUA_MAX_CHARS = 2000  # enough for a verdict, bounds the cost on a long fallback

_URLS = re.compile(r"https?://\S+|www\.\S+|\S+@\S+\.\w+")
"""What :func:`strip_urls` removes (the reference; on long tokens it backtracks for minutes)."""
_WEB = re.compile(r"https?://\S+|www\.\S+")
_TOKENS = re.compile(r"\S+")
_DOMAIN_DOT = re.compile(r"\.(?=\w)")
_WORD_RUN = re.compile(r"\w*")
_KANA = re.compile("[\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f]")
_HANGUL = re.compile("[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]")
_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# Frequent characters whose simplified and traditional forms differ (pairs in the same order;
# the last two traditional ones are common variants).
_SIMPLIFIED = set(
    "这个们来说时国会对学发经过与见开关实现为还点无长问题东车门书体头听记让证应电话业从当变气党岁议战区历义亲观联陆欧华语认动进边种样税争决报将强条员场万网钱银价买卖"
)
_TRADITIONAL = set(
    "這個們來說時國會對學發經過與見開關實現為還點無長問題東車門書體頭聽記讓證應電話業從當變氣黨歲議戰區歷義親觀聯陸歐華語認動進邊種樣稅爭決報將強條員場萬網錢銀價買賣爲説"
)

_BUILD_LOCK = threading.Lock()
_WARM_UP_TEXTS = (
    "The committee will publish its report",
    "Комитет опубликует доклад",
    "ستنشر اللجنة تقريرها",
    "Η επιτροπή θα δημοσιεύσει",
    "הוועדה תפרסם",
)


def detect_language(text: str) -> Language:
    """Return the language of ``text`` as a BCP-47 code with a confidence in [0, 1].

    Article-length text (150 letters or more, about 200 characters) goes to langdetect; shorter
    text, or text langdetect is unsure about, goes to lingua.
    Chinese is ``zh-Hans`` or ``zh-Hant`` when the characters say which (else ``zh``). When
    unsure, or when there is too little text (empty, digits, punctuation, a URL), the answer
    is ``Language("und", 0.0)``. Never raises.
    """
    try:
        # Both detectors read at most the opening _LINGUA_MAX_CHARS: clean only that much.
        text = strip_urls((text or "")[: _LINGUA_MAX_CHARS * 2]).strip()[:_LINGUA_MAX_CHARS]
        # Letters, not characters, decide: 300 characters of figures around "Hola" is short text.
        letters = sum(ch.isalpha() for ch in text)
        if letters < MIN_LETTERS:
            return UNDETERMINED
        if letters >= LONG_TEXT_LETTERS:
            found = _detect_long(text)
            if found is not None:
                return found
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


def warm_up() -> None:
    """Load both detectors and their models now instead of during the first detection.

    lingua loads a script's models on first use; this touches the scripts whose models are
    heavy. Measured on this machine: ~7 s and ~600 MB of RSS, nearly all of it the Latin-script
    models (without warm-up the first Latin-script title pays ~4 s instead).
    """
    detector = _short_detector()
    for text in _WARM_UP_TEXTS:
        detector.compute_language_confidence_values(text)
    _long_factory()


def _detect_long(text: str) -> Language | None:
    from langdetect.lang_detect_exception import LangDetectException

    detector = _long_factory().create()
    # Speed at no cost on article-length text: 300 characters and one sampling trial settle
    # the language as well as the whole text and langdetect's 7 trials. Measured: on 340
    # windows of 25 to 500 characters in 27 languages no answer changed from 3 trials to 1
    # (but for two Chinese windows that 3 trials took for Korean); on 320 article openings
    # in 27 languages, none changed from 500 characters to 300 (nor to 200).
    detector.set_max_text_length(LONG_SAMPLE_CHARS)
    detector.n_trial = 1
    # It reads the first LONG_SAMPLE_CHARS characters left by its own URL and e-mail regexes;
    # ours removed those already, so a prefix spares its regexes the rest of the article.
    detector.append(text[: LONG_SAMPLE_CHARS * 2])
    try:
        guesses = detector.get_probabilities()
    except LangDetectException:  # no usable features (e.g. only symbols)
        return None
    # langdetect's Korean profile contains Hanja, so Chinese can come back as "ko" (0.43 for a
    # traditional-Chinese paragraph): drop answers whose script is absent, share out the rest.
    possible = [guess for guess in guesses if _script_fits(guess.lang, text)]
    total = sum(guess.prob for guess in possible)
    if not possible or possible[0].prob / total < LONG_THRESHOLD:
        return None
    code = {"zh-cn": "zh-Hans", "zh-tw": "zh-Hant"}.get(possible[0].lang, possible[0].lang)
    return Language(code, _clamp(possible[0].prob / total))


def _detect_short(text: str) -> Language:
    values = _short_detector().compute_language_confidence_values(text[:_LINGUA_MAX_CHARS])
    if not values or values[0].value < SHORT_THRESHOLD:
        return UNDETERMINED
    code = values[0].language.iso_code_639_1.name.lower()
    if code == "zh":
        code = _chinese_script(text)
    return Language(code, _clamp(values[0].value))


def _script_fits(code: str, text: str) -> bool:
    if code == "ko":
        return _HANGUL.search(text) is not None
    if code == "ja":
        return _KANA.search(text) is not None
    if code.startswith("zh"):
        return _HAN.search(text) is not None
    return True


def _chinese_script(text: str) -> str:
    simplified = sum(ch in _SIMPLIFIED for ch in text)
    traditional = sum(ch in _TRADITIONAL for ch in text)
    if simplified > traditional:
        return "zh-Hans"
    if traditional > simplified:
        return "zh-Hant"
    return "zh"


def _clamp(value: float) -> float:
    return round(min(1.0, max(0.0, float(value))), 4)


def _short_detector() -> LanguageDetector:
    # The lock makes concurrent first calls build one detector, not one each (~600 MB each).
    with _BUILD_LOCK:
        return _build_short_detector()


@functools.cache
def _build_short_detector() -> LanguageDetector:
    from lingua import IsoCode639_1, LanguageDetectorBuilder
    from lingua import Language as LinguaLanguage

    languages = [
        LinguaLanguage.from_iso_code_639_1(getattr(IsoCode639_1, code.upper()))
        for code in sorted(SUPPORTED_LANGUAGES)
    ]
    # High-accuracy mode (the default): low-accuracy mode uses a tenth of the memory but is
    # confidently wrong on short text ("Tokyo 2020" -> Vietnamese 0.89).
    return LanguageDetectorBuilder.from_languages(*languages).build()


def _long_factory() -> DetectorFactory:
    with _BUILD_LOCK:
        return _build_long_factory()


@functools.cache
def _build_long_factory() -> DetectorFactory:
    from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory

    # Seeded, langdetect is deterministic; unseeded, "Brexit deal" changes language per call.
    DetectorFactory.seed = 0
    factory = DetectorFactory()
    factory.load_profile(PROFILES_DIRECTORY)
    # The profiles are ~700k long-lived objects; left to the garbage collector, every full
    # collection walks them all (measured: a check took 2x as long). They never die: freeze.
    gc.freeze()
    return factory

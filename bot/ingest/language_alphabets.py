"""The letters each language is written with: a text holding a letter its alphabet lacks is
unlikely to be in it.

fastText and lingua read character n-grams and, on two or three words, often name a language
whose alphabet cannot spell the text: Māori for "Zosu kāsis" (Māori has no z or s), Yoruba
for "Kŕdeľ husí" (ŕ and ľ are Slovak's), Belarusian for Kyrgyz "чейин" (Belarusian writes і,
never и). The alphabets below are the standard orthographies (lowercase, precomposed letters;
tone and other combining marks left aside), with the letters of common loanwords where a
language writes them often (English café, German Baby); a letter outside them is a penalty,
not a ban, as names and loanwords bring any letter. Languages not listed (most written in
scripts that bot.ingest.language_rules already decides) are never penalised.
"""

from __future__ import annotations

import functools
import unicodedata
from collections import Counter

_AZ = "abcdefghijklmnopqrstuvwxyz"
_RU = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"


def _latin(extra: str = "", without: str = "") -> frozenset[str]:
    return frozenset(c for c in _AZ if c not in without) | frozenset(extra)


_SERBO_CROATIAN_LATIN = _latin("čćđšž", without="qwxy")
_NORWEGIAN = _latin("æøåéèêóòôü")
_YORUBA = _latin("ẹọṣàáèéìíòóùúńǹḿāēīōū", without="cqvxz")
_SERBIAN = frozenset("абвгдђежзијклљмнњопрстћуфхцчџш") | _SERBO_CROATIAN_LATIN

ALPHABETS: dict[str, frozenset[str]] = {
    # Latin
    "af": _latin("áäéèêëíîïóôöúûüý"),
    "az": _latin("çəğıöşü", without="w"),
    "bs": _SERBO_CROATIAN_LATIN,
    "ca": _latin("àçèéíïòóúüŀ"),
    "cs": _latin("áčďéěíňóřšťúůýž"),
    "cy": _latin("âêîôûŵŷáéíóúẃýàèìòùẁỳäëïöüẅÿ", without="kqvxz"),
    "da": _latin("æøåéü"),
    "de": _latin("äöüßé"),
    "en": _latin("éèàâêîôûçëïüöäñ"),
    "eo": _latin("ĉĝĥĵŝŭ", without="qwxy"),
    "es": _latin("áéíñóúü"),
    "et": _latin("äöõüšž"),
    "eu": _latin("ñçü"),
    "fi": _latin("äöåšž"),
    "fr": _latin("àâæçéèêëîïôœùûüÿ"),
    "ga": _latin("áéíóú"),
    "gd": _latin("àèìòùáéó", without="jkqvwxyz"),
    "gl": _latin("áéíóúñü"),
    "hr": _SERBO_CROATIAN_LATIN,
    "ht": _latin("èò", without="qx"),
    "hu": _latin("áéíóöőúüű"),
    "id": _latin("é"),
    "is": _latin("áðéíóúýþæö", without="cqwz"),
    "it": _latin("àèéìíòóùú"),
    "ku": _latin("çêîşû"),
    "la": _latin("āēīōūȳăĕĭŏŭæœ", without="w"),
    "lg": _latin("ŋ", without="hqx"),
    "lt": _latin("ąčęėįšųūž", without="qwx"),
    "lv": _latin("āčēģīķļņšūž", without="qwxy"),
    "mg": _latin("àâèéêëìîïñòôõö", without="cquwx"),
    "mi": frozenset("aehikmnoprtuwgāēīōū"),
    "ms": _latin("é"),
    "mt": _latin("ċġħżàèìòùáéíóú", without="cy"),
    "nb": _NORWEGIAN,
    "nl": _latin("áéëèïóöüíúà"),
    "nn": _NORWEGIAN,
    "no": _NORWEGIAN,
    "pl": _latin("ąćęłńóśźż", without="qvx"),
    "pt": _latin("áâãàçéêíóôõúü"),
    "qu": _latin("ñ", without="bdfgjvxz"),
    "ro": _latin("ăâîșțşţ"),
    "sk": _latin("áäčďéíĺľňóôŕšťúýž"),
    "sl": _latin("čšžćđ", without="qwxy"),
    "sn": _latin("", without="lqx"),
    "so": _latin("", without="pvz"),
    "sq": _latin("çë", without="w"),
    "sr": _SERBIAN,
    "st": _latin("šêô", without="cvxz"),
    "sv": _latin("åäöé"),
    "sw": _latin("", without="qx"),
    "tk": _latin("äçňöşüýž", without="cqvwx"),
    "tl": _latin("ñ"),
    "tn": _latin("šêô", without="cqvxz"),
    "tr": _latin("çğıöşüâîû", without="qwx"),
    "ts": _latin(""),
    "uz": _latin("ʻʼ", without="w"),
    "vi": _latin(
        "àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ",
        without="fjwz"),
    "xh": _latin(""),
    "yo": _YORUBA,
    "zu": _latin(""),
    # Cyrillic
    "ba": frozenset(_RU + "әөүғҡңҙҫһ"),
    "be": frozenset("абвгдеёжзійклмнопрстуўфхцчшыьэюя"),
    "bg": frozenset("абвгдежзийклмнопрстуфхцчшщъьюя"),
    "kk": frozenset(_RU + "әғқңөұүһі"),
    "ky": frozenset(_RU + "ңөү"),
    "mk": frozenset("абвгдѓежзѕијклљмнњопрстќуфхцчџш"),
    "mn": frozenset(_RU + "өү"),
    "ru": frozenset(_RU),
    "tg": frozenset("абвгғдеёжзиӣйкқлмнопрстуӯфхҳчҷшъэюя"),
    "tt": frozenset(_RU + "әөүҗңһ"),
    "uk": frozenset("абвгґдеєжзиіїйклмнопрстуфхцчшщьюя"),
}
"""Language -> the lowercase letters of its alphabet (Serbian in both of its scripts)."""


PENALTY = 0.1
"""The belief kept by a language for each letter of the text its alphabet lacks."""


def weigh_by_alphabet(text: str, beliefs: Counter[str]) -> Counter[str]:
    """``beliefs`` with each language's belief cut by :data:`PENALTY` per foreign letter.

    The belief taken from languages that cannot spell the text goes to those that can, in
    proportion (the total is kept), unless the text holds a letter that no alphabet here has
    (Hausa's ɗ, ƙ): then the text may be in a language no detector knows, and the lost belief
    stays lost, towards ``und``.
    """
    letters = _letters(text)
    if not letters:
        return beliefs
    weighed = Counter({code: value * PENALTY ** _foreign(letters, code)
                       for code, value in beliefs.items()})
    before, after = sum(beliefs.values()), sum(weighed.values())
    if after <= 0 or after == before or _unknown(letters):
        return weighed
    return Counter({code: value * before / after for code, value in weighed.items()})


def foreign_letters(text: str, code: str) -> int:
    """How many different letters of ``text`` the alphabet of ``code`` lacks (0 if unknown).

    Only letters of the scripts the alphabet is written in count (a Latin word quoted in a
    Cyrillic text does not make it less Russian).
    """
    return _foreign(_letters(text), code)


def _foreign(letters: set[str], code: str) -> int:
    alphabet = ALPHABETS.get(code)
    if alphabet is None:
        return 0
    scripts = _SCRIPTS[code]
    return sum(1 for c in letters if c not in alphabet and _script(c) in scripts)


def _unknown(letters: set[str]) -> bool:
    return any(c not in _ALL_LETTERS and _script(c) in _ALL_SCRIPTS for c in letters)


def _letters(text: str) -> set[str]:
    # Precomposed where Unicode has the letter (NFC), combining marks that remain set aside.
    return {c for c in unicodedata.normalize("NFC", text.lower()) if c.isalpha()}


@functools.lru_cache(maxsize=4096)  # bounded: a bot reads text in every script
def _script(char: str) -> str:
    """The first word of the character's Unicode name: LATIN, CYRILLIC, MODIFIER ..."""
    return unicodedata.name(char, "").split(" ", 1)[0]


_SCRIPTS = {code: frozenset(_script(c) for c in alphabet) for code, alphabet in ALPHABETS.items()}
_ALL_LETTERS = frozenset().union(*ALPHABETS.values())
_ALL_SCRIPTS = frozenset(_script(c) for c in _ALL_LETTERS)

"""Language codes as users type them (``en,FR,pt_br``), checked against a registry and canonical.

A code is a BCP-47 tag limited to what a summary language needs: a language, then optionally a
script, a region and variants (``en``, ``zh-Hant``, ``pt-BR``, ``sr-Latn-RS``). Each subtag is
checked against the Unicode CLDR registry that Babel ships (Babel is installed with
trafilatura), so ``xx``, ``en-XX`` or ``zh-Abcd`` are refused with a reason naming the code,
and the casing is made canonical (``EN`` is ``en``, ``zh-hant`` is ``zh-Hant``): ``en,EN`` is
one language. Deprecated codes CLDR replaces one for one become the current ones (``iw`` is
``he``, ``eng`` is ``en``, ``en-UK`` is ``en-GB``).

Written forms: two codes are the same written language when their languages agree and their
scripts do not differ (:func:`same_written_language`). The script is the one the code names; a
Chinese code without one is Simplified (``zh``, ``zh-CN``, ``zh-SG``) unless its region writes
Traditional (``zh-TW``, ``zh-HK``, ``zh-MO``). Other languages have no default script: ``sr``
matches Serbian in Latin and in Cyrillic alike, ``sr-Latn`` and ``sr-Cyrl`` do not match.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from bot.errors import InputError

MAX_LANGUAGES = 5  # one model call writes every summary: keep the answer a sensible size
EXAMPLES = "such as en, zh-Hant or pt-BR"
# CLDR names these, but none is a language a summary can be written in.
_NOT_LANGUAGES = {"und", "zxx", "mul", "mis", "root"}
_TRADITIONAL_REGIONS = {"TW", "HK", "MO"}
_LANGUAGE = re.compile(r"^[a-z]{2,3}$")
_SCRIPT = re.compile(r"^[a-z]{4}$")
_REGION = re.compile(r"^(?:[a-z]{2}|[0-9]{3})$")
_VARIANT = re.compile(r"^(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3})$")


class _Registry:
    """The CLDR codes Babel knows: languages, scripts, regions and their one-for-one aliases."""

    def __init__(self) -> None:
        from babel import Locale
        from babel.core import get_global

        english = Locale("en")
        self.languages = {c for c in english.languages if "_" not in c} - _NOT_LANGUAGES
        self.scripts = set(english.scripts) - {"Zzzz"}
        self.regions = set(english.territories) - {"ZZ"}
        self.language_aliases = {
            old: new for old, new in get_global("language_aliases").items()
            if old not in self.languages and new in self.languages}
        # A retired region that became several (CS: RS and ME) has no one replacement.
        self.region_aliases = {
            old: new[0] for old, new in get_global("territory_aliases").items()
            if len(new) == 1 and new[0] in self.regions}


@cache
def _registry() -> _Registry:
    # Loaded on first use: the CLDR tables cost a few milliseconds and most commands never ask.
    return _Registry()


def canonical_language(code: str) -> str:
    """``code`` with canonical casing (``zh-Hant``, ``pt-BR``); InputError names a bad code."""
    text = code.strip()
    subtags = re.split(r"[-_]", text.lower())
    if not text or not all(subtags):
        raise InputError(f"'{text}' is not a language code ({EXAMPLES})")
    registry = _registry()
    language, rest = subtags[0], subtags[1:]
    language = registry.language_aliases.get(language, language)
    if not _LANGUAGE.match(language) or language not in registry.languages:
        why = f": '{subtags[0]}' is not a language" if rest else ""
        raise InputError(f"'{text}' is not a language code{why} ({EXAMPLES})")
    parts = [language]
    if rest and _SCRIPT.match(rest[0]):
        script = rest.pop(0).title()
        if script not in registry.scripts:
            raise InputError(f"'{text}' is not a language code: '{script}' is not a script "
                             "(such as Latn, Cyrl or Hant)")
        parts.append(script)
    if rest and _REGION.match(rest[0]):
        region = rest.pop(0).upper()
        region = registry.region_aliases.get(region, region)
        if region not in registry.regions:
            raise InputError(f"'{text}' is not a language code: '{region}' is not a region "
                             "(such as BR, TW or 419)")
        parts.append(region)
    for variant in rest:
        if not _VARIANT.match(variant):
            raise InputError(f"'{text}' is not a language code: '{variant}' is neither a "
                             f"script, a region nor a variant ({EXAMPLES})")
        parts.append(variant)
    return "-".join(parts)


def canonical_languages(codes: Iterable[str]) -> tuple[str, ...]:
    """The distinct canonical codes of ``codes``, in order; InputError names a bad one."""
    found = tuple(dict.fromkeys(canonical_language(c) for c in codes if c.strip()))
    if len(found) > MAX_LANGUAGES:
        raise InputError(f"at most {MAX_LANGUAGES} languages at once, not {len(found)}")
    return found


def parse_languages(value: str | None) -> tuple[str, ...]:
    """The distinct canonical codes of a comma-separated list; InputError names a bad one."""
    return canonical_languages(value.split(",")) if value else ()


def script_of(code: str) -> str | None:
    """The script ``code`` is written in, when it says (or, for Chinese, implies) one."""
    subtags = code.split("-")
    named = next((s.title() for s in subtags[1:] if len(s) == 4 and s.isalpha()), None)
    if named is not None or subtags[0].lower() != "zh":
        return named
    regions = {s.upper() for s in subtags[1:] if len(s) == 2}
    return "Hant" if regions & _TRADITIONAL_REGIONS else "Hans"


def same_written_language(a: str, b: str) -> bool:
    """Whether a reader of ``a`` reads text written in ``b`` (``zh-TW`` does not read ``zh``)."""
    if a.split("-")[0].lower() != b.split("-")[0].lower():
        return False
    script_a, script_b = script_of(a), script_of(b)
    return script_a is None or script_b is None or script_a == script_b

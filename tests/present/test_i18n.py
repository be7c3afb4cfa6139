"""The message catalog: complete in every language, placeholders intact, sensible fallbacks."""

from __future__ import annotations

import pytest

from bot.present.i18n import (
    LANGUAGE_NAMES,
    LANGUAGES,
    MESSAGES,
    catalog_language,
    format_number,
    language_name,
    locale_language,
    placeholders,
    t,
)

REQUIRED = ("summary", "claims", "consensus", "panel", "tokens", "cost", "flagged", "cached",
            "cannot_translate", "details", "accurate", "inaccurate", "needs_context", "dismiss",
            "add_note", "injection_warning", "reason_flagged", "not_checked",
            *(f"verdict.{v}" for v in ("supported", "refuted", "misleading", "uncertain",
                                       "error")),
            *(f"consensus.{c}" for c in ("agreed-supported", "agreed-refuted",
                                         "agreed-misleading", "disputed", "abstained",
                                         "insufficient")))


def test_the_required_languages_and_keys_are_there():
    assert {"en", "fr", "de", "es", "ja"} <= set(LANGUAGES)
    assert set(REQUIRED) <= set(MESSAGES)


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_every_key_is_translated_in_every_language(key):
    row = MESSAGES[key]
    assert len(row) == len(LANGUAGES), f"{key}: {len(row)} columns for {len(LANGUAGES)} languages"
    for lang, text in zip(LANGUAGES, row, strict=True):
        assert text.strip(), f"{key} is empty in {lang}"
        assert text == text.strip() and "  " not in text, f"{key} in {lang}: stray spaces"


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_placeholders_match_english(key):
    english = placeholders(MESSAGES[key][0])
    for lang, text in zip(LANGUAGES, MESSAGES[key], strict=True):
        assert placeholders(text) == english, f"{key} in {lang}"
        text.format(**dict.fromkeys(english, "x"))  # no stray braces


def test_translations_are_not_english_copies():
    # Identical words happen ("Panel", "Details"), but a column that is mostly English is not
    # a translation.
    for column, lang in enumerate(LANGUAGES[1:], start=1):
        same = sum(row[column] == row[0] for row in MESSAGES.values())
        assert same < len(MESSAGES) // 5, f"{lang} copies English in {same} messages"


def test_t_in_a_language_and_with_values():
    assert t("claims", "fr") == "Affirmations"
    assert t("claims", "de") == "Behauptungen"
    assert t("claims", "es-ES") == "Afirmaciones"
    assert t("claims", "es-419") == "Afirmaciones"
    assert t("claims", "ja") == "主張"
    assert t("more_votes", "en", count=3) == "+3 more"
    assert t("cannot_translate", "fr", language="Deutsch").endswith("qu’en Deutsch")


def test_t_falls_back_to_english_and_never_raises():
    assert t("claims", "ko") == "Claims"
    assert t("claims", "pt-BR") == "Claims"
    assert t("claims", "") == "Claims"
    assert t("claims", "not a locale!") == "Claims"
    assert t("no.such.key", "fr") == "no.such.key"
    assert t("more_votes", "en") == "+{count} more"  # no values: the template itself
    assert t("decided", "en", action="Accurate") == (
        "Accurate — by {moderator} at {time}")  # a forgotten value stays visible
    assert t("more_votes", "en", count="{evil}") == "+{evil} more"  # values are not re-read


@pytest.mark.parametrize(("discord_locale", "language"), [
    ("en-US", "en"), ("en-GB", "en"), ("fr", "fr"), ("de", "de"), ("es-ES", "es"),
    ("es-419", "es"), ("ja", "ja"), ("pt-BR", "pt"), ("zh-CN", "zh-Hans"), ("zh-TW", "zh-Hant"),
    ("sv-SE", "sv"), ("no", "nb"), ("ko", "ko"), ("uk", "uk"), ("hi", "hi"), ("id", "id"),
    ("zh-Hant", "zh-Hant"), ("zh-Hans-CN", "zh-Hans"), ("zh-Hant-HK", "zh-Hant"),
    ("zh-HK", "zh-Hant"), ("zh", "zh-Hans"), ("en_US", "en"), ("FR", "fr"), ("", "en"),
    ("12", "en"), ("x", "en"),
])
def test_locale_language(discord_locale, language):
    assert locale_language(discord_locale) == language


def test_every_discord_locale_maps_to_a_named_language():
    # Discord's locales as of API v10.
    discord_locales = ("id", "da", "de", "en-GB", "en-US", "es-ES", "es-419", "fr", "hr", "it",
                       "lt", "hu", "nl", "no", "pl", "pt-BR", "ro", "fi", "sv-SE", "vi", "tr",
                       "cs", "el", "bg", "ru", "uk", "hi", "th", "zh-CN", "ja", "zh-TW", "ko")
    for loc in discord_locales:
        assert locale_language(loc) in LANGUAGE_NAMES, loc


def test_catalog_language_and_helpers():
    assert catalog_language("fr") == "fr" and catalog_language("ko") == "en"
    assert language_name("de") == "Deutsch" and language_name("zh-TW") == "繁體中文"
    assert language_name("xx") == "xx"
    assert format_number(12345, "en-US") == "12,345"
    assert format_number(12345, "de") == "12.345"
    assert format_number(12345, "fr") == "12\u202f345"

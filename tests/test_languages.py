"""Language codes: checked against CLDR, canonical casing, one entry per language."""

from __future__ import annotations

import pytest

from bot.errors import InputError
from bot.languages import (
    MAX_LANGUAGES,
    canonical_language,
    parse_languages,
    same_written_language,
    script_of,
)


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("en", "en"), ("EN", "en"), (" fr ", "fr"), ("zh-hant", "zh-Hant"),
        ("ZH-HANS", "zh-Hans"), ("pt-br", "pt-BR"), ("pt_BR", "pt-BR"), ("zh-tw", "zh-TW"),
        ("sr-latn-rs", "sr-Latn-RS"), ("es-419", "es-419"), ("yue", "yue"), ("fil", "fil"),
        ("de-ch-1901", "de-CH-1901"),
        # Codes CLDR retired, one for one: the current code is what gets stored.
        ("iw", "he"), ("in", "id"), ("eng", "en"), ("en-UK", "en-GB"),
    ],
)
def test_codes_get_canonical_casing(typed, canonical):
    assert canonical_language(typed) == canonical


@pytest.mark.parametrize(
    ("typed", "named"),
    [
        ("xx", "'xx' is not a language code"),
        ("qq", "'qq' is not a language code"),
        ("und", "'und' is not a language code"),
        ("xx-BR", "'xx' is not a language"),
        ("en-XX", "'XX' is not a region"),
        ("zh-Abcd", "'Abcd' is not a script"),
        ("en-x-private", "'x' is neither a script, a region nor a variant"),
        ("english!", "'english!' is not a language code"),
        ("en--us", "'en--us' is not a language code"),
        ("12", "'12' is not a language code"),
    ],
)
def test_codes_that_are_not_languages_are_refused_by_name(typed, named):
    with pytest.raises(InputError) as info:
        canonical_language(typed)
    assert named in info.value.reason
    assert "\n" not in info.value.reason


def test_a_list_is_deduplicated_after_casing():
    assert parse_languages("en,EN, En ,fr") == ("en", "fr")
    assert parse_languages("zh-hant,zh-Hant,pt-br,pt-BR") == ("zh-Hant", "pt-BR")
    assert parse_languages("") == () and parse_languages(None) == ()
    assert parse_languages("en,,fr,") == ("en", "fr")


def test_the_bad_code_of_a_list_is_named():
    with pytest.raises(InputError, match="'xx' is not a language code"):
        parse_languages("en,xx,fr")


def test_at_most_five_distinct_languages():
    assert len(parse_languages("en,EN,fr,de,es,it,IT")) == MAX_LANGUAGES
    with pytest.raises(InputError, match="at most 5 languages"):
        parse_languages("en,fr,de,es,it,pt")


@pytest.mark.parametrize(
    ("code", "script"),
    [("zh", "Hans"), ("zh-CN", "Hans"), ("zh-SG", "Hans"), ("zh-TW", "Hant"),
     ("zh-HK", "Hant"), ("zh-MO", "Hant"), ("zh-Hant", "Hant"), ("zh-Hans-HK", "Hans"),
     ("sr", None), ("sr-Latn", "Latn"), ("en", None), ("pt-BR", None)],
)
def test_script_of(code, script):
    assert script_of(code) == script


@pytest.mark.parametrize(
    ("asked", "written", "same"),
    [
        ("zh-Hant", "zh-Hans", False), ("zh-Hant", "zh", False), ("zh-TW", "zh-Hans", False),
        ("zh-HK", "zh-Hant", True), ("zh", "zh-Hans", True), ("zh-CN", "zh-Hans", True),
        ("zh-Hans", "zh-Hant", False),
        ("sr", "sr", True), ("sr-Latn", "sr", True), ("sr-Cyrl", "sr", True),
        ("sr-Latn", "sr-Cyrl", False),
        ("en", "en", True), ("en-GB", "en", True), ("pt-BR", "pt", True), ("fr", "en", False),
    ],
)
def test_same_written_language(asked, written, same):
    assert same_written_language(asked, written) is same

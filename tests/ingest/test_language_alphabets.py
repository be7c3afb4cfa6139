"""bot.ingest.language_alphabets: a language that cannot spell a text loses its belief to those
that can, and the detector stops naming languages whose alphabet lacks the text's letters."""

from __future__ import annotations

from collections import Counter

import pytest

from bot.ingest.language import SUPPORTED_LANGUAGES, detect_language
from bot.ingest.language_alphabets import (
    ALPHABETS,
    PENALTY,
    foreign_letters,
    weigh_by_alphabet,
)


def test_every_alphabet_is_of_a_language_the_detector_names_and_holds_lowercase_letters():
    assert set(ALPHABETS) <= SUPPORTED_LANGUAGES
    for code, alphabet in ALPHABETS.items():
        assert all(c.isalpha() and c == c.lower() for c in alphabet), code
        assert len(alphabet) >= 15, code  # Maori's, the smallest, has 19 with its macrons


@pytest.mark.parametrize(("text", "code", "foreign"), [
    ("Zosu kāsis", "mi", 2),  # Maori has no z, no s
    ("Zosu kāsis", "lv", 0),
    ("Kŕdeľ husí", "yo", 2),  # ŕ and ľ are Slovak's
    ("чейин", "be", 1),  # Belarusian writes і, never и
    ("чейин", "ky", 0),
    ("Москва Berlin", "ru", 0),  # a Latin name in a Cyrillic text does not count against it
    ("ilk şaxtadan", "tr", 1),  # Turkish has no x
    ("kitabu", "xx", 0),  # a language without an alphabet here is never penalised
])
def test_foreign_letters_counts_the_different_letters_the_alphabet_lacks(
        text: str, code: str, foreign: int):
    assert foreign_letters(text, code) == foreign


def test_the_belief_lost_goes_to_the_languages_that_can_spell_the_text():
    beliefs = Counter({"mi": 1.0, "lv": 0.5})
    weighed = weigh_by_alphabet("Zosu kāsis", beliefs)
    assert weighed["mi"] == pytest.approx(1.0 * PENALTY**2 * 1.5 / (0.5 + PENALTY**2))
    assert sum(weighed.values()) == pytest.approx(1.5)  # the total is kept
    assert weighed["lv"] > weighed["mi"]


def test_a_letter_no_alphabet_has_leaves_the_lost_belief_lost():
    # Hausa's ɗ is in no alphabet: the text may be in a language no detector knows, so the
    # belief taken from languages that cannot spell it is not handed to the others.
    beliefs = Counter({"mi": 1.0, "lv": 0.5})
    weighed = weigh_by_alphabet("buɗe sosai", beliefs)
    assert sum(weighed.values()) < 1.5 * 0.8
    assert weighed["lv"] <= 0.5


def test_a_text_without_letters_is_left_as_it_is():
    beliefs = Counter({"en": 0.7})
    assert weigh_by_alphabet("12:30 !!!", beliefs) == beliefs


@pytest.mark.parametrize(("text", "expected"), [
    ("ľudia vraveli", "sk"),
    ("Ọjọ́ ìbí", "yo"),
    ("ziema atnāca", "lv"),
    ("ilə birlikdə", "az"),
    ("ўсё горад", "be"),
    ("мектепке барды", "ky"),
    ("ngā tamariki", "mi"),
    ("kufika nyumbani", "sw"),
])
def test_few_words_come_out_in_a_language_that_spells_them(text: str, expected: str):
    assert detect_language(text).code == expected


@pytest.mark.parametrize("text", ["mwana ɗan", "Dɔɔrɔ sɛbɛ"])
def test_letters_of_languages_no_detector_knows_come_out_und(text: str):
    # Hausa and Bambara letters: the detectors' candidates cannot spell them.
    assert detect_language(text).code == "und"


def test_few_words_are_not_left_to_a_sure_fasttext():
    # (A pair of the bench set.) fastText's small model is sure of German here (0.95); lingua,
    # over all its languages, and the word lists know the Portuguese.
    assert detect_language("plantar duzentas").code == "pt"

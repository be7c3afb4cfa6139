"""bot.ingest.language_words: a few words re-weigh the detectors' candidates by frequency lists."""

from __future__ import annotations

from collections import Counter

import pytest

import bot.ingest.language as language
import bot.ingest.language_words as words
from bot.ingest.language import detect_language
from bot.ingest.language_words import reweigh


def test_the_language_whose_list_holds_the_words_gains_the_belief():
    # Two detectors that cannot choose between Dutch and German: the words are German ones.
    found = reweigh("nicht immer", Counter({"nl": 0.5, "de": 0.5}))
    assert found["de"] > 0.9 > found["nl"]


def test_the_total_belief_is_kept():
    beliefs = Counter({"nl": 0.7, "de": 0.5, "en": 0.3, "fr": 0.1})
    found = reweigh("het huis", beliefs)
    assert sum(found.values()) == pytest.approx(sum(beliefs.values()))
    assert found.most_common(1)[0][0] == "nl"


def test_a_language_without_a_list_is_not_outweighed_by_an_unknown_word():
    # Swahili has no wordfreq list: words English's list lacks move belief towards it.
    beliefs = Counter({"sw": 0.5, "en": 0.5})
    found = reweigh("watoto walicheza", beliefs)
    assert found["sw"] > 0.9 > found["en"]


@pytest.mark.parametrize(("text", "close"), [("Die meeste", "nl"), ("het huis", "nl"),
                                             ("primeira noite", "pt")])
def test_a_close_list_cannot_take_the_belief_of_a_language_it_stands_for(text: str, close: str):
    # Afrikaans and Galician take Dutch's and Portuguese's lists: words both spell alike
    # leave the detectors' belief as it was (the Dutch list alone gave "Die meeste" to Dutch).
    own = {"nl": "af", "pt": "gl"}[close]
    beliefs = Counter({own: 0.6, close: 0.4, "en": 0.2})
    found = reweigh(text, beliefs)
    assert found[own] / found[close] == pytest.approx(beliefs[own] / beliefs[close])
    assert found[own] > found[close]


def test_a_word_of_its_own_counts_as_neutral_for_a_language_on_a_close_list():
    # "nunha" is Galician and in no Portuguese list: Galician is not pushed below a language
    # without a list (Shona took the pair when the missing word counted against Galician).
    found = reweigh("nunha pequena", Counter({"gl": 0.5, "sn": 0.5, "pt": 0.3}))
    assert found["gl"] > found["sn"]
    assert found["gl"] > found["pt"]


def test_only_the_first_candidates_are_reweighed():
    beliefs = Counter({code: 1.0 - index / 10 for index, code in enumerate(
        ["nl", "de", "en", "fr", "es", "it", "pt"])})
    found = reweigh("nicht immer", beliefs)
    for code, _ in beliefs.most_common()[words.CANDIDATES:]:
        assert found[code] == beliefs[code]


def test_candidates_without_any_list_keep_their_beliefs():
    beliefs = Counter({"sw": 0.6, "yo": 0.4})  # neither has a wordfreq list
    assert reweigh("watoto walicheza", beliefs) == beliefs


def test_text_without_words_keeps_the_beliefs():
    beliefs = Counter({"nl": 0.5, "de": 0.5})
    assert reweigh("!!! ...", beliefs) == beliefs


def test_at_most_a_few_lists_are_kept():
    for lang in ["en", "fr", "de", "es", "it", "pt", "nl", "sv", "da", "fi", "pl", "cs"]:
        words._word_list(lang)
    assert words._word_list.cache_info().currsize <= words.KEPT_LISTS


def test_longer_text_is_not_reweighed(monkeypatch: pytest.MonkeyPatch):
    def fail(text: str, beliefs: Counter[str]) -> Counter[str]:
        raise AssertionError(text)

    monkeypatch.setattr(language, "reweigh", fail)
    assert detect_language("Il governo ha annunciato ieri un aumento delle tasse.").code == "it"


@pytest.mark.parametrize(("text", "code"), [
    ("veľmi dobre", "sk"), ("много добре", "bg"), ("zelo dobro", "sl"), ("labai gerai", "lt")])
def test_a_pair_the_detectors_alone_miss_is_told_by_its_words(text: str, code: str):
    # "very good" in four languages: without the lists these came out ca, ru, und and und.
    assert detect_language(text).code == code

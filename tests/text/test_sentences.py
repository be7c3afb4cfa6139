"""Sentence splitting in many languages: hard cases, and the verbatim guarantee."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.text.sentences import (
    base_language,
    quote_spans,
    split_sentences,
    terminal_punctuation,
)


def assert_verbatim_in_order(text: str, sentences: list[str]) -> None:
    position = 0
    for sentence in sentences:
        assert sentence == sentence.strip() and sentence
        found = text.find(sentence, position)
        assert found >= 0, sentence
        position = found + len(sentence)


CASES = [
    (
        "en",
        "NASA's James E. Webb led it. J. R. R. Tolkien wrote books. Its mirror is 6.5 metres "
        "wide. Mr. Smith and Dr. Jones met Prof. Lee in St. Louis, i.e. downtown, e.g. at noon.",
        [
            "NASA's James E. Webb led it.",
            "J. R. R. Tolkien wrote books.",
            "Its mirror is 6.5 metres wide.",
            "Mr. Smith and Dr. Jones met Prof. Lee in St. Louis, i.e. downtown, e.g. at noon.",
        ],
    ),
    (
        "en",
        "See No. 5 on Jan. 3 vs. No. 7. He said no. Then he left at 5 p.m. The bar closed.",
        [
            "See No. 5 on Jan. 3 vs. No. 7.",
            "He said no.",
            "Then he left at 5 p.m.",
            "The bar closed.",
        ],
    ),
    (
        "en",
        "Go to https://example.com/a?b=1. Write to info@example.org. She said “I don't know… "
        'maybe” and left. "Really?!" she asked. Wait... Then it rained.',
        [
            "Go to https://example.com/a?b=1.",
            "Write to info@example.org.",
            "She said “I don't know… maybe” and left.",
            '"Really?!" she asked.',
            "Wait...",
            "Then it rained.",
        ],
    ),
    (
        "de",
        "Mit rund 1.230 Kilometern ist er lang. Er wurde am 3. Oktober 1990 geboren. Im 19. "
        "Jahrhundert wuchs die Stadt z. B. stark, bzw. schnell. Der Wert stieg um 3,5 %. "
        "Hr. Müller kam ca. 20 Min. später. Das kostet 1,5 Mio. Euro. Das war 1990. Danach nicht.",
        [
            "Mit rund 1.230 Kilometern ist er lang.",
            "Er wurde am 3. Oktober 1990 geboren.",
            "Im 19. Jahrhundert wuchs die Stadt z. B. stark, bzw. schnell.",
            "Der Wert stieg um 3,5 %.",
            "Hr. Müller kam ca. 20 Min. später.",
            "Das kostet 1,5 Mio. Euro.",
            "Das war 1990.",
            "Danach nicht.",
        ],
    ),
    (
        "de",
        "„Wir wissen es nicht … Vielleicht morgen“, sagte er. Nr. 5 gewann usw. und so fort.",
        ["„Wir wissen es nicht … Vielleicht morgen“, sagte er.", "Nr. 5 gewann usw. und so fort."],
    ),
    (
        "fr",
        "M. Dupont et Mme. Martin sont là. César meurt en 44 av. J.-C. à Rome. « Je ne sais "
        "pas… Peut-être demain », dit-elle. Le taux est de 3,5 %. Fin.",
        [
            "M. Dupont et Mme. Martin sont là.",
            "César meurt en 44 av. J.-C. à Rome.",
            "« Je ne sais pas… Peut-être demain », dit-elle.",
            "Le taux est de 3,5 %.",
            "Fin.",
        ],
    ),
    (
        "es",
        "¿Dónde está el Sr. García? ¡Aquí! Lo dice la Sra. López en la pág. 12. Son 3,5 millones.",
        [
            "¿Dónde está el Sr. García?",
            "¡Aquí!",
            "Lo dice la Sra. López en la pág. 12.",
            "Son 3,5 millones.",
        ],
    ),
    (
        "ja",
        "富士山は高い。静岡県にある！本当？「安全です。ご理解を。」と話した。終わり。",
        [
            "富士山は高い。",
            "静岡県にある！",
            "本当？",
            "「安全です。ご理解を。」と話した。",
            "終わり。",
        ],
    ),
    ("zh", "他说：“我们赢了。”然后离开了。今天很好！你来吗？", None),
    ("ar", "هل هذا صحيح؟ نعم، قال د. أحمد ذلك. وصل ٣٥ شخصا.", None),
    (
        "ru",
        "Это сказал А. С. Пушкин. Речь шла о книгах, т. е. о романах. Там были столы и т. д. "
        "Потом все ушли.",
        [
            "Это сказал А. С. Пушкин.",
            "Речь шла о книгах, т. е. о романах.",
            "Там были столы и т. д.",
            "Потом все ушли.",
        ],
    ),
    (
        "hi",
        "डॉ. शर्मा ने कहा कि यह सही है। क्या यह सच है? हाँ, यह सच है।",
        ["डॉ. शर्मा ने कहा कि यह सही है।", "क्या यह सच है?", "हाँ, यह सच है।"],
    ),
]


@pytest.mark.parametrize(("language", "text", "expected"), CASES)
def test_hard_cases(language: str, text: str, expected: list[str] | None) -> None:
    sentences = split_sentences(text, language)
    assert_verbatim_in_order(text, sentences)
    if expected is not None:
        assert sentences == expected


def test_chinese_splits_without_spaces_and_keeps_closing_quote() -> None:
    text = "他说：“我们赢了。”然后离开了。今天很好！你来吗？"
    assert split_sentences(text, "zh") == [
        "他说：“我们赢了。”",
        "然后离开了。",
        "今天很好！",
        "你来吗？",
    ]


def test_arabic_question_mark_and_initial() -> None:
    text = "هل هذا صحيح؟ نعم، قال د. أحمد ذلك. وصل ٣٥ شخصا."
    assert split_sentences(text, "ar") == ["هل هذا صحيح؟", "نعم، قال د. أحمد ذلك.", "وصل ٣٥ شخصا."]


def test_lines_titles_lists_and_wrapping() -> None:
    text = (
        "A title without a stop\r\n\r\nFirst line.\r\nA new line\r\ncontinues here. Third.\n\n"
        "1. Install it.\n2. Run it.\nNo stop here\nNext line"
    )
    assert split_sentences(text, "en") == [
        "A title without a stop",
        "First line.",
        "A new line\r\ncontinues here.",
        "Third.",
        "1. Install it.",
        "2. Run it.",
        "No stop here",
        "Next line",
    ]


def test_closing_quotes_and_brackets_stay_with_the_sentence() -> None:
    text = 'He said "no." Then (as expected.) She left.» Fin.'
    assert split_sentences(text) == ['He said "no."', "Then (as expected.)", "She left.»", "Fin."]


def test_empty_and_degenerate_inputs() -> None:
    assert split_sentences("") == []
    assert split_sentences("  \n\t \n") == []
    assert split_sentences("...") == ["..."]
    assert split_sentences("Hello") == ["Hello"]


def test_long_quotations_are_split() -> None:
    speech = " ".join(f"This is sentence number {n} of a long speech." for n in range(12))
    sentences = split_sentences(f"“{speech}” she said.")
    assert len(sentences) == 12


def test_helpers() -> None:
    assert base_language("de-AT") == "de"
    assert base_language("") == "und"
    assert terminal_punctuation("Really?!”) ") == "?!"
    assert terminal_punctuation("終わり。」") == "。"
    assert terminal_punctuation("A title") == ""
    text = "„Ja“, sagte er, «oui» et “yes”, 「はい」"
    assert [text[a:b] for a, b in quote_spans(text)] == ["„Ja“", "«oui»", "“yes”", "「はい」"]


ALPHABET = st.sampled_from(
    [*'ab Zé. ,!?…。！？؟।\n"“”„«»「」()1٣3-:', "Dr.", "e.g.", " J. ", "3. ", "\r\n"]
)


@given(st.lists(ALPHABET, max_size=60).map("".join))
def test_sentences_are_verbatim_and_lose_nothing(text: str) -> None:
    sentences = split_sentences(text)
    assert_verbatim_in_order(text, sentences)
    assert "".join("".join(sentences).split()) == "".join(text.split())

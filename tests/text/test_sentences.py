"""Sentence splitting in many languages: hard cases, and the verbatim guarantee."""

import json
from pathlib import Path

import pytest
import regex
from hypothesis import given
from hypothesis import strategies as st

from bot.text.scripts import STRONG_TERMINALS, WEAK_TERMINALS
from bot.text.sentences import (
    base_language,
    join_sentences,
    line_ends,
    quote_spans,
    split_sentences,
    terminal_punctuation,
)

SCRIPTS = Path(__file__).parents[1] / "data" / "scripts"
EXPECTED = json.loads((SCRIPTS / "expected.json").read_text(encoding="utf-8"))


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
    assert terminal_punctuation("Πού είναι;") == ";"
    assert terminal_punctuation("It rained;") == ""
    assert terminal_punctuation("Այնտեղ էր:") == ":"
    assert terminal_punctuation("ነገ ትወጣለች::") == "::"
    assert terminal_punctuation("ང་ལྷ་སར་ཡོད།") == "།"
    text = "„Ja“, sagte er, «oui» et “yes”, 「はい」"
    assert [text[a:b] for a, b in quote_spans(text)] == ["„Ja“", "«oui»", "“yes”", "「はい」"]


ALPHABET = st.sampled_from(
    [*'ab Zé. ,!?…。！？؟।\n"“”„«»「」()1٣3-:;', "Dr.", "e.g.", " J. ", "3. ", "\r\n",
     "กขค", "ແລະ", " ", "ว่า", " 2567 ", "Ա", "։", "ሀ", "፡", "α", "ა", "។ល។", "།", "\U00011047"]
)


@given(st.lists(ALPHABET, max_size=60).map("".join))
def test_sentences_are_verbatim_and_lose_nothing(text: str) -> None:
    sentences = split_sentences(text)
    assert_verbatim_in_order(text, sentences)
    assert "".join("".join(sentences).split()) == "".join(text.split())


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_articles_in_every_script_split_into_their_sentences(name: str) -> None:
    """Hand-written news articles, one per script: every sentence found, each one whole."""
    text = (SCRIPTS / name).read_text(encoding="utf-8")
    expected = EXPECTED[name]
    assert split_sentences(text, expected["language"]) == expected["sentences"]
    # The title (first line) ends its line; so does each paragraph's last sentence.
    ends = line_ends(text, expected["language"])
    assert ends[0] and ends[-1]
    assert sum(ends) == text.strip().count("\n\n") + 1


def test_terminals_are_unicode_sentence_terminals() -> None:
    """The table is Unicode's Sentence_Terminal, less ၊ (a comma), plus the marks it misses."""
    unicode_terminals = {chr(c) for c in range(0x110000) if regex.match(r"\p{STerm}", chr(c))}
    ours = set(WEAK_TERMINALS + STRONG_TERMINALS)
    assert unicode_terminals - ours == {"\u104a"}
    assert ours - unicode_terminals == set("…\u037e།༎༏༐༑༒๚๛")
    assert not set(WEAK_TERMINALS) & set(STRONG_TERMINALS)


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        # Armenian typed with ":" for ։; "." is its colon and its abbreviation mark.
        ("hy", "Նա եկավ 2024 թ. մայիսին: Այնտեղ 5 հոգի էր: Ժամը 10:30 էր։",
         ["Նա եկավ 2024 թ. մայիսին:", "Այնտեղ 5 հոգի էր:", "Ժամը 10:30 էր։"]),
        # Amharic with two wordspaces or two colons for ።.
        ("am", "ዛሬ ዝናብ ዘነበ፡፡ ነገ ፀሐይ ትወጣለች:: ከዚያ በኋላ ደግሞ ነፋስ ይነፍሳል።",
         ["ዛሬ ዝናብ ዘነበ፡፡", "ነገ ፀሐይ ትወጣለች::", "ከዚያ በኋላ ደግሞ ነፋስ ይነፍሳል።"]),
        # Greek ";" asks; in Latin text ";" is only a semicolon.
        ("el", "Πού είναι; Είναι εδώ. Και ο Γιάννης;",
         ["Πού είναι;", "Είναι εδώ.", "Και ο Γιάννης;"]),
        ("en", "It rained; Paris flooded. Done.", ["It rained; Paris flooded.", "Done."]),
        # Georgian is written in one case: the next word is never a "lowercase continuation".
        ("ka", "ის მოვიდა. ჩვენ წავედით. ე.წ. გეგმა ჩავარდა.",
         ["ის მოვიდა.", "ჩვენ წავედით.", "ე.წ. გეგმა ჩავარდა."]),
        # Hebrew acronyms typed with '"' open no quotation that would hide the stops.
        ("he", 'צה"ל הודיע על כך. ארה"ב הגיבה. "כן," אמר.',
         ['צה"ל הודיע על כך.', 'ארה"ב הגיבה.', '"כן," אמר.']),
        # Khmer "។ល។" (etc.) is not two full stops; ៕ ends a text.
        ("km", "គាត់ទិញ ស្វាយ ចេក ។ល។ នៅផ្សារ។ ពួកគេទៅផ្ទះ៕",
         ["គាត់ទិញ ស្វាយ ចេក ។ល។ នៅផ្សារ។", "ពួកគេទៅផ្ទះ៕"]),
        # Burmese ၊ is a comma, ။ a full stop.
        ("my", "မိုးရွာသည်၊ လေတိုက်သည်။ ကျောင်းပိတ်သည်။",
         ["မိုးရွာသည်၊ လေတိုက်သည်။", "ကျောင်းပိတ်သည်။"]),
        # Tibetan shad, single and double.
        ("bo", "ང་ལྷ་སར་ཡོད། ཁོང་ཚོ་ཡོང་གི་རེད།། ", ["ང་ལྷ་སར་ཡོད།", "ཁོང་ཚོ་ཡོང་གི་རེད།།"]),
        # A shad after a space (verse, prayers) closes the sentence before it.
        ("bo", "བཀྲ་ཤིས་བདེ་ལེགས། །ཚེ་རིང་ཤོག །", ["བཀྲ་ཤིས་བདེ་ལེགས། །", "ཚེ་རིང་ཤོག །"]),
        # Sanskrit's double danda; Nepali "डा." (Dr.) in a danda text.
        ("ne", "डा. शर्मा आउनुभयो। उहाँ खुसी हुनुहुन्छ॥ धन्यवाद।",
         ["डा. शर्मा आउनुभयो।", "उहाँ खुसी हुनुहुन्छ॥", "धन्यवाद।"]),
        # Rarer scripts' marks: the Mongolian full stop, N'Ko's exclamation, Syriac's stop.
        ("mn", "ᠮᠣᠩᠭᠣᠯ᠃ ᠤᠯᠤᠰ᠃", ["ᠮᠣᠩᠭᠣᠯ᠃", "ᠤᠯᠤᠰ᠃"]),
        ("nqo", "ߒߞߏ߹ ߞߊ߬ߣߌ߲߹", ["ߒߞߏ߹", "ߞߊ߬ߣߌ߲߹"]),
        ("syr", "ܫܠܡܐ܂ ܥܠܡܐ܂", ["ܫܠܡܐ܂", "ܥܠܡܐ܂"]),
        # Astral-plane terminals: the Brahmi danda.
        ("und", "\U00011013\U00011047 \U00011013\U00011047",
         ["\U00011013\U00011047", "\U00011013\U00011047"]),
    ],
)
def test_script_marks(language: str, text: str, expected: list[str]) -> None:
    assert split_sentences(text, language) == expected


def test_thai_spaces_end_sentences_only_between_long_enough_parts() -> None:
    first = "คณะรัฐมนตรีอนุมัติงบประมาณสำหรับโครงการรถไฟความเร็วสูง"
    second = "โครงการนี้จะเชื่อมกรุงเทพมหานครกับจังหวัดนครราชสีมา"
    assert split_sentences(f"{first} {second}", "th") == [first, second]
    # A connective after the space ("และ", "ซึ่ง") or before it ("กล่าวว่า") carries it on.
    for joined in (f"{first} และ{second}", f"{first} ซึ่ง{second}", f"{first}กล่าวว่า {second}"):
        assert split_sentences(joined, "th") == [joined]
    # A short part (a name, a dateline) and a number's unit stay with their sentence.
    for joined in (f"นายสมชาย ใจดี {first}", f"{first} 5 {second}", f"{first} ราคา 500 บาท"):
        assert split_sentences(joined, "th") == [joined]
    # A year ends a sentence often enough: "ในปี 2567 ".
    assert split_sentences(f"{first}ในปี 2567 {second}", "th") == [f"{first}ในปี 2567", second]
    # Sentences ending on a compound of ที่ (เต็มที่, พื้นที่) or opening on ใน, ที่ are cut.
    sport = [
        "ทีมชาติไทยเอาชนะเวียดนาม 2-1 ในนัดชิงชนะเลิศฟุตบอลชิงแชมป์อาเซียนเมื่อคืนวันเสาร์ที่ผ่านมา",
        "ศุภชัย ใจเด็ด ทำประตูชัยในนาทีที่ 87 หลังจากได้รับบอลจากกองกลาง",
        "แฟนบอลกว่า 40,000 คนเดินทางมาชมการแข่งขันที่สนามราชมังคลากีฬาสถาน",
        "นี่เป็นแชมป์สมัยที่ 8 ของทีมชาติไทย",
        "โค้ชกล่าวหลังจบเกมว่า นักเตะทุกคนทุ่มเทอย่างเต็มที่",
        "ในปีนี้สมาคมฟุตบอลฯ ประกาศมอบเงินรางวัล 20 ล้านบาทให้แก่ทีม",
        "ที่ประชุมของสมาคมจะหารือเรื่องงบประมาณในสัปดาห์หน้า",
    ]
    assert split_sentences(" ".join(sport), "th") == sport
    # Inside a quotation the spaces are the speaker's.
    quoted = f"“{first} {second}” นายกรัฐมนตรีกล่าว"
    assert split_sentences(quoted, "th") == [quoted]


def test_line_ends_and_joining() -> None:
    text = "Title\n\nOne. Two.\nThree"
    assert split_sentences(text) == ["Title", "One.", "Two.", "Three"]
    assert line_ends(text) == [True, False, True, True]
    assert join_sentences(["富士山は高い。", "静岡県にある。"]) == "富士山は高い。静岡県にある。"
    assert join_sentences(["「安全です。」", "終わり。"]) == "「安全です。」終わり。"
    assert join_sentences(["One.", "Two."]) == "One. Two."
    assert join_sentences(["ประโยคแรก", "ประโยคที่สอง"]) == "ประโยคแรก ประโยคที่สอง"
    assert join_sentences([]) == ""

"""bot.ingest.decode: bytes to text, or a one-line DecodeError for binary input."""

from __future__ import annotations

import codecs
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.errors import DecodeError
from bot.ingest.decode import decode
from bot.records import RawDocument

CORPUS = Path(__file__).resolve().parent.parent / "data" / "corpus"

FRENCH = (
    "Le président a déclaré mercredi que l’économie française était « en très bonne santé », "
    "malgré la hausse des prix de l’énergie : le billet de métro coûtera 2,15 € dès l’été."
)
GERMAN = "Größere Straßen führen über die Brücke nach München; die Maßnahme kostet 3 Mio. €."
SPANISH = "El niño comió piña el año pasado en Logroño. ¿Verdad? Sí, señor, según el diario."
RUSSIAN = "Президент заявил, что экономика страны растёт быстрее, чем ожидалось."
# Latin-1 has neither "€" nor curly quotes: those are windows-1252 additions.
FRENCH_LATIN1 = "Le président a déclaré que l'économie française était « en très bonne santé »."


def doc(data: bytes, charset: str | None = None) -> RawDocument:
    return RawDocument(data=data, source="test", charset=charset)


def refused(data: bytes, charset: str | None = None) -> str:
    with pytest.raises(DecodeError) as info:
        decode(doc(data, charset))
    reason = info.value.reason
    assert "\n" not in reason
    return reason


# --- text that must come out right ---------------------------------------------------------


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.txt")), ids=lambda p: p.name)
def test_corpus_text_files_decode_as_utf8(path: Path):
    data = path.read_bytes()
    assert decode(doc(data)) == data.decode("utf-8")


def test_corpus_html_page_decodes():
    text = decode(doc((CORPUS / "article-page.html").read_bytes()))
    assert "James Webb Space Telescope" in text
    assert "©" in text  # the footer's non-ASCII character survived


def test_empty_input_is_empty_text():
    assert decode(doc(b"")) == ""


def test_plain_ascii():
    assert decode(doc(b"Hello, world.\n")) == "Hello, world.\n"


def test_utf8_without_bom():
    assert decode(doc(FRENCH.encode("utf-8"))) == FRENCH


def test_utf8_bom_is_removed():
    assert decode(doc(codecs.BOM_UTF8 + FRENCH.encode("utf-8"))) == FRENCH


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le"])
def test_utf16_and_utf32_with_bom(codec: str):
    text = "Café ☕, 東京 and naïve résumé — 2 €"
    bom = {
        "utf-16-le": codecs.BOM_UTF16_LE,
        "utf-16-be": codecs.BOM_UTF16_BE,
        "utf-32-le": codecs.BOM_UTF32_LE,
    }.get(codec, b"")
    # "utf-16"/"utf-32" write their own BOM; the explicit-endian codecs need one prepended.
    assert decode(doc(bom + text.encode(codec))) == text


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_recognised_by_its_nul_pattern(codec: str):
    text = "Plain ASCII news text in UTF-16, with a café."
    assert decode(doc(text.encode(codec))) == text


@pytest.mark.parametrize("label", ["utf-16", "UTF-16LE"])
def test_utf16_without_bom_by_declared_charset(label: str):
    text = "Déclaré en UTF-16 sans BOM"
    assert decode(doc(text.encode("utf-16-le"), charset=label)) == text


@pytest.mark.parametrize(
    "text",
    [FRENCH_LATIN1, SPANISH, "Größere Straßen führen über die Brücke", "Café crème", "naïve"],
)
def test_latin1_without_declaration(text: str):
    assert decode(doc(text.encode("latin-1"))) == text


@pytest.mark.parametrize(
    "text",
    [FRENCH, "It’s a “smart” move — prices rose 5 € per ticket…", "Prix : 20 € TTC", "5 €", "It’s"],
)
def test_cp1252_without_declaration(text: str):
    assert decode(doc(text.encode("cp1252"))) == text


def test_other_legacy_encodings_are_detected():
    assert decode(doc(RUSSIAN.encode("cp1251"))) == RUSSIAN
    japanese = "富士山は日本で最も高い山です。静岡県と山梨県にまたがっています。"
    assert decode(doc(japanese.encode("shift_jis"))) == japanese
    polish = "Zażółć gęślą jaźń. Prezydent powiedział, że gospodarka rośnie szybciej."
    assert decode(doc(polish.encode("cp1250"))) == polish


@pytest.mark.parametrize(
    ("label", "codec", "text"),
    [
        ("windows-1252", "cp1252", FRENCH),
        ("ISO-8859-1", "latin-1", SPANISH),
        ("latin1", "cp1252", "Prix : 20 € TTC"),  # "latin-1" pages are windows-1252 in practice
        ("koi8-r", "koi8-r", RUSSIAN),
        ("windows-1251", "cp1251", RUSSIAN),
        ("Shift_JIS", "cp932", "①番の富士山"),  # cp932 extensions under a Shift_JIS label
        ('"windows-1251"', "cp1251", RUSSIAN),
    ],
)
def test_declared_charset_is_used(label: str, codec: str, text: str):
    assert decode(doc(text.encode(codec), charset=label)) == text


@pytest.mark.parametrize(
    "meta",
    [
        b'<meta charset="windows-1251">',
        b"<meta charset=windows-1251>",
        b'<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=windows-1251">',
    ],
)
def test_charset_declared_in_html_meta(meta: bytes):
    data = b"<!DOCTYPE html><html><head>" + meta + b"</head><body><p>"
    data += RUSSIAN.encode("cp1251") + b"</p></body></html>"
    assert RUSSIAN in decode(doc(data))


def test_charset_declared_in_xml_declaration():
    data = b'<?xml version="1.0" encoding="koi8-r"?><rss><title>'
    data += RUSSIAN.encode("koi8-r") + b"</title></rss>"
    assert RUSSIAN in decode(doc(data))


def test_meta_beyond_the_first_2kb_is_ignored_but_detection_still_works():
    data = b"<html><head>" + b" " * 3000 + b'<meta charset="koi8-r"></head><body>'
    data += FRENCH.encode("cp1252") + b"</body></html>"
    assert FRENCH in decode(doc(data))


def test_header_charset_wins_over_meta():
    data = b'<meta charset="koi8-r"><p>' + FRENCH.encode("cp1252") + b"</p>"
    assert FRENCH in decode(doc(data, charset="windows-1252"))


def test_valid_utf8_wins_over_a_wrong_legacy_label():
    # Mislabelled UTF-8 is common; decoding it as latin-1 would give "prÃ©sident".
    assert decode(doc(FRENCH.encode("utf-8"), charset="iso-8859-1")) == FRENCH
    html = b'<meta charset="windows-1252"><p>' + FRENCH.encode("utf-8") + b"</p>"
    assert FRENCH in decode(doc(html))


@pytest.mark.parametrize(
    "label", ["utf-8", "bogus-charset", "", "unicode_escape", "base64", "utf-7", "x\x00y", "rot13"]
)
def test_unknown_wrong_or_unusable_declared_charset_falls_back_to_detection(label: str):
    assert decode(doc(FRENCH.encode("cp1252"), charset=label)) == FRENCH


def test_wrong_single_byte_label_is_caught_by_its_mojibake():
    assert decode(doc(FRENCH.encode("cp1252"), charset="windows-1251")) == FRENCH
    assert decode(doc(RUSSIAN.encode("cp1251"), charset="iso-8859-1")) == RUSSIAN


def test_declared_utf16_on_bytes_without_nuls_is_ignored():
    assert decode(doc(b"hello world", charset="utf-16")) == "hello world"


def test_few_stray_control_characters_are_still_text():
    text = "Terminal log \x1b[31mred\x1b[0m and a form feed\x0c between pages."
    assert decode(doc(text.encode())) == text


# --- binary that must be refused ----------------------------------------------------------


def test_corpus_binary_is_refused():
    reason = refused((CORPUS / "binary.bin").read_bytes())
    assert reason.startswith("not text: the input looks binary")
    assert "PNG" in reason


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"IHDR text-like", "PNG"),
        (b"%PDF-1.7\n1 0 obj << /Type /Catalog >>", "PDF"),
        (b"PK\x03\x04" + b"word/document.xml", "archive"),
        (b"GIF89a" + b"abc", "GIF"),
        (b"\xff\xd8\xff\xe0" + b"JFIF", "JPEG"),
        (b"\x1f\x8b\x08" + b"gzip", "archive"),
        (b"\x7fELF\x02\x01\x01", "executable"),
        (b"SQLite format 3\x00", "SQLite"),
    ],
)
def test_known_binary_formats_are_refused_by_magic(data: bytes, what: str):
    reason = refused(data)
    assert reason.startswith("not text: the input looks binary")
    assert what in reason


def test_nul_bytes_without_bom_are_refused_when_they_are_many():
    assert "NUL" in refused(b"\x00\x01\x02\x03" * 50)
    assert "NUL" in refused(b"short\x00\x00text")  # a quarter of it is NUL


HTML_WITH_NUL = "<!doctype html><html><body><p>Größere Straßen\x00 führen über die Brücke.</p>"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"looks like text\x00but has a NUL byte in the middle",
         "looks like textbut has a NUL byte in the middle"),
        (HTML_WITH_NUL.encode(), HTML_WITH_NUL.replace("\x00", "")),
        (GERMAN.encode("cp1252") + b"\x00\n", GERMAN + "\n"),
    ],
)
def test_a_stray_nul_in_readable_text_is_dropped_not_refused(data: bytes, expected: str):
    # Browsers render such pages; the NUL goes, like other control characters.
    assert decode(doc(data)) == expected


def test_utf16_text_without_bom_is_not_judged_by_its_nuls():
    text = "UTF-16 text carries a NUL in every other byte, and is text all the same."
    assert decode(doc(text.encode("utf-16-le"))) == text


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (b"RIFF\x24\x08\x00\x00WAVEfmt ", "audio"),
        (b"RIFF\x24\x08\x00\x00WEBPVP8 ", "image"),
        (b"\x00\x00\x00\x18ftypmp42", "video"),
        (b"\x1aE\xdf\xa3\x93B\x82\x88matroska", "video"),
        (b"\xff\xfb\x90\x64" + b"A" * 40, "audio"),
    ],
)
def test_more_binary_signatures_are_refused(data: bytes, what: str):
    reason = refused(data)
    assert reason.startswith("not text: the input looks binary")
    assert what in reason


def test_nul_bytes_with_a_non_wide_declared_charset_are_refused():
    assert "NUL" in refused(b"abc\x00def", charset="utf-8")


def test_random_bytes_are_refused():
    rng = random.Random(7)
    for _ in range(20):
        data = bytes(rng.randrange(256) for _ in range(2048))
        refused(data)
    refused(bytes(rng.randrange(1, 256) for _ in range(4096)))  # no NUL at all


def test_binary_behind_a_bom_is_refused():
    rng = random.Random(3)
    noise = bytes(rng.randrange(256) for _ in range(4096))
    for bom in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF8, codecs.BOM_UTF32_LE):
        refused(bom + noise)


def test_mostly_control_characters_are_refused():
    refused(b"\x01\x02\x03hello\x04\x05\x06\x07\x08")


# --- the contract: str or DecodeError, nothing else --------------------------------------------


@settings(max_examples=300, deadline=None)
@given(data=st.binary(max_size=600), charset=st.none() | st.text(max_size=12))
def test_never_raises_anything_but_decode_error(data: bytes, charset: str | None):
    try:
        result = decode(doc(data, charset))
    except DecodeError as error:
        assert error.reason and "\n" not in error.reason
    else:
        assert isinstance(result, str)


# Text as decode() must return it: no controls (binary-looking), no U+FFFD (counts as damage),
# no leading U+FEFF (that is a BOM, and is removed).
PRINTABLE = st.text(
    st.characters(
        blacklist_categories=("Cc", "Cs", "Co", "Cn"), blacklist_characters="\ufffd\ufeff"
    )
    | st.sampled_from("\n\t"),
    max_size=300,
)


@settings(max_examples=200, deadline=None)
@given(text=PRINTABLE)
def test_any_utf8_text_round_trips(text: str):
    assert decode(doc(text.encode("utf-8"))) == text


@settings(max_examples=100, deadline=None)
@given(text=PRINTABLE)
def test_any_text_round_trips_through_a_bom(text: str):
    assert decode(doc(text.encode("utf-16"))) == text
    assert decode(doc(codecs.BOM_UTF8 + text.encode("utf-8"))) == text


def test_large_legacy_input_is_fast_enough():
    data = FRENCH.encode("cp1252") * 5000  # ~1 MB
    assert decode(doc(data)).startswith(FRENCH)


# --- almost valid UTF-8: trusted as browsers trust it ------------------------------------------

UMLAUTS = "So schön: Größere Straßen führen über die Brücke nach München, sagt Jürgen Müller. "


def with_stray_latin1(text: str) -> bytes:
    """``text`` in UTF-8 with three words pasted in as Latin-1 (what CMS templates do)."""
    return text.encode() + "Café".encode("latin-1") + b" " + "Tür".encode("latin-1") + (
        b" " + "Öl".encode("latin-1")
    )


@pytest.mark.parametrize("charset", ["utf-8", "UTF8"])
def test_declared_utf8_with_a_few_stray_latin1_bytes_stays_utf8(charset: str):
    text = decode(doc(with_stray_latin1(UMLAUTS * 2), charset=charset))
    assert text.startswith(UMLAUTS * 2)  # every umlaut intact, not "So schÃ¶n"
    assert text.count("\ufffd") == 3  # one replacement character per stray byte, as browsers


def test_utf8_declared_in_meta_with_stray_bytes_stays_utf8():
    data = b'<html><head><meta charset="utf-8"></head><body><p>' + with_stray_latin1(UMLAUTS)
    text = decode(doc(data + b"</p></body></html>"))
    assert UMLAUTS in text
    assert text.count("\ufffd") == 3


def test_undeclared_almost_valid_utf8_prefers_utf8():
    text = decode(doc(with_stray_latin1(UMLAUTS * 2)))
    assert text.startswith(UMLAUTS * 2)


def test_a_legacy_label_loses_to_bytes_that_are_almost_all_utf8():
    text = decode(doc(with_stray_latin1(UMLAUTS * 4), charset="iso-8859-1"))
    assert text.startswith(UMLAUTS * 4)


LEGACY_SAMPLES = [
    ("cp1252", FRENCH),
    ("koi8-r", RUSSIAN),
    ("cp1251", RUSSIAN),
    ("shift_jis", "富士山は日本で最も高い山です。静岡県と山梨県にまたがっています。"),
    ("euc-jp", "富士山は日本で最も高い山です。静岡県と山梨県にまたがっています。"),
    ("gb2312", "国务院今天发布了新的经济政策，旨在促进消费和扩大内需。"
               "专家表示这些措施有助于稳定就业。"),
    ("euc-kr", "대한민국 정부는 오늘 새로운 경제 정책을 발표했습니다. "
               "전문가들은 고용 시장 안정에 도움이 될 것이라고 말했습니다."),
]


@pytest.mark.parametrize(("codec", "text"), LEGACY_SAMPLES, ids=[c for c, _ in LEGACY_SAMPLES])
def test_legacy_text_wrongly_declared_utf8_is_not_forced_into_utf8(codec: str, text: str):
    # The bytes clearly contradict the label: most of their non-ASCII is not UTF-8.
    assert decode(doc(text.encode(codec), charset="utf-8")) == text

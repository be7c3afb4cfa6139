"""Hostile input: random bytes and hostile Unicode through every stage of ingest and the text tools.

Property-based (hypothesis, derandomized so CI sees the same examples every run): decoding random
bytes, normalizing random Unicode (combining marks, bidi overrides, lone surrogates as
``surrogateescape`` makes them, controls, tag characters), extracting HTML, Markdown and plain
text, splitting sentences, summarizing, picking claim candidates, detecting the language, and the
whole ``to_article`` path. The only exception allowed out is :class:`bot.errors.InputError`, and
every call runs under a time budget in a worker thread, so a hang fails the test instead of
stalling it. Fixed cases add the sizes random generation never reaches: 10,000 nested elements,
1 MB lines of markup that made the old regexes backtrack for minutes.

``bench/robustness.py`` runs the same generators at a larger scale.
"""

from __future__ import annotations

import hashlib
import importlib
import re
import threading
import time
import unicodedata
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.errors import InputError
from bot.ingest import IngestLimits, plaintext, to_article
from bot.ingest.decode import decode
from bot.ingest.language import detect_language, strip_urls, warm_up
from bot.ingest.normalize import normalize
from bot.ingest.plaintext import MD_HEADING
from bot.records import Extracted, Language, RawDocument
from bot.text.candidates import claim_candidates
from bot.text.rank import extractive_summary
from bot.text.sentences import split_sentences

# bot.ingest re-exports a function named ``extract``, which hides the submodule of that name.
extract_module = importlib.import_module("bot.ingest.extract")

BUDGET = 10.0  # seconds for one small random example: they take milliseconds
BIG_BUDGET = 20.0  # seconds for one of the fixed large inputs (measured: under 2 s each)


def fuzz(examples: int) -> settings:
    """Deterministic hypothesis settings: same examples every run, our own time budget."""
    return settings(
        max_examples=examples,
        deadline=None,  # the worker-thread budget below is the hang detector
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


def within(budget: float, call: Callable[..., Any], *args: Any) -> Any:
    """``call(*args)`` in a worker thread: its result, its exception re-raised, or a hang failure.

    A thread cannot be killed, but a daemon one does not keep the test process alive.
    """
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = call(*args)
        except BaseException as exc:  # handed back to the test thread
            outcome["error"] = exc

    worker = threading.Thread(target=run, daemon=True, name="hostile-input")
    started = time.perf_counter()
    worker.start()
    worker.join(budget)
    if worker.is_alive():
        size = sum(len(a) for a in args if isinstance(a, str | bytes))
        pytest.fail(f"hang: {getattr(call, '__name__', call)} still running after {budget:.0f} s "
                    f"on {size:,} characters or bytes of input")
    if "error" in outcome:
        raise outcome["error"]
    assert time.perf_counter() - started <= budget
    return outcome["value"]


def refused_or(budget: float, call: Callable[..., Any], *args: Any) -> Any:
    """``call(*args)`` within ``budget``; None when it refused with an InputError (allowed)."""
    try:
        return within(budget, call, *args)
    except InputError as exc:
        assert exc.reason and "\n" not in exc.reason  # a one-line reason, as promised
        return None


@pytest.fixture(scope="module")
def detectors() -> None:
    """Load the language models once, outside every budget (lingua takes seconds to load)."""
    warm_up()


# --- generators ---------------------------------------------------------------------------------

SPECIAL_CHARS = (
    "\u0301\u0308\u0327\u0489\u20dd\u0e31\u094d\u0670"  # combining marks (enclosing, Thai, Indic)
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"  # bidi
    "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e\u115f\u3164"  # invisible
    "\x00\x01\x07\x08\x0b\x0c\x0e\x1b\x1f\x7f\x80\x85\x9f\r\n\t\u2028\u2029"  # controls, breaks
    "\udc80\udcff\ud800\udbff\udfff\ud83d\ude00"  # surrogates: lone, and a split pair
    "\U000e0001\U000e0041\U000e007f\U0001f3f4"  # tag characters, the flag base
    "\ufffd\uffff\ufffe\U0010ffff\ue000\U000f0000"  # replacement, noncharacters, private use
    "\u00a0\u202f\u3000\u2003\u1680"  # unusual spaces
    "\u212a\u2126\ufb01\u1e9b\u0344\u0958"  # characters NFC/NFKC change
)
TOKENS = (
    # words in several scripts, numbers, sentence ends, abbreviations, quotes
    "The", "minister", "said", "Paris", "NASA", "GPT-5", "o4-mini", "größte", "président",
    "Москва", "выросла", "القاهرة", "والأطول", "तीन", "लाख", "東京", "一千万人", "です。", "ไทย",
    "2024", "1.5", "3,200", "١٢٣", "42%", "$5", "€", "12 km", "No. 5", "Dr.", "z. B.", "U.S.",
    "e.g.", "3.", "XIV.", "т. д.", "5 p.m.", ".", "!", "?", "…", "...", "。", "！", "？", "।",
    "؟", "۔", "!?", "?!", '"', "'", "«", "»", "“", "”", "„", "「", "」", "『", "』", "(", ")",
    "¿", "¡", ":", ";", "-", "—",
    # markup, links, addresses
    "#", "# ", "## ", " #", "---", "===", "```", "~~~", "> ", "- ", "* ", "1. ", "**", "__", "*",
    "_", "`", "~~", "[", "]", "](", "![", "][", "<!--", "-->", "<http://", "<https://", ">", "<",
    "&amp;", "&#0;", "&#xd800;", "&#x110000;", "&nbsp", "http://example.com/a?b=c",
    "www.example.org", "a@b.co", "@", "@@", "a@", ".x", "title: x",
    # whitespace
    " ", "  ", "\t", "\n", "\n\n", "\n\n\n", "\r\n", "\r",
)
hostile_char = st.one_of(
    st.sampled_from(SPECIAL_CHARS),
    st.characters(),  # any code point except surrogates
    st.characters(categories=["Cs", "Co", "Cn", "Cc", "Cf", "Mn", "Me", "Zl", "Zp"]),
)
hostile_text = st.lists(
    st.one_of(st.sampled_from(TOKENS), hostile_char, st.text(max_size=6)), max_size=80
).map("".join)

_TAG_NAMES = ("div", "p", "span", "b", "a", "article", "main", "h1", "title", "table", "tr",
              "td", "ul", "li", "br", "script", "style", "template", "svg", "math", "textarea",
              "plaintext", "noscript", "iframe", "head", "body", "html", "meta", "x-y", "p:q")
_ATTRIBUTES = ("", " hidden", ' aria-hidden="true"', ' style="display:none"',
               ' style="font-size:0;color:#fff;background:#fff"', ' class="nav"', " a=b c",
               ' href="javascript:alert(1)"', ' property="og:title" content="OG"', " =x",
               " a='", ' a="', " /", ' charset="utf-7"', " " + "x" * 50)
html_piece = st.one_of(
    st.builds(lambda t, a: f"<{t}{a}>", st.sampled_from(_TAG_NAMES), st.sampled_from(_ATTRIBUTES)),
    st.builds(lambda t: f"</{t}>", st.sampled_from(_TAG_NAMES)),
    st.sampled_from(("<!doctype html>", "<html>", "<body>", "<!--", "-->", "<!-- x -->",
                     "<![CDATA[", "]]>", "<?xml version='1.0'?>", "<!ENTITY x 'y'>", "&lt;",
                     "&#65;", "&#x1F600;", "&bogus;", "<", ">", "</", "/>", "<p", "<!")),
    hostile_text,
)
hostile_html = st.tuples(
    st.sampled_from(("", "<!doctype html><html><head><title>T</title></head><body>", "<html>")),
    st.lists(html_piece, max_size=60),
).map(lambda parts: parts[0] + "".join(parts[1]))

_PREFIXES = (
    b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff",
    b"%PDF-", b"\x89PNG\r\n\x1a\n", b"PK\x03\x04", b"\x1f\x8b", b"+/v8-",
    b'<meta charset="utf-16">', b'<meta charset="utf-7">', b'<meta charset="unicode-escape">',
    b'<meta charset="rot13">', b'<meta charset="zlib">', b'<meta charset="x">',
    b"<?xml version='1.0' encoding='utf-32'?>", b"<?xml version='1.0' encoding='cp037'?>",
)
_CODECS = ("utf-8", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-7", "cp1252", "latin-1",
           "cp1251", "koi8-r", "shift_jis", "gb18030", "big5", "euc-kr", "iso-2022-jp", "cp037")


def _encoded(args: tuple[str, str, str]) -> bytes:
    text, codec, errors = args
    try:
        return text.encode(codec, errors)
    except UnicodeError:  # "surrogatepass" only helps the UTF codecs
        return text.encode(codec, "replace")


hostile_bytes = st.one_of(
    st.binary(max_size=3000),
    st.builds(lambda p, b: p + b, st.sampled_from(_PREFIXES), st.binary(max_size=500)),
    st.builds(lambda p, b: p + b, st.sampled_from(_PREFIXES),
              st.tuples(st.one_of(hostile_text, hostile_html), st.sampled_from(_CODECS),
                        st.sampled_from(("replace", "surrogatepass", "ignore"))).map(_encoded)),
)
charsets = st.sampled_from((None, "utf-8", "UTF-16", "utf-32", "latin-1", "windows-1251",
                            "utf-7", "unicode-escape", "rot13", "base64", "zlib", "bogus", "",
                            '"utf-8"', "x" * 300, "\x00", "\udcff"))
content_types = st.sampled_from((None, "text/html", "text/markdown", "text/plain",
                                 "application/xhtml+xml", "application/octet-stream",
                                 "text/html; charset=utf-16", "", "\udcff/\x00"))
sources = st.sampled_from(("-", "article.txt", "page.html", "notes.md", "x", "a.HTM",
                           "https://example.com/a.html", "https://example.com/b.md?x=1#y"))
raw_documents = st.builds(RawDocument, data=hostile_bytes, source=sources,
                          content_type=content_types, charset=charsets)


# --- decode, normalize, extract -----------------------------------------------------------------


@fuzz(400)
@given(raw=raw_documents)
def test_decode_random_bytes_gives_text_or_a_decode_error(raw: RawDocument) -> None:
    text = refused_or(BUDGET, decode, raw)
    if text is not None:
        assert isinstance(text, str)
        text.encode("utf-8")  # no lone surrogates: the text can be hashed and stored


_FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b\u2060\ufeff\u00ad\u202a-\u202e"
                        "\u2066-\u2069\u2028\u2029\ud800-\udfff]")


@fuzz(500)
@given(text=hostile_text)
def test_normalize_removes_the_hostile_and_is_stable(text: str) -> None:
    clean = within(BUDGET, normalize, text)
    clean.encode("utf-8")
    assert not _FORBIDDEN.search(clean), ascii(clean)
    assert "\n\n\n" not in clean and clean == clean.strip()
    assert all(line == line.strip(" \t\u00a0\u3000") for line in clean.split("\n"))
    assert unicodedata.is_normalized("NFC", clean)
    # Tag characters survive only inside an emoji subdivision flag.
    assert not re.search("[\U000e0000-\U000e007f]", re.sub(
        "\U0001f3f4[\U000e0020-\U000e007e]+\U000e007f", "", clean))
    assert normalize(clean) == clean  # the same article always gives the same characters


@fuzz(150)
@given(html=hostile_html)
def test_extract_html_never_raises(html: str) -> None:
    extracted = within(BUDGET, extract_module.extract, html, "html")
    assert isinstance(extracted, Extracted) and isinstance(extracted.text, str)
    assert extracted.title is None or isinstance(extracted.title, str)


@fuzz(300)
@given(text=hostile_text, kind=st.sampled_from(("markdown", "text", "unknown")))
def test_extract_markdown_and_text_never_raise(text: str, kind: str) -> None:
    extracted = within(BUDGET, extract_module.extract, text, kind)
    assert isinstance(extracted, Extracted) and isinstance(extracted.text, str)
    assert extracted.title is None or isinstance(extracted.title, str)


# --- the text tools: every sentence and candidate is a verbatim slice --------------------------


def _in_order(pieces: list[str], text: str) -> bool:
    """Whether ``pieces`` occur in ``text`` one after another, without overlapping."""
    position = 0
    for piece in pieces:
        found = text.find(piece, position)
        if found < 0:
            return False
        position = found + len(piece)
    return True


languages = st.sampled_from(("und", "en", "de", "de-AT", "fr", "hi", "ja", "zh-Hans", "ar", "",
                             "EN_us", "x-\udcff"))


@fuzz(400)
@given(text=hostile_text, language=languages)
def test_sentences_are_verbatim_slices_in_order(text: str, language: str) -> None:
    sentences = within(BUDGET, split_sentences, text, language)
    assert all(s and s == s.strip() for s in sentences)
    assert _in_order(sentences, text)


@fuzz(250)
@given(text=hostile_text, language=languages, count=st.integers(-1, 5))
def test_summary_is_verbatim_sentences_in_order(text: str, language: str, count: int) -> None:
    summary = within(BUDGET, extractive_summary, text, language, count)
    assert len(summary) <= max(count, 0)
    sentences = split_sentences(text, language)
    assert all(s in sentences for s in summary)
    assert _in_order(summary, text)


@fuzz(250)
@given(text=hostile_text, language=languages, limit=st.integers(-1, 12))
def test_claim_candidates_are_verbatim_sentences_in_order(
    text: str, language: str, limit: int
) -> None:
    candidates = within(BUDGET, claim_candidates, text, language, limit)
    assert len(candidates) <= max(limit, 0)
    assert len(set(candidates)) == len(candidates)
    sentences = split_sentences(text, language)
    assert all(c in sentences for c in candidates)
    assert _in_order(candidates, text)


# --- language detection -------------------------------------------------------------------------

_LANGUAGE_CODE = re.compile(r"[a-z]{2,3}(-[A-Z][a-z]{3})?")


@pytest.mark.usefixtures("detectors")
@fuzz(200)
@given(text=st.one_of(hostile_text, hostile_text.map(lambda t: t * 20)))
def test_detect_language_always_answers(text: str) -> None:
    found = within(BUDGET, detect_language, text)
    assert isinstance(found, Language)
    assert 0.0 <= found.confidence <= 1.0
    assert _LANGUAGE_CODE.fullmatch(found.code), found.code
    assert found.code != "und" or found.confidence == 0.0


# The regex detect_language used to strip addresses with; strip_urls must remove exactly what it
# did, without its backtracking (4,000 characters of "a@a@…" took 24 s).
_URLS = re.compile(r"https?://\S+|www\.\S+|\S+@\S+\.\w+")
_URL_PIECES = ("a", "b", "@", ".", "..", "-", "_", "é", "1", "http://", "https://", "www.", ":",
               "/", " ", "\n", "\u3000", "@.", ".@")


@fuzz(1500)
@given(text=st.lists(st.sampled_from(_URL_PIECES), max_size=16).map("".join))
def test_strip_urls_is_the_reference_regex(text: str) -> None:
    assert strip_urls(text) == _URLS.sub(" ", text)


# --- Markdown: the linear scanners match the regexes they replaced -----------------------------

_REFERENCE_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.+?)(?:\s+#+)?\s*$")
_REFERENCE_INLINE = (
    (re.compile(r"<!--.*?-->", re.DOTALL), ""),
    (re.compile(r"!\[[^\]]*\]\([^)]*\)|!\[[^\]]*\]\[[^\]]*\]"), ""),
    (re.compile(r"\[([^\]]+)\]\([^)]*\)|\[([^\]]+)\]\[[^\]]*\]"), r"\1\2"),
    (re.compile(r"<(https?://[^>\s]+)>"), r"\1"),
    (re.compile(r"`([^`]+)`"), r"\1"),
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),
    (re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?!\w)|(?<!\w)_(?=\S)(.+?)(?<=\S)_(?!\w)"),
     r"\1\2"),
    (re.compile(r"~~(.+?)~~"), r"\1"),
)
_MARKUP_PIECES = ("*", "**", "_", "__", " ", "a", "é", "1", "[", "]", "(", ")", "![", "<!--",
                  "-->", "<http://", "<https://", "<", ">", "`", "~~", "!", "-", "\t", "#")


def _reference_inline(line: str) -> str:
    for pattern, replacement in _REFERENCE_INLINE:
        line = pattern.sub(replacement, line)
    return line


@fuzz(1500)
@given(line=st.lists(st.sampled_from(_MARKUP_PIECES), max_size=14).map("".join))
def test_markdown_markup_is_read_as_the_regexes_did(line: str) -> None:
    heading = MD_HEADING.match(line)
    reference = _REFERENCE_HEADING.match(line)
    assert (heading and heading.groups()) == (reference and reference.groups())
    assert plaintext._strip_inline(line) == _reference_inline(line)


# --- the whole path -----------------------------------------------------------------------------

LIMITS = IngestLimits()


def _check_article(raw: RawDocument, budget: float) -> None:
    article = refused_or(budget, to_article, raw, LIMITS)
    if article is None:
        return
    assert article.text and len(article.text) <= LIMITS.max_chars
    assert article.sha256 == hashlib.sha256(article.text.encode("utf-8")).hexdigest()
    assert article.id == article.sha256[:16]
    assert normalize(article.text) == article.text
    assert article.title and "\n" not in article.title
    assert 0.0 <= article.language.confidence <= 1.0


@pytest.mark.usefixtures("detectors")
@fuzz(400)
@given(raw=raw_documents)
def test_to_article_refuses_cleanly_or_succeeds(raw: RawDocument) -> None:
    _check_article(raw, BUDGET)


@pytest.mark.usefixtures("detectors")
@fuzz(150)
@given(page=hostile_html, codec=st.sampled_from(("utf-8", "utf-16", "cp1252")),
       content_type=st.sampled_from(("text/html", None)))
def test_to_article_on_hostile_html(page: str, codec: str, content_type: str | None) -> None:
    data = page.encode(codec, "replace")
    _check_article(RawDocument(data=data, source="page.html", content_type=content_type), BUDGET)


# --- fixed large inputs: what random generation never reaches -----------------------------------

MB = 1_000_000
NESTED = 10_000
MD, TEXT, HTML = "text/markdown", "text/plain", "text/html"
HUGE_LINES = {  # name: one line of about 1 MB, and how to read it; the comment says what it cost
    "words": ("word " * (MB // 5), (MD, TEXT, HTML)),
    "unclosed strong": ("**a " * (MB // 4), (MD,)),  # 90 s for 100 KB of Markdown
    "strong closed at the end": ("**a " * (MB // 4) + "a**", (MD,)),
    "unclosed emphasis": ("*a _b " * (MB // 6), (MD,)),
    "unclosed links": ("[a" * (MB // 2), (MD, HTML)),  # 69 s for 100 KB of Markdown
    "links without a target": ("[a](" * (MB // 4), (MD,)),
    "images": ("![" * (MB // 2), (MD,)),
    "comments": ("<!--" * (MB // 4), (MD, HTML)),
    "autolinks": ("<http://" * (MB // 8), (MD, HTML)),
    "unclosed tags": ("<a" * (MB // 2), (HTML,)),
    "unclosed tags with a space": ("<b " * (MB // 3), (HTML,)),  # 17 s for 300 KB
    "unclosed quoted values": ('<a "' + "<b '" * (MB // 4), (HTML,)),
    "tags": ("<b>" * (MB // 3), (HTML,)),
    "heading then spaces": ("# a" + " " * MB + "x", (MD,)),  # the heading regex retried per space
    "addresses": ("a@" * (MB // 2), (TEXT,)),  # language detection: 24 s for 4 KB
    "digits": ("1" * MB, (TEXT,)),
    "sentence ends": (". " * (MB // 2), (TEXT,)),
    "CJK full stops": ("。" * MB, (TEXT,)),
    "quotes": ("«" * (MB // 2) + "»" * (MB // 2), (TEXT, HTML)),
    "abbreviations": ("Dr. z. B. No. 5 " * (MB // 16), (TEXT,)),
    "combining marks": ("a" + "\u0301" * MB, (TEXT,)),
    "bidi overrides": ("\u202e\u2066x" * (MB // 3), (TEXT,)),
}
ARTICLE_SIZED = {name: line[:100_000] for name, (line, _) in HUGE_LINES.items()}


@pytest.mark.usefixtures("detectors")
@pytest.mark.parametrize(
    ("name", "content_type"),
    [(name, kind) for name, (_, kinds) in HUGE_LINES.items() for kind in kinds],
)
def test_one_megabyte_line(name: str, content_type: str) -> None:
    line = HUGE_LINES[name][0]
    raw = RawDocument(data=line.encode("utf-8"), source="x", content_type=content_type)
    _check_article(raw, BIG_BUDGET)


@pytest.mark.usefixtures("detectors")
@pytest.mark.parametrize("name", ARTICLE_SIZED)
def test_text_tools_on_an_article_sized_line(name: str) -> None:
    text = ARTICLE_SIZED[name]
    # The most an article can hold reaches every tool, pathological or not.
    for call in (split_sentences, extractive_summary, claim_candidates, detect_language):
        within(BIG_BUDGET, call, text)
    assert within(BIG_BUDGET, normalize, text).encode("utf-8")


@pytest.mark.usefixtures("detectors")
@pytest.mark.parametrize(
    "page",
    [
        "<html><body>" + "<div>" * NESTED + "Deep text." + "</div>" * NESTED + "</body></html>",
        "<html><body>" + "<div>" * NESTED + "Never closed.",
        "<!doctype html><html><body><p>" + "<b><i>" * NESTED + "Inline nesting.",
        "<html><body>" + "<table><tr><td>" * (NESTED // 3) + "Deep table.",
        "<html><body><ul>" + "<li><ul>" * (NESTED // 2) + "Deep list.",
        "<html><body>" + "<span hidden>" * NESTED + "Hidden all the way down.",
        "<html><body>" + "<!--" * NESTED + "Comments.",
        "<html><body><script>" + "a<" * (MB // 2),
        "<html><body>" + "<svg><math>" * (NESTED // 2) + "Foreign content.",
    ],
    ids=["divs", "unclosed-divs", "inline", "tables", "lists", "hidden", "comments", "script",
         "foreign"],
)
def test_deeply_nested_html(page: str) -> None:
    for kind in ("html", "markdown", "text"):
        extracted = within(BIG_BUDGET, extract_module.extract, page, kind)
        assert isinstance(extracted.text, str)
    _check_article(RawDocument(data=page.encode("utf-8"), source="page.html"), BIG_BUDGET)

"""bot.ingest.css, css_color, css_selectors and stylesheet: the CSS that decides what a reader
can see."""

from __future__ import annotations

import importlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.ingest.css import box_reason, font_px, font_size_value, hides_alone, parse_declarations
from bot.ingest.css_color import background, color, contrast
from bot.ingest.css_selectors import Element, Unsupported, parse_selector
from bot.ingest.hidden_findings import review
from bot.ingest.stylesheet import Stylesheet

hidden_html = importlib.import_module("bot.ingest.hidden_html")


@pytest.mark.parametrize(
    "value",
    ["white", "WHITE".lower(), "#fff", "#FFFFFF".lower(), "#ffff", "#ffffffff", "rgb(255,255,255)",
     "rgb(255 255 255)", "rgba(255, 255, 255, 1)", "rgb(100%, 100%, 100%)", "hsl(0, 0%, 100%)",
     "hsl(120deg 50% 100% / 1)"],
)
def test_every_spelling_of_white_is_white(value):
    assert color(value) == (255.0, 255.0, 255.0, 1.0)


@pytest.mark.parametrize(
    ("value", "alpha"),
    [("transparent", 0.0), ("rgba(0,0,0,0)", 0.0), ("#0000", 0.0), ("rgb(0 0 0 / 50%)", 0.5),
     ("hsla(0, 0%, 0%, .25)", 0.25)],
)
def test_alpha(value, alpha):
    found = color(value)
    assert found is not None and found[3] == pytest.approx(alpha)


@pytest.mark.parametrize("value", ["currentcolor", "var(--bg)", "#ggg", "rgb(1,2)", "", "inherit"])
def test_colours_that_cannot_be_read_are_none(value):
    assert color(value) is None


def test_contrast_is_the_wcag_ratio():
    white, black = (255.0, 255.0, 255.0), (0.0, 0.0, 0.0)
    assert contrast(white, black) == pytest.approx(21)
    assert contrast(white, white) == pytest.approx(1)
    assert contrast((245.0, 245.0, 245.0), white) < 1.1 < contrast((238.0, 238.0, 238.0), white)


@pytest.mark.parametrize(
    ("decls", "expected"),
    [({"background": "#fff url(a.png) no-repeat"}, ((255.0, 255.0, 255.0, 1.0), True)),
     ({"background": "url(a.png)"}, (None, True)),
     ({"background": "linear-gradient(rgba(0,0,0,.5), #fff)"}, (None, True)),
     ({"background-color": "navy"}, ((0.0, 0.0, 128.0, 1.0), False)),
     ({"background": "none"}, ((0.0, 0.0, 0.0, 0.0), False)),
     ({}, (None, False))],
)
def test_background(decls, expected):
    assert background(decls) == expected


@pytest.mark.parametrize(
    ("value", "parent", "px"),
    [("0", 16, 0), ("1px", 16, 1), ("12pt", 16, 16), ("0.1em", 16, 1.6), ("50%", 10, 5),
     ("2rem", 4, 32), ("small", 16, 13), ("smaller", 10, 8.3), ("calc(1em + 2px)", 16, 16),
     (None, 7, 7)],
)
def test_font_px(value, parent, px):
    assert font_px(value, parent) == pytest.approx(px)


@pytest.mark.parametrize(
    ("font", "size"),
    [("0/0 a", "0"), ("italic bold 12px/1.5 serif", "12px"), ("700 x-large Arial", "x-large"),
     ("inherit", None)],
)
def test_the_size_in_the_font_shorthand(font, size):
    assert font_size_value({"font": font}) == size


def test_declarations_keep_important_and_drop_the_rest():
    decls = parse_declarations("display:none !important; display:block; COLOR: Red; "
                               "margin:0; /* visibility:hidden */ font-size:0")
    assert decls == {"display": ("none", True), "color": ("red", False),
                     "font-size": ("0", False)}


@pytest.mark.parametrize(
    ("style", "reason"),
    [("display:none", "display:none"), ("opacity:.05", "opacity:0"),
     ("content-visibility:hidden", "content-visibility:hidden"),
     ("height:0;overflow:hidden", "zero-size box"), ("width:1px;overflow:clip", "zero-size box"),
     ("clip:rect(0,0,0,0)", "clipped to nothing"),
     ("clip:rect(5px 5px 5px 5px)", "clipped to nothing"),
     ("clip-path:inset(50%)", "clipped to nothing"), ("clip-path:circle(0 at 50% 50%)",
                                                      "clipped to nothing"),
     ("text-indent:-9999px", "off-screen"), ("position:fixed;left:-100em", "off-screen"),
     ("transform:translate(-5000px, 0)", "off-screen"),
     ("transform:scale(0)", "scaled to nothing")],
)
def test_box_reasons(style, reason):
    values = {k: v for k, (v, _) in parse_declarations(style).items()}
    found = box_reason(values)
    assert found is not None and found[0] == reason


@pytest.mark.parametrize(
    "style",
    ["display:block", "opacity:.5", "height:0", "width:0", "clip:rect(0, 10px, 10px, 0)",
     "clip-path:inset(10%)", "clip-path:circle(40%)", "left:-9999px",
     "position:relative;left:-20px",
     "transform:scale(1.2) translateX(-20px)", "text-indent:-1em",
     "opacity:0;animation:fade-in 1s forwards", "transform:scale(0);animation-name:pop"],
)
def test_styles_that_leave_text_visible(style):
    values = {k: v for k, (v, _) in parse_declarations(style).items()}
    assert box_reason(values) is None


@pytest.mark.parametrize(
    ("name", "value", "hides"),
    [("display", "none", True), ("display", "block", False), ("visibility", "hidden", True),
     ("visibility", "visible", False), ("font-size", "0", True), ("font-size", "16px", False),
     ("color", "red", True), ("position", "absolute", True), ("position", "static", False),
     ("width", "0", True), ("width", "auto", False), ("overflow", "visible", False)],
)
def test_what_a_conditional_rule_may_not_do(name, value, hides):
    assert hides_alone(name, value) is hides


@pytest.mark.parametrize(
    ("selector", "specificity", "conditional"),
    [("div", 1, False), (".a", 100, False), ("#b", 10000, False), ("div.a#b[c]", 10201, False),
     ("ul li > a", 3, False), (".a:hover", 200, True), (".k:not(.open)", 200, False),
     (":where(.x) p", 1, False), (":is(.x, #y) p", 10001, False), ("a:nth-child(2n)", 101, True),
     (":root .x", 200, False)],
)
def test_selectors_and_their_specificity(selector, specificity, conditional):
    _, spec, cond = parse_selector(selector)
    assert (spec, cond) == (specificity, conditional)


@pytest.mark.parametrize("selector", ["p::before", "a:after", "svg|rect", ".a >", "", ".",
                                      ":is(.a .b)", "p:not(", "[x"])
def test_selectors_not_read(selector):
    with pytest.raises(Unsupported):
        parse_selector(selector)


def _matched(css: str, chain: list[tuple[str, dict[str, str]]], media: str | None = None):
    """The rules of ``css`` matching the last element of ``chain`` (the others its ancestors)."""
    sheet = Stylesheet()
    sheet.add_css(css, media)
    elements = [Element.make(tag, attrs) for tag, attrs in chain]
    keys: dict[str, int] = {}
    for element in elements[:-1]:
        for key in element.keys:
            keys[key] = keys.get(key, 0) + 1
    return sheet.matching(elements[-1], elements[:-1], keys)


@pytest.mark.parametrize(
    ("css", "chain", "matches"),
    [(".a p{display:none}", [("div", {"class": "a"}), ("p", {})], True),
     (".a > p{display:none}", [("div", {"class": "a"}), ("span", {}), ("p", {})], False),
     (".a > p{display:none}", [("div", {"class": "a"}), ("p", {})], True),
     ("p.x.y{display:none}", [("p", {"class": "y x z"})], True),
     ("p.x.y{display:none}", [("p", {"class": "x"})], False),
     ("[lang|=en]{display:none}", [("p", {"lang": "en-GB"})], True),
     ("[href^='https']{display:none}", [("a", {"href": "https://x"})], True),
     ("[data-x='Y' i]{display:none}", [("a", {"data-x": "y"})], True),
     ("a:link{display:none}", [("a", {"href": "/x"})], True),
     ("a:link{display:none}", [("a", {})], False),
     ("p:empty{display:none}", [("p", {})], False),
     (":root p{display:none}", [("html", {}), ("p", {})], True),
     (".k:not(.open){display:none}", [("b", {"class": "k open"})], False),
     (":is(.x, .y) b{display:none}", [("div", {"class": "y"}), ("b", {})], True)],
)
def test_matching(css, chain, matches):
    assert bool(_matched(css, chain)) is matches


@pytest.mark.parametrize(
    ("css", "media", "kept"),
    [("@media print{p{display:none}}", None, []),
     ("@media screen and (max-width:600px){p{display:none;color:red;visibility:visible}}", None,
      ["visibility"]),
     ("@media all{p{display:none}}", None, ["display"]),
     ("@media not print{p{display:none}}", None, ["display"]),
     ("@media (min-width:0), print{p{display:none}}", None, []),
     ("p{display:none}", "print", []),
     ("p{display:none}", "screen", ["display"]),
     ("p{display:none;opacity:1}", "(orientation:portrait)", ["opacity"]),
     ("@font-face{font-family:x;display:none}p{opacity:0}", None, ["opacity"]),
     ("@supports not (display:grid){p{display:none}}", None, []),
     ("@layer base{p{display:none}}", None, ["display"]),
     ('p{content:"}";display:none}', None, ["display"]),
     ("p{display:none;.nested{opacity:1}}", None, ["display"])],
)
def test_blocks_that_only_reveal_or_are_ignored(css, media, kept):
    rules = _matched(css, [("p", {})], media)
    assert sorted(p for rule in rules for p in rule.decls) == kept


def test_the_same_rule_written_twice_is_kept_once_at_its_later_place():
    sheet = Stylesheet()
    sheet.add_css(".x{display:none}.x{display:block}" * 50)
    assert sheet.size == 2
    [hide] = [r for r in sheet.index[".x"].values() if r.decls["display"][0] == "none"]
    [show] = [r for r in sheet.index[".x"].values() if r.decls["display"][0] == "block"]
    assert show.order > hide.order


@settings(max_examples=400, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
@given(st.lists(st.sampled_from(
    ["{", "}", ";", ":", ".a", "#b", "*", ">", "+", "~", " ", ",", "[x", "]", "=", '"', "'", "\\",
     "/*", "*/", "@media", "@supports", "(", ")", "display:none", "color:#fff", "background:",
     "rgb(", "hsl(", "!important", "::before", ":not(", ":is(", ":hover", "font:", "0/0",
     "1e999", "-1e999px", "clip:rect(", "inset(", "circle(", "translate(", "scale(", "%", "px",
     "\x00", "\ud800", "é"]), max_size=40).map("".join),
    st.lists(st.sampled_from(
        ["<div", "<p", "<span", " class=a", " class='a b'", " id=b", " hidden", ' style="',
         "color:#fff;", "background:#fff", "visibility:hidden", "visibility:visible", "font-size:0",
         '"', ">", "</div>", "</p>", "<a href=x>", "</a>", "<template>", "text ", "<!--", "-->",
         "<dialog>", "<link rel=stylesheet>", "<svg>", "<br/>"]), max_size=40).map("".join))
def test_random_style_sheets_never_raise(css, html):
    # The tokenizer itself, not strip_hidden_html: its fallback would hide an exception, and an
    # exception there would let a page switch off all hiding.
    page = html[: len(html) // 2] + "<style>" + css + "</style>" + html[len(html) // 2:]
    removals, _ = hidden_html._tokenize(page)
    review(page, removals)

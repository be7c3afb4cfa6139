"""bot.ingest.extract: the article's text and metadata, and nothing else."""

from __future__ import annotations

import importlib
import re
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.ingest.extract import extract, sniff_kind
from bot.ingest.normalize import normalize
from bot.records import Extracted

# trafilatura is used in bot.ingest.extract_html (the module, not the re-exported function).
extract_module = importlib.import_module("bot.ingest.extract_html")

CORPUS = Path(__file__).resolve().parent.parent / "data" / "corpus"
PAGE = (CORPUS / "article-page.html").read_text(encoding="utf-8")
WEBB = (CORPUS / "en-webb-telescope.txt").read_text(encoding="utf-8")
WEBB_PARAGRAPHS = [p.strip() for p in WEBB.split("\n\n")[1:] if p.strip()]


# --- sniff_kind -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content_type", "source", "text", "kind"),
    [
        ("text/html", "x.txt", "plain", "html"),
        ("text/html; charset=utf-8", "-", "", "html"),
        ("application/xhtml+xml", "-", "", "html"),
        ("text/markdown", "x.txt", "", "markdown"),
        ("text/x-markdown; charset=utf-8", "-", "", "markdown"),
        # text/plain is what servers say for everything; the suffix knows better
        ("text/plain", "notes.md", "", "markdown"),
        ("text/plain", "https://raw.example.com/a/README.markdown?raw=1", "", "markdown"),
        ("text/plain", "story.txt", "<html><body>", "text"),
        (None, "page.html", "", "html"),
        (None, "PAGE.HTM", "", "html"),
        (None, "https://example.com/news/story.html#top", "", "html"),
        (None, "notes.md", "", "markdown"),
        (None, "a.txt", "# not markdown: a .txt file is text", "text"),
        (None, "-", "<!DOCTYPE html><html><body></body></html>", "html"),
        (None, "-", "\ufeff  \n <!doctype HTML>\n<html lang=en>", "html"),
        (None, "-", "<html>\n<body>Hi</body></html>", "html"),
        (None, "https://example.com/article", "<html lang='fr'>", "html"),
        (None, "-", "# A heading\n\nSome text.", "markdown"),
        (None, "-", "#hashtag is not a heading", "text"),
        (None, "-", "Plain text that mentions <html> later on.", "text"),
        (None, "-", "<p>a fragment is not a page</p>", "text"),
        (None, "-", "", "text"),
        ("application/octet-stream", "-", "Just text.", "text"),
        # Feeds, by their type or their root element, whatever the suffix says
        ("application/rss+xml; charset=utf-8", "https://example.org/news", "", "feed"),
        ("application/atom+xml", "-", "", "feed"),
        ("text/xml", "https://example.org/rss", '<?xml version="1.0"?>\n<rss version="2.0">',
         "feed"),
        (None, "news.txt", '\ufeff<?xml version="1.0"?><!-- generated --><feed xmlns="x">',
         "feed"),
        ("text/html", "-", "<rdf:RDF xmlns:rdf='x'><channel>", "feed"),
        (None, "-", '<?xml version="1.0"?><html><body>XHTML</body></html>', "html"),
        (None, "-", "<feedback>is not a feed</feedback>", "text"),
    ],
)
def test_sniff_kind(content_type: str | None, source: str, text: str, kind: str):
    assert sniff_kind(content_type, source, text) == kind


# --- HTML -------------------------------------------------------------------------------------


def test_corpus_page_gives_exactly_the_article_paragraphs():
    result = extract(PAGE, "html")
    assert result.text.split("\n\n") == WEBB_PARAGRAPHS


def test_corpus_page_metadata():
    result = extract(PAGE, "html")
    assert result.title == "Webb telescope marks another year of discoveries"
    assert result.author == "Example Science Desk"
    assert result.published == "2026-11-20"


@pytest.mark.parametrize(
    "unwanted",
    [
        "Home",  # navigation
        "Subscribe for 1 euro a month",
        "ADVERTISEMENT",
        "mortgage rates",
        "Most read",
        "Ten recipes for autumn",
        "Transfer window",
        "All rights reserved",
        "Cookie settings",
        "Privacy",
        "trackingId",  # script
        "UA-000000-1",
        "display:flex",  # style
        "The Example Tribune",  # the site name in <title> is not part of the title
        # The byline is left out on purpose: its author and date are in the metadata, and a
        # date line in the body would only become a spurious "claim".
        "By the Example Science Desk",
    ],
)
def test_corpus_page_boilerplate_is_gone(unwanted: str):
    result = extract(PAGE, "html")
    assert unwanted not in result.text
    assert unwanted not in (result.title or "")


def test_headline_is_the_title_not_the_first_paragraph():
    result = extract(PAGE, "html")
    assert not result.text.startswith("Webb telescope marks")


ARTICLE_BODY = "".join(
    f"<p>Paragraph {i} of the report explains, with figures and names, what the council decided "
    f"on the riverside cycle lanes and why the mayor expects them to open next spring.</p>"
    for i in range(1, 5)
)


def page(body: str, head: str = "<title>Council votes on cycle lanes</title>") -> str:
    return f"<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>"


def test_structure_is_kept_as_plain_text():
    html = page(
        "<article>"
        + ARTICLE_BODY
        + "<h2>What happens next</h2>"
        + "<ul><li>First, a consultation.</li><li>Then <b>building</b> work.</li></ul>"
        + "<p>Line one<br>Line two</p>"
        + "<blockquote>We are delighted, said the mayor.</blockquote>"
        + "<table><tr><th>Year</th><th>Cost</th></tr><tr><td>2027</td><td>14 million</td></tr>"
        + "</table></article>"
    )
    text = extract(html, "html").text
    blocks = text.split("\n\n")
    assert blocks[0].startswith("Paragraph 1 of the report")
    assert "What happens next" in blocks
    assert "- First, a consultation.\n- Then building work." in blocks
    assert "Line one\nLine two" in blocks
    assert "We are delighted, said the mayor." in blocks
    assert "Year | Cost\n2027 | 14 million" in blocks


def test_comments_and_link_tables_are_left_out():
    html = page(
        "<article>"
        + ARTICLE_BODY
        + "<table><tr><td><a href='/a'>Sport</a></td><td><a href='/b'>Weather</a></td></tr>"
        + "<tr><td><a href='/c'>Travel</a></td><td><a href='/d'>Money</a></td></tr></table>"
        + "<p>See <a href='/report'>the full report</a> for the figures.</p>"
        + "<ul><li><a href='/r1'>Related story</a></li><li><a href='/r2'>Another one</a></li></ul>"
        + "</article><section id='comments' class='comments'><div class='comment'>"
        + "<p>First! Great article, totally agree with everything said here by the author.</p>"
        + "</div></section>"
    )
    text = extract(html, "html").text
    assert "Paragraph 4 of the report" in text
    assert "See the full report for the figures." in text  # a link inside prose is just text
    for unwanted in ("Sport", "Weather", "Travel", "Money", "First! Great", "Related story"):
        assert unwanted not in text


def test_data_table_with_some_links_is_kept():
    rows = "".join(
        f"<tr><td><a href='/club/{n}'>{name}</a></td><td>{points}</td><td>{goals}</td></tr>"
        for n, (name, points, goals) in enumerate(
            [("Paris Saint-Germain", 42, 38), ("Olympique de Marseille", 37, 30)]
        )
    )
    html = page("<article>" + ARTICLE_BODY + "<table>" + rows + "</table></article>")
    assert "Paris Saint-Germain | 42 | 38" in extract(html, "html").text


def test_metadata_from_common_tags():
    head = (
        '<meta property="og:title" content="Council votes on cycle lanes">'
        '<meta name="author" content="Jane Doe">'
        '<meta property="article:published_time" content="2025-03-04T10:30:00+01:00">'
        "<title>Council votes on cycle lanes - The Daily Example</title>"
    )
    result = extract(page("<article>" + ARTICLE_BODY + "</article>", head), "html")
    assert result.title == "Council votes on cycle lanes"
    assert result.author == "Jane Doe"
    assert result.published == "2025-03-04"


def test_no_metadata_means_none():
    result = extract(page("<article>" + ARTICLE_BODY + "</article>", head=""), "html")
    assert result.author is None
    assert result.published is None
    assert "Paragraph 1" in result.text


def test_tiny_page_falls_back_to_body_text_without_scripts():
    html = page(
        "<nav>Menu</nav><script>var x = 'tracking';</script><style>p{color:red}</style>"
        "<p>Short note.</p><footer>Footer text</footer>",
        head="<title>Note</title>",
    )
    result = extract(html, "html")
    assert "Short note." in result.text
    for unwanted in ("tracking", "color:red", "Menu", "Footer text"):
        assert unwanted not in result.text
    assert result.title == "Note"


def test_fallback_used_when_trafilatura_finds_nothing(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(extract_module.trafilatura, "bare_extraction", lambda *a, **k: None)
    result = extract(PAGE, "html")
    assert "James Webb Space Telescope launched" in result.text
    assert "trackingId" not in result.text
    assert "display:flex" not in result.text
    assert "Most read" not in result.text  # the <aside>
    assert "All rights reserved" not in result.text  # the <footer>
    assert result.title == "Webb telescope marks another year of discoveries"


def test_fallback_used_when_trafilatura_crashes(monkeypatch: pytest.MonkeyPatch):
    def crash(*args: object, **kwargs: object) -> None:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(extract_module.trafilatura, "bare_extraction", crash)
    assert "Kourou, French Guiana" in extract(PAGE, "html").text


def test_deeply_nested_html_does_not_raise_and_keeps_its_text():
    depth = 5000  # beyond libxml2's 2048-level limit
    html = (
        "<html><body>" + "<div>" * depth + "Deep text here." + "</div>" * depth + "</body></html>"
    )
    assert extract(html, "html").text == "Deep text here."


def test_fallback_copes_with_an_omitted_head_end_tag(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(extract_module.trafilatura, "bare_extraction", lambda *a, **k: None)
    result = extract("<html><head><title>T</title><body><p>Visible text.</p>", "html")
    assert result == Extracted(text="Visible text.", title="T")


def test_fallback_keeps_tags_whose_quoted_values_hold_angle_brackets(
    monkeypatch: pytest.MonkeyPatch,
):
    monkeypatch.setattr(extract_module.trafilatura, "bare_extraction", lambda *a, **k: None)
    html = ('<html><head><title>T</title></head><body>'
            '<p title="if a < b and c > d">Visible text.</p>'
            "<nav data-x='<menu>'>Menu</nav><p>Prices < 5 euros; 3 > 2.</p></body></html>")
    result = extract(html, "html")
    assert result.text == "Visible text.\nPrices < 5 euros; 3 > 2."
    assert result.title == "T"


def test_fallback_stays_linear_on_unclosed_quotes_and_brackets(
    monkeypatch: pytest.MonkeyPatch,
):
    monkeypatch.setattr(extract_module.trafilatura, "bare_extraction", lambda *a, **k: None)
    for hostile in ('<a "' + "<b " * 100_000, "<a '" + '<a "x' * 50_000, "<" * 300_000,
                    '<p title="' + "<" * 300_000):
        started = time.perf_counter()
        extract(hostile, "html")
        assert time.perf_counter() - started < 60  # a guard against a blow-up, not a speed limit


def test_xml_declaration_does_not_break_extraction():
    html = '<?xml version="1.0" encoding="utf-8"?>' + page(
        "<article>" + ARTICLE_BODY + "</article>"
    )
    assert "Paragraph 2 of the report" in extract(html, "html").text


@pytest.mark.parametrize(
    "html",
    [
        "",
        "   ",
        "<",
        "<<<>>><div",
        "<html>",
        "<html><body></body></html>",
        "<!-- only a comment -->",
        "<p>unclosed <b>bold <i>italic",
        "</p></div></body>stray closers",
        "<script>only a script</script>",
        "\x00<html>\x01",
        "<html><body>" + "<table>" * 3000 + "x",
        "<div " + "a='b' " * 5000 + ">attrs</div>",
    ],
)
def test_weird_html_never_raises(html: str):
    result = extract(html, "html")
    assert isinstance(result, Extracted)
    assert "only a script" not in result.text


# --- Markdown ---------------------------------------------------------------------------------

MARKDOWN = """---
title: Front matter title
date: 2025-01-01
---
# The *Big* Story

Some **bold**, __strong__, *italic* and _emphasised_ text, ~~struck~~, with a
[link](https://example.com "title") and an image ![a chart](chart.png) inline.

## Background

> A quoted line
> and another.

- item one
- item `two`

```python
print("code stays as text")
```

See [the report][ref] and <https://example.org/page>.

[ref]: https://example.com/report

***

snake_case_names and 2*3*4 stay as they are.
"""


def test_markdown_title_from_the_opening_heading():
    result = extract(MARKDOWN, "markdown")
    assert result.title == "The Big Story"
    assert not result.text.startswith("The Big Story")


def test_markdown_markup_is_stripped_lightly():
    text = extract(MARKDOWN, "markdown").text
    assert "Some bold, strong, italic and emphasised text, struck, with a" in text
    assert "link and an image  inline." in text
    assert "Background" in text
    assert "A quoted line\nand another." in text
    assert "- item one\n- item two" in text
    assert 'print("code stays as text")' in text
    assert "See the report and https://example.org/page." in text
    assert "snake_case_names and 2*3*4 stay as they are." in text
    for markup in ("**", "__", "](", "![", "```", "[ref]", "https://example.com/report", "##"):
        assert markup not in text
    assert "chart.png" not in text
    assert "Front matter" not in text
    assert "date: 2025" not in text


def test_markdown_front_matter_title_when_there_is_no_heading():
    result = extract("---\ntitle: 'From YAML'\n---\nJust a paragraph.", "markdown")
    assert result == Extracted(text="Just a paragraph.", title="From YAML")


def test_markdown_setext_heading():
    assert extract("The Title\n=========\n\nBody text.", "markdown") == Extracted(
        text="Body text.", title="The Title"
    )


def test_markdown_later_section_heading_is_not_the_title():
    result = extract("An opening paragraph.\n\n## Details\n\nMore.", "markdown")
    assert result.title is None
    assert result.text == "An opening paragraph.\n\nDetails\n\nMore."


def test_markdown_level_one_heading_later_on_is_the_title_and_stays():
    result = extract("Intro line.\n\n# Main title\n\nMore.", "markdown")
    assert result.title == "Main title"
    assert "Main title" in result.text


def test_markdown_code_fence_content_is_not_stripped():
    result = extract("# T\n\n```\n**not bold** [x](y)\n```\n", "markdown")
    assert result.text == "**not bold** [x](y)"


# --- plain text -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", sorted(p for p in CORPUS.glob("*.txt") if p.read_text(encoding="utf-8").strip())
)
def test_corpus_text_titles(path: Path):
    raw = path.read_text(encoding="utf-8")
    first_line = next(line for line in raw.splitlines() if line.strip())
    result = extract(raw, "text")
    assert result.title == first_line.strip()
    assert result.text == raw.strip()[len(first_line.strip()) :].strip()


def test_text_title_rules():
    assert extract("Title here\n\nBody text.", "text") == Extracted("Body text.", "Title here")
    assert extract("\n\n  Padded title  \nBody.", "text") == Extracted("Body.", "Padded title")
    title = "Le « grand débat » s’ouvre à Paris"
    assert extract(f"{title}\nCorps.", "text").title == title


@pytest.mark.parametrize(
    "raw",
    [
        "A first sentence that ends with a full stop.\nThe rest.",
        "Is this a question?\nThe rest.",
        "Wow!\nThe rest.",
        "Introduced by a colon:\nThe rest.",
        "Il a dit « non. »\nLa suite.",
        "一行目は文です。\n続き。",
        "Only one line and nothing after it",
        "x" * 201 + "\nbody",
        '{\n  "json": true\n}',
        "----------\nBody.",
        "",
        "\n\n   \n",
    ],
)
def test_text_without_title(raw: str):
    assert extract(raw, "text") == Extracted(text=raw)


def test_unknown_kind_is_plain_text():
    assert extract("Title\nBody.", "pdf") == Extracted("Body.", "Title")


# --- the contract: never raise ----------------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(
    text=st.text(
        alphabet=st.sampled_from("<>/=\"' abcdhpt\n!-#*_[]()`~") | st.characters(), max_size=300
    ),
    kind=st.sampled_from(["html", "markdown", "text"]),
)
def test_never_raises(text: str, kind: str):
    result = extract(text, kind)
    assert isinstance(result, Extracted)
    assert isinstance(result.text, str)


def test_a_tag_with_thousands_of_attributes_is_read_in_time():

    from bot.ingest.extract import extract as read

    page = ("<html><body><div " + " ".join(f'a{i}="x"' for i in range(60_000))
            + "><p>The harbour handled 1,200 ships in 2025, a record for the port.</p>"
            "</div></body></html>")
    started = time.perf_counter()
    text = read(page, "html").text
    assert time.perf_counter() - started < 60  # was minutes: quadratic in the attributes
    assert "1,200 ships" in text and 'a1="x"' not in text


# --- Words and sentences keep their separators ------------------------------------------------
# Shapes modelled on trafilatura's own test pages: a Blogger post whose text sits directly in a
# <div> beside links and <br>; a holiday let's conditions in list items of several paragraphs;
# a bride's tips whose list items hold a heading, <br> and links. A word glued to the next or a
# sentence cut in two would reach the claims' verbatim quotes, so the text is checked as the
# pipeline stores it (normalized).

BLOG_POST = """<div class='post-body entry-content'>
Version 3.6.0 of the language is now available! &nbsp; It is the newest major release, and it
contains many new features and optimizations. &nbsp;See <a href="https://docs.example.org/new"
target="_blank">the What&#8217;s New In 3.6 document</a> for more information.<br />
<br />
You can download version 3.6.0 <a href="https://www.example.org/downloads/">here</a>. &nbsp;Also,
most third-party distributors should be making 3.6.0 packages available soon.<br />
<div><br /></div>
Maintenance releases for the 3.6 series will follow at regular intervals, starting in the first
quarter of next year, as <a href="/schedule">the release schedule</a>, published in spring,
explains in detail for every distributor.<br />
<div><br /></div>
<div>We hope you enjoy version 3.6.0!</div>
</div>"""


def text_of(html: str) -> str:
    """The text of ``html`` as the pipeline stores it."""
    return normalize(extract(html, "html").text)


def body_text(html: str) -> str:
    """The stored text of ``html`` placed in an article after the usual paragraphs."""
    return text_of(page("<article>" + ARTICLE_BODY + html + "</article>"))


def test_a_link_inside_running_text_keeps_the_spaces_around_it():
    text = text_of(page(f"<div id='main'>{BLOG_POST}</div>"))
    assert "See the What’s New In 3.6 document for more information." in text
    assert "documentfor" not in text
    # the sentence is not cut at the link either, nor the paragraph after a nested <div> lost
    assert "You can download version 3.6.0 here. Also, most third-party" in text
    assert "Maintenance releases for the 3.6 series" in text
    blocks = text.split("\n\n")
    assert blocks.index("We hope you enjoy version 3.6.0!") == len(blocks) - 1  # order kept


def test_a_link_before_punctuation_gets_no_space_before_it():
    text = text_of(page(f"<div id='main'>{BLOG_POST}</div>"))
    assert "as the release schedule, published in spring, explains" in text
    assert " ," not in text and " ." not in text


def test_a_link_at_the_end_of_a_word_in_a_list_item_keeps_the_space_before_it():
    text = body_text("<ol><li><strong>Beautiful hands<br></strong><br>As soon as the ring is "
                     "on, everyone wants to see it. I use the <a href='/p/1'>shea butter hand "
                     "cream</a> every evening.<br><br></li><li><strong>Sport</strong><br>Every "
                     "morning, before <a href='/p/2'>work</a>.</li></ol>")
    assert ("- Beautiful hands\nAs soon as the ring is on, everyone wants to see it. I use the "
            "shea butter hand cream every evening.\n- Sport\nEvery morning, before work.") in text


def test_source_line_breaks_around_a_link_are_spaces_not_lines():
    text = body_text("<p>The council published\n<a href='/r'>its report</a>\non Monday, "
                     "and the mayor\nwelcomed it.</p>")
    assert "The council published its report on Monday, and the mayor welcomed it." in text


def test_list_items_of_several_paragraphs_keep_them_apart():
    text = body_text("<p>Conditions of the let:</p><ul>"
                     "<li><p>Arrival by arrangement.</p><p>Payment terms:</p><p>no deposit</p>"
                     "</li><li>no tourist tax</li><li>pets welcome</li></ul>")
    assert "- Arrival by arrangement.\nPayment terms:\nno deposit\n- no tourist tax" in text
    assert "\n- pets welcome" in text


def test_blockquote_paragraphs_stay_paragraphs():
    blocks = body_text("<blockquote><p>We are delighted with the vote.</p>"
                       "<p>Work starts in May, said the mayor.</p></blockquote>").split("\n\n")
    assert "We are delighted with the vote." in blocks
    assert "Work starts in May, said the mayor." in blocks


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<ul><li><div>Arrival by arrangement.</div><div>Keys at the bakery.</div></li>"
         "<li>no tourist tax</li></ul>",
         "- Arrival by arrangement.\nKeys at the bakery.\n- no tourist tax"),
        ("<ul><li>Payment terms:<div>no deposit</div>cash or card</li><li>pets welcome</li></ul>",
         "- Payment terms:\nno deposit\ncash or card\n- pets welcome"),
        ("<ul><li>Results:<table><tr><td>North</td><td>31</td></tr></table></li>"
         "<li>South: 12</li></ul>",
         "- Results:\nNorth\n31\n- South: 12"),
        ("<blockquote><div>We are delighted with the vote.</div><div>Work starts in May.</div>"
         "</blockquote>",
         "We are delighted with the vote.\n\nWork starts in May."),
        ("<blockquote><blockquote>Is it safe?</blockquote>It is, said the mayor.</blockquote>",
         "Is it safe?\n\nIt is, said the mayor."),
    ],
)
def test_divisions_inside_items_and_quotes_keep_their_words_apart(html: str, expected: str):
    assert expected in body_text(html)


@pytest.mark.parametrize("container", ["p", "div"])
def test_line_breaks_become_newlines(container: str):
    text = body_text(f"<{container}>The council met on Monday.<br>The vote was 31 to 12.<br/>"
                     f"The lanes open in spring.</{container}>")
    assert "The council met on Monday.\nThe vote was 31 to 12.\nThe lanes open in spring." in text


def test_preformatted_text_keeps_its_lines():
    text = body_text("<pre>Results by ward\nNorth    31 for\nSouth    12 against</pre>")
    assert "Results by ward\nNorth 31 for\nSouth 12 against" in text


def test_table_cells_of_several_paragraphs_keep_their_words_apart():
    text = body_text("<table><tr><th>Line</th><th>Opening</th></tr>"
                     "<tr><td><p>Riverside</p><p>lane</p></td><td>May<br>2027</td></tr></table>")
    assert "Line | Opening\nRiverside lane | May 2027" in text


def test_definition_lists_keep_each_definition_under_its_term():
    text = body_text("<dl><dt>Deposit</dt><dd>none</dd><dt>Tourist tax</dt>"
                     "<dd>included in the price</dd></dl>")
    assert "- Deposit\nnone\n- Tourist tax\nincluded in the price" in text


def test_nested_lists_are_kept_item_by_item():
    text = body_text("<h2>Tips for the day</h2><ul>"
                     "<li>Book early<ul><li>weekday slots are cheaper</li>"
                     "<li>ask for the morning</li></ul>then relax.</li>"
                     "<li>Bring a spare<ol><li>charger</li><li>umbrella</li></ol></li></ul>")
    assert ("- Book early\n- weekday slots are cheaper\n- ask for the morning\nthen relax.\n"
            "- Bring a spare\n- charger\n- umbrella") in text


def test_a_list_nested_directly_in_a_list_is_kept():
    text = body_text("<ul><li>Coffee from the hills</li><ul><li>Black tea from Assam</li>"
                     "<li>Green tea from Japan</li></ul><li>Milk from the farm</li></ul>")
    assert ("- Coffee from the hills\n- Black tea from Assam\n- Green tea from Japan\n"
            "- Milk from the farm") in text


def test_tips_whose_nested_lists_link_products_are_not_taken_for_navigation():
    tips = "".join(
        f"<li>Tip {n}: moisturise your hands every evening in the week before the day.<ul>"
        f"<li><a href='/p/{n}a'>Hand cream {n}</a> from Sante, about 8 euros a tube</li>"
        f"<li><a href='/p/{n}b'>Travel tube {n}</a>, small enough for any bag</li></ul></li>"
        for n in range(1, 5)
    )
    text = body_text(f"<h2>My tips</h2><ul>{tips}</ul>")
    for n in range(1, 5):
        assert (f"- Tip {n}: moisturise your hands every evening in the week before the day.\n"
                f"- Hand cream {n} from Sante, about 8 euros a tube\n"
                f"- Travel tube {n}, small enough for any bag") in text


def test_navigation_with_submenus_is_still_left_out():
    menu = "".join(
        f"<li><a href='/s/{n}'>Section {n}</a><ul><li><a href='/s/{n}/a'>Sub {n}a</a></li>"
        f"<li><a href='/s/{n}/b'>Sub {n}b</a></li></ul></li>"
        for n in range(6)
    )
    text = body_text(f"<ul>{menu}</ul>")
    assert "Paragraph 4 of the report" in text
    assert "Section 3" not in text and "Sub 2a" not in text


@pytest.mark.parametrize(
    ("post", "sentence"),
    [
        ("東京都は<b>新しい</b>条例を<a href='/j'>施行</a>した。<br>違反者には<a href='/f'>罰金</a>"
         "が科される。<br><br>条例は自転車専用道路の整備について定め、都は来年の春までに三十キロを"
         "開通させる計画だと発表した。<div><br></div><div>詳しい数字と名前は報告書に記されている。</div>",
         "東京都は新しい条例を施行した。\n違反者には罰金が科される。"),
        ("上海市政府<a href='/c'>宣布</a>，新规定<em>下月</em>起<a href='/d'>实施</a>。<br>市民"
         "可以在<a href='/w'>网站</a>上查询。<br><br>新规定涉及自行车道的建设，市政府计划在明年春天"
         "之前开通三十公里。<div><br></div><div>详细的数字和名字都写在报告里。</div>",
         "上海市政府宣布，新规定下月起实施。\n市民可以在网站上查询。"),
    ],
)
def test_cjk_text_gets_no_space_between_inline_elements(post: str, sentence: str):
    html = page(f"<div id='main'><div class='post-body entry-content'>{post}</div></div>")
    assert sentence in text_of(html)


def test_deeply_nested_lists_do_not_raise():
    html = page("<article>" + ARTICLE_BODY + "<ul><li>level" * 1500 + "</li></ul>" * 1500
                + "</article>")
    assert "Paragraph 1 of the report" in extract(html, "html").text


# Any nesting of blocks, inline elements, lists, cells and line breaks: no two words of the page
# come out as one. Words are numbered after the page is drawn, so each occurs once.
_WORD = "qzWORDx"
_TOKEN = re.compile(r"qz\d+x")
_INLINE = ["a href='/l'", "b", "em", "span", "strong"]
_BLOCK = ["p", "div", "blockquote", "h3", "section", "dd"]


def _tagged(tag: str, kids: list[str]) -> str:
    return f"<{tag}>{''.join(kids)}</{tag.split()[0]}>"


_run = st.builds(lambda n, end: " " + " ".join([_WORD] * n) + end + " ",
                 st.integers(1, 5), st.sampled_from(["", ",", "."]))
_fragment = st.recursive(
    _run,
    lambda kids: st.one_of(
        st.builds(_tagged, st.sampled_from(_INLINE + _BLOCK), st.lists(kids, min_size=1,
                                                                       max_size=3)),
        st.builds(lambda ks: "<ul>" + "".join(f"<li>{k}</li>" for k in ks) + "</ul>",
                  st.lists(kids, min_size=1, max_size=4)),
        st.builds(lambda ks: "<table><tr>" + "".join(f"<td>{k}</td>" for k in ks)
                  + "</tr></table>", st.lists(kids, min_size=1, max_size=3)),
        st.builds("<br>".join, st.lists(kids, min_size=2, max_size=3)),
    ),
    max_leaves=12,
)


@settings(max_examples=80, deadline=None)
@given(st.lists(_fragment, min_size=1, max_size=4), st.booleans())
def test_no_two_words_are_ever_glued(fragments: list[str], among_paragraphs: bool):
    numbers = iter(range(10**6))
    body = re.sub(_WORD, lambda _: f"qz{next(numbers)}x", "".join(fragments))
    html = (page("<article>" + ARTICLE_BODY + body + "</article>") if among_paragraphs
            else page(f"<div id='main'><div class='post-body'>{body}</div></div>"))
    words = set(_TOKEN.findall(body))
    for token in re.split(r"[\s|]+", text_of(html)):
        if "qz" in token:
            assert token.strip(",.-") in words, token


SCRIPT_SHELL = """<!doctype html><html><head><meta charset="utf-8"></head><body ng-app="news">
<div class="toolbar">{{ ctrl.content.status === "published" ? "Publié" :
  ctrl.content.status === "draft" ? "Brouillon" : "Inconnu" }}</div>
<div>{{ ctrl.content.author.fullName }} - {{ ctrl.content.updated | date : 'dd/MM/yyyy' }}</div>
<button>Ouvrir le mode avancé</button><button>Modification en cours</button>
<div ng-view></div><script>var app = angular.module("news", []);</script></body></html>"""


def test_a_page_that_scripts_fill_in_has_no_article():
    # Its template's expressions and button labels were read as the article before.
    assert extract(SCRIPT_SHELL, "html").text == ""


def test_a_page_that_scripts_fill_in_is_refused_in_one_line():
    from bot.errors import EmptyArticleError
    from bot.ingest import IngestLimits, to_article
    from bot.records import RawDocument

    raw = RawDocument(data=SCRIPT_SHELL.encode(), source="https://news.example/a",
                      content_type="text/html")
    with pytest.raises(EmptyArticleError, match="scripts fill in") as caught:
        to_article(raw, IngestLimits())
    assert "\n" not in str(caught.value)


def test_an_article_that_quotes_templates_keeps_them():
    # A tutorial on templates has its prose around the expressions: nothing is taken out.
    prose = ("Vue replaces each expression in double braces with its value when the page "
             "loads, so the heading below shows the user's name instead of the code. ") * 3
    found = extract(f"<html><body><article><p>{prose}</p><pre>&lt;h1&gt;{{{{ user.name }}}}"
                    "&lt;/h1&gt;</pre></article></body></html>", "html")
    assert "Vue replaces each expression" in found.text
    assert "{{ user.name }}" in found.text

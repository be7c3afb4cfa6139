"""Pull the article out of an HTML page: main text, title, author, publication date.

HTML goes through trafilatura in precision mode (navigation, ads, footers, link boxes, comments
and scripts dropped), with a plain streaming body-text fallback when it finds nothing. The page
is prepared for trafilatura and its result serialized here so that words and sentences keep
their separators (see "Text that sits directly in a division" and "Serializing"). Imported by
bot.ingest.extract only for HTML. Nothing here raises on odd input: the worst outcome is an
Extracted with empty text, which the caller refuses.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from dataclasses import replace
from html.parser import HTMLParser
from typing import TYPE_CHECKING

import trafilatura
from lxml import etree
from trafilatura.settings import Extractor

from bot.ingest.hidden_html import strip_hidden_html
from bot.ingest.page_metadata import page_metadata
from bot.ingest.plaintext import clean
from bot.records import Extracted

if TYPE_CHECKING:
    from lxml.etree import _Element


def extract_html(html: str) -> Extracted:
    """The article of an HTML page, what a reader cannot see cut out first (it must not reach
    a model either), with what was cut as findings. Never raises."""
    visible, findings = strip_hidden_html(html)
    found = _extract_html(_reduce_huge_tags(visible))
    if _script_shell(found.text):
        found = replace(found, text="")  # its template is no article: the caller refuses it
    return replace(found, findings=tuple(findings))


# Unrendered client-side templates ({{ expression }}: Angular, Vue, Handlebars), which a script
# replaces in a browser. Bounded, so a stray "{{" costs one short scan.
_TEMPLATE = re.compile(r"\{\{[^{}]{0,2000}?\}\}")
_NOT_LETTERS = re.compile(r"[\W\d_]+")
_SHELL_LETTERS = 200  # letters beside its templates under which a page is a script's shell


def _script_shell(text: str) -> bool:
    """Whether ``text`` is the template of a page that scripts fill in: template expressions
    and little else (button labels). Read raw, such a page gave its template's code as its
    article. An article that quotes templates (a tutorial) has its prose around them."""
    rest, found = _TEMPLATE.subn("", text)
    return bool(found) and len(_NOT_LETTERS.sub("", rest)) < _SHELL_LETTERS


# --- HTML -------------------------------------------------------------------------------------


def _extract_html(html: str) -> Extracted:
    title = author = published = None
    text = ""
    try:
        # Parsed here, as trafilatura would parse it, so that the links can be measured on the
        # page itself: trafilatura then works on a copy of this tree, without a second parse.
        tree = trafilatura.load_html(html)
        doc, linked = None, frozenset[str]()
        if tree is not None:
            _break_preformatted_lines(tree)
            _wrap_loose_text(tree)
            linked = _linked_units(tree)
            options = Extractor(
                output_format="python",
                precision=True,
                comments=False,
                tables=True,
                # Links are measured above instead: with include_links, trafilatura cuts text
                # that sits directly in a <div> at every link and trims the space after it
                # ("See" | "the document" + "for more information").
                links=False,
                images=False,
            )
            # The four metadata fields a check reads, before the extraction as trafilatura
            # does it, without the categories, tags and licence it would also gather.
            # (The page's URL it finds would only make links absolute, and links are off.)
            meta = page_metadata(tree, options.date_params)
            doc = trafilatura.bare_extraction(tree, options=options)
        if doc is not None and not isinstance(doc, dict):
            title, author, published = clean(meta.title), clean(meta.author), _iso_date(meta.date)
            blocks = _blocks(doc.body, linked) if doc.body is not None else []
            if blocks and title and _is_title(blocks[0], title):
                blocks = blocks[1:]  # the headline is the title, not the first paragraph
            text = "\n\n".join(blocks)
    except Exception:  # trafilatura on hostile HTML: fall back rather than fail the check
        text = ""
    if not text.strip() or title is None:
        fallback_title, fallback_text = _fallback_html(html)
        title = title or fallback_title
        text = text if text.strip() else fallback_text
    return Extracted(text=text, title=title, author=author, published=published)


# --- Serializing trafilatura's body -----------------------------------------------------------
# trafilatura's body is XML-TEI-like: <p>, <head>, <quote>, <list>/<item>, <table>/<row>/<cell>,
# <code>, <lb/> and inline elements. Block elements end a paragraph or a line; inline elements
# add nothing, so that text keeps exactly the spaces it has (none between Chinese or Japanese
# words, none before a comma that follows a link).

_CONTAINERS = frozenset({"body", "div", "section", "article", "main", "quote"})
_BLOCKS = _CONTAINERS | {"p", "head", "list", "item", "table", "row", "cell", "note",
                         # HTML that trafilatura leaves as it was inside an item (a table's cells)
                         "tr", "td", "th", "li", "ul", "ol", "dl", "dt", "dd", "blockquote"}
# <code> is a block where blocks stand (a <pre>), and inline in a paragraph or a heading.
_BLOCK_PARENTS = _CONTAINERS | {"item", "cell", "list"}
# HTML's own whitespace (not the no-break or ideographic spaces, which are text).
_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")
_BLANK_RUN = re.compile(r"\n{3,}")
_BLANK_LINES = re.compile(r"\n{2,}")


class _Run:
    """Inline text being gathered, line by line (a <lb/> starts a new line)."""

    def __init__(self) -> None:
        self.lines: list[list[str]] = [[]]

    def add(self, text: str | None) -> None:
        if text:
            self.lines[-1].append(text)

    def line_break(self) -> None:
        self.lines.append([])

    def flush(self) -> str:
        """The text gathered so far, whitespace collapsed as a browser does; then empty."""
        lines = [_HTML_SPACE.sub(" ", "".join(parts)).strip() for parts in self.lines]
        self.lines = [[]]
        return _BLANK_RUN.sub("\n\n", "\n".join(lines)).strip("\n")


def _blocks(body: _Element, linked: frozenset[str] = frozenset()) -> list[str]:
    """Paragraph-level blocks of trafilatura's body, in order.

    Containers (divisions, quotes) are opened into their paragraphs; lists and tables that are
    nearly all links (by ``linked``, see _linked_units) are left out.
    """
    return [b for b in _parts(body, linked, top=True) if b.strip()]


def _parts(element: _Element, linked: frozenset[str], top: bool = False) -> list[str]:
    """The content of ``element``: runs of inline text between its block children, and each
    block child rendered, in order."""
    parts: list[str] = []
    run = _Run()
    _gather(element, run, parts, linked, top)
    parts.append(run.flush())
    return [p for p in parts if p]


def _gather(element: _Element, run: _Run, parts: list[str], linked: frozenset[str],
            top: bool) -> None:
    run.add(element.text)
    for child in element:
        tag = child.tag
        if tag == "lb":
            run.line_break()
        elif tag in _BLOCKS or (tag == "code" and element.tag in _BLOCK_PARENTS):
            parts.append(run.flush())
            if top and tag in _CONTAINERS:
                parts += _parts(child, linked, top=True)
            elif top and tag in ("list", "table") and _mostly_links(child, linked):
                pass  # "Most read" boxes, section menus: precision mode lets some through
            else:
                parts.append(_render(child, linked))
        elif isinstance(tag, str):
            _gather(child, run, parts, linked, top=False)  # inline: part of the same run
        run.add(child.tail)


def _render(element: _Element, linked: frozenset[str]) -> str:
    """One block element as text: a list as "- " lines (a definition under its term, without
    the dash), a table as " | " rows, anything else as its paragraphs."""
    tag = element.tag
    if tag == "list":
        lines = []
        for child in element:
            # One item, one run of lines: a blank line (<br><br>) would cut the list in two.
            content = _BLANK_LINES.sub("\n", "\n".join(_parts(child, linked)))
            if not content:
                continue
            # A nested list comes out as its own "- " lines inside its item.
            term = child.tag == "item" and not (child.get("rend") or "").startswith("dd")
            lines.append("- " + content if term else content)
        return "\n".join(lines)
    if tag == "table":
        rows = (_row(row, linked) for row in element if row.tag == "row")
        return "\n".join(r for r in rows if r.strip(" |"))
    if tag == "row":
        return _row(element, linked)
    return "\n\n".join(_parts(element, linked))


def _row(row: _Element, linked: frozenset[str]) -> str:
    # Inside a cell, paragraphs and lines are only words apart: a row stays one line.
    cells = (_HTML_SPACE.sub(" ", " ".join(_parts(cell, linked))) for cell in row
             if cell.tag == "cell")
    return " | ".join(cells)


def _size_key(element: _Element) -> str:
    """An element's text without any whitespace: the same whatever the markup's layout."""
    return "".join("".join(element.itertext()).split())


def _mostly_links(element: _Element, linked: frozenset[str]) -> bool:
    """A table or list whose cells/items are nearly all just a link: navigation, not content.

    A list is judged by its own items, each with whatever it holds (a submenu, a nested list):
    a list of tips whose nested lists name linked products is content.
    """
    if element.tag == "table":
        units = list(element.iter("cell"))
    else:
        units = [item for item in element if item.tag == "item"]
    keys = [key for key in map(_size_key, units) if key]
    links = [key for key in keys if key in linked]
    # Per cell, not per character: a league table with linked team names is still data.
    return bool(keys) and len(links) >= 0.8 * len(keys)


# List items and cells that hold a link; the link text and the whole text of one. Compiled
# XPath: walking up from every link in Python cost a tenth of trafilatura's own time.
_LINKED_UNITS = etree.XPath("//li[.//a]|//td[.//a]|//th[.//a]|//dt[.//a]|//dd[.//a]")
# Plain strings: lxml's default "smart" strings each remember their parent element, a third
# of the cost of these two calls on a page of menus (~300 units).
_LINK_TEXT = etree.XPath(".//a//text()", smart_strings=False)
_TEXT = etree.XPath("string()", smart_strings=False)


def _linked_units(tree: _Element) -> frozenset[str]:
    """Texts (without whitespace, as _size_key gives them) of the page's list items and table
    cells whose text is at least 90% link text, such as menu entries and "related" links.

    A text that also occurs in another item or cell with a link that is not mostly links is
    left out: it is content somewhere on the page.
    """
    verdicts: dict[str, bool] = {}
    for unit in _LINKED_UNITS(tree):
        key = "".join(_TEXT(unit).split())
        if key:
            chars = len("".join("".join(_LINK_TEXT(unit)).split()))
            verdicts[key] = verdicts.get(key, True) and chars >= 0.9 * len(key)
    return frozenset(key for key, linked in verdicts.items() if linked)


# --- Text that sits directly in a division ----------------------------------------------------
# trafilatura reads the text of a <div> that also holds blocks or <br> piece by piece: it cuts
# it at each element, trims the pieces, may reorder them or drop the lead ("See" | "the
# document" + "for more information"); inside a list item or a quote it joins the text of
# <div>s with nothing between ("First block.Second block."). A browser lays such text out in
# anonymous block boxes; so does this, before trafilatura sees the page, and the elements stay
# where they are, so that trafilatura still judges them by their class. In an item or a quote,
# and among paragraphs (in the division or beside it), a box is a <p>; elsewhere a <div>:
# trafilatura keeps the text of divisions only on pages with little paragraph text, and new
# <p>s there would tip that judgement and lose the page's other divisions (a Blogger post
# written in <div>s).

# fmt: off
_LOOSE_CONTAINERS = ("div", "section", "article", "main", "body", "center", "figure",
                     "figcaption", "header", "footer", "aside", "address", "details", "summary",
                     "hgroup", "fieldset", "nav", "form", "blockquote")
_ITEM_LIKE = ("li", "dd", "dt", "blockquote")
_HTML_BLOCKS = frozenset({
    "address", "article", "aside", "blockquote", "center", "details", "dialog", "dd", "div",
    "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4",
    "h5", "h6", "header", "hgroup", "hr", "li", "main", "nav", "ol", "p", "pre", "section",
    "summary", "table", "tbody", "thead", "tfoot", "tr", "td", "th", "ul", "menu", "caption",
})
# fmt: on


def _wrap_loose_text(tree: _Element) -> None:
    """Runs of text and inline elements that sit directly in a division beside blocks or line
    breaks, or anywhere in a division inside an item or a quote, wrapped in their own <p> or
    <div> (see above), in place."""
    for container in list(tree.iter(*_LOOSE_CONTAINERS)):
        children = list(container)
        in_item = container.tag in _ITEM_LIKE or (
            next(container.iterancestors(*_ITEM_LIKE), None) is not None)
        if not in_item and not any(c.tag == "br" or c.tag in _HTML_BLOCKS for c in children):
            continue  # one run of text: trafilatura reads it whole
        if not _has_text(container.text) and not any(_is_loose(c) for c in children):
            continue  # nothing loose
        parent = container.getparent()
        among_paragraphs = any(c.tag == "p" for c in children) or (
            parent is not None and any(c.tag == "p" for c in parent))
        kind = "p" if in_item or among_paragraphs else "div"
        box: _Element | None = None
        if _has_text(container.text):
            box = container.makeelement(kind, {})
            box.text, container.text = container.text, None
            container.insert(0, box)
        for child in children:
            if not isinstance(child.tag, str) or child.tag in _HTML_BLOCKS:
                box = None
                if isinstance(child.tag, str) and _has_text(child.tail):
                    box = child.makeelement(kind, {})
                    box.text, child.tail = child.tail, None
                    child.addnext(box)
                continue
            if box is None:
                if not _is_loose(child):
                    continue  # a lone <br> or an empty inline between blocks
                box = child.makeelement(kind, {})
                child.addprevious(box)
            box.append(child)  # its tail moves with it


def _break_preformatted_lines(tree: _Element) -> None:
    """The line ends inside <pre> made <br>, in place: trafilatura keeps a <pre> that is not
    code as a quote whose layout whitespace cannot be told from a source's line wrapping."""
    for pre in list(tree.iter("pre")):
        descendants = list(pre.iterdescendants())
        _split_lines(pre, pre, "text")
        for node in descendants:
            _split_lines(node, node, "text")
            _split_lines(node, node, "tail")


def _split_lines(node: _Element, anchor: _Element, where: str) -> None:
    text = getattr(node, where)
    if not text or "\n" not in text or not isinstance(node.tag, str):
        return
    first, *rest = text.split("\n")
    setattr(node, where, first)
    for index, line in enumerate(rest):
        br = node.makeelement("br", {})
        br.tail = line
        if where == "text":
            node.insert(index, br)
        else:
            anchor.addnext(br)
            anchor = br


def _is_loose(child: _Element) -> bool:
    """Text after ``child``, or in it when it is inline: what an anonymous box would hold."""
    if _has_text(child.tail):
        return True
    inline = isinstance(child.tag, str) and child.tag not in _HTML_BLOCKS
    return inline and _has_text("".join(child.itertext()))


def _has_text(text: str | None) -> bool:
    return bool(text and not text.isspace())


def _is_title(block: str, title: str) -> bool:
    block, title = " ".join(block.split()).casefold(), " ".join(title.split()).casefold()
    return block == title or (
        title.startswith(block) and title[len(block) :].lstrip()[:1] in "|-–—:·"
    )


# fmt: off
_SKIP = frozenset({"script", "style", "noscript", "template", "svg", "iframe", "object", "head",
                   "nav", "footer", "aside", "form", "button", "select"})
_BLOCK = frozenset({"p", "div", "section", "article", "main", "header", "li", "tr", "h1", "h2",
                    "h3", "h4", "h5", "h6", "blockquote", "pre", "table", "ul", "ol", "br"})
# fmt: on


class _Fallback(HTMLParser):
    """Body text and title from a flat, streaming parse: no tree, so no depth limit (lxml stops
    at 2048 levels); scripts, styles, navigation, footers and asides are skipped."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.titles: dict[str, str] = {}  # "og", "title", "h1": first one seen of each
        self.skipping = 0
        self.capture: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "meta" and found.get("property") == "og:title" and found.get("content"):
            self.titles.setdefault("og", found["content"] or "")
        elif tag in ("title", "h1") and tag not in self.titles:
            self.capture, self.titles[tag] = tag, ""
        if tag in _SKIP:
            self.skipping += 1
        elif tag == "body":
            self.skipping = 0  # "</head>" may be omitted, legally
        self.parts.append("\n" if tag in _BLOCK else "")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP and self.skipping:
            self.skipping -= 1
        if tag == self.capture:
            self.capture = None

    def handle_data(self, data: str) -> None:
        if self.capture:
            self.titles[self.capture] += data
        if not self.skipping:
            self.parts.append(data)


# Markup is matched by patterns that never backtrack (possessive): a quoted attribute value
# may hold "<" and ">", and a "<" that opens no complete tag costs one scan to where it fails,
# which passes other "<" only inside a quoted value. Patterns that rescan the rest of the page
# for each "<" are quadratic: 300 KB of "<b " took 17 s.
_ATTRIBUTES = r"""(?:[^<>"']++|"[^"]*+"|'[^']*+')*+"""
_START_TAG = re.compile(rf"<([A-Za-z][\w:-]{{0,40}})\s{_ATTRIBUTES}>")
_TAG_OR_LT = re.compile(rf"<[A-Za-z/!?]{_ATTRIBUTES}>|<")
_HUGE = 8000  # characters in one start tag


def _reduce_huge_tags(html: str) -> str:
    """Start tags of over 8,000 characters reduced to their bare name.

    A start tag of thousands of attributes costs trafilatura (lxml, justext, htmldate) time in
    the square of their number (1 MB: minutes). No article needs them.
    """
    return _START_TAG.sub(
        lambda m: f"<{m.group(1)}>" if m.end() - m.start() > _HUGE else m.group(), html)


def _escape_stray_lt(html: str) -> str:
    """Every "<" that opens no complete tag escaped: it is text, as a browser shows it.

    Python's HTMLParser rescans to the end of the input for each such "<": quadratic, 1 MB of
    "<http://" took minutes.
    """
    return _TAG_OR_LT.sub(lambda m: "&lt;" if m.end() - m.start() == 1 else m.group(), html)


def _fallback_html(html: str) -> tuple[str | None, str]:
    parser = _Fallback()
    with contextlib.suppress(Exception):  # lenient parser, but the contract is "never raise"
        parser.feed(_escape_stray_lt(html))
        parser.close()
    titles = (clean(parser.titles.get(key)) for key in ("og", "title", "h1"))
    lines = (" ".join(line.split()) for line in "".join(parser.parts).split("\n"))
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    return next((t for t in titles if t), None), text


def _iso_date(value: str | None) -> str | None:
    try:
        return dt.date.fromisoformat((value or "")[:10]).isoformat()
    except ValueError:
        return None

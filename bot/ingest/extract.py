"""Pull the article out of a document: main text, title, author, publication date.

HTML goes through trafilatura in precision mode (navigation, ads, footers, link boxes, comments
and scripts dropped), with a plain streaming body-text fallback when it finds nothing. Markdown
and plain text are read by bot.ingest.plaintext. Nothing here raises on odd input: the worst
outcome is an Extracted with empty text, which the caller refuses.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Literal
from urllib.parse import urlsplit

import trafilatura

from bot.ingest.hidden_html import strip_hidden_html
from bot.ingest.plaintext import MD_HEADING, clean, extract_markdown, extract_text
from bot.records import Extracted

if TYPE_CHECKING:
    from lxml.etree import _Element

Kind = Literal["html", "markdown", "text", "feed"]

_HTML_TYPES = {"text/html", "application/xhtml+xml"}
_FEED_TYPES = {"application/rss+xml", "application/atom+xml", "application/rdf+xml"}
# A feed's root element, after any XML declaration, processing instructions, comments and
# doctype (all within the first 2 KB).
_FEED_START = re.compile(
    r"(?:<\?[^>]{0,500}\?>\s*|<!--(?:(?!-->).){0,1000}-->\s*|<!doctype[^>]{0,500}>\s*)*"
    r"<(?:rss|feed|rdf:rdf)[\s>/]", re.IGNORECASE | re.DOTALL)
_MARKDOWN_TYPES = {"text/markdown", "text/x-markdown"}
# fmt: off
_SUFFIXES: dict[str, Kind] = {".html": "html", ".htm": "html", ".xhtml": "html",
                              ".md": "markdown", ".markdown": "markdown", ".txt": "text"}
# fmt: on
_HTML_START = re.compile(r"<!doctype\s+html|<html[\s>]", re.IGNORECASE)


def sniff_kind(content_type: str | None, source: str, text: str) -> Kind:
    """Say how to read ``text``: by content type, else the source's suffix, else its content.

    ``text/plain`` and generic types fall through to the suffix, since servers label Markdown
    (and much else) as plain text. Content sniffing recognises HTML that starts with
    ``<!doctype html`` or ``<html`` and Markdown whose first line is a ``#`` heading. An RSS or
    Atom feed (by its type or its root element) is ``"feed"``: not an article.
    """
    mime = (content_type or "").split(";", 1)[0].strip().lower()
    head = text[:2048].lstrip("\ufeff \t\r\n")
    if mime in _FEED_TYPES or (head.startswith("<") and _FEED_START.match(head)):
        return "feed"
    if mime in _HTML_TYPES:
        return "html"
    if mime in _MARKDOWN_TYPES:
        return "markdown"
    path = urlsplit(source).path if "://" in source else source
    suffix = PurePosixPath(path.replace("\\", "/")).suffix.lower()
    if suffix in _SUFFIXES:
        return _SUFFIXES[suffix]
    if head.startswith("<") and _HTML_START.search(head[:1024]):
        return "html"
    first_line = head.split("\n", 1)[0]
    return "markdown" if MD_HEADING.match(first_line) else "text"


def extract(text: str, kind: str) -> Extracted:
    """Extract the article from ``text`` read as ``kind`` ("html", "markdown" or "text").

    An unknown kind is read as plain text. Never raises on malformed input.
    """
    if kind == "html":
        # What a reader cannot see must not reach a model either: cut it out first.
        visible, findings = strip_hidden_html(text)
        return replace(_extract_html(_reduce_huge_tags(visible)), findings=tuple(findings))
    if kind == "markdown":
        return extract_markdown(text)
    return extract_text(text)


# --- HTML -------------------------------------------------------------------------------------


def _extract_html(html: str) -> Extracted:
    title = author = published = None
    text = ""
    try:
        doc = trafilatura.bare_extraction(
            html,
            favor_precision=True,
            include_comments=False,
            include_tables=True,
            include_links=True,  # kept only to measure link density below, then flattened
            include_images=False,
            with_metadata=True,
        )
        if doc is not None and not isinstance(doc, dict):
            title, author, published = clean(doc.title), clean(doc.author), _iso_date(doc.date)
            blocks = _blocks(doc.body) if doc.body is not None else []
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


def _blocks(element: _Element) -> list[str]:
    """Paragraph-level blocks of trafilatura's body, in order."""
    blocks: list[str] = []
    for child in element:
        tag = child.tag
        if tag in ("div", "body", "section", "article", "main"):
            blocks += _blocks(child)
        elif tag in ("list", "table") and _mostly_links(child):
            continue  # "Most read" boxes, section menus: precision mode lets some through
        elif tag == "list":
            items = ("- " + _inline(item).strip() for item in child.iterfind("item"))
            blocks.append("\n".join(items))
        elif tag == "table":
            rows = (
                " | ".join(_inline(c).strip() for c in row.iter("cell"))
                for row in child.iter("row")
            )
            blocks.append("\n".join(r for r in rows if r.strip(" |")))
        else:
            blocks.append(_inline(child).strip())
    return [b for b in blocks if b.strip()]


def _mostly_links(element: _Element) -> bool:
    """A table or list whose cells/items are nearly all just a link: navigation, not content."""

    def size(node: _Element) -> int:
        return len("".join("".join(node.itertext()).split()))

    units = [u for u in element.iter("cell" if element.tag == "table" else "item") if size(u)]
    links = [u for u in units if sum(size(ref) for ref in u.iter("ref")) >= 0.9 * size(u)]
    # Per cell, not per character: a league table with linked team names is still data.
    return bool(units) and len(links) >= 0.8 * len(units)


def _inline(element: _Element) -> str:
    parts = [element.text or ""]
    for child in element:
        parts.append("\n" if child.tag == "lb" else _inline(child))
        parts.append(child.tail or "")
    return "".join(parts)


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

"""Pull the article out of a document: main text, title, author, publication date.

HTML goes through trafilatura in precision mode (navigation, ads, footers, link boxes, comments
and scripts dropped), with a plain streaming body-text fallback when it finds nothing. Markdown is
stripped lightly; plain text only has its title line split off. Nothing here raises on odd
input: the worst outcome is an Extracted with empty text, which the caller refuses.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from html.parser import HTMLParser
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Literal
from urllib.parse import urlsplit

import trafilatura

from bot.records import Extracted

if TYPE_CHECKING:
    from lxml.etree import _Element

Kind = Literal["html", "markdown", "text"]

_HTML_TYPES = {"text/html", "application/xhtml+xml"}
_MARKDOWN_TYPES = {"text/markdown", "text/x-markdown"}
# fmt: off
_SUFFIXES: dict[str, Kind] = {".html": "html", ".htm": "html", ".xhtml": "html",
                              ".md": "markdown", ".markdown": "markdown", ".txt": "text"}
# fmt: on
_HTML_START = re.compile(r"<!doctype\s+html|<html[\s>]", re.IGNORECASE)
_MD_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.+?)(?:\s+#+)?\s*$")

MAX_TITLE_CHARS = 200
_SENTENCE_END = ".!?…;:。！？؟۔।"
_CLOSERS = "\"'”’»)]›"


def sniff_kind(content_type: str | None, source: str, text: str) -> Kind:
    """Say how to read ``text``: by content type, else the source's suffix, else its content.

    ``text/plain`` and generic types fall through to the suffix, since servers label Markdown
    (and much else) as plain text. Content sniffing recognises HTML that starts with
    ``<!doctype html`` or ``<html`` and Markdown whose first line is a ``#`` heading.
    """
    mime = (content_type or "").split(";", 1)[0].strip().lower()
    if mime in _HTML_TYPES:
        return "html"
    if mime in _MARKDOWN_TYPES:
        return "markdown"
    path = urlsplit(source).path if "://" in source else source
    suffix = PurePosixPath(path.replace("\\", "/")).suffix.lower()
    if suffix in _SUFFIXES:
        return _SUFFIXES[suffix]
    head = text[:1024].lstrip("\ufeff \t\r\n")
    if head.startswith("<") and _HTML_START.search(head):
        return "html"
    first_line = head.split("\n", 1)[0]
    return "markdown" if _MD_HEADING.match(first_line) else "text"


def extract(text: str, kind: str) -> Extracted:
    """Extract the article from ``text`` read as ``kind`` ("html", "markdown" or "text").

    An unknown kind is read as plain text. Never raises on malformed input.
    """
    if kind == "html":
        return _extract_html(text)
    if kind == "markdown":
        return _extract_markdown(text)
    return _extract_text(text)


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
            title, author, published = _clean(doc.title), _clean(doc.author), _iso_date(doc.date)
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


def _fallback_html(html: str) -> tuple[str | None, str]:
    parser = _Fallback()
    with contextlib.suppress(Exception):  # lenient parser, but the contract is "never raise"
        parser.feed(html)
        parser.close()
    titles = (_clean(parser.titles.get(key)) for key in ("og", "title", "h1"))
    lines = (" ".join(line.split()) for line in "".join(parser.parts).split("\n"))
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    return next((t for t in titles if t), None), text


def _clean(value: str | None) -> str | None:
    value = " ".join((value or "").split())
    return value or None


def _iso_date(value: str | None) -> str | None:
    try:
        return dt.date.fromisoformat((value or "")[:10]).isoformat()
    except ValueError:
        return None


# --- Markdown and plain text ------------------------------------------------------------------

_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_RULE = re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$")
_SETEXT = re.compile(r"^\s{0,3}(=+|-{2,})\s*$")
_REF_DEF = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*\S+")
_QUOTE = re.compile(r"^\s{0,3}(>\s?)+")
_INLINE = (
    (re.compile(r"<!--.*?-->", re.DOTALL), ""),
    (re.compile(r"!\[[^\]]*\]\([^)]*\)|!\[[^\]]*\]\[[^\]]*\]"), ""),  # images go
    (re.compile(r"\[([^\]]+)\]\([^)]*\)|\[([^\]]+)\]\[[^\]]*\]"), r"\1\2"),  # links keep text
    (re.compile(r"<(https?://[^>\s]+)>"), r"\1"),
    (re.compile(r"`([^`]+)`"), r"\1"),
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),
    (
        re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?!\w)|(?<!\w)_(?=\S)(.+?)(?<=\S)_(?!\w)"),
        r"\1\2",
    ),
    (re.compile(r"~~(.+?)~~"), r"\1"),
)


def _extract_markdown(markdown: str) -> Extracted:
    lines = markdown.splitlines()
    front_title = None
    if lines and lines[0].strip() == "---":  # YAML front matter: drop it, remember its title
        end = next(
            (i for i, line in enumerate(lines[1:60], 1) if line.strip() in ("---", "...")), 0
        )
        for line in lines[1:end]:
            if line.lower().startswith("title:"):
                front_title = _clean(line[6:].strip().strip("\"'"))
        lines = lines[end + 1 :] if end else lines
    out: list[str] = []
    headings: list[tuple[int, int, str]] = []  # (index in out, level, text)
    fence: str | None = None
    for line in lines:
        marker = _FENCE.match(line)
        if marker and (fence is None or marker.group(1) == fence):
            fence = None if fence else marker.group(1)  # fences go, their code stays as text
            continue
        if fence:
            out.append(line)
        elif _SETEXT.match(line) and out and out[-1].strip():
            headings.append((len(out) - 1, 1 if "=" in line else 2, out[-1].strip()))
        elif _RULE.match(line) or _REF_DEF.match(line):
            out.append("")
        elif heading := _MD_HEADING.match(line):
            headings.append((len(out), len(heading.group(1)), _strip_inline(heading.group(2))))
            out.append(headings[-1][2])
        else:
            out.append(_strip_inline(_QUOTE.sub("", line)))
    first = next((i for i, line in enumerate(out) if line.strip()), -1)
    title = None
    for index, level, text in headings:
        if index == first or level == 1:
            title = text
            if index == first:
                out[index] = ""  # an opening heading is the title, not body text
            break
    return Extracted(text="\n".join(out).strip(), title=title or front_title)


def _strip_inline(line: str) -> str:
    for pattern, replacement in _INLINE:
        line = pattern.sub(replacement, line)
    return line


def _extract_text(text: str) -> Extracted:
    lines = text.splitlines()
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        return Extracted(text=text)
    candidate = lines[first].strip()
    rest = "\n".join(lines[first + 1 :]).strip()
    ending = candidate.rstrip(_CLOSERS + " \u00a0\u202f")[-1:]  # « non. » ends in "."
    titled = any(ch.isalpha() for ch in candidate)  # "{", "---", "2024-11-20" are not titles
    if rest and titled and len(candidate) <= MAX_TITLE_CHARS and ending not in _SENTENCE_END:
        return Extracted(text=rest, title=candidate)
    return Extracted(text=text)

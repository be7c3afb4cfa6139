"""Pull the article out of a document: main text, title, author, publication date.

HTML is read by bot.ingest.extract_html (trafilatura, imported only for HTML), Markdown and
plain text by bot.ingest.plaintext. Nothing here raises on odd input: the worst outcome is an
Extracted with empty text, which the caller refuses.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from typing import Literal
from urllib.parse import urlsplit

from bot.ingest.plaintext import MD_HEADING, extract_markdown, extract_text
from bot.records import Extracted

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
        # Imported here: trafilatura, lxml and the style-sheet machinery are HTML's alone, and
        # a text check need not load them (~70 ms of modules and their patterns).
        from bot.ingest.extract_html import extract_html

        return extract_html(text)
    if kind == "markdown":
        return extract_markdown(text)
    return extract_text(text)

"""A page's title, byline, date and URL, found as trafilatura finds them, and nothing else.

trafilatura's ``with_metadata`` also gathers categories, tags, the licence and the site's name,
which a check never reads: on a news page they are most of its metadata pass (~1.8 of ~2 ms,
each a scan of the whole tree). This runs the steps of ``trafilatura.metadata.extract_metadata``
that decide the four fields a check uses, in the same order and with the same date settings,
so that the values are the ones trafilatura would give (tests/ingest/test_page_metadata.py
compares the two on every HTML page of the corpus).
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any

from htmldate import find_date
from trafilatura.metadata import (
    examine_meta,
    extract_author,
    extract_meta_json,
    extract_title,
    extract_url,
)
from trafilatura.settings import Document

if TYPE_CHECKING:
    from lxml.html import HtmlElement


def page_metadata(tree: HtmlElement, date_params: dict[str, Any]) -> Document:
    """Title, author, date and URL of the parsed page ``tree`` (a trafilatura Document).

    ``date_params`` are htmldate's settings, as trafilatura's Extractor holds them
    (``Extractor.date_params``). The tree is read, not changed. Raises what trafilatura's own
    metadata pass raises on a tree it cannot read.
    """
    metadata = examine_meta(tree)
    # trafilatura's rule: a one-word byline from the meta tags is a site's name, not an author.
    if metadata.author and " " not in metadata.author:
        metadata.author = None
    # JSON-LD overrides the meta tags; trafilatura logs and ignores a failure of its parser.
    with contextlib.suppress(Exception):  # as trafilatura: broken JSON-LD, not a broken page
        metadata = extract_meta_json(tree, metadata)
    if not metadata.title:
        metadata.title = extract_title(tree)
    if not metadata.author:
        metadata.author = extract_author(tree)
    if not metadata.url:
        metadata.url = extract_url(tree, None)
    metadata.date = find_date(tree, **{**date_params, "url": metadata.url})
    metadata.clean_and_trim()
    return metadata

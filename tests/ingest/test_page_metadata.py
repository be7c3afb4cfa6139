"""The check's metadata pass gives what trafilatura's own would, on pages of every kind."""

from __future__ import annotations

from pathlib import Path

import pytest
import trafilatura
from lxml.html import tostring
from trafilatura.metadata import extract_metadata
from trafilatura.settings import Extractor

from bot.ingest.extract import extract
from bot.ingest.page_metadata import page_metadata

CORPUS = Path(__file__).resolve().parent.parent / "data" / "corpus"
_BODY = "<p>" + "The committee met on Tuesday and approved the budget for schools. " * 6 + "</p>"

PAGES = {
    "meta tags": f"""<html><head><title>Ignored | Site</title>
        <meta property="og:title" content="Council approves budget">
        <meta name="author" content="Jane Doe">
        <meta property="article:published_time" content="2024-03-05T10:00:00Z">
        <link rel="canonical" href="https://news.example/2024/03/05/budget"></head>
        <body><article>{_BODY}</article></body></html>""",
    "one-word author in meta": f"""<html><head><title>Budget news</title>
        <meta name="author" content="Newsroom"></head>
        <body><article><p class="byline">By John Smith</p>{_BODY}</article></body></html>""",
    "json-ld": f"""<html><head><title>Other title</title>
        <script type="application/ld+json">{{"@context": "https://schema.org",
        "@type": "NewsArticle", "headline": "Schools get more money",
        "author": {{"@type": "Person", "name": "Maria Garcia"}},
        "datePublished": "2023-11-20"}}</script></head>
        <body><article>{_BODY}</article></body></html>""",
    "broken json-ld": f"""<html><head><title>Broken data</title>
        <script type="application/ld+json">{{"@type": "NewsArticle", "headline": </script>
        </head><body><article>{_BODY}</article></body></html>""",
    "only body": f"""<html><body><h1>A headline in the body</h1>
        <div class="author">Written by Ana Lima</div><time datetime="2022-07-01">1 July</time>
        <article>{_BODY}</article></body></html>""",
    "nothing": "<html><body><div>Hello</div></body></html>",
    "sample page": (CORPUS / "article-page.html").read_text(encoding="utf-8"),
}


def _fields(document: object) -> tuple:
    return tuple(getattr(document, name) for name in ("title", "author", "date", "url"))


@pytest.mark.parametrize("name", sorted(PAGES))
def test_same_fields_as_trafilatura(name: str) -> None:
    html = PAGES[name]
    options = Extractor(output_format="python", precision=True)
    ours = page_metadata(trafilatura.load_html(html), options.date_params)
    theirs = extract_metadata(trafilatura.load_html(html), None, options.date_params)
    assert _fields(ours) == _fields(theirs)


def test_metadata_reaches_the_extracted_article() -> None:
    extracted = extract(PAGES["json-ld"], "html")
    assert (extracted.title, extracted.author, extracted.published) == (
        "Schools get more money", "Maria Garcia", "2023-11-20")


def test_tree_is_not_changed() -> None:
    tree = trafilatura.load_html(PAGES["only body"])
    before = tostring(tree)
    page_metadata(tree, Extractor().date_params)
    assert tostring(tree) == before

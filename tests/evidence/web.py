"""A small web of news pages for the evidence tests and bench: real boilerplate, loopback.

Pages are served by :class:`tests.fakes.http_server.HTTPServer` under many host names (the
fetcher's resolver maps every name to the loopback server), each wrapped in what news sites
put around an article: a menu, a cookie banner, share buttons, related links, a newsletter
box, a footer. :class:`FakeSearch` is a search backend that answers from a table of queries.
"""

from __future__ import annotations

import asyncio
import html
from collections.abc import Callable

import httpx

from bot.errors import ParallaxError
from bot.ingest.fetch import Fetcher, FetchPolicy, build_http_client
from bot.records import SearchHit
from tests.fakes.http_server import HTTPServer

POLICY = FetchPolicy(connect_timeout=5.0, total_timeout=30.0, allow_networks=("127.0.0.1/32",))


async def loopback(_host: str, _port: int) -> list[str]:
    """Every site of the test web lives on the loopback server."""
    return ["127.0.0.1"]


def fetcher(client: httpx.AsyncClient) -> Fetcher:
    """The real fetcher, with loopback counted as public and every name resolved to it."""
    return Fetcher(client, POLICY, resolver=loopback)


def http_client() -> httpx.AsyncClient:
    """The HTTP client the app builds for the fetcher."""
    return build_http_client(POLICY)


_MENU = {"en": ("Home", "World", "Politics", "Business", "Sport", "Culture", "Subscribe"),
         "fr": ("Accueil", "International", "Politique", "Économie", "Sport", "S'abonner"),
         "de": ("Startseite", "Ausland", "Politik", "Wirtschaft", "Sport", "Abo"),
         "es": ("Portada", "Internacional", "Política", "Economía", "Deportes"),
         "zh": ("首页", "国际", "政治", "财经", "体育", "订阅"),
         "ja": ("トップ", "国際", "政治", "経済", "スポーツ", "購読"),
         "th": ("หน้าแรก", "ต่างประเทศ", "การเมือง", "เศรษฐกิจ", "กีฬา")}


def news_page(site: str, title: str, paragraphs: list[str], language: str = "en",
              related: tuple[str, ...] = ()) -> str:
    """An article page as a news site serves it, boilerplate and all."""
    menu = "".join(f'<li><a href="/{n}">{html.escape(item)}</a></li>'
                   for n, item in enumerate(_MENU.get(language, _MENU["en"])))
    links = "".join(f'<li><a href="/related/{n}">{html.escape(text)}</a></li>'
                    for n, text in enumerate(related or ("Live: the day's news",
                                                         "Opinion: what comes next",
                                                         "Photos of the week")))
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return f"""<!doctype html><html lang="{language}"><head><meta charset="utf-8">
<title>{html.escape(title)} | {site}</title>
<meta property="og:title" content="{html.escape(title)}">
<meta property="article:published_time" content="2026-12-02T08:00:00Z">
<script>window.dataLayer = window.dataLayer || []; function gtag(){{}}</script>
<style>.cookie{{position:fixed;bottom:0}} .nav li{{display:inline}}</style></head>
<body><header><a class="logo" href="/">{site}</a><nav class="nav"><ul>{menu}</ul></nav>
</header><div class="cookie">We use cookies to improve your experience.
<button>Accept</button><button>Settings</button></div>
<main><article><h1>{html.escape(title)}</h1><p class="byline">By Staff Reporter</p>
<div class="share"><a href="/share/fb">Share</a> <a href="/share/x">Post</a>
<a href="/share/mail">Email</a></div>{body}</article>
<aside><h2>Related</h2><ul>{links}</ul>
<div class="newsletter"><h3>Newsletter</h3><form><input name="email">
<button>Sign up</button></form></div></aside></main>
<footer><ul><li><a href="/about">About us</a></li><li><a href="/privacy">Privacy</a></li>
<li><a href="/terms">Terms</a></li></ul><p>© 2026 {site}. All rights reserved.</p></footer>
</body></html>"""


class FakeSearch:
    """A search backend answering from ``answers`` (query -> hits); counts and can fail.

    ``fail`` makes every search raise a one-line error; ``hang`` makes it wait forever;
    ``latency`` is waited before each answer (the bench's 300 ms).
    """

    kind = "fake"

    def __init__(self, name: str, answers: dict[str, list[SearchHit]] | None = None,
                 answer: Callable[[str, str], list[SearchHit]] | None = None,
                 latency: float = 0.0) -> None:
        self.name = name
        self.answers = answers or {}
        self.answer = answer
        self.latency = latency
        self.calls: list[tuple[str, str, int]] = []
        self.fail: str | None = None
        self.hang = False
        self.excluded: str | None = None  # the article the last search was told to leave out

    async def search(self, query: str, language: str, limit: int, *,
                     exclude_article_id: str | None = None) -> list[SearchHit]:
        """The hits of ``query`` (see the class docstring)."""
        self.excluded = exclude_article_id
        self.calls.append((query, language, limit))
        if self.hang:
            await asyncio.Event().wait()
        if self.latency:
            await asyncio.sleep(self.latency)
        if self.fail:
            raise ParallaxError(self.fail)
        if self.answer is not None:
            return self.answer(query, language)[:limit]
        return list(self.answers.get(query, []))[:limit]


def hit(server: HTTPServer, site: str, path: str, backend: str = "web",
        title: str = "") -> SearchHit:
    """A search hit pointing at ``path`` on ``site`` (served by ``server``)."""
    return SearchHit(url=server.url(path, host=site), title=title or path, snippet="",
                     backend=backend)

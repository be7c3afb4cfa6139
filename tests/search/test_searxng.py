"""SearXNG through the real backend class against the fake instance."""

from __future__ import annotations

import pytest

from bot.config import SearchConfig
from bot.errors import SearchError
from bot.search.base import MAX_RETRY_AFTER, timed_search
from bot.search.searxng import SearxngBackend
from tests.fakes.search_server import Doc, SearchServer

LE_MONDE = Doc("https://www.lemonde.fr/politique/article/2026/11/30/budget.html",
               "Le budget 2027 adopté", "L'Assemblée a adopté le budget 2027 par 289 voix.",
               "fr", "2026-11-30")
BBC = Doc("https://www.bbc.co.uk/news/world-1", "France adopts 2027 budget",
          "The French assembly adopted the 2027 budget by 289 votes.", "en")


def backend(server: SearchServer, http, timeout: float = 60.0) -> SearxngBackend:
    return SearxngBackend(SearchConfig(name="web", provider="searxng", base_url=server.url,
                                       timeout=timeout), http)


async def test_results_become_hits_in_order(search_server, http):
    search_server.add(LE_MONDE, BBC)
    hits = await backend(search_server, http).search("budget 2027 289 voix", "fr", 5)
    assert [h.url for h in hits] == [LE_MONDE.url, BBC.url]
    first = hits[0]
    assert first.title == "Le budget 2027 adopté" and first.backend == "web"
    assert first.snippet.startswith("L'Assemblée a adopté")
    assert first.published == "2026-11-30" and first.site == "lemonde.fr"
    assert hits[1].published is None
    request = search_server.made("searxng")[0]
    assert request.params["format"] == "json" and request.params["language"] == "fr"
    assert request.headers["accept"] == "application/json"


async def test_limit_and_repeated_urls(search_server, http):
    search_server.add(LE_MONDE, LE_MONDE, BBC)
    hits = await backend(search_server, http).search("budget 2027", "fr", 5)
    assert [h.url for h in hits] == [LE_MONDE.url, BBC.url]
    assert len(await backend(search_server, http).search("budget 2027", "fr", 1)) == 1


async def test_json_not_enabled_says_where_to_enable_it(search_server, http):
    search_server.json_enabled = False
    with pytest.raises(SearchError) as info:
        await backend(search_server, http).search("budget", "fr", 5)
    assert "403" in info.value.reason and "settings.yml" in info.value.reason
    assert "search.formats" in info.value.reason


async def test_a_short_retry_after_is_waited_once(search_server, http, sleeps):
    search_server.add(BBC).fail("searxng", "429", retry_after="2")
    hits = await backend(search_server, http).search("budget", "en", 5)
    assert [h.url for h in hits] == [BBC.url]
    assert sleeps == [2.0] and len(search_server.made("searxng")) == 2


async def test_a_long_retry_after_fails_at_once(search_server, http, sleeps):
    search_server.add(BBC).fail("searxng", "429", retry_after=str(int(MAX_RETRY_AFTER) + 55))
    with pytest.raises(SearchError, match=r"web: rate-limited \(HTTP 429, retry in 60 s\)"):
        await backend(search_server, http).search("budget", "en", 5)
    assert sleeps == [] and len(search_server.made("searxng")) == 1


async def test_a_second_429_is_not_waited_again(search_server, http, sleeps):
    search_server.fail("searxng", "429", times=2, retry_after="1")
    with pytest.raises(SearchError, match="429"):
        await backend(search_server, http).search("budget", "en", 5)
    assert sleeps == [1.0] and len(search_server.made("searxng")) == 2


async def test_server_error_malformed_json_and_hang(search_server, http):
    search_server.fail("searxng", "500").fail("searxng", "malformed").fail("searxng", "hang")
    with pytest.raises(SearchError, match=r"^web: HTTP 500 from searxng \(Internal Server"):
        await backend(search_server, http).search("budget", "en", 5)
    with pytest.raises(SearchError, match=r"^web: the answer is not JSON"):
        await backend(search_server, http).search("budget", "en", 5)
    with pytest.raises(SearchError, match=r"^web: no answer within 0.5 s$"):
        await backend(search_server, http, timeout=0.5).search("budget", "en", 5)


async def test_unreachable_instance(http):
    config = SearchConfig(name="web", provider="searxng", base_url="http://127.0.0.1:9")
    with pytest.raises(SearchError, match=r"^web: cannot reach 127.0.0.1 \(ConnectError\)$"):
        await SearxngBackend(config, http).search("budget", "en", 5)


async def test_timed_search_records_both_outcomes(search_server, http):
    search_server.add(BBC).fail("searxng", "500")
    hits, record = await timed_search(backend(search_server, http), "budget", "en", 5)
    assert hits == [] and record.status == "error" and record.results == 0
    assert record.error is not None and "HTTP 500" in record.error
    hits, record = await timed_search(backend(search_server, http), "budget", "en", 5)
    assert (record.backend, record.query, record.status, record.results) == (
        "web", "budget", "ok", 1)
    assert record.latency_ms >= 0 and record.error is None


async def test_long_queries_are_cut_to_what_services_take(search_server, http):
    await backend(search_server, http).search("word " * 80, "en", 5)
    sent = search_server.made("searxng")[0].params["q"]
    assert len(sent.split()) == 50 and len(sent) <= 400


async def test_no_results_because_every_engine_failed_is_a_failure(search_server, http):
    search_server.add(BBC).unresponsive = [["google", "timeout"], ["bing", "CAPTCHA"]]
    with pytest.raises(SearchError, match=r"^web: no engine answered \(google: timeout, "
                                          r"bing: CAPTCHA\)$"):
        await backend(search_server, http).search("budget", "en", 5)


@pytest.mark.parametrize(("bcp47", "sent"), [
    ("fr", "fr"), ("pt-BR", "pt-BR"), ("zh-Hant-TW", "zh-TW"), ("zh-Hans", "zh"),
    ("und", "all"), ("", "all"), ("EN-us", "en-US")])
def test_searxng_language(bcp47, sent):
    from bot.search.searxng import searxng_language
    assert searxng_language(bcp47) == sent


async def test_a_moved_instance_says_where_to(http):
    import httpx

    def moved(request: httpx.Request) -> httpx.Response:
        return httpx.Response(301, headers={"Location": "https://search.example.org/search"})

    async with httpx.AsyncClient(transport=httpx.MockTransport(moved)) as client:
        config = SearchConfig(name="web", provider="searxng", base_url="http://search.example.org")
        with pytest.raises(SearchError) as info:
            await SearxngBackend(config, client).search("budget", "en", 5)
    assert info.value.reason == ("web: HTTP 301: searxng redirects to "
                                 "https://search.example.org/search; fix base_url")

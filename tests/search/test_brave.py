"""Brave Search through the real backend class against the fake API."""

from __future__ import annotations

import pytest

from bot.config import SearchConfig
from bot.errors import SearchError
from bot.search.brave import BraveBackend, brave_language
from tests.fakes.search_server import Doc, SearchServer

NHK = Doc("https://www3.nhk.or.jp/news/html/20261201/k1.html", "日銀 金利据え置き",
          "日本銀行は金利を0.5%に据え置いた。", "ja", "2026-12-01")
REUTERS = Doc("https://www.reuters.com/markets/boj-holds", "BOJ holds rates at 0.5%",
              "The Bank of Japan held rates at 0.5% on Monday.", "en", "2026-12-01")


def backend(server: SearchServer, http, key: str | None = None,
            timeout: float = 60.0) -> BraveBackend:
    config = SearchConfig(name="news", provider="brave", base_url=server.url,
                          api_key_env="BRAVE_TEST_KEY", timeout=timeout)
    return BraveBackend(config, http, server.brave_key if key is None else key)


async def test_web_results_become_hits(search_server, http):
    search_server.add(REUTERS)
    hits = await backend(search_server, http).search("Bank of Japan rates", "en", 5)
    assert len(hits) == 1
    hit = hits[0]
    assert (hit.url, hit.title, hit.backend) == (REUTERS.url, REUTERS.title, "news")
    assert hit.snippet == REUTERS.text and hit.published == "2026-12-01"
    assert hit.language == "en" and hit.site == "reuters.com"
    sent = search_server.made("brave")[0]
    assert sent.headers["x-subscription-token"] == search_server.brave_key
    assert sent.params["search_lang"] == "en" and sent.params["count"] == "5"


async def test_brave_language_codes_and_its_count_limit(search_server, http):
    search_server.add(NHK)
    await backend(search_server, http).search("日本銀行 金利", "ja", 50)
    sent = search_server.made("brave")[0].params
    assert sent["search_lang"] == "jp" and sent["count"] == "20"
    await backend(search_server, http).search("Kiswahili habari", "sw", 5)
    assert "search_lang" not in search_server.made("brave")[1].params  # Brave has no sw


@pytest.mark.parametrize(("bcp47", "brave"), [
    ("ja", "jp"), ("zh", "zh-hans"), ("zh-Hant", "zh-hant"), ("zh-TW", "zh-hant"),
    ("pt-BR", "pt-br"), ("pt", "pt-pt"), ("en-GB", "en-gb"), ("en-US", "en"), ("nb", "nb"),
    ("no", "nb"), ("fr-CA", "fr"), ("sw", None), ("und", None), ("", None)])
def test_brave_language(bcp47, brave):
    assert brave_language(bcp47) == brave


async def test_nothing_found_is_no_hits(search_server, http):
    assert await backend(search_server, http).search("nothing matches", "en", 5) == []


async def test_a_wrong_key_is_named_by_its_variable_and_never_shown(search_server, http):
    wrong = "BSA-wrong-key-that-must-not-print"
    with pytest.raises(SearchError) as info:
        await backend(search_server, http, key=wrong).search("rates", "en", 5)
    reason = info.value.reason
    assert reason == ("news: Brave refused the key in BRAVE_TEST_KEY "
                      "(HTTP 422 SUBSCRIPTION_TOKEN_INVALID)")
    assert wrong not in reason


async def test_no_key_asks_nothing(search_server, http):
    with pytest.raises(SearchError, match="no Brave API key: set BRAVE_TEST_KEY"):
        await backend(search_server, http, key="").search("rates", "en", 5)
    assert search_server.made("brave") == []


async def test_a_request_without_the_header_is_refused_by_the_fake(search_server, http):
    response = await http.get(f"{search_server.url}/res/v1/web/search", params={"q": "x"})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "VALIDATION"


async def test_rate_limit_window_is_waited_out_once(search_server, http, sleeps):
    # Brave says when the per-second window resets (X-RateLimit-Reset: 1, …), not Retry-After.
    search_server.add(REUTERS).fail("brave", "429")
    hits = await backend(search_server, http).search("Bank of Japan", "en", 5)
    assert [h.url for h in hits] == [REUTERS.url]
    assert sleeps == [1.0] and len(search_server.made("brave")) == 2


async def test_a_spent_quota_fails_without_waiting_a_month(search_server, http, sleeps):
    search_server.fail("brave", "quota")
    with pytest.raises(SearchError) as info:
        await backend(search_server, http).search("Bank of Japan", "en", 5)
    assert info.value.reason.startswith(
        "news: quota exhausted by Brave (HTTP 429, resets in 16 days): QUOTA_LIMITED")
    assert sleeps == []


async def test_server_error_malformed_and_hang(search_server, http):
    search_server.fail("brave", "500").fail("brave", "malformed").fail("brave", "hang")
    with pytest.raises(SearchError, match=r"^news: HTTP 500 from brave"):
        await backend(search_server, http).search("rates", "en", 5)
    with pytest.raises(SearchError, match=r"^news: the answer is not JSON"):
        await backend(search_server, http).search("rates", "en", 5)
    with pytest.raises(SearchError, match=r"^news: no answer within 0.5 s$"):
        await backend(search_server, http, timeout=0.5).search("rates", "en", 5)


async def test_a_key_echoed_back_by_a_proxy_is_masked_even_when_short():
    import httpx
    key = "short-k"  # under redact's floor: masked because the backend knows it is the key

    def handler(request: httpx.Request) -> httpx.Response:
        echoed = request.headers["x-subscription-token"]
        return httpx.Response(502, text=f"<html>bad gateway for token {echoed}</html>")

    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as client:
        config = SearchConfig(name="news", provider="brave", base_url="http://proxy.local")
        with pytest.raises(SearchError) as info:
            await BraveBackend(config, client, key).search("rates", "en", 5)
    assert key not in info.value.reason and "***" in info.value.reason
    assert info.value.reason.startswith("news: HTTP 502 from brave (bad gateway for token")

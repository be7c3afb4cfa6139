"""Wikipedia through the real backend class against the fake MediaWiki Action API."""

from __future__ import annotations

import pytest

from bot.config import SearchConfig
from bot.errors import SearchError
from bot.search.wikipedia import WikipediaBackend, wiki_language
from tests.fakes.search_server import Doc, SearchServer

DE = Doc("https://de.wikipedia.org/wiki/Bundestag", "Deutscher Bundestag",
         "Der Bundestag hat 630 Abgeordnete seit der Wahlrechtsreform.", "de", "2026-10-02")
EN = Doc("https://en.wikipedia.org/wiki/Bundestag", "Bundestag",
         "The Bundestag has 630 members since the electoral reform.", "en")


def backend(server: SearchServer, http, timeout: float = 60.0,
            contact: str | None = "https://example.org/parallax-operator") -> WikipediaBackend:
    config = SearchConfig(name="wiki", provider="wikipedia", base_url=server.url + "/{lang}",
                          timeout=timeout, contact=contact)
    return WikipediaBackend(config, http)


async def test_the_query_languages_wiki_and_english_are_merged(search_server, http):
    search_server.add(DE, EN)
    hits = await backend(search_server, http).search("Bundestag 630", "de", 5)
    assert [(h.title, h.language) for h in hits] == [
        ("Deutscher Bundestag", "de"), ("Bundestag", "en")]
    first = hits[0]
    assert first.url == f"{search_server.url}/de/wiki/Deutscher_Bundestag"
    assert first.snippet.startswith("Der Bundestag hat 630")  # searchmatch spans removed
    assert "<span" not in first.snippet and first.published == "2026-10-02"
    assert first.site == "127.0.0.1" and first.backend == "wiki"
    paths = sorted(r.path for r in search_server.made("wikipedia"))
    assert paths == ["/de/w/api.php", "/en/w/api.php"]
    params = search_server.made("wikipedia")[0].params
    assert (params["action"], params["list"], params["format"], params["formatversion"]) == (
        "query", "search", "json", "2")


async def test_english_is_asked_once(search_server, http):
    search_server.add(EN)
    hits = await backend(search_server, http).search("Bundestag", "en", 5)
    assert [h.language for h in hits] == ["en"]
    assert len(search_server.made("wikipedia")) == 1


async def test_user_agent_names_parallax_and_the_operator(search_server, http):
    search_server.add(EN)
    await backend(search_server, http).search("Bundestag", "en", 5)
    agent = search_server.made("wikipedia")[0].headers["user-agent"]
    assert agent.startswith("Parallax/") and "https://example.org/parallax-operator" in agent
    assert "httpx/" in agent


async def test_a_generic_user_agent_is_refused_as_wikimedia_does(search_server, http):
    response = await http.get(f"{search_server.url}/en/w/api.php",
                              params={"action": "query", "list": "search", "srsearch": "x"},
                              headers={"User-Agent": "python-httpx/0.28"})
    assert response.status_code == 403


async def test_one_wiki_failing_costs_only_its_hits(search_server, http):
    search_server.add(DE, EN).fail("wikipedia", "500")
    hits = await backend(search_server, http).search("Bundestag 630", "de", 5)
    assert len(hits) == 1  # the wiki that answered first got the 500, the other counts


async def test_both_failing_names_both(search_server, http):
    search_server.fail("wikipedia", "500", times=2)
    with pytest.raises(SearchError) as info:
        await backend(search_server, http).search("Bundestag", "de", 5)
    assert "wiki (de): HTTP 500" in info.value.reason
    assert "wiki (en): HTTP 500" in info.value.reason


async def test_an_api_error_in_a_200_is_an_error(search_server, http):
    config = SearchConfig(name="wiki", provider="wikipedia", base_url=search_server.url + "/en")
    broken = WikipediaBackend(config, http)

    async def no_query(wiki, query, limit):  # the real request, without srsearch
        data = await broken._get_json(f"{search_server.url}/en/w/api.php",
                                      {"action": "query", "list": "search", "format": "json"})
        assert data["error"]["code"] == "missingparam"
        raise SearchError(f"wiki ({wiki}): {data['error']['code']}")

    broken._wiki = no_query  # type: ignore[method-assign]
    with pytest.raises(SearchError, match="missingparam"):
        await broken.search("x", "en", 5)


async def test_malformed_and_hang(search_server, http):
    search_server.fail("wikipedia", "malformed")
    with pytest.raises(SearchError, match=r"wiki \(en\): the answer is not JSON"):
        await backend(search_server, http).search("Bundestag", "en", 5)
    search_server.fail("wikipedia", "hang")
    with pytest.raises(SearchError, match=r"^wiki: no answer within 0.5 s$"):
        await backend(search_server, http, timeout=0.5).search("Bundestag", "en", 5)


@pytest.mark.parametrize(("bcp47", "wiki"), [
    ("de", "de"), ("pt-BR", "pt"), ("zh-Hant", "zh"), ("nb", "no"), ("yue", "zh-yue"),
    ("und", "en"), ("", "en"), ("x-klingon", "en")])
def test_wiki_language(bcp47, wiki):
    assert wiki_language(bcp47) == wiki

"""The registry builds every declared backend and the archive, as a third party would."""

from __future__ import annotations

import pytest

from bot.config import SearchConfig, load_settings
from bot.errors import ConfigError
from bot.search import build_backend, build_backends, register
from bot.search.archive import ArchiveBackend
from bot.search.base import SearchBackend
from bot.search.brave import BraveBackend
from bot.search.searxng import SearxngBackend
from bot.search.wikipedia import WikipediaBackend


def test_every_block_and_the_archive(tmp_path):
    path = tmp_path / "parallax.toml"
    path.write_text('[[search]]\nname = "web"\nprovider = "searxng"\n'
                    'base_url = "http://localhost:8888"\n'
                    '[[search]]\nname = "brave"\nprovider = "brave"\n'
                    '[[search]]\nname = "wiki"\nprovider = "wikipedia"\n', encoding="utf-8")
    settings = load_settings(environ={"BRAVE_API_KEY": "BSA-0123456789abcdef"}, path=path)
    backends = build_backends(settings, None)
    assert list(backends) == ["web", "brave", "wiki", "archive"]
    assert [type(b) for b in backends.values()] == [
        SearxngBackend, BraveBackend, WikipediaBackend, ArchiveBackend]
    assert backends["brave"]._api_key == "BSA-0123456789abcdef"


async def test_a_third_party_backend_registers_like_the_builtins():
    class Static(SearchBackend):
        kind = "static"

        async def _search(self, query, language, limit, exclude_article_id):
            from bot.records import SearchHit
            return [SearchHit(f"https://example.org/{i}", "t", query, self.name)
                    for i in range(3)]

    register("static", lambda: Static)
    config = SearchConfig.model_construct(name="s", provider="static", base_url=None,
                                          api_key_env=None, timeout=5.0, contact=None)
    backend = build_backend(config, load_settings(environ={}), None)
    assert [h.url for h in await backend.search("q", "en", 2)] == [
        "https://example.org/0", "https://example.org/1"]


def test_an_unknown_provider_is_a_config_error():
    config = SearchConfig.model_construct(name="x", provider="bing", base_url=None,
                                          api_key_env=None, timeout=5.0, contact=None)
    with pytest.raises(ConfigError, match="provider 'bing' is not available"):
        build_backend(config, load_settings(environ={}), None)


async def test_the_app_builds_them_over_its_client_and_store(tmp_path, search_server):
    from tests.fakes.search_server import Doc
    search_server.add(Doc("https://example.org/a", "Budget adopted", "The budget passed."))
    path = tmp_path / "parallax.toml"
    path.write_text(f'[[search]]\nname = "web"\nprovider = "searxng"\n'
                    f'base_url = "{search_server.url}"\n', encoding="utf-8")
    from bot.app import build_app
    async with build_app(load_settings(environ={}, path=path), tmp_path / "p.db") as app:
        assert list(app.search) == ["web", "archive"]
        hits = await app.search["web"].search("budget", "en", 5)
        assert [h.url for h in hits] == ["https://example.org/a"]  # loopback: the operator's
        assert await app.search["archive"].search("budget", "en", 5) == []

from pathlib import Path

import pytest

from bot.config import load_settings
from bot.errors import ConfigError


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "parallax.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_no_file_no_keys_is_offline():
    settings = load_settings(environ={})
    assert [m.provider for m in settings.model] == ["offline"]
    assert settings.quorum == 1


def test_no_file_with_keys_builds_a_panel():
    settings = load_settings(environ={"ANTHROPIC_API_KEY": "sk-ant-x", "OPENAI_API_KEY": "sk-o"})
    assert [m.provider for m in settings.model] == ["anthropic", "anthropic", "openai"]
    assert settings.quorum == 2
    assert settings.secret("ANTHROPIC_API_KEY") == "sk-ant-x"


def test_secrets_never_print():
    settings = load_settings(environ={"ANTHROPIC_API_KEY": "sk-ant-very-secret"})
    assert "very-secret" not in repr(settings)
    assert "very-secret" not in settings.model_dump_json()


def test_full_file(tmp_path):
    path = write(tmp_path, """
languages = ["en", "fr"]
database = "x.db"
[[model]]
name = "sonnet"
provider = "anthropic"
model = "claude-sonnet-5-5"
[[model]]
name = "llama"
provider = "openai"
model = "llama3.1:8b"
base_url = "http://localhost:11434/v1"
api_key_env = "OLLAMA_API_KEY"
structured = "json_object"
[pipeline]
summarize = "sonnet"
panel = ["sonnet", "llama"]
quorum = 2
max_claims = 8
""")
    settings = load_settings(environ={"OLLAMA_API_KEY": "k"}, path=path)
    assert settings.languages == ["en", "fr"]
    assert [m.name for m in settings.panel] == ["sonnet", "llama"]
    assert settings.extractor.name == "sonnet"
    assert settings.secret("OLLAMA_API_KEY") == "k"
    assert settings.pipeline.max_claims == 8


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('langauges = ["en"]\n', "line 1: unknown key 'langauges'"),
        ('languages = ["en"]\nmax_article_chars = "lots"\n', "line 2: max_article_chars"),
        ('[[model]]\nname = "a"\nprovider = "gemini"\n', "line 3: model.0.provider"),
        ('[[model]]\nname = "a"\nprovider = "offline"\n[pipeline]\npanel = ["b"]\n',
         "unknown model 'b'"),
        ('languages = ["english!"]\n', "not a language code"),
        ("languages = [\n", "parallax.toml"),
    ],
)
def test_bad_files_name_file_line_and_reason(tmp_path, text, expected):
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_settings(environ={}, path=path)
    assert expected in str(info.value)
    assert str(path) in str(info.value)
    assert "\n" not in str(info.value)


def test_missing_explicit_file(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        load_settings(environ={"PARALLAX_CONFIG": str(tmp_path / "nope.toml")})


def test_quorum_larger_than_panel(tmp_path):
    path = write(tmp_path, '[[model]]\nname = "a"\nprovider = "offline"\n[pipeline]\nquorum = 3\n'
                 'panel = ["a"]\n')
    with pytest.raises(ConfigError, match="larger than the panel"):
        load_settings(environ={}, path=path)


OFFLINE_A = '[[model]]\nname = "a"\nprovider = "offline"\n'


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('allow_private_networks = "yes"\n',
         "line 1: allow_private_networks: must be true or false, not a string"),
        ('allow_private_networks = "true"\n', "line 1: allow_private_networks: must be true"),
        ("allow_private_networks = 1\n",
         "line 1: allow_private_networks: must be true or false, not 1"),
        ('[pipeline]\nmax_claims = "12"\n', "line 2: pipeline.max_claims: must be a whole number"),
        ("max_article_chars = 1.5e5\n",
         "line 1: max_article_chars: must be a whole number, not 150000.0"),
        ("max_fetch_bytes = true\n", "line 1: max_fetch_bytes: must be a whole number, not true"),
        (OFFLINE_A + 'web_search = "no"\n', "line 4: model.0.web_search: must be true or false"),
        (OFFLINE_A + 'timeout = "30"\n', "line 4: model.0.timeout: must be a number"),
        (OFFLINE_A + 'thinking = "yes"\n', "line 4: model.0.thinking: must be true or false"),
        (OFFLINE_A + 'reasoning_effort = "extreme"\n', "line 4: model.0.reasoning_effort:"),
    ],
)
def test_values_are_strictly_typed(tmp_path, text, expected):
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_settings(environ={}, path=path)
    assert f"{path}, {expected}" in str(info.value)


def test_per_model_thinking_and_reasoning_effort(tmp_path):
    path = write(tmp_path, OFFLINE_A + 'thinking = true\nreasoning_effort = "high"\n')
    model = load_settings(environ={}, path=path).model[0]
    assert model.thinking is True and model.reasoning_effort == "high"
    default = load_settings(environ={}, path=write(tmp_path, OFFLINE_A)).model[0]
    assert default.thinking is None and default.reasoning_effort is None  # by model id


def test_an_integer_is_a_number(tmp_path):
    path = write(tmp_path, OFFLINE_A + "timeout = 30\n")
    assert load_settings(environ={}, path=path).model[0].timeout == 30.0


def test_a_string_is_never_echoed(tmp_path):
    path = write(tmp_path, 'allow_private_networks = "sk-ant-pasted-here"\n')
    with pytest.raises(ConfigError) as info:
        load_settings(environ={}, path=path)
    assert "sk-ant" not in str(info.value)


def test_quorum_larger_than_the_implicit_panel(tmp_path):
    # No panel named: every declared model is the panel, two here.
    path = write(tmp_path, OFFLINE_A + '[[model]]\nname = "b"\nprovider = "offline"\n'
                 "[pipeline]\nmax_claims = 4\nquorum = 3\n")
    with pytest.raises(ConfigError) as info:
        load_settings(environ={}, path=path)
    assert f"{path}, line 9: pipeline.quorum 3 is larger than the panel (2 models)" in str(
        info.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('languages = ["en"]\nmax_claims = 8\n',
         "line 2: unknown key 'max_claims': it belongs in [pipeline]"),
        ('[pipeline]\nmax_claims = 8\nlanguages = ["en"]\n',
         "line 3: unknown key 'languages': it belongs at the top level"),
        ('provider = "offline"\n', "line 1: unknown key 'provider': it belongs in a [[model]]"),
        (OFFLINE_A + "quorum = 1\n", "line 4: unknown key 'quorum': it belongs in [pipeline]"),
        ("[pipeline]\nmax_claim = 8\n", "line 2: unknown key 'max_claim' (did you mean "
         "'max_claims'?)"),
    ],
)
def test_a_key_in_the_wrong_table_says_where_it_belongs(tmp_path, text, expected):
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_settings(environ={}, path=path)
    assert f"{path}, {expected}" in str(info.value)


@pytest.mark.parametrize(
    ("text", "line"),
    [
        # The second [[model]] block's key, not the first block's key of the same name.
        (OFFLINE_A + '[[model]]\nname = "b"\nprovider = "gemini"\n', 6),
        (OFFLINE_A + '[[model]]\nname = "a"\nprovider = "offline"\n', 5),
        (OFFLINE_A + '[[model]]\nprovider = "offline"\n', 4),
        (OFFLINE_A + '\n[pipeline]\nsummarize = "a"\n# note\npanel = ["a", "z"]\n', 8),
        (OFFLINE_A + '[pipeline]\n  escalate = ["z"]\n', 5),
        (OFFLINE_A + "pipeline.quorum = 2\n", 4),
        ('database = "x.db"\nallowed_networks = ["10.0.0.0/8", "nope"]\n', 2),
        ('max_article_chars = 1000\nlanguages = [\n  "en",\n  "xx",\n]\n', 2),
        ('notes = """\nmax_claims = 3\n"""\nmax_claims = 3\n', 1),
        ('discord_api_base = "http://proxy"\n', 1),
        ('\n\nsecrets = "x"\n', 3),
    ],
)
def test_every_config_error_names_its_line(tmp_path, text, line):
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_settings(environ={}, path=path)
    assert str(info.value).startswith(f"{path}, line {line}: "), str(info.value)
    assert "\n" not in str(info.value)


def test_languages_are_canonical_and_distinct(tmp_path):
    path = write(tmp_path, 'languages = ["en", "EN", "pt-br", "zh-hant"]\n')
    assert load_settings(environ={}, path=path).languages == ["en", "pt-BR", "zh-Hant"]


def test_a_code_that_is_not_a_language_is_refused(tmp_path):
    path = write(tmp_path, 'languages = ["en", "xx"]\n')
    with pytest.raises(ConfigError, match=r"line 1: languages.1: 'xx' is not a language code"):
        load_settings(environ={}, path=path)


SEARCH_FILE = """
[[search]]
name = "web"
provider = "searxng"
base_url = "http://localhost:8888"

[[search]]
name = "news"
provider = "brave"
api_key_env = "MY_BRAVE_KEY"
timeout = 5

[[search]]
name = "wiki"
provider = "wikipedia"
contact = "https://example.org/ops"

[evidence]
results_per_query = 3
passages_per_claim = 2
max_fetches = 10
timeout = 15
cache_hours = 6

[pipeline]
evidence = ["web", "news", "wiki", "archive"]
"""


def test_search_blocks_and_evidence(tmp_path):
    settings = load_settings(environ={"MY_BRAVE_KEY": "BSA-brave-key-0123456789"},
                             path=write(tmp_path, SEARCH_FILE))
    assert [(s.name, s.provider) for s in settings.search] == [
        ("web", "searxng"), ("news", "brave"), ("wiki", "wikipedia")]
    assert settings.search_named("news").timeout == 5.0
    assert settings.secret(settings.search_named("news").key_env) == "BSA-brave-key-0123456789"
    assert settings.search_named("archive").provider == "archive"
    assert settings.pipeline.evidence == ["web", "news", "wiki", "archive"]
    e = settings.evidence
    assert (e.results_per_query, e.passages_per_claim, e.max_fetches, e.timeout,
            e.cache_hours) == (3, 2, 10, 15.0, 6.0)
    assert "brave-key" not in repr(settings)


def test_evidence_defaults_to_the_archive_and_brave_to_its_usual_variable():
    settings = load_settings(environ={"BRAVE_API_KEY": "BSA-default-0123456789"})
    assert settings.pipeline.evidence == ["archive"] and settings.search == []
    assert settings.evidence.results_per_query == 5 and settings.evidence.cache_hours == 24
    assert settings.secret("BRAVE_API_KEY") == "BSA-default-0123456789"


def test_offline_keeps_only_the_archive(tmp_path):
    settings = load_settings(environ={}, path=write(tmp_path, SEARCH_FILE))
    assert settings.offline().pipeline.evidence == ["archive"]
    off = load_settings(environ={}, path=write(tmp_path, "[pipeline]\nevidence = []\n"))
    assert off.pipeline.evidence == [] and off.offline().pipeline.evidence == []


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        ('[pipeline]\nevidence = ["web"]\n', 2,
         "pipeline.evidence names unknown search 'web' (known: archive)"),
        ('[[search]]\nname = "archive"\nprovider = "wikipedia"\n', 2,
         "the archive needs no [[search]] block"),
        ('[[search]]\nname = "a"\nprovider = "archive"\n', 3,
         "the archive needs no [[search]] block"),
        ('[[search]]\nname = "web"\nprovider = "searxng"\n', 1, "a searxng block needs base_url"),
        ('[[search]]\nname = "w"\nprovider = "wikipedia"\n[[search]]\nname = "w"\n'
         'provider = "wikipedia"\n', 5, "search name declared twice: w"),
        ('[[search]]\nname = "w"\nprovider = "bing"\n', 3, "search.0.provider"),
        ('[[search]]\nname = "w"\nprovider = "wikipedia"\ntimeout = "5"\n', 4,
         "must be a number, not a string (write it without quotes)"),
        ('[[search]]\nname = "w"\nprovider = "wikipedia"\nkey = "x"\n', 4, "unknown key 'key'"),
        ('[evidence]\nresults_per_query = 0\n', 2, "evidence.results_per_query"),
        ('[evidence]\ncache_hours = "24"\n', 2, "must be a number"),
        ('[evidence]\nresult_per_query = 3\n', 2, "did you mean 'results_per_query'?"),
        ('results_per_query = 3\n', 1, "it belongs in [evidence]"),
        ('[pipeline]\nevidence = ["archive", "archive"]\n', 2, "names a search twice"),
        ('[[search]]\nname = "w"\nprovider = "wikipedia"\nbase_url = "ftp://x"\n', 4,
         "search.0.base_url"),
    ],
)
def test_search_and_evidence_errors_name_file_line_and_reason(tmp_path, text, line, reason):
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_settings(environ={}, path=path)
    message = str(info.value)
    assert message.startswith(f"{path}, line {line}: "), message
    assert reason in message, message

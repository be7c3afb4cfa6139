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

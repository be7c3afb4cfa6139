"""Settings: the only reader of environment variables and ``parallax.toml``.

Secrets come from the environment only and are held as ``SecretStr`` so that they never
print. Everything else comes from the TOML file (``parallax.toml`` in the working
directory, or the path in ``PARALLAX_CONFIG``); unknown keys and bad values are refused
with the file, the line and the reason.
"""

from __future__ import annotations

import ipaddress
import os
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, model_validator

from bot.errors import ConfigError
from bot.redact import remember

DEFAULT_CONFIG_FILE = "parallax.toml"
_LANG_RE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")

# Default models when no file is given, by the key that is present. Ids live here, in
# configuration defaults, and nowhere in the code paths.
_DEFAULT_ANTHROPIC = [
    {"name": "sonnet", "provider": "anthropic", "model": "claude-sonnet-5-5"},
    {"name": "haiku", "provider": "anthropic", "model": "claude-haiku-5-5"},
]
_DEFAULT_OPENAI = [{"name": "gpt", "provider": "openai", "model": "gpt-5-mini"}]
_OFFLINE = {"name": "offline", "provider": "offline", "model": "offline"}
_DEFAULT_KEY_ENV = {"anthropic": "ANTHROPIC_API_KEY", "openai": "OPENAI_API_KEY"}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ModelConfig(_Strict):
    """One model, declared once by name and referred to by name."""

    name: str = Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_.-]+$")
    provider: Literal["anthropic", "openai", "offline"]
    model: str = Field(default="offline", min_length=1)
    base_url: str | None = None
    api_key_env: str | None = Field(default=None, pattern=r"^[A-Z_][A-Z0-9_]*$")
    structured: Literal["json_schema", "json_object", "tool"] = "json_schema"
    web_search: bool = False
    timeout: float = Field(default=60.0, gt=0, le=600)
    max_output_tokens: int = Field(default=4096, ge=256, le=64000)

    @property
    def key_env(self) -> str | None:
        """The environment variable that holds this model's API key."""
        return self.api_key_env or _DEFAULT_KEY_ENV.get(self.provider)


class PipelineConfig(_Strict):
    """Which model does which stage, and how the panel decides."""

    summarize: str | None = None
    claims: str | None = None
    panel: list[str] = Field(default_factory=list)
    escalate: list[str] = Field(default_factory=list)
    quorum: int | None = Field(default=None, ge=1)
    max_claims: int = Field(default=12, ge=1, le=50)
    summary_sentences: int = Field(default=3, ge=1, le=12)


class Settings(_Strict):
    """Everything Parallax is configured with. Build it with :func:`load_settings`."""

    languages: list[str] = Field(default_factory=list)
    database: Path = Path("data/parallax.db")
    allow_private_networks: bool = False
    # CIDR blocks treated as public although they are not (an internal news mirror).
    allowed_networks: list[str] = Field(default_factory=list)
    max_article_chars: int = Field(default=100_000, ge=1_000, le=2_000_000)
    max_fetch_bytes: int = Field(default=5_000_000, ge=10_000, le=50_000_000)
    fetch_timeout: float = Field(default=20.0, gt=0, le=120)
    prompts_dir: Path | None = None
    model: list[ModelConfig] = Field(default_factory=list)
    pipeline: PipelineConfig = Field(default_factory=PipelineConfig)
    # From the environment only; never from the file, never printed.
    secrets: dict[str, SecretStr] = Field(default_factory=dict, exclude=True, repr=False)
    discord_api_base: str | None = None
    discord_gateway_url: str | None = None
    source_file: str | None = None

    @model_validator(mode="after")
    def _check(self) -> Settings:
        names = [m.name for m in self.model]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"model name declared twice: {', '.join(dupes)}")
        p = self.pipeline
        for stage, ref in (("summarize", p.summarize), ("claims", p.claims)):
            if ref is not None and ref not in names:
                raise ValueError(f"pipeline.{stage} names unknown model '{ref}'")
        for stage, refs in (("panel", p.panel), ("escalate", p.escalate)):
            for ref in refs:
                if ref not in names:
                    raise ValueError(f"pipeline.{stage} names unknown model '{ref}'")
        if p.quorum is not None and p.panel and p.quorum > len(p.panel):
            raise ValueError(
                f"pipeline.quorum {p.quorum} is larger than the panel ({len(p.panel)})")
        for cidr in self.allowed_networks:
            try:
                ipaddress.ip_network(cidr, strict=False)
            except ValueError:
                raise ValueError(f"'{cidr}' is not a network such as 10.0.0.0/8") from None
        for lang in self.languages:
            if not _LANG_RE.match(lang):
                raise ValueError(f"'{lang}' is not a language code such as en or pt-BR")
        return self

    def model_named(self, name: str) -> ModelConfig:
        """The declared model called ``name``."""
        for m in self.model:
            if m.name == name:
                return m
        raise ConfigError(f"no model named '{name}'")

    @property
    def summarizer(self) -> ModelConfig:
        """The model that writes summaries (default: the first declared)."""
        return self.model_named(self.pipeline.summarize or self.model[0].name)

    @property
    def extractor(self) -> ModelConfig:
        """The model that extracts claims (default: the summarizer)."""
        return self.model_named(self.pipeline.claims or self.summarizer.name)

    @property
    def panel(self) -> list[ModelConfig]:
        """The models that verify every claim (default: every declared model)."""
        return [self.model_named(n) for n in (self.pipeline.panel or [m.name for m in self.model])]

    @property
    def quorum(self) -> int:
        """How many panel models must answer for an agreement: default a majority."""
        return self.pipeline.quorum or len(self.panel) // 2 + 1

    def secret(self, env_name: str | None) -> str | None:
        """The value of a secret variable captured at load time, or None."""
        value = self.secrets.get(env_name or "")
        return value.get_secret_value() if value else None

    def offline(self) -> Settings:
        """The same settings with the offline provider doing every stage."""
        return self.model_copy(
            update={"model": [ModelConfig(**_OFFLINE)], "pipeline": PipelineConfig(
                max_claims=self.pipeline.max_claims,
                summary_sentences=self.pipeline.summary_sentences)})


def load_settings(
    environ: Mapping[str, str] | None = None, path: str | Path | None = None
) -> Settings:
    """Read the configuration file (if any) and the environment into validated Settings."""
    env = dict(os.environ if environ is None else environ)
    file = Path(path or env.get("PARALLAX_CONFIG") or DEFAULT_CONFIG_FILE)
    explicit = path is not None or "PARALLAX_CONFIG" in env
    data: dict[str, Any] = {}
    text = ""
    if file.is_file():
        try:
            text = file.read_text(encoding="utf-8")
            data = tomllib.loads(text)
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{file}: cannot read: {exc.__class__.__name__}") from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{file}: {exc}") from None
    elif explicit:
        raise ConfigError(f"{file}: configuration file not found")
    if not data.get("model"):
        data.setdefault("model", _default_models(env))
    if "secrets" in data or "source_file" in data:
        raise ConfigError(f"{file}: secrets belong in environment variables, not in the file")
    data["secrets"] = _secrets(env, data["model"])
    # From here on every text the process prints, logs or stores is masked of them.
    remember(*(value.get_secret_value() for value in data["secrets"].values()))
    data["discord_api_base"] = env.get("DISCORD_API_BASE") or None
    data["discord_gateway_url"] = env.get("DISCORD_GATEWAY_URL") or None
    data["source_file"] = str(file) if text else None
    try:
        return Settings.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(_describe(exc, file, text)) from None


def _default_models(env: Mapping[str, str]) -> list[dict[str, Any]]:
    models: list[dict[str, Any]] = []
    if env.get("ANTHROPIC_API_KEY"):
        models += _DEFAULT_ANTHROPIC
    if env.get("OPENAI_API_KEY"):
        models += _DEFAULT_OPENAI
    return [dict(m) for m in models] or [dict(_OFFLINE)]


def _secrets(env: Mapping[str, str], models: Any) -> dict[str, SecretStr]:
    names = {"DISCORD_TOKEN", *_DEFAULT_KEY_ENV.values()}
    if isinstance(models, list):
        names |= {m["api_key_env"] for m in models if isinstance(m, dict) and m.get("api_key_env")}
    return {n: SecretStr(env[n]) for n in names if isinstance(n, str) and env.get(n)}


def _describe(exc: ValidationError, file: Path, text: str) -> str:
    """One line: file, line, and the first problem pydantic found."""
    err = exc.errors()[0]
    loc = [str(p) for p in err["loc"]]
    key = next((p for p in reversed(loc) if not p.isdigit()), "")
    if err["type"] == "extra_forbidden":
        reason = f"unknown key '{key}'"
    else:
        reason = err["msg"].removeprefix("Value error, ")
        if key:
            reason = f"{'.'.join(loc)}: {reason}"
    where = str(file)
    line = _line_of(text, key) if key else None
    if line:
        where += f", line {line}"
    return f"{where}: {reason}"


def _line_of(text: str, key: str) -> int | None:
    pattern = re.compile(rf"^\s*(\[\[?)?\s*{re.escape(key)}\s*(=|\]\]?)")
    for number, line in enumerate(text.splitlines(), start=1):
        if pattern.match(line):
            return number
    return None

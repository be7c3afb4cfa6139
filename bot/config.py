"""Settings: the only reader of environment variables and ``parallax.toml``.

Secrets come from the environment only and are held as ``SecretStr`` so that they never
print. Everything else comes from the TOML file (``parallax.toml`` in the working
directory, or the path in ``PARALLAX_CONFIG``); unknown keys and bad values are refused
with the file, the line and the reason.

Values are strictly typed: ``allow_private_networks = "yes"`` or ``max_claims = "12"`` is
refused, not read as true or twelve (a string that turned the address guard off was how this
started). Integers are accepted where a number with a fraction is (``timeout = 30``). A key in
the wrong table (``max_claims`` at the top level) is told where it belongs. tomllib gives no
positions, so the line of a key is found by scanning the file's tables and keys
(:func:`_key_lines`).
"""

from __future__ import annotations

import difflib
import ipaddress
import os
import re
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    StrictBool,
    StrictFloat,
    StrictInt,
    ValidationError,
    field_validator,
    model_validator,
)

from bot.errors import ConfigError, InputError
from bot.languages import MAX_LANGUAGES, canonical_language
from bot.provider_kinds import GROUP, kinds
from bot.redact import remember

DEFAULT_CONFIG_FILE = "parallax.toml"

# Default models when no file is given, by the key that is present. Ids live here, in
# configuration defaults, and nowhere in the code paths.
_DEFAULT_ANTHROPIC = [
    {"name": "sonnet", "provider": "anthropic", "model": "claude-sonnet-5-5"},
    {"name": "haiku", "provider": "anthropic", "model": "claude-haiku-5-5"},
]
_DEFAULT_OPENAI = [{"name": "gpt", "provider": "openai", "model": "gpt-5-mini"}]
_OFFLINE = {"name": "offline", "provider": "offline", "model": "offline"}
_DEFAULT_KEY_ENV = {"anthropic": "ANTHROPIC_API_KEY", "openai": "OPENAI_API_KEY"}


class _Located(ValueError):
    """A cross-field problem that knows which key of the file it is about."""

    def __init__(self, loc: Sequence[str | int], reason: str) -> None:
        super().__init__(reason)
        self.loc = tuple(loc)


def _language(code: str) -> str:
    try:
        return canonical_language(code)
    except InputError as exc:
        raise ValueError(exc.reason) from None


LanguageCode = Annotated[str, AfterValidator(_language)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ModelConfig(_Strict):
    """One model, declared once by name and referred to by name."""

    name: str = Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_.-]+$")
    # Checked against the built-in providers and the installed plug-ins (bot.provider_kinds).
    provider: str
    model: str = Field(default="offline", min_length=1)
    base_url: str | None = None
    api_key_env: str | None = Field(default=None, pattern=r"^[A-Z_][A-Z0-9_]*$")
    structured: Literal["json_schema", "json_object", "tool"] = "json_schema"
    web_search: StrictBool = False
    timeout: StrictFloat = Field(default=60.0, gt=0, le=600)
    max_output_tokens: StrictInt = Field(default=4096, ge=256, le=64000)
    # Anthropic: whether the model thinks before answering (then a forced tool_choice is
    # refused). None: known from the model id (Opus 5.5 and Fable always think).
    thinking: StrictBool | None = None
    # OpenAI reasoning models: sent as reasoning_effort; their hidden reasoning is given room
    # on top of max_output_tokens. None: "low" for known reasoning ids (o-series, gpt-5),
    # nothing for other models; "none" never sends it.
    reasoning_effort: Literal["none", "minimal", "low", "medium", "high"] | None = None

    @field_validator("provider")
    @classmethod
    def _known_provider(cls, value: str) -> str:
        known = kinds()
        if value not in known:
            raise ValueError(f"unknown provider '{value}' (known: {', '.join(known)}; a plug-in "
                             f"registers more through the '{GROUP}' entry-point group)")
        return value

    @property
    def key_env(self) -> str | None:
        """The environment variable that holds this model's API key."""
        return self.api_key_env or _DEFAULT_KEY_ENV.get(self.provider)


SEARCH_PROVIDERS = ("searxng", "brave", "wikipedia")
ARCHIVE = "archive"  # the search backend over the articles already read: no block, no network


class SearchConfig(_Strict):
    """One search backend, declared once by name and referred to by name in [pipeline]."""

    name: str = Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_.-]+$")
    # "archive" is built by the registry itself; a [[search]] block cannot declare it.
    provider: Literal["searxng", "brave", "wikipedia", "archive"]
    # searxng: the instance (required); brave: default https://api.search.brave.com;
    # wikipedia: default https://{lang}.wikipedia.org, {lang} the language searched.
    base_url: str | None = Field(default=None, pattern=r"^https?://")
    api_key_env: str | None = Field(default=None, pattern=r"^[A-Z_][A-Z0-9_]*$")
    timeout: StrictFloat = Field(default=10.0, gt=0, le=120)
    # Wikimedia asks every client for a way to reach its operator (a URL or an e-mail),
    # sent in the User-Agent.
    contact: str | None = Field(default=None, min_length=3, max_length=200)

    @property
    def key_env(self) -> str | None:
        """The environment variable that holds this backend's API key."""
        return self.api_key_env or ("BRAVE_API_KEY" if self.provider == "brave" else None)


class EvidenceConfig(_Strict):
    """How much the evidence stage searches and reads per check."""

    results_per_query: StrictInt = Field(default=5, ge=1, le=20)
    passages_per_claim: StrictInt = Field(default=4, ge=1, le=12)
    max_fetches: StrictInt = Field(default=20, ge=0, le=200)
    timeout: StrictFloat = Field(default=20.0, gt=0, le=300)  # the whole stage, in seconds
    cache_hours: StrictFloat = Field(default=24.0, ge=0, le=24 * 90)


class PipelineConfig(_Strict):
    """Which model does which stage, and how the panel decides."""

    summarize: str | None = None
    claims: str | None = None
    panel: list[str] = Field(default_factory=list)
    escalate: list[str] = Field(default_factory=list)
    quorum: StrictInt | None = Field(default=None, ge=1)
    max_claims: StrictInt = Field(default=12, ge=1, le=50)
    summary_sentences: StrictInt = Field(default=3, ge=1, le=12)
    # Search backends the evidence stage asks, by [[search]] name; "archive" always exists.
    evidence: list[str] = Field(default_factory=lambda: [ARCHIVE])


class Settings(_Strict):
    """Everything Parallax is configured with. Build it with :func:`load_settings`."""

    # Canonical and distinct (``["en", "EN"]`` is ``["en"]``), checked like ``--lang``.
    languages: list[LanguageCode] = Field(default_factory=list)
    # A file (SQLite) or a postgresql:// URL (Postgres); PARALLAX_DATABASE overrides it.
    database: Path | str = Path("data/parallax.db")
    allow_private_networks: StrictBool = False
    # CIDR blocks treated as public although they are not (an internal news mirror).
    allowed_networks: list[str] = Field(default_factory=list)
    max_article_chars: StrictInt = Field(default=100_000, ge=1_000, le=2_000_000)
    max_fetch_bytes: StrictInt = Field(default=5_000_000, ge=10_000, le=50_000_000)
    fetch_timeout: StrictFloat = Field(default=20.0, gt=0, le=120)
    prompts_dir: Path | None = None
    model: list[ModelConfig] = Field(default_factory=list)
    search: list[SearchConfig] = Field(default_factory=list)
    evidence: EvidenceConfig = Field(default_factory=EvidenceConfig)
    pipeline: PipelineConfig = Field(default_factory=PipelineConfig)
    # From the environment only; never from the file, never printed.
    secrets: dict[str, SecretStr] = Field(default_factory=dict, exclude=True, repr=False)
    discord_api_base: str | None = None
    discord_gateway_url: str | None = None
    source_file: str | None = None

    @field_validator("database", mode="before")
    @classmethod
    def _database(cls, value: Any) -> Path | str:
        """A path stays a Path; a Postgres URL stays text (a Path would fold its ``//``)."""
        text = str(value).strip() if isinstance(value, str | Path) else None
        if not text:
            raise ValueError("database must be a file path or a postgresql://user@host/name URL")
        if text.startswith(("postgresql://", "postgres://")):
            password = urlsplit(text).password
            if password:  # masked in every output, like the secrets of the environment
                remember(password)
            return text
        if "://" in text:
            raise ValueError(f"'{text.split('://')[0]}://…' is neither a file path nor "
                             "a postgresql:// URL")
        return Path(value)

    @field_validator("languages")
    @classmethod
    def _distinct_languages(cls, value: list[str]) -> list[str]:
        distinct = list(dict.fromkeys(value))
        if len(distinct) > MAX_LANGUAGES:
            raise ValueError(f"at most {MAX_LANGUAGES} languages, not {len(distinct)}")
        return distinct

    @model_validator(mode="after")
    def _check(self) -> Settings:
        names = [m.name for m in self.model]
        for index, name in enumerate(names):
            if name in names[:index]:
                raise _Located(("model", index, "name"), f"model name declared twice: {name}")
        p = self.pipeline
        for stage, ref in (("summarize", p.summarize), ("claims", p.claims)):
            if ref is not None and ref not in names:
                raise _Located(("pipeline", stage),
                               f"pipeline.{stage} names unknown model '{ref}'")
        for stage, refs in (("panel", p.panel), ("escalate", p.escalate)):
            for ref in refs:
                if ref not in names:
                    raise _Located(("pipeline", stage),
                                   f"pipeline.{stage} names unknown model '{ref}'")
        # The panel is every declared model when [pipeline] names none: check that one too.
        panel = len(p.panel or names)
        if p.quorum is not None and p.quorum > panel:
            raise _Located(("pipeline", "quorum"),
                           f"pipeline.quorum {p.quorum} is larger than the panel ({panel} "
                           f"model{'s' if panel != 1 else ''}): no agreement could be reached")
        self._check_search()
        for index, cidr in enumerate(self.allowed_networks):
            try:
                ipaddress.ip_network(cidr, strict=False)
            except ValueError:
                raise _Located(("allowed_networks", index),
                               f"'{cidr}' is not a network such as 10.0.0.0/8") from None
        return self

    def _check_search(self) -> None:
        searches = [s.name for s in self.search]
        for index, block in enumerate(self.search):
            if block.name == ARCHIVE or block.provider == ARCHIVE:
                key = "name" if block.name == ARCHIVE else "provider"
                raise _Located(("search", index, key),
                               "the archive needs no [[search]] block: it is always available "
                               "as 'archive'")
            if block.name in searches[:index]:
                raise _Located(("search", index, "name"),
                               f"search name declared twice: {block.name}")
            if block.provider == "searxng" and not block.base_url:
                raise _Located(("search", index),
                               f"search '{block.name}': a searxng block needs base_url (the "
                               "instance, e.g. http://localhost:8888)")
        for ref in self.pipeline.evidence:
            if ref != ARCHIVE and ref not in searches:
                known = ", ".join([*searches, ARCHIVE])
                raise _Located(("pipeline", "evidence"),
                               f"pipeline.evidence names unknown search '{ref}' (known: {known})")
        if len(set(self.pipeline.evidence)) != len(self.pipeline.evidence):
            raise _Located(("pipeline", "evidence"), "pipeline.evidence names a search twice")

    def search_named(self, name: str) -> SearchConfig:
        """The declared search backend called ``name`` (``archive`` is built in)."""
        if name == ARCHIVE:
            return SearchConfig(name=ARCHIVE, provider=ARCHIVE)
        for block in self.search:
            if block.name == name:
                return block
        raise ConfigError(f"no search named '{name}'")

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
        """The same settings with the offline provider doing every stage; evidence, when the
        stage is on, comes from the archive only (it needs no network)."""
        return self.model_copy(
            update={"model": [ModelConfig(**_OFFLINE)], "pipeline": PipelineConfig(
                max_claims=self.pipeline.max_claims,
                summary_sentences=self.pipeline.summary_sentences,
                evidence=[ARCHIVE] if self.pipeline.evidence else [])})


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
    for key, why in _ENV_ONLY.items():
        if key in data:
            raise ConfigError(f"{_where(file, text, (key,))}: {why}")
    data["secrets"] = _secrets(env, data["model"], data.get("search"))
    # From here on every text the process prints, logs or stores is masked of them.
    remember(*(value.get_secret_value() for value in data["secrets"].values()))
    if env.get("PARALLAX_DATABASE"):
        data["database"] = env["PARALLAX_DATABASE"]
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


def _secrets(env: Mapping[str, str], models: Any, searches: Any = None) -> dict[str, SecretStr]:
    names = {"DISCORD_TOKEN", "BRAVE_API_KEY", *_DEFAULT_KEY_ENV.values()}
    for blocks in (models, searches):  # every key a model or a search backend names
        if isinstance(blocks, list):
            names |= {b["api_key_env"] for b in blocks
                      if isinstance(b, dict) and b.get("api_key_env")}
    return {n: SecretStr(env[n]) for n in names if isinstance(n, str) and env.get(n)}


# Keys the process sets from the environment: in the file they would be ignored or leak.
_ENV_ONLY = {
    "secrets": "secrets belong in environment variables, not in the file",
    "source_file": "unknown key 'source_file'",
    "discord_api_base": "discord_api_base comes from the environment variable "
                        "DISCORD_API_BASE, not from the file",
    "discord_gateway_url": "discord_gateway_url comes from the environment variable "
                           "DISCORD_GATEWAY_URL, not from the file",
}
# The file's tables and the keys each one takes, to say where a misplaced key belongs.
_TABLES: dict[str, tuple[tuple[str, ...], type[BaseModel]]] = {
    "at the top level (above the first [table])": ((), Settings),
    "in [pipeline]": (("pipeline",), PipelineConfig),
    "in a [[model]] block": (("model",), ModelConfig),
    "in a [[search]] block": (("search",), SearchConfig),
    "in [evidence]": (("evidence",), EvidenceConfig),
}
# Pydantic's wording for a strictly typed value, in the file's terms.
_EXPECTED = {
    "bool_type": "must be true or false", "int_type": "must be a whole number",
    "float_type": "must be a number", "string_type": "must be a string",
    "list_type": "must be an array", "model_type": "must be a table",
    "dict_type": "must be a table",
}
_SCALARS = {"bool_type", "int_type", "float_type"}
_TOML_KINDS = {bool: "a boolean", int: "an integer", float: "a number", str: "a string",
               list: "an array", dict: "a table"}


def _describe(exc: ValidationError, file: Path, text: str) -> str:
    """One line: file, line, and the first problem pydantic found."""
    err = exc.errors()[0]
    loc: tuple[str | int, ...] = tuple(err["loc"])
    cause = (err.get("ctx") or {}).get("error")
    if isinstance(cause, _Located):
        loc = cause.loc
    dotted = ".".join(str(p) for p in loc)
    key = next((str(p) for p in reversed(loc) if isinstance(p, str)), "")
    if err["type"] == "extra_forbidden":
        reason = f"unknown key '{key}'{_hint(key, loc[:-1])}"
    elif isinstance(cause, _Located):
        reason = str(cause)
    elif err["type"] in _EXPECTED:
        reason = f"{dotted}: {_EXPECTED[err['type']]}, not {_shown(err['input'])}"
        if isinstance(err["input"], str) and err["type"] in _SCALARS:
            reason += " (write it without quotes)"
    else:
        reason = err["msg"].removeprefix("Value error, ")
        if dotted:
            reason = f"{dotted}: {reason}"
    return f"{_where(file, text, loc)}: {reason}"


def _shown(value: object) -> str:
    """A wrongly typed value as the file wrote it: numbers and booleans, never strings."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    # The kind of value only: a key pasted in the wrong place must not print.
    return _TOML_KINDS.get(type(value), type(value).__name__)


def _hint(key: str, table: tuple[str | int, ...]) -> str:
    """Where a key that this table does not take belongs, or the key it resembles."""
    here = tuple(p for p in table if isinstance(p, str))
    for where, (path, model) in _TABLES.items():
        if path != here and key in _file_keys(model):
            return f": it belongs {where}"
    for path, model in _TABLES.values():
        if path == here:
            close = difflib.get_close_matches(key, _file_keys(model), n=1)
            if close:
                return f" (did you mean '{close[0]}'?)"
    return ""


def _file_keys(model: type[BaseModel]) -> list[str]:
    return [name for name in model.model_fields if name not in _ENV_ONLY]


def _where(file: Path, text: str, loc: Sequence[str | int]) -> str:
    """``file, line N`` for the key at ``loc`` (the nearest enclosing one that is written)."""
    lines = _key_lines(text)
    path = tuple(str(p) for p in loc)
    for end in range(len(path), 0, -1):
        if path[:end] in lines:
            return f"{file}, line {lines[path[:end]]}"
    return str(file)


_BARE_OR_QUOTED = r'(?:[A-Za-z0-9_-]+|"[^"]*"|\'[^\']*\')'
_DOTTED = rf"{_BARE_OR_QUOTED}(?:\s*\.\s*{_BARE_OR_QUOTED})*"
_HEADER = re.compile(rf"^\s*(\[\[?)\s*({_DOTTED})\s*\]\]?\s*(?:#.*)?$")
_KEY = re.compile(rf"^\s*({_DOTTED})\s*=")


def _key_lines(text: str) -> dict[tuple[str, ...], int]:
    """The line of every table and key of a TOML text, by path: ``("model", "1", "name")``.

    Array-of-tables entries are numbered like pydantic's locations (``[[model]]`` is
    ``model.0``, then ``model.1``). Lines inside multi-line strings are skipped; a key inside
    an inline table is found at the line of the key that holds it.
    """
    lines: dict[tuple[str, ...], int] = {}
    table: tuple[str, ...] = ()
    counts: dict[tuple[str, ...], int] = {}
    open_quote: str | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        if open_quote is not None:
            if line.count(open_quote) % 2:
                open_quote = None
            continue
        header = _HEADER.match(line)
        if header:
            path = _key_path(header.group(2))
            if header.group(1) == "[[":
                counts[path] = counts.get(path, 0) + 1
                table = (*path, str(counts[path] - 1))
            else:
                table = path
            lines.setdefault(path, number)
            lines.setdefault(table, number)
            continue
        key = _KEY.match(line)
        if key:
            path = (*table, *_key_path(key.group(1)))
            for end in range(len(table) + 1, len(path) + 1):  # a.b = 1 writes table a too
                lines.setdefault(path[:end], number)
            rest = line[key.end():]
            open_quote = next((q for q in ('"""', "'''") if rest.count(q) % 2), None)
    return lines


def _key_path(dotted: str) -> tuple[str, ...]:
    parts = re.findall(_BARE_OR_QUOTED, dotted)
    return tuple(p[1:-1] if p[:1] in "\"'" else p for p in parts)

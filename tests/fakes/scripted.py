"""A provider whose raw replies a test queues and whose requests it records (no network).

Two ways in:

- ``ScriptedProvider("judge", [reply, ...])``: a provider made by hand, for a unit that takes
  providers directly (``verify([...])``, ``CallLog.ask``).
- the ``scripted`` fixture: a test declares scripts by model name and the app builds the models
  itself from ``[[model]] provider = "scripted"``, through the ``parallax.providers``
  entry-point group like any installed plug-in (no provider swapped into an ``App``). The
  entry point names :class:`ConfiguredScriptedProvider`, which finds its script by the model's
  name among the scripts of the test that is running; outside the fixture there are none, and
  the kind is not even installed.
"""

from __future__ import annotations

import asyncio
import json
from collections import deque
from collections.abc import Awaitable, Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from bot.config import ModelConfig, Settings, load_settings
from bot.errors import ConfigError
from bot.provider_kinds import forget
from bot.providers.base import CompletionRequest, Generation, Provider
from bot.records import Usage
from tests.fakes.plugins import install_distribution

KIND = "scripted"
Reply = str | BaseException
# Answers by looking at the request instead of reading the queue (e.g. waits on an event).
Responder = Callable[[CompletionRequest], Awaitable[str]]
USAGE = Usage(input_tokens=100, output_tokens=10)


@dataclass
class Script:
    """What one scripted model answers, in order, and what it was asked.

    Shared by every provider built for the model (two apps on one configuration read one
    queue), so the test sees all the model's requests in one list.
    """

    name: str
    replies: deque[Reply] = field(default_factory=deque)
    delay: float = 0.0
    timeout: float = 5.0
    respond: Responder | None = None
    requests: list[tuple[CompletionRequest, str | None]] = field(default_factory=list)

    async def answer(self, request: CompletionRequest, repair: str | None) -> Generation:
        """The next reply (an Exception in the queue is raised), after ``delay``."""
        self.requests.append((request, repair))
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.respond is not None:
            return Generation(await self.respond(request), USAGE)
        if not self.replies:
            raise AssertionError(f"scripted model '{self.name}' was asked more often than "
                                 f"scripted ({len(self.requests)} requests)")
        reply = self.replies.popleft()
        if isinstance(reply, BaseException):
            raise reply
        return Generation(reply, USAGE)


class ScriptedProvider(Provider):
    """Replies, in order, with the queued strings; an Exception in the queue is raised."""

    kind = KIND

    def __init__(self, name: str, replies: Sequence[Reply] | None = None,
                 delay: float = 0.0, timeout: float = 5.0) -> None:
        # "offline" in the hand-made config: outside the fixture no "scripted" kind exists.
        config = ModelConfig(name=name, provider="offline", model=f"{name}-1", timeout=timeout)
        self._attach(config, Script(name, deque(replies or ()), delay, timeout))

    def _attach(self, config: ModelConfig, script: Script) -> None:
        Provider.__init__(self, config)
        self.script = script
        # The script's own queue and log, under the names tests read.
        self.replies = script.replies
        self.requests = script.requests
        self.delay = script.delay

    async def _generate(self, request: CompletionRequest, repair: str | None) -> Generation:
        return await self.script.answer(request, repair)


class ConfiguredScriptedProvider(ScriptedProvider):
    """The ``scripted`` kind as the app builds it from the configuration (the entry point)."""

    def __init__(self, config: ModelConfig, api_key: str | None = None) -> None:
        if _active is None or config.name not in _active:
            raise ConfigError(f"model '{config.name}': no script declared for it "
                              "(declare one with the 'scripted' fixture)")
        self._attach(config, _active[config.name])


class Scripts:
    """The scripted models one test declares, by name (the ``scripted`` fixture's value)."""

    def __init__(self) -> None:
        self._by_name: dict[str, Script] = {}

    def add(self, name: str, replies: Iterable[Reply] = (), *, delay: float = 0.0,
            timeout: float = 5.0, respond: Responder | None = None) -> Script:
        """Declare model ``name``: its replies in order (or a ``respond`` function)."""
        if name in self._by_name:
            raise ValueError(f"scripted model '{name}' declared twice")
        script = self._by_name[name] = Script(name, deque(replies), delay, timeout, respond)
        return script

    def __contains__(self, name: object) -> bool:
        return name in self._by_name

    def __getitem__(self, name: str) -> Script:
        return self._by_name[name]

    def __iter__(self) -> Iterator[Script]:
        return iter(self._by_name.values())

    def models_toml(self) -> str:
        """The ``[[model]]`` blocks of every declared model, ``provider = "scripted"``."""
        return "".join(
            f'[[model]]\nname = "{s.name}"\nprovider = "{KIND}"\nmodel = "{s.name}-1"\n'
            f"timeout = {s.timeout!r}\n" for s in self)

    def settings(self, folder: Path, *, summarize: str, claims: str, panel: Sequence[str],
                 extra: str = "") -> Settings:
        """Write ``folder/parallax.toml`` with the declared models (``extra`` adds TOML, say
        an offline model) and the pipeline, and load it as the app would."""
        path = folder / "parallax.toml"
        path.write_text(
            f"database = {json.dumps(str(folder / 'parallax.db'))}\n"
            f"{self.models_toml()}{extra}"
            f"[pipeline]\nsummarize = {json.dumps(summarize)}\nclaims = {json.dumps(claims)}\n"
            f"panel = {json.dumps(list(panel))}\n", encoding="utf-8")
        return load_settings(environ={}, path=path)


_active: Scripts | None = None  # the running test's scripts, set by the fixture only


@pytest.fixture
def scripted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Scripts]:
    """Scripts for ``provider = "scripted"`` models, the kind installed as a plug-in
    distribution for this test only."""
    global _active
    install_distribution(tmp_path / "site-packages", monkeypatch, "parallax-scripted",
                         entry_points={KIND: f"{__name__}:ConfiguredScriptedProvider"})
    _active = Scripts()
    try:
        yield _active
    finally:
        _active = None
        forget()

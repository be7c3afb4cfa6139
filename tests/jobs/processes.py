"""Worker processes for the queue's tests: ``parallax worker`` started as a user would."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import TypeVar

from bot.app import build_app
from bot.config import Settings, load_settings
from bot.discord_app.client import ParallaxBot, point_at
from bot.jobs.queue import JobQueue
from tests.discord_app.bots import settings_for
from tests.fakes.discord_server import DiscordServer
from tests.fakes.llm_server import LLMServer

ROOT = Path(__file__).resolve().parents[2]
DEADLINE = 180.0  # seconds: a safety net against a hang, never a speed requirement
T = TypeVar("T")


def queue_settings(tmp_path: Path, discord: DiscordServer, llm: LLMServer | None,
                   database: str) -> tuple[Settings, dict[str, str]]:
    """Settings on Postgres and the loopback servers, and the environment of a worker
    process that reads the same configuration."""
    settings_for(tmp_path, discord, llm)  # writes tmp_path/parallax.toml
    env = {"PARALLAX_CONFIG": str(tmp_path / "parallax.toml"), "PARALLAX_DATABASE": database,
           "DISCORD_TOKEN": "fake-token", "ANTHROPIC_API_KEY": "k",
           "DISCORD_API_BASE": discord.api_base, "DISCORD_GATEWAY_URL": discord.gateway_url}
    return load_settings(path=tmp_path / "parallax.toml", environ=env), env


@contextmanager
def workers(env: dict[str, str], count: int = 1, *args: str, log_dir: Path | None = None
            ) -> Iterator[list[subprocess.Popen[bytes]]]:
    """``count`` ``parallax worker`` processes; SIGTERM (then SIGKILL) when the block ends."""
    procs = []
    try:
        for index in range(count):
            out = open(log_dir / f"worker{index}.log", "wb") if log_dir else subprocess.DEVNULL  # noqa: SIM115
            procs.append(subprocess.Popen(
                [sys.executable, "-m", "bot.cli", "worker", "--name", f"w{index}", *args],
                cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
                env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONPATH": str(ROOT),
                     **env}))
        yield procs
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@asynccontextmanager
async def gateway(settings: Settings, shard_ids: list[int] | None = None,
                  shard_count: int | None = None) -> AsyncIterator[ParallaxBot]:
    """A ``--gateway-only`` bot logged in to the loopback Discord (no scheduler)."""
    from bot.discord_app.client import ShardedParallaxBot

    point_at(settings)
    async with JobQueue(settings.database) as queue, build_app(settings) as app:
        if shard_ids is not None:
            bot: ParallaxBot = ShardedParallaxBot(app, queue=queue, shard_ids=shard_ids,
                                                  shard_count=shard_count,
                                                  guild_ready_timeout=0.05)
        else:
            bot = ParallaxBot(app, queue=queue, guild_ready_timeout=0.05)
        task = asyncio.create_task(bot.start("fake-token"))
        await asyncio.wait_for(bot.wait_until_ready(), DEADLINE)
        try:
            yield bot
        finally:
            await bot.close()
            await task


def is_progress(payload: object) -> bool:
    """Whether an edit of an answer is a progress line ("⏳ stage…"), not the answer."""
    return isinstance(payload, dict) and str(payload.get("content") or "").startswith("⏳")


def original_edits(server: DiscordServer, token: str, progress: bool = False) -> list[dict]:
    """The edits of an interaction's deferred answer through its webhook, in order: the
    answer's own, or (``progress``) the progress lines'."""
    return [r.json for r in server.requests if r.method == "PATCH"
            and r.path.endswith(f"/{token}/messages/@original")
            and is_progress(r.json) == progress]


async def until(predicate: Callable[[], T], what: str, timeout: float = DEADLINE) -> T:  # noqa: ASYNC109
    """Poll ``predicate`` until it is truthy (generous deadline: never a speed test)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not (result := predicate()):
        if loop.time() > deadline:
            raise TimeoutError(f"{what}: not within {timeout} s")
        await asyncio.sleep(0.05)
    return result

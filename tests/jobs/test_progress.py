"""A worker's check shows its stages in the deferred answer, as the gateway's own checks do:
throttled, never after the answer, never taken for the answer."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg

from bot.discord_rest import InteractionExpired
from bot.jobs import answer
from bot.jobs.answer import WebhookProgress
from bot.jobs.interactions import PendingInteraction
from tests.fakes.discord_server import DiscordServer
from tests.fakes.llm_server import LLMServer
from tests.jobs.processes import gateway, original_edits, queue_settings, until, workers

CORPUS = Path(__file__).resolve().parents[1] / "data" / "corpus"


class Clock:
    """Seconds that pass only when the test says so."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class RecordingREST:
    """The webhook edits a progress line makes, in order; ``expired`` refuses them."""

    def __init__(self, expired: bool = False) -> None:
        self.edits: list[dict] = []
        self.expired = expired
        self.release = asyncio.Event()
        self.release.set()

    async def edit_original(self, application_id: str, token: str, payload: dict) -> None:
        await self.release.wait()
        if self.expired:
            raise InteractionExpired("token spent")
        self.edits.append(payload)


def pending(**changes: object) -> PendingInteraction:
    base = dict(interaction_id="1", application_id="2", token="tok", channel_id="3",
                guild_id="4", locale="en", created_at=datetime.now(UTC))
    return PendingInteraction(**{**base, **changes})  # type: ignore[arg-type]


async def test_progress_waits_a_moment_then_edits_at_most_so_often_and_stops():
    clock, rest = Clock(), RecordingREST()
    progress = WebhookProgress(rest, pending(), clock)  # type: ignore[arg-type]
    progress("reading")  # a quick check shows no stages at all
    clock.now += answer.PROGRESS_AFTER
    progress("summarizing")
    await asyncio.sleep(0)
    clock.now += answer.PROGRESS_EVERY / 2
    progress("too soon")
    clock.now += answer.PROGRESS_EVERY
    progress("verifying")
    await asyncio.sleep(0)  # that edit done: one is in flight at a time
    rest.release.clear()  # this edit is still on its way when the answer is due
    clock.now += answer.PROGRESS_EVERY
    progress("saving")
    stopping = asyncio.ensure_future(progress.stop())
    await asyncio.sleep(0)
    assert not stopping.done()  # stop() waits for the edit in flight
    rest.release.set()
    await stopping
    clock.now += answer.PROGRESS_EVERY
    progress("after the answer")
    await asyncio.sleep(0)
    assert [e["content"] for e in rest.edits] == ["⏳ summarizing…", "⏳ verifying…",
                                                  "⏳ saving…"]


async def test_no_progress_for_an_answered_interaction_or_a_spent_token():
    clock = Clock()
    for spent in (pending(answered_at=datetime.now(UTC)), pending(token=None),
                  pending(created_at=datetime.now(UTC) - timedelta(minutes=20))):
        rest = RecordingREST()
        progress = WebhookProgress(rest, spent, clock)  # type: ignore[arg-type]
        clock.now += 60
        progress("summarizing")
        await progress.stop()
        assert rest.edits == []
    rest = RecordingREST(expired=True)
    progress = WebhookProgress(rest, pending(), clock)  # type: ignore[arg-type]
    clock.now += 60
    progress("summarizing")
    await asyncio.sleep(0)
    clock.now += 60
    progress("verifying")  # the token said no: the answer goes to the channel, no more edits
    await progress.stop()
    assert rest.edits == [] and progress.stopped


async def test_a_slow_check_on_a_worker_shows_its_stages_then_the_answer_once(
        tmp_path, postgres_url, discord_server: DiscordServer, llm_server: LLMServer):
    # Each model call takes 1.5 s: the check surely outlasts PROGRESS_AFTER.
    for model in ("writer-model", "a-model", "b-model"):
        llm_server.add(model, latency=1.5)
    settings, env = queue_settings(tmp_path, discord_server, llm_server, postgres_url)
    text = (CORPUS / "en-webb-telescope.txt").read_text(encoding="utf-8")
    async with gateway(settings):
        itx = await discord_server.slash("check", {"text": text, "languages": "en"})
        with workers(env, 1, log_dir=tmp_path):
            await until(lambda: (m := discord_server.original(itx)) and m["embeds"],
                        "the answer")
    edits = [r for r in discord_server.requests if r.method == "PATCH"
             and r.path.endswith(f"/{itx.token}/messages/@original")]
    progress = original_edits(discord_server, itx.token, progress=True)
    assert progress and all(e["content"].startswith("⏳ ") for e in progress)
    assert len(original_edits(discord_server, itx.token)) == 1
    assert edits[-1].json["embeds"] and not edits[-1].json["content"]  # the answer is last
    assert discord_server.followups(itx) == []
    with psycopg.connect(postgres_url) as conn:
        assert conn.execute("select answered_via, followups_sent from parallax_interactions"
                            ).fetchall() == [("webhook", 0)]

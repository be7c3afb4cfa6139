"""`parallax feeds …` and `parallax digest …` as an operator runs them (cron-friendly)."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from tests.fakes.discord_server import CHANNEL_ID, GUILD_ID, DiscordServer
from tests.fakes.http_server import HTTPServer

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "data" / "corpus"


async def parallax(tmp_path: Path, discord: DiscordServer, *args: str) -> tuple[int, str, str]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", *args, cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "DISCORD_TOKEN": "fake-token",
             "DISCORD_API_BASE": discord.api_base})
    out, err = await asyncio.wait_for(proc.communicate(), 60)
    return proc.returncode or 0, out.decode(), err.decode()


def feed(base: str, *paths: str) -> str:
    items = "".join(f"<item><title>Story {p}</title><link>{base}{p}</link><guid>{p}</guid></item>"
                    for p in paths)
    return f'<rss version="2.0"><channel><title>Tribune</title>{items}</channel></rss>'


async def test_feeds_and_digest_from_the_command_line(tmp_path, discord_server):
    (tmp_path / "parallax.toml").write_text(
        f'database = "{tmp_path / "p.db"}"\nallowed_networks = ["127.0.0.1/32"]\n')
    guild, channel = str(GUILD_ID), str(CHANNEL_ID)
    async with HTTPServer() as web:
        base = web.url("").rstrip("/")
        web.page("/feed.xml", feed(base, "/a.txt"), "application/rss+xml")
        web.page("/b.txt", (CORPUS / "de-rhein.txt").read_bytes(), "text/plain")
        code, out, err = await parallax(tmp_path, discord_server, "feeds", "add",
                                        f"{base}/feed.xml", "--guild", guild)
        assert code == 0, err
        assert "feed 1: Tribune (1 current entries remembered)" in out
        code, out, _ = await parallax(tmp_path, discord_server, "digest", "subscribe",
                                      "--guild", guild, "--channel", channel,
                                      "--schedule", "weekly@mon@08:30", "--tz", "Europe/Paris")
        assert code == 0 and "subscription 1" in out and "weekly@mon@08:30 Europe/Paris" in out
        code, _, err = await parallax(tmp_path, discord_server, "digest", "subscribe",
                                      "--guild", guild, "--channel", channel,
                                      "--schedule", "sometimes")
        assert code == 2 and err.count("\n") == 1 and "schedule" in err
        web.page("/feed.xml", feed(base, "/a.txt", "/b.txt", "/gone.txt"), "application/rss+xml")
        code, out, err = await parallax(tmp_path, discord_server, "feeds", "poll", "--once")
        assert code == 0, err
        assert "feed 1: 2 new, 1 ingested, 1 failed" in out
        code, out, _ = await parallax(tmp_path, discord_server, "feeds", "list")
        assert "active" in out and "last success" in out
        code, out, err = await parallax(tmp_path, discord_server, "digest", "run", "--now")
        assert code == 0, err
        assert "posted (1 articles)" in out
        posts = [m for m in discord_server.messages(CHANNEL_ID) if m["type"] == 0]
        assert len(posts) == 1 and "Rhein" in str(posts[0]["embeds"])
        # Why was an article posted or not? One line of outcome per entry, newest first.
        code, out, err = await parallax(tmp_path, discord_server, "feeds", "entries", "1")
        assert code == 0, err
        lines = out.splitlines()
        assert lines[0] == "feed 1: Tribune (3 newest entries)"
        assert "failed" in lines[1] and "Story /gone.txt" in lines[1]
        assert lines[2].strip().startswith("not posted:") and "404" in lines[2]
        assert "ingested" in lines[3] and "Story /b.txt" in lines[3]
        assert lines[4].strip().startswith("article ")
        assert "listed in the digest of subscription 1 (manual:" in lines[4]
        assert "seen" in lines[5] and "Story /a.txt" in lines[5]
        assert "remembered, never posted" in lines[6]
        code, _, err = await parallax(tmp_path, discord_server, "feeds", "entries", "9")
        assert code == 2 and err == "parallax: error: no feed 9\n"
        code, out, _ = await parallax(tmp_path, discord_server, "feeds", "remove", "1")
        assert code == 0 and "removed" in out
        code, _, err = await parallax(tmp_path, discord_server, "feeds", "remove", "1")
        assert code == 2 and "no feed 1" in err


async def _one_ingested_article(tmp_path: Path, discord: DiscordServer, web: HTTPServer) -> None:
    """A feed whose one new entry is ingested, so that every digest has something to post."""
    (tmp_path / "parallax.toml").write_text(
        f'database = "{tmp_path / "p.db"}"\nallowed_networks = ["127.0.0.1/32"]\n')
    base = web.url("").rstrip("/")
    web.page("/feed.xml", feed(base), "application/rss+xml")
    web.page("/b.txt", (CORPUS / "de-rhein.txt").read_bytes(), "text/plain")
    code, _, err = await parallax(tmp_path, discord, "feeds", "add", f"{base}/feed.xml",
                                  "--guild", str(GUILD_ID))
    assert code == 0, err
    web.page("/feed.xml", feed(base, "/b.txt"), "application/rss+xml")
    code, out, err = await parallax(tmp_path, discord, "feeds", "poll", "--once")
    assert code == 0 and "1 ingested" in out, out + err


async def subscribe(tmp_path: Path, discord: DiscordServer, channel: int,
                    *extra: str) -> tuple[int, str, str]:
    return await parallax(tmp_path, discord, "digest", "subscribe", "--guild", str(GUILD_ID),
                          "--channel", str(channel), "--schedule", "hourly", *extra)


async def test_subscribing_a_channel_again_updates_its_subscription(tmp_path, discord_server):
    (tmp_path / "parallax.toml").write_text(f'database = "{tmp_path / "p.db"}"\n')
    code, out, err = await subscribe(tmp_path, discord_server, CHANNEL_ID)
    assert code == 0 and out.startswith("subscription 1: "), err
    code, out, err = await subscribe(tmp_path, discord_server, CHANNEL_ID,
                                     "--schedule", "daily@07:00", "--languages", "fr,FR,de",
                                     "--tz", "Europe/Paris")
    assert code == 0, err
    assert out.startswith("subscription 1 updated (the channel was already subscribed): ")
    assert "daily@07:00 Europe/Paris in fr,de" in out
    code, out, _ = await parallax(tmp_path, discord_server, "digest", "list")
    assert code == 0 and len(out.splitlines()) == 1 and "daily@07:00" in out


async def test_digest_run_exits_1_when_every_post_failed_and_says_each_failure_once(
        tmp_path, discord_server):
    unknown = CHANNEL_ID + 77  # a channel the server does not have: 404 Unknown Channel
    async with HTTPServer() as web:
        await _one_ingested_article(tmp_path, discord_server, web)
        code, _, err = await subscribe(tmp_path, discord_server, unknown)
        assert code == 0, err
        code, out, err = await parallax(tmp_path, discord_server, "digest", "run", "--now")
        assert code == 1, out + err
        everything = out + err
        assert everything.count("Unknown Channel") == 1, everything
        assert "subscription 1" in out and "disabled" in out
        assert "no digest was posted" in err and err.count("\n") == 1


async def test_digest_run_exits_0_when_one_post_of_two_went_out(tmp_path, discord_server):
    async with HTTPServer() as web:
        await _one_ingested_article(tmp_path, discord_server, web)
        for channel in (CHANNEL_ID, CHANNEL_ID + 77):
            code, _, err = await subscribe(tmp_path, discord_server, channel)
            assert code == 0, err
        code, out, err = await parallax(tmp_path, discord_server, "digest", "run", "--now")
        assert code == 0, out + err
        assert (out + err).count("Unknown Channel") == 1, out + err
        assert "subscription 1 manual:" in out and "posted (1 articles)" in out


async def test_digest_run_retried_failure_is_printed_once(tmp_path, discord_server):
    async with HTTPServer() as web:
        await _one_ingested_article(tmp_path, discord_server, web)
        code, _, err = await subscribe(tmp_path, discord_server, CHANNEL_ID)
        assert code == 0, err
        discord_server.fail_next("POST", r"/channels/\d+/messages", 503, via=False,
                                 message="upstream down", times=20)
        code, out, err = await parallax(tmp_path, discord_server, "digest", "run", "--now")
        assert code == 1, out + err
        assert (out + err).count("upstream down") == 1, out + err
        assert "retry" in out


async def test_digest_run_with_nothing_due_exits_0(tmp_path, discord_server):
    (tmp_path / "parallax.toml").write_text(f'database = "{tmp_path / "p.db"}"\n')
    code, _, err = await subscribe(tmp_path, discord_server, CHANNEL_ID)
    assert code == 0, err
    code, out, err = await parallax(tmp_path, discord_server, "digest", "run")
    assert code == 0 and err == "" and out == "", out + err


async def test_discord_ids_are_validated(tmp_path, discord_server):
    (tmp_path / "parallax.toml").write_text(f'database = "{tmp_path / "p.db"}"\n')
    for args, bad in (
            (("feeds", "add", "http://example.org/feed.xml", "--guild", "abc"), "--guild: 'abc'"),
            (("feeds", "list", "--guild", "12345"), "--guild: '12345'"),
            (("sync-commands", "--guild", "abc"), "--guild: 'abc'"),
            (("digest", "list", "--guild", "1" * 21), "--guild: '111111111111111111111'"),
            (("digest", "subscribe", "--guild", str(GUILD_ID), "--channel", "x",
              "--schedule", "hourly"), "--channel: 'x'"),
            (("digest", "subscribe", "--guild", "-900000000000000100", "--channel",
              str(CHANNEL_ID), "--schedule", "hourly"), "--guild: '-900000000000000100'")):
        code, out, err = await parallax(tmp_path, discord_server, *args)
        assert code == 2, (args, out, err)
        assert err.startswith(f"parallax: error: {bad} is not a Discord id") and \
            err.count("\n") == 1, err
    assert not (tmp_path / "p.db").exists()  # refused before anything was opened

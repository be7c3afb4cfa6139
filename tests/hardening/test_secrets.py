"""Secrets never leak: API keys and the Discord token stay out of every output Parallax makes.

Recognisable fake secrets go through a successful check and failing ones (keys refused, servers
answering 400/401/500 with the key echoed back in their error message, a URL refused), through
the command line (a subprocess logging everything at DEBUG, the SDKs' own debug logs on) and
through the Discord bot against the loopback Discord. Then every output is searched: stdout,
stderr, log records, every payload the fake Discord received, every file the app wrote (the
SQLite database, its -wal and -shm) and the JSON report.

The test cannot pass by never using the secrets: each loopback model server accepts exactly
one key (any other gets a 401), so a check whose panel answers "ok" proves the right key went
to the right server, in the header its protocol uses; the fake Discord accepts REST calls only
with "Bot <token>" and records the token the gateway IDENTIFY carried.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sqlite3
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import discord
import pytest

from bot.app import build_app
from bot.config import Settings, load_settings
from bot.discord_app.client import ParallaxBot, point_at
from bot.records import GuildSettings
from bot.store.guilds import save_guild_settings
from tests.discord_app.bots import running
from tests.fakes.discord_server import GUILD_ID, DiscordServer
from tests.fakes.llm_server import Fault, LLMServer

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "data" / "corpus"
MARK = "SECRET-canary"  # in every fake secret: a partial leak is found too
SECRETS = {
    "ANTHROPIC_API_KEY": "sk-ant-SECRET-canary-1111-anthropic",
    "OPENAI_API_KEY": "sk-proj-SECRET-canary-2222-openai",
    "PARALLAX_JUDGE_KEY": "sk-judge-SECRET-canary-3333-custom",
    "DISCORD_TOKEN": "MTIz.SECRET-canary-4444.discord-bot-token",
}
WRONG = {name: value.replace("canary", "canary-WRONG") for name, value in SECRETS.items()}
MOD_CHANNEL = 900_000_000_000_000_002
# Python with every log record at DEBUG on stderr, then the real `parallax` command.
CLI = ("import logging, sys; logging.basicConfig(level=logging.DEBUG, stream=sys.stderr, "
       "format='%(levelname)s %(name)s %(message)s'); from bot.cli import cli; "
       "cli(args=sys.argv[1:], prog_name='parallax')")


def leaks(text: str | bytes) -> list[str]:
    """The secrets (or fragments carrying the marker) found in ``text``, in any case."""
    data = (text.encode("utf-8", "surrogateescape") if isinstance(text, str) else text).lower()
    found = [name for name, value in SECRETS.items() if value.lower().encode() in data]
    found += [f"wrong {name}" for name, value in WRONG.items() if value.lower().encode() in data]
    return found or ([MARK] if MARK.lower().encode() in data else [])


def test_the_search_finds_what_it_looks_for():
    assert leaks(f"x {SECRETS['OPENAI_API_KEY']} y") == ["OPENAI_API_KEY"]
    assert leaks(f"x {SECRETS['DISCORD_TOKEN'].upper()} y") == ["DISCORD_TOKEN"]
    assert leaks(b"...SECRET-canary-22...") == [MARK]
    assert leaks(b"...SECRET-CANARY-22...") == [MARK]
    assert leaks("clean") == []


def files_under(folder: Path) -> dict[str, bytes]:
    """Every file the app wrote below ``folder`` (the database, -wal, -shm included)."""
    return {str(p): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def record_text(record: logging.LogRecord) -> str:
    """Everything a handler could print for a record: message, arguments, traceback."""
    formatted = logging.Formatter("%(name)s %(message)s").format(record)
    return "\n".join([formatted, repr(record.args), repr(record.__dict__.get("exc_info"))])


def assert_clean(outputs: dict[str, str | bytes]) -> None:
    found = {where: hit for where, text in outputs.items() if (hit := leaks(text))}
    assert found == {}, f"secrets found in: {found}"


@pytest.fixture
async def servers() -> AsyncIterator[dict[str, LLMServer]]:
    """One model server per key, each refusing any other key."""
    async with LLMServer(api_key=SECRETS["ANTHROPIC_API_KEY"]) as anthropic, \
            LLMServer(api_key=SECRETS["OPENAI_API_KEY"]) as openai, \
            LLMServer(api_key=SECRETS["PARALLAX_JUDGE_KEY"]) as judge:
        anthropic.add("writer-model")
        anthropic.add("a-model", verdicts="supported")
        openai.add("b-model", verdicts="refuted")
        judge.add("c-model", verdicts="supported")
        yield {"anthropic": anthropic, "openai": openai, "judge": judge}


def write_config(tmp_path: Path, s: dict[str, LLMServer]) -> Path:
    """writer and a (Anthropic's key), b (OpenAI's key), c (a custom key variable)."""
    models = [("writer", "anthropic", s["anthropic"].url, None),
              ("a", "anthropic", s["anthropic"].url, None),
              ("b", "openai", s["openai"].openai_url, None),
              ("c", "anthropic", s["judge"].url, "PARALLAX_JUDGE_KEY")]
    lines = [f'database = "{tmp_path / "data" / "p.db"}"', 'languages = ["en", "fr"]']
    for name, provider, url, key_env in models:
        lines += ["[[model]]", f'name = "{name}"', f'provider = "{provider}"',
                  f'model = "{name}-model"', f'base_url = "{url}"', "timeout = 10"]
        lines += [f'api_key_env = "{key_env}"'] if key_env else []
    lines += ["[pipeline]", 'summarize = "writer"', 'claims = "writer"', 'panel = ["a", "b", "c"]']
    path = tmp_path / "parallax.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def straddling(key: str) -> str:
    """An error message whose 160-character cut falls 25 characters into ``key`` (past the
    marker): cut before masking, the key's prefix would be left."""
    lead = "invalid request from key "
    return "." * (160 - 25 - len(lead)) + lead + key


def fail_quoting_the_keys(s: dict[str, LLMServer]) -> None:
    """Make every model refuse the next calls with the caller's key in the error message:
    straddling the cut of a long message, in upper case, in a status whose text is not shown."""
    s["anthropic"].fail("writer-model", Fault.status_code(
        400, straddling(SECRETS["ANTHROPIC_API_KEY"]), task="summaries"))
    s["anthropic"].fail("a-model", *[Fault.status_code(
        500, f"boom for {SECRETS['ANTHROPIC_API_KEY']}")] * 3)
    s["openai"].fail("b-model", Fault.status_code(
        401, f"Incorrect API key provided: {SECRETS['OPENAI_API_KEY']}"))
    s["judge"].fail("c-model", Fault.status_code(
        400, f"KEY {SECRETS['PARALLAX_JUDGE_KEY'].upper()} MAY NOT USE THIS MODEL"))


def assert_credentials_sent(s: dict[str, LLMServer]) -> None:
    """Each server was sent a credential on every request (the fake records how it came,
    ``x-api-key`` or ``bearer`` by SDK version, never the value); that it was the right one
    shows in the answers, since each server refuses any other key."""
    for name in ("anthropic", "openai", "judge"):
        calls = s[name].calls()
        assert calls and {c.credential for c in calls} <= {"bearer", "x-api-key"}, name
        for call in calls:  # the fake keeps no secret header, so it holds nothing to leak
            assert not {"authorization", "x-api-key"} & set(call.headers)
            assert leaks(json.dumps(call.headers) + json.dumps(call.body)) == []


async def parallax(*args: str, env: dict[str, str], until: asyncio.Event | None = None,
                   limit: float = 300) -> tuple[int, str, str]:  # a hang guard, not a speed limit
    """Run the command; with ``until``, send it SIGTERM once the event is set."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-c", CLI, *args, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    try:
        async with asyncio.timeout(limit):
            if until is not None:
                await until.wait()
                proc.terminate()
            out, err = await proc.communicate()
    finally:
        if proc.returncode is None:  # never leave a process behind
            proc.kill()
            await proc.wait()
    assert proc.returncode is not None
    return proc.returncode, out.decode(), err.decode()


async def test_no_secret_in_any_cli_output_the_report_or_the_database(
        tmp_path, servers, token_checking_discord):
    s, discord_fake = servers, token_checking_discord
    config = write_config(tmp_path, s)
    base = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "HOME": str(tmp_path),
            "PARALLAX_CONFIG": str(config), "ANTHROPIC_LOG": "debug", "OPENAI_LOG": "debug",
            "NO_COLOR": "1", "COLUMNS": "200"}
    env, wrong_env = base | SECRETS, base | WRONG
    outputs: dict[str, str | bytes] = {}
    # A reader kept open: the writers' -wal survives their exit, so it is searched too.
    (tmp_path / "data").mkdir()
    keep = sqlite3.connect(tmp_path / "data" / "p.db")
    keep.execute("pragma journal_mode=wal")
    try:
        code, out, err = await parallax("check", str(CORPUS / "de-rhein.txt"), "--json", env=env)
        assert code == 0, err
        report = json.loads(out)
        assert report["claims"] and report["summaries"]
        assert {m["name"]: m["status"] for m in report["panel"]} == {
            "a": "ok", "b": "ok", "c": "ok"}  # each server took its own key, and only it
        assert "DEBUG" in err and "httpx" in err  # the logs really were on
        outputs |= {"check --json stdout": out, "check --json stderr": err}
        assert_credentials_sent(s)

        runs = {"terminal": ["check", str(CORPUS / "de-rhein.txt")],
                "details": ["check", str(CORPUS / "de-rhein.txt"), "--details"],
                "models": ["models"], "usage": ["usage"], "db stats": ["db", "stats"]}
        done = await asyncio.gather(*(parallax(*argv, env=env) for argv in runs.values()))
        for run, (code, out, err) in zip(runs, done, strict=True):
            assert code == 0, (run, err)
            outputs |= {f"{run} stdout": out, f"{run} stderr": err}
        assert "ok" in outputs["models stdout"]

        # Failing: the servers refuse with the key itself in their error messages.
        fail_quoting_the_keys(s)
        code, out, err = await parallax("check", str(CORPUS / "es-museo-prado.txt"), "--json",
                                        env=env)
        assert code == 3, err  # an incomplete report: every model failed
        failed = json.loads(out)
        assert failed["status"] == "incomplete"
        assert all(m["status"].startswith("error") for m in failed["panel"]), failed["panel"]
        stages = {f["stage"]: f["reason"] for f in failed["failed_stages"]}
        assert "summary" in stages and "***" in stages["summary"]  # the key quoted, masked
        assert "***" in json.dumps(failed)  # the echoed keys were there, masked
        outputs |= {"failing check stdout": out, "failing check stderr": err}

        # Failing: every key refused (401), in the terminal and in the models listing.
        runs = {"wrong keys": ["check", str(CORPUS / "fr-ai-safety.txt"), "--json"],
                "wrong keys terminal": ["check", str(CORPUS / "ja-fujisan.txt")],
                "wrong keys models": ["models"]}
        done = await asyncio.gather(*(parallax(*argv, env=wrong_env) for argv in runs.values()))
        for run, (_, out, err) in zip(runs, done, strict=True):
            outputs |= {f"{run} stdout": out, f"{run} stderr": err}
        assert "key refused (401)" in outputs["wrong keys stdout"]
        assert "401" in outputs["wrong keys models stdout"]

        # Failing: a URL refused before any request, and a bad command line.
        code, out, err = await parallax("check", "http://10.0.0.7/article", env=env)
        assert code != 0 and "parallax: error:" in err
        outputs |= {"refused url stdout": out, "refused url stderr": err}
        code, out, err = await parallax("check", str(tmp_path / "missing.txt"), env=env)
        assert code != 0
        outputs |= {"missing file stdout": out, "missing file stderr": err}

        # `parallax run`: connected with the token until SIGTERM, then refused with a wrong one.
        env_discord = {"DISCORD_API_BASE": discord_fake.api_base,
                       "DISCORD_GATEWAY_URL": discord_fake.gateway_url}
        connected = asyncio.Event()
        watcher = asyncio.create_task(discord_fake.wait_for(lambda: discord_fake.identify, 60))
        watcher.add_done_callback(lambda _: connected.set())
        code, out, err = await parallax("run", env=env | env_discord, until=connected)
        assert watcher.result()["token"] == SECRETS["DISCORD_TOKEN"]  # the token was used
        assert code == 0, err
        outputs |= {"run stdout": out, "run stderr": err}
        code, out, err = await parallax("run", env=wrong_env | env_discord)
        assert code != 0 and "parallax: error:" in err
        outputs |= {"refused run stdout": out, "refused run stderr": err}
        outputs |= discord_outputs(discord_fake)

        with sqlite3.connect(tmp_path / "data" / "p.db") as conn:
            errors = [r[0] for r in conn.execute(
                "select error from model_calls where error is not null")]
        assert errors and all(MARK not in e for e in errors)
        assert any("***" in e for e in errors)  # stored, masked
        written = files_under(tmp_path)
        assert any(name.endswith("-wal") for name in written)
        outputs |= written
    finally:
        keep.close()
    outputs |= files_under(tmp_path)  # after the last close: the checkpointed database
    assert_clean(outputs)


# -- the Discord bot -------------------------------------------------------------------------

@asynccontextmanager
async def real_bot(settings: Settings) -> AsyncIterator[ParallaxBot]:
    """The bot started as `parallax run` starts it: with the token from the settings."""
    token = settings.secret("DISCORD_TOKEN")
    assert token == SECRETS["DISCORD_TOKEN"]
    async with running(settings, token=token) as bot:
        yield bot


@pytest.fixture
async def token_checking_discord() -> AsyncIterator[DiscordServer]:
    """The loopback Discord refusing every REST call without "Bot <token>"."""
    base, gateway = discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    try:
        async with DiscordServer(token=SECRETS["DISCORD_TOKEN"]) as server:
            yield server
    finally:
        discord.http.Route.BASE = base
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = gateway


def discord_outputs(server: DiscordServer) -> dict[str, str | bytes]:
    """Everything the bot sent the fake Discord, and the messages it holds."""
    out: dict[str, str | bytes] = {
        "payloads": json.dumps(server.payloads, default=str),
        "requests": json.dumps([(r.method, r.path, r.query, r.json) for r in server.requests],
                               default=str),
        "commands": json.dumps([server.global_commands, server.guild_commands], default=str),
        "interaction answers": json.dumps(
            [[c.data for c in i.callbacks] for i in server.interactions.values()], default=str),
    }
    for n, upload in enumerate(u for r in server.requests for u in r.files):
        out[f"upload {n}"] = upload.data
    channels = [c for g in server.guilds.values() for c in g["channels"]]
    out["messages"] = json.dumps([server.messages(c) for c in channels], default=str)
    return out


def answered(server: DiscordServer, itx) -> object:
    """The interaction's answer once it is there: a progress edit ("⏳ stage…", made when a
    check takes more than a moment, as on a loaded machine) is not one."""
    message = server.original(itx)
    followups = server.followups(itx)
    progress = message is not None and (message["content"] or "").startswith("⏳")
    if message and (message["embeds"] or message["content"]) and not progress \
            and not message["flags"] & 128:
        return message
    return followups or None


async def test_no_secret_in_the_bots_logs_payloads_or_database(
        tmp_path, servers, token_checking_discord, caplog):
    caplog.set_level(logging.DEBUG)
    s, fake = servers, token_checking_discord
    fake.add_channel(GUILD_ID, MOD_CHANNEL, "moderators")
    config = write_config(tmp_path, s)
    settings = load_settings(path=config, environ=SECRETS | {
        "DISCORD_API_BASE": fake.api_base, "DISCORD_GATEWAY_URL": fake.gateway_url})
    assert leaks(repr(settings) + str(settings) + settings.model_dump_json()) == []
    outputs: dict[str, str | bytes] = {}
    async with real_bot(settings) as bot:
        await bot.app.store.run(save_guild_settings, GuildSettings(
            str(GUILD_ID), mod_channel_id=str(MOD_CHANNEL)))
        ok = await fake.slash("check", {"text": (CORPUS / "en-webb-telescope.txt").read_text(),
                                        "languages": "en,fr"})
        report = await fake.wait_for(lambda: answered(fake, ok), timeout=30)
        assert "Webb" in str(report)
        details = next(c["custom_id"] for row in fake.original(ok)["components"]
                       for c in row["components"] if "details" in c["custom_id"])
        more = await fake.click(fake.original(ok), details)
        await fake.wait_for(lambda: fake.callbacks(more), timeout=10)
        await fake.wait_for(lambda: fake.messages(MOD_CHANNEL), timeout=10)  # cards posted
        fail_quoting_the_keys(s)
        failing = await fake.slash("check", {"text": (CORPUS / "de-rhein.txt").read_text()})
        broken = await fake.wait_for(lambda: answered(fake, failing), timeout=30)
        assert "💥" in str(broken)
        status = await fake.slash("status")
        shown = await fake.wait_for(lambda: answered(fake, status), timeout=10)
        assert "a (a-model)" in str(shown)
        outputs |= files_under(tmp_path)  # the database and its -wal while the bot runs
    assert fake.identify is not None and fake.identify["token"] == SECRETS["DISCORD_TOKEN"]
    assert fake.requests and all(r.status != 401 for r in fake.requests)  # "Bot <token>" sent
    assert fake.unhandled == []
    assert_credentials_sent(s)
    probes = [c for c in s["anthropic"].calls() if c.method == "GET"]
    assert probes  # /status asked the servers, with the key
    outputs |= discord_outputs(fake) | files_under(tmp_path)
    outputs |= {f"log {i} {r.name}": record_text(r) for i, r in enumerate(caplog.records)}
    assert any(r.name.startswith("discord") for r in caplog.records)
    assert any(r.name.startswith(("httpx", "anthropic", "openai")) for r in caplog.records)
    assert_clean(outputs)


async def test_a_refused_discord_token_is_not_repeated(tmp_path, token_checking_discord, caplog):
    caplog.set_level(logging.DEBUG)
    fake = token_checking_discord
    settings = load_settings(environ={**WRONG, "DISCORD_API_BASE": fake.api_base,
                                      "DISCORD_GATEWAY_URL": fake.gateway_url})
    settings = settings.model_copy(update={"database": tmp_path / "p.db"})
    point_at(settings)
    async with build_app(settings) as app:
        bot = ParallaxBot(app)
        with pytest.raises(discord.LoginFailure) as failure:
            await bot.start(settings.secret("DISCORD_TOKEN") or "")
        await bot.close()
    assert [r.status for r in fake.requests] == [401]
    outputs: dict[str, str | bytes] = {"error": str(failure.value) + repr(failure.value)}
    outputs |= {f"log {i}": record_text(r) for i, r in enumerate(caplog.records)}
    assert_clean(outputs | files_under(tmp_path) | discord_outputs(fake))


# -- the three leaks found since, each through the path a user sees ---------------------------

async def test_a_discord_error_quoting_the_token_is_masked_by_the_cli(
        tmp_path, token_checking_discord):
    """discord.py's HTTPException carries Discord's message whole; `sync-commands` fails with
    it through the command line's internal-error path."""
    fake = token_checking_discord
    token = SECRETS["DISCORD_TOKEN"]
    fake.fail_next("PUT", r"/commands$", 400, message=f"token Bot {token.upper()} rejected")
    config = tmp_path / "parallax.toml"
    config.write_text(f'database = "{tmp_path / "p.db"}"\n', encoding="utf-8")
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "HOME": str(tmp_path),
           "PARALLAX_CONFIG": str(config), "DISCORD_TOKEN": token, "NO_COLOR": "1",
           "DISCORD_API_BASE": fake.api_base, "DISCORD_GATEWAY_URL": fake.gateway_url}
    code, out, err = await parallax("sync-commands", "--guild", str(GUILD_ID), env=env)
    assert code == 1, err
    assert "parallax: error: internal error: HTTPException" in err and "rejected" in err
    assert any(r.method == "PUT" and r.status == 400 for r in fake.requests)  # it got there
    assert_clean({"stdout": out, "stderr": err} | files_under(tmp_path))


def test_a_key_straddling_the_cut_leaves_no_prefix():
    from bot.providers.http_faults import reason
    from tests.providers.test_schema import ERRORS, _Status

    key = "tok3n.SECRET-canary-5555-plain"  # no recognisable shape: only its value masks it
    body = {"error": {"message": straddling(key)}}
    text = reason(_Status(400, body=body), ERRORS, key)
    assert leaks(text) == [] and text.endswith("key ***")


def test_every_secret_held_is_masked_in_any_case_and_shape():
    from bot.redact import MASK, mask, remember

    held = "tok3n.SECRET-canary-6666-held"
    remember(held, "short")  # a value shorter than 8 characters is not a secret worth a word
    for shown in (held, held.upper(), held.lower(), "tok3n.SECRET-CANARY-6666-HELD"):
        assert mask(f"the key {shown} was refused") == f"the key {MASK} was refused"
    assert mask("a short answer") == "a short answer"
    assert MARK not in mask("https://x.test/a?key=SECRET-canary-7777&lang=en")
    assert mask("GET /v1?lang=en&api_key=SECRET-canary-7777") == f"GET /v1?lang=en&api_key={MASK}"
    assert mask("Authorization: Bearer SECRET-canary-8888") == f"Authorization: {MASK}"
    assert mask("{'x-api-key': 'SECRET-canary-8888'}") == f"{{'x-api-key': '{MASK}'}}"
    assert mask("sent BOT MTIZ.SECRET-CANARY-9999.XYZ") == f"sent BOT {MASK}"
    assert mask("api_key='SECRET-canary-9999'") == f"api_key='{MASK}'"
    # Ordinary words and ids stay: a bot, a bearer, a snowflake, a configuration key's name.
    for plain in ("the bot 900000000000000002 posted", "bearer instruments",
                  "model.0.api_key_env: String should match pattern", "secrets belong here"):
        assert mask(plain) == plain


def test_log_records_are_masked_whichever_logger_and_handler(caplog):
    from bot.redact import remember

    remember(SECRETS["DISCORD_TOKEN"])
    caplog.set_level(logging.DEBUG)
    token = SECRETS["DISCORD_TOKEN"]
    logging.getLogger("some.library").debug("headers %s", {"Authorization": f"Bot {token}"})
    try:
        raise discord.HTTPException(_Response(400), {"message": f"token Bot {token.upper()}"})
    except discord.HTTPException:
        logging.getLogger("discord.client").exception("Attempting a reconnect")
    assert len(caplog.records) == 2 and "Traceback" in caplog.text  # the traceback is kept
    assert "HTTPException" in caplog.text and "***" in caplog.text
    assert_clean({"text": caplog.text} | {
        f"log {i}": record_text(r) for i, r in enumerate(caplog.records)})


async def test_discords_rest_errors_mask_an_echoed_token(token_checking_discord):
    from bot.discord_rest import DiscordError, DiscordREST

    fake, token = token_checking_discord, SECRETS["DISCORD_TOKEN"]
    fake.fail_next("POST", r"/messages$", 400, message=f"bad token Bot {token.upper()}")
    async with DiscordREST(token, api_base=fake.api_base) as rest:
        with pytest.raises(DiscordError) as refused:
            await rest.post_message(MOD_CHANNEL, content="hello")
    assert "400 bad token" in refused.value.reason
    assert_clean({"reason": refused.value.reason, "repr": repr(refused.value)})


class _Response:
    """The little of aiohttp's response that discord.HTTPException reads."""

    def __init__(self, status: int) -> None:
        self.status, self.reason = status, "Bad Request"

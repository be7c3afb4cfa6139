"""A loopback Discord (gateway WebSocket + REST on 127.0.0.1) for the real discord.py client.

The bot points discord.py at it through ``server.api_base`` (``discord.http.Route.BASE``) and
``server.gateway_url`` (``discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY``). The fake keeps a
small state model (guilds, roles, channels, members, messages), sends interactions
(:meth:`DiscordServer.slash`, :meth:`~DiscordServer.click`, :meth:`~DiscordServer.submit_modal`,
:meth:`~DiscordServer.autocomplete`), validates message payloads against Discord's limits (400 /
50035 in the nested error form), scripts faults (:meth:`~DiscordServer.fail_next`) and records
every request, so tests assert on what the bot really sent.

Rate limits: every REST answer carries Discord's ``X-RateLimit-*`` headers and ``Via``, and what
Discord would refuse gets its 429 (per-route buckets per channel, guild or webhook, the global
limit per token, interaction endpoints exempt from it): see tests/fakes/discord_ratelimits.py,
which cites Discord's documentation. ``DiscordServer(rate_limits=...)`` sets them (default
:data:`~tests.fakes.discord_ratelimits.FAST`: Discord's counts, windows a twentieth as long);
:meth:`DiscordServer.rate_limited` lists the requests refused.

Time to acknowledgement: :attr:`Interaction.sent_at` is read (``time.monotonic``) just before the
INTERACTION_CREATE frame is written; each :class:`Callback` records ``at`` when its request
reaches the handler, and ``delay = at - sent_at``; :attr:`Interaction.ack_delay` is the first one.
That figure is bench/discord_bot.py's to judge against Discord's 3 s: tests assert what the bot
does and in which order, so the fake's deadline (:attr:`DiscordServer.ack_deadline`) and every
:meth:`~DiscordServer.wait_for` are safety nets, long enough for a machine busy with other work
(set ``ack_deadline = 3.0`` to play Discord exactly).

    async with DiscordServer() as server:      # or the ``discord_server`` fixture
        server.point_discord_py()              # normally the bot does this from its settings
        ...start the bot, await bot.wait_until_ready()...
        itx = await server.slash("check", {"text": "..."}, guild_command=True)
        report = await server.wait_for(lambda: (m := server.original(itx)) and m["embeds"] and m)
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import datetime as dt
import itertools
import json
import re
import secrets
import time
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import pytest
from aiohttp import BodyPartReader, WSMsgType, web

from tests.fakes.discord_ratelimits import FAST, RateLimiter, RateLimits

T = TypeVar("T")
Json = dict[str, Any]

APP_ID = 900_000_000_000_000_001  # the application and its bot user share one id
SAFETY_NET = 120.0  # seconds: longer than any wait a test means, however busy the machine
GUILD_ID = 900_000_000_000_000_100
CHANNEL_ID = 900_000_000_000_000_200
OWNER_ID = 900_000_000_000_000_300
USER_ID = 900_000_000_000_000_301
EPHEMERAL, LOADING, COMPONENTS_V2 = 1 << 6, 1 << 7, 1 << 15
ADMINISTRATOR = 1 << 3
ALL_PERMISSIONS = (1 << 51) - 1
# view channel, send, embed links, attach files, read history, use application commands
EVERYONE_PERMISSIONS = (1 << 10) | (1 << 11) | (1 << 14) | (1 << 15) | (1 << 16) | (1 << 31)
BOT_PERMISSIONS = EVERYONE_PERMISSIONS | (1 << 13)  # + manage messages
NONCE_WINDOW = 300.0  # "the past few minutes" of enforce_nonce
_DISCORD_EPOCH = 1_420_070_400_000
_SELECTS = {3, 5, 6, 7, 8}


class DiscordError(Exception):
    """An error answer in Discord's shape: HTTP status, JSON code, message, nested errors."""

    def __init__(self, status: int, code: int, message: str, errors: Json | None = None) -> None:
        super().__init__(f"{status} {code} {message}")
        self.status, self.code, self.message, self.errors = status, code, message, errors

    def body(self) -> Json:
        body: Json = {"code": self.code, "message": self.message}
        return body | ({"errors": self.errors} if self.errors else {})


def json_response(data: Any, status: int = 200, headers: dict[str, str] | None = None
                  ) -> web.Response:
    # discord.py decodes JSON only under exactly this Content-Type; aiohttp adds "; charset=utf-8".
    return web.Response(status=status, body=json.dumps(data).encode(),
                        headers={"Content-Type": "application/json", **(headers or {})})


def _error(errors: Json, path: Iterable[str | int], code: str, message: str) -> None:
    node = errors
    for key in path:
        node = node.setdefault(str(key), {})
    node.setdefault("_errors", []).append({"code": code, "message": message})


def validate_message(payload: Json) -> Json:
    """Discord's limits on a message payload; returns the nested ``errors`` (empty when valid)."""
    errors: Json = {}

    def cap(path: tuple[str | int, ...], value: Any, limit: int) -> int:
        if value is not None and len(value) > limit:
            _error(errors, path, "BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")
        return len(value or "")

    cap(("content",), payload.get("content"), 2000)
    embeds = payload.get("embeds") or []
    cap(("embeds",), embeds, 10)
    total = 0
    for i, embed in enumerate(embeds):
        total += cap(("embeds", i, "title"), embed.get("title"), 256)
        total += cap(("embeds", i, "description"), embed.get("description"), 4096)
        total += cap(("embeds", i, "footer", "text"), (embed.get("footer") or {}).get("text"), 2048)
        total += cap(("embeds", i, "author", "name"), (embed.get("author") or {}).get("name"), 256)
        cap(("embeds", i, "fields"), embed.get("fields"), 25)
        for j, fld in enumerate(embed.get("fields") or []):
            total += cap(("embeds", i, "fields", j, "name"), fld.get("name"), 256)
            total += cap(("embeds", i, "fields", j, "value"), fld.get("value"), 1024)
    if total > 6000:
        _error(errors, ("embeds",), "MAX_EMBED_SIZE_EXCEEDED",
               "Embed size exceeds maximum size of 6000")
    rows = payload.get("components") or []
    if (payload.get("flags") or 0) & COMPONENTS_V2:
            cap(("components",), [None] * sum(1 for _ in _walk(rows, ())), 40)
    else:
        cap(("components",), rows, 5)
        for i, row in enumerate(rows):
            items = row.get("components") or []
            limit = 1 if any(c.get("type") in _SELECTS for c in items) else 5
            cap(("components", i, "components"), items, limit)
    for path, comp in _walk(rows, ("components",)):
        cap((*path, "custom_id"), comp.get("custom_id"), 100)
        if comp.get("type") == 2:
            cap((*path, "label"), comp.get("label"), 80)
    return errors


def _walk(components: list[Json], path: tuple[str | int, ...]) -> Iterable[tuple[tuple, Json]]:
    for i, comp in enumerate(components):
        yield (*path, i), comp
        yield from _walk(comp.get("components") or [], (*path, i, "components"))
        for key in ("component", "accessory"):  # Components V2 labels and sections
            if comp.get(key):
                yield from _walk([comp[key]], (*path, i, key))


@dataclass
class Callback:
    """One accepted ``POST /interactions/{id}/{token}/callback``."""

    type: int  # 4 message, 5 deferred message, 6 deferred update, 7 update, 8 choices, 9 modal
    data: Json
    at: float  # time.monotonic() when the request reached the fake
    delay: float  # seconds since the INTERACTION_CREATE was sent


@dataclass
class Interaction:
    """An interaction the fake sent, with everything the bot answered to it."""

    id: int
    token: str
    type: int
    payload: Json
    channel_id: int
    sent_at: float = 0.0
    callbacks: list[Callback] = field(default_factory=list)
    original_id: int | None = None
    followup_ids: list[int] = field(default_factory=list)
    expired: bool = False

    @property
    def ack_delay(self) -> float | None:
        """Seconds from sending INTERACTION_CREATE to the first callback, None if unanswered."""
        return self.callbacks[0].delay if self.callbacks else None


@dataclass
class Upload:
    """A file part of a multipart request."""

    field: str
    filename: str
    content_type: str | None
    data: bytes


@dataclass
class Request:
    """One REST request as received (path without the ``/api/v10`` prefix)."""

    method: str
    path: str
    query: dict[str, str]
    json: Any
    files: list[Upload]
    at: float
    status: int = 0
    limited: str = ""  # "user" or "global": refused by the rate limiter with a 429


@dataclass
class Fault:
    method: str
    pattern: re.Pattern[str]
    status: int
    retry_after: float
    via: bool
    code: int
    message: str
    times: int


@dataclass
class Ref:
    """A slash option that resolves to an entity: ``Ref.channel(id)``, ``Ref.role(id)``,
    ``Ref.attachment(url, filename, size, content_type)``."""

    type: int
    id: int
    data: Json | None = None  # an attachment's object

    @classmethod
    def channel(cls, channel_id: int) -> Ref:
        return cls(7, channel_id)

    @classmethod
    def role(cls, role_id: int) -> Ref:
        return cls(8, role_id)

    @classmethod
    def attachment(cls, url: str, filename: str, size: int = 0,
                   content_type: str | None = None) -> Ref:
        aid = _snowflake()
        return cls(11, aid, {"id": str(aid), "filename": filename, "size": size, "url": url,
                             "proxy_url": url, "content_type": content_type})


_counter = itertools.count()


def _snowflake() -> int:
    return (int(time.time() * 1000) - _DISCORD_EPOCH) << 22 | (next(_counter) & 0x3FFFFF)


def _now_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat()


class DiscordServer:
    """The fake Discord. Use ``async with DiscordServer() as server`` or the fixture."""

    def __init__(self, *, token: str | None = None, default_guild: bool = True,
                 heartbeat_interval_ms: int = 41_250, rate_limits: RateLimits = FAST) -> None:
        self.token = token  # when set, bot routes require "Authorization: Bot <token>"
        self.heartbeat_interval_ms = heartbeat_interval_ms
        # A first callback later than this gets 404 / 10062. Discord's is 3 s; a busy machine
        # can starve the bot's event loop that long, and how fast the bot acknowledges is
        # measured by bench/discord_bot.py, not asserted by tests.
        self.ack_deadline = SAFETY_NET
        self.attachment_size_limit = 10 * 1024 * 1024
        self.bot_user: Json = {"id": str(APP_ID), "username": "Parallax", "discriminator": "0",
                               "global_name": None, "avatar": None, "bot": True}
        self.users: dict[int, Json] = {APP_ID: self.bot_user}
        self.guilds: dict[int, Json] = {}
        self.payloads: list[tuple[str, str, Any]] = []  # every JSON body the bot sent
        self.requests: list[Request] = []
        self.unhandled: list[tuple[str, str]] = []  # requests no route answered (404)
        self.identifies: list[Json] = []
        self.resumes: list[Json] = []
        self.global_commands: list[Json] = []
        self.guild_commands: dict[int, list[Json]] = {}
        self.interactions: dict[int, Interaction] = {}
        self._messages: dict[int, Json] = {}
        self._files: dict[int, bytes] = {}
        self._nonces: dict[tuple[int, str], tuple[int, float]] = {}
        self._faults: list[Fault] = []
        self.limiter = RateLimiter(rate_limits)
        self._ws: web.WebSocketResponse | None = None
        self._sockets: set[web.WebSocketResponse] = set()
        self._seq = 0
        self._session = ""
        self._ready = asyncio.Event()
        self._changed = asyncio.Condition()
        self._send_lock = asyncio.Lock()
        self._runner: web.AppRunner | None = None
        self.url = self.api_base = self.gateway_url = ""
        if default_guild:
            self.add_guild(GUILD_ID, OWNER_ID, "Parallax Test")
            self.add_channel(GUILD_ID, CHANNEL_ID, "general")
            self.add_member(GUILD_ID, USER_ID)

    # -- lifecycle -------------------------------------------------------------------------

    async def __aenter__(self) -> DiscordServer:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_get("/gateway", self._gateway)
        app.router.add_get("/gateway/", self._gateway)
        app.router.add_get("/attachments/{id}/{name}", self._attachment)
        app.router.add_route("*", "/api/v10/{tail:.*}", self._rest)
        self._runner = web.AppRunner(app, shutdown_timeout=0.5, handler_cancellation=True)
        await self._runner.setup()
        # A deep accept queue: with aiohttp's 128, hundreds of clients connecting at once
        # (the load tests) overflow it while a busy machine is slow to accept, the kernel
        # drops their SYNs and each connect waits out 1 + 2 + 4 s of retransmits.
        site = web.TCPSite(self._runner, "127.0.0.1", 0, backlog=4096)
        await site.start()
        self.url = f"http://127.0.0.1:{self._runner.addresses[0][1]}"
        self.api_base = f"{self.url}/api/v10"
        self.gateway_url = self.url.replace("http://", "ws://") + "/gateway"
        return self

    async def __aexit__(self, *exc: object) -> None:
        for ws in list(self._sockets):
            await ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    def point_discord_py(self) -> None:
        """Set discord.py's two class attributes to this server (the bot normally does this)."""
        import discord
        import yarl

        discord.http.Route.BASE = self.api_base
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(self.gateway_url)

    # -- state model -----------------------------------------------------------------------

    def add_guild(self, guild_id: int = GUILD_ID, owner_id: int = OWNER_ID,
                  name: str = "Guild", *, locale: str = "en-US",
                  bot_permissions: int = BOT_PERMISSIONS) -> Json:
        """A guild with its @everyone role (id = guild id), the owner and the bot as members."""
        guild: Json = {"id": guild_id, "name": name, "owner_id": owner_id, "locale": locale,
                       "roles": {}, "channels": {}, "members": {}}
        self.guilds[guild_id] = guild
        self.add_role(guild_id, guild_id, EVERYONE_PERMISSIONS, name="@everyone")
        bot_role = self.add_role(guild_id, _snowflake(), bot_permissions, name="Parallax")
        bot_role.update(managed=True, tags={"bot_id": str(APP_ID)})
        self.add_member(guild_id, owner_id)
        self.add_member(guild_id, APP_ID, roles=[int(bot_role["id"])])
        return guild

    def add_channel(self, guild_id: int = GUILD_ID, channel_id: int | None = None,
                    name: str = "general", *, type: int = 0) -> Json:
        """A text channel (``type`` 0) in a guild."""
        channel_id = channel_id or _snowflake()
        channels = self.guilds[guild_id]["channels"]
        channel = {"id": str(channel_id), "type": type, "name": name, "guild_id": str(guild_id),
                   "position": len(channels), "permission_overwrites": [], "nsfw": False,
                   "topic": None, "parent_id": None, "last_message_id": None}
        channels[channel_id] = channel
        return channel

    def add_role(self, guild_id: int, role_id: int | None = None, permissions: int = 0, *,
                 name: str = "role") -> Json:
        """A role; the member permissions of an interaction are computed from roles."""
        role_id = role_id or _snowflake()
        roles = self.guilds[guild_id]["roles"]
        role = {"id": str(role_id), "name": name, "permissions": str(permissions),
                "position": len(roles), "color": 0, "hoist": False, "managed": False,
                "mentionable": False, "flags": 0, "icon": None, "unicode_emoji": None}
        roles[role_id] = role
        return role

    def add_member(self, guild_id: int, user_id: int, roles: Iterable[int] = (), *,
                   permissions: int | None = None, name: str | None = None) -> Json:
        """A member; ``permissions`` overrides the permissions computed from roles."""
        user = self.users.setdefault(user_id, {"id": str(user_id), "username": name or
                                               f"user{user_id % 10_000}", "discriminator": "0",
                                               "global_name": name, "avatar": None})
        member = {"user": user, "roles": [str(r) for r in roles], "joined_at": _now_iso(),
                  "nick": None, "avatar": None, "deaf": False, "mute": False, "flags": 0,
                  "pending": False, "premium_since": None, "_permissions": permissions}
        self.guilds[guild_id]["members"][user_id] = member
        return member

    def permissions(self, guild_id: int, user_id: int) -> int:
        """A member's permissions as Discord computes them (no channel overwrites)."""
        guild = self.guilds[guild_id]
        member = guild["members"][user_id]
        if member["_permissions"] is not None:
            return int(member["_permissions"])
        if user_id == guild["owner_id"]:
            return ALL_PERMISSIONS
        value = 0
        for role_id in [guild_id, *map(int, member["roles"])]:
            value |= int(guild["roles"][role_id]["permissions"])
        return ALL_PERMISSIONS if value & ADMINISTRATOR else value

    def _guild_payload(self, guild: Json) -> Json:
        members = [{k: v for k, v in m.items() if k != "_permissions"}
                   for m in guild["members"].values()]
        return {"id": str(guild["id"]), "name": guild["name"], "owner_id": str(guild["owner_id"]),
                "icon": None, "preferred_locale": guild["locale"], "features": [],
                "roles": list(guild["roles"].values()),
                "channels": list(guild["channels"].values()),
                "members": members, "member_count": len(members), "unavailable": False,
                "large": False, "threads": [], "stage_instances": [], "emojis": [], "stickers": [],
                "guild_scheduled_events": [], "soundboard_sounds": [], "presences": [],
                "voice_states": [], "joined_at": _now_iso()}

    def _channel(self, channel_id: int) -> Json:
        for guild in self.guilds.values():
            if channel_id in guild["channels"]:
                return guild["channels"][channel_id]
        raise DiscordError(404, 10003, "Unknown Channel")

    # -- gateway ---------------------------------------------------------------------------

    @property
    def identify(self) -> Json | None:
        """The last IDENTIFY payload (``d``), with ``intents``."""
        return self.identifies[-1] if self.identifies else None

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self._sockets.add(ws)
        try:
            hello = {"heartbeat_interval": self.heartbeat_interval_ms}
            await self._send(ws, {"op": 10, "d": hello})
            async for msg in ws:
                if msg.type == WSMsgType.TEXT:
                    await self._on_frame(ws, json.loads(msg.data))
        finally:
            self._sockets.discard(ws)
            if self._ws is ws:
                self._ws = None
                self._ready.clear()
        return ws

    async def _on_frame(self, ws: web.WebSocketResponse, frame: Json) -> None:
        op, d = frame.get("op"), frame.get("d")
        if op == 1:
            await self._send(ws, {"op": 11})
        elif op == 2:
            self.identifies.append(d)
            self._ws, self._seq, self._session = ws, 0, secrets.token_hex(16)
            await self.dispatch("READY", {
                "v": 10, "user": self.bot_user, "session_id": self._session,
                "guilds": [{"id": str(g), "unavailable": True} for g in self.guilds],
                "resume_gateway_url": self.gateway_url, "private_channels": [],
                "application": {"id": str(APP_ID), "flags": 0},
                **({"shard": d["shard"]} if "shard" in d else {})}, ws)
            for guild in self.guilds.values():
                await self.dispatch("GUILD_CREATE", self._guild_payload(guild), ws)
            self._ready.set()
        elif op == 6:
            self.resumes.append(d)
            if d.get("session_id") != self._session:
                await self._send(ws, {"op": 9, "d": False})
                return
            self._ws = ws
            await self.dispatch("RESUMED", {}, ws)
            self._ready.set()
        elif op == 8:  # request guild members: one chunk with everyone
            members = self._guild_payload(self.guilds[int(d["guild_id"])])["members"]
            await self.dispatch("GUILD_MEMBERS_CHUNK", {
                "guild_id": d["guild_id"], "members": members, "chunk_index": 0,
                "chunk_count": 1, "nonce": d.get("nonce")}, ws)
        await self._notify()

    async def _send(self, ws: web.WebSocketResponse, frame: Json) -> None:
        async with self._send_lock:  # frames from the handler and from tests must not interleave
            await ws.send_str(json.dumps(frame))

    async def _connected(self) -> web.WebSocketResponse:
        async with asyncio.timeout(5.0):
            await self._ready.wait()
        assert self._ws is not None
        return self._ws

    async def dispatch(self, event: str, data: Json, ws: web.WebSocketResponse | None = None
                       ) -> None:
        """Send a DISPATCH (op 0) event to the bot, waiting up to 5 s for it to be connected."""
        ws = ws or await self._connected()
        async with self._send_lock:  # sequence numbers must leave in order
            self._seq += 1
            await ws.send_str(json.dumps({"op": 0, "t": event, "s": self._seq, "d": data}))

    async def reconnect(self) -> None:
        """Send op 7: the client closes and RESUMEs (see ``resumes``)."""
        ws = await self._connected()
        self._ready.clear()
        await self._send(ws, {"op": 7, "d": None})

    async def invalidate_session(self, resumable: bool = False) -> None:
        """Send op 9; with ``resumable=False`` the client identifies again, but only after
        discord.py's own 5 s pause before any non-initial IDENTIFY (``before_identify_hook``)."""
        ws = await self._connected()
        self._ready.clear()
        await self._send(ws, {"op": 9, "d": resumable})

    # -- interactions ----------------------------------------------------------------------

    async def _interact(self, type: int, data: Json, *, guild_id: int | None, channel_id: int,
                        user_id: int, locale: str, permissions: int | None,
                        message: Json | None = None) -> Interaction:
        ws = await self._connected()
        itx = Interaction(_snowflake(), secrets.token_urlsafe(48), type, {}, channel_id)
        channel = self._channel(channel_id) if guild_id else {"id": str(channel_id), "type": 1}
        payload: Json = {
            "id": str(itx.id), "application_id": str(APP_ID), "type": type, "token": itx.token,
            "version": 1, "data": data, "channel_id": str(channel_id), "locale": locale,
            "attachment_size_limit": self.attachment_size_limit, "entitlements": [],
            "channel": {**channel, "permissions": str(ALL_PERMISSIONS)},
            "context": 0 if guild_id else 1}
        if guild_id is not None:
            guild = self.guilds[guild_id]
            if user_id not in guild["members"]:
                self.add_member(guild_id, user_id)
            member = {k: v for k, v in guild["members"][user_id].items() if k != "_permissions"}
            perms = self.permissions(guild_id, user_id) if permissions is None else permissions
            payload["channel"]["permissions"] = str(perms)
            payload |= {"guild_id": str(guild_id), "guild_locale": guild["locale"],
                        "guild": {"id": str(guild_id), "locale": guild["locale"], "features": []},
                        "member": member | {"permissions": str(perms)},
                        "app_permissions": str(self.permissions(guild_id, APP_ID)),
                        "authorizing_integration_owners": {"0": str(guild_id)}}
        else:
            payload |= {"user": self.users[user_id], "app_permissions": str(BOT_PERMISSIONS),
                        "authorizing_integration_owners": {"1": str(user_id)}}
        if message is not None:
            payload["message"] = message
        itx.payload = payload
        self.interactions[itx.id] = itx
        itx.sent_at = time.monotonic()  # read just before the frame leaves: time-to-ack baseline
        await self.dispatch("INTERACTION_CREATE", payload, ws)
        return itx

    def _command_data(self, name: str, options: dict[str, Any] | None, subcommand: str | None,
                      resolved: Json | None, guild_id: int | None, guild_command: bool | None,
                      focused: str | None = None) -> Json:
        res: Json = copy.deepcopy(resolved or {})
        opts: list[Json] = []
        for key, value in (options or {}).items():
            opt: Json = {"name": key, "value": value}
            if isinstance(value, Ref):
                opt |= {"type": value.type, "value": str(value.id)}
                self._resolve(value, res, guild_id)
            else:  # bool before int: bool is an int subclass
                opt["type"] = 5 if isinstance(value, bool) else 4 if isinstance(value, int) else \
                    10 if isinstance(value, float) else 3
            if key == focused:
                opt["focused"] = True
            opts.append(opt)
        for part in reversed((subcommand or "").split()):  # "group sub" nests twice
            opts = [{"name": part, "type": 2 if opts and opts[0]["type"] == 1 else 1,
                     "options": opts}]
        guild_cmds = {c["name"]: c for c in self.guild_commands.get(guild_id or 0, [])}
        if guild_command is None:
            guild_command = name in guild_cmds
        known = (guild_cmds if guild_command else {c["name"]: c for c in self.global_commands})
        data: Json = {"id": known.get(name, {}).get("id", str(_snowflake())), "name": name,
                      "type": 1, "options": opts}
        if guild_command and guild_id:
            data["guild_id"] = str(guild_id)
        if res:
            data["resolved"] = res
        return data

    def _resolve(self, ref: Ref, res: Json, guild_id: int | None) -> None:
        key = str(ref.id)
        if ref.type == 11:
            res.setdefault("attachments", {})[key] = ref.data
        elif ref.type == 7:
            res.setdefault("channels", {})[key] = self._channel(ref.id) | {
                "permissions": str(ALL_PERMISSIONS)}
        elif ref.type == 8 and guild_id:
            res.setdefault("roles", {})[key] = self.guilds[guild_id]["roles"][ref.id]

    async def slash(self, name: str, options: dict[str, Any] | None = None, *,
                    guild_id: int | None = GUILD_ID, channel_id: int = CHANNEL_ID,
                    user_id: int = USER_ID, locale: str = "en-US",
                    member_permissions: int | None = None, subcommand: str | None = None,
                    resolved: Json | None = None, guild_command: bool | None = None
                    ) -> Interaction:
        """Invoke a slash command (type 2). Option values: str, int, float, bool or a
        :class:`Ref`. ``subcommand`` is "sub" or "group sub". ``guild_command`` None means
        guild-scoped when the name was synced to that guild."""
        data = self._command_data(name, options, subcommand, resolved, guild_id, guild_command)
        return await self._interact(2, data, guild_id=guild_id, channel_id=channel_id,
                                    user_id=user_id, locale=locale, permissions=member_permissions)

    async def autocomplete(self, name: str, options: dict[str, Any], focused: str, *,
                           guild_id: int | None = GUILD_ID, channel_id: int = CHANNEL_ID,
                           user_id: int = USER_ID, locale: str = "en-US",
                           subcommand: str | None = None, guild_command: bool | None = None
                           ) -> Interaction:
        """Ask for choices (type 4) while ``focused`` is being typed; see ``callbacks``."""
        data = self._command_data(name, options, subcommand, None, guild_id, guild_command,
                                  focused)
        return await self._interact(4, data, guild_id=guild_id, channel_id=channel_id,
                                    user_id=user_id, locale=locale, permissions=None)

    async def click(self, message: Json | int, custom_id: str, *, user_id: int = USER_ID,
                    permissions: int | None = None, values: list[str] | None = None,
                    locale: str = "en-US") -> Interaction:
        """Press a button or pick select ``values`` (type 3) on a stored message."""
        msg = self._message(int(message["id"]) if isinstance(message, dict) else message)
        comp = next((c for _, c in _walk(msg["components"], ()) if c.get("custom_id") == custom_id),
                    None)
        if comp is None:
            raise KeyError(f"no component {custom_id!r} on message {msg['id']}")
        data: Json = {"custom_id": custom_id, "component_type": comp["type"]}
        if values is not None:
            data["values"] = values
        guild_id = int(msg["guild_id"]) if msg.get("guild_id") else None
        return await self._interact(3, data, guild_id=guild_id, channel_id=int(msg["channel_id"]),
                                    user_id=user_id, locale=locale, permissions=permissions,
                                    message=copy.deepcopy(msg))

    async def submit_modal(self, custom_id: str, values: dict[str, str], *,
                           guild_id: int | None = GUILD_ID, channel_id: int = CHANNEL_ID,
                           user_id: int = USER_ID, permissions: int | None = None,
                           locale: str = "en-US", message: Json | None = None) -> Interaction:
        """Submit a modal (type 5). The layout mirrors the last modal the bot opened with that
        custom_id (action rows or labels), text inputs filled from ``values``."""
        modals = [c.data for i in self.interactions.values() for c in i.callbacks
                  if c.type == 9 and c.data.get("custom_id") == custom_id]
        layout = copy.deepcopy(modals[-1]["components"]) if modals else [
            {"type": 1, "components": [{"type": 4, "custom_id": k}]} for k in values]

        def fill(comp: Json) -> Json:
            if "component" in comp:
                return {"type": comp["type"], "component": fill(comp["component"])}
            if "components" in comp:
                return {"type": comp["type"], "components": [fill(c) for c in comp["components"]]}
            return {"type": comp["type"], "custom_id": comp.get("custom_id"),
                    "value": values.get(comp.get("custom_id", ""), "")}

        data = {"custom_id": custom_id, "components": [fill(c) for c in layout]}
        return await self._interact(5, data, guild_id=guild_id, channel_id=channel_id,
                                    user_id=user_id, locale=locale, permissions=permissions,
                                    message=message)

    def expire(self, interaction: Interaction) -> None:
        """Age the token past 15 minutes: webhook calls on it now get 401 / 50027."""
        interaction.expired = True

    # -- test helpers ----------------------------------------------------------------------

    def set_rate_limits(self, limits: RateLimits) -> None:
        """Enforce ``limits`` from now on, every window and count started afresh."""
        self.limiter = RateLimiter(limits)

    def rate_limited(self, scope: str | None = None) -> list[Request]:
        """The requests the rate limiter refused with a 429 (``scope`` "user" or "global")."""
        return [r for r in self.requests if r.limited and scope in (None, r.limited)]

    def fail_next(self, method: str, path_regex: str, status: int = 429, *,
                  retry_after: float = 0.2, via: bool = True, code: int = 0,
                  message: str | None = None, times: int = 1) -> None:
        """Answer the next ``times`` requests matching (``re.search`` on the path after
        /api/v10; method "*" for any) with ``status``: 429 carries ``retry_after`` and, with
        ``via``, the ``Via`` header that makes discord.py retry."""
        text = message or ("You are being rate limited." if status == 429 else f"{status}: error")
        self._faults.append(Fault(method.upper(), re.compile(path_regex), status, retry_after,
                                  via, code, text, times))

    async def wait_for(self, predicate: Callable[[], T], timeout: float = 5.0) -> T:  # noqa: ASYNC109
        """Wait until ``predicate()`` is truthy and return its value, e.g.
        ``wait_for(lambda: server.original(itx))``; re-evaluated after each request or gateway
        frame, and every 20 ms. ``timeout`` is a safety net against a hang, never less than
        :data:`SAFETY_NET`: what takes a moment on an idle machine can take far longer on a
        busy one, and waiting longer only delays a test that fails anyway."""
        timeout = max(timeout, SAFETY_NET)
        deadline = asyncio.get_running_loop().time() + timeout
        async with self._changed:
            while not (result := predicate()):
                remaining = deadline - asyncio.get_running_loop().time()
                if remaining <= 0:
                    last = [(r.method, r.path[:60], r.status) for r in self.requests[-5:]]
                    raise TimeoutError(f"not met within {timeout}s; last requests {last}")
                # Woken by each change; the short poll also catches state kept by the bot.
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._changed.wait(), min(remaining, 0.02))
            return result

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    def callbacks(self, interaction: Interaction) -> list[Callback]:
        return list(interaction.callbacks)

    def messages(self, channel_id: int = CHANNEL_ID) -> list[Json]:
        """The channel's messages, oldest first, ephemeral ones included (``flags`` & 64)."""
        return [copy.deepcopy(m) for m in self._messages.values()
                if m["channel_id"] == str(channel_id)]

    def original(self, interaction: Interaction) -> Json | None:
        """The interaction's @original message as it now stands."""
        oid = interaction.original_id
        return copy.deepcopy(self._messages[oid]) if oid in self._messages else None

    def followups(self, interaction: Interaction) -> list[Json]:
        return [copy.deepcopy(self._messages[i]) for i in interaction.followup_ids
                if i in self._messages]

    def file(self, attachment: Json) -> bytes:
        """The bytes uploaded for an attachment of a stored message."""
        return self._files[int(attachment["id"])]

    # -- REST ------------------------------------------------------------------------------

    async def _attachment(self, request: web.Request) -> web.Response:
        return web.Response(body=self._files.get(int(request.match_info["id"]), b""))

    async def _rest(self, request: web.Request) -> web.Response:
        path = "/" + request.match_info["tail"]
        body, files = await _read_body(request)
        req = Request(request.method, path, dict(request.query), body, files, time.monotonic())
        self.requests.append(req)
        if body is not None:
            self.payloads.append((request.method, path, body))
        response = self._fault(req)
        if response is None:
            # Counted before the route runs, as Discord does: a refused or failed request uses
            # up its place in the window too.
            admission = self.limiter.admit(
                req.method, path, request.headers.get("Authorization") or request.remote or "",
                exempt=path.startswith(("/interactions/", f"/webhooks/{APP_ID}/")))
            if admission.refused is not None:
                req.limited = admission.scope
                response = json_response(admission.refused, 429, admission.headers)
            else:
                try:
                    response = self._route(req, request)
                except DiscordError as exc:
                    response = json_response(exc.body(), exc.status)
                response.headers.update(admission.headers)
        req.status = response.status
        await self._notify()
        return response

    def _fault(self, req: Request) -> web.Response | None:
        for fault in self._faults:
            if fault.method in ("*", req.method) and fault.pattern.search(req.path):
                fault.times -= 1
                if fault.times <= 0:
                    self._faults.remove(fault)
                body: Json = {"message": fault.message, "code": fault.code}
                headers = {"Via": "1.1 google"} if fault.via else {}
                if fault.status == 429:
                    body |= {"retry_after": fault.retry_after, "global": False}
                    headers["Retry-After"] = str(max(1, round(fault.retry_after)))
                return json_response(body, fault.status, headers)
        return None

    def _route(self, req: Request, request: web.Request) -> web.Response:
        webhook = req.path.startswith(("/webhooks/", "/interactions/"))
        auth = request.headers.get("Authorization")
        if not webhook and self.token is not None and auth != f"Bot {self.token}":
            raise DiscordError(401, 0, "401: Unauthorized")
        for methods, pattern, handler in self._routes():
            match = re.fullmatch(pattern, req.path)
            if match and req.method in methods.split():
                result = handler(req, *match.groups())
                return web.Response(status=204) if result is None else json_response(result)
        self.unhandled.append((req.method, req.path))
        raise DiscordError(404, 0, "404: Not Found")

    def _routes(self) -> list[tuple[str, str, Callable[..., Any]]]:
        hook, msg = r"/webhooks/(\d+)/([^/]+)", r"/channels/(\d+)/messages"
        app = {"id": str(APP_ID), "name": "Parallax", "description": "", "icon": None,
               "bot_public": True, "bot_require_code_grant": False, "verify_key": "0" * 64,
               "owner": self.users.get(OWNER_ID, self.bot_user), "flags": 0,
               "interactions_endpoint_url": None, "bot": self.bot_user}
        gateway = {"url": self.gateway_url, "shards": 1, "session_start_limit": {
            "total": 1000, "remaining": 1000, "reset_after": 0, "max_concurrency": 1}}
        return [
            ("GET", r"/users/@me", lambda req: self.bot_user),
            ("GET", r"/oauth2/applications/@me", lambda req: app),
            ("GET", r"/gateway(?:/bot)?", lambda req: gateway),  # AutoShardedBot only
            ("PUT", r"/applications/\d+(?:/guilds/(\d+))?/commands", self._put_commands),
            ("GET", r"/applications/\d+(?:/guilds/(\d+))?/commands", self._commands),
            ("POST", r"/interactions/(\d+)/([^/]+)/callback", self._callback),
            ("POST", hook, self._followup),
            ("GET PATCH DELETE", hook + r"/messages/([^/]+)", self._hook_message),
            ("POST", msg, self._post_message),
            ("GET PATCH DELETE", msg + r"/(\d+)", self._channel_message),
            ("GET", r"/channels/(\d+)", lambda req, channel: self._channel(int(channel))),
        ]

    def _commands(self, req: Request, guild: str | None = None) -> list[Json]:
        return self.guild_commands.get(int(guild), []) if guild else self.global_commands

    def _put_commands(self, req: Request, guild: str | None = None) -> list[Json]:
        ids = {c["name"]: c["id"] for c in self._commands(req, guild)}
        errors: Json = {}
        commands = []
        for i, cmd in enumerate(req.json):
            for key, limit in (("name", 32), ("description", 100), ("options", 25)):
                if len(cmd.get(key) or "") > limit:
                    _error(errors, (i, key), "BASE_TYPE_MAX_LENGTH",
                           f"Must be {limit} or fewer in length.")
            commands.append({"type": 1, "description": "", "options": [], **cmd,
                             "id": ids.get(cmd["name"], str(_snowflake())),
                             "application_id": str(APP_ID), "version": str(_snowflake()),
                             **({"guild_id": guild} if guild else {})})
        if len(commands) > 100:
            _error(errors, (), "BASE_TYPE_MAX_LENGTH", "Must be 100 or fewer in length.")
        if errors:
            _invalid(errors)
        if guild:
            self.guild_commands[int(guild)] = commands
        else:
            self.global_commands = commands
        return commands

    def _interaction(self, token: str, *, webhook: bool) -> Interaction:
        itx = next((i for i in self.interactions.values() if i.token == token), None)
        if itx is None or (itx.expired and not webhook):
            raise DiscordError(404, 10062, "Unknown interaction")
        if itx.expired:
            raise DiscordError(401, 50027, "Invalid Webhook Token")
        return itx

    def _callback(self, req: Request, iid: str, token: str) -> Json | None:
        itx = self._interaction(token, webhook=False)
        if itx.id != int(iid):
            raise DiscordError(404, 10062, "Unknown interaction")
        if itx.callbacks:
            raise DiscordError(400, 40060, "Interaction has already been acknowledged.")
        if req.at - itx.sent_at > self.ack_deadline:
            raise DiscordError(404, 10062, "Unknown interaction")
        kind, data = req.json["type"], req.json.get("data") or {}
        message = None
        if kind == 8 and len(data.get("choices", [])) > 25:
            _invalid({"data": {"choices": {"_errors": [{"code": "BASE_TYPE_MAX_LENGTH",
                                                        "message": "Must be 25 or fewer."}]}}})
        if kind in (4, 5):
            flags = (data.get("flags") or 0) | (LOADING if kind == 5 else 0)
            message = self._create(itx.channel_id, data | {"flags": flags}, req.files,
                                   itx=itx, empty_ok=kind == 5)
            itx.original_id = int(message["id"])
            if itx.type == 2:  # a command's response is a CHAT_INPUT_COMMAND message
                message["type"] = self._messages[itx.original_id]["type"] = 20
        elif kind in (6, 7) and "message" in itx.payload:
            itx.original_id = int(itx.payload["message"]["id"])
            if kind == 7:
                message = self._edit(itx.original_id, data, req.files)
        itx.callbacks.append(Callback(kind, data, req.at, req.at - itx.sent_at))
        if req.query.get("with_response") not in ("1", "true", "True"):
            return None
        flags = (message or {}).get("flags", 0)
        return {"interaction": {"id": str(itx.id), "type": itx.type,
                                "response_message_id": message and message["id"],
                                "response_message_loading": bool(flags & LOADING),
                                "response_message_ephemeral": bool(flags & EPHEMERAL)},
                "resource": {"type": kind} | ({"message": message} if message else {})}

    def _followup(self, req: Request, app: str, token: str) -> Json | None:
        itx = self._interaction(token, webhook=True)
        if not itx.callbacks:
            raise DiscordError(404, 10015, "Unknown Webhook")
        original = self._messages.get(itx.original_id or 0)
        if original is not None and original["flags"] & LOADING:
            # The first followup after a "thinking" defer replaces the loading message.
            message = self._edit(int(original["id"]), req.json or {}, req.files, edited=False)
        else:
            message = self._create(itx.channel_id, req.json or {}, req.files, itx=itx)
            itx.followup_ids.append(int(message["id"]))
        return message if req.query.get("wait") in ("1", "true", "True") else None

    def _hook_message(self, req: Request, app: str, token: str, mid: str) -> Json | None:
        itx = self._interaction(token, webhook=True)
        message_id = itx.original_id if mid == "@original" else int(mid)
        if message_id is None or message_id not in (itx.original_id, *itx.followup_ids):
            raise DiscordError(404, 10008, "Unknown Message")
        return self._message_op(req, message_id)

    def _channel_message(self, req: Request, channel: str, mid: str) -> Json | None:
        message = self._message(int(mid))
        if message["channel_id"] != channel or message["flags"] & EPHEMERAL:
            raise DiscordError(404, 10008, "Unknown Message")  # ephemerals are not in the channel
        if req.method != "GET" and message["author"]["id"] != str(APP_ID):
            raise DiscordError(403, 50005, "Cannot edit a message authored by another user")
        return self._message_op(req, int(mid))

    def _message_op(self, req: Request, message_id: int) -> Json | None:
        if req.method == "GET":
            return self._message(message_id)
        if req.method == "DELETE":
            self._message(message_id)
            del self._messages[message_id]
            return None
        return self._edit(message_id, req.json or {}, req.files)

    def _post_message(self, req: Request, channel: str) -> Json:
        self._channel(int(channel))
        payload = req.json or {}
        nonce = payload.get("nonce")
        if nonce is not None and payload.get("enforce_nonce"):
            seen = self._nonces.get((int(channel), str(nonce)))
            if seen and req.at - seen[1] < NONCE_WINDOW and seen[0] in self._messages:
                return self._message(seen[0])  # Discord returns the first message, no new one
        message = self._create(int(channel), payload, req.files)
        if nonce is not None:
            self._nonces[(int(channel), str(nonce))] = (int(message["id"]), req.at)
        return message

    # -- messages --------------------------------------------------------------------------

    def _message(self, message_id: int) -> Json:
        if message_id not in self._messages:
            raise DiscordError(404, 10008, "Unknown Message")
        return copy.deepcopy(self._messages[message_id])

    def _create(self, channel_id: int, payload: Json, files: list[Upload], *,
                itx: Interaction | None = None, empty_ok: bool = False) -> Json:
        _check(payload)
        mid = _snowflake()
        message: Json = {
            "id": str(mid), "type": 0,
            "channel_id": str(channel_id), "author": self.bot_user, "content": "", "embeds": [],
            "components": [], "attachments": [], "mentions": [], "mention_roles": [],
            "mention_everyone": False, "pinned": False, "tts": False, "timestamp": _now_iso(),
            "edited_timestamp": None, "flags": 0}
        if itx is None or "guild_id" in itx.payload:
            message["guild_id"] = self._channel(channel_id)["guild_id"]
        if itx is not None:
            message |= {"webhook_id": str(APP_ID), "application_id": str(APP_ID)}
        self._apply(message, payload, files)
        if not empty_ok and not any(message[k] for k in ("content", "embeds", "components",
                                                         "attachments")):
            raise DiscordError(400, 50006, "Cannot send an empty message")
        self._messages[mid] = message
        return copy.deepcopy(message)

    def _edit(self, message_id: int, payload: Json, files: list[Upload], *,
              edited: bool = True) -> Json:
        _check(payload)
        message = self._messages[message_id]
        self._apply(message, payload, files)
        message["flags"] &= ~LOADING  # any edit ends the "thinking" state
        message["edited_timestamp"] = _now_iso() if edited else None
        return copy.deepcopy(message)

    def _apply(self, message: Json, payload: Json, files: list[Upload]) -> None:
        for key in ("content", "embeds", "components", "tts", "nonce", "allowed_mentions"):
            if key in payload:
                message[key] = payload[key] if payload[key] is not None else (
                    "" if key == "content" else [] if key != "allowed_mentions" else None)
        for embed in message["embeds"]:
            embed.setdefault("type", "rich")
        if "flags" in payload:  # ephemeral can only be set at creation; LOADING stays internal
            message["flags"] = (message["flags"] & (EPHEMERAL | LOADING)) | (
                payload["flags"] or 0)
        message["attachments"] = self._attachments(message["attachments"], payload, files)
        parse = (message.get("allowed_mentions") or {"parse": ["everyone"]}).get("parse", [])
        message["mention_everyone"] = "everyone" in parse and bool(
            re.search(r"@(everyone|here)", message["content"]))

    def _attachments(self, current: list[Json], payload: Json, files: list[Upload]
                     ) -> list[Json]:
        uploads = {int(m.group(1)) if (m := re.search(r"\[(\d+)\]", f.field)) else i: f
                   for i, f in enumerate(files)}
        new: dict[int, Json] = {}
        for index, upload in uploads.items():
            aid = _snowflake()
            self._files[aid] = upload.data
            url = f"{self.url}/attachments/{aid}/{upload.filename}"
            new[index] = {"id": str(aid), "filename": upload.filename, "size": len(upload.data),
                          "url": url, "proxy_url": url, "content_type": upload.content_type}
        if "attachments" not in payload:
            return current + list(new.values())
        kept = {a["id"]: a for a in current}
        return [kept.get(str(a["id"])) or new[int(a["id"])] for a in payload["attachments"] or []
                if str(a["id"]) in kept or int(a["id"]) in new]


def _check(payload: Json) -> None:
    errors = validate_message(payload)
    if errors:
        _invalid(errors)


def _invalid(errors: Json) -> None:
    raise DiscordError(400, 50035, "Invalid Form Body", errors)


async def _read_body(request: web.Request) -> tuple[Any, list[Upload]]:
    """JSON, or multipart/form-data with a ``payload_json`` part and file parts."""
    if not request.content_type.startswith("multipart/"):
        raw = await request.read()
        return (json.loads(raw) if raw else None), []
    payload, files = None, []
    async for part in await request.multipart():
        if not isinstance(part, BodyPartReader):
            continue
        data = await part.read()
        if part.name == "payload_json":
            payload = json.loads(data)
        else:
            files.append(Upload(part.name or "", part.filename or "file",
                                part.headers.get("Content-Type"), bytes(data)))
    return payload, files


@pytest.fixture(name="discord_server")  # named so importing it does not shadow test arguments
async def discord_server_fixture() -> AsyncIterator[DiscordServer]:
    """A running DiscordServer; discord.py's Route.BASE and DEFAULT_GATEWAY are restored after."""
    import discord

    base, gateway = discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    try:
        async with DiscordServer() as server:
            yield server
    finally:
        discord.http.Route.BASE = base
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = gateway

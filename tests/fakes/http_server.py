"""A loopback HTTP/1.1 server for tests: configurable routes, and a record of every request.

It is written on raw asyncio streams rather than aiohttp or ``http.server`` so that a route
controls every byte it sends: no default Content-Type, any Content-Length, bodies trickled one
byte at a time, pre-compressed bodies, raw malformed responses. One request per connection
(``Connection: close``), GET and HEAD only, which is all a fetcher needs.

Use it inside a test's event loop (``async with HTTPServer() as server``) or, for code that
blocks, on a thread of its own (``with HTTPServer().running_in_thread() as server``).
"""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import ssl
import struct
import threading
import zlib
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from http import HTTPStatus


@dataclass(frozen=True)
class Request:
    """One request as the server received it."""

    method: str
    target: str  # the request-target as sent: "/path?query"
    headers: dict[str, str]  # names lower-cased

    @property
    def path(self) -> str:
        """The target without its query."""
        return self.target.split("?", 1)[0]

    @property
    def host(self) -> str | None:
        """The Host header, as the client sent it."""
        return self.headers.get("host")


@dataclass
class Reply:
    """What a route answers. ``chunks`` streams a body (chunked unless Content-Length is given);
    ``raw`` replaces the whole response with exact bytes."""

    status: int = 200
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""
    chunks: Callable[[], AsyncIterator[bytes]] | None = None
    raw: bytes | None = None


Route = Reply | Callable[[Request], Reply]


class HTTPServer:
    """An HTTP server (HTTPS given an ``ssl.SSLContext``) on ``host``, its port picked by the OS."""

    def __init__(self, host: str = "127.0.0.1", ssl_context: ssl.SSLContext | None = None) -> None:
        self.host = host
        self.routes: dict[str, Route] = {}
        self.requests: list[Request] = []
        self.sni_names: list[str | None] = []  # the TLS server name of each handshake
        self._ssl = ssl_context
        if ssl_context is not None:
            ssl_context.sni_callback = lambda _sock, name, _ctx: self.sni_names.append(name)
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self.port = 0

    # -- lifecycle ---------------------------------------------------------------------------

    async def start(self) -> HTTPServer:
        """Start listening; ``port`` is known afterwards."""
        self._server = await asyncio.start_server(self._serve, self.host, 0, ssl=self._ssl)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def close(self) -> None:
        """Stop listening and end every connection still open (a trickle, say)."""
        if self._server is not None:
            self._server.close()
            for task in list(self._tasks):
                task.cancel()
            await asyncio.gather(*self._tasks, return_exceptions=True)
            await self._server.wait_closed()
            self._server = None

    async def __aenter__(self) -> HTTPServer:
        return await self.start()

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    @contextlib.contextmanager
    def running_in_thread(self) -> Iterator[HTTPServer]:
        """Serve from a background thread with its own event loop, for blocking callers."""
        loop = asyncio.new_event_loop()
        thread = threading.Thread(target=loop.run_forever, daemon=True)
        thread.start()
        try:
            asyncio.run_coroutine_threadsafe(self.start(), loop).result(timeout=5)
            yield self
        finally:
            asyncio.run_coroutine_threadsafe(self.close(), loop).result(timeout=5)
            loop.call_soon_threadsafe(loop.stop)
            thread.join(timeout=5)
            loop.close()

    def url(self, path: str = "/", host: str | None = None) -> str:
        """The URL of ``path`` on this server, optionally under another host name."""
        scheme = "https" if self._ssl is not None else "http"
        name = host or (f"[{self.host}]" if ":" in self.host else self.host)
        return f"{scheme}://{name}:{self.port}{path}"

    @property
    def paths(self) -> list[str]:
        """The path of every request received, in order."""
        return [request.path for request in self.requests]

    # -- routes ------------------------------------------------------------------------------

    def page(
        self,
        path: str,
        body: bytes | str,
        content_type: str | None = "text/html; charset=utf-8",
        status: int = 200,
        headers: list[tuple[str, str]] | None = None,
    ) -> None:
        """Serve ``body`` at ``path``; ``content_type=None`` sends no Content-Type at all."""
        data = body.encode() if isinstance(body, str) else body
        extra = list(headers or [])
        if content_type is not None:
            extra.append(("Content-Type", content_type))
        self.routes[path] = Reply(status=status, headers=extra, body=data)

    def redirect(self, path: str, location: str, status: int = 302) -> None:
        """Answer ``path`` with a redirect to ``location``, sent exactly as given."""
        self.routes[path] = Reply(status=status, headers=[("Location", location)])

    def gzip_page(self, path: str, body: bytes, content_type: str = "text/html") -> None:
        """Serve ``body`` gzip-compressed (a bomb when ``body`` is large and repetitive)."""
        headers = [("Content-Type", content_type), ("Content-Encoding", "gzip")]
        self.routes[path] = Reply(headers=headers, body=gzip.compress(body, compresslevel=9))

    def trickle(self, path: str, interval: float, count: int = 10_000) -> None:
        """Send headers at once, then one byte every ``interval`` seconds, ``count`` times."""

        async def chunks() -> AsyncIterator[bytes]:
            for _ in range(count):
                yield b"x"
                await asyncio.sleep(interval)

        headers = [("Content-Type", "text/html")]
        self.routes[path] = Reply(headers=headers, chunks=chunks)

    def oversize(self, path: str, size: int, declare_length: bool = True) -> None:
        """Serve ``size`` bytes of HTML, with a Content-Length or streamed in chunks."""

        async def chunks() -> AsyncIterator[bytes]:
            for start in range(0, size, 16_384):
                yield b"a" * min(16_384, size - start)

        headers = [("Content-Type", "text/html")]
        if declare_length:
            headers.append(("Content-Length", str(size)))
        self.routes[path] = Reply(headers=headers, chunks=chunks)

    # -- the protocol ------------------------------------------------------------------------

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._tasks.add(task)  # type: ignore[arg-type]
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            request = _parse(head)
            self.requests.append(request)
            route = self.routes.get(request.path)
            if route is None:
                reply = Reply(404, [("Content-Type", "text/plain")], b"not found")
            else:
                reply = route(request) if callable(route) else route
            await _send(writer, reply, head_only=request.method == "HEAD")
        except (
            asyncio.IncompleteReadError,
            asyncio.LimitOverrunError,
            ConnectionError,
            ssl.SSLError,
            ValueError,
        ):
            pass  # the client went away or spoke nonsense: nothing to answer
        except asyncio.CancelledError:
            pass  # closing the server ends the connection
        finally:
            self._tasks.discard(task)  # type: ignore[arg-type]
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()


def gzip_bomb(size: int, layers: int = 1) -> bytes:
    """``size`` (rounded down to MiB) zero bytes gzipped, then gzipped again ``layers - 1`` times.

    Built without ever holding the inflated bytes: the deflate block for 1 MiB of zeros after
    zeros is always the same, so it is repeated, and the CRC is computed piece by piece.
    1 GiB in two layers is about 2.5 KB, made in a second.
    """
    zeros = bytes(1 << 20)
    count = max(1, size >> 20)
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    first = packer.compress(zeros) + packer.flush(zlib.Z_SYNC_FLUSH)
    block = packer.compress(zeros) + packer.flush(zlib.Z_SYNC_FLUSH)
    end = packer.flush(zlib.Z_FINISH)[:-8]  # the final block without its CRC and size
    crc = 0
    for _ in range(count):
        crc = zlib.crc32(zeros, crc)
    data = first + block * (count - 1) + end + struct.pack("<II", crc, (count << 20) % (1 << 32))
    for _ in range(layers - 1):
        data = gzip.compress(data, compresslevel=9)
    return data


def _parse(head: bytes) -> Request:
    lines = head.decode("latin-1").split("\r\n")
    method, target, _version = lines[0].split(" ", 2)
    headers: dict[str, str] = {}
    for line in lines[1:]:
        if line:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
    return Request(method=method, target=target, headers=headers)


async def _send(writer: asyncio.StreamWriter, reply: Reply, head_only: bool) -> None:
    if reply.raw is not None:
        writer.write(reply.raw)
        await writer.drain()
        return
    headers = list(reply.headers)
    names = {name.lower() for name, _ in headers}
    chunked = reply.chunks is not None and "content-length" not in names
    if reply.chunks is None and "content-length" not in names:
        headers.append(("Content-Length", str(len(reply.body))))
    if chunked:
        headers.append(("Transfer-Encoding", "chunked"))
    headers.append(("Connection", "close"))
    try:
        phrase = HTTPStatus(reply.status).phrase
    except ValueError:
        phrase = "Unknown"
    lines = [f"HTTP/1.1 {reply.status} {phrase}", *(f"{k}: {v}" for k, v in headers), "", ""]
    writer.write("\r\n".join(lines).encode("latin-1"))
    if head_only:
        await writer.drain()
        return
    if reply.chunks is None:
        writer.write(reply.body)
    else:
        async for chunk in reply.chunks():
            writer.write(b"%x\r\n%s\r\n" % (len(chunk), chunk) if chunked else chunk)
            await writer.drain()
        if chunked:
            writer.write(b"0\r\n\r\n")
    await writer.drain()

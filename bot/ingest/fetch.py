"""SSRF-safe fetching of http(s) URLs.

Each hop (the URL, then every redirect) is checked from scratch: scheme, credentials, host. The
host is resolved once, every address must be allowed, and the request goes to the checked IP
itself (URL rewritten to the IP, original ``Host`` header, and for https the real name as TLS
SNI so the certificate is verified against it): a second DNS answer never reaches the socket, so
DNS rebinding cannot work. A total deadline covers the whole fetch, and every failure is a
one-line ``FetchError`` naming the host, never the URL.

Bodies are decompressed here, not by httpx: httpx undoes each ``Content-Encoding`` layer a whole
network chunk at a time, so ``gzip, gzip`` turned 2 KB into 1 GB in one call before any limit
was checked. Each layer here yields at most 64 KB per call and every layer's output is counted
against the size limit as it is produced, so a refused fetch costs a few megabytes of memory.
"""

from __future__ import annotations

import asyncio
import ipaddress
import re
import socket
import ssl
import zlib
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from email.message import Message
from functools import lru_cache
from http.cookiejar import CookieJar, DefaultCookiePolicy

import httpx

from bot.errors import FetchError
from bot.ingest.decode import binary_reason
from bot.ingest.urls import IPAddress, non_public_reason, parse_host_address
from bot.records import RawDocument
from bot.redact import mask

Resolver = Callable[[str, int], Awaitable[list[str]]]
"""``(host, port) -> addresses``: how a hostname becomes IP address strings."""

USER_AGENT = "Parallax/0.1 (+news fact-check bot)"
_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,text/plain;q=0.8,*/*;q=0.1"
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_DEFAULT_PORTS = {"http": 80, "https": 443}
_PRIVATE_HEADERS = ("authorization", "proxy-authorization", "cookie")
# Only what _Layer can undo in bounded pieces. br and zstd need libraries that are not
# dependencies (and brotli bounds its output only from 1.2): a server sending them unasked
# is refused with a reason rather than read as garbage.
_ACCEPT_ENCODING = "gzip, deflate"
_CODINGS = {"gzip": "gzip", "x-gzip": "gzip", "deflate": "deflate"}
_MAX_CODINGS = 3  # one is the norm; more than a few layers is an attack on memory and time
_PIECE = 65_536  # bytes one decompression call may produce
# Types that say nothing about the body: read as if no type were declared (sniffed, and only
# text accepted). Servers send octet-stream for files they have no type for, e.g. ".rss".
_GENERIC_TYPES = frozenset({"application/octet-stream", "binary/octet-stream",
                            "application/unknown", "unknown/unknown", "application/x-unknown"})


@dataclass(frozen=True)
class FetchPolicy:
    """What a fetch may contact and how much it may read.

    ``allow_networks`` lists CIDR blocks treated as public although they are not (an internal
    news mirror, or a test server on loopback); ``allow_private`` lets every address through.
    """

    allow_private: bool = False
    max_bytes: int = 5_000_000
    max_redirects: int = 5
    connect_timeout: float = 5.0
    total_timeout: float = 20.0
    allowed_types: tuple[str, ...] = (
        "text/html",
        "application/xhtml+xml",
        "text/plain",
        "text/markdown",
        "text/x-markdown",
        # Feeds: the registered types, the x- forms still in use (Python's own mimetypes
        # gives application/x-rss+xml for ".rss"), and generic XML.
        "application/rss+xml",
        "application/atom+xml",
        "application/x-rss+xml",
        "application/x-atom+xml",
        "application/rdf+xml",
        "application/xml",
        "text/xml",
        "text/rss+xml",
        "text/atom+xml",
    )
    allow_networks: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        _networks(self.allow_networks)  # a bad CIDR fails at configuration time, not mid-fetch

    def refusal(self, addr: IPAddress) -> str | None:
        """Why ``addr`` may not be contacted under this policy, or None if it may."""
        if self.allow_private:
            return None
        v4 = addr.ipv4_mapped if isinstance(addr, ipaddress.IPv6Address) else None
        if any(a in net for net in _networks(self.allow_networks) for a in (addr, v4) if a):
            return None
        return non_public_reason(addr)


@lru_cache(maxsize=32)
def _networks(cidrs: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(cidr, strict=False) for cidr in cidrs)


async def default_resolver(host: str, port: int) -> list[str]:
    """Resolve ``host`` with the system resolver, without blocking the event loop."""
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))  # unique, in preference order


def build_http_client(
    policy: FetchPolicy = FetchPolicy(), *, verify: ssl.SSLContext | bool = True
) -> httpx.AsyncClient:
    """An ``httpx.AsyncClient`` configured for ``Fetcher``.

    No redirects (the fetcher follows them itself), no proxies or settings from the environment,
    no keep-alive (a pooled connection is keyed by IP and must not carry another name's TLS
    session), and no cookies (they would be stored against the IP, not the site).
    ``verify`` is passed to httpx: True, or an ``ssl.SSLContext`` for a private CA.
    The transport is made on the first request (:class:`TransportOnFirstUse`).
    """
    limits = httpx.Limits(max_keepalive_connections=0)
    return httpx.AsyncClient(
        headers={"User-Agent": USER_AGENT, "Accept": _ACCEPT},
        timeout=httpx.Timeout(policy.total_timeout, connect=policy.connect_timeout),
        follow_redirects=False,
        trust_env=False,
        cookies=CookieJar(policy=DefaultCookiePolicy(allowed_domains=[])),
        transport=TransportOnFirstUse(lambda: httpx.AsyncHTTPTransport(
            verify=verify, trust_env=False, limits=limits)),
    )


class TransportOnFirstUse(httpx.AsyncBaseTransport):
    """The client's transport, made on its first request.

    Making one loads the TLS trust store (certifi's roots): measured, a lazy transport takes
    ~50 ms off every ``parallax check`` of a file, which never sends a request.
    """

    def __init__(self, make: Callable[[], httpx.AsyncBaseTransport]) -> None:
        self._make = make
        self._transport: httpx.AsyncBaseTransport | None = None

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Send ``request`` through the transport, made now if it is the first."""
        if self._transport is None:
            self._transport = self._make()
        return await self._transport.handle_async_request(request)

    async def aclose(self) -> None:
        """Close the transport if one was made."""
        if self._transport is not None:
            await self._transport.aclose()


class Fetcher:
    """Fetches one URL at a time under a ``FetchPolicy``; the HTTP client is injected."""

    def __init__(
        self,
        client: httpx.AsyncClient,
        policy: FetchPolicy = FetchPolicy(),
        resolver: Resolver | None = None,
    ) -> None:
        self._client = client
        self._policy = policy
        self._resolve = resolver or default_resolver

    async def fetch(self, url: str, etag: str | None = None,
                    last_modified: str | None = None) -> RawDocument:
        """Fetch ``url``, following redirects, and return its bytes; raise ``FetchError``.

        With ``etag``/``last_modified`` (from an earlier fetch) the request is conditional:
        an unchanged resource comes back as a document with ``not_modified`` and no bytes.
        """
        conditional = {k: v for k, v in (("If-None-Match", etag),
                                         ("If-Modified-Since", last_modified)) if v}
        try:
            async with asyncio.timeout(self._policy.total_timeout):
                return await self._fetch(url, conditional)
        except TimeoutError:
            raise FetchError(
                f"timed out after {self._policy.total_timeout:g} s fetching {_label(url)}"
            ) from None
        except (httpx.HTTPError, httpx.InvalidURL, httpx.StreamError) as exc:
            # Safety net: the steps below translate what they expect; nothing httpx escapes.
            raise FetchError(f"could not fetch {_label(url)}: {_why(exc)}") from exc

    async def _fetch(self, url: str, conditional: dict[str, str]) -> RawDocument:
        target = _target(url)
        for _ in range(self._policy.max_redirects + 1):
            response = await self._open(target, conditional)
            try:
                location = response.headers.get("location")
                if response.status_code in _REDIRECTS and location:
                    target = _target(location, base=target)  # relative to the real name
                    continue
                return await self._read(url, target, response, bool(conditional))
            finally:
                await response.aclose()
        raise FetchError(f"too many redirects (more than {self._policy.max_redirects})")

    async def _open(self, target: httpx.URL, conditional: dict[str, str]) -> httpx.Response:
        host = target.raw_host.decode("ascii")
        addresses = await self._addresses(host, target.port or _DEFAULT_PORTS[target.scheme])
        literal = parse_host_address(host)
        extensions: dict[str, str] = {}
        if target.scheme == "https":  # verify the certificate against the name, not the IP
            extensions["sni_hostname"] = str(literal) if literal else host
        headers = {"Host": target.netloc.decode("ascii"), "Connection": "close",
                   "Accept-Encoding": _ACCEPT_ENCODING, **conditional}
        failure: Exception | None = None
        for address in addresses:  # try each checked address in turn, as happy eyeballs would
            try:
                pinned = target.copy_with(host=str(address))
                request = self._client.build_request(
                    "GET", pinned, headers=headers, extensions=extensions
                )
                for name in _PRIVATE_HEADERS:  # a shared client's secrets never go to a news site
                    request.headers.pop(name, None)
                # Explicit, whatever the injected client's defaults: we follow redirects ourselves.
                return await self._client.send(
                    request, stream=True, follow_redirects=False, auth=None
                )
            except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
                failure = exc
            except (httpx.HTTPError, httpx.InvalidURL) as exc:
                raise FetchError(f"could not fetch from {host}: {_why(exc)}") from exc
        raise FetchError(f"cannot connect to {host}: {_why(failure)}") from failure

    async def _addresses(self, host: str, port: int) -> list[IPAddress]:
        literal = parse_host_address(host)
        if literal is not None:
            candidates: list[IPAddress] = [literal]
        else:
            try:
                answers = await self._resolve(host, port)
                candidates = [ipaddress.ip_address(answer) for answer in answers]
            except (OSError, UnicodeError, ValueError) as exc:
                raise FetchError(f"cannot resolve host {host}") from exc
            if not candidates:
                raise FetchError(f"cannot resolve host {host}")
        for address in candidates:  # every one, or a round-robin answer could slip one through
            reason = self._policy.refusal(address)
            if reason is not None:
                # The refusal names the settings that let it through (parallax.toml's keys).
                raise FetchError(f"refused {host}: {address} is not a public address ({reason}); "
                                 "allowed_networks or allow_private_networks = true in "
                                 "parallax.toml lets it through")
        return candidates

    async def _read(self, source: str, target: httpx.URL, response: httpx.Response,
                    conditional: bool = False) -> RawDocument:
        host = target.raw_host.decode("ascii")
        if response.status_code == 304 and conditional:  # only an answer to our validators
            return RawDocument(data=b"", source=source, url=str(target), not_modified=True,
                               etag=response.headers.get("etag"),
                               last_modified=response.headers.get("last-modified"))
        if not 200 <= response.status_code < 300:
            raise FetchError(f"HTTP {response.status_code} from {host}")
        mime, charset = _content_type(response.headers.get("content-type"))
        allowed = self._policy.allowed_types
        generic = mime in _GENERIC_TYPES
        if mime is not None and mime not in allowed and not generic:
            raise FetchError(f"unsupported content type '{mime[:80]}'")
        codings = _codings(response.headers.get_list("content-encoding", split_commas=True))
        limit = self._policy.max_bytes
        declared = response.headers.get("content-length", "").strip()
        if declared.isdigit() and int(declared) > limit:  # refuse before reading a byte
            raise FetchError(f"response too large: more than {_size(limit)}")
        data = await self._body(response, host, limit, codings)
        if mime is None or generic:
            # No type that says anything: accept the body only if it looks like text, and say
            # which; a generic type that hides binary is refused under its own name.
            sniffed = _sniff(data)
            if sniffed is None or sniffed not in allowed:
                if generic:
                    raise FetchError(f"unsupported content type '{mime}'")
                raise FetchError("unsupported content type: none declared and the body is not text")
            mime = sniffed
        return RawDocument(
            data=data, source=source, content_type=mime, charset=charset, url=str(target),
            etag=response.headers.get("etag"), last_modified=response.headers.get("last-modified"),
        )

    @staticmethod
    async def _body(response: httpx.Response, host: str, limit: int,
                    codings: list[str]) -> bytes:
        body = bytearray()
        decoder = _Decoder(codings, limit)
        received = 0
        try:
            # Raw bytes, decompressed by _Decoder in bounded pieces, each layer counted.
            async for chunk in response.aiter_raw():
                received += len(chunk)
                if received > limit:
                    raise _TooLarge
                for piece in decoder.decode(chunk):
                    if len(body) + len(piece) > limit:
                        raise _TooLarge
                    body += piece
        except _TooLarge:
            raise FetchError(f"response too large: more than {_size(limit)}") from None
        except zlib.error as exc:
            raise FetchError(f"could not decompress the response from {host}") from exc
        except httpx.HTTPError as exc:
            raise FetchError(f"could not read the response from {host}: {_why(exc)}") from exc
        return bytes(body)


class _TooLarge(Exception):
    """Some layer of the body produced more bytes than the limit (becomes a FetchError)."""


def _codings(values: list[str]) -> list[str]:
    """The Content-Encoding layers in the order they were applied; FetchError if unsupported."""
    codings: list[str] = []
    for value in values:
        name = value.strip().lower()
        if name in ("", "identity"):
            continue
        if name not in _CODINGS:
            raise FetchError(f"unsupported content encoding '{name[:40]}'")
        codings.append(_CODINGS[name])
    if len(codings) > _MAX_CODINGS:
        raise FetchError(f"too many content encodings ({len(codings)}; at most {_MAX_CODINGS})")
    return codings


class _Decoder:
    """Undoes a body's content codings, last applied first, a bounded piece at a time."""

    def __init__(self, codings: list[str], limit: int) -> None:
        self._layers = [_Layer(coding) for coding in reversed(codings)]
        self._produced = [0] * len(self._layers)
        self._limit = limit

    def decode(self, data: bytes) -> Iterator[bytes]:
        """The decoded bytes of the next raw chunk, in pieces of at most 64 KB."""
        return self._through(0, data)

    def _through(self, index: int, data: bytes) -> Iterator[bytes]:
        if index == len(self._layers):
            yield data
            return
        for piece in self._layers[index].pieces(data):
            # Every layer counts, not just the last: an inner layer of several megabytes is a
            # bomb in the making even before its own output is seen.
            self._produced[index] += len(piece)
            if self._produced[index] > self._limit:
                raise _TooLarge
            yield from self._through(index + 1, piece)


class _Layer:
    """One gzip or deflate layer, fed in chunks, inflated at most ``_PIECE`` bytes per call.

    gzip may hold several members one after the other (as ``gzip.decompress`` reads them);
    bytes after the last member are ignored, as browsers ignore them. "deflate" is meant to be
    zlib-wrapped, but many servers send raw deflate: the first two bytes decide which.
    """

    def __init__(self, coding: str) -> None:
        self._gzip = coding == "gzip"
        self._inflater: zlib._Decompress | None = self._new() if self._gzip else None
        self._held = b""  # bytes waiting until there are enough to decide (header, next member)
        self._done = False

    def _new(self, wbits: int = 16 + zlib.MAX_WBITS) -> zlib._Decompress:
        return zlib.decompressobj(wbits)

    def pieces(self, data: bytes) -> Iterator[bytes]:
        """Inflate ``data`` (the next input bytes), yielding at most ``_PIECE`` bytes a time."""
        data = self._held + data
        self._held = b""
        while data and not self._done:
            if self._inflater is None:  # deflate, or a new gzip member: look at two bytes
                if len(data) < 2:
                    self._held = data
                    return
                if self._gzip and not data.startswith(b"\x1f\x8b"):
                    self._done = True  # trailing bytes after the last member
                    return
                self._inflater = self._new(16 + zlib.MAX_WBITS if self._gzip else
                                           zlib.MAX_WBITS if _zlib_header(data) else
                                           -zlib.MAX_WBITS)
            inflater = self._inflater
            while True:
                out = inflater.decompress(data, _PIECE)
                data = inflater.unconsumed_tail
                if out:
                    yield out
                if inflater.eof or (not data and len(out) < _PIECE):
                    break  # a full piece may leave more output pending: ask again
            if not inflater.eof:
                return
            data = inflater.unused_data
            self._inflater = None
            self._done = not self._gzip


def _zlib_header(data: bytes) -> bool:
    # RFC 1950: compression method 8 in the low nibble, and the two bytes a multiple of 31.
    return data[0] & 0x0F == 8 and (data[0] << 8 | data[1]) % 31 == 0


def _target(url: str, base: httpx.URL | None = None) -> httpx.URL:
    """Parse ``url`` (relative to ``base`` for a redirect) and apply the per-hop URL rules."""
    try:
        target = base.join(url) if base is not None else httpx.URL(url)
    except (httpx.InvalidURL, TypeError, ValueError) as exc:
        raise FetchError("invalid URL: it cannot be parsed") from exc
    if target.scheme not in _DEFAULT_PORTS:
        what = f"unsupported scheme '{target.scheme[:20]}'" if target.scheme else "not absolute"
        raise FetchError(f"{what}: only http and https URLs can be fetched")
    if target.userinfo:
        raise FetchError("URLs with credentials (user:password@) are not fetched")
    if not target.raw_host:
        raise FetchError("invalid URL: it has no host")
    return target


def _content_type(header: str | None) -> tuple[str | None, str | None]:
    mime = (header or "").split(";")[0].strip().lower()
    parsed = Message()
    parsed["Content-Type"] = header or ""
    return mime or None, parsed.get_content_charset() or None  # unquoted, lower-cased


def _sniff(data: bytes) -> str | None:
    head = data[:1024]
    # The judgement decode() will make: signatures and the share of control bytes, so one
    # stray NUL does not refuse a page, and UTF-16 (BOM or NUL pattern) is text.
    if binary_reason(head) is not None:
        return None
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "text/plain"
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith(b"<?xml") or _FEED_ROOT.match(start):
        return "application/xml"
    if start.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<!--", b"<meta")):
        return "text/html"
    return "text/plain"


_FEED_ROOT = re.compile(rb"<(?:rss|feed|rdf:rdf)[\s>/]")


def _size(limit: int) -> str:
    for unit, scale in (("GB", 10**9), ("MB", 10**6), ("KB", 10**3)):
        if limit >= scale:
            return f"{limit / scale:.3g} {unit}"
    return f"{limit} bytes"


def _label(url: str) -> str:
    # The host alone: paths and queries can hold tokens, and messages must never leak secrets.
    try:
        return httpx.URL(url).raw_host.decode("ascii") or "the URL"
    except (httpx.InvalidURL, TypeError, ValueError, UnicodeError):
        return "the URL"


def _why(exc: BaseException | None) -> str:
    # Masked before the cut: cut first, a key in a quoted URL could keep its prefix.
    text = mask(str(exc)).strip().splitlines()[0][:200] if str(exc).strip() else ""
    return text or type(exc).__name__

"""SSRF-safe fetching of http(s) URLs.

Each hop (the URL, then every redirect) is checked from scratch: scheme, credentials, host. The
host is resolved once, every address must be allowed, and the request goes to the checked IP
itself (URL rewritten to the IP, original ``Host`` header, and for https the real name as TLS
SNI so the certificate is verified against it): a second DNS answer never reaches the socket, so
DNS rebinding cannot work. A total deadline covers the whole fetch, bodies are capped after
decompression, and every failure is a one-line ``FetchError`` naming the host, never the URL.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import ssl
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from email.message import Message
from functools import lru_cache
from http.cookiejar import CookieJar, DefaultCookiePolicy

import httpx

from bot.errors import FetchError
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
# Control bytes that never occur in text (the WHATWG MIME sniffing "binary data bytes").
_BINARY_BYTES = frozenset([*range(0x00, 0x09), 0x0B, *range(0x0E, 0x1B), *range(0x1C, 0x20)])


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
        "application/rss+xml",
        "application/atom+xml",
        "application/xml",
        "text/xml",
        "application/rdf+xml",
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
    """
    return httpx.AsyncClient(
        headers={"User-Agent": USER_AGENT, "Accept": _ACCEPT},
        timeout=httpx.Timeout(policy.total_timeout, connect=policy.connect_timeout),
        follow_redirects=False,
        trust_env=False,
        limits=httpx.Limits(max_keepalive_connections=0),
        cookies=CookieJar(policy=DefaultCookiePolicy(allowed_domains=[])),
        verify=verify,
    )


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
        headers = {"Host": target.netloc.decode("ascii"), "Connection": "close", **conditional}
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
                raise FetchError(f"refused {host}: {address} is not a public address ({reason})")
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
        if mime is not None and mime not in allowed:
            raise FetchError(f"unsupported content type '{mime[:80]}'")
        limit = self._policy.max_bytes
        declared = response.headers.get("content-length", "").strip()
        if declared.isdigit() and int(declared) > limit:  # refuse before reading a byte
            raise FetchError(f"response too large: more than {_size(limit)}")
        data = await self._body(response, host, limit)
        if mime is None:
            # No declared type: accept the body only if it looks like text, and say which.
            mime = _sniff(data)
            if mime is None or mime not in allowed:
                raise FetchError("unsupported content type: none declared and the body is not text")
        return RawDocument(
            data=data, source=source, content_type=mime, charset=charset, url=str(target),
            etag=response.headers.get("etag"), last_modified=response.headers.get("last-modified"),
        )

    @staticmethod
    async def _body(response: httpx.Response, host: str, limit: int) -> bytes:
        chunks: list[bytes] = []
        total = 0
        try:
            # aiter_bytes yields decompressed bytes, so a gzip bomb is counted as it inflates.
            async for chunk in response.aiter_bytes():
                total += len(chunk)
                if total > limit:
                    raise FetchError(f"response too large: more than {_size(limit)}")
                chunks.append(chunk)
        except httpx.DecodingError as exc:
            raise FetchError(f"could not decompress the response from {host}") from exc
        except httpx.HTTPError as exc:
            raise FetchError(f"could not read the response from {host}: {_why(exc)}") from exc
        return b"".join(chunks)


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
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 text carries NULs; its BOM says so
        return "text/plain"
    if any(byte in _BINARY_BYTES for byte in head):
        return None
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith(b"<?xml"):
        return "application/xml"
    if start.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<!--", b"<meta")):
        return "text/html"
    return "text/plain"


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

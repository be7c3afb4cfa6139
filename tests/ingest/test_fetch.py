"""The SSRF-safe fetcher against a real loopback HTTP server.

The seam: an injected resolver maps test names (``news.test``) to loopback addresses, and
``FetchPolicy.allow_networks=("127.0.0.1/32",)`` says "treat this one loopback address as
public". Everything else keeps the production rules, so 127.0.0.2 (a second, "internal" server),
disguised forms of loopback and every private range are still refused. Tests whose URL names a
non-loopback address use a client whose transport fails the test if anything is sent.
"""

from __future__ import annotations

import gzip
import socket
import ssl
import subprocess
import sys
import time
import zlib
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio

from bot.errors import FetchError
from bot.ingest.feed import parse_feed
from bot.ingest.fetch import USER_AGENT, Fetcher, FetchPolicy, build_http_client
from tests.fakes.http_server import HTTPServer, Reply, gzip_bomb

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "data" / "corpus"

FAST = FetchPolicy(connect_timeout=2.0, total_timeout=5.0)
# The seam: this one loopback address counts as public; every other rule stays as in production.
PUBLIC_LOOPBACK = FetchPolicy(
    connect_timeout=2.0, total_timeout=5.0, allow_networks=("127.0.0.1/32",)
)
HTML = "<!doctype html><title>Hi</title><p>Bonjour le monde.</p>"


class FakeDNS:
    """A resolver that knows only the names it is given, and counts its lookups."""

    def __init__(self, names: dict[str, list[str]]) -> None:
        self.names = names
        self.calls: list[str] = []

    async def __call__(self, host: str, port: int) -> list[str]:
        self.calls.append(host)
        if host not in self.names:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return self.names[host]


class NoNetwork:
    """An httpx client whose transport records instead of connecting: nothing leaves memory."""

    def __init__(self) -> None:
        self.sent: list[httpx.Request] = []
        self.client = httpx.AsyncClient(transport=httpx.MockTransport(self._handle))

    def _handle(self, request: httpx.Request) -> httpx.Response:
        self.sent.append(request)
        return httpx.Response(599)


@pytest_asyncio.fixture
async def server() -> AsyncIterator[HTTPServer]:
    async with HTTPServer() as running:
        yield running


@pytest_asyncio.fixture
async def internal() -> AsyncIterator[HTTPServer]:
    """A second server on 127.0.0.2: the 'internal service' a redirect must never reach."""
    try:
        running = await HTTPServer("127.0.0.2").start()
    except OSError:
        pytest.skip("127.0.0.2 is not bindable on this machine")
    yield running
    await running.close()


@pytest_asyncio.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with build_http_client(PUBLIC_LOOPBACK) as http:
        yield http


@pytest_asyncio.fixture
async def offline() -> AsyncIterator[NoNetwork]:
    no_network = NoNetwork()
    yield no_network
    await no_network.client.aclose()


async def refused(fetcher: Fetcher, url: str) -> str:
    with pytest.raises(FetchError) as caught:
        await fetcher.fetch(url)
    return caught.value.reason


# -- private and disguised addresses ------------------------------------------------------------


@pytest.mark.parametrize(
    "host",
    [
        "127.0.0.1",
        "2130706433",
        "127.1",
        "127.0.1",
        "0x7f000001",
        "017700000001",
        "0x7f.1",
        "0x7f.0.0.0x1",
        "127.0.0.1.",
        "[::ffff:127.0.0.1]",
        "[::1]",
        "0",
        "localhost",
    ],
)
@pytest.mark.asyncio
async def test_loopback_in_any_form_is_refused_before_a_request(
    server: HTTPServer, client: httpx.AsyncClient, host: str
) -> None:
    reason = await refused(Fetcher(client, FAST), server.url("/", host=host))
    assert "not a public address" in reason
    assert server.requests == []


@pytest.mark.parametrize("host", ["0177.0.0.1", "１２７.０.０.１", "127.0.0.1%00.news.test"])
@pytest.mark.asyncio
async def test_loopback_forms_httpx_cannot_parse_are_refused(
    server: HTTPServer, client: httpx.AsyncClient, host: str
) -> None:
    # httpx rejects a dotted quad with leading zeros and non-ASCII digits outright: still refused.
    await refused(Fetcher(client, FAST), server.url("/", host=host))
    assert server.requests == []


@pytest.mark.parametrize(
    "url",
    [
        "http://[fd00::1]/",
        "http://169.254.169.254/latest/meta-data/",
        "http://2852039166/",
        "http://10.0.0.1/",
        "http://192.168.1.1:8080/admin",
        "http://172.16.0.1/",
        "http://100.64.0.1/",
        "http://198.18.0.1/",
        "http://[fe80::1%25eth0]/",
        "http://[64:ff9b::a9fe:a9fe]/",
        "http://[2002:a9fe:a9fe::1]/",
        "http://224.0.0.1/",
        "https://[fd00::1]/",
        "http://[fec0::1]/",
        "http://0.0.0.0/",
    ],
)
@pytest.mark.asyncio
async def test_private_addresses_are_refused(offline: NoNetwork, url: str) -> None:
    reason = await refused(Fetcher(offline.client), url)
    assert "not a public address" in reason
    assert offline.sent == []


@pytest.mark.asyncio
async def test_a_public_looking_name_resolving_to_loopback_is_refused(
    server: HTTPServer, client: httpx.AsyncClient
) -> None:
    dns = FakeDNS({"public.example": ["127.0.0.1"]})
    reason = await refused(Fetcher(client, FAST, dns), server.url("/", host="public.example"))
    assert reason == ("refused public.example: 127.0.0.1 is not a public address (loopback); "
                      "allowed_networks or allow_private_networks = true in parallax.toml "
                      "lets it through")
    assert server.requests == []


@pytest.mark.asyncio
async def test_every_resolved_address_must_be_public(offline: NoNetwork) -> None:
    dns = FakeDNS({"mixed.example": ["93.184.216.34", "10.0.0.1"]})
    reason = await refused(Fetcher(offline.client, resolver=dns), "http://mixed.example/")
    assert "10.0.0.1" in reason
    assert offline.sent == []


@pytest.mark.parametrize("host", ["127.0.0.1", "2130706433", "localhost"])
@pytest.mark.asyncio
async def test_allow_private_fetches_from_loopback(
    server: HTTPServer, client: httpx.AsyncClient, host: str
) -> None:
    server.page("/page", HTML)
    policy = FetchPolicy(allow_private=True, total_timeout=5.0)
    doc = await Fetcher(client, policy).fetch(server.url("/page", host=host))
    assert doc.data == HTML.encode()
    assert server.paths == ["/page"]


# -- the connection goes to the checked address -------------------------------------------------


@pytest.mark.asyncio
async def test_the_connection_goes_to_the_checked_ip_with_the_real_host(
    server: HTTPServer, client: httpx.AsyncClient
) -> None:
    # news.test does not resolve on this machine: only the pinned, checked IP can be reached.
    server.page("/a", HTML)
    dns = FakeDNS({"news.test": ["127.0.0.1"]})
    url = server.url("/a?id=1", host="news.test")
    doc = await Fetcher(client, PUBLIC_LOOPBACK, dns).fetch(url)
    assert server.requests[0].host == f"news.test:{server.port}"
    assert server.requests[0].target == "/a?id=1"
    assert server.requests[0].headers["user-agent"] == USER_AGENT
    assert dns.calls == ["news.test"]  # one lookup: no second answer can rebind the connection
    assert (doc.source, doc.url, doc.content_type, doc.charset) == (url, url, "text/html", "utf-8")


@pytest.mark.asyncio
async def test_an_idn_host_is_resolved_and_sent_as_punycode(
    server: HTTPServer, client: httpx.AsyncClient
) -> None:
    server.page("/", HTML)
    dns = FakeDNS({"xn--bcher-kva.test": ["127.0.0.1"]})
    await Fetcher(client, PUBLIC_LOOPBACK, dns).fetch(server.url("/", host="Bücher.test"))
    assert server.requests[0].host == f"xn--bcher-kva.test:{server.port}"


@pytest.mark.asyncio
async def test_falls_back_to_the_next_checked_address(server: HTTPServer) -> None:
    server.page("/", HTML)
    policy = FetchPolicy(total_timeout=5.0, allow_networks=("127.0.0.0/8",))
    dns = FakeDNS({"news.test": ["127.0.0.3", "127.0.0.1"]})  # nothing listens on 127.0.0.3
    async with build_http_client(policy) as http:
        doc = await Fetcher(http, policy, dns).fetch(server.url("/", host="news.test"))
    assert doc.data == HTML.encode()


# -- redirects ---------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_redirects_are_followed_and_checked_again(
    server: HTTPServer, client: httpx.AsyncClient
) -> None:
    server.redirect("/start", "/moved", 301)
    server.redirect("/moved", f"http://mirror.test:{server.port}/article", 307)
    server.page("/article", HTML)
    dns = FakeDNS({"news.test": ["127.0.0.1"], "mirror.test": ["127.0.0.1"]})
    start = server.url("/start", host="news.test")
    doc = await Fetcher(client, PUBLIC_LOOPBACK, dns).fetch(start)
    assert server.paths == ["/start", "/moved", "/article"]
    assert [r.host for r in server.requests][-1] == f"mirror.test:{server.port}"
    assert dns.calls == ["news.test", "news.test", "mirror.test"]
    assert (doc.source, doc.url) == (start, server.url("/article", host="mirror.test"))


@pytest.mark.parametrize(
    "location",
    [
        "http://127.0.0.2:{port}/secret",
        "http://intranet.test:{port}/secret",
        "http://[::ffff:127.0.0.2]:{port}/secret",
        "http://2130706434:{port}/secret",
        "http://both.test:{port}/secret",
    ],
)
@pytest.mark.asyncio
async def test_a_redirect_to_an_internal_address_is_refused(
    server: HTTPServer, internal: HTTPServer, client: httpx.AsyncClient, location: str
) -> None:
    server.redirect("/start", location.format(port=internal.port))
    internal.page("/secret", "credentials")
    dns = FakeDNS(
        {
            "news.test": ["127.0.0.1"],
            "intranet.test": ["127.0.0.2"],
            "both.test": ["127.0.0.1", "127.0.0.2"],
        }
    )
    reason = await refused(Fetcher(client, PUBLIC_LOOPBACK, dns), server.url("/start", "news.test"))
    assert "127.0.0.2 is not a public address" in reason or "::ffff:127.0.0.2" in reason
    assert server.paths == ["/start"]
    assert internal.requests == []


@pytest.mark.asyncio
async def test_an_injected_client_cannot_weaken_the_rules(
    server: HTTPServer, internal: HTTPServer
) -> None:
    # A shared client that follows redirects and carries credentials for some API.
    server.redirect("/start", f"http://127.0.0.2:{internal.port}/secret")
    shared = httpx.AsyncClient(
        follow_redirects=True, headers={"Authorization": "Bearer sk-test"}, cookies={"sid": "1"}
    )
    async with shared:
        reason = await refused(Fetcher(shared, PUBLIC_LOOPBACK), server.url("/start"))
    assert "127.0.0.2 is not a public address" in reason
    assert internal.requests == []
    assert "authorization" not in server.requests[0].headers
    assert "cookie" not in server.requests[0].headers


@pytest.mark.asyncio
async def test_a_redirect_to_the_metadata_service_is_refused() -> None:
    sent: list[httpx.URL] = []

    def handle(request: httpx.Request) -> httpx.Response:
        sent.append(request.url)
        return httpx.Response(302, headers={"Location": "http://169.254.169.254/latest/meta-data/"})

    policy = FetchPolicy(allow_networks=("93.184.216.0/24",))
    async with httpx.AsyncClient(transport=httpx.MockTransport(handle)) as http:
        dns = FakeDNS({"news.example": ["93.184.216.34"]})
        reason = await refused(Fetcher(http, policy, dns), "http://news.example/")
    assert "169.254.169.254 is not a public address (link-local)" in reason
    assert [str(url) for url in sent] == ["http://93.184.216.34/"]


@pytest.mark.asyncio
async def test_a_redirect_loop_stops_after_the_limit(
    server: HTTPServer, client: httpx.AsyncClient
) -> None:
    server.redirect("/loop", "/loop")
    dns = FakeDNS({"news.test": ["127.0.0.1"]})
    reason = await refused(Fetcher(client, PUBLIC_LOOPBACK, dns), server.url("/loop", "news.test"))
    assert reason == "too many redirects (more than 5)"
    assert len(server.requests) == 6  # the first request and five redirects


@pytest.mark.parametrize(
    ("location", "expected"),
    [
        ("ftp://news.test/file", "unsupported scheme 'ftp'"),
        ("file:///etc/passwd", "unsupported scheme 'file'"),
        ("http://admin:hunter2@news.test/", "credentials"),
    ],
)
@pytest.mark.asyncio
async def test_a_redirect_is_checked_like_a_first_url(
    server: HTTPServer, client: httpx.AsyncClient, location: str, expected: str
) -> None:
    server.redirect("/start", location)
    dns = FakeDNS({"news.test": ["127.0.0.1"]})
    reason = await refused(Fetcher(client, PUBLIC_LOOPBACK, dns), server.url("/start", "news.test"))
    assert expected in reason
    assert "hunter2" not in reason
    assert server.paths == ["/start"]


# -- limits ------------------------------------------------------------------------------------

SMALL = FetchPolicy(max_bytes=100_000, total_timeout=5.0, allow_networks=("127.0.0.1/32",))


@pytest.mark.parametrize("declare_length", [True, False])
@pytest.mark.asyncio
async def test_an_oversize_body_is_refused(
    server: HTTPServer, client: httpx.AsyncClient, declare_length: bool
) -> None:
    server.oversize("/big", 400_000, declare_length=declare_length)
    reason = await refused(Fetcher(client, SMALL), server.url("/big"))
    assert reason == "response too large: more than 100 KB"


@pytest.mark.asyncio
async def test_a_gzip_bomb_is_stopped_by_its_inflated_size(
    server: HTTPServer, client: httpx.AsyncClient
) -> None:
    server.gzip_page("/bomb", b"a" * 20_000_000)
    compressed = server.routes["/bomb"]
    assert isinstance(compressed, Reply)
    assert len(compressed.body) < SMALL.max_bytes  # small on the wire, 200 times the limit inflated
    reason = await refused(Fetcher(client, SMALL), server.url("/bomb"))
    assert reason == "response too large: more than 100 KB"


@pytest.mark.asyncio
async def test_a_gzip_page_is_returned_decompressed(
    server: HTTPServer, client: httpx.AsyncClient
) -> None:
    server.gzip_page("/page", HTML.encode())
    doc = await Fetcher(client, SMALL).fetch(server.url("/page"))
    assert doc.data == HTML.encode()


# -- content codings: decompressed here, in bounded pieces, every layer counted ---------------


class CountingInflaters:
    """Wraps zlib.decompressobj (httpx's and ours alike) to see how much each call inflates."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.largest = 0  # bytes returned by one decompress() call
        self.total = 0
        real = zlib.decompressobj
        counter = self

        class Inflater:
            def __init__(self, *args: Any, **kwargs: Any) -> None:
                self._real = real(*args, **kwargs)

            def decompress(self, data: bytes, max_length: int = 0) -> bytes:
                out = self._real.decompress(data, max_length)
                counter.largest = max(counter.largest, len(out))
                counter.total += len(out)
                return out

            def flush(self, *args: Any) -> bytes:
                out = self._real.flush(*args)
                counter.total += len(out)
                return out

            def __getattr__(self, name: str) -> Any:  # eof, unconsumed_tail, unused_data
                return getattr(self._real, name)

        monkeypatch.setattr(zlib, "decompressobj", Inflater)


def serve_chunked(server: HTTPServer, path: str, data: bytes, coding: str, size: int = 16_384,
                  ) -> None:
    """Serve ``data`` with ``coding`` in chunks of ``size`` bytes, without a Content-Length."""

    async def chunks() -> AsyncIterator[bytes]:
        for start in range(0, len(data), size):
            yield data[start : start + size]

    headers = [("Content-Type", "text/html"), ("Content-Encoding", coding)]
    server.routes[path] = Reply(headers=headers, chunks=chunks)


@pytest.mark.parametrize(("layers", "coding"), [(1, "gzip"), (2, "gzip, gzip"),
                                                (3, "gzip,gzip, x-gzip")])
@pytest.mark.asyncio
async def test_a_stacked_gzip_bomb_is_stopped_without_inflating_it(
    server: HTTPServer, client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch,
    layers: int, coding: str,
) -> None:
    bomb = gzip_bomb(256 << 20, layers)  # 256 MiB inflated, a few kilobytes on the wire
    serve_chunked(server, "/bomb", bomb, coding)  # no Content-Length to refuse it early
    inflaters = CountingInflaters(monkeypatch)
    reason = await refused(Fetcher(client, SMALL), server.url("/bomb"))
    assert reason == "response too large: more than 100 KB"
    # No call may inflate more than one piece, nor all layers together much more than the
    # limit: memory stays bounded whatever the ratio (httpx inflated 64 MB in one call).
    assert inflaters.largest <= 65_536
    assert inflaters.total <= layers * (SMALL.max_bytes + 65_536)


@pytest.mark.parametrize(
    ("coding", "encode"),
    [
        ("gzip", gzip.compress),
        ("x-gzip", gzip.compress),
        ("GZIP, gzip", lambda data: gzip.compress(gzip.compress(data))),
        ("deflate", zlib.compress),  # zlib-wrapped, as the RFC says
        ("deflate", lambda data: zlib.compress(data)[2:-4]),  # raw, as many servers send it
        ("deflate, gzip", lambda data: gzip.compress(zlib.compress(data))),
        ("gzip", lambda data: gzip.compress(data[:20]) + gzip.compress(data[20:])),  # 2 members
        ("gzip", lambda data: gzip.compress(data) + b"\x00\x00trailing junk"),
        ("identity", lambda data: data),
        ("", lambda data: data),
    ],
)
@pytest.mark.asyncio
async def test_compressed_pages_are_returned_decompressed(
    server: HTTPServer, client: httpx.AsyncClient, coding: str,
    encode: Callable[[bytes], bytes],
) -> None:
    page = (HTML * 400).encode()  # several pieces once inflated
    server.page("/page", encode(page), headers=[("Content-Encoding", coding)])
    doc = await Fetcher(client, SMALL).fetch(server.url("/page"))
    assert doc.data == page


@pytest.mark.asyncio
async def test_a_compressed_page_trickled_byte_by_byte_is_decompressed(
    server: HTTPServer, client: httpx.AsyncClient
) -> None:
    page = (HTML * 50).encode()
    for coding, packed in (("gzip", gzip.compress(page)), ("deflate", zlib.compress(page))):
        serve_chunked(server, "/slow", packed, coding, size=1)
        doc = await Fetcher(client, SMALL).fetch(server.url("/slow"))
        assert doc.data == page


@pytest.mark.parametrize("coding", ["br", "zstd", "compress", "gzip, br", "rot13"])
@pytest.mark.asyncio
async def test_an_unsupported_content_encoding_is_refused(
    server: HTTPServer, client: httpx.AsyncClient, coding: str
) -> None:
    server.page("/packed", b"\x8b\x00 compressed somehow", headers=[("Content-Encoding", coding)])
    reason = await refused(Fetcher(client, SMALL), server.url("/packed"))
    assert reason == f"unsupported content encoding '{coding.split(', ')[-1]}'"


@pytest.mark.asyncio
async def test_more_than_three_layers_are_refused(
    server: HTTPServer, client: httpx.AsyncClient
) -> None:
    data = HTML.encode()
    for _ in range(4):
        data = gzip.compress(data)
    server.page("/deep", data, headers=[("Content-Encoding", "gzip, gzip, gzip, gzip")])
    reason = await refused(Fetcher(client, SMALL), server.url("/deep"))
    assert reason == "too many content encodings (4; at most 3)"


@pytest.mark.asyncio
async def test_a_corrupt_gzip_body_is_a_one_line_error(
    server: HTTPServer, client: httpx.AsyncClient
) -> None:
    server.page("/broken", b"\x1f\x8b\x08\x00garbage" * 10, headers=[("Content-Encoding", "gzip")])
    reason = await refused(Fetcher(client, SMALL), server.url("/broken"))
    assert reason == "could not decompress the response from 127.0.0.1"


@pytest.mark.asyncio
async def test_only_the_codings_it_can_undo_are_asked_for(
    server: HTTPServer, client: httpx.AsyncClient
) -> None:
    server.page("/page", HTML)
    await Fetcher(client, SMALL).fetch(server.url("/page"))
    assert server.requests[-1].headers["accept-encoding"] == "gzip, deflate"


# The child reads its own VmHWM, not ru_maxrss: Linux carries ru_maxrss over exec (from the
# parent's memory, with vfork), so a child of a large pytest process would report the parent's
# peak. VmHWM belongs to the child's own address space.
PEAK_RSS = """
import asyncio, re, sys
from bot.errors import FetchError
from bot.ingest.fetch import Fetcher, FetchPolicy, build_http_client
from tests.fakes.http_server import HTTPServer, gzip_bomb

async def main(layers: int) -> None:
    policy = FetchPolicy(allow_networks=("127.0.0.1/32",))  # the production 5 MB limit
    async with HTTPServer() as server, build_http_client(policy) as client:
        if layers:
            coding = ", ".join(["gzip"] * layers)
            server.page("/", gzip_bomb(256 << 20, layers), headers=[("Content-Encoding", coding)])
        else:
            server.page("/", "<!doctype html><title>Hi</title><p>An ordinary page.</p>")
        try:
            await Fetcher(client, policy).fetch(server.url("/"))
        except FetchError as exc:
            print(exc.reason)
    with open("/proc/self/status") as status:
        print(re.search(r"VmHWM:\\s*(\\d+) kB", status.read()).group(1))

asyncio.run(main(int(sys.argv[1])))
"""


def peak_rss(layers: int) -> tuple[str, int]:
    """(what the fetch said, peak RSS in KiB) of one fetch in a fresh process."""
    done = subprocess.run([sys.executable, "-c", PEAK_RSS, str(layers)], cwd=ROOT, check=True,
                          capture_output=True, text=True, timeout=120)
    *said, peak = done.stdout.split("\n")[:-1]
    return "".join(said), int(peak)


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux's /proc")
def test_a_refused_bomb_costs_little_more_memory_than_an_ordinary_fetch() -> None:
    _, ordinary = peak_rss(0)
    for layers in (1, 2):
        said, peak = peak_rss(layers)
        assert said == "response too large: more than 5 MB"
        # Generous: the body may reach the 5 MB limit and be copied once (before: +160 MB for
        # one layer, +500 MB for two, for a 256 MiB bomb).
        assert peak - ordinary < 50_000, (layers, peak, ordinary)


@pytest.mark.asyncio
async def test_a_trickling_server_is_cut_by_the_total_timeout(
    server: HTTPServer, client: httpx.AsyncClient
) -> None:
    server.trickle("/slow", interval=0.05)  # each read is quick: only a total deadline stops it
    policy = FetchPolicy(total_timeout=0.4, allow_networks=("127.0.0.1/32",))
    started = time.monotonic()
    reason = await refused(Fetcher(client, policy), server.url("/slow"))
    assert reason == "timed out after 0.4 s fetching 127.0.0.1"
    # It waited the deadline, and was cut long before the 500 s trickle ends (a busy machine
    # stretches the wait, never shortens it).
    assert 0.3 < time.monotonic() - started < 60


# -- status and content type -------------------------------------------------------------------


@pytest.mark.parametrize("status", [404, 500, 304])
@pytest.mark.asyncio
async def test_a_non_2xx_status_is_an_error(
    server: HTTPServer, client: httpx.AsyncClient, status: int
) -> None:
    server.page("/gone", "no", status=status)
    dns = FakeDNS({"news.test": ["127.0.0.1"]})
    url = server.url("/gone?token=s3cret", host="news.test")
    reason = await refused(Fetcher(client, PUBLIC_LOOPBACK, dns), url)
    assert reason == f"HTTP {status} from news.test"


@pytest.mark.parametrize("content_type", ["image/png", "application/octet-stream", "video/mp4"])
@pytest.mark.asyncio
async def test_an_unsupported_content_type_is_refused(
    server: HTTPServer, client: httpx.AsyncClient, content_type: str
) -> None:
    server.page("/file", b"\x89PNG\r\n\x1a\n", content_type=content_type)
    reason = await refused(Fetcher(client, PUBLIC_LOOPBACK), server.url("/file"))
    assert reason == f"unsupported content type '{content_type}'"


@pytest.mark.parametrize(
    ("header", "content_type", "charset"),
    [
        ('text/html; charset="ISO-8859-1"', "text/html", "iso-8859-1"),
        ("Application/RSS+XML", "application/rss+xml", None),
        ("text/plain;format=flowed; charset=utf-8", "text/plain", "utf-8"),
    ],
)
@pytest.mark.asyncio
async def test_content_type_and_charset_are_reported(
    server: HTTPServer,
    client: httpx.AsyncClient,
    header: str,
    content_type: str,
    charset: str | None,
) -> None:
    server.page("/doc", "text", content_type=header)
    doc = await Fetcher(client, PUBLIC_LOOPBACK).fetch(server.url("/doc"))
    assert (doc.content_type, doc.charset) == (content_type, charset)


@pytest.mark.parametrize(
    ("body", "sniffed"),
    [
        (HTML.encode(), "text/html"),
        (b"<?xml version='1.0'?><rss/>", "application/xml"),
        (b"Plain words.\n", "text/plain"),
    ],
)
@pytest.mark.asyncio
async def test_a_missing_content_type_is_sniffed_as_text(
    server: HTTPServer, client: httpx.AsyncClient, body: bytes, sniffed: str
) -> None:
    server.page("/bare", body, content_type=None)
    doc = await Fetcher(client, PUBLIC_LOOPBACK).fetch(server.url("/bare"))
    assert doc.content_type == sniffed


@pytest.mark.parametrize(
    "content_type",
    ["application/x-rss+xml", "application/x-atom+xml", "application/rss+xml; charset=utf-8",
     "text/xml", "application/rdf+xml"],
)
@pytest.mark.asyncio
async def test_feed_content_types_in_use_are_accepted(
    server: HTTPServer, client: httpx.AsyncClient, content_type: str
) -> None:
    server.page("/feed", "<?xml version='1.0'?><rss version='2.0'/>", content_type=content_type)
    doc = await Fetcher(client, PUBLIC_LOOPBACK).fetch(server.url("/feed"))
    assert doc.content_type == content_type.split(";")[0]


@pytest.mark.parametrize("content_type", ["application/x-rss+xml", "application/octet-stream",
                                          "text/plain", None])
@pytest.mark.asyncio
async def test_a_feed_under_any_type_in_use_is_fetched_and_parsed(
    server: HTTPServer, client: httpx.AsyncClient, content_type: str | None
) -> None:
    # What `feeds add` does: fetch, then parse. The corpus feed, served as servers serve feeds.
    server.page("/feed.rss", (CORPUS / "feed.xml").read_bytes(), content_type=content_type)
    raw = await Fetcher(client, PUBLIC_LOOPBACK).fetch(server.url("/feed.rss"))
    assert len(parse_feed(raw).entries) >= 2


@pytest.mark.parametrize(
    ("body", "sniffed"),
    [
        (b"<?xml version='1.0'?><rss version='2.0'><channel/></rss>", "application/xml"),
        (b"<rss version='2.0'><channel/></rss>", "application/xml"),
        (b"<feed xmlns='http://www.w3.org/2005/Atom'/>", "application/xml"),
        (HTML.encode(), "text/html"),
    ],
)
@pytest.mark.parametrize("generic", ["application/octet-stream", "binary/octet-stream"])
@pytest.mark.asyncio
async def test_a_generic_type_is_read_by_its_body(
    server: HTTPServer, client: httpx.AsyncClient, body: bytes, sniffed: str, generic: str
) -> None:
    # Servers with no type for ".rss" send octet-stream: the body decides, as with no type.
    server.page("/feed.rss", body, content_type=generic)
    doc = await Fetcher(client, PUBLIC_LOOPBACK).fetch(server.url("/feed.rss"))
    assert doc.content_type == sniffed


@pytest.mark.asyncio
async def test_a_stray_nul_does_not_make_an_untyped_page_binary(
    server: HTTPServer, client: httpx.AsyncClient
) -> None:
    body = HTML.replace("Bonjour", "Bonjour\x00").encode()
    server.page("/bare", body, content_type=None)
    doc = await Fetcher(client, PUBLIC_LOOPBACK).fetch(server.url("/bare"))
    assert doc.content_type == "text/html"


@pytest.mark.asyncio
async def test_a_missing_content_type_with_a_binary_body_is_refused(
    server: HTTPServer, client: httpx.AsyncClient
) -> None:
    server.page("/bare", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", content_type=None)
    reason = await refused(Fetcher(client, PUBLIC_LOOPBACK), server.url("/bare"))
    assert reason.startswith("unsupported content type: none declared")


# -- bad input and broken servers --------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.org/file",
        "file:///etc/passwd",
        "data:text/html,<h1>hi</h1>",
        "gopher://example.org/",
        "javascript:alert(1)",
        "ws://example.org/",
        "mailto:a@b.example",
    ],
)
@pytest.mark.asyncio
async def test_only_http_and_https_are_fetched(offline: NoNetwork, url: str) -> None:
    reason = await refused(Fetcher(offline.client), url)
    scheme = url.split(":")[0]
    assert reason == f"unsupported scheme '{scheme}': only http and https URLs can be fetched"
    assert offline.sent == []


@pytest.mark.parametrize(
    "url", ["news.example/article", "//news.example/a", "http://", "http://:80/"]
)
@pytest.mark.asyncio
async def test_urls_that_are_not_absolute_are_refused(offline: NoNetwork, url: str) -> None:
    await refused(Fetcher(offline.client), url)
    assert offline.sent == []


@pytest.mark.asyncio
async def test_credentials_in_a_url_are_refused_and_never_echoed(
    server: HTTPServer, client: httpx.AsyncClient
) -> None:
    url = server.url("/", "user:hunter2@127.0.0.1")
    reason = await refused(Fetcher(client, PUBLIC_LOOPBACK), url)
    assert "credentials" in reason
    assert "hunter2" not in reason
    assert server.requests == []


@pytest.mark.asyncio
async def test_an_unknown_host_is_an_error(offline: NoNetwork) -> None:
    reason = await refused(Fetcher(offline.client, resolver=FakeDNS({})), "https://nowhere.test/")
    assert reason == "cannot resolve host nowhere.test"


@pytest.mark.parametrize(
    "raw", [b"", b"NOT HTTP AT ALL\r\n\r\n", b"HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\nshort"]
)
@pytest.mark.asyncio
async def test_a_broken_server_is_a_fetch_error(
    server: HTTPServer, client: httpx.AsyncClient, raw: bytes
) -> None:
    server.routes["/broken"] = Reply(raw=raw)
    reason = await refused(Fetcher(client, PUBLIC_LOOPBACK), server.url("/broken"))
    assert "127.0.0.1" in reason
    assert "\n" not in reason


@pytest.mark.asyncio
async def test_a_closed_port_is_a_fetch_error(client: httpx.AsyncClient) -> None:
    with socket.socket() as probe:  # a port that was free a moment ago
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    reason = await refused(Fetcher(client, PUBLIC_LOOPBACK), f"http://127.0.0.1:{port}/")
    assert reason.startswith("cannot connect to 127.0.0.1")


def test_the_loopback_server_also_runs_on_its_own_thread() -> None:
    # The thread mode serves callers that block (a CLI subprocess, a sync client).
    with HTTPServer().running_in_thread() as threaded:
        threaded.page("/", HTML)
        assert httpx.get(threaded.url("/")).text == HTML
        assert httpx.get(threaded.url("/missing")).status_code == 404
    assert threaded.paths == ["/", "/missing"]


def test_a_bad_allowed_network_fails_at_configuration() -> None:
    with pytest.raises(ValueError):
        FetchPolicy(allow_networks=("not-a-network",))


@pytest.mark.asyncio
async def test_the_client_is_built_for_the_fetcher() -> None:
    async with build_http_client(FetchPolicy(connect_timeout=1.5, total_timeout=9.0)) as http:
        assert http.follow_redirects is False
        assert http.trust_env is False
        assert http.headers["user-agent"] == "Parallax/0.1 (+news fact-check bot)"
        assert (http.timeout.connect, http.timeout.read) == (1.5, 9.0)


# -- https: the TLS name is the real host, not the pinned IP -----------------------------------


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    try:
        subprocess.run(
            [
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:prime256v1",
                "-nodes",
                "-days",
                "1",
                "-subj",
                "/CN=news.test",
                "-addext",
                "subjectAltName=DNS:news.test",
                "-keyout",
                str(key),
                "-out",
                str(cert),
            ],
            check=True,
            capture_output=True,
            timeout=30,
        )
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("openssl is needed to make a test certificate")
    return cert, key


@pytest.mark.parametrize("name", ["news.test", "other.test"])
@pytest.mark.asyncio
async def test_https_verifies_the_real_name_over_the_pinned_ip(
    certificate: tuple[Path, Path], name: str
) -> None:
    cert, key = certificate
    server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_tls.load_cert_chain(cert, key)
    trust = ssl.create_default_context(cafile=str(cert))
    dns = FakeDNS({name: ["127.0.0.1"]})
    async with (
        HTTPServer(ssl_context=server_tls) as tls_server,
        build_http_client(PUBLIC_LOOPBACK, verify=trust) as http,
    ):
        tls_server.page("/", HTML)
        fetcher = Fetcher(http, PUBLIC_LOOPBACK, dns)
        if name == "news.test":  # the certificate's name: the handshake and the request succeed
            doc = await fetcher.fetch(tls_server.url("/", host=name))
            assert doc.data == HTML.encode()
            assert tls_server.requests[0].host == f"news.test:{tls_server.port}"
        else:  # same IP, another name: the certificate does not match, nothing is requested
            reason = await refused(fetcher, tls_server.url("/", host=name))
            assert reason.startswith("cannot connect to other.test")
            assert tls_server.requests == []
        assert tls_server.sni_names == [name]

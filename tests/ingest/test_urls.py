"""URL canonicalization, and recognition of every literal or disguised IP form."""

from __future__ import annotations

from ipaddress import IPv4Address, IPv6Address, ip_address

import pytest

from bot.ingest.urls import canonical_url, is_public_address, non_public_reason, parse_host_address


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("HTTP://Example.ORG", "http://example.org/"),
        ("https://example.org:443/a", "https://example.org/a"),
        ("http://example.org:80/a", "http://example.org/a"),
        ("http://example.org:8080/a", "http://example.org:8080/a"),
        ("https://example.org:80/a", "https://example.org:80/a"),
        ("https://example.org/a#section-2", "https://example.org/a"),
        (
            "https://example.org/a?utm_source=x&id=7&UTM_Medium=y&fbclid=abc",
            "https://example.org/a?id=7",
        ),
        (
            "https://example.org/?b=2&gclid=1&a=1&dclid=1&msclkid=1&c=3",
            "https://example.org/?b=2&a=1&c=3",
        ),
        (
            "https://example.org/?mc_cid=1&mc_eid=2&igshid=3&_ga=4&ref_src=twsrc",
            "https://example.org/",
        ),
        ("https://example.org/s?q=a+b&q2=%20c&flag", "https://example.org/s?q=a+b&q2=%20c&flag"),
        ("https://example.org/s?z=1&&a=2&", "https://example.org/s?z=1&a=2"),
        ("https://Bücher.Example/straße", "https://xn--bcher-kva.example/straße"),
        ("https://例え.テスト/", "https://xn--r8jz45g.xn--zckzah/"),
        ("https://user:secret@example.org/a", "https://example.org/a"),
        ("https://example.org./a", "https://example.org/a"),
        ("http://[2001:DB8:0:0::1]:80/x", "http://[2001:db8::1]/x"),
        ("https://example.org/A/B?X=Y", "https://example.org/A/B?X=Y"),
    ],
)
def test_canonical_url(url: str, expected: str) -> None:
    assert canonical_url(url) == expected


def test_canonical_url_is_idempotent() -> None:
    url = "HTTPS://News.Example:443/path?utm_campaign=z&id=1#frag"
    once = canonical_url(url)
    assert once == "https://news.example/path?id=1"
    assert canonical_url(once) == once


def test_canonical_url_rejects_a_bad_port() -> None:
    with pytest.raises(ValueError):
        canonical_url("http://example.org:99999/")


LOOPBACK = IPv4Address("127.0.0.1")


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("127.0.0.1", LOOPBACK),
        ("2130706433", LOOPBACK),
        ("0x7f000001", LOOPBACK),
        ("0X7F000001", LOOPBACK),
        ("017700000001", LOOPBACK),
        ("127.1", LOOPBACK),
        ("127.0.1", LOOPBACK),
        ("0x7f.1", LOOPBACK),
        ("0177.0.0.01", LOOPBACK),
        ("0x7f.0x0.0.1", LOOPBACK),
        ("127.0.0.1.", LOOPBACK),
        ("１２７．０．０．１", LOOPBACK),
        ("127。0。0。1", LOOPBACK),
        ("0", IPv4Address("0.0.0.0")),
        ("169.254.169.254", IPv4Address("169.254.169.254")),
        ("2852039166", IPv4Address("169.254.169.254")),
        ("[::1]", IPv6Address("::1")),
        ("::1", IPv6Address("::1")),
        ("[::ffff:127.0.0.1]", IPv6Address("::ffff:7f00:1")),
        ("[fd00::1]", IPv6Address("fd00::1")),
        ("[fe80::1%25eth0]", IPv6Address("fe80::1%eth0")),
        ("fe80::1%eth0", IPv6Address("fe80::1%eth0")),
    ],
)
def test_parse_host_address_recognizes_every_form(host: str, expected: object) -> None:
    assert parse_host_address(host) == expected


@pytest.mark.parametrize(
    "host",
    [
        "example.org",
        "localhost",
        "news.test",
        "xn--bcher-kva.example",
        "127.0.0.1.example.org",
        "0x7f.example",
        "1.2.3.4.5",
        "256.0.0.1",
        "08.0.0.1",
        "0xg.1",
        "1..1",
        "4294967296",
        "[not-an-ip]",
        "9" * 5000,
    ],
)
def test_parse_host_address_returns_none_for_names_and_non_ips(host: str) -> None:
    assert parse_host_address(host) is None


@pytest.mark.parametrize(
    "address",
    [
        "0.0.0.0",
        "0.1.2.3",
        "10.1.2.3",
        "100.64.0.1",
        "100.127.255.254",
        "127.0.0.1",
        "127.255.255.254",
        "169.254.169.254",
        "172.16.0.1",
        "172.31.255.255",
        "192.0.0.1",
        "192.0.2.1",
        "192.168.1.1",
        "198.18.0.1",
        "198.19.255.255",
        "198.51.100.7",
        "203.0.113.9",
        "224.0.0.1",
        "239.255.255.250",
        "240.0.0.1",
        "255.255.255.255",
        "::",
        "::1",
        "::ffff:127.0.0.1",
        "::ffff:10.0.0.1",
        "::ffff:169.254.169.254",
        "::127.0.0.1",
        "64:ff9b::a00:1",
        "64:ff9b::7f00:1",
        "64:ff9b:1::1",
        "100::1",
        "2001:db8::1",
        "3fff::1",
        "fc00::1",
        "fd00::1",
        "fe80::1",
        "fe80::1%eth0",
        "febf::1",
        "fec0::1",
        "ff02::1",
        "2002:7f00:1::1",
        "2002:a00:1::1",
        "2001:0:4136:e378:8000:63bf:f5ff:fffe",  # Teredo, client 10.0.0.1
        "4000::1",
    ],
)
def test_non_public_addresses(address: str) -> None:
    addr = ip_address(address)
    assert not is_public_address(addr)
    assert non_public_reason(addr)


@pytest.mark.parametrize(
    "address",
    [
        "1.1.1.1",
        "8.8.8.8",
        "93.184.216.34",
        "100.63.255.255",
        "100.128.0.1",
        "172.32.0.1",
        "198.20.0.1",
        "223.255.255.254",
        "2606:4700:4700::1111",
        "2a00:1450:4001:80b::200e",
        "::ffff:8.8.8.8",
        "64:ff9b::808:808",
        "2002:808:808::1",
    ],
)
def test_public_addresses(address: str) -> None:
    assert is_public_address(ip_address(address))


def test_reason_names_the_kind_of_address() -> None:
    assert non_public_reason(IPv4Address("127.0.0.1")) == "loopback"
    assert non_public_reason(IPv4Address("169.254.169.254")) == "link-local"
    assert non_public_reason(IPv4Address("100.64.0.1")) == "shared carrier-grade NAT"
    mapped = non_public_reason(IPv6Address("::ffff:127.0.0.1"))
    assert mapped is not None
    assert mapped.startswith("loopback (embedded in")

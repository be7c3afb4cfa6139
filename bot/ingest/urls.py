"""URL canonicalization and IP-address classification for SSRF-safe fetching.

Pure functions, no I/O: ``fetch`` uses them to decide whether an address may be contacted, and
the store uses ``canonical_url`` as a dedupe key.
"""

from __future__ import annotations

import ipaddress
import re
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network
from urllib.parse import unquote_plus, urlsplit, urlunsplit

import idna

IPAddress = IPv4Address | IPv6Address

_DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443, "ftp": 21}

# Parameters that only identify a campaign or a click: dropping them never changes the page.
_TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "_hs")
_TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "gclsrc",
        "msclkid",
        "yclid",
        "twclid",
        "ttclid",
        "li_fat_id",
        "epik",
        "mc_cid",
        "mc_eid",
        "igshid",
        "_ga",
        "_gl",
        "ref_src",
        "ref_url",
        "mkt_tok",
        "oly_anon_id",
        "oly_enc_id",
        "vero_id",
        "wickedid",
        "rb_clickid",
        "s_cid",
        "ncid",
    }
)


def host_of(url: str) -> str | None:
    """The host of ``url`` without ``www.``, lower-cased (how a site is named); None when
    it has none."""
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        return None
    return host.removeprefix("www.") or None


def canonical_url(url: str) -> str:
    """Return ``url`` in a canonical form suitable as a dedupe key.

    Lower-cases the scheme and host, converts IDN hosts to punycode, drops default ports, the
    fragment, credentials (they are secrets, never part of an article's identity) and tracking
    parameters (``utm_*``, ``fbclid``, ...), keeps the other parameters byte for byte and in
    order, and turns an empty path into ``/``. Raises ``ValueError`` for an invalid port.
    """
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    netloc = parts.netloc
    if parts.hostname is not None:
        host = _canonical_host(parts.hostname)
        port = parts.port  # ValueError for a port out of range: the URL is broken anyway
        netloc = host if port is None or port == _DEFAULT_PORTS.get(scheme) else f"{host}:{port}"
    path = parts.path or ("/" if netloc else "")
    return urlunsplit((scheme, netloc, path, _strip_tracking(parts.query), ""))


def _canonical_host(host: str) -> str:
    host = host.rstrip(".")  # "example.org." and "example.org" are the same site
    if ":" in host:  # urlsplit strips the brackets of an IPv6 literal
        try:
            return f"[{ipaddress.ip_address(host.split('%')[0]).compressed}]"
        except ValueError:
            return f"[{host}]"
    if host.isascii():
        return host.lower()
    try:
        return idna.encode(host, uts46=True).decode("ascii")
    except idna.IDNAError:
        return host.lower()  # not valid IDNA: keep it recognizable rather than fail


def _strip_tracking(query: str) -> str:
    # Work on the raw pairs so the kept parameters keep their exact encoding ("+" vs "%20").
    kept = []
    for pair in query.split("&"):
        key = unquote_plus(pair.split("=", 1)[0]).lower()
        if not pair or key.startswith(_TRACKING_PREFIXES) or key in _TRACKING_PARAMS:
            continue
        kept.append(pair)
    return "&".join(kept)


_V4_PART = re.compile(r"0[xX][0-9a-fA-F]*|0[0-7]*|[1-9][0-9]*")
_FULL_STOPS = str.maketrans({"\u3002": ".", "\uff0e": ".", "\uff61": "."})


def parse_host_address(host: str) -> IPv4Address | IPv6Address | None:
    """Return the IP address a URL host denotes, or None for a real hostname.

    Recognizes every form a browser or the C library accepts as an IP: dotted quad, a single
    integer (``2130706433``), hex (``0x7f000001``), octal (``017700000001``), short forms
    (``127.1``, ``127.0.1``), mixed radices (``0x7f.1``), full-width digits, and bracketed
    IPv6 with or without a zone id (``[fe80::1%25eth0]``).
    """
    text = host.strip()
    if text.startswith("[") and text.endswith("]"):
        text = text[1:-1]
    if ":" in text:
        try:
            return IPv6Address(text.replace("%25", "%", 1))
        except ValueError:
            return None
    if not text.isascii():
        # UTS 46 maps full-width digits and ideographic full stops to ASCII, as browsers do.
        try:
            text = idna.uts46_remap(text.translate(_FULL_STOPS), std3_rules=False)
        except (idna.IDNAError, ValueError):
            return None
    return _parse_ipv4(text.lower())


def _parse_ipv4(host: str) -> IPv4Address | None:
    # The WHATWG URL standard's IPv4 parser, which matches inet_aton(3).
    parts = host.split(".")
    if len(parts) > 1 and parts[-1] == "":
        parts.pop()  # a trailing dot is allowed: "127.0.0.1."
    if not 1 <= len(parts) <= 4 or not all(_V4_PART.fullmatch(p) for p in parts):
        return None
    try:
        numbers = [_part_value(p) for p in parts]
    except ValueError:  # absurdly long digit strings
        return None
    if any(n > 255 for n in numbers[:-1]) or numbers[-1] >= 256 ** (5 - len(numbers)):
        return None
    value = numbers[-1]
    for index, number in enumerate(numbers[:-1]):
        value += number << (8 * (3 - index))
    return IPv4Address(value)


def _part_value(part: str) -> int:
    if part[:2] in ("0x", "0X"):
        return int(part[2:] or "0", 16)
    if len(part) > 1 and part[0] == "0":
        return int(part, 8)
    return int(part)


_V4_BLOCKED: tuple[tuple[IPv4Network, str], ...] = tuple(
    (IPv4Network(net), reason)
    for net, reason in (
        ("0.0.0.0/8", "this-network"),
        ("10.0.0.0/8", "private"),
        ("100.64.0.0/10", "shared carrier-grade NAT"),
        ("127.0.0.0/8", "loopback"),
        ("169.254.0.0/16", "link-local"),
        ("172.16.0.0/12", "private"),
        ("192.0.0.0/24", "IETF protocol assignment"),
        ("192.0.2.0/24", "documentation"),
        ("192.88.99.0/24", "6to4 relay anycast"),
        ("192.168.0.0/16", "private"),
        ("198.18.0.0/15", "benchmarking"),
        ("198.51.100.0/24", "documentation"),
        ("203.0.113.0/24", "documentation"),
        ("224.0.0.0/4", "multicast"),
        ("255.255.255.255/32", "broadcast"),
        ("240.0.0.0/4", "reserved"),
    )
)

_V6_BLOCKED: tuple[tuple[IPv6Network, str], ...] = tuple(
    (IPv6Network(net), reason)
    for net, reason in (
        ("::/128", "unspecified"),
        ("::1/128", "loopback"),
        ("64:ff9b:1::/48", "local-use NAT64"),
        ("100::/64", "discard-only"),
        ("2001:2::/48", "benchmarking"),
        ("2001:10::/28", "ORCHID"),
        ("2001:db8::/32", "documentation"),
        ("3fff::/20", "documentation"),
        ("5f00::/16", "segment routing"),
        ("fc00::/7", "unique-local"),
        ("fe80::/10", "link-local"),
        ("fec0::/10", "site-local"),
        ("ff00::/8", "multicast"),
    )
)
_V6_GLOBAL_UNICAST = IPv6Network("2000::/3")
_NAT64 = IPv6Network("64:ff9b::/96")


def non_public_reason(addr: IPv4Address | IPv6Address) -> str | None:
    """Say why ``addr`` is not a public internet address (e.g. ``"loopback"``), or None if it is.

    IPv6 forms that embed an IPv4 address (IPv4-mapped, NAT64, 6to4, Teredo) are judged by the
    embedded address too, since traffic to them ends up there.
    """
    if isinstance(addr, IPv4Address):
        for network, reason in _V4_BLOCKED:
            if addr in network:
                return reason
        # Belt and braces: anything the standard library knows to be special is refused too.
        if addr.is_private or addr.is_reserved or addr.is_multicast or addr.is_link_local:
            return "special-purpose"
        return None
    embedded = addr.ipv4_mapped or (IPv4Address(int(addr) & 0xFFFFFFFF) if addr in _NAT64 else None)
    if embedded is not None:  # the connection really goes to the IPv4 address
        reason = non_public_reason(embedded)
        return None if reason is None else f"{reason} (embedded in {addr.compressed})"
    for inner in (addr.sixtofour, *(addr.teredo or ())):
        if inner is not None and (reason := non_public_reason(inner)) is not None:
            return f"{reason} (embedded in {addr.compressed})"
    for network, reason in _V6_BLOCKED:
        if addr in network:
            return reason
    if addr not in _V6_GLOBAL_UNICAST:  # nothing outside 2000::/3 is routable today
        return "reserved"
    return None


def is_public_address(addr: IPv4Address | IPv6Address) -> bool:
    """True if ``addr`` is a public internet address that a fetch may contact."""
    return non_public_reason(addr) is None

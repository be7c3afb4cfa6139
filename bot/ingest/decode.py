"""Turn the bytes of a document into text, or refuse them as binary.

Binary is judged as browsers judge it: by known file signatures and by the share of control
bytes, so one stray NUL in a readable page is dropped, not a reason to refuse the page.

Order of evidence, strongest first: a byte-order mark; valid UTF-8; almost valid UTF-8 (a few
stray bytes, decoded with replacement characters as browsers do); the declared charset (HTTP
header, then ``<meta charset>``/``http-equiv``/``<?xml encoding>`` in the first 2 KB); statistical
detection with charset-normalizer, biased towards windows-1252. Only :class:`DecodeError` escapes.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from charset_normalizer import from_bytes
from charset_normalizer.md import mess_ratio

from bot.errors import DecodeError
from bot.records import RawDocument

_BOMS: tuple[tuple[bytes, str], ...] = (
    # UTF-32 first: its little-endian BOM starts with the UTF-16 one.
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# fmt: off
_MAGIC: dict[str, tuple[bytes, ...]] = {
    "a PNG image": (b"\x89PNG\r\n\x1a\n",),
    "a GIF image": (b"GIF87a", b"GIF89a"),
    "a JPEG image": (b"\xff\xd8\xff",),
    "a TIFF image": (b"II*\x00", b"MM\x00*"),
    "a PDF document": (b"%PDF-",),
    "an Office document": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",),
    "an archive": (b"PK\x03\x04", b"PK\x05\x06", b"\x1f\x8b", b"BZh91AY&SY", b"\xfd7zXZ\x00",
                   b"7z\xbc\xaf\x27\x1c", b"Rar!\x1a\x07", b"\x28\xb5\x2f\xfd"),
    "an executable": (b"\x7fELF", b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe", b"\x00asm"),
    "an SQLite database": (b"SQLite format 3\x00",),
    "audio": (b"OggS\x00", b"fLaC", b"ID3\x02\x00", b"ID3\x03\x00", b"ID3\x04\x00",
              b"\xff\xfb", b"\xff\xf3", b"\xff\xf2", b"MThd\x00\x00\x00\x06"),
    "a video": (b"\x1aE\xdf\xa3",),
    "a font": (b"wOFF", b"wOF2"),
}
# Signatures that sit after a size field: (offset, bytes, what).
_MAGIC_AT: tuple[tuple[int, bytes, str], ...] = (
    (4, b"ftyp", "a video or image (ISO media)"),
    (8, b"WAVE", "audio"),
    (8, b"AVI ", "a video"),
    (8, b"WEBP", "a WebP image"),
)
# fmt: on
# Control bytes that never occur in text: the WHATWG MIME sniffing "binary data bytes" (\t \n
# \f \r and ESC are text). A few are noise (a stray NUL pasted in by a CMS); many are binary.
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, *range(0x0E, 0x1B), *range(0x1C, 0x20)])

# Labels that name a superset in practice (the WHATWG encoding standard does the same):
# "latin-1" pages are really windows-1252, Shift_JIS pages use the cp932 extensions, etc.
_SUPERSETS = {
    "iso8859-1": "cp1252",
    "ascii": "cp1252",
    "iso8859-9": "cp1254",
    "shift_jis": "cp932",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "euc_kr": "cp949",
    "big5": "big5hkscs",
}
# Python codecs that decode but are not document charsets (escape codecs can even rewrite the
# text); a page declaring one of these is lying.
_NOT_CHARSETS = frozenset(
    {"utf-7", "unicode-escape", "raw-unicode-escape", "idna", "punycode", "undefined", "charmap"}
)
_WIDE = ("utf-16", "utf-32")
_WIDE_CODECS = ["utf_16", "utf_16_le", "utf_16_be", "utf_32", "utf_32_le", "utf_32_be"]

_META = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
_XML = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([\w.:-]+)""", re.IGNORECASE)

# Random bytes hold 10% control bytes (26 of 256 values), compressed and media data as much,
# structured binary (fonts, executables, databases) far more; text holds none or a stray few.
_MAX_CONTROL_SHARE = 0.05
# How much of the non-ASCII must be valid UTF-8 for UTF-8 to win despite some invalid bytes.
# Legacy text read as UTF-8 is almost all invalid: measured on news sentences, the share of
# chance-valid sequences is 0 for windows-125x, ISO-8859-x and KOI8-R (under 1%), 10-14% for
# Big5, cp866 and EUC-KR, and at most 27% for Shift_JIS, EUC-JP, GB2312 and TIS-620. A page
# declared UTF-8 is trusted from half its non-ASCII valid (twice the worst chance rate): the
# bytes contradict the label only when most of them are not UTF-8. Undeclared bytes, or bytes
# under another label, need 80% before UTF-8 overrides a guess or a declaration.
_UTF8_DECLARED_SHARE = 0.5
_UTF8_UNDECLARED_SHARE = 0.8
_BAD_CATEGORIES = frozenset({"Cc", "Cs", "Co", "Cn"})
_SHORT = 32  # characters: below this, statistical scores are noise
_MAX_MESS = 0.2  # charset-normalizer's default chaos threshold
_WORDS = re.compile(r"[^\W\d_]{3,}")
_SAMPLE = 100_000  # characters examined by the statistical checks: enough, and bounded in time
_BINARY = "not text: the input looks binary"
_ASCII_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0e, 0x20), 0x7f])  # not \t \n \v \f \r
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_INVALID_UTF8 = re.compile("[\udc80-\udcff]")  # bytes that surrogateescape could not decode
_VALID_NON_ASCII = re.compile("[^\x00-\x7f\udc80-\udcff]")


def decode(raw: RawDocument) -> str:
    """Decode ``raw.data`` to text.

    Empty input gives ``""`` (the caller decides what emptiness means). Binary input (a known
    file signature, control bytes beyond a stray few outside UTF-16/32, or no encoding that
    fits) raises :class:`DecodeError` with a one-line reason; nothing else is ever raised.
    Stray NUL characters are dropped: HTML and XML parsers refuse them, readers never see them.
    """
    data = raw.data
    if not data:
        return ""
    what = _signature(data)
    if what is not None:
        raise DecodeError(f"{_BINARY} ({what})")
    text = _decode_bom(data)
    if text is None:
        text = _decode_unmarked(data, raw.charset)
    _refuse_control_heavy(text)
    return text.replace("\x00", "")


def binary_reason(data: bytes) -> str | None:
    """Why ``data`` (or its first bytes) is binary rather than text, or None if it may be text.

    The same judgement as :func:`decode` makes before decoding: a known file signature, or
    more than a stray few control bytes, unless a BOM or the NUL pattern says UTF-16/32.
    """
    what = _signature(data)
    if what is not None:
        return f"{_BINARY} ({what})"
    if any(data.startswith(bom) for bom, _ in _BOMS) or _guess_wide(data):
        return None
    return f"{_BINARY} (control bytes)" if _control_heavy(data) else None


def _signature(data: bytes) -> str | None:
    for what, magic in _MAGIC.items():
        if data.startswith(magic):
            return what
    for offset, magic, what in _MAGIC_AT:
        if data[offset : offset + len(magic)] == magic and (offset != 8 or data[:4] == b"RIFF"):
            return what
    return None


def _control_heavy(data: bytes) -> bool:
    sample = data[:_SAMPLE]
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return controls > _MAX_CONTROL_SHARE * len(sample)


def _decode_bom(data: bytes) -> str | None:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            # A BOM is strong evidence; a damaged tail should not lose the whole document,
            # and replacement characters count against it in the control-share check.
            return data.decode(codec, errors="replace")
    return None


def _decode_unmarked(data: bytes, header_charset: str | None) -> str:
    declared = _codec(header_charset)
    if b"\x00" in data:
        # Without a BOM, NUL bytes are UTF-16/32 when the server says so or the bytes follow
        # the unmistakable ASCII-as-UTF-16 pattern; binary when they are many; else stray
        # bytes (no multi-byte charset in use uses NUL inside a character), dropped.
        wide = declared if declared and declared.startswith(_WIDE) else _guess_wide(data)
        text = _try(data, _with_byte_order(wide, data)) if wide else None
        if text is not None:
            return text
        if _control_heavy(data):
            raise DecodeError(f"{_BINARY} (NUL bytes)")
        data = data.replace(b"\x00", b"")
    # Valid UTF-8 beats any label: mislabelled UTF-8 is common, legacy text that happens to be
    # valid UTF-8 is vanishingly rare.
    text = _try(data, "utf-8")
    if text is not None:
        return text
    labels = (declared, _codec(_sniff_declaration(data)))
    label = next((codec for codec in labels if codec), None)
    share = _UTF8_DECLARED_SHARE if label == "utf-8" else _UTF8_UNDECLARED_SHARE
    if _utf8_share(data) >= share:
        return data.decode("utf-8", errors="replace")
    for codec in labels:
        if codec and not codec.startswith(_WIDE):
            text = _try(data, codec)
            # A wrong single-byte label decodes without error but reads as mojibake
            # ("prйsident"): charset-normalizer's own 0.2 chaos threshold catches it.
            if text is not None and (len(text) < _SHORT or _mess(text) <= _MAX_MESS):
                return text
    return _detect(data)


def _utf8_share(data: bytes) -> float:
    """The share of the non-ASCII in ``data`` that is valid UTF-8: characters decoded, against
    characters plus bytes that are not UTF-8."""
    sample = data[: _SAMPLE * 4].decode("utf-8", errors="surrogateescape")
    valid = len(_VALID_NON_ASCII.findall(sample))
    invalid = len(_INVALID_UTF8.findall(sample))
    return valid / (valid + invalid) if valid + invalid else 0.0


def _codec(label: str | None) -> str | None:
    """Python's codec for a charset label, or None when the label is unknown or unusable."""
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip().strip("\"'")).name
    except (LookupError, ValueError, TypeError):
        return None
    if name in _NOT_CHARSETS:
        return None
    return _SUPERSETS.get(name, name)


def _sniff_declaration(data: bytes) -> str | None:
    head = data[:2048]
    match = _XML.search(head) or _META.search(head)
    return match.group(1).decode("ascii", "replace") if match else None


def _guess_wide(data: bytes) -> str | None:
    # ASCII text in UTF-16 has a NUL in every other byte; look at the first 1 KB of pairs.
    head = data[: min(len(data), 1024) // 2 * 2]
    if len(head) < 4:
        return None
    evens, odds = head[0::2], head[1::2]
    if odds.count(0) >= 0.6 * len(odds) and evens.count(0) <= 0.1 * len(evens):
        return "utf-16-le"
    if evens.count(0) >= 0.6 * len(evens) and odds.count(0) <= 0.1 * len(odds):
        return "utf-16-be"
    return None


def _with_byte_order(codec: str | None, data: bytes) -> str | None:
    # "utf-16"/"utf-32" without a BOM would mean the machine's byte order: decide from the
    # NULs instead (the high, zero bytes of ASCII characters come second in little-endian).
    if codec not in ("utf-16", "utf-32"):
        return codec
    step = 2 if codec == "utf-16" else 4
    little = data[1::step].count(0) >= data[0::step].count(0)
    return f"{codec}-{'le' if little else 'be'}"


def _try(data: bytes, codec: str | None) -> str | None:
    if codec is None:
        return None
    try:
        return data.decode(codec)
    except Exception:  # any codec failure just means "not this one": DecodeError is the contract
        return None


def _detect(data: bytes) -> str:
    try:
        # No UTF-16/32 here: NUL-free bytes are not wide text, whatever the statistics say.
        best = from_bytes(data, cp_exclusion=_WIDE_CODECS).best()
    except Exception:  # a detector crash must not escape as anything but DecodeError
        best = None
    # charset-normalizer cannot tell windows-1252 from cp1250/cp852/mac-roman on short text and
    # often turns "crème" into "crčme"; Western European legacy text is by far the commonest,
    # so windows-1252 wins unless it reads clearly worse. Below _SHORT characters the mess
    # ratio is noise ("5 €" scores 0.67), so there only obvious mojibake disqualifies it.
    western = _try(data, "cp1252")
    if western is not None:
        # With no candidate at all, hold cp1252 to charset-normalizer's own default threshold.
        limit = best.percent_chaos / 100 + 0.01 if best is not None else _MAX_MESS
        if len(western) < _SHORT and not _looks_mojibake(western):
            return western
        if _mess(western) <= limit:
            return western
    if best is None:
        raise DecodeError("not text: no text encoding fits the input")
    return str(best)


def _mess(text: str) -> float:
    return float(mess_ratio(text[:_SAMPLE], 1.0))


def _looks_mojibake(text: str) -> bool:
    # Cyrillic, Greek or Arabic read as windows-1252 gives words made only of accented letters
    # ("Ïðèâåò"); Western words mix accents with ASCII letters ("café", "Größe").
    words = _WORDS.findall(text)
    foreign = sum(1 for word in words if not any(c.isascii() for c in word))
    return foreign * 2 >= len(words) > 0


def _refuse_control_heavy(text: str) -> None:
    # Controls, replacement characters, surrogates, private-use and unassigned code points are
    # what binary turns into once forced through a codec (e.g. random bytes after a UTF-16 BOM).
    sample = text[:_SAMPLE]
    # ASCII controls are counted on the UTF-8 bytes, where they are the same values and
    # bytes.translate deletes them in C (a regex over an 80 KB page took ~0.25 ms); only the
    # other characters need their category looked up one by one, and ASCII text has none.
    encoded = sample.encode("utf-8", "surrogatepass")
    bad = len(encoded) - len(encoded.translate(None, _ASCII_CONTROL_BYTES))
    if not sample.isascii():
        bad += sum(
            1
            for ch in _NON_ASCII.findall(sample)
            if ch == "\ufffd" or (unicodedata.category(ch) in _BAD_CATEGORIES and ch != "\x85")
        )
    if bad > _MAX_CONTROL_SHARE * len(sample):
        raise DecodeError(_BINARY)

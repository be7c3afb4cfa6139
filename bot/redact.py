"""Masking secrets in one place: every text Parallax prints, logs or stores goes through
:func:`mask`.

What is masked, by ``***``:

- every secret the process holds: :func:`remember` is called by ``load_settings`` with every
  value of ``Settings.secrets`` (``DISCORD_TOKEN``, ``ANTHROPIC_API_KEY``, ``OPENAI_API_KEY``,
  each model's ``api_key_env``, any secret added there later), matched case-insensitively (a
  server that upper-cases what it echoes does not unmask it) and in its URL-encoded form;
- the shapes a credential takes even when the process does not hold it (a wrong key quoted by a
  proxy, another service's token): ``Authorization: Bearer …``/``Bot …`` and the other
  credential headers, ``Bearer``/``Bot`` followed by something token-shaped, URL query
  parameters such as ``key=``/``api_key=``/``access_token=``, ``api_key='…'`` assignments,
  and ``sk-…`` keys.

Secrets shorter than :data:`MIN_SECRET_CHARS` are not masked by value: no real API key or bot
token is that short, and masking ``ollama`` or ``k`` (keyless servers' placeholder keys) would
mask those words everywhere. The shapes above still apply to them. A secret handed to
:func:`mask` by a caller for one text is masked whatever its length: the caller knows it is the
key that text is about.

Mask first, cut after: a text cut to a length before masking can keep the prefix of a key that
straddles the cut, so callers cut :func:`mask`'s result, never its input.

:func:`remember` also installs :func:`install_log_masking`: a log record factory that masks
every record's message, arguments and traceback when it is made, whichever logger made it and
whichever handler prints it (a ``logging.Filter`` on the root logger would miss records of
child loggers, which skip their ancestors' filters).
"""

from __future__ import annotations

import logging
import re
import threading
import urllib.parse
from typing import Any

MASK = "***"
MIN_SECRET_CHARS = 8

# Each shape: the words that must appear (in the lower-cased text) for it to be worth a scan,
# and its pattern, written in lower case and run on the lower-cased text (case-insensitive
# patterns are several times slower in Python's re); group "v" is what gets masked.
_SHAPES: tuple[tuple[tuple[str, ...], re.Pattern[str]], ...] = (
    # Credential headers, as "Name: value", "'name': 'value'" (a dict's repr) or "name=value";
    # the value's scheme word (Bearer, Bot, Basic) goes with it.
    (("authorization", "api-key", "subscription-token"), re.compile(
        r"\b(?:(?:proxy-)?authorization|x-api-key|x-goog-api-key|x-subscription-token)"
        r"['\"]?\s*[:=]\s*['\"]?(?P<v>(?:(?:bearer|bot|basic|token)\s+)?[^\s'\",;&)}\]]+)")),
    # "Bearer <token>" / "Bot <token>" anywhere: token-shaped means 16+ characters with a
    # letter and a digit, so that "the bot 900000000000000002" and "bearer bonds" stay.
    (("bearer", "bot"), re.compile(
        r"\b(?:bearer|bot)\s+(?P<v>(?=[\w.~+/-]*\d)(?=[\w.~+/-]*[a-z])[\w.~+/-]{16,}=*)")),
    # URL query parameters naming a credential: ?key=…, &api_key=…, &access_token=…
    (("key=", "token=", "secret=", "password=", "passwd="), re.compile(
        r"[?&;][\w.-]{0,40}?(?:key|token|secret|password|passwd)=(?P<v>[^&\s#'\"]+)")),
    # Assignments in reprs, JSON and command lines: api_key='…', "client_secret": "…"
    (("key", "secret", "passw", "token"), re.compile(
        r"(?:api[_-]?key|client[_-]?secret|secret[_-]?key|password|passwd|access[_-]?token|"
        r"auth[_-]?token|bot[_-]?token)['\"]?\s*[:=]\s*['\"]?(?P<v>[^\s'\",;&)}\]]{4,})")),
    # API keys recognisable by their prefix (OpenAI's sk-…, sk-proj-…; Anthropic's sk-ant-…).
    (("sk-",), re.compile(r"(?P<v>\bsk-[\w-]{16,})")),
)

_lock = threading.Lock()
_secrets: set[str] = set()  # as given
_lowered: tuple[str, ...] = ()  # lower-cased, with their URL-encoded forms
_installed = False


def remember(*values: str | None) -> None:
    """Add secrets the process holds to those :func:`mask` hides, and make sure log records
    are masked. Values shorter than :data:`MIN_SECRET_CHARS` (and None) are ignored."""
    global _lowered
    with _lock:
        fresh = {v for v in values if v and len(v) >= MIN_SECRET_CHARS} - _secrets
        if fresh:
            _secrets.update(fresh)
            _lowered = _forms(_secrets)
    install_log_masking()


def mask(text: str, *extra: str | None) -> str:
    """``text`` with every secret the process holds, each of ``extra`` (whatever its length)
    and every credential-shaped string replaced by ``***``. Cut its result, not its input."""
    if not text:
        return text
    low = text.lower()
    if len(low) != len(text):  # a few characters lower-case to two ('İ'): keep those as they are
        low = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    spans: list[tuple[int, int]] = []
    wanted = {e for e in extra if e} - _secrets
    for secret in (*_lowered, *_forms(wanted)) if wanted else _lowered:
        at = low.find(secret)
        while at >= 0:
            spans.append((at, at + len(secret)))
            at = low.find(secret, at + len(secret))
    for words, pattern in _SHAPES:
        if any(word in low for word in words):
            spans += [m.span("v") for m in pattern.finditer(low) if low[m.start("v"):m.end("v")]
                      != MASK]
    return _replace(text, spans) if spans else text


def _forms(values: set[str]) -> tuple[str, ...]:
    """The values and their URL-encoded forms, lower-cased, longest first."""
    forms = {v.lower() for v in values} | {urllib.parse.quote(v, safe="").lower() for v in values}
    return tuple(sorted(forms, key=len, reverse=True))


def _replace(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with the union of ``spans`` replaced by one mask each."""
    parts, end = [], 0
    for start, stop in sorted(spans):
        if parts and start <= end:  # overlaps, touches or sits inside the span just masked
            end = max(end, stop)
            continue
        parts += [text[end:start], MASK]
        end = stop
    parts.append(text[end:])
    return "".join(parts)


def install_log_masking() -> None:
    """Mask every log record when it is made (idempotent; keeps any factory already set)."""
    global _installed
    with _lock:
        if _installed:
            return
        previous = logging.getLogRecordFactory()

        def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
            record = previous(*args, **kwargs)
            mask_record(record)
            return record

        logging.setLogRecordFactory(factory)
        _installed = True


def mask_record(record: logging.LogRecord) -> None:
    """Mask a record in place: its message is formatted now (the arguments go), and its
    traceback is formatted, masked and kept as ``exc_text`` (the exception object goes, since
    its repr carries the unmasked text)."""
    try:
        message = record.getMessage()
    except Exception:  # a bad format string must not break the caller
        message = f"{record.msg!s} {record.args!r}"
    record.msg, record.args = mask(message), ()
    if record.exc_info:
        if record.exc_info[1] is not None:
            record.exc_text = mask(logging.Formatter().formatException(record.exc_info))
        record.exc_info = None
    elif record.exc_text:
        record.exc_text = mask(record.exc_text)
    if record.stack_info:
        record.stack_info = mask(record.stack_info)

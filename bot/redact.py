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

# Credential headers, in "Name: value", "'name': 'value'" (a dict's repr) or "name=value" form;
# the value's scheme word (Bearer, Bot, Basic) goes with it.
_HEADER = re.compile(
    r"(?i)\b((?:proxy-)?authorization|x-api-key|x-goog-api-key|x-subscription-token)"
    r"(['\"]?\s*[:=]\s*['\"]?)(?:(?:bearer|bot|basic|token)\s+)?[^\s'\",;&)}\]]+")
# "Bearer <token>" / "Bot <token>" anywhere: token-shaped means 16+ characters with a letter
# and a digit, so that "the bot 900000000000000002" and "bearer instruments" stay.
_SCHEME = re.compile(
    r"(?i)\b(bearer|bot)\s+(?=[\w.~+/-]*\d)(?=[\w.~+/-]*[a-z])[\w.~+/-]{16,}=*")
# URL query parameters naming a credential: ?key=…, &api_key=…, &access_token=…
_QUERY = re.compile(r"(?i)([?&;][\w.-]{0,40}?(?:key|token|secret|password|passwd)=)[^&\s#'\"]+")
# Assignments in reprs, JSON and command lines: api_key='…', "client_secret": "…", --password=…
_ASSIGN = re.compile(
    r"(?i)((?:api[_-]?key|client[_-]?secret|secret[_-]?key|password|passwd|access[_-]?token|"
    r"auth[_-]?token|bot[_-]?token)['\"]?\s*[:=]\s*['\"]?)(?!\*\*\*)[^\s'\",;&)}\]]{4,}")
# API keys recognisable by their prefix (OpenAI's sk-…, sk-proj-…; Anthropic's sk-ant-…).
_KEY_SHAPE = re.compile(r"(?i)\bsk-[\w-]{16,}")

_lock = threading.Lock()
_secrets: set[str] = set()
_pattern: re.Pattern[str] | None = None
_installed = False


def remember(*values: str | None) -> None:
    """Add secrets the process holds to those :func:`mask` hides, and make sure log records
    are masked. Values shorter than :data:`MIN_SECRET_CHARS` (and None) are ignored."""
    global _pattern
    with _lock:
        fresh = {v for v in values if v and len(v) >= MIN_SECRET_CHARS} - _secrets
        if fresh:
            _secrets.update(fresh)
            _pattern = _compile(_secrets)
    install_log_masking()


def mask(text: str, *extra: str | None) -> str:
    """``text`` with every secret the process holds, each of ``extra`` (whatever its length)
    and every credential-shaped string replaced by ``***``. Cut its result, not its input."""
    if not text:
        return text
    known = _pattern
    if known is not None:
        text = known.sub(MASK, text)
    wanted = {e for e in extra if e} - _secrets
    if wanted:
        text = _compile(wanted).sub(MASK, text)
    text = _HEADER.sub(rf"\1\2{MASK}", text)
    text = _SCHEME.sub(rf"\1 {MASK}", text)
    text = _QUERY.sub(rf"\1{MASK}", text)
    text = _ASSIGN.sub(rf"\1{MASK}", text)
    return _KEY_SHAPE.sub(MASK, text)


def _compile(values: set[str]) -> re.Pattern[str]:
    """One case-insensitive alternation of the values and their URL-encoded forms, longest
    first so that a secret containing another is masked whole."""
    forms = values | {urllib.parse.quote(v, safe="") for v in values}
    ordered = sorted(forms, key=len, reverse=True)
    return re.compile("|".join(re.escape(f) for f in ordered), re.IGNORECASE)


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

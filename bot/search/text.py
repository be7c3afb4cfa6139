"""Small text helpers shared by the search backends: markup out, dates in ISO 8601."""

from __future__ import annotations

import html
import re
from datetime import datetime

_TAG = re.compile(r"<[^>]{0,200}>")
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def plain(value: object, limit: int = 1000) -> str:
    """``value`` as one line of plain text: tags removed, entities decoded, cut to ``limit``."""
    if not isinstance(value, str):
        return ""
    text = " ".join(html.unescape(_TAG.sub("", value)).split())
    return text[:limit]


def iso_date(value: object) -> str | None:
    """The ISO 8601 date (``YYYY-MM-DD``) at the start of ``value``, or None."""
    if not isinstance(value, str):
        return None
    match = _DATE.match(value.strip())
    if not match:
        return None
    try:
        return datetime(*(int(g) for g in match.groups())).date().isoformat()
    except ValueError:
        return None

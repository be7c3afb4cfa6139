"""Language lists as users type them: ``en,fr,pt-BR``."""

from __future__ import annotations

import re

from bot.errors import InputError

_CODE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
MAX_LANGUAGES = 5  # one model call writes every summary: keep the answer a sensible size


def parse_languages(value: str | None) -> tuple[str, ...]:
    """The distinct codes of a comma-separated list; InputError names a bad one."""
    if not value:
        return ()
    codes = tuple(dict.fromkeys(code.strip() for code in value.split(",") if code.strip()))
    for code in codes:
        if not _CODE.match(code):
            raise InputError(f"'{code}' is not a language code such as en or pt-BR")
    if len(codes) > MAX_LANGUAGES:
        raise InputError(f"at most {MAX_LANGUAGES} languages at once")
    return codes

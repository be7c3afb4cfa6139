"""The injection phrases, built once and kept beside the bytecode for the next process.

Building the ~400 phrase families of :mod:`bot.ingest.injection_phrases` and
:mod:`bot.ingest.injection_phrases_world` (every word folded, every lead looked up) took about
25 ms of every ``parallax`` process's start, for a table that changes only when their source
does. So the built table is written, like a ``.pyc``, to ``__pycache__`` under a name that
holds what it was built from (the size and modification time of each module that makes it,
the Python and Unicode versions): a later process reads it back with :mod:`marshal` in a
fraction of a millisecond; any change of those names a new file, and the old one is removed.

Nothing depends on the file: unreadable, damaged, or not writable (a read-only install), the
phrases are built as before. It is data, not bytecode, so it is written even where Python
writes no ``.pyc`` (``PYTHONDONTWRITEBYTECODE``): a CLI process pays the build once, not on
every run.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import sys
import tempfile
import unicodedata
from collections.abc import Callable
from pathlib import Path

from bot.ingest import injection_grammar
from bot.ingest.injection_grammar import Phrase

_HERE = Path(__file__).resolve().parent
# The modules whose code decides the table.
_SOURCES = ("injection_phrases.py", "injection_phrases_world.py", "injection_grammar.py",
            "injection_text.py", "injection_table.py")
_PREFIX = "injection_table."
_FORMAT = 1  # bump when the rows' layout changes
# The checks a phrase may carry, by name (a check elsewhere makes the table unstorable).
_CHECKS: dict[str, Callable[..., bool]] = {
    name: getattr(injection_grammar, name)
    for name in ("_override_ok", "_verb_last_ok", "_everything_ok")}


def phrases() -> tuple[Phrase, ...]:
    """Every injection phrase, European languages first (read back, or built and stored)."""
    path = _cache_path()
    if path is not None:
        with contextlib.suppress(OSError, ValueError, EOFError, TypeError, KeyError):
            return _from_rows(marshal.loads(path.read_bytes()))  # noqa: S302 - our own file
    built = build()
    if path is not None:
        _store(path, built)
    return built


def build() -> tuple[Phrase, ...]:
    """The phrases, made by their modules."""
    from bot.ingest.injection_phrases import PHRASES as european
    from bot.ingest.injection_phrases_world import PHRASES as world

    return (*european, *world)


def _cache_path() -> Path | None:
    parts = [f"{_FORMAT}", sys.version, unicodedata.unidata_version]
    try:
        for name in _SOURCES:
            stat = (_HERE / name).stat()
            parts.append(f"{name}:{stat.st_size}:{stat.st_mtime_ns}")
    except OSError:
        return None
    key = hashlib.sha256("\n".join(parts).encode()).hexdigest()[:20]
    return _HERE / "__pycache__" / f"{_PREFIX}{key}.marshal"


def _rows(table: tuple[Phrase, ...]) -> list[tuple] | None:
    names = {check: name for name, check in _CHECKS.items()}
    rows = []
    for ph in table:
        if ph.check is not None and ph.check not in names:
            return None
        rows.append((ph.label, ph.lang, ph.leads, ph.source, ph.start,
                     names.get(ph.check) if ph.check else None, ph.back))
    return rows


def _from_rows(rows: list[tuple]) -> tuple[Phrase, ...]:
    return tuple(Phrase(label, lang, tuple(leads), source, start,
                        _CHECKS[check] if check else None, back)
                 for label, lang, leads, source, start, check, back in rows)


def _store(path: Path, table: tuple[Phrase, ...]) -> None:
    """Write the table for the next process: to a temporary file renamed into place, so that
    processes starting together never read half a file; best effort."""
    rows = _rows(table)
    if rows is None:
        return
    with contextlib.suppress(OSError):
        path.parent.mkdir(exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=_PREFIX, suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(marshal.dumps(rows))
            os.chmod(temporary, 0o644)  # readable like the .pyc files beside it
            os.replace(temporary, path)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
        for old in path.parent.glob(f"{_PREFIX}*.marshal"):
            if old != path:
                with contextlib.suppress(OSError):
                    old.unlink()

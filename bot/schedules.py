"""Digest schedules: parsing, firing times and period keys (pure, stdlib ``zoneinfo`` only).

A schedule is one of three texts, read in an IANA timezone (default UTC)::

    hourly              at minute 0 of every local hour
    daily@HH:MM         every day at HH:MM local time
    weekly@mon@HH:MM    every week on that day (mon..sun) at HH:MM local time

Firing times follow the local wall clock, one rule for all three kinds: **every local wall time
fires once**, resolved with PEP 495 ``fold=0``. That gives:

- a nonexistent local time (spring-forward gap, e.g. 02:30 in Paris on the last Sunday of March)
  fires once, shifted forward by the gap (03:30 local, 01:30 UTC);
- an ambiguous local time (fall-back, e.g. 02:30 on the last Sunday of October) fires once, at its
  first occurrence (02:30 +02:00);
- hourly fires at minute 0 *local*: in a timezone with a half-hour offset such as Asia/Kolkata
  (+05:30) that is at :30 UTC. On a fall-back night the repeated local hour fires once, so that
  night has one two-hour period; on a spring-forward night the skipped hour coincides with the
  next one and fires once.

Firing instants are returned as aware UTC datetimes. :func:`period_key` turns one into a stable
text key, used by the store to claim (subscription, period) exactly once.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.errors import InputError

Kind = Literal["hourly", "daily", "weekly"]

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_FORMS = "hourly, daily@HH:MM or weekly@mon@HH:MM"
_DAILY = re.compile(r"daily@(\d{1,2}):(\d{2})")
_WEEKLY = re.compile(r"weekly@([a-z]+)@(\d{1,2}):(\d{2})")


def zone(name: str) -> ZoneInfo:
    """The IANA timezone ``name``; InputError "unknown timezone 'X'" when there is none."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        # ValueError/OSError: keys such as "" or "../x" that are not even well-formed.
        raise InputError(f"unknown timezone {name!r}") from None


@dataclass(frozen=True)
class Schedule:
    """When a digest fires. ``weekday`` 0 is Monday; ``tz`` is an IANA name.

    ``str(schedule)`` is the canonical text (without the timezone, which is stored apart).
    """

    kind: Kind
    hour: int = 0
    minute: int = 0
    weekday: int = 0
    tz: str = "UTC"

    def __post_init__(self) -> None:
        # Validated here too, so a schedule rebuilt from a database row is as safe as a parsed one.
        if self.kind not in ("hourly", "daily", "weekly"):
            raise InputError(f"unknown schedule kind {self.kind!r}: expected {_FORMS}")
        if not 0 <= self.hour <= 23 or not 0 <= self.minute <= 59:
            raise InputError(f"time {self.hour:02d}:{self.minute:02d} is not a valid HH:MM")
        if not 0 <= self.weekday <= 6:
            raise InputError(f"weekday {self.weekday} is out of range 0 (Monday) to 6 (Sunday)")
        zone(self.tz)

    def __str__(self) -> str:
        if self.kind == "hourly":
            return "hourly"
        at = f"{self.hour:02d}:{self.minute:02d}"
        if self.kind == "daily":
            return f"daily@{at}"
        return f"weekly@{WEEKDAYS[self.weekday]}@{at}"

    @property
    def zone(self) -> ZoneInfo:
        """The schedule's timezone as a ``ZoneInfo``."""
        return ZoneInfo(self.tz)


def parse_schedule(text: str, tz: str = "UTC") -> Schedule:
    """Parse ``hourly``, ``daily@HH:MM`` or ``weekly@mon@HH:MM`` (case-insensitive) in ``tz``.

    Raises InputError with a one-line reason for any other text, an out-of-range time or day,
    or an unknown timezone.
    """
    raw = " ".join(str(text).split())
    canon = raw.lower()
    if canon == "hourly":
        return Schedule("hourly", tz=tz)
    if match := _DAILY.fullmatch(canon):
        hour, minute = _hh_mm(match.group(1), match.group(2), raw)
        return Schedule("daily", hour, minute, tz=tz)
    if match := _WEEKLY.fullmatch(canon):
        day = match.group(1)
        if day not in WEEKDAYS:
            raise InputError(f"unknown day {day!r} in {raw!r}: expected one of "
                             f"{', '.join(WEEKDAYS)}")
        hour, minute = _hh_mm(match.group(2), match.group(3), raw)
        return Schedule("weekly", hour, minute, WEEKDAYS.index(day), tz=tz)
    raise InputError(f"unknown schedule {raw!r}: expected {_FORMS}")


def _hh_mm(hh: str, mm: str, raw: str) -> tuple[int, int]:
    hour, minute = int(hh), int(mm)
    if hour > 23 or minute > 59:
        raise InputError(f"time {hh}:{mm} in {raw!r} is not a valid HH:MM (00:00 to 23:59)")
    return hour, minute


def _aware(moment: datetime, name: str) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got naive {moment.isoformat()}")
    return moment.astimezone(UTC)


def _instant(local: datetime, tz: ZoneInfo) -> datetime:
    # fold=0: an ambiguous wall time is its first occurrence, a nonexistent one is read with the
    # offset before the gap, which lands it shifted forward by the gap's length.
    return local.replace(tzinfo=tz, fold=0).astimezone(UTC)


def _candidates(schedule: Schedule, around: datetime) -> Iterator[datetime]:
    """Firing instants for the local slots near ``around``: enough on both sides to contain the
    one at or before it and the one after it (DST shifts are at most a few hours)."""
    tz = schedule.zone
    local = around.astimezone(tz).replace(tzinfo=None, fold=0)
    if schedule.kind == "hourly":
        base = local.replace(minute=0, second=0, microsecond=0)
        for step in range(-5, 6):
            yield _instant(base + timedelta(hours=step), tz)
        return
    at = time(schedule.hour, schedule.minute)
    today: date = local.date()
    for step in range(-9, 10):
        day = today + timedelta(days=step)
        if schedule.kind == "daily" or day.weekday() == schedule.weekday:
            yield _instant(datetime.combine(day, at), tz)


def period_end_at_or_before(schedule: Schedule, now: datetime) -> datetime:
    """The latest firing time <= ``now`` (aware), as an aware UTC datetime."""
    now = _aware(now, "now")
    return max(c for c in _candidates(schedule, now) if c <= now)


def next_firing(schedule: Schedule, after: datetime) -> datetime:
    """The first firing time strictly after ``after`` (aware), as an aware UTC datetime."""
    after = _aware(after, "after")
    return min(c for c in _candidates(schedule, after) if c > after)


def period_key(schedule: Schedule, end: datetime) -> str:
    """A stable key for the period ending at ``end``: its firing time as ISO UTC, e.g.
    ``2025-01-06T08:00:00Z``.

    ``end`` is snapped to the firing at or before it, so a trigger that runs a little late
    (or a manual run) still claims the same key as the on-time one.
    """
    fired = period_end_at_or_before(schedule, end)
    return fired.strftime("%Y-%m-%dT%H:%M:%SZ")


def cron_fields(schedule: Schedule) -> dict[str, str | int]:
    """Keyword arguments for APScheduler 3.x ``CronTrigger(**fields)``.

    The trigger only wakes the scheduler; what is due is decided with
    :func:`period_end_at_or_before` and :func:`period_key`, so the odd DST night where
    APScheduler's own handling differs from ours cannot post twice.
    """
    fields: dict[str, str | int] = {"minute": schedule.minute, "second": 0,
                                    "timezone": schedule.tz}
    if schedule.kind == "hourly":
        fields |= {"hour": "*", "minute": 0, "day_of_week": "*"}
    elif schedule.kind == "daily":
        fields |= {"hour": schedule.hour, "day_of_week": "*"}
    else:
        fields |= {"hour": schedule.hour, "day_of_week": WEEKDAYS[schedule.weekday]}
    return fields


def utc_now() -> datetime:
    """The real clock; the core takes the time as a parameter so tests can set it."""
    return datetime.now(UTC)

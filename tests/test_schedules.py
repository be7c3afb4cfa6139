"""Schedules: parsing, DST-correct firing times, stable period keys, APScheduler fields."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.errors import InputError
from bot.schedules import (
    Schedule,
    cron_fields,
    next_firing,
    parse_schedule,
    period_end_at_or_before,
    period_key,
)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


# -- parsing ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected", "canonical"), [
    ("hourly", Schedule("hourly"), "hourly"),
    ("HOURLY", Schedule("hourly"), "hourly"),
    ("daily@09:00", Schedule("daily", 9, 0), "daily@09:00"),
    ("Daily@9:05", Schedule("daily", 9, 5), "daily@09:05"),
    ("daily@23:59", Schedule("daily", 23, 59), "daily@23:59"),
    ("weekly@mon@08:30", Schedule("weekly", 8, 30, 0), "weekly@mon@08:30"),
    ("weekly@SUN@00:00", Schedule("weekly", 0, 0, 6), "weekly@sun@00:00"),
    ("  weekly@Fri@17:45 ", Schedule("weekly", 17, 45, 4), "weekly@fri@17:45"),
])
def test_parse_good(text: str, expected: Schedule, canonical: str) -> None:
    schedule = parse_schedule(text)
    assert schedule == expected
    assert str(schedule) == canonical
    assert parse_schedule(str(schedule)) == schedule  # the canonical text round-trips


def test_parse_keeps_timezone() -> None:
    assert parse_schedule("daily@09:00", "Europe/Paris").tz == "Europe/Paris"


@pytest.mark.parametrize(("text", "fragment"), [
    ("", "unknown schedule"),
    ("daily", "unknown schedule"),
    ("every day", "unknown schedule"),
    ("daily@25:00", "not a valid HH:MM"),
    ("daily@09:60", "not a valid HH:MM"),
    ("daily@9", "unknown schedule"),
    ("daily@09:00:00", "unknown schedule"),
    ("weekly@09:00", "unknown schedule"),
    ("weekly@monday@09:00", "unknown day 'monday'"),
    ("weekly@xyz@09:00", "unknown day"),
    ("hourly@00:15", "unknown schedule"),
    ("monthly@01@09:00", "unknown schedule"),
])
def test_parse_bad(text: str, fragment: str) -> None:
    with pytest.raises(InputError) as info:
        parse_schedule(text)
    assert fragment in info.value.reason
    assert "\n" not in info.value.reason
    assert info.value.exit_code == 2


@pytest.mark.parametrize("tz", ["Mars/Olympus", "", "../etc/passwd", "Europe/"])
def test_unknown_timezone(tz: str) -> None:
    with pytest.raises(InputError) as info:
        parse_schedule("daily@09:00", tz)
    assert info.value.reason == f"unknown timezone {tz!r}"


def test_schedule_validates_its_fields() -> None:
    with pytest.raises(InputError):
        Schedule("daily", 24, 0)
    with pytest.raises(InputError):
        Schedule("weekly", 9, 0, 7)
    with pytest.raises(InputError):
        Schedule("monthly")  # type: ignore[arg-type]


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        next_firing(Schedule("hourly"), datetime(2025, 1, 1))


# -- DST -------------------------------------------------------------------------------------

PARIS = "Europe/Paris"


def test_daily_paris_winter_and_summer() -> None:
    s = parse_schedule("daily@09:00", PARIS)
    assert next_firing(s, utc(2025, 1, 10)) == utc(2025, 1, 10, 8)
    assert next_firing(s, utc(2025, 7, 10)) == utc(2025, 7, 10, 7)
    # across the spring change (30 March 2025) the UTC time moves by one hour
    assert next_firing(s, utc(2025, 3, 29, 9)) == utc(2025, 3, 30, 7)
    assert period_end_at_or_before(s, utc(2025, 3, 30, 6, 59)) == utc(2025, 3, 29, 8)


def test_nonexistent_local_time_fires_once_shifted() -> None:
    s = parse_schedule("daily@02:30", PARIS)  # 02:30 does not exist on 2025-03-30 in Paris
    firings = _firings(s, utc(2025, 3, 28, 12), utc(2025, 3, 31, 12))
    assert firings == [utc(2025, 3, 29, 1, 30), utc(2025, 3, 30, 1, 30), utc(2025, 3, 31, 0, 30)]
    shifted = firings[1].astimezone(ZoneInfo(PARIS))
    assert (shifted.hour, shifted.minute) == (3, 30)  # shifted forward by the gap


def test_ambiguous_local_time_fires_once_first_occurrence() -> None:
    s = parse_schedule("daily@02:30", PARIS)  # 02:30 happens twice on 2025-10-26 in Paris
    firings = _firings(s, utc(2025, 10, 25, 12), utc(2025, 10, 27, 12))
    assert firings == [utc(2025, 10, 26, 0, 30), utc(2025, 10, 27, 1, 30)]
    assert firings[0].astimezone(ZoneInfo(PARIS)).utcoffset() == timedelta(hours=2)


def test_hourly_on_dst_nights_fires_each_local_hour_once() -> None:
    s = parse_schedule("hourly", PARIS)
    spring = _firings(s, utc(2025, 3, 29, 23, 30), utc(2025, 3, 30, 3, 30))
    assert spring == [utc(2025, 3, 30, 0), utc(2025, 3, 30, 1), utc(2025, 3, 30, 2),
                      utc(2025, 3, 30, 3)]  # local 01:00, 03:00 (02:00 skipped), 04:00, 05:00
    autumn = _firings(s, utc(2025, 10, 25, 23, 30), utc(2025, 10, 26, 3, 30))
    # local 02:00 happens twice and fires once: one two-hour period that night
    assert autumn == [utc(2025, 10, 26, 0), utc(2025, 10, 26, 2), utc(2025, 10, 26, 3)]


def test_hourly_in_half_hour_offset_fires_at_local_minute_zero() -> None:
    s = parse_schedule("hourly", "Asia/Kolkata")  # +05:30, no DST
    assert next_firing(s, utc(2025, 1, 1, 0, 0)) == utc(2025, 1, 1, 0, 30)
    assert period_end_at_or_before(s, utc(2025, 1, 1, 0, 29)) == utc(2024, 12, 31, 23, 30)


def test_weekly_across_year_end() -> None:
    s = parse_schedule("weekly@wed@10:00", "America/New_York")
    # Wednesday 31 Dec 2025 and 7 Jan 2026, 10:00 EST = 15:00 UTC
    assert next_firing(s, utc(2025, 12, 26)) == utc(2025, 12, 31, 15)
    assert next_firing(s, utc(2025, 12, 31, 15)) == utc(2026, 1, 7, 15)
    assert period_end_at_or_before(s, utc(2026, 1, 6)) == utc(2025, 12, 31, 15)
    monday = parse_schedule("weekly@mon@00:00")
    assert next_firing(monday, utc(2026, 12, 29)) == utc(2027, 1, 4)


def test_period_keys_are_stable() -> None:
    s = parse_schedule("daily@09:00", PARIS)
    end = utc(2025, 1, 10, 8)
    assert period_key(s, end) == "2025-01-10T08:00:00Z"
    # the same instant in another zone, or a trigger a little late, claims the same key
    assert period_key(s, end.astimezone(ZoneInfo("Asia/Tokyo"))) == "2025-01-10T08:00:00Z"
    assert period_key(s, end + timedelta(seconds=3, microseconds=7)) == "2025-01-10T08:00:00Z"
    assert period_key(s, end - timedelta(seconds=1)) == "2025-01-09T08:00:00Z"


# -- properties ------------------------------------------------------------------------------

ZONES = ["UTC", PARIS, "Asia/Kolkata", "America/New_York", "Australia/Lord_Howe",
         "Pacific/Chatham", "America/St_Johns", "Antarctica/Troll", "Pacific/Apia"]
schedules = st.builds(
    Schedule,
    kind=st.sampled_from(["hourly", "daily", "weekly"]),
    hour=st.integers(0, 23), minute=st.integers(0, 59), weekday=st.integers(0, 6),
    tz=st.sampled_from(ZONES),
)
moments = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2040, 1, 1),
                       timezones=st.just(UTC))


@settings(max_examples=400, deadline=None)
@given(schedule=schedules, now=moments)
def test_period_end_now_next_firing(schedule: Schedule, now: datetime) -> None:
    end = period_end_at_or_before(schedule, now)
    following = next_firing(schedule, end)
    assert end <= now < following
    assert end.tzinfo is UTC and following.tzinfo is UTC
    assert next_firing(schedule, now) > now
    assert next_firing(schedule, now) == following  # no firing hides between end and now
    assert period_key(schedule, now) == period_key(schedule, end)
    assert period_end_at_or_before(schedule, following) == following
    # periods are never longer than their nominal length plus a DST shift
    nominal = {"hourly": 1, "daily": 24, "weekly": 168}[schedule.kind]
    assert following - end <= timedelta(hours=nominal + 3)


def test_next_firing_strictly_increases_over_a_year() -> None:
    for text in ("hourly", "daily@02:30", "weekly@sun@02:00"):
        s = parse_schedule(text, PARIS)
        seen = _firings(s, utc(2024, 12, 31, 22, 59), utc(2025, 12, 31, 22, 59))  # local 2025
        assert seen == sorted(set(seen))
        # hourly: 8760 wall-clock hours, less spring's nonexistent 02:00 (it merges with 03:00);
        # autumn's 02:00 is one wall-clock hour and fires once
        expected = {"hourly": 8760 - 1, "daily@02:30": 365, "weekly@sun@02:00": 52}[text]
        assert len(seen) == expected


# -- APScheduler ------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "tz"), [
    ("hourly", "UTC"), ("hourly", "Asia/Kolkata"), ("daily@09:00", PARIS),
    ("weekly@wed@10:00", "America/New_York"), ("weekly@sun@23:59", "Pacific/Auckland"),
])
def test_cron_fields_agree_with_apscheduler(text: str, tz: str) -> None:
    from apscheduler.triggers.cron import CronTrigger

    s = parse_schedule(text, tz)
    trigger = CronTrigger(**cron_fields(s))
    moment = utc(2025, 5, 1, 12, 7)
    for _ in range(10):
        expected = next_firing(s, moment)
        fired = trigger.get_next_fire_time(None, moment + timedelta(microseconds=1))
        assert fired is not None and fired.astimezone(UTC) == expected
        moment = expected


@pytest.mark.parametrize("text", ["daily@02:30", "hourly", "weekly@sun@02:15"])
def test_apscheduler_extra_dst_wakeups_claim_existing_keys(text: str) -> None:
    # On a fall-back night APScheduler also fires at the repeated wall time; snapped by
    # period_key, that wake-up claims the key already used, so nothing posts twice. (The weekly
    # case has no Sunday-02:15 on these dates other than the DST Sundays themselves.)
    from apscheduler.triggers.cron import CronTrigger

    s = parse_schedule(text, PARIS)
    trigger = CronTrigger(**cron_fields(s))
    nights = ((utc(2025, 3, 29), utc(2025, 3, 31)), (utc(2025, 10, 25), utc(2025, 10, 27)))
    for start, stop in nights:
        ours = {period_key(s, f) for f in _firings(s, start, stop)}
        theirs, previous = set(), None
        # called as APScheduler's own job loop calls it: (previous fire time, now)
        moment = trigger.get_next_fire_time(None, start + timedelta(seconds=1))
        # compared in UTC: same-zone comparison of aware datetimes ignores ``fold``
        while moment.astimezone(UTC) <= stop and moment.astimezone(UTC) != previous:
            theirs.add(period_key(s, moment))
            previous, moment = moment.astimezone(UTC), trigger.get_next_fire_time(moment, moment)
        assert theirs == ours  # and every one of our firings gets a wake-up


def test_cron_fields_shape() -> None:
    s = parse_schedule("weekly@fri@17:45", PARIS)
    assert cron_fields(s) == {"hour": 17, "minute": 45, "second": 0, "day_of_week": "fri",
                              "timezone": PARIS}
    assert cron_fields(parse_schedule("hourly"))["minute"] == 0


def _firings(schedule: Schedule, start: datetime, stop: datetime) -> list[datetime]:
    out, moment = [], start
    while (moment := next_firing(schedule, moment)) <= stop:
        out.append(moment)
    return out

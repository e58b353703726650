"""The end of a trip on the clocks where it ends, across DST in Europe, the US and the southern hemisphere."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.trips.ending import (
    COMPLETED,
    CURRENT,
    GRACE,
    PAST,
    REOPENED,
    UPCOMING,
    event_for,
    next_change,
    over_at,
    status,
)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.mark.parametrize(("end", "zone", "over", "hours"), [
    # Spring forward: 12 hours on the clocks are 11 hours; fall back: 13.
    ("2025-03-29T20:00:00+01:00", "Europe/Paris", "2025-03-30T06:00", 11),
    ("2025-10-25T20:00:00+02:00", "Europe/Paris", "2025-10-26T07:00", 13),
    ("2025-03-08T21:00:00-05:00", "America/New_York", "2025-03-09T13:00", 11),
    ("2025-11-01T20:00:00-04:00", "America/New_York", "2025-11-02T13:00", 13),
    # Southern hemisphere: Sydney leaves summer time in April and takes it in October.
    ("2025-04-05T20:00:00+11:00", "Australia/Sydney", "2025-04-05T22:00", 13),
    ("2025-10-04T20:00:00+10:00", "Australia/Sydney", "2025-10-04T21:00", 11),
])
def test_the_grace_runs_on_the_clocks_where_the_trip_ends(end, zone, over, hours):
    assert over_at(end, zone) == utc(over)
    assert over_at(end, zone) - datetime.fromisoformat(end) == timedelta(hours=hours)
    assert over_at(end, zone).astimezone(ZoneInfo(zone)).hour == datetime.fromisoformat(end).hour + 12 - 24


@pytest.mark.parametrize(("end", "zone", "over"), [
    ("2025-03-29T14:30:00+01:00", "Europe/Paris", "2025-03-30T01:30"),       # 02:30 is skipped: 03:30+02:00
    ("2025-03-08T14:30:00-05:00", "America/New_York", "2025-03-09T07:30"),   # 02:30 is skipped: 03:30-04:00
    ("2025-10-04T14:30:00+10:00", "Australia/Sydney", "2025-10-04T16:30"),   # 02:30 is skipped: 03:30+11:00
    ("2025-09-06T12:00:00-04:00", "America/Santiago", "2025-09-07T04:00"),   # Chile skips midnight: 01:00-03:00
])
def test_a_reading_the_clocks_skip_is_taken_after_the_jump(end, zone, over):
    assert over_at(end, zone) == utc(over)


@pytest.mark.parametrize(("end", "zone", "over"), [
    ("2025-10-25T14:30:00+02:00", "Europe/Paris", "2025-10-26T01:30"),       # 02:30+01:00, not 02:30+02:00
    ("2025-11-01T13:30:00-04:00", "America/New_York", "2025-11-02T06:30"),   # 01:30-05:00, not 01:30-04:00
    ("2025-04-05T14:30:00+11:00", "Australia/Sydney", "2025-04-05T16:30"),   # 02:30+10:00, not 02:30+11:00
    ("2025-04-05T11:30:00-03:00", "America/Santiago", "2025-04-06T03:30"),   # 23:30-04:00, not 23:30-03:00
])
def test_a_reading_the_clocks_show_twice_is_the_second_so_no_trip_ends_early(end, zone, over):
    assert over_at(end, zone) == utc(over)


def test_the_end_is_read_in_the_zone_where_the_trip_ends_whatever_offset_it_was_written_in():
    assert over_at("2025-10-25T18:00:00Z", "Europe/Paris") == over_at("2025-10-25T20:00:00+02:00", "Europe/Paris")
    assert over_at("2025-07-01T10:00:00+02:00", "Asia/Tokyo", timedelta(0)) == utc("2025-07-01T08:00")


ZONES = ["Europe/Paris", "America/New_York", "Australia/Sydney", "America/Santiago", "Australia/Lord_Howe",
         "Asia/Tokyo"]


def shown_by_clocks(reading: datetime, tz: ZoneInfo) -> bool:
    return reading.replace(tzinfo=tz).astimezone(UTC).astimezone(tz).replace(tzinfo=None) == reading


@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2040, 1, 1), timezones=st.just(UTC)),
       st.sampled_from(ZONES), st.integers(0, 72))
def test_over_is_the_reading_grace_later_or_just_after_it_when_the_clocks_skip_it(end, zone, hours):
    tz, grace = ZoneInfo(zone), timedelta(hours=hours)
    over = over_at(end.isoformat(), zone, grace)
    reading = end.astimezone(tz).replace(tzinfo=None) + grace
    shown = over.astimezone(tz).replace(tzinfo=None)
    if shown != reading:
        assert not shown_by_clocks(reading, tz) and reading < shown <= reading + timedelta(hours=1)
    assert over >= end + grace - timedelta(hours=1)


def test_status_follows_the_trip_through_its_ends():
    trip = ("2025-07-01T10:00:00+02:00", "2025-07-05T18:00:00+09:00", "Asia/Tokyo")
    assert status(*trip, utc("2025-07-01T07:59")) == UPCOMING
    assert status(*trip, utc("2025-07-01T08:00")) == CURRENT
    assert status(*trip, utc("2025-07-05T20:59")) == CURRENT  # 18:00 in Tokyo + 12 h = 06:00 = 21:00Z
    assert status(*trip, utc("2025-07-05T21:00")) == PAST
    assert status(*trip, utc("2025-07-05T09:00"), grace=timedelta(0)) == PAST


def test_a_past_trip_edited_into_the_future_is_upcoming_or_current_again():
    now = utc("2025-08-01T12:00")
    assert status("2025-07-01T10:00:00+02:00", "2025-07-05T18:00:00+02:00", "Europe/Paris", now) == PAST
    assert status("2025-07-01T10:00:00+02:00", "2025-08-05T18:00:00+02:00", "Europe/Paris", now) == CURRENT
    assert status("2025-09-01T10:00:00+02:00", "2025-09-05T18:00:00+02:00", "Europe/Paris", now) == UPCOMING


def test_the_next_change_is_the_start_then_the_end_then_none():
    trip = ("2025-07-01T10:00:00+02:00", "2025-07-05T18:00:00+02:00", "Europe/Paris")
    assert next_change(*trip, utc("2025-06-01T00:00")) == utc("2025-07-01T08:00")
    assert next_change(*trip, utc("2025-07-02T00:00")) == utc("2025-07-06T04:00") == over_at(*trip[1:])
    assert next_change(*trip, utc("2025-07-06T04:00")) is None
    assert GRACE == timedelta(hours=12)


def test_becoming_past_completes_a_trip_and_leaving_past_reopens_it():
    assert event_for(CURRENT, PAST) == event_for(UPCOMING, PAST) == event_for(None, PAST) == COMPLETED
    assert event_for(PAST, CURRENT) == event_for(PAST, UPCOMING) == REOPENED
    assert event_for(PAST, PAST) is event_for(UPCOMING, CURRENT) is event_for(None, UPCOMING) is None

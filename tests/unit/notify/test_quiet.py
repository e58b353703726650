"""Quiet hours in the user's own zone, across midnight and across DST changes."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.notify.quiet import QuietHours, first_instant, quiet_until

NIGHT = QuietHours(time(22, 0), time(7, 0))
NEW_YORK = ZoneInfo("America/New_York")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


@pytest.mark.parametrize(("local", "release"), [
    ("2025-06-10T21:59:59+02:00", None),
    ("2025-06-10T22:00:00+02:00", "2025-06-11T07:00:00+02:00"),
    ("2025-06-11T00:30:00+02:00", "2025-06-11T07:00:00+02:00"),
    ("2025-06-11T06:59:59+02:00", "2025-06-11T07:00:00+02:00"),
    ("2025-06-11T07:00:00+02:00", None),
    ("2025-06-11T12:00:00+02:00", None),
])
def test_night_across_midnight_in_berlin(local, release):
    assert quiet_until(NIGHT, "Europe/Berlin", at(local)) == (at(release) if release else None)


def test_daytime_span_that_does_not_cross_midnight():
    siesta = QuietHours(time(13, 0), time(15, 30))
    assert quiet_until(siesta, "Europe/Madrid", at("2025-06-11T14:00:00+02:00")) == at("2025-06-11T15:30:00+02:00")
    assert quiet_until(siesta, "Europe/Madrid", at("2025-06-11T23:00:00+02:00")) is None


def test_same_instant_is_quiet_for_one_user_and_not_for_another():
    now = at("2025-06-11T03:00:00Z")  # 12:00 in Tokyo, 23:00 in New York, 04:00 in London
    assert quiet_until(NIGHT, "Asia/Tokyo", now) is None
    assert quiet_until(NIGHT, "America/New_York", now) == at("2025-06-11T07:00:00-04:00")
    assert quiet_until(NIGHT, "Europe/London", now) == at("2025-06-11T07:00:00+01:00")


def test_half_hour_zone():
    assert quiet_until(NIGHT, "Asia/Kolkata", at("2025-06-10T16:45:00Z")) == at("2025-06-11T07:00:00+05:30")
    assert quiet_until(NIGHT, "Asia/Kolkata", at("2025-06-10T16:15:00Z")) is None  # 21:45 there


def test_unknown_zone_is_read_as_utc():
    assert quiet_until(NIGHT, "Mars/Olympus", at("2025-06-10T23:00:00Z")) == at("2025-06-11T07:00:00Z")


def test_spring_forward_night_is_an_hour_shorter():
    # New York, 9 March 2025: 02:00 EST becomes 03:00 EDT.
    assert quiet_until(NIGHT, "America/New_York", at("2025-03-08T22:00:00-05:00")) == at("2025-03-09T07:00:00-04:00")
    assert quiet_until(NIGHT, "America/New_York", at("2025-03-09T06:59:00-04:00")) == at("2025-03-09T07:00:00-04:00")
    assert quiet_until(NIGHT, "America/New_York", at("2025-03-09T07:00:00-04:00")) is None


def test_end_inside_the_skipped_hour_releases_at_the_jump():
    early = QuietHours(time(23, 0), time(2, 30))  # 02:30 never happens on 9 March 2025 in New York
    assert quiet_until(early, "America/New_York", at("2025-03-09T01:59:59-05:00")) == at("2025-03-09T03:00:00-04:00")
    assert quiet_until(early, "America/New_York", at("2025-03-09T03:00:00-04:00")) is None


def test_start_inside_the_skipped_hour_starts_at_the_jump():
    late = QuietHours(time(2, 30), time(6, 0))
    assert quiet_until(late, "America/New_York", at("2025-03-09T01:59:59-05:00")) is None
    assert quiet_until(late, "America/New_York", at("2025-03-09T03:00:00-04:00")) == at("2025-03-09T06:00:00-04:00")


def test_fall_back_night_ends_at_the_first_of_the_repeated_times():
    # New York, 2 November 2025: 02:00 EDT becomes 01:00 EST, so 01:00-01:59 happens twice.
    short = QuietHours(time(22, 0), time(1, 30))
    assert quiet_until(short, "America/New_York", at("2025-11-02T01:29:00-04:00")) == at("2025-11-02T01:30:00-04:00")
    # The second 01:10 (EST) is after the night's end: quiet hours do not start over.
    assert quiet_until(short, "America/New_York", at("2025-11-02T01:10:00-05:00")) is None


def test_fall_back_night_is_an_hour_longer():
    begins = at("2025-11-01T22:00:00-04:00")
    assert quiet_until(NIGHT, "America/New_York", begins) - begins == timedelta(hours=10)


def test_southern_hemisphere_dst():
    # Sydney, 6 April 2025: 03:00 AEDT becomes 02:00 AEST.
    assert quiet_until(NIGHT, "Australia/Sydney", at("2025-04-06T02:30:00+10:00")) == at("2025-04-06T07:00:00+10:00")


def test_first_instant_on_a_day_that_was_skipped_entirely():
    # Samoa skipped 30 December 2011: any time that day is the jump itself.
    apia = ZoneInfo("Pacific/Apia")
    assert first_instant(date(2011, 12, 30), time(12, 0), apia) == datetime(2011, 12, 31, 0, 0, tzinfo=apia)


@pytest.mark.parametrize("raw", [None, {}, {"start": "22:00"}, {"start": "25:00", "end": "07:00"},
                                 {"start": "7:00", "end": "22:00"}, {"start": "07:00", "end": "07:00"}, "22-07"])
def test_malformed_or_empty_quiet_hours_are_none(raw):
    assert QuietHours.parse(raw) is None


ZONES = ["America/New_York", "Europe/Berlin", "Australia/Sydney", "Asia/Kolkata", "America/Santiago",
         "Pacific/Chatham", "Europe/London", "Asia/Tokyo", "America/St_Johns", "Africa/Casablanca"]
times = st.builds(time, st.integers(0, 23), st.sampled_from([0, 15, 30, 45]))


@settings(max_examples=300, deadline=None)
@given(zone=st.sampled_from(ZONES), start=times, end=times,
       moment=st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2030, 1, 1)))
def test_release_is_the_first_moment_outside_quiet_hours(zone, start, end, moment):
    quiet = QuietHours.parse({"start": start.strftime("%H:%M"), "end": end.strftime("%H:%M")})
    now = moment.replace(tzinfo=UTC)
    release = quiet_until(quiet, zone, now)
    if release is None:
        return
    assert now < release <= now + timedelta(hours=26)
    assert quiet_until(quiet, zone, release) is None
    assert quiet_until(quiet, zone, release - timedelta(seconds=1)) == release

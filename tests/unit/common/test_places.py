"""Places and clocks: airports, zones, and local times kept in the place's own offset."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo, available_timezones

import airportsdata
import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.common.places import (
    FIRST_YEAR,
    LAST_YEAR,
    OutOfRange,
    airport,
    airport_zone,
    is_zone,
    iso,
    parse_local,
    zone_or_none,
)
from domain.common.timestamps import to_utc, utc_iso

ZONES = sorted(available_timezones())
AWARE = st.datetimes(min_value=datetime(1971, 1, 1), max_value=datetime(2099, 12, 31),
                     timezones=st.sampled_from([UTC, ZoneInfo("America/New_York"), ZoneInfo("Asia/Kolkata"),
                                                timezone(timedelta(hours=-9, minutes=-30))]),
                     allow_imaginary=False)


def test_airport_knows_iata_codes():
    assert airport("CDG")["tz"] == "Europe/Paris"
    assert airport("NRT")["country"] == "JP"


@pytest.mark.parametrize("code", ["cdg", "ZZZ", "CDGX", "CD", "", " CDG", None, 123, ["CDG"]])
def test_airport_rejects_what_is_not_an_upper_case_known_code(code):
    assert airport(code) is None
    assert airport_zone(code) is None


def test_airport_zone_is_the_airport_time_zone():
    assert airport_zone("JFK") == "America/New_York"
    assert airport_zone("HNL") == "Pacific/Honolulu"
    assert airport_zone("SYD") == "Australia/Sydney"


def test_every_airport_has_a_zone_the_clock_rules_accept():
    # A flight's zones come from its airports: an airport whose zone is_zone refused could never be booked.
    zones = {code: record["tz"] for code, record in airportsdata.load("IATA").items()}
    assert len(zones) > 5000
    assert [code for code, zone in zones.items() if not is_zone(airport_zone(code))] == []


@pytest.mark.parametrize("name", ["Europe/Paris", "UTC", "America/Argentina/Buenos_Aires"])
def test_is_zone_accepts_iana_names(name):
    assert is_zone(name)


@pytest.mark.parametrize("name", ["Mars/Olympus_Mons", "europe/paris", "", "+02:00", None, 1, ["UTC"]])
def test_is_zone_rejects_anything_else(name):
    assert not is_zone(name)


def test_parse_local_reads_a_naive_time_as_wall_clock_time_at_the_place():
    moment = parse_local("2025-07-01T10:00:00", "Europe/Paris")
    assert (moment.hour, moment.minute) == (10, 0)
    assert moment.tzinfo == ZoneInfo("Europe/Paris")
    assert moment.utcoffset() == timedelta(hours=2)


def test_parse_local_uses_the_offset_in_force_on_that_date():
    assert iso(parse_local("2025-01-15T10:00", "Europe/Paris")) == "2025-01-15T10:00:00+01:00"
    assert iso(parse_local("2025-07-15T10:00", "Europe/Paris")) == "2025-07-15T10:00:00+02:00"


def test_parse_local_moves_an_offset_time_to_the_place_keeping_the_instant():
    moment = parse_local("2025-07-01T08:00:00+00:00", "America/New_York")
    assert iso(moment) == "2025-07-01T04:00:00-04:00"


def test_parse_local_accepts_z_for_utc():
    assert iso(parse_local("2025-07-01T08:00:00Z", "Asia/Tokyo")) == "2025-07-01T17:00:00+09:00"


def test_parse_local_reads_a_bare_date_as_midnight_at_the_place():
    assert iso(parse_local("2025-07-01", "Europe/London")) == "2025-07-01T00:00:00+01:00"


@pytest.mark.parametrize("value", ["tomorrow", "2025-13-01T00:00", "2025-07-01T25:00", "", None, 1700000000])
def test_parse_local_rejects_what_is_not_iso_8601(value):
    with pytest.raises(ValueError):
        parse_local(value, "UTC")


@given(AWARE, st.sampled_from(ZONES))
def test_parse_local_of_an_offset_time_keeps_the_instant_and_lands_in_the_zone(moment, zone):
    moment = moment.replace(microsecond=0)
    parsed = parse_local(iso(moment), zone)
    assert parsed.timestamp() == moment.timestamp()  # instants: PEP 495 inter-zone == is False in a fold
    assert parsed.tzinfo == ZoneInfo(zone)
    assert parse_local(iso(parsed), zone) == parsed


@given(st.datetimes(min_value=datetime(1971, 1, 1), max_value=datetime(2099, 12, 31)), st.sampled_from(ZONES))
def test_parse_local_of_a_naive_time_keeps_the_wall_clock_unless_the_clocks_skip_it(naive, zone):
    naive = naive.replace(microsecond=0)
    parsed = parse_local(naive.isoformat(), zone)
    before, after = (naive.replace(tzinfo=ZoneInfo(zone), fold=fold).utcoffset() for fold in (0, 1))
    if before < after:  # a gap (PEP 495): the time is shown as the clock reads once it has jumped
        assert (parsed.replace(tzinfo=None), parsed.utcoffset()) == (naive + after - before, after)
    else:  # in a repeated hour, the first time round
        assert (parsed.replace(tzinfo=None), parsed.utcoffset()) == (naive, before)
    assert parse_local(iso(parsed), zone) == parsed


@pytest.mark.parametrize("value,zone,expected", [
    ("2025-03-30T02:30", "Europe/Paris", "2025-03-30T03:30:00+02:00"),
    ("2025-03-09T02:15:00", "America/New_York", "2025-03-09T03:15:00-04:00"),
    ("2025-10-05T02:00", "Australia/Sydney", "2025-10-05T03:00:00+11:00"),
    ("2011-12-30T12:00", "Pacific/Apia", "2011-12-31T12:00:00+14:00"),  # Samoa skipped a whole day
])
def test_parse_local_moves_a_time_the_clocks_skip_past_the_jump(value, zone, expected):
    assert iso(parse_local(value, zone)) == expected
    assert iso(parse_local(expected, zone)) == expected


def test_parse_local_reads_a_repeated_hour_as_its_first_time_round_unless_the_offset_says_otherwise():
    assert iso(parse_local("2025-11-02T01:30", "America/New_York")) == "2025-11-02T01:30:00-04:00"
    assert iso(parse_local("2025-11-02T01:30-05:00", "America/New_York")) == "2025-11-02T01:30:00-05:00"


@pytest.mark.parametrize("value,zone", [
    ("9999-12-31T23:00:00-05:00", "Europe/Paris"),  # overflowed moving to UTC
    ("0001-01-01T00:30:00+01:00", "Europe/Paris"),
    ("9999-12-31T23:00", "Pacific/Honolulu"),
    ("1899-12-31T23:59:59", "UTC"),
    ("2201-01-01", "UTC"),
    ("1900-01-01T00:30:00+01:00", "UTC"),  # 1900 as written, 1899 at the place
])
def test_parse_local_refuses_times_outside_the_years_a_trip_can_have(value, zone):
    with pytest.raises(OutOfRange, match=f"must be in the years {FIRST_YEAR} to {LAST_YEAR}"):
        parse_local(value, zone)
    assert issubclass(OutOfRange, ValueError)  # callers that catch ValueError keep working


def test_parse_local_accepts_the_first_and_last_years():
    assert iso(parse_local("1900-01-01T00:00", "UTC")) == "1900-01-01T00:00:00+00:00"
    assert iso(parse_local("2200-12-31T23:59:59", "Pacific/Kiritimati")) == "2200-12-31T23:59:59+14:00"


def test_iso_shows_seconds_and_the_offset():
    moment = datetime(2025, 7, 1, 10, 0, 0, 123456, tzinfo=ZoneInfo("Asia/Kolkata"))
    assert iso(moment) == "2025-07-01T10:00:00+05:30"


@given(AWARE)
def test_to_utc_reads_back_what_iso_wrote(moment):
    moment = moment.replace(microsecond=0)
    # Compare instants: PEP 495 makes inter-zone == False for a time in a repeated (fold) hour.
    assert to_utc(iso(moment)).timestamp() == moment.timestamp()
    assert to_utc(iso(moment)).utcoffset() == timedelta(0)
    assert to_utc(utc_iso(moment)).timestamp() == moment.timestamp()


def test_zone_or_none():
    assert zone_or_none("Europe/Paris") == ZoneInfo("Europe/Paris")
    assert zone_or_none("Mars/Olympus_Mons") is None
    assert zone_or_none("../../etc/passwd") is None
    assert zone_or_none("") is None


@pytest.mark.parametrize("local,zone,written", [
    ("1900-01-30T00:00", "Pacific/Tahiti", "1900-01-30T09:58:16Z"),  # local mean time, -09:58:16
    ("1971-06-01T12:00", "Africa/Monrovia", "1971-06-01T12:44:30Z"),  # -00:44:30 until 1972
    ("1973-06-01T12:00", "Africa/Monrovia", "1973-06-01T12:00:00+00:00"),
])
def test_an_offset_with_seconds_is_written_in_utc(local, zone, written):
    # RFC 3339 has no seconds in an offset; the instant is the same, and reading it back gives it again.
    moment = parse_local(local, zone)
    assert iso(moment) == written
    assert iso(parse_local(written, zone)) == written
    assert to_utc(written) == moment.astimezone(UTC)

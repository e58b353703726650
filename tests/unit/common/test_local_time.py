"""Times for people: the place's own zone and its name, the reader's locale, across DST; numbers and distances."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.common.local_time import day_mark, distance, local_time, number

NNBSP = "\u202f"  # CLDR's narrow no-break space before AM/PM and between French thousands


@pytest.mark.parametrize(("instant", "zone", "locale", "text"), [
    ("2026-01-15T13:05:00Z", "Europe/Berlin", "de", "14:05 MEZ"),
    ("2026-07-15T13:05:00Z", "Europe/Berlin", "de", "15:05 MESZ"),          # summer time, named as such
    ("2026-01-15T13:05:00Z", "Europe/Madrid", "es", "14:05 CET"),
    ("2026-01-15T13:05:00Z", "Europe/Paris", "en_GB", "14:05 CET"),
    ("2026-07-15T13:05:00Z", "Europe/Paris", "en_GB", "15:05 CEST"),
    ("2026-01-15T19:05:00Z", "America/New_York", "en", f"2:05{NNBSP}PM EST"),
    ("2026-07-15T19:05:00Z", "America/New_York", "en_US", f"3:05{NNBSP}PM EDT"),
    ("2026-01-15T05:05:00Z", "Asia/Tokyo", "ja", "14:05 JST"),
    ("2026-01-15T13:05:00Z", "America/Sao_Paulo", "pt_BR", "10:05 BRT"),
    # No short name in the locale: the zone's long name, never a bare offset.
    ("2026-01-15T13:05:00Z", "Europe/Paris", "fr", "14:05 CET"),
    ("2026-01-15T05:05:00Z", "Asia/Tokyo", "en", f"2:05{NNBSP}PM JST"),
    # An offset other than UTC is the same instant.
    ("2026-01-15T13:05:00+09:00", "Asia/Kolkata", "en", f"9:35{NNBSP}AM IST"),
])
def test_local_time_is_the_place_s_clock_with_its_zone_named(instant, zone, locale, text):
    assert local_time(instant, zone, locale) == text


@pytest.mark.parametrize(("instant", "text"), [
    ("2026-03-29T00:59:00Z", "01:59 MEZ"), ("2026-03-29T01:00:00Z", "03:00 MESZ"),     # spring forward
    ("2026-10-25T00:30:00Z", "02:30 MESZ"), ("2026-10-25T01:30:00Z", "02:30 MEZ"),     # the hour that repeats
])
def test_the_dst_switch_is_told_apart_by_the_zone_name(instant, text):
    assert local_time(instant, "Europe/Berlin", "de") == text


@pytest.mark.parametrize(("locale", "text"), [
    ("en", f"Thu, Jan 15, 2:05{NNBSP}PM EST"),
    ("ja", "1月15日(木) 14:05 EST"),
])
def test_local_time_with_the_date_the_locale_s_way(locale, text):
    assert local_time(datetime(2026, 1, 15, 19, 5, tzinfo=UTC), "America/New_York", locale, with_date=True) == text


def test_japanese_dates_and_times():
    assert local_time("2026-03-04T05:05:00Z", "Asia/Tokyo", "ja", with_date=True) == "3月4日(水) 14:05 JST"


def test_an_instant_without_an_offset_is_refused():
    with pytest.raises(ValueError):
        local_time("2026-01-15T13:05:00", "Europe/Berlin", "de")


@pytest.mark.parametrize(("arrival", "arrival_zone", "departure", "departure_zone", "mark"), [
    ("2026-01-15T21:00:00Z", "Asia/Tokyo", "2026-01-15T10:00:00Z", "Europe/Berlin", "+1"),   # overnight east
    ("2026-01-15T12:00:00Z", "Asia/Tokyo", "2026-01-15T10:00:00Z", "Europe/Berlin", ""),     # 21:00 JST, same day
    ("2026-01-16T04:00:00Z", "America/Los_Angeles", "2026-01-16T01:00:00Z", "Asia/Tokyo", "-1"),  # dateline west
    ("2026-01-17T06:00:00Z", "Australia/Sydney", "2026-01-15T22:00:00Z", "Europe/London", "+2"),
    ("2026-03-29T22:30:00Z", "Europe/Berlin", "2026-03-29T20:00:00Z", "Europe/Berlin", "+1"),  # 00:30 MESZ
])
def test_day_mark_counts_calendar_days_at_each_place(arrival, arrival_zone, departure, departure_zone, mark):
    assert day_mark(arrival, arrival_zone, departure, departure_zone) == mark


@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2090, 1, 1)),
       st.integers(min_value=0, max_value=23 * 60))
def test_a_same_place_time_within_the_same_local_day_has_no_mark(start, minutes):
    start = start.replace(hour=0, minute=0, tzinfo=timezone(timedelta(hours=9)))  # a day in Tokyo
    later = start + timedelta(minutes=minutes)
    assert day_mark(later, "Asia/Tokyo", start, "Asia/Tokyo") == ""


@pytest.mark.parametrize(("locale", "text"), [
    ("en", "1,234,567.891"), ("de", "1.234.567,891"), ("fr", f"1{NNBSP}234{NNBSP}567,891"), ("ja", "1,234,567.891"),
])
def test_numbers_are_written_the_locale_s_way(locale, text):
    assert number(1234567.891, locale) == text


@pytest.mark.parametrize(("locale", "text"), [("en", "6,226 km"), ("de", "6.226 km"), ("fr", f"6{NNBSP}226{NNBSP}km")])
def test_distances_in_kilometres_the_locale_s_way(locale, text):
    assert distance(6226.4, locale) == text

"""Flight status: provider vocabularies normalised, and the status the times imply."""

import re
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from domain.tracking.flight_status import STATUSES, derive, is_late, normalise
from domain.tracking.snapshots import point, time_from_local

SAMPLES = Path(__file__).parents[3].parent / "shared" / "data" / "reservation-samples" / "provider-apis"
TRIPIT_DOC = {  # SOURCES.md, from TripIt's "Pro Data" table
    100: "unknown", 200: "unknown", 300: "scheduled", 301: "scheduled", 302: "departed", 303: "landed",
    400: "cancelled", 401: "delayed", 402: "departed", 403: "landed", 404: "diverted", 405: "delayed",
    406: "departed", 407: "landed", 408: "unknown",
}


def at(local: str, zone: str = "Europe/Berlin") -> dict:
    return time_from_local(local, zone)


def test_the_vocabulary_is_exactly_seven_words():
    assert STATUSES == ("scheduled", "delayed", "departed", "landed", "cancelled", "diverted", "unknown")


@pytest.mark.parametrize(("code", "status"), TRIPIT_DOC.items())
def test_tripit_codes_as_numbers_and_text(code, status):
    assert normalise(code) == status
    assert normalise(str(code)) == status
    assert normalise(f" {code}\n") == status


def test_unlisted_tripit_codes_are_unknown():
    assert normalise(999) == normalise("500") == "unknown"


def test_tripit_samples():
    codes = [int(c) for name in ("tripit_api_get_trip_include_objects.txt", "tripit_api_create_air_response.txt")
             for c in re.findall(r"<flight_status>(\d+)</flight_status>", (SAMPLES / name).read_text())]
    assert [normalise(c) for c in codes] == ["delayed", "unknown", "unknown"]


def test_tripit_sample_times_imply_the_delay_it_reports():
    # Segment: StartDateTime 13:00 America/Los_Angeles, Status EstimatedDepartureDateTime 13:45, code 401.
    departure = point("SFO", at("2009-11-09T13:00:00", "America/Los_Angeles"),
                      estimated=at("2009-11-09T13:45:00", "America/Los_Angeles"))
    assert is_late(departure)
    assert derive("scheduled", departure) == "delayed" == derive(normalise(401), departure)


@pytest.mark.parametrize(("words", "status"), [
    ("On Time", "scheduled"), ("Scheduled", "scheduled"), ("Boarding", "scheduled"), ("Gate Closed", "scheduled"),
    ("Delayed", "delayed"), ("DELAYED", "delayed"), ("Delayed 45 min", "delayed"), ("late", "delayed"),
    ("En Route", "departed"), ("en-route", "departed"), ("In Flight", "departed"), ("Active", "departed"),
    ("Departed 08:12", "departed"), ("In Flight - Late", "departed"),
    ("Landed", "landed"), ("Arrived", "landed"), ("Arrived - Late", "landed"), ("Landed 10:35", "landed"),
    ("Cancelled", "cancelled"), ("Canceled", "cancelled"), ("Flight cancelled", "cancelled"),
    ("Diverted", "diverted"), ("Diverted to MUC", "diverted"), ("Redirected", "diverted"),
    ("Unknown", "unknown"), ("", "unknown"), ("N/A", "unknown"), ("Not departed yet", "unknown"),
    ("no status available", "unknown"), ("wibble", "unknown"), ("Not Monitored", "unknown"),
])
def test_common_words(words, status):
    assert normalise(words) == status


@pytest.mark.parametrize(("code", "status"), [
    ("S", "scheduled"), ("A", "departed"), ("L", "landed"), ("C", "cancelled"), ("D", "diverted"),
    ("R", "diverted"), ("NO", "cancelled"), ("U", "unknown"), ("DN", "unknown"),
    ("SCH", "scheduled"), ("DLY", "delayed"), ("DEP", "departed"), ("AIR", "departed"), ("LND", "landed"),
    ("ARR", "landed"), ("CNL", "cancelled"), ("cxl", "cancelled"), ("DIV", "diverted"),
    ("STD", "scheduled"), ("ETD", "scheduled"), ("ATD", "departed"), ("ATA", "landed"),
])
def test_codes(code, status):
    assert normalise(code) == status


@pytest.mark.parametrize("value", [None, True, False, 3.5, ["Landed"], {"status": "Landed"}])
def test_non_text_is_unknown(value):
    assert normalise(value) == "unknown"


@example("¹")   # a digit to str.isdigit(), not to int()
@given(st.one_of(st.text(), st.integers(), st.none(), st.floats()))
def test_anything_maps_into_the_vocabulary(value):
    assert normalise(value) in STATUSES


def test_is_late_at_fifteen_minutes():
    scheduled = at("2026-12-01T08:00:00")
    assert not is_late(point("FRA", scheduled, at("2026-12-01T08:14:59")))
    assert is_late(point("FRA", scheduled, at("2026-12-01T08:15:00")))
    assert not is_late(point("FRA", scheduled, at("2026-12-01T07:00:00")))
    assert not is_late(point("FRA", scheduled)) and not is_late(None) and not is_late(point("FRA"))


def test_derive_moves_the_status_on_by_the_times():
    late = point("FRA", at("2026-12-01T08:00:00"), at("2026-12-01T09:00:00"))
    gone = {**late, "actual": at("2026-12-01T09:05:00")}
    down = point("JFK", actual=at("2026-12-01T11:00:00", "America/New_York"))
    assert derive("scheduled", late) == "delayed"
    assert derive("unknown", late) == "delayed"
    assert derive("delayed", gone) == "departed"
    assert derive("scheduled", gone, down) == "landed"
    assert derive("departed", late) == "departed"  # a later stage is never moved back by an old estimate
    assert derive("landed", point("FRA")) == "landed"
    assert derive("unknown") == "unknown"
    assert derive("On Time", late) == "delayed"


@pytest.mark.parametrize("final", ["cancelled", "diverted"])
def test_cancelled_and_diverted_are_final(final):
    departed = point("FRA", actual=at("2026-12-01T09:00:00"))
    assert derive(final, departed, point("JFK", actual=at("2026-12-01T18:00:00"))) == final


def test_derive_keeps_a_provider_delay_when_the_estimate_is_back_on_time():
    assert derive("delayed", point("FRA", at("2026-12-01T08:00:00"), at("2026-12-01T08:05:00"))) == "delayed"

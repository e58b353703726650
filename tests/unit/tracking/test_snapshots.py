"""Snapshot shape: times as local + zone + UTC, builders, validation, fingerprints."""

import json
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.common.errors import ValidationError
from domain.common.places import airport_zone
from domain.tracking.snapshots import (
    car_snapshot,
    fingerprint,
    flight_snapshot,
    hotel_snapshot,
    is_error,
    minutes_between,
    point,
    stop,
    time_from_any,
    time_from_local,
    time_from_offset,
    time_from_utc,
    utc_seconds,
)
from domain.tracking.snapshots_check import validate

SAMPLES = Path(__file__).parents[3].parent / "shared" / "data" / "reservation-samples" / "provider-apis"
ZONES = ["Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Kathmandu", "Pacific/Chatham",
         "America/St_Johns", "UTC", "Pacific/Kiritimati", "Pacific/Pago_Pago", "Europe/Lisbon"]


def test_time_from_local_keeps_wall_clock_and_finds_the_instant():
    assert time_from_local("2026-12-01T08:30:00", "Europe/Berlin") == {
        "local": "2026-12-01T08:30:00", "zone": "Europe/Berlin", "utc": "2026-12-01T07:30:00Z"}
    assert time_from_local("2026-07-01T08:30", "Europe/Berlin")["utc"] == "2026-07-01T06:30:00Z"


def test_a_local_time_skipped_by_the_clocks_becomes_the_time_the_clock_shows():
    t = time_from_local("2026-03-29T02:30:00", "Europe/Berlin")
    assert t == {"local": "2026-03-29T03:30:00", "zone": "Europe/Berlin", "utc": "2026-03-29T01:30:00Z"}


def test_an_ambiguous_local_time_is_its_first_occurrence():
    assert time_from_local("2026-10-25T02:30:00", "Europe/Berlin")["utc"] == "2026-10-25T00:30:00Z"


def test_time_from_offset_moves_the_instant_into_the_zone():
    t = time_from_offset("2026-12-01T08:30:00+00:00", "Europe/Berlin")
    assert t == {"local": "2026-12-01T09:30:00", "zone": "Europe/Berlin", "utc": "2026-12-01T08:30:00Z"}
    assert time_from_offset("2026-12-01T08:30:00Z", "Asia/Kathmandu")["local"] == "2026-12-01T14:15:00"


def test_time_from_utc_accepts_strings_datetimes_and_naive_utc():
    expected = time_from_offset("2026-12-01T07:30:00Z", "Europe/Berlin")
    assert time_from_utc("2026-12-01T07:30:00Z", "Europe/Berlin") == expected
    assert time_from_utc("2026-12-01T07:30:00", "Europe/Berlin") == expected
    assert time_from_utc(datetime(2026, 12, 1, 7, 30, 0, 999, tzinfo=UTC), "Europe/Berlin") == expected


def test_time_from_any_reads_naive_as_local_and_offset_as_instant():
    assert time_from_any("2026-12-01T08:30:00", "Europe/Berlin")["utc"] == "2026-12-01T07:30:00Z"
    assert time_from_any("2026-12-01T08:30:00-05:00", "Europe/Berlin")["utc"] == "2026-12-01T13:30:00Z"


@pytest.mark.parametrize("call", [
    lambda: time_from_local("2026-12-01T08:30:00+01:00", "Europe/Berlin"),
    lambda: time_from_offset("2026-12-01T08:30:00", "Europe/Berlin"),
    lambda: time_from_local("2026-12-01T08:30:00", "Mars/Olympus"),
    lambda: time_from_local("yesterday", "Europe/Berlin"),
    lambda: time_from_utc(None, "Europe/Berlin"),
])
def test_time_builders_reject_what_they_cannot_place(call):
    with pytest.raises(ValueError):
        call()


def test_amadeus_timings_become_times_in_the_airport_zones():
    flight = json.loads((SAMPLES / "amadeus_on_demand_flight_status_example.json").read_text())["data"][0]
    board, off = flight["flightPoints"]
    std = board["departure"]["timings"][0]
    sta = off["arrival"]["timings"][0]
    departure = time_from_offset(std["value"], airport_zone(board["iataCode"]))
    arrival = time_from_offset(sta["value"], airport_zone(off["iataCode"]))
    assert departure == {"local": "2023-08-01T18:10:00", "zone": "Europe/Paris", "utc": "2023-08-01T16:10:00Z"}
    assert arrival == {"local": "2023-08-01T19:45:00", "zone": "Europe/Lisbon", "utc": "2023-08-01T18:45:00Z"}
    assert minutes_between(departure, arrival) == 155  # scheduledSegmentDuration PT2H35M


def test_tripit_date_time_zone_and_offset_agree_on_the_instant():
    text = (SAMPLES / "tripit_api_get_trip_include_objects.txt").read_text()
    segment = ET.fromstring(text[text.index("<Response>"):text.rindex("</Response>") + 11]).find(".//Segment")
    for node in segment.iter():
        if node.find("timezone") is not None:
            local = f"{node.findtext('date')}T{node.findtext('time')}"
            by_zone = time_from_local(local, node.findtext("timezone"))
            by_offset = time_from_offset(local + node.findtext("utc_offset"), node.findtext("timezone"))
            assert by_zone == by_offset
            assert by_zone["local"] == local


@given(st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2037, 12, 31)), st.sampled_from(ZONES))
def test_the_three_builders_agree(moment, zone):
    t = time_from_utc(moment, zone)
    assert time_from_offset(t["utc"], zone) == t
    again = time_from_local(t["local"], zone)
    assert again["local"] == t["local"]
    if again["utc"] != t["utc"]:  # only the second pass of an hour the clocks repeat may differ
        wall = datetime.fromisoformat(t["local"])
        assert wall.replace(tzinfo=ZoneInfo(zone), fold=0).utcoffset() != \
            wall.replace(tzinfo=ZoneInfo(zone), fold=1).utcoffset()
    validate(hotel_snapshot(check_in=t))


def test_minutes_between_and_utc_seconds():
    a = time_from_local("2026-12-01T08:30:00", "Europe/Berlin")
    b = time_from_local("2026-12-01T08:30:00", "Europe/London")
    assert minutes_between(a, b) == 60
    assert minutes_between(b, a) == -60
    assert utc_seconds(a) == datetime(2026, 12, 1, 7, 30, tzinfo=UTC).timestamp()


def test_builders_fill_every_field_and_validate():
    t = time_from_local("2026-12-01T08:30:00", "Europe/Berlin")
    flight = flight_snapshot("LH", "400", "2026-12-01", status="scheduled",
                             departure=point("FRA", t, gate="A1"), arrival=point("JFK"))
    assert set(flight["departure"]) == {"airport", "scheduled", "estimated", "actual", "terminal", "gate"}
    assert flight["aircraft"] is None and flight["provider_changed_at"] is None
    for snapshot in (flight, flight_snapshot("LH", "400", "2026-12-01"),
                     hotel_snapshot(status="confirmed", check_in=t, guests=2),
                     car_snapshot(status="cancelled", pickup=stop("FRA", t))):
        assert validate(snapshot) is snapshot


def _errors(snapshot) -> dict:
    with pytest.raises(ValidationError) as caught:
        validate(snapshot)
    return {e["field"]: e["message"] for e in caught.value.errors}


def test_validation_lists_every_bad_field():
    t = time_from_local("2026-12-01T08:30:00", "Europe/Berlin")
    bad = flight_snapshot("L", "40000", "2026-13-01", status="late", aircraft="",
                          departure=point("XXX", {**t, "local": "2026-12-01T09:30:00"}),
                          provider_changed_at="2026-12-01T07:30:00+00:00")
    bad["arrival"]["runway"] = "27L"
    bad["meal"] = "veg"
    errors = _errors(bad)
    assert set(errors) == {"carrier", "number", "date", "status", "aircraft", "departure.airport",
                           "departure.scheduled", "arrival.runway", "meal", "provider_changed_at"}
    assert "2026-12-01T08:30:00" in errors["departure.scheduled"]


@pytest.mark.parametrize(("snapshot", "field"), [
    ({"kind": "boat"}, "kind"),
    ("not a dict", "kind"),
    ({"kind": "flight", "carrier": "LH", "number": "400"}, "date"),
    (hotel_snapshot(status="delayed"), "status"),
    (hotel_snapshot(guests=True), "guests"),
    (hotel_snapshot(guests=0), "guests"),
    (hotel_snapshot(check_in={"local": "2026-12-01T08:30:00", "zone": "Europe/Berlin"}), "check_in"),
    (hotel_snapshot(check_in={"local": "x", "zone": "Nowhere/City", "utc": "2026-12-01T07:30:00Z"}), "check_in"),
    (hotel_snapshot(check_in={"local": "x", "zone": "UTC", "utc": "2026-12-01 07:30"}), "check_in"),
    ({**car_snapshot(), "pickup": "FRA"}, "pickup"),
    (car_snapshot(company=42), "company"),
    ({"kind": "car", "error": "boom"}, "error"),
])
def test_validation_rejects(snapshot, field):
    assert field in _errors(snapshot)


def test_error_snapshots():
    assert validate({"kind": "flight", "error": "timeout"}) == {"kind": "flight", "error": "timeout"}
    assert is_error({"kind": "hotel", "error": "not_found"}) and is_error(None)
    assert not is_error(hotel_snapshot())
    with pytest.raises(ValidationError):
        validate({"kind": "car", "error": "exploded"})


def test_fingerprint_ignores_key_order_and_sees_every_value():
    t = time_from_local("2026-12-01T08:30:00", "Europe/Berlin")
    a = flight_snapshot("LH", "400", "2026-12-01", departure=point("FRA", t))
    reordered = json.loads(json.dumps(dict(reversed(list(a.items())))))
    assert fingerprint(a) == fingerprint(reordered)
    later = {**a, "departure": {**a["departure"], "scheduled": time_from_utc(datetime(2026, 12, 1, 7, 31), "UTC")}}
    assert fingerprint(a) != fingerprint(later)
    assert fingerprint(a) != fingerprint({**a, "provider_changed_at": "2026-12-01T07:30:00Z"})
    assert len({fingerprint({**a, "number": str(n)}) for n in range(500)}) == 500


def test_times_are_to_the_second():
    t = time_from_utc(datetime(2026, 12, 1, 7, 30, 0, 500_000, tzinfo=UTC) + timedelta(seconds=1), "UTC")
    assert t["utc"] == "2026-12-01T07:30:01Z" and t["local"] == "2026-12-01T07:30:01"

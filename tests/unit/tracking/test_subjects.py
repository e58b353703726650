"""Tracking subjects: one provider question per flight instance or booking, fanned out to its reservations."""

from urllib.parse import unquote

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from domain.reservations.fields import check
from domain.tracking.subjects import (
    Subject,
    booking_subject,
    flight_subject,
    parse_subject,
    subject_of,
)


def flight(rid: str = "r1", number: str = "400", start: str = "2026-12-01T10:05:00", **extra) -> dict:
    fields = check({"type": "flight", "start": start, "end": start[:10] + "T13:10:00",
                    "flight": {"airline": "lh", "number": number, "from": "FRA", "to": "JFK"}, **extra})
    return {"id": rid, **fields}


def stay(rid: str = "h1", kind: str = "hotel", provider: str = "Marriott", confirmation: str = "ABC123") -> dict:
    detail = {"name": "Adlon"} if kind == "hotel" else {"company": "Sixt"}
    fields = check({"type": kind, "start": "2026-12-01T15:00:00", "end": "2026-12-03T11:00:00",
                    "start_time_zone": "Europe/Berlin", kind: detail, "provider": provider,
                    "confirmation": confirmation})
    return {"id": rid, **fields}


def test_a_flight_is_tracked_by_carrier_number_and_local_departure_date():
    assert subject_of(flight()) == "flight/LH/400/2026-12-01"


def test_the_date_is_where_the_flight_leaves_not_utc():
    # 23:30 in New York is already the next day in UTC; the flight is still the 1 December one.
    reservation = check({"type": "flight", "start": "2026-12-02T04:30:00Z", "end": "2026-12-02T12:00:00Z",
                         "flight": {"airline": "UA", "number": "960", "from": "JFK", "to": "FRA"}})
    assert reservation["start"] == "2026-12-01T23:30:00-05:00"
    assert subject_of(reservation) == "flight/UA/960/2026-12-01"
    raw = {**reservation, "start": "2026-12-02T04:30:00Z"}
    assert subject_of(raw) == "flight/UA/960/2026-12-01"


def test_without_a_zone_the_start_offset_decides():
    assert subject_of({"type": "flight", "start": "2026-12-01T23:30:00-05:00",
                       "flight": {"airline": "UA", "number": "960"}}) == "flight/UA/960/2026-12-01"


def test_leading_zeros_and_case_do_not_split_a_flight():
    assert flight_subject("lh", "0400", "2026-12-01") == flight_subject("LH", "400", "2026-12-01")
    assert flight_subject("BA", "0012a", "2026-12-01") == "flight/BA/12A/2026-12-01"
    assert flight_subject("BA", "0", "2026-12-01") == "flight/BA/0/2026-12-01"
    assert subject_of(flight(number="0400")) == subject_of(flight())


def test_hotel_and_car_are_tracked_by_provider_and_confirmation():
    assert subject_of(stay()) == "hotel/marriott/ABC123"
    assert subject_of(stay(kind="car", provider="Sixt ")) == "car/sixt/ABC123"
    assert subject_of(stay(provider="Best Western", confirmation="AB/12 x")) == "hotel/best%20western/AB%2F12%20x"


@pytest.mark.parametrize("reservation", [
    {"type": "hotel", "provider": "Marriott"},
    {"type": "hotel", "confirmation": "ABC"},
    {"type": "car", "provider": " ", "confirmation": "ABC"},
    {"type": "flight", "flight": {"airline": "LH"}, "start": "2026-12-01T10:00:00+01:00"},
    {"type": "flight", "flight": {"airline": "LH", "number": "400"}},
    {"type": "flight", "flight": {"airline": "LH", "number": "400"}, "start": "soon"},
    {"type": "boat"},
])
def test_no_subject_when_the_provider_cannot_be_asked(reservation):
    assert subject_of(reservation) is None


def test_parse_subject_gives_the_parts_as_written():
    parsed = parse_subject("flight/LH/400/2026-12-01")
    assert (parsed.kind, parsed.provider, parsed.flight) == ("flight", None, ("LH", "400", "2026-12-01"))
    stay_subject = subject_of(stay(provider="Best Western", confirmation="AB/12"))
    assert parse_subject(stay_subject) == Subject("hotel", "best%20western", "AB%2F12")
    assert str(parse_subject(stay_subject)) == stay_subject
    assert parse_subject("pnr/gds-sim/ABC123") == Subject("pnr", "gds-sim", "ABC123")


@pytest.mark.parametrize("bad", [
    "flight/LH/400", "flight/lh/400/2026-12-01", "flight/LH/40000/2026-12-01", "flight/LH/400/2026-02-30",
    "boat/x/y", "hotel/a/b/c", "hotel//b", "hotel/a b/c", "hotel/a/" + "x" * 65, "", None,
])
def test_parse_subject_refuses_what_the_provider_interface_refuses(bad):
    with pytest.raises(ValueError):
        parse_subject(bad)


@given(st.sampled_from(["hotel", "car"]), st.text(min_size=1), st.text(min_size=1))
def test_a_booking_subject_reads_back_unless_too_long_for_the_interface(kind, provider, confirmation):
    assume(provider.strip() and confirmation.strip())
    subject = booking_subject(kind, provider, confirmation)
    assert subject.count("/") == 2
    if max(len(part) for part in subject.split("/")[1:]) > 64:
        with pytest.raises(ValueError):
            parse_subject(subject)
        return
    parsed = parse_subject(subject)
    assert str(parsed) == subject
    assert (unquote(parsed.provider), unquote(parsed.ref)) == (provider.strip().lower(), confirmation.strip())


def test_one_provider_call_serves_every_traveller_on_it():
    reservations = [flight("r2"), flight("r1", number="0400"), flight("r3", start="2026-12-02T10:05:00"),
                    flight("r4", number="401"), stay("h1"), stay("h2"), stay("h3", confirmation="XYZ"),
                    {"id": "x1", "type": "hotel"}]
    assert {r["id"]: subject_of(r) for r in reservations} == {
        "r1": "flight/LH/400/2026-12-01", "r2": "flight/LH/400/2026-12-01", "r3": "flight/LH/400/2026-12-02",
        "r4": "flight/LH/401/2026-12-01", "h1": "hotel/marriott/ABC123", "h2": "hotel/marriott/ABC123",
        "h3": "hotel/marriott/XYZ", "x1": None,
    }

"""A reservation's first snapshot against the reservation as booked (domain/tracking/baseline.py), and the
tracking record that carries the booking until then (domain/tracking/state.py)."""

from __future__ import annotations

import json
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from domain.reservations.fields import check
from domain.tracking.baseline import booked, first_changes
from domain.tracking.diff import overall_severity
from domain.tracking.observe import observe
from domain.tracking.snapshots import (
    car_snapshot,
    fingerprint,
    flight_snapshot,
    hotel_snapshot,
    point,
    stop,
    time_at,
    time_from_local,
)
from domain.tracking.state import follow, observed

SCHEMA = json.loads((Path(__file__).parents[3] / "schemas" / "reservation-changes.json").read_text())
CHANGES = Draft202012Validator(SCHEMA, format_checker=Draft202012Validator.FORMAT_CHECKER)
NOW = time.time()
DAY = (date.today() + timedelta(days=30)).isoformat()     # a trip ahead, whenever the tests run
NEXT_DAY = (date.today() + timedelta(days=31)).isoformat()
SUBJECT = f"flight/LH/400/{DAY}"
BERLIN, NEW_YORK, PARIS = "Europe/Berlin", "America/New_York", "Europe/Paris"


def reservation(kind: str = "flight", **details) -> dict:
    """A reservation's public representation as reservation-events carries it (validated, so zoned)."""
    if kind == "flight":
        fields = {"type": "flight", "start": f"{DAY}T08:30", "end": f"{DAY}T11:05",
                  "flight": {"airline": "LH", "number": "400", "from": "FRA", "to": "JFK", **details}}
    elif kind == "hotel":
        fields = {"type": "hotel", "start": f"{DAY}T15:00", "end": f"{NEXT_DAY}T11:00", "start_time_zone": PARIS,
                  "hotel": {"name": "Hôtel du Louvre", "address": "Place André Malraux", **details}}
    else:
        fields = {"type": "car", "start": f"{DAY}T10:00", "end": f"{NEXT_DAY}T10:00", "start_time_zone": PARIS,
                  "car": {"company": "Hertz", "pickup_location": "CDG Terminal 2", **details}}
    return {"id": "r1", "provider": "airline-sim", "version": 1, **check({"status": "confirmed", **fields})}


def at(local: str, zone: str = BERLIN) -> dict:
    return time_from_local(local, zone)


def departs(minutes_late: int = 0) -> dict:
    return at(f"{DAY}T08:30:00") if not minutes_late else _later(at(f"{DAY}T08:30:00"), minutes_late)


def _later(t: dict, minutes: int) -> dict:
    return time_at(datetime.fromisoformat(t["utc"]) + timedelta(minutes=minutes), t["zone"])


def flight(status: str = "scheduled", late: int = 0, gate: str | None = "A12", to: str = "JFK",
           scheduled: dict | None = None, actual: dict | None = None, changed_at: str | None = None) -> dict:
    """The provider's flight: by default as booked (08:30 FRA, 11:05 JFK), with a gate and terminal the
    booking does not state."""
    arrival_scheduled = at(f"{DAY}T11:05:00", NEW_YORK)
    return flight_snapshot(
        "LH", "400", DAY, status=status, aircraft="A359", provider_changed_at=changed_at,
        departure=point("FRA", scheduled or departs(), _later(scheduled or departs(), late) if late else None,
                        actual, terminal="1", gate=gate),
        arrival=point(to, arrival_scheduled, _later(arrival_scheduled, late) if late else None, terminal="4"))


def paths(changes: list[dict]) -> dict[str, str]:
    return {change["path"]: change["severity"] for change in changes}


# the booking in a snapshot's shape


def test_a_booked_flight_says_its_airports_times_and_only_the_details_it_holds():
    shape = booked(reservation(departure_gate="B22", seat="12A"))
    assert shape == {"kind": "flight", "status": "scheduled", "seat": "12A",
                     "departure": {"airport": "FRA", "scheduled": departs(), "gate": "B22"},
                     "arrival": {"airport": "JFK", "scheduled": at(f"{DAY}T11:05:00", NEW_YORK)}}
    assert booked(reservation("hotel"))["check_out"] == at(f"{NEXT_DAY}T11:00:00", PARIS)
    assert booked(reservation("car"))["pickup"] == {"location": "CDG Terminal 2", "time": at(f"{DAY}T10:00:00", PARIS)}
    assert booked(None) is None and booked({"type": "train"}) is None and booked({"type": "flight"}) is None


# flights


def test_a_first_snapshot_that_agrees_with_the_booking_is_no_news():
    as_booked = booked(reservation())
    assert first_changes(as_booked, flight()) == []                      # gate, terminal, aircraft: only unsaid
    assert first_changes(as_booked, flight(late=10)) == []               # within the quarter hour: on time
    assert first_changes(as_booked, flight(scheduled=departs(10))) == []  # a booked time typed a little off
    assert first_changes(as_booked, flight("departed", actual=departs(5))) == []   # progress, not news
    assert first_changes(as_booked, flight("unknown")) == []
    assert first_changes(booked(reservation(departure_gate=" a12 ")), flight()) == []   # typed in another case


def test_a_flight_already_delayed_is_a_major_change_from_the_providers_own_times():
    changes = first_changes(booked(reservation()), flight("delayed", late=95))
    assert [c["path"] for c in changes] == ["status", "departure.estimated", "arrival.estimated"]
    assert changes[0] == {"path": "status", "old": "scheduled", "new": "delayed", "severity": "info"}
    assert changes[1] == {"path": "departure.estimated", "old": None, "new": departs(95), "severity": "major"}
    assert overall_severity(changes) == "major"
    # The same changes the diff gives when the delay comes after an on-time first snapshot.
    kept = observe(tracked(), "r1", SUBJECT, entry(flight(), NOW), NOW).state
    later = observe(kept, "r1", SUBJECT, entry(flight("delayed", late=95), NOW + 1), NOW + 1).change
    assert later["changes"] == changes


def test_a_delay_only_the_estimate_shows_or_with_no_booking_kept_is_still_a_delay():
    assert paths(first_changes(booked(reservation()), flight(late=40))) == {
        "departure.estimated": "major", "arrival.estimated": "major"}
    # A record written before bookings were kept: the provider's own scheduled and estimated times decide.
    assert paths(first_changes(None, flight("delayed", late=40))) == {
        "status": "info", "departure.estimated": "major", "arrival.estimated": "major"}
    late_off = flight("departed", actual=departs(30))
    assert paths(first_changes(booked(reservation()), late_off)) == {"departure.actual": "major"}


def test_a_flight_moved_in_the_schedule_is_a_major_change_from_the_booked_time():
    moved = first_changes(booked(reservation()), flight(scheduled=departs(120)))
    assert moved == [{"path": "departure.scheduled", "old": departs(), "new": departs(120), "severity": "major"}]


def test_a_cancelled_or_diverted_flight_is_critical():
    cancelled = first_changes(booked(reservation()), flight("cancelled"))
    assert cancelled == [{"path": "status", "old": "scheduled", "new": "cancelled", "severity": "critical"}]
    diverted = paths(first_changes(booked(reservation()), flight("diverted", to="BOS")))
    assert diverted == {"status": "critical", "arrival.airport": "critical"}


def test_a_gate_other_than_the_booked_one_is_told_with_the_booked_gate_as_old():
    changes = first_changes(booked(reservation(departure_gate="B22", departure_terminal="1")), flight(gate="C7"))
    assert changes == [{"path": "departure.gate", "old": "B22", "new": "C7", "severity": "info"}]
    assert first_changes(booked(reservation(departure_gate="B22")), flight(gate=None)) == []   # not said


# hotels and cars


def hotel(**fields) -> dict:
    stay = {"status": "confirmed", "name": "Hôtel du Louvre", "address": "Place André Malraux",
            "check_in": at(f"{DAY}T15:00:00", PARIS), "check_out": at(f"{NEXT_DAY}T11:00:00", PARIS),
            "room_type": "Double", "guests": 2}
    return hotel_snapshot(**{**stay, **fields})


def test_a_hotel_cancelled_or_moved_to_another_day_and_not_an_hour_or_a_spelling():
    as_booked = booked(reservation("hotel"))
    assert first_changes(as_booked, hotel()) == []
    assert first_changes(as_booked, hotel(check_in=at(f"{DAY}T14:00:00", PARIS), name="HÔTEL DU  LOUVRE")) == []
    assert paths(first_changes(as_booked, hotel(status="cancelled"))) == {"status": "critical"}
    assert paths(first_changes(as_booked, hotel(check_in=at(f"{NEXT_DAY}T15:00:00", PARIS)))) == {"check_in": "major"}


def test_a_car_at_another_desk_company_or_hour():
    as_booked = booked(reservation("car"))
    on_time = car_snapshot(status="confirmed", company="Hertz",
                           pickup=stop("CDG Terminal 2", at(f"{DAY}T10:00:00", PARIS)),
                           dropoff=stop("CDG Terminal 2", at(f"{NEXT_DAY}T10:00:00", PARIS)))
    assert first_changes(as_booked, on_time) == []
    moved = car_snapshot(status="confirmed", company="Sixt", pickup=stop("Gare du Nord", at(f"{DAY}T12:00:00", PARIS)))
    assert paths(first_changes(as_booked, moved)) == {"company": "info", "pickup.location": "info",
                                                      "pickup.time": "major"}


def test_nothing_from_a_failed_fetch_or_a_booking_of_another_kind():
    assert first_changes(booked(reservation()), None) == []
    assert first_changes(booked(reservation()), {"kind": "flight", "error": "timeout"}) == []
    # A hotel's booking says nothing about a flight; the flight's own status still does.
    assert paths(first_changes(booked(reservation("hotel")), flight("cancelled"))) == {"status": "critical"}


zones = st.sampled_from([BERLIN, NEW_YORK, "Asia/Kathmandu", "Australia/Lord_Howe"])


@given(st.integers(0, 23), st.sampled_from([0, 5, 30, 45]), zones, st.sampled_from([None, "A1", "b 7"]),
       st.sampled_from([None, "1", "T2"]), st.integers(-14, 14))
def test_any_first_snapshot_matching_the_booking_within_a_quarter_hour_is_no_news(
        hour, minute, zone, gate, terminal, off):
    start = at(f"{DAY}T{hour:02d}:{minute:02d}:00", zone)
    booking = {"kind": "flight", "status": "scheduled", "departure": {"airport": "FRA", "scheduled": start}}
    if gate:
        booking["departure"]["gate"] = gate
    said = flight_snapshot("LH", "400", DAY, status="scheduled",
                           departure=point("FRA", _later(start, off), _later(start, off), None, terminal,
                                           gate.upper() if gate else "Z9"))
    assert first_changes(booking, said) == []


@given(st.integers(15, 600), st.sampled_from(["scheduled", "delayed", "departed"]))
def test_any_estimate_a_quarter_hour_or_more_past_the_schedule_is_a_major_change(late, status):
    changes = first_changes(booked(reservation()), flight(status, late=late))
    assert paths(changes)["departure.estimated"] == "major" and overall_severity(changes) == "major"


# the change event: schema, stable ID


def tracked() -> dict:
    return follow(None, {"event_type": "reservation.created", "reservation_id": "r1", "user_id": "u" * 32,
                         "version": 1, "reservation": reservation()}, 2, NOW, 6 * 3600.0).state


def entry(snapshot: dict, at_s: float, source: str = "poll") -> dict:
    return {"outcome": "found", "snapshot": snapshot, "fp": fingerprint(snapshot), "fetched_at": at_s,
            "source": source, "provider": "airline-sim"}


def test_a_first_snapshot_change_is_published_with_a_stable_id_and_matches_the_schema():
    snapshot = flight("delayed", late=95, changed_at="2026-01-01T00:00:00Z")
    seen = observe(tracked(), "r" * 32, SUBJECT, entry(snapshot, NOW, "push"), NOW)
    assert seen.change["severity"] == "major" and seen.change["source"] == "push"
    assert seen.state["snapshot"] == snapshot and seen.state["verification"] == "verified"
    CHANGES.validate(seen.change)
    replayed = observe(tracked(), "r" * 32, SUBJECT, entry(snapshot, NOW, "push"), NOW + 60)
    assert replayed.change["change_id"] == seen.change["change_id"]
    other = observe(tracked(), "r" * 32, SUBJECT, entry(flight("cancelled"), NOW), NOW).change
    assert other["change_id"] != seen.change["change_id"] and other["severity"] == "critical"
    CHANGES.validate(other)
    stay = {**tracked(), "subject": "hotel/hotel-sim/H1", "booked": booked(reservation("hotel"))}
    moved = hotel(status="cancelled", check_in=at(f"{NEXT_DAY}T15:00:00", PARIS))
    CHANGES.validate(observe(stay, "r" * 32, "hotel/hotel-sim/H1", entry(moved, NOW), NOW).change)


def test_an_on_time_first_snapshot_is_kept_without_a_change():
    seen = observe(tracked(), "r1", SUBJECT, entry(flight(), NOW), NOW)
    assert seen.change is None and seen.state["snapshot"] == flight()


# the tracking record carries the booking until the first snapshot


def event(version: int, kind: str = "reservation.updated", changed: list | None = None, **fields) -> dict:
    return {"event_type": kind, "reservation_id": "r1", "user_id": "u" * 32, "version": version,
            "changed_fields": changed or ["flight"], "reservation": {**reservation(), **fields}}


def test_the_record_keeps_the_booking_and_an_edit_before_the_first_snapshot_replaces_it():
    state = tracked()
    assert state["booked"] == booked(reservation())
    gated = {**reservation()["flight"], "departure_gate": "B22"}
    edited = follow(state, event(2, flight=gated), 2, NOW, 6 * 3600.0)
    assert edited.changed and edited.state["booked"]["departure"]["gate"] == "B22" and edited.join is None
    assert edited.state["version"] == 2
    # The provider's own update (tracking's news applied to the reservation) is not a booking.
    by_provider = follow(state, event(2, changed=["flight", "source"], flight=gated, source="provider"), 2, NOW,
                         6 * 3600.0)
    assert not by_provider.changed and by_provider.state["booked"] == state["booked"]
    # Once a snapshot is kept, it is the baseline: an edit no longer touches the record.
    kept = observed(state, observe(state, "r1", SUBJECT, entry(flight(), NOW), NOW).state)
    assert kept["booked"] is None and kept["snapshot"] == flight()
    assert not follow(kept, event(2, flight=gated), 2, NOW, 6 * 3600.0).changed


def test_the_written_record_is_the_tables_latest_with_what_was_observed():
    state = tracked()
    seen = observe(state, "r1", SUBJECT, {**entry(flight(), NOW), "outcome": "not_found"}, NOW).state
    newer = {**state, "version": 3, "booked": {"kind": "flight", "status": "scheduled"}}
    written = observed(newer, seen)
    assert written["version"] == 3 and written["booked"] == newer["booked"]       # no snapshot yet: kept
    assert written["not_found_streak"] == 1
    legacy = {k: v for k, v in state.items() if k != "booked"}                     # a record from before
    assert "booked" not in observed(legacy, observe(legacy, "r1", SUBJECT, entry(flight(), NOW), NOW).state)

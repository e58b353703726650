"""Facts of reservations, trips and tracked changes, and the UTC years they are filed under."""

from __future__ import annotations

from domain.reports.facts import (
    departure_news,
    latest_departure,
    reservation_fact,
    trip_fact,
    utc_years,
    with_departure,
)
from tests.unit.reports.making import flight, stay, trip


def change(*items: tuple[str, str], detected_at: str = "2026-04-01T08:00:00.000Z") -> dict:
    return {"detected_at": detected_at, "changes": [
        {"path": path, "old": None, "new": {"local": "x", "zone": "UTC", "utc": utc}, "severity": "major"}
        for path, utc in items]}


def test_a_flight_fact_holds_its_scheduled_utc_instants_airports_and_airline():
    fact = reservation_fact(flight("a", "FRA", "JFK", "2026-05-01T10:00", "2026-05-01T12:40"))
    assert fact == {"kind": "flight", "status": "confirmed", "dep": "2026-05-01T08:00:00Z",
                    "arr": "2026-05-01T16:40:00Z", "from": "FRA", "to": "JFK", "airline": "LH", "latest_dep": None}


def test_a_stay_fact_keeps_local_times_and_the_zone_and_a_deleted_reservation_has_none():
    fact = reservation_fact(stay("h", "hotel", "2026-03-27T15:00", "2026-03-30T11:00", "Europe/Berlin"))
    assert fact == {"kind": "hotel", "status": "confirmed", "start": "2026-03-27T15:00:00+01:00",
                    "end": "2026-03-30T11:00:00+02:00", "zone": "Europe/Berlin"}
    assert reservation_fact(None) is None


def test_a_trip_fact_and_an_empty_or_deleted_trip_has_none():
    made = trip("t", "Tokyo", "2026-04-01T08:00", "Europe/Berlin", "2026-04-12T20:00", "Asia/Tokyo")
    assert trip_fact("t", made) == {"kind": "trip", "id": "t", "name": "Tokyo", "start": made["start"],
                                    "end": made["end"]}
    assert trip_fact("t", {**made, "start": None, "end": None}) is None and trip_fact("t", None) is None


def test_departure_news_prefers_the_actual_time_and_ignores_other_changes():
    both = change(("departure.estimated", "2026-04-01T08:30:00Z"), ("departure.actual", "2026-04-01T08:40:00Z"))
    assert departure_news(both) == {"utc": "2026-04-01T08:40:00Z", "actual": True, "at": "2026-04-01T08:00:00.000Z"}
    assert departure_news(change(("arrival.estimated", "2026-04-01T10:00:00Z"))) is None
    assert departure_news({"changes": [{"path": "departure.gate", "new": "A1"}]}) is None


def test_the_latest_departure_wins_but_an_estimate_never_replaces_an_actual_time():
    early = departure_news(change(("departure.estimated", "2026-04-01T08:30:00Z"), detected_at="2026-04-01T07:00Z"))
    later = departure_news(change(("departure.estimated", "2026-04-01T09:00:00Z"), detected_at="2026-04-01T07:30Z"))
    actual = departure_news(change(("departure.actual", "2026-04-01T08:50:00Z"), detected_at="2026-04-01T07:10Z"))
    assert latest_departure(None, early) == early and latest_departure(early, later) == later
    assert latest_departure(later, early) == later   # a late copy of old news
    assert latest_departure(actual, later) == actual and latest_departure(later, actual) == actual


def test_with_departure_sets_a_flights_latest_departure_only():
    fact = reservation_fact(flight("a", "FRA", "JFK", "2026-05-01T10:00", "2026-05-01T12:40"))
    assert with_departure(fact, {"utc": "2026-05-01T09:00:00Z"})["latest_dep"] == "2026-05-01T09:00:00Z"
    assert with_departure(fact, None)["latest_dep"] is None
    hotel = reservation_fact(stay("h", "hotel", "2026-03-27T15:00", "2026-03-30T11:00", "Europe/Berlin"))
    assert with_departure(hotel, {"utc": "x"}) == hotel and with_departure(None, None) is None


def test_facts_are_filed_under_every_utc_year_within_a_day_of_them():
    mid_year = reservation_fact(flight("a", "FRA", "JFK", "2026-05-01T10:00", "2026-05-01T12:40"))
    assert utc_years(mid_year) == [2026]
    new_year = reservation_fact(flight("a", "SYD", "LAX", "2027-01-01T09:00", "2027-01-01T03:30"))
    assert utc_years(new_year) == [2026, 2027]
    stay_over = reservation_fact(stay("h", "hotel", "2025-12-30T15:00", "2026-01-02T11:00", "America/New_York"))
    assert utc_years(stay_over) == [2025, 2026]
    assert utc_years(None) == []


def test_an_absurdly_long_booking_counts_for_its_first_400_days_and_files_under_two_or_three_years():
    endless = reservation_fact(stay("h", "hotel", "1900-01-01T15:00", "2200-12-31T11:00", "Europe/Berlin"))
    assert endless["end"] == "1901-02-05T15:00:00+01:00"
    assert utc_years(endless) == [1899, 1900, 1901]
    flight_ = reservation_fact(flight("a", "FRA", "JFK", "2026-05-01T10:00", "2199-05-01T12:40"))
    assert flight_["arr"] == "2026-05-03T08:00:00Z" and utc_years(flight_) == [2026]
    made = trip("t", "Forever", "2026-04-01T08:00", "Europe/Berlin", "2200-04-12T20:00", "Asia/Tokyo")
    assert utc_years(trip_fact("t", made)) == [2026, 2027]

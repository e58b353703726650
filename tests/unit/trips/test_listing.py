"""Listing trips: the dashboard leaves past trips out, status filters, cursors walk the pages; bodies checked."""

from __future__ import annotations

import pytest

from domain.common.errors import ValidationError
from domain.trips.listing import check_id, check_ids, check_trip, page, parse_query


def trip(n: int, status: str | None, day: int | None) -> dict:
    start = None if day is None else f"2025-01-{day:02d}T10:00:00+01:00"
    return {"id": f"{n:032x}", "status": status, "start": start}


TRIPS = [trip(1, "past", 1), trip(2, "past", 5), trip(3, "current", 9), trip(4, "upcoming", 20),
         trip(5, "upcoming", 12), trip(6, None, None)]


def ids(items):
    return [int(t["id"], 16) for t in items]


def test_the_dashboard_shows_what_is_not_over_soonest_first_then_empty_trips():
    items, cursor = page(TRIPS, parse_query({}))
    assert ids(items) == [3, 5, 4, 6] and cursor is None


def test_past_trips_come_most_recent_first_and_each_status_alone():
    assert ids(page(TRIPS, parse_query({"status": "past"}))[0]) == [2, 1]
    assert ids(page(TRIPS, parse_query({"status": "upcoming"}))[0]) == [5, 4]


def test_cursors_walk_every_trip_once():
    seen, query = [], parse_query({"limit": "1"})
    while True:
        items, cursor = page(TRIPS, query)
        seen += ids(items)
        if cursor is None:
            break
        query = parse_query({"limit": "1", "cursor": cursor})
    assert seen == [3, 5, 4, 6]


@pytest.mark.parametrize("query", [{"status": "soon"}, {"limit": "0"}, {"cursor": "nope"}, {"sort": "name"}])
def test_bad_queries_are_refused(query):
    with pytest.raises(ValidationError):
        parse_query(query)


def test_trip_bodies_are_checked_field_by_field():
    assert check_trip({"name": " Rome ", "reservation_ids": ["a" * 32]}, new=True) == {
        "name": "Rome", "reservation_ids": ["a" * 32]}
    assert check_trip({"name": None, "private": True}, new=False) == {"name": None, "private": True}
    with pytest.raises(ValidationError) as refused:
        check_trip({"name": "", "private": "yes", "colour": "red"}, new=False)
    assert {e["field"] for e in refused.value.errors} == {"name", "private", "colour"}
    with pytest.raises(ValidationError):
        check_ids(["a" * 32, "a" * 32], "reservation_ids")
    with pytest.raises(ValidationError):
        check_id({"trip_id": "../x"}, "trip_id")

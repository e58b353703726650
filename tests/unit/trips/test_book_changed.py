"""Settling after one reservation's change: the trips it does not touch keep their summaries, and the book
comes out the same as when every trip is summarised again."""

from __future__ import annotations

from datetime import datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from domain.trips.book import empty_book, settle
from tests.unit.trips.itineraries import HOME, START, flight, itineraries, rid, stay

AT, LATER = "2025-01-01T00:00:00.000Z", "2025-01-02T00:00:00.000Z"
BEFORE = START - timedelta(days=1)
TRIP_A = [flight(rid(1), "ZRH", "JFK", 0), stay(rid(2), 3, 48), flight(rid(3), "JFK", "ZRH", 60)]
TRIP_B = [flight(rid(4), "ZRH", "CDG", 24 * 10), flight(rid(5), "CDG", "ZRH", 24 * 11)]


def book_of(reservations: list[dict], home: frozenset[str] = frozenset()) -> dict:
    book = {**empty_book("u1"), "home": sorted(home)}
    return settle(book, book, reservations, BEFORE, AT)[0]


def shifted(reservation: dict, hours: int) -> dict:
    """The reservation moved ``hours`` later (earlier when negative), as a provider's schedule change does."""
    return {**reservation, **{end: (datetime.fromisoformat(reservation[end]) + timedelta(hours=hours)).isoformat()
                              for end in ("start", "end")}}


def test_a_trip_the_change_does_not_touch_still_ends_as_time_passes():
    book = book_of(TRIP_A + TRIP_B)
    after_a = START + timedelta(days=5)
    moved = [*TRIP_A, shifted(TRIP_B[0], 2), TRIP_B[1]]
    settled, events = settle(book, book, moved, after_a, LATER, {rid(4)})
    by_first = {trip["reservations"][0]: trip for trip in settled["trips"].values()}
    assert by_first[rid(1)]["status"] == "past" and by_first[rid(4)]["summary"]["start"] == moved[3]["start"]
    assert sorted(e["event_type"] for e in events) == ["trip.completed", "trip.updated"]


@given(itineraries(), st.data(), st.booleans(), st.integers(0, 24 * 30))
def test_naming_the_changed_reservation_settles_the_same_book(reservations, data, with_home, hours_later):
    book = book_of(reservations, HOME if with_home else frozenset())
    if reservations:
        n = data.draw(st.integers(0, len(reservations) - 1))
        change = data.draw(st.sampled_from(["moved", "cancelled", "deleted"]))
        target, rest = reservations[n], reservations[:n] + reservations[n + 1:]
        changed = {target["id"]}
        after = {"moved": [*rest, shifted(target, data.draw(st.integers(-48, 48)))],
                 "cancelled": [*rest, {**target, "status": "cancelled"}], "deleted": rest}[change]
    else:
        changed, after = {rid(99)}, [flight(rid(99), "ZRH", "GVA", 5)]
    now = BEFORE + timedelta(hours=hours_later)
    assert settle(book, book, after, now, LATER, changed) == settle(book, book, after, now, LATER)

"""The automatic rules: journeys from home and back, reservations close in time, cancelled ones following."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from domain.trips.partition import GAP, Span, partition
from tests.unit.trips.itineraries import HOME, flight, itineraries, stay

H = GAP.total_seconds() / 3600  # the gap in hours


def groups(reservations: list[dict], home: frozenset[str] = frozenset()) -> list[list[str]]:
    return [[span.id for span in group] for group in partition(map(Span.of, reservations), home)]


def test_with_a_home_a_trip_runs_from_the_departure_to_the_return():
    booked = [flight("out", "ZRH", "JFK", 0), stay("nyc", 4, 70), flight("bos", "JFK", "BOS", 80),
              flight("back", "BOS", "ZRH", 200), flight("paris", "ZRH", "CDG", 210),
              flight("home", "CDG", "ZRH", 230)]
    assert groups(booked, HOME) == [["out", "nyc", "bos", "back"], ["paris", "home"]]


def test_trips_back_to_back_stay_apart_with_a_home_and_merge_without():
    booked = [flight("out", "ZRH", "JFK", 0), flight("back", "JFK", "ZRH", 20),
              flight("paris", "ZRH", "CDG", 30), flight("home", "CDG", "ZRH", 40)]
    assert groups(booked, HOME) == [["out", "back"], ["paris", "home"]]
    assert groups(booked) == [["out", "back", "paris", "home"]]


def test_a_journey_has_no_gap_limit_between_leaving_and_coming_home():
    booked = [flight("out", "ZRH", "JFK", 0), flight("back", "JFK", "ZRH", 24 * 9)]
    assert groups(booked, HOME) == [["out", "back"]]
    assert groups(booked) == [["out"], ["back"]]


def test_an_open_jaw_or_one_way_trip_lasts_until_the_next_departure_from_home():
    booked = [flight("out", "ZRH", "JFK", 0), flight("open-jaw", "BOS", "GVA", 24 * 5),
              stay("geneva", 24 * 5 + 4, 24 * 3), flight("next", "ZRH", "CDG", 24 * 20),
              stay("paris", 24 * 30, 24)]
    assert groups(booked, HOME) == [["out", "open-jaw", "geneva"], ["next", "paris"]]


def test_what_overlaps_a_journey_joins_it_even_starting_before_the_flight_out():
    booked = [stay("airport-hotel", -10, 11), flight("out", "ZRH", "JFK", 0), flight("back", "JFK", "ZRH", 48),
              stay("car", 49, 24, "car"), stay("late", 50.5, 3)]
    assert groups(booked, HOME) == [["airport-hotel", "out", "back", "car"], ["late"]]


def test_at_home_reservations_group_by_time_and_a_return_home_ends_their_group():
    # Out by train (nothing booked), back by plane: the hotel and the flight home are one trip, and the car
    # rented an hour after landing at home is not part of it.
    booked = [stay("lyon", 0, 40), flight("home", "LYS", "ZRH", 45), stay("car", 48, 5, "car"),
              stay("spa", 24 * 10, 24)]
    assert groups(booked, HOME) == [["lyon", "home"], ["car"], ["spa"]]
    assert groups(booked) == [["lyon", "home", "car"], ["spa"]]


def test_without_a_home_reservations_less_than_a_day_apart_travel_together():
    booked = [stay("a", 0, 10), stay("b", 10 + H - 1, 5), stay("c", 10 + H - 1 + 5 + H, 1)]
    assert groups(booked) == [["a", "b"], ["c"]]


def test_a_cancelled_return_does_not_end_the_trip_its_replacement_ends():
    booked = [flight("out", "ZRH", "JFK", 0), flight("cancelled", "JFK", "ZRH", 48, status="cancelled"),
              flight("rebooked", "JFK", "ZRH", 70), flight("next", "ZRH", "CDG", 100)]
    assert groups(booked, HOME) == [["out", "cancelled", "rebooked"], ["next"]]


def test_a_cancelled_reservation_joins_the_nearest_trip_or_else_makes_its_own():
    booked = [stay("a", 0, 10), stay("b", 60, 10), stay("near-b", 50, 5, status="cancelled"),
              stay("far", 300, 5, status="cancelled"), stay("far-too", 310, 5, status="cancelled")]
    assert groups(booked) == [["a"], ["near-b", "b"], ["far", "far-too"]]


def test_a_cancelled_hotel_spanning_two_trips_does_not_glue_them():
    booked = [stay("a", 0, 10), stay("b", 100, 10), stay("long", 5, 100, status="cancelled")]
    assert groups(booked) == [["a", "long"], ["b"]]


@given(itineraries(), st.booleans())
def test_every_reservation_is_in_exactly_one_group(booked, with_home):
    ids = [span.id for group in partition(map(Span.of, booked), HOME if with_home else frozenset())
           for span in group]
    assert sorted(ids) == sorted(r["id"] for r in booked)


@given(itineraries(), st.booleans(), st.randoms())
def test_the_groups_do_not_depend_on_the_order(booked, with_home, random):
    home = HOME if with_home else frozenset()
    shuffled = list(booked)
    random.shuffle(shuffled)
    assert groups(shuffled, home) == groups(booked, home)


@given(itineraries())
def test_no_group_goes_on_after_a_return_home(booked):
    for group in partition(map(Span.of, booked), HOME):
        returns = [s for s in group if s.destination in HOME and not s.cancelled]
        assert all(span.start < back.end for back in returns for span in group)

"""Reservations into trips: stable IDs, what changed, hand placements and private trips."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from domain.trips.grouping import Regrouping, Trip, regroup
from tests.unit.trips.itineraries import HOME, flight, itineraries, stay


def trips_of(result: Regrouping) -> list[Trip]:
    return [Trip(trip_id, ids) for trip_id, ids in result.members.items()]


def shape(result: Regrouping) -> set[frozenset[str]]:
    return set(result.members.values())


def test_reservations_make_trips_with_ids_derived_from_them():
    booked = [stay("a", 0, 10), stay("b", 12, 10), stay("c", 100, 5)]
    result = regroup(booked)
    assert shape(result) == {frozenset({"a", "b"}), frozenset({"c"})}
    assert sorted(result.created) == sorted(result.members) and not result.updated and not result.emptied
    assert all(len(trip_id) == 32 and int(trip_id, 16) >= 0 for trip_id in result.members)
    assert regroup(list(reversed(booked))) == result  # replayed, the same trips under the same IDs


def test_a_trip_keeps_its_id_as_reservations_arrive():
    first = regroup([stay("a", 0, 10)])
    (trip_id,) = first.created
    second = regroup([stay("a", 0, 10), stay("b", 12, 10)], trips_of(first))
    assert second.members == {trip_id: {"a", "b"}}
    assert (second.created, second.updated, second.emptied) == ((), (trip_id,), ())
    assert regroup([stay("a", 0, 10), stay("b", 12, 10)], trips_of(second)).updated == ()


def test_a_merge_keeps_the_bigger_trip_and_empties_the_other():
    trips = [Trip("big", frozenset({"a", "b"})), Trip("small", frozenset({"c"}))]
    booked = [stay("a", 0, 10), stay("b", 12, 10), stay("c", 80, 5), stay("bridge", 30, 40)]
    result = regroup(booked, trips)
    assert result.members == {"big": {"a", "b", "c", "bridge"}}
    assert (result.created, result.updated, result.emptied) == ((), ("big",), ("small",))


def test_a_split_keeps_the_id_on_the_bigger_part():
    trips = [Trip("t", frozenset({"a", "bridge", "b", "c"}))]
    result = regroup([stay("a", 0, 10), stay("b", 80, 5), stay("c", 90, 5)], trips)
    assert result.members["t"] == {"b", "c"}
    (new,) = result.created
    assert result.members[new] == {"a"} and result.updated == ("t",)


def test_a_trip_whose_reservations_are_all_gone_is_emptied():
    result = regroup([stay("b", 500, 5)], [Trip("t", frozenset({"a"}))])
    assert result.emptied == ("t",) and "t" not in result.members


def test_a_reservation_placed_by_hand_stays_and_brings_its_group_along():
    trips = [Trip("auto", frozenset({"out", "hotel"})), Trip("conference")]
    booked = [flight("out", "ZRH", "BER", 0), stay("hotel", 3, 48), flight("back", "BER", "ZRH", 52)]
    result = regroup(booked, trips, placed={"out": "conference"}, home=HOME)
    assert result.members == {"conference": {"out", "hotel", "back"}}
    assert (result.created, result.updated, result.emptied) == ((), ("conference",), ("auto",))


def test_split_by_hand_each_reservation_goes_to_the_trip_of_the_nearest_placed_one():
    booked = [stay("a", 0, 10), stay("a2", 11, 3), stay("b2", 20, 3), stay("b", 24, 10)]
    result = regroup(booked, [Trip("A"), Trip("B")], placed={"a": "A", "b": "B"})
    assert result.members == {"A": {"a", "a2"}, "B": {"b", "b2"}}


def test_a_reservation_taken_out_of_every_trip_stays_out_and_glues_nothing():
    booked = [stay("a", 0, 10), stay("long", 5, 100), stay("b", 100, 10)]
    result = regroup(booked, placed={"long": None})
    assert shape(result) == {frozenset({"a"}), frozenset({"b"})}
    assert result.trip_of("long") is None and result.trip_of("a") is not None


def test_a_private_trip_keeps_what_it_has_and_gets_nothing_added():
    trips = [Trip("secret", frozenset({"a"}), private=True)]
    booked = [stay("a", 0, 10), stay("overlapping", 5, 10), stay("placed", 200, 1)]
    result = regroup(booked, trips, placed={"placed": "secret"})
    assert result.members["secret"] == {"a", "placed"}
    assert result.trip_of("overlapping") not in (None, "secret")


def test_a_private_trips_reservations_are_never_pulled_into_a_shared_trip():
    trips = [Trip("secret", frozenset({"s"}), private=True), Trip("shared", frozenset({"a"}))]
    booked = [stay("a", 0, 10), stay("s", 5, 10), stay("b", 12, 10)]
    result = regroup(booked, trips, placed={"a": "shared"})
    assert result.members == {"secret": {"s"}, "shared": {"a", "b"}}


def test_placements_naming_unknown_trips_or_reservations_are_ignored():
    result = regroup([stay("a", 0, 10)], placed={"a": "deleted-trip", "gone": None})
    assert shape(result) == {frozenset({"a"})}


def test_a_trip_created_by_hand_and_still_empty_is_left_alone():
    result = regroup([stay("a", 0, 10)], [Trip("new")])
    assert "new" not in result.members and "new" not in result.emptied + result.updated


def test_a_new_id_never_reuses_a_trip_id_in_use():
    alone = regroup([stay("a", 0, 10)])
    (derived,) = alone.created
    result = regroup([stay("a", 0, 10)], [Trip(derived, frozenset({"x"}), private=True)])
    (new,) = result.created
    assert new != derived and result.members[new] == {"a"}


def test_cancelled_reservations_placed_by_hand_stay_but_pull_nothing():
    booked = [stay("c", 0, 10, status="cancelled"), stay("a", 2, 5)]
    result = regroup(booked, [Trip("T")], placed={"c": "T"})
    assert result.members["T"] == {"c"} and result.trip_of("a") not in (None, "T")


@given(itineraries(), st.booleans(), st.randoms())
def test_arrival_order_changes_neither_the_trips_nor_that_each_reservation_is_in_one(booked, with_home, random):
    home = HOME if with_home else frozenset()
    arrivals = list(booked)
    random.shuffle(arrivals)
    result = regroup([])
    for n in range(len(arrivals)):
        result = regroup(arrivals[: n + 1], trips_of(result), home=home)
        assigned = [rid for ids in result.members.values() for rid in ids]
        assert sorted(assigned) == sorted(r["id"] for r in arrivals[: n + 1])
    assert shape(result) == shape(regroup(booked, home=home))


@given(itineraries(), st.randoms())
def test_without_a_home_an_arrival_never_renames_a_trip(booked, random):
    active = [r for r in booked if r["status"] != "cancelled"]
    random.shuffle(active)
    result = regroup([])
    for n in range(len(active)):
        before = result
        result = regroup(active[: n + 1], trips_of(before))
        for trip_id, ids in before.members.items():
            if trip_id in result.emptied:  # merged into another trip that was already there
                assert {result.trip_of(rid) for rid in ids} <= set(before.members) - {trip_id}
            else:
                assert result.members[trip_id] >= ids
        assert set(result.created) <= {result.trip_of(active[n]["id"])}


@given(itineraries(), st.data())
def test_hand_placements_and_private_trips_hold_whatever_the_rules_say(booked, data):
    ids = [r["id"] for r in booked]
    trips = [Trip("A"), Trip("B"), Trip("P", frozenset(data.draw(st.sets(st.sampled_from(ids)))) if ids
                                        else frozenset(), private=True)]
    placed = data.draw(st.dictionaries(st.sampled_from(ids), st.sampled_from(["A", "B", "P", None]))
                       if ids else st.just({}))
    result = regroup(booked, trips, placed=placed, home=HOME)
    for rid, trip_id in placed.items():
        assert result.trip_of(rid) == trip_id
    private = {rid for rid in trips[2].reservations if rid not in placed} | {
        rid for rid, trip_id in placed.items() if trip_id == "P"}
    assert result.members.get("P", frozenset()) == private
    assigned = [rid for members in result.members.values() for rid in members]
    assert len(assigned) == len(set(assigned))

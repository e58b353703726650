"""The trip book: regrouping after changes, the traveller's commands, and the trip events they publish."""

from __future__ import annotations

from datetime import timedelta

from domain.trips.book import empty_book, next_change, settle, with_tracked
from domain.trips.commands import apply
from domain.trips.sharing import new_link
from tests.unit.trips.itineraries import START, flight, rid, stay

AT = "2025-01-01T00:00:00.000Z"
BEFORE = START - timedelta(days=1)
TRIP_A = [flight(rid(1), "ZRH", "JFK", 0), stay(rid(2), 3, 48), flight(rid(3), "JFK", "ZRH", 60)]
TRIP_B = [flight(rid(4), "ZRH", "CDG", 24 * 10), flight(rid(5), "CDG", "ZRH", 24 * 11)]


def settled(reservations, book=None, now=BEFORE):
    book = book or empty_book("u1")
    return settle(book, book, reservations, now, AT)


def command(kind, n=1, **data):
    return {"command_id": f"c{n}", "kind": kind, "user_id": "u1", "data": data, "issued_at": f"2025-01-01T00:00:0{n}Z"}


def kinds(events):
    return [(e["event_type"], e["trip_id"]) for e in events]


def test_reservations_land_in_named_trips_with_their_ends_and_a_created_event_each():
    book, events = settled(TRIP_A + TRIP_B)
    trips = sorted(book["trips"].values(), key=lambda t: t["summary"]["start"])
    assert [t["reservations"] for t in trips] == [[rid(1), rid(2), rid(3)], [rid(4), rid(5)]]
    assert [t["summary"]["auto_name"] for t in trips] == ["New York", "Paris"]
    assert trips[0]["summary"]["end"] == TRIP_A[2]["end"] and trips[0]["status"] == "upcoming"
    assert sorted(e["event_type"] for e in events) == ["trip.created", "trip.created"]
    assert all(e["trip"]["version"] == 1 and e["user_id"] == "u1" for e in events)


def test_settling_again_changes_nothing_and_publishes_nothing():
    book, _ = settled(TRIP_A)
    again, events = settle(book, book, TRIP_A, BEFORE, "2025-01-02T00:00:00Z")
    assert again["trips"] == book["trips"] and events == []


def test_a_new_reservation_updates_its_trip_and_a_removed_one_empties_an_automatic_trip_away():
    book, _ = settled(TRIP_A)
    (trip_id,) = book["trips"]
    grown, events = settle(book, book, [*TRIP_A, stay(rid(9), 50, 5, "car")], BEFORE, AT)
    assert kinds(events) == [("trip.updated", trip_id)] and grown["trips"][trip_id]["version"] == 2
    gone, events = settle(grown, grown, [], BEFORE, AT)
    assert gone["trips"] == {} and kinds(events) == [("trip.deleted", trip_id)] and events[0]["trip"] is None


def test_time_passing_completes_a_trip_and_moving_it_into_the_future_reopens_it():
    book, _ = settled(TRIP_A)
    (trip_id,) = book["trips"]
    assert next_change(book, BEFORE) == START   # it begins
    later = START + timedelta(days=5)
    assert next_change(book, later) == later    # already over, still recorded upcoming: at once
    past, events = settle(book, book, TRIP_A, later, AT)
    assert kinds(events) == [("trip.completed", trip_id)] and past["trips"][trip_id]["status"] == "past"
    assert next_change(past, later) is None
    moved = [flight(rid(1), "ZRH", "JFK", 720), stay(rid(2), 723, 48), flight(rid(3), "JFK", "ZRH", 792)]
    back, events = settle(past, past, moved, later, AT)
    assert kinds(events) == [("trip.updated", trip_id), ("trip.reopened", trip_id)]
    assert back["trips"][trip_id]["status"] == "upcoming"


def test_a_trip_found_already_past_is_created_and_completed():
    _, events = settled(TRIP_A, now=START + timedelta(days=30))
    assert [e["event_type"] for e in events] == ["trip.created", "trip.completed"]


def test_a_reservation_moved_by_hand_stays_where_it_was_put():
    book, _ = settled(TRIP_A + TRIP_B)
    trip_a = next(t for t in book["trips"].values() if rid(1) in t["reservations"])["id"]
    trip_b = next(t for t in book["trips"].values() if rid(4) in t["reservations"])["id"]
    moved = apply(book, TRIP_A + TRIP_B, command("add-reservation", trip_id=trip_b, reservation_id=rid(3)), BEFORE)
    assert moved.reply["status"] == 200 and rid(3) in moved.reply["trip"]["reservation_ids"]
    assert moved.book["trips"][trip_a]["reservations"] == [rid(1), rid(2)]  # only the one moved
    assert kinds(moved.events) == sorted([("trip.updated", trip_a), ("trip.updated", trip_b)], key=lambda k: k[1])
    later = [*TRIP_A, *TRIP_B, stay(rid(8), 58, 4, "car")]  # a new car rental beside the moved flight
    regrouped, _ = settle(moved.book, moved.book, later, BEFORE, AT)
    assert rid(3) in regrouped["trips"][trip_b]["reservations"]


def test_create_rename_merge_split_delete():
    book, _ = settled(TRIP_A + TRIP_B)
    everything = TRIP_A + TRIP_B
    created = apply(book, everything, command("create", trip_id="t" * 32, name="Conference",
                                              reservation_ids=[rid(4)]), BEFORE)
    assert created.reply["status"] == 201 and created.reply["trip"]["name"] == "Conference"
    assert created.reply["trip"]["reservation_ids"] == [rid(4), rid(5)]  # the return flight comes along
    trip_a = next(t for t in created.book["trips"].values() if rid(1) in t["reservations"])["id"]
    merged = apply(created.book, everything, command("merge", 2, trip_id="t" * 32, other_trip_id=trip_a), BEFORE)
    assert merged.reply["trip"]["reservation_ids"] == [rid(1), rid(2), rid(3), rid(4), rid(5)]
    assert ("trip.deleted", trip_a) in kinds(merged.events)
    split = apply(merged.book, everything, command("split", 3, trip_id="t" * 32, new_trip_id="n" * 32,
                                                   reservation_ids=[rid(4), rid(5)]), BEFORE)
    assert split.reply["status"] == 201 and split.reply["trip"]["reservation_ids"] == [rid(4), rid(5)]
    assert split.book["trips"]["t" * 32]["reservations"] == [rid(1), rid(2), rid(3)]
    renamed = apply(split.book, everything, command("update", 4, trip_id="n" * 32, name=None), BEFORE)
    assert renamed.reply["trip"]["name"] == "Paris" and not renamed.reply["trip"]["named_by_traveller"]
    deleted = apply(renamed.book, everything, command("delete", 5, trip_id="n" * 32), BEFORE)
    assert deleted.reply["status"] == 204 and "n" * 32 not in deleted.book["trips"]
    assert all(rid(4) not in t["reservations"] for t in deleted.book["trips"].values())  # not regrouped again


def test_a_replayed_create_or_split_changes_nothing():
    book, _ = settled(TRIP_A)
    first = apply(book, TRIP_A, command("create", trip_id="t" * 32, reservation_ids=[rid(3)]), BEFORE)
    again = apply(first.book, TRIP_A, command("create", trip_id="t" * 32, reservation_ids=[rid(3)]), BEFORE)
    assert again.book == first.book and again.events == []


def test_refusals_name_what_is_wrong_and_change_nothing():
    book, _ = settled(TRIP_A)
    (trip_id,) = book["trips"]
    for bad, status in [(command("update", trip_id="x" * 32, name="Mine"), 404),
                        (command("add-reservation", trip_id=trip_id, reservation_id=rid(99)), 404),
                        (command("remove-reservation", trip_id=trip_id, reservation_id=rid(99)), 404),
                        (command("merge", trip_id=trip_id, other_trip_id=trip_id), 422),
                        (command("split", trip_id=trip_id, new_trip_id="n" * 32,
                                 reservation_ids=[rid(1), rid(2), rid(3)]), 422)]:
        outcome = apply(book, TRIP_A, bad, BEFORE)
        assert outcome.reply["status"] == status and outcome.book is book and outcome.events == []


def test_a_home_changes_the_grouping():
    # Without a home two trips a day apart are one; from Zurich, the return home ends the first.
    close = [flight(rid(1), "ZRH", "JFK", 0), flight(rid(2), "JFK", "ZRH", 24), flight(rid(3), "ZRH", "CDG", 30)]
    book, _ = settled(close)
    assert len(book["trips"]) == 1
    homed = apply(book, close, command("set-profile", home=["ZRH"], language="de"), BEFORE)
    assert len(homed.book["trips"]) == 2 and homed.reply == {"ok": True, "status": 200}


def test_the_latest_tracked_change_is_kept_per_reservation_while_it_exists():
    change = {"change_id": "c1", "reservation_id": rid(1), "severity": "major", "source": "poll",
              "changes": [{"field": "departure_gate", "before": "A1", "after": "B2"}],
              "detected_at": "2025-01-05T10:00:00.000Z"}
    book = with_tracked(empty_book("u1"), change)
    assert book["tracked"][rid(1)]["changes"][0]["after"] == "B2"
    assert with_tracked(book, {**change, "change_id": "c0", "detected_at": "2025-01-05T09:00:00.000Z"}) is book
    kept, _ = settle(book, book, TRIP_A, BEFORE, AT)
    assert set(kept["tracked"]) == {rid(1)}
    gone, _ = settle(kept, kept, TRIP_A[1:], BEFORE, AT)
    assert gone["tracked"] == {}


def test_links_shares_and_feeds_publish_no_trip_update_and_keep_the_version():
    """The data team's trip.updated means the trip's public fields changed: who it is shown to is not one."""
    book, _ = settled(TRIP_A)
    (trip_id,) = book["trips"]
    _, link = new_link(AT, None)
    steps = [command("add-link", 1, trip_id=trip_id, link=link),
             command("share", 2, trip_id=trip_id, share_id="5" * 32, email="f@example.com", role="viewer",
                     follower_id="f" * 32),
             command("make-share-feed", 3, trip_id=trip_id, share_id="5" * 32, digest="d", sealed="s"),
             command("share", 4, trip_id=trip_id, share_id="6" * 32, email="f@example.com", role="editor",
                     follower_id="f" * 32),
             command("revoke-link", 5, trip_id=trip_id, link_id=link["id"]),
             command("withdraw-share", 6, trip_id=trip_id, share_id="5" * 32)]
    for step in steps:
        outcome = apply(book, TRIP_A, step, BEFORE)
        assert outcome.reply["ok"], outcome.reply
        assert outcome.events == [] and outcome.book != book, step["kind"]   # kept in the book, told to nobody
        assert outcome.book["trips"][trip_id]["version"] == 1
        book = outcome.book
    assert book["trips"][trip_id]["links"][0]["revoked_at"] and book["trips"][trip_id]["shares"] == []
    renamed = apply(book, TRIP_A, command("update", 7, trip_id=trip_id, name="Spring"), BEFORE)
    assert kinds(renamed.events) == [("trip.updated", trip_id)] and renamed.events[0]["version"] == 2

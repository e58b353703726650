"""Sharing a trip with people: the owner's share and withdraw commands, the followers' events, their view."""

from __future__ import annotations

from datetime import timedelta

from domain.trips import shares
from domain.trips.book import empty_book, settle
from domain.trips.commands import apply
from tests.unit.trips.itineraries import START, flight, rid, stay

AT = "2025-01-01T00:00:00.000Z"
NOW = START - timedelta(days=1)
OWNER, FRIEND = "o" * 32, "f" * 32
TRIP = [flight(rid(1), "ZRH", "JFK", 0, confirmation="ABC123", travellers=["Ann"]), stay(rid(2), 3, 48)]


def owners_book() -> tuple[dict, str]:
    book = empty_book(OWNER)
    book, _ = settle(book, book, TRIP, NOW, AT)
    (trip_id,) = book["trips"]
    return book, trip_id


def command(kind: str, n: int = 1, **data) -> dict:
    return {"command_id": f"c{n}", "kind": kind, "user_id": OWNER, "data": data, "issued_at": f"{AT[:-5]}{n}Z"}


def share_with(book, trip_id, email="friend@example.com", follower_id=FRIEND, role="viewer", n=1):
    return apply(book, TRIP, command("share", n, trip_id=trip_id, share_id=f"{n:032x}", email=email,
                                     follower_id=follower_id, role=role), NOW)


def test_a_share_with_a_registered_address_is_active_and_tells_the_follower():
    book, trip_id = owners_book()
    outcome = share_with(book, trip_id)
    assert outcome.reply == {"ok": True, "status": 201, "share": {
        "id": f"{1:032x}", "email": "friend@example.com", "role": "viewer", "status": "active",
        "created_at": command("share")["issued_at"]}}
    assert shares.share_events(book, outcome.book, AT) == [{
        "kind": "shared", "follower_id": FRIEND, "owner_id": OWNER, "trip_id": trip_id, "role": "viewer",
        "name": "New York", "start": "2025-01-06T00:00:00+00:00", "start_time_zone": "UTC",
        "end": "2025-01-08T03:00:00+00:00", "end_time_zone": "UTC", "occurred_at": AT}]


def test_an_unregistered_address_is_invited_and_tells_nobody_yet():
    book, trip_id = owners_book()
    outcome = share_with(book, trip_id, "new@example.com", follower_id=None)
    assert outcome.reply["share"]["status"] == "invited"
    assert shares.share_events(book, outcome.book, AT) == []


def test_sharing_the_same_address_again_changes_the_role_and_keeps_the_share():
    book, trip_id = owners_book()
    first = share_with(book, trip_id).book
    again = share_with(first, trip_id, role="editor", n=2)
    assert again.reply["share"]["id"] == f"{1:032x}" and again.reply["share"]["role"] == "editor"
    assert len(again.book["trips"][trip_id]["shares"]) == 1
    assert [e["role"] for e in shares.share_events(first, again.book, AT)] == ["editor"]


def test_a_private_trip_unknown_trip_or_own_address_is_refused():
    book, trip_id = owners_book()
    private = apply(book, TRIP, command("update", trip_id=trip_id, private=True), NOW).book
    assert share_with(private, trip_id).reply["kind"] == "trip-private"
    assert share_with(book, rid(9)).reply["status"] == 404
    assert share_with(book, trip_id, follower_id=OWNER).reply["status"] == 422


def test_a_withdrawn_share_is_gone_and_the_follower_told():
    book, trip_id = owners_book()
    shared = share_with(book, trip_id).book
    outcome = apply(shared, TRIP, command("withdraw-share", 2, trip_id=trip_id, share_id=f"{1:032x}"), NOW)
    assert outcome.reply == {"ok": True, "status": 204}
    assert outcome.book["trips"][trip_id]["shares"] == []
    assert shares.viewing_role(outcome.book, trip_id, FRIEND, NOW) is None
    assert [e["kind"] for e in shares.share_events(shared, outcome.book, AT)] == ["withdrawn"]
    again = apply(outcome.book, TRIP, command("withdraw-share", 3, trip_id=trip_id, share_id=f"{1:032x}"), NOW)
    assert again.reply["status"] == 404


def test_making_the_trip_private_or_deleting_it_withdraws_it_from_followers():
    book, trip_id = owners_book()
    shared = share_with(book, trip_id).book
    for kind, data in (("update", {"private": True}), ("delete", {})):
        after = apply(shared, TRIP, command(kind, 2, trip_id=trip_id, **data), NOW).book
        assert [e["kind"] for e in shares.share_events(shared, after, AT)] == ["withdrawn"]
        assert shares.viewing_role(after, trip_id, FRIEND, NOW) is None


def test_a_share_survives_regrouping():
    book, trip_id = owners_book()
    shared = share_with(book, trip_id).book
    regrouped, _ = settle(shared, shared, [*TRIP, stay(rid(3), 10, 5, kind="car")], NOW, AT)
    assert shares.viewing_role(regrouped, trip_id, FRIEND, NOW) == "viewer"


def test_a_viewer_sees_no_booking_secrets_and_an_editor_does():
    trip = {"id": "t", "reservations": [{**TRIP[0], "user_id": OWNER, "notes": "gate code 1234"}]}
    (seen,) = shares.follower_view(trip, "viewer")["reservations"]
    assert not {"confirmation", "travellers", "notes", "user_id"} & set(seen)
    assert seen["flight"] == TRIP[0]["flight"]
    assert shares.follower_view(trip, "editor")["reservations"][0]["confirmation"] == "ABC123"


CHANGE = {"change_id": "c1", "reservation_id": rid(1), "user_id": OWNER, "severity": "major", "source": "poll",
          "changes": [{"field": "start"}], "detected_at": "2025-01-05T10:00:00.000Z"}


def test_a_change_reaches_each_registered_follower_of_its_trip_as_their_role_sees_it():
    book, trip_id = owners_book()
    book = share_with(book, trip_id).book
    book = share_with(book, trip_id, "boss@example.com", follower_id="b" * 32, role="editor", n=2).book
    book = share_with(book, trip_id, "new@example.com", follower_id=None, n=3).book
    viewer, editor = shares.for_followers(book, CHANGE, TRIP[0])
    assert (viewer["user_id"], editor["user_id"]) == (FRIEND, "b" * 32)
    assert viewer["shared_by"] == {"owner_id": OWNER, "owner_name": None, "trip_id": trip_id,
                                   "trip_name": "New York"}
    assert "confirmation" not in viewer["reservation"] and editor["reservation"]["confirmation"] == "ABC123"
    assert viewer["change_id"] == "c1" and viewer["changes"] == CHANGE["changes"]


def test_a_viewer_hears_of_a_hotel_change_without_the_subject_naming_its_confirmation():
    book, trip_id = owners_book()
    book = share_with(book, trip_id).book
    book = share_with(book, trip_id, "boss@example.com", follower_id="b" * 32, role="editor", n=2).book
    change = {**CHANGE, "reservation_id": rid(2), "subject": "hotel/acme/HOTEL-CODE-9"}
    viewer, editor = shares.for_followers(book, change, TRIP[1], "Ann")
    assert "HOTEL-CODE-9" not in repr(viewer) and viewer["changes"] == CHANGE["changes"]
    assert editor["subject"] == "hotel/acme/HOTEL-CODE-9"


def test_a_followers_copy_names_the_owner_by_their_profile_name():
    book, trip_id = owners_book()
    (copy,) = shares.for_followers(share_with(book, trip_id).book, CHANGE, TRIP[0], "Ann")
    assert copy["shared_by"]["owner_name"] == "Ann"


def test_a_change_outside_shared_trips_or_in_a_private_one_reaches_nobody():
    book, trip_id = owners_book()
    assert shares.for_followers(book, CHANGE, TRIP[0]) == []
    shared = share_with(book, trip_id).book
    private = apply(shared, TRIP, command("update", 2, trip_id=trip_id, private=True), NOW).book
    assert shares.for_followers(private, CHANGE, TRIP[0]) == []
    assert shares.for_followers(shared, {**CHANGE, "reservation_id": rid(7)}, None) == []


def test_an_invitation_attaches_to_the_account_that_signs_up_once():
    book, trip_id = owners_book()
    invited = share_with(book, trip_id, "new@example.com", follower_id=None).book
    attach = command("attach-share", 2, trip_id=trip_id, share_id=f"{1:032x}", follower_id=FRIEND)
    outcome = apply(invited, TRIP, attach, NOW)
    assert shares.viewing_role(outcome.book, trip_id, FRIEND, NOW) == "viewer"
    assert [e["kind"] for e in shares.share_events(invited, outcome.book, AT)] == ["shared"]
    assert apply(outcome.book, TRIP, {**attach, "data": {**attach["data"], "follower_id": "b" * 32}},
                 NOW).reply["status"] == 404   # attached already: nobody else takes it


def test_a_rename_of_a_shared_trip_tells_its_follower_the_new_name():
    book, trip_id = owners_book()
    shared = share_with(book, trip_id).book
    renamed = apply(shared, TRIP, command("update", 2, trip_id=trip_id, name="Picking Ann up"), NOW).book
    (event,) = shares.share_events(shared, renamed, AT)
    assert event["kind"] == "shared" and event["name"] == "Picking Ann up" and event["role"] == "viewer"
    assert shares.share_events(renamed, renamed, AT) == []

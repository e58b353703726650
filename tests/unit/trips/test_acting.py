"""Trip commands sent by a follower: what an editor's share lets through when the command is applied."""

from __future__ import annotations

import pytest

from domain.trips.commands import apply
from tests.unit.trips.itineraries import rid
from tests.unit.trips.test_shares import FRIEND, NOW, OWNER, TRIP, command, owners_book, share_with


def shared_book(role: str) -> tuple[dict, str]:
    book, trip_id = owners_book()
    return share_with(book, trip_id, role=role).book, trip_id


def acting(kind: str, n: int = 2, actor: str = FRIEND, **data) -> dict:
    return {**command(kind, n, **data), "actor_id": actor}


def test_an_editor_renames_the_owners_trip():
    book, trip_id = shared_book("editor")
    outcome = apply(book, TRIP, acting("update", trip_id=trip_id, name="Picking Ann up"), NOW)
    assert outcome.reply["ok"] and outcome.book["trips"][trip_id]["name"] == "Picking Ann up"


def test_an_editor_takes_a_reservation_out_of_the_trip_and_moves_it_back():
    book, trip_id = shared_book("editor")
    out = apply(book, TRIP, acting("remove-reservation", trip_id=trip_id, reservation_id=rid(2)), NOW)
    assert out.reply["ok"] and out.book["trips"][trip_id]["reservations"] == [rid(1)]
    back = apply(out.book, TRIP, acting("add-reservation", 3, trip_id=trip_id, reservation_id=rid(2)), NOW)
    assert back.reply["ok"] and back.book["trips"][trip_id]["reservations"] == [rid(1), rid(2)]


@pytest.mark.parametrize("kind, data", [
    ("update", {"private": True}), ("delete", {}), ("split", {"new_trip_id": "n" * 32, "reservation_ids": [rid(2)]}),
    ("share", {"share_id": "9" * 32, "email": "x@example.com", "follower_id": None, "role": "editor"}),
    ("withdraw-share", {"share_id": f"{1:032x}"}), ("revoke-link", {"link_id": "l" * 32}),
])
def test_an_editor_may_not_reach_the_owners_account_shares_or_other_trips(kind, data):
    book, trip_id = shared_book("editor")
    outcome = apply(book, TRIP, acting(kind, trip_id=trip_id, **data), NOW)
    assert outcome.reply["status"] == 403 and outcome.book == book


def test_a_profile_command_in_an_editors_name_is_refused():
    book, trip_id = shared_book("editor")
    outcome = apply(book, TRIP, acting("set-profile", trip_id=trip_id, home=["ZRH"], language="de"), NOW)
    assert outcome.reply["status"] == 403 and outcome.book["home"] == book["home"]


def test_a_viewer_may_not_rename_and_a_stranger_finds_no_trip():
    book, trip_id = shared_book("viewer")
    assert apply(book, TRIP, acting("update", trip_id=trip_id, name="Mine"), NOW).reply["status"] == 403
    stranger = acting("update", trip_id=trip_id, name="Mine", actor="s" * 32)
    assert apply(book, TRIP, stranger, NOW).reply["status"] == 404


def test_a_share_withdrawn_before_the_rename_is_applied_lets_nothing_through():
    book, trip_id = shared_book("editor")
    withdrawn = apply(book, TRIP, command("withdraw-share", 2, trip_id=trip_id, share_id=f"{1:032x}"), NOW).book
    outcome = apply(withdrawn, TRIP, acting("update", 3, trip_id=trip_id, name="Mine"), NOW)
    assert outcome.reply["status"] == 404 and outcome.book["trips"][trip_id]["name"] is None


def test_an_editors_share_on_a_trip_made_private_gives_nothing():
    book, trip_id = shared_book("editor")
    private = apply(book, TRIP, command("update", 2, trip_id=trip_id, private=True), NOW).book
    assert apply(private, TRIP, acting("update", 3, trip_id=trip_id, name="Mine"), NOW).reply["status"] == 404


def test_the_owner_naming_themselves_as_actor_is_the_owner():
    book, trip_id = shared_book("viewer")
    outcome = apply(book, TRIP, acting("update", actor=OWNER, trip_id=trip_id, private=True), NOW)
    assert outcome.reply["ok"] and outcome.book["trips"][trip_id]["private"]


def test_an_editor_may_change_only_a_reservation_the_trip_holds():
    book, trip_id = shared_book("editor")
    held = acting("change-reservation", trip_id=trip_id, reservation_id=rid(2), patch={"notes": "x"})
    outcome = apply(book, TRIP, held, NOW)
    assert outcome.reply["ok"] and outcome.book == book   # the reservations agent changes it, not the book
    other = acting("change-reservation", trip_id=trip_id, reservation_id=rid(9), patch={"notes": "x"})
    assert apply(book, TRIP, other, NOW).reply["status"] == 404
    viewer_book, _ = shared_book("viewer")
    assert apply(viewer_book, TRIP, held, NOW).reply["status"] == 403

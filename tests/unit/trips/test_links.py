"""Public links as trip commands make, revoke and find them: digests only, private trips refused, expiry kept."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.common.errors import ValidationError
from domain.trips import links
from domain.trips.book import empty_book, settle
from domain.trips.commands import apply
from domain.trips.sharing import new_link
from tests.unit.trips.itineraries import START, flight, rid, stay

AT = "2025-01-01T00:00:00.000Z"
BEFORE = START - timedelta(days=1)
TRIP = [flight(rid(1), "ZRH", "JFK", 0), stay(rid(2), 3, 48), flight(rid(3), "JFK", "ZRH", 60)]


def command(kind, n=1, **data):
    return {"command_id": f"c{n}", "kind": kind, "user_id": "u1", "data": data, "issued_at": f"2025-01-01T00:00:0{n}Z"}


@pytest.fixture
def book():
    start = empty_book("u1")
    return settle(start, start, TRIP, BEFORE, AT)[0]


def trip_id_of(book) -> str:
    (trip_id,) = book["trips"]
    return trip_id


def with_link(book, expires_at=None, n=1):
    token, record = new_link(AT, expires_at)
    outcome = apply(book, TRIP, command("add-link", n, trip_id=trip_id_of(book), link=record), BEFORE)
    return token, record, outcome


def test_a_link_is_kept_on_its_trip_as_a_digest_and_opens_that_trip(book):
    token, record, outcome = with_link(book)
    assert outcome.reply["status"] == 201 and outcome.reply["trip"]["id"] == trip_id_of(book)
    trip = outcome.book["trips"][trip_id_of(book)]
    assert trip["links"] == [record] and token not in repr(outcome.book)
    assert links.find(outcome.book, token, BEFORE) == trip
    assert links.find(outcome.book, token[:-1] + ("A" if token[-1] != "A" else "B"), BEFORE) is None
    assert links.find(None, token, BEFORE) is None


def test_any_number_of_links_and_the_same_link_delivered_twice_is_kept_once(book):
    first_token, first, once = with_link(book)
    again = apply(once.book, TRIP, command("add-link", 2, trip_id=trip_id_of(book), link=first), BEFORE)
    assert again.book["trips"][trip_id_of(book)]["links"] == [first]
    second_token, second, twice = with_link(once.book, n=3)
    trip = twice.book["trips"][trip_id_of(book)]
    assert trip["links"] == [first, second]
    assert links.find(twice.book, first_token, BEFORE) == links.find(twice.book, second_token, BEFORE) == trip


def test_a_revoked_link_opens_nothing_at_once_and_keeps_its_first_revocation(book):
    token, record, made = with_link(book)
    revoked = apply(made.book, TRIP, command("revoke-link", 2, trip_id=trip_id_of(book), link_id=record["id"]), BEFORE)
    assert revoked.reply == {"ok": True, "status": 204}
    assert links.find(revoked.book, token, BEFORE) is None
    again = apply(revoked.book, TRIP, command("revoke-link", 3, trip_id=trip_id_of(book), link_id=record["id"]),
                  BEFORE)
    (kept,) = again.book["trips"][trip_id_of(book)]["links"]
    assert kept["revoked_at"] == "2025-01-01T00:00:02Z"
    assert links.to_api(again.book["trips"][trip_id_of(book)], kept, BEFORE)["state"] == links.REVOKED


def test_an_expired_link_opens_nothing_from_its_expiry_on(book):
    expires = BEFORE + timedelta(hours=1)
    token, record, made = with_link(book, expires_at=expires.isoformat())
    trip = made.book["trips"][trip_id_of(book)]
    assert links.find(made.book, token, expires - timedelta(seconds=1)) == trip
    assert links.find(made.book, token, expires) is None
    assert links.state(trip, record, expires) == links.EXPIRED


def test_a_private_trip_refuses_links_and_pauses_those_it_had(book):
    token, record, made = with_link(book)
    private = apply(made.book, TRIP, command("update", 2, trip_id=trip_id_of(book), private=True), BEFORE)
    trip = private.book["trips"][trip_id_of(book)]
    assert links.find(private.book, token, BEFORE) is None and links.state(trip, record, BEFORE) == links.PAUSED
    refused = apply(private.book, TRIP, command("add-link", 3, trip_id=trip_id_of(book), link=new_link(AT)[1]), BEFORE)
    assert refused.reply["status"] == 422 and refused.reply["kind"] == "trip-private"
    assert refused.book is private.book
    public = apply(private.book, TRIP, command("update", 4, trip_id=trip_id_of(book), private=False), BEFORE)
    assert links.find(public.book, token, BEFORE) == public.book["trips"][trip_id_of(book)]


def test_unknown_trips_and_links_answer_404(book):
    _, record, made = with_link(book)
    for bad in (command("add-link", 2, trip_id="x" * 32, link=new_link(AT)[1]),
                command("revoke-link", 2, trip_id="x" * 32, link_id=record["id"]),
                command("revoke-link", 2, trip_id=trip_id_of(book), link_id="0" * 32)):
        outcome = apply(made.book, TRIP, bad, BEFORE)
        assert outcome.reply["status"] == 404 and outcome.book is made.book


def test_a_deleted_trip_takes_its_links_with_it(book):
    token, _, made = with_link(book)
    deleted = apply(made.book, TRIP, command("delete", 2, trip_id=trip_id_of(book)), BEFORE)
    assert links.find(deleted.book, token, BEFORE) is None


def test_the_listing_shows_no_token_or_digest(book):
    token, record, made = with_link(book)
    shown = links.to_api(made.book["trips"][trip_id_of(book)], record, BEFORE)
    assert shown == {"id": record["id"], "created_at": AT, "expires_at": None, "revoked_at": None,
                     "state": links.ACTIVE}


@pytest.mark.parametrize("body, expires", [
    ({}, None), ({"expires_at": None}, None),
    ({"expires_at": "2030-05-01T12:00:00+02:00"}, "2030-05-01T10:00:00Z"),
    ({"expires_at": "2030-05-01T10:00:00Z"}, "2030-05-01T10:00:00Z"),
])
def test_a_link_input_gives_its_expiry_in_utc(body, expires):
    assert links.check_input(body, BEFORE) == expires


@pytest.mark.parametrize("body, field", [
    ({"expires_at": "2030-05-01"}, "expires_at"), ({"expires_at": "2030-05-01T10:00:00"}, "expires_at"),
    ({"expires_at": 1893456000}, "expires_at"), ({"expires_at": "soon"}, "expires_at"),
    ({"expires_at": "2020-01-01T00:00:00Z"}, "expires_at"), ({"token": "mine"}, "token"),
])
def test_a_bad_or_past_expiry_or_an_unknown_field_is_refused(body, field):
    with pytest.raises(ValidationError) as refused:
        links.check_input(body, BEFORE)
    assert [error["field"] for error in refused.value.errors] == [field]

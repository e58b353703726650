"""A shared trip's calendar feed for its follower: the token on the share, and what opens it."""

from __future__ import annotations

from domain.trips import feeds, share_feeds
from domain.trips.commands import apply
from tests.unit.trips.test_shares import FRIEND, NOW, OWNER, TRIP, command, owners_book, share_with


def make_feed(book: dict, trip_id: str, share_id: str, n: int = 5) -> tuple[object, str]:
    token, digest = feeds.new_token(OWNER)
    outcome = apply(book, TRIP, command(share_feeds.MAKE, n, trip_id=trip_id, share_id=share_id, digest=digest,
                                        sealed=f"sealed-{n}"), NOW)
    return outcome, token.split(".", 1)[1]


def shared() -> tuple[dict, str, str]:
    book, trip_id = owners_book()
    book = share_with(book, trip_id).book
    return book, trip_id, book["trips"][trip_id]["shares"][0]["id"]


def test_a_followers_feed_lives_on_their_share_and_its_secret_opens_the_trip():
    book, trip_id, share_id = shared()
    outcome, secret = make_feed(book, trip_id, share_id)
    assert outcome.reply == {"ok": True, "status": 200, "feed": outcome.book["trips"][trip_id]["shares"][0]["feed"]}
    assert secret not in str(outcome.book)
    trip, held = share_feeds.opened(outcome.book, secret, NOW)
    assert trip["id"] == trip_id and held["user_id"] == FRIEND
    assert share_feeds.opened(outcome.book, feeds.new_token(OWNER)[0].split(".", 1)[1], NOW) is None


def test_a_second_first_visit_keeps_the_feed_already_made():
    book, trip_id, share_id = shared()
    first, secret = make_feed(book, trip_id, share_id)
    second, other = make_feed(first.book, trip_id, share_id, n=6)
    assert second.book == first.book and second.reply["feed"]["sealed"] == "sealed-5"
    assert share_feeds.opened(second.book, secret, NOW) and share_feeds.opened(second.book, other, NOW) is None


def test_withdrawing_the_share_or_making_the_trip_private_closes_the_feed():
    book, trip_id, share_id = shared()
    made, secret = make_feed(book, trip_id, share_id)
    withdrawn = apply(made.book, TRIP, command("withdraw-share", 7, trip_id=trip_id, share_id=share_id), NOW)
    assert share_feeds.opened(withdrawn.book, secret, NOW) is None
    private = apply(made.book, TRIP, command("update", 7, trip_id=trip_id, private=True), NOW)
    assert share_feeds.opened(private.book, secret, NOW) is None


def test_no_feed_for_a_withdrawn_share_or_an_invitation():
    book, trip_id, share_id = shared()
    refused, _ = make_feed(book, trip_id, "0" * 32)
    assert refused.reply["status"] == 404 and refused.book == book
    invited = share_with(book, trip_id, "new@example.com", follower_id=None, n=2).book
    waiting = invited["trips"][trip_id]["shares"][1]["id"]
    assert make_feed(invited, trip_id, waiting)[0].reply["status"] == 404

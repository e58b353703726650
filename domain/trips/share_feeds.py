"""A shared trip's calendar feed for its follower: one secret token per share, kept on the share itself.

The token is ``<owner ID>.<secret>`` (domain/trips/feeds.py): the owner's ID routes the request to the worker
holding the owner's trip book, and the secret is found among that book's shares by its digest. Kept on the
share (``share["feed"]``), the feed goes with it: a withdrawn share, a deleted or private trip open nothing.
"""

from __future__ import annotations

from datetime import datetime

from domain.common.errors import NotFound
from domain.trips import feeds, sharing
from domain.trips.shares import viewing_role

MAKE = "make-share-feed"


def make(book: dict, known: set[str], command: dict) -> tuple[dict, str]:
    """The follower's feed on their share (``data``: trip_id, share_id, digest, sealed); a feed that exists
    is kept, so two first visits at once end with one URL."""
    data = command["data"]
    trip = book["trips"].get(data["trip_id"]) or {}
    held = next((s for s in trip.get("shares") or () if s["id"] == data["share_id"] and s["user_id"]), None)
    if held is None:
        raise NotFound("No such trip.")   # withdrawn while the command travelled
    made = feeds.feed_after(held.get("feed"), {**command, "kind": "create", **data})
    if made is held.get("feed"):
        return book, trip["id"]
    kept = [{**s, "feed": made} if s is held else s for s in trip["shares"]]
    return {**book, "trips": {**book["trips"], trip["id"]: {**trip, "shares": kept}}}, trip["id"]


HANDLERS = {MAKE: make}


def reply(command: dict, book: dict) -> dict:
    """The share's feed record, for the view to show its URL."""
    trip = book["trips"][command["data"]["trip_id"]]
    held = next(s for s in trip["shares"] if s["id"] == command["data"]["share_id"])
    return {"ok": True, "status": 200, "feed": held["feed"]}


def opened(book: dict, secret: str, now: datetime) -> tuple[dict, dict] | None:
    """(trip, share) whose feed ``secret`` opens, while its follower may still follow the trip; None else.

    Every feed of the book is compared (in constant time each), so the answer's timing says nothing of
    which digest came close.
    """
    found = None
    for trip in book["trips"].values():
        for held in trip.get("shares") or ():
            if feeds.opens(held.get("feed"), secret):
                found = (trip, held)
    if found is None:
        return None
    trip, held = found
    role = held["user_id"] and viewing_role(book, trip["id"], held["user_id"], now)
    return found if role and sharing.may(role, sharing.FOLLOW, private=trip["private"]) else None

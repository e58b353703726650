"""Shares with addresses nobody registered, new in the owner's book: each is to get an invitation e-mail."""

from __future__ import annotations


def new_invitations(previous: dict, book: dict) -> list[dict]:
    """``{share_id, email, owner_id, trip_id, trip_name}`` for each share of ``book`` waiting for its address to
    sign up that ``previous`` did not hold; a share given a new role is not invited again."""
    waiting_before = {s["id"] for s in _waiting(previous)}
    return [{"share_id": s["id"], "email": s["email"], "owner_id": book["user_id"], "trip_id": trip["id"],
             "trip_name": trip["name"] or (trip["summary"] or {}).get("auto_name") or ""}
            for trip in book["trips"].values() for s in trip.get("shares") or ()
            if s["user_id"] is None and s["id"] not in waiting_before]


def _waiting(book: dict) -> list[dict]:
    return [s for trip in book["trips"].values() for s in trip.get("shares") or () if s["user_id"] is None]

"""A trip shared with specific people: the owner's share and withdraw commands, the followers' index events,
and the trip as a follower sees it.

A share lives on its trip in the owner's book (``trip["shares"]``: ``{id, email, user_id, role,
created_at}``), ``user_id`` None while the address belongs to nobody registered (an invitation). The book is
the one truth: a follower's index (tables/shared_trips.py) only points at it, and every read checks here.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime

from domain.accounts.rules import normalise_email
from domain.common.errors import DomainError, FieldErrors, NotFound, ValidationError
from domain.trips import sharing
from domain.trips.book import to_api as to_trip_api

SHARED, WITHDRAWN = "shared", "withdrawn"
ACTIVE, INVITED = "active", "invited"
# What only those who may change a booking see (sharing.VIEW_CONFIRMATIONS), and the owner's own notes.
_BOOKING_SECRETS = ("confirmation", "travellers", "notes", "price", "user_id")


class TripPrivate(DomainError):
    kind = "trip-private"


def check_share(body: dict) -> dict:
    """A share request (``{email, role}``) with the address lower-cased, as logins keeps it."""
    errors = FieldErrors()
    email = normalise_email(body.get("email"))
    if email is None:
        errors.add("email", "must be an e-mail address")
    if body.get("role") not in sharing.SHARE_ROLES:
        errors.add("role", f"must be one of {', '.join(sharing.SHARE_ROLES)}")
    if unknown := sorted(set(body) - {"email", "role"}):
        errors.add(unknown[0], "is not a field of a share")
    errors.raise_if_any()
    return {"email": email, "role": body["role"]}


def share(book: dict, known: set[str], command: dict) -> tuple[dict, str]:
    """Share the trip with an address as viewer or editor; sharing the same address again changes the role.

    ``data`` carries the address's account (``follower_id``, None for nobody registered), looked up on the
    way by agents/trips/resolve_share_addresses.py.
    """
    data = command["data"]
    trip = _trip(book, data["trip_id"])
    if not sharing.may(sharing.OWNER, sharing.SHARE, private=trip["private"]):
        raise TripPrivate("A private trip cannot be shared.")
    if data["follower_id"] == book["user_id"]:
        raise ValidationError("A trip cannot be shared with its owner.", [
            {"field": "email", "message": "is the owner's own address"}])
    shares = list(trip.get("shares") or [])
    same = next((s for s in shares if s["email"] == data["email"]), None)
    kept = same or {"id": data["share_id"], "email": data["email"], "created_at": command["issued_at"]}
    changed = {**kept, "user_id": data["follower_id"], "role": data["role"]}
    shares = [changed if s is same else s for s in shares] if same else [*shares, changed]
    return _with_shares(book, trip, shares), trip["id"]


def withdraw(book: dict, known: set[str], command: dict) -> tuple[dict, str]:
    """The share goes at once: the follower's next read finds it nowhere in the book."""
    trip = _trip(book, command["data"]["trip_id"])
    shares = trip.get("shares") or []
    if not any(s["id"] == command["data"]["share_id"] for s in shares):
        raise NotFound("No such share.")
    return _with_shares(book, trip, [s for s in shares if s["id"] != command["data"]["share_id"]]), trip["id"]


def attach(book: dict, known: set[str], command: dict) -> tuple[dict, str]:
    """An invited address signed up: its share now belongs to the new account (still there, still invited)."""
    data = command["data"]
    trip = _trip(book, data["trip_id"])
    shares = trip.get("shares") or []
    waiting = next((s for s in shares if s["id"] == data["share_id"] and s["user_id"] is None), None)
    if waiting is None or data["follower_id"] == book["user_id"]:
        raise NotFound("No such invitation.")   # withdrawn, or attached already
    attached = {**waiting, "user_id": data["follower_id"]}
    return _with_shares(book, trip, [attached if s is waiting else s for s in shares]), trip["id"]


HANDLERS = {"share": share, "withdraw-share": withdraw, "attach-share": attach}


def reply(command: dict, book: dict) -> dict:
    """The reply to a share command: the share as the API shows it (201), or 204 for a withdrawal."""
    if command["kind"] != "share":
        return {"ok": True, "status": 204}
    trip = book["trips"][command["data"]["trip_id"]]
    made = next(s for s in trip["shares"] if s["email"] == command["data"]["email"])
    return {"ok": True, "status": 201, "share": to_api(made)}


def to_api(share_record: dict) -> dict:
    return {"id": share_record["id"], "email": share_record["email"], "role": share_record["role"],
            "status": ACTIVE if share_record["user_id"] else INVITED, "created_at": share_record["created_at"]}


def viewing_role(book: dict, trip_id: str, user_id: str, now: datetime) -> str | None:
    """The caller's role on one trip of ``book`` if it lets them see the trip; None for a trip the book does
    not hold, a stranger, or a trip made private (shares on record then give nothing)."""
    trip = book["trips"].get(trip_id)
    if trip is None:
        return None
    role = sharing.role_of({**trip, "owner_id": book["user_id"]}, now, user_id=user_id)
    return role if sharing.may(role, sharing.VIEW, private=trip["private"]) else None


def share_of(book: dict, trip_id: str, user_id: str) -> dict | None:
    """The share of ``book``'s trip held by ``user_id``'s account, if any."""
    trip = book["trips"].get(trip_id) or {}
    return next((s for s in trip.get("shares") or () if s["user_id"] == user_id), None)


def follower_view(trip: dict, role: str) -> dict:
    """The trip (as the API shows it, reservations filled in) for a follower: no booking secrets for a
    viewer, and never the owner's reservation IDs of other trips (the trip names only its own)."""
    if sharing.may(role, sharing.VIEW_CONFIRMATIONS):
        return {**trip, "role": role}
    return {**trip, "reservations": [_as_seen(r, role) for r in trip["reservations"]], "role": role}


LISTED = ("name", "start", "start_time_zone", "end", "end_time_zone")   # what "shared with me" shows of a trip


def share_events(previous: dict, book: dict, at: str) -> list[dict]:
    """What each follower's index must learn from the owner's book changing: a trip now shared with them
    (or with a new role, name or dates), or no longer (withdrawn, the trip deleted or made private). Keyed by
    follower."""
    before, after = _followed(previous), _followed(book)
    events = [_event(SHARED, book["user_id"], key, seen, at) for key, seen in sorted(after.items())
              if before.get(key) != seen]
    return events + [_event(WITHDRAWN, book["user_id"], key, None, at) for key in sorted(before) if key not in after]


def _followed(book: dict) -> dict[tuple[str, str], dict]:
    """(follower ID, trip ID) -> the role and the trip's listing for every share that gives its follower
    something now."""
    return {(s["user_id"], trip["id"]): {"role": s["role"], **_listing(trip)} for trip in book["trips"].values()
            if not trip["private"] for s in trip.get("shares") or () if s["user_id"]}


def _listing(trip: dict) -> dict:
    shown = to_trip_api(trip)
    return {name: shown[name] for name in LISTED}


def _event(kind: str, owner_id: str, key: tuple[str, str], seen: dict | None, at: str) -> dict:
    return {"kind": kind, "follower_id": key[0], "owner_id": owner_id, "trip_id": key[1],
            "role": seen["role"] if seen else None, **{name: (seen or {}).get(name) for name in LISTED},
            "occurred_at": at}


def _trip(book: dict, trip_id: str) -> dict:
    trip = book["trips"].get(trip_id)
    if trip is None:
        raise NotFound("No such trip.")
    return trip


def _with_shares(book: dict, trip: dict, shares: list[dict]) -> dict:
    return {**book, "trips": {**book["trips"], trip["id"]: {**trip, "shares": shares}}}


def for_followers(book: dict, change: dict, reservation: dict | None, owner_name: str | None = None) -> list[dict]:
    """The owner's ``change`` (schemas/reservation-changes.json) as each active follower of the trip holding
    its reservation hears it: addressed to them, with the reservation as their role sees it (a viewer's
    without booking secrets), and ``shared_by`` naming the owner (their profile's name, if any) and the
    trip. None for a private trip."""
    trip = next((t for t in book["trips"].values() if change["reservation_id"] in t["reservations"]), None)
    if trip is None or trip["private"]:
        return []
    shared_by = {"owner_id": book["user_id"], "owner_name": owner_name, "trip_id": trip["id"],
                 "trip_name": trip["name"] or (trip["summary"] or {}).get("auto_name")}
    return [{**_change_as_seen(change, s["role"]), "user_id": s["user_id"], "shared_by": shared_by,
             "reservation": _as_seen(reservation, s["role"])} for s in trip.get("shares") or () if s["user_id"]]


def _change_as_seen(change: dict, role: str) -> dict:
    """A hotel's or car's subject names its confirmation code (``hotel/<provider>/<confirmation>``)."""
    if sharing.may(role, sharing.VIEW_CONFIRMATIONS):
        return change
    return {k: v for k, v in change.items() if k != "subject"}


def _as_seen(reservation: dict | None, role: str) -> dict | None:
    if reservation is None or sharing.may(role, sharing.VIEW_CONFIRMATIONS):
        return reservation
    return {k: v for k, v in reservation.items() if k not in _BOOKING_SECRETS}


def claim_token(secret: str, share_id: str, email: str) -> str:
    """The secret an invitation e-mail carries to its address: the sign-up that presents it proves it read that
    mailbox (sign-up verifies no address, so the address alone must not attach a share). An HMAC under the
    workers' shared secret: the mailer and the sign-up's partition compute it, nothing stores or sends it."""
    return hmac.new(secret.encode(), f"invitation/{share_id}/{email}".encode(), hashlib.sha256).hexdigest()


def claimed(secret: str, token: object, email: str, share_ids: list[str]) -> list[str]:
    """The waiting shares ``token`` opens for a sign-up of ``email`` (compared in constant time)."""
    if not isinstance(token, str):
        return []
    return [share_id for share_id in share_ids
            if hmac.compare_digest(token.encode(), claim_token(secret, share_id, email).encode())]

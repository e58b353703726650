"""The traveller's word on their trips: create, rename, delete, move reservations, merge, split, set the home.

Each command edits the book (domain/trips/book.py), and the book is then regrouped as a whole, so the
automatic rules and the hand placements meet in one place. Reservations moved by hand are placed there for
good; taken out, they are placed in no trip.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from domain.common.errors import DomainError, FieldErrors, NotFound, ValidationError
from domain.trips import acting, links, share_feeds, shares
from domain.trips.book import empty_book, new_trip, settle, to_api


@dataclass(frozen=True)
class Outcome:
    """The book after a command, the trip events it publishes, and the reply to the waiting view."""

    book: dict
    events: list[dict]
    reply: dict


def apply(book: dict | None, reservations: list[dict], command: dict, now: datetime) -> Outcome:
    """Apply a trip command (``{kind, user_id, data, issued_at}``, and ``actor_id`` when an editor sends it)
    to the traveller's book at ``now``."""
    previous = book or empty_book(command["user_id"])
    try:
        acting.check(previous, command, now)
        edited, trip_id = HANDLERS[command["kind"]](previous, {r["id"] for r in reservations}, command)
    except DomainError as exc:
        return Outcome(previous, [], {"ok": False, "status": exc.status, "kind": exc.kind, "title": exc.title,
                                      "errors": exc.errors})
    settled, events = settle(previous, edited, reservations, now, command["issued_at"])
    return Outcome(settled, events, _reply(command, settled, trip_id))


def _reply(command: dict, book: dict, trip_id: str | None) -> dict:
    if command["kind"] in shares.HANDLERS:
        return shares.reply(command, book)
    if command["kind"] in share_feeds.HANDLERS:
        return share_feeds.reply(command, book)
    if command["kind"] in ("delete", "revoke-link"):
        return {"ok": True, "status": 204}
    if trip_id is None:
        return {"ok": True, "status": 200}
    status = 201 if command["kind"] in ("create", "split", "add-link") else 200
    return {"ok": True, "status": status, "trip": to_api(book["trips"][trip_id])}


def _create(book: dict, known: set[str], command: dict) -> tuple[dict, str]:
    data = command["data"]
    trip_id = data["trip_id"]
    if trip_id in book["trips"]:
        return book, trip_id  # the same create, delivered again
    moved = _known_ids(data.get("reservation_ids", []), known)
    trip = new_trip(trip_id, command["issued_at"], name=data.get("name"), by_hand=True)
    return _placing({**book, "trips": {**book["trips"], trip_id: trip}}, moved, trip_id), trip_id


def _update(book: dict, known: set[str], command: dict) -> tuple[dict, str]:
    data = command["data"]
    trip = _trip(book, data["trip_id"])
    changes = {key: data[key] for key in ("name", "private") if key in data}
    return {**book, "trips": {**book["trips"], trip["id"]: {**trip, **changes}}}, trip["id"]


def _delete(book: dict, known: set[str], command: dict) -> tuple[dict, None]:
    """The trip goes and its reservations are placed in no trip: left free, the rules would only group
    them again into the same trip."""
    trip = _trip(book, command["data"]["trip_id"])
    trips = {trip_id: t for trip_id, t in book["trips"].items() if trip_id != trip["id"]}
    return _placing({**book, "trips": trips}, trip["reservations"], None), None


def _add_reservation(book: dict, known: set[str], command: dict) -> tuple[dict, str]:
    """The reservation moves into the trip, and only it: both trips keep the rest of what they hold."""
    trip = _trip(book, command["data"]["trip_id"])
    reservation_id = command["data"]["reservation_id"]
    if reservation_id not in known:
        raise NotFound("No such reservation.")
    was_in = [t for t in book["trips"].values() if reservation_id in t["reservations"]]
    return _placing(_pinned(book, [trip, *was_in]), [reservation_id], trip["id"]), trip["id"]


def _remove_reservation(book: dict, known: set[str], command: dict) -> tuple[dict, str]:
    trip = _trip(book, command["data"]["trip_id"])
    reservation_id = command["data"]["reservation_id"]
    if reservation_id not in trip["reservations"]:
        raise NotFound("The trip holds no such reservation.")
    return _placing(_pinned(book, [trip]), [reservation_id], None), trip["id"]


def _change_reservation(book: dict, known: set[str], command: dict) -> tuple[dict, str]:
    """Nothing of the book changes: the command lets a change to (or the deletion of) one of the trip's
    reservations through, never one outside the trip (the agent hands it to the reservations agent once this
    accepted it; the deletion then leaves the trip through the owner's index, as any deletion does)."""
    trip = _trip(book, command["data"]["trip_id"])
    if command["data"]["reservation_id"] not in trip["reservations"]:
        raise NotFound("The trip holds no such reservation.")
    return book, trip["id"]


def _merge(book: dict, known: set[str], command: dict) -> tuple[dict, str]:
    """The other trip's reservations move into this one, placed by hand, and the other trip goes."""
    trip = _trip(book, command["data"]["trip_id"])
    other = _trip(book, command["data"]["other_trip_id"])
    if other["id"] == trip["id"]:
        raise ValidationError("A trip cannot be merged with itself.", [
            {"field": "trip_id", "message": "must name another trip"}])
    placed = {rid: trip["id"] if target == other["id"] else target for rid, target in book["placed"].items()}
    trips = {trip_id: t for trip_id, t in book["trips"].items() if trip_id != other["id"]}
    merged = _placing({**book, "trips": trips, "placed": placed}, other["reservations"], trip["id"])
    return _pinned(merged, [trip]), trip["id"]


def _split(book: dict, known: set[str], command: dict) -> tuple[dict, str]:
    """The named reservations move to a new trip; both sides are placed by hand, so the split stays."""
    data = command["data"]
    new_id = data["new_trip_id"]
    if new_id in book["trips"]:
        return book, new_id  # the same split, delivered again
    trip = _trip(book, data["trip_id"])
    moving = data["reservation_ids"]
    errors = FieldErrors()
    if any(rid not in trip["reservations"] for rid in moving):
        errors.add("reservation_ids", "must all be reservations of this trip")
    elif not moving or set(moving) == set(trip["reservations"]):
        errors.add("reservation_ids", "must name some of the trip's reservations, not all of them")
    errors.raise_if_any()
    staying = [rid for rid in trip["reservations"] if rid not in moving]
    trips = {**book["trips"], new_id: new_trip(new_id, command["issued_at"], by_hand=True)}
    return _placing(_placing({**book, "trips": trips}, moving, new_id), staying, trip["id"]), new_id


def _add_link(book: dict, known: set[str], command: dict) -> tuple[dict, str]:
    """A public link (the record the view made with sharing.new_link: its token never travels) on the trip."""
    trip = _trip(book, command["data"]["trip_id"])
    return _with_trip(book, links.add(trip, command["data"]["link"])), trip["id"]


def _revoke_link(book: dict, known: set[str], command: dict) -> tuple[dict, str]:
    trip = _trip(book, command["data"]["trip_id"])
    return _with_trip(book, links.revoke(trip, command["data"]["link_id"], command["issued_at"])), trip["id"]


def _with_trip(book: dict, trip: dict) -> dict:
    return {**book, "trips": {**book["trips"], trip["id"]: trip}}


def _set_profile(book: dict, known: set[str], command: dict) -> tuple[dict, None]:
    data = command["data"]
    return {**book, "home": sorted(data.get("home") or []), "language": data.get("language")}, None


def _tick(book: dict, known: set[str], command: dict) -> tuple[dict, None]:
    return book, None  # nothing to edit: settling at the new time moves the statuses


def _trip(book: dict, trip_id: str) -> dict:
    trip = book["trips"].get(trip_id)
    if trip is None:
        raise NotFound("No such trip.")
    return trip


def _known_ids(ids: list[str], known: set[str]) -> list[str]:
    unknown = [rid for rid in ids if rid not in known]
    if unknown:
        raise NotFound("No such reservation.", [{"field": "reservation_ids", "message": f"unknown: {unknown[0]}"}])
    return ids


def _pinned(book: dict, trips: list[dict]) -> dict:
    """Every reservation of ``trips`` placed by hand where it is. Why: the rules let a reservation placed by
    hand pull its group along, so moving one reservation would otherwise move its neighbours too, or leave
    a trip's own reservations to a new trip."""
    for trip in trips:
        book = _placing(book, trip["reservations"], trip["id"])
    return book


def _placing(book: dict, reservation_ids: list[str], trip_id: str | None) -> dict:
    return {**book, "placed": {**book["placed"], **dict.fromkeys(reservation_ids, trip_id)}}


HANDLERS: dict[str, Callable[[dict, set[str], dict], tuple[dict, str | None]]] = {
    "create": _create, "update": _update, "delete": _delete, "add-reservation": _add_reservation,
    "remove-reservation": _remove_reservation, "merge": _merge, "split": _split,
    "set-profile": _set_profile, "tick": _tick, "add-link": _add_link, "revoke-link": _revoke_link,
    "change-reservation": _change_reservation, "delete-reservation": _change_reservation,
    **shares.HANDLERS, **share_feeds.HANDLERS,
}
KINDS = tuple(HANDLERS)
# An editor's command on one of the trip's reservations -> the reservations agent's command kind it becomes.
RESERVATION_KINDS = {"change-reservation": "update", "delete-reservation": "delete"}

"""A traveller's trip book: their trips and hand placements, regrouped after every change, and its trip events.

The book is one record per traveller (``{user_id, home, language, trips, placed, tracked}``) so that one agent keyed by
user ID sees all of a traveller's reservations and trips at once, which the grouping rules need.
A trip in it is ``{id, name, private, by_hand, reservations, summary, status, version, created_at,
updated_at}``: ``name`` is the traveller's own (None: the automatic one in ``summary``), ``by_hand`` says the
traveller created it (such a trip stays when emptied; an automatic one goes), ``reservations`` are in time
order and ``status`` is domain/trips/ending.py's, None while the trip holds nothing. ``tracked`` holds each
reservation's latest change found by tracking, for the trips API.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection
from datetime import datetime

from domain.common.timestamps import to_utc
from domain.trips import ending
from domain.trips.grouping import Trip, regroup
from domain.trips.naming import summarise

CREATED, UPDATED, DELETED = "trip.created", "trip.updated", "trip.deleted"
EVENT_TYPES = (CREATED, UPDATED, DELETED, ending.COMPLETED, ending.REOPENED)
_BOOKKEEPING = ("version", "updated_at")
# Who the trip is shown to, not the trip: its links, its shares and their feeds change neither its version (the
# API's ETag) nor what the data team's events show, so changing them publishes no trip.updated.
_SHARING = ("links", "shares")


def empty_book(user_id: str) -> dict:
    return {"user_id": user_id, "home": [], "language": None, "trips": {}, "placed": {}, "tracked": {}}


def with_tracked(book: dict, change: dict) -> dict:
    """The book keeping ``change`` (schemas/reservation-changes.json) as its reservation's latest tracked
    state, unless a later one is kept already; the book itself when nothing changes."""
    tracked = book.get("tracked") or {}
    known = tracked.get(change["reservation_id"])
    if known is not None and known["detected_at"] >= change["detected_at"]:
        return book
    kept = {key: change.get(key) for key in ("change_id", "severity", "changes", "source", "detected_at")}
    return {**book, "tracked": {**tracked, change["reservation_id"]: kept}}


def new_trip(trip_id: str, at: str, *, name: str | None = None, by_hand: bool = False) -> dict:
    return {"id": trip_id, "name": name, "private": False, "by_hand": by_hand, "reservations": [],
            "summary": None, "status": None, "version": 0, "created_at": at, "updated_at": at}


def settle(previous: dict, book: dict, reservations: list[dict], now: datetime, at: str,
           changed: Collection[str] | None = None) -> tuple[dict, list[dict]]:
    """The book with its trips regrouped around ``reservations`` (the traveller's, deleted ones left out) at
    ``now``, and the trip events that tell what changed since the trips of ``previous``.

    ``book`` may hold the traveller's edits (a renamed, new or removed trip, new placements); ``at`` stamps
    the trips that changed and the events (the change's own time, so a replay stamps the same).
    ``changed``, when given, names the only reservations that changed since ``book`` was settled (home and
    language the same): a trip holding the same reservations, none of them changed, keeps its summary, which
    is most of the cost for a traveller with hundreds of trips (bench/trips_regroup.py).
    """
    by_id = {r["id"]: r for r in reservations}
    trips = book["trips"]
    grouped = regroup(reservations, [Trip(t["id"], frozenset(t["reservations"]), t["private"]) for t in trips.values()],
                      book["placed"], frozenset(book["home"]))
    after = {}
    for trip_id in sorted(set(trips) | set(grouped.members)):
        members = grouped.members.get(trip_id, frozenset())
        base = trips.get(trip_id) or new_trip(trip_id, at)
        if not members and not base["by_hand"]:
            continue  # an automatic trip left empty is gone
        if changed is not None and _same(base, members, changed):
            trip = _summary_kept(base, now)
        else:
            trip = _filled(base, [by_id[rid] for rid in members], book, now)
        after[trip_id] = _versioned(previous["trips"].get(trip_id), trip, at)
    settled = {**book, "trips": after, "placed": _known_placements(book["placed"], by_id, after),
               "tracked": {rid: kept for rid, kept in (book.get("tracked") or {}).items() if rid in by_id}}
    return settled, trip_events(previous, settled, at)


def _filled(trip: dict, members: list[dict], book: dict, now: datetime) -> dict:
    """The trip holding ``members``, its summary and status computed from them."""
    members = sorted(members, key=lambda r: (to_utc(r["start"]), r["id"]))
    if not members:
        return {**trip, "reservations": [], "summary": None, "status": None}
    summary = summarise(members, frozenset(book["home"]), book["language"])
    place = summary.destination
    kept = {"auto_name": summary.name, "start": summary.start, "start_time_zone": summary.start_time_zone,
            "end": summary.end, "end_time_zone": summary.end_time_zone,
            "destination": None if place is None else {"city": place.city, "country": place.country,
                                                       "airport": place.airport}}
    status = ending.status(summary.start, summary.end, summary.end_time_zone, now)
    return {**trip, "reservations": [r["id"] for r in members], "summary": kept, "status": status}


def _same(trip: dict, members: frozenset[str], changed: Collection[str]) -> bool:
    """Whether ``trip`` already holds ``members``, none of them ``changed``, so its summary stands."""
    return trip["summary"] is not None and members.isdisjoint(changed) and members == set(trip["reservations"])


def _summary_kept(trip: dict, now: datetime) -> dict:
    """The trip with its summary kept and its status at ``now``."""
    summary = trip["summary"]
    return {**trip, "status": ending.status(summary["start"], summary["end"], summary["end_time_zone"], now)}


def _versioned(before: dict | None, trip: dict, at: str) -> dict:
    """The trip with ``before``'s version when nothing of it changed (its sharing may have); otherwise with the
    next version, stamped ``at``."""
    if before is not None and _content(before) == _content(trip):
        return before if before == trip else {**trip, "version": before["version"], "updated_at": before["updated_at"]}
    return {**trip, "version": (before or trip)["version"] + 1, "updated_at": at}


def _content(trip: dict) -> dict:
    return {key: value for key, value in trip.items() if key not in _BOOKKEEPING and key not in _SHARING}


def _known_placements(placed: dict, reservations: dict, trips: dict) -> dict:
    """Placements of reservations that still exist, into trips that still exist (or out of every trip)."""
    return {rid: trip_id for rid, trip_id in placed.items()
            if rid in reservations and (trip_id is None or trip_id in trips)}


def trip_events(previous: dict, book: dict, at: str) -> list[dict]:
    """The events from the trips of ``previous`` to those of ``book``, in trip ID order.

    A change of content is ``trip.updated`` (``trip.created`` for a new trip); becoming past is
    ``trip.completed`` and coming back from the past ``trip.reopened``, instead of an update when the status
    is all that changed, after it otherwise.
    """
    events = []
    before_trips, after_trips = previous["trips"], book["trips"]
    for trip_id in sorted(set(before_trips) | set(after_trips)):
        before, after = before_trips.get(trip_id), after_trips.get(trip_id)
        if after is None:
            gone = {**before, "version": before["version"] + 1}
            events.append(event(DELETED, book["user_id"], gone, at))
            continue
        if before is not None and after["version"] == before["version"]:
            continue   # unchanged, or only its links and shares changed
        turn = ending.event_for(before and before["status"], after["status"]) if after["status"] else None
        only_status = before is not None and _content({**before, "status": None}) == _content({**after, "status": None})
        if not (only_status and turn):
            events.append(event(UPDATED if before else CREATED, book["user_id"], after, at))
        if turn:
            events.append(event(turn, book["user_id"], after, at))
    return events


def event(event_type: str, user_id: str, trip: dict, at: str) -> dict:
    """A trip event for the data team (schemas/trip-events.json)."""
    # The same on a replay (``at`` is the change's own time), new when a deleted trip's ID comes back.
    event_id = hashlib.sha256(f"{trip['id']}/{trip['version']}/{event_type}/{at}".encode()).hexdigest()[:32]
    return {"schema_version": 1, "event_id": event_id,
            "event_type": event_type, "trip_id": trip["id"], "user_id": user_id, "version": trip["version"],
            "occurred_at": at, "trip": None if event_type == DELETED else to_api(trip)}


def to_api(trip: dict) -> dict:
    """The trip as the API and the events show it, its reservations by ID (the web layer fills them in)."""
    summary = trip["summary"] or {}
    return {"id": trip["id"], "name": trip["name"] or summary.get("auto_name"), "named_by_traveller": trip["name"]
            is not None, "private": trip["private"], "created_by_hand": trip["by_hand"], "status": trip["status"],
            "start": summary.get("start"), "start_time_zone": summary.get("start_time_zone"),
            "end": summary.get("end"), "end_time_zone": summary.get("end_time_zone"),
            "destination": summary.get("destination"), "reservation_ids": list(trip["reservations"]),
            "version": trip["version"], "created_at": trip["created_at"], "updated_at": trip["updated_at"]}


def next_change(book: dict, now: datetime) -> datetime | None:
    """When a trip of the book next begins or is over, for the end-of-trips timer to wait until: ``now`` when
    a recorded status is already out of date; None when every trip is past or empty."""
    moments = [_next_for(trip, now) for trip in book["trips"].values() if trip["summary"] is not None]
    return min((moment for moment in moments if moment is not None), default=None)


def _next_for(trip: dict, now: datetime) -> datetime | None:
    ends = (trip["summary"]["start"], trip["summary"]["end"], trip["summary"]["end_time_zone"])
    if ending.status(*ends, now) != trip["status"]:
        return now
    return ending.next_change(*ends, now)

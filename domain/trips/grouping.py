"""Reservations into trips: the automatic rules around what the traveller placed by hand, with stable trip IDs."""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import count

from domain.trips.partition import Span, distance, partition


@dataclass(frozen=True)
class Trip:
    """A trip as grouping sees it: its ID, the reservations it holds now, and whether it is private."""

    id: str
    reservations: frozenset[str] = frozenset()
    private: bool = False


@dataclass(frozen=True)
class Regrouping:
    """The trips after grouping and what changed, for an agent to store and to announce as trip events.

    ``members`` has every trip that holds a reservation; a trip that holds none (one the traveller just
    created, or one ``emptied`` now) is not in it.
    """

    members: dict[str, frozenset[str]]
    created: tuple[str, ...]
    updated: tuple[str, ...]
    emptied: tuple[str, ...]

    def trip_of(self, reservation_id: str) -> str | None:
        return next((trip_id for trip_id, ids in self.members.items() if reservation_id in ids), None)


def regroup(reservations: Iterable[dict], trips: Iterable[Trip] = (),
            placed: Mapping[str, str | None] | None = None, home: frozenset[str] = frozenset()) -> Regrouping:
    """A traveller's reservations in trips: the rules of domain/trips/partition.py, then the traveller's word.

    ``trips`` are the traveller's trips as they stand; ``placed`` maps each reservation the traveller put in a
    trip by hand to that trip, or to None for one taken out of every trip; ``home`` is the home's airports.

    - What was placed by hand stays there, and so does everything in a private trip: a private trip gets
      nothing added and loses nothing, and its reservations bring no others along. Reservations taken out
      of every trip, and the ones in private trips, are left out of the automatic rules altogether.
    - A reservation placed by hand in a trip that is not private still counts for the rules, and pulls the
      reservations the rules put with it into its trip: the hotel that arrives after the traveller put the
      flight out in a "Conference" trip goes to "Conference". Where a group holds reservations placed in
      several trips (after a split), each other reservation goes to the trip of the nearest of them.
    - Every other group keeps the ID of the trip it shares most reservations with (then the smallest trip
      ID), each trip going to one group at most: a trip keeps its ID as reservations arrive, the bigger
      side of a merge keeps its ID and the smaller is emptied, and the bigger part of a split keeps it.
      A group matching no trip gets a new ID derived from its smallest reservation ID, so the same event
      replayed after a crash makes the same trip.

    A placement naming a trip that is not in ``trips`` is ignored (that reservation is free again), and
    so are placements and trip members that name no known reservation.
    """
    spans = {r["id"]: Span.of(r) for r in reservations}
    trips_by_id = {trip.id: trip for trip in trips}
    fixed = _fixed(spans, trips_by_id, placed or {})
    members: dict[str, set[str]] = defaultdict(set)
    for reservation_id, trip_id in fixed.items():
        if trip_id is not None:
            members[trip_id].add(reservation_id)
    # Anchors: placed by hand in a trip that is not private, and not cancelled. They count for the rules and
    # pull the reservations grouped with them into their trip.
    anchors = {reservation_id: trip_id for reservation_id, trip_id in fixed.items()
               if trip_id is not None and not trips_by_id[trip_id].private and not spans[reservation_id].cancelled}
    free_groups = _apply_rules(spans, fixed, anchors, home, members)
    taken = set(anchors.values()) | {trip.id for trip in trips_by_id.values() if trip.private}
    for ids, trip_id in _match(free_groups, [t for t in trips_by_id.values() if t.id not in taken]):
        members[trip_id or _new_id(ids, set(trips_by_id) | set(members))] |= ids
    return _changes(trips_by_id, members)


def _fixed(spans: dict[str, Span], trips: dict[str, Trip], placed: Mapping[str, str | None]) -> dict[str, str | None]:
    """Reservation ID -> the trip it stays in whatever the rules say (None: in no trip).

    Private trips keep their reservations; a placement by hand, the traveller's latest word, comes over that.
    """
    fixed: dict[str, str | None] = {
        reservation_id: trip.id for trip in trips.values() if trip.private
        for reservation_id in trip.reservations if reservation_id in spans}
    fixed.update({reservation_id: trip_id for reservation_id, trip_id in placed.items()
                  if reservation_id in spans and (trip_id is None or trip_id in trips)})
    return fixed


def _apply_rules(spans: dict[str, Span], fixed: dict[str, str | None], anchors: dict[str, str],
                 home: frozenset[str], members: dict[str, set[str]]) -> list[frozenset[str]]:
    """Partition the free reservations with the anchors; groups with an anchor go to its trip in ``members``,
    the groups without one come back."""
    free_groups = []
    for group in partition([span for rid, span in spans.items() if rid not in fixed or rid in anchors], home):
        held = [span for span in group if span.id in anchors]
        if not held:
            free_groups.append(frozenset(span.id for span in group))
            continue
        for span in group:
            if span.id not in anchors:
                nearest = min(held, key=lambda anchor: (distance(anchor, span), anchor))
                members[anchors[nearest.id]].add(span.id)
    return free_groups


def _match(groups: list[frozenset[str]], trips: list[Trip]) -> list[tuple[frozenset[str], str | None]]:
    """Each group with the trip it shares most reservations with (None for none), one group per trip."""
    held_by = {reservation_id: trip.id for trip in trips for reservation_id in trip.reservations}
    pairs = sorted((-shared, trip_id, min(group), i) for i, group in enumerate(groups)
                   for trip_id, shared in Counter(held_by[r] for r in group if r in held_by).items())
    matched: dict[int, str] = {}
    used: set[str] = set()
    for _, trip_id, _, i in pairs:
        if i not in matched and trip_id not in used:
            matched[i] = trip_id
            used.add(trip_id)
    return [(group, matched.get(i)) for i, group in enumerate(groups)]


def _new_id(reservation_ids: frozenset[str], taken: set[str]) -> str:
    """A new trip's ID (32 hex digits, like every ID here), from its smallest reservation ID and unused."""
    founder = min(reservation_ids)
    candidates = (hashlib.sha256(f"trip/{founder}/{n}".encode()).hexdigest()[:32] for n in count())
    return next(candidate for candidate in candidates if candidate not in taken)


def _changes(trips: dict[str, Trip], members: dict[str, set[str]]) -> Regrouping:
    after = {trip_id: frozenset(ids) for trip_id, ids in members.items() if ids}
    return Regrouping(
        members=after,
        created=tuple(sorted(trip_id for trip_id in after if trip_id not in trips)),
        updated=tuple(sorted(trip_id for trip_id in after
                             if trip_id in trips and after[trip_id] != trips[trip_id].reservations)),
        emptied=tuple(sorted(trip_id for trip_id, trip in trips.items() if trip.reservations and trip_id not in after)),
    )

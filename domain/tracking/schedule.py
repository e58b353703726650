"""Poll scheduling: each reservation at a steady offset in the cycle, catch-up after a restart, when to stop."""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping

from domain.common.timestamps import to_utc

VERIFICATIONS = ("unverified", "verified", "unverifiable")
NOT_FOUND_LIMIT = 3
LOOKUP_OUTCOMES = ("found", "not_found", "error")


def offset(reservation_id: str, cycle_s: float) -> float:
    """Where in every cycle this reservation is polled, in [0, cycle_s); the same everywhere, every time.

    A reservation's slots are ``k * cycle_s + offset`` (seconds since the epoch, as everywhere here), and
    a hash spreads the offsets evenly, so a cycle's polls have no burst at its start.
    """
    digest = hashlib.blake2b(reservation_id.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64 * cycle_s


def _slot(after: float, offset_s: float, cycle_s: float, *, strictly: bool) -> float:
    """The first slot at (or strictly after) ``after``; slots are recomputed from k so they never drift."""
    k = math.floor((after - offset_s) / cycle_s)
    while k * cycle_s + offset_s < after or (strictly and k * cycle_s + offset_s == after):
        k += 1
    while (k - 1) * cycle_s + offset_s > after or (not strictly and (k - 1) * cycle_s + offset_s == after):
        k -= 1
    return k * cycle_s + offset_s


def next_due(reservation_id: str, cycle_s: float, now: float, last_due: float | None = None) -> float:
    """When to poll next.

    Without ``last_due`` (a reservation never scheduled): its first slot from ``now`` on. With it (call
    right after the poll for ``last_due``, at ``now``): the first slot after ``last_due`` that is also more
    than half a cycle after ``now``, so a late or catch-up poll is never followed by another within half
    a cycle, and the same slot is never polled twice.
    """
    if cycle_s <= 0:
        raise ValueError("cycle_s must be positive")
    offset_s = offset(reservation_id, cycle_s)
    if last_due is None:
        return _slot(now, offset_s, cycle_s, strictly=False)
    return _slot(max(last_due, now + cycle_s / 2), offset_s, cycle_s, strictly=True)


def rebuild(stored: Mapping[str, float | None], cycle_s: float, now: float) -> dict[str, float]:
    """Due times after a restart, from the due times stored before it (reservation ID -> due or None).

    A due time still ahead is kept, so nothing is polled twice. Those missed while down keep their order
    and spacing, shifted to start now (squeezed into one cycle if they spread wider), so nothing is
    skipped and the catch-up runs at the normal rate beside the regular polls, not as a burst at startup.
    A due time further away than one cycle (the cycle was shortened) and a missing one get a fresh slot.
    """
    due: dict[str, float] = {}
    missed: dict[str, float] = {}
    for reservation_id, when in stored.items():
        if when is None or when > now + cycle_s:
            due[reservation_id] = next_due(reservation_id, cycle_s, now)
        elif when < now:
            missed[reservation_id] = when
        else:
            due[reservation_id] = when
    if missed:
        first = min(missed.values())
        span = max(missed.values()) - first
        scale = cycle_s / span if span > cycle_s else 1.0
        for reservation_id, when in missed.items():
            due[reservation_id] = now + (when - first) * scale
    return due


def is_trackable(reservation: Mapping | None, now: float, grace_s: float) -> bool:
    """Whether to keep asking the provider: not for a deleted or cancelled booking, nor after end + grace.

    A reservation whose end cannot be read is kept: stopping early would miss changes.
    """
    if reservation is None or reservation.get("deleted") or reservation.get("status") == "cancelled":
        return False
    end = reservation.get("end") or reservation.get("start")
    if not isinstance(end, str):
        return True
    try:
        ended_at = to_utc(end).timestamp()
    except ValueError:
        return True
    return now <= ended_at + grace_s


def verification_after(state: Mapping | None, outcome: str, limit: int = NOT_FOUND_LIMIT) -> dict:
    """Tracking's trust in a booking after one lookup: ``{"verification", "not_found_streak"}``.

    A provider that cannot find a booking makes it ``unverifiable`` only after ``limit`` not-founds in a
    row, and never ``cancelled``: lookups fail for many reasons that are not a cancellation. Errors and
    timeouts say nothing, so they neither extend nor break the streak; a found booking resets it.
    """
    if outcome not in LOOKUP_OUTCOMES:
        raise ValueError(f"outcome must be one of {', '.join(LOOKUP_OUTCOMES)}")
    verification = (state or {}).get("verification", "unverified")
    streak = (state or {}).get("not_found_streak", 0)
    if outcome == "found":
        return {"verification": "verified", "not_found_streak": 0}
    if outcome == "not_found":
        streak += 1
        if streak >= limit:
            verification = "unverifiable"
    return {"verification": verification, "not_found_streak": streak}

"""A reservation's tracking record, started, refreshed and stopped by its reservation events.

The record (table ``tracking``, keyed by reservation ID) is ``{"subject", "provider", "user_id", "until",
"version", "since", "snapshot", "fp", "fetched_at", "verification", "not_found_streak"}``: what is asked
about (``domain.tracking.subjects``), the provider the reservation names, its owner, when tracking ends, the last
snapshot kept (``domain.tracking.diff.carry_forward``) with the fingerprint and fetch time of the snapshot that
last changed it, and the not-found streak (``domain.tracking.schedule.verification_after``). Until the first
snapshot is kept, ``"booked"`` holds the reservation as booked (``domain.tracking.baseline.booked``), which
that first snapshot is compared with; then it is None (records written before it existed lack the key).
When its subject is next polled, and how often that failed, belong to the subject, not to each
reservation on it: they live in the poller's timetable (``domain.tracking.plan``), so a poll that changes
nothing writes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from domain.common.timestamps import to_utc
from domain.notify.changes import from_provider
from domain.tracking.baseline import booked
from domain.tracking.schedule import is_trackable
from domain.tracking.subjects import subject_of

# What the diff stage writes; the rest of the record is track_reservations'.
OBSERVED = ("snapshot", "fp", "fetched_at", "verification", "not_found_streak")

NEVER_ENDS = 2.0**53   # an end we cannot read: track until told otherwise (is_trackable keeps it too)


@dataclass(frozen=True)
class Follow:
    """What one reservation event does: the record to keep (None: stop), the subjects to leave and join.

    ``changed`` says whether the record must be written; ``member`` is the index entry for ``join``.
    """

    state: dict | None
    changed: bool
    leave: str | None = None
    join: str | None = None
    member: list | None = None


def until(reservation: Mapping, grace_s: float) -> float:
    """When tracking ends: the reservation's end (or start) plus the grace period, in epoch seconds."""
    end = reservation.get("end") or reservation.get("start")
    try:
        return to_utc(end).timestamp() + grace_s
    except (TypeError, ValueError):
        return NEVER_ENDS


def follow(state: dict | None, event: Mapping, partition: int, now: float, grace_s: float) -> Follow:
    """Apply a reservation event (schemas/reservation-events.json) to the tracking record."""
    if state is not None and event["version"] < state.get("version", 0):
        return Follow(state, False)   # an older event replayed after a newer one
    reservation = event.get("reservation")
    subject = subject_of(reservation) if reservation else None
    if subject is None or not is_trackable(reservation, now, grace_s):
        return Follow(None, state is not None, leave=state["subject"] if state else None)
    provider = (reservation.get("provider") or "").strip().lower() or None
    fields = {"subject": subject, "provider": provider, "user_id": event["user_id"],
              "until": until(reservation, grace_s), "version": event["version"]}
    member = [partition, fields["until"], provider]
    if state is None or state["subject"] != subject:
        fresh = {**fields, "since": now, "snapshot": None, "fp": None, "fetched_at": None,
                 "verification": "unverified", "not_found_streak": 0, "booked": booked(reservation)}
        return Follow(fresh, True, leave=state["subject"] if state else None, join=subject, member=member)
    if state.get("snapshot") is None and not from_provider(event):
        # The traveller's edit before the first snapshot is kept is what that snapshot is compared with. The
        # provider's own update is not: it comes from that comparison, and a replay of it after a crash must
        # compare with the same booking to find the same change (and change ID) again.
        fields["booked"] = booked(reservation)
    moved = any(state.get(k) != fields[k] for k in ("provider", "user_id", "until"))
    if not moved:
        rebooked = "booked" in fields and state.get("booked") != fields["booked"]
        kept = {**state, **fields} if rebooked else state
        if event["version"] == state.get("version"):
            # The event that wrote this record, delivered again: it was written, but a crash may have come
            # before its join was sent (agents/tracking/track_reservations.py sends a batch's joins after its writes).
            # Joining is idempotent, so join again.
            return Follow(kept, rebooked, join=subject, member=member)
        return Follow(kept, rebooked)
    return Follow({**state, **fields}, True, join=subject, member=member)


def observed(latest: dict, seen: dict) -> dict:
    """The record to write: ``latest`` (the table's now, maybe newer from track_reservations) with what the
    diff stage observed (``seen``, from ``domain.tracking.observe``) laid over it.

    Once a snapshot is kept it is the baseline, so the booking kept for comparing the first one goes.
    """
    record = {**latest, **{k: seen[k] for k in OBSERVED}}
    if seen.get("marked"):   # the vendor-month the reservation was last counted in (domain/reports/vendor_marks.py)
        record["marked"] = seen["marked"]
    if record["snapshot"] is not None and record.get("booked") is not None:
        record["booked"] = None
    return record

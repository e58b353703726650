"""One fetched snapshot applied to one reservation's tracking record: what to keep, and the change to publish.

An entry (one subject's fetch, as ``provider-snapshots`` carries it) is ``{"outcome": "found" |
"not_found", "snapshot", "fp" (its fingerprint), "fetched_at" (epoch seconds), "source": "poll" | "push",
"provider"}``. Failed fetches never get here: an error says nothing, so it cannot change anything. The
record is written only when something changed, and a change is published before the record that
remembers it is written (the caller's order), so a crash in between republishes the same change ID.
A reservation's first snapshot has no earlier one to diff against: it is compared with the reservation
as booked instead (``domain.tracking.baseline``), so news that came before the first poll is told too.
"""

from __future__ import annotations

from dataclasses import dataclass

from domain.common.timestamps import epoch_iso, to_utc
from domain.tracking.baseline import first_changes
from domain.tracking.diff import carry_forward, change_id, diff_snapshots, overall_severity
from domain.tracking.schedule import verification_after

SCHEMA_VERSION = 1


@dataclass(frozen=True)
class Observation:
    """The record to write (None: nothing changed, write nothing) and the change event (None: no news)."""

    state: dict | None = None
    change: dict | None = None


NOTHING = Observation()


def settled(state: dict | None, subject: str, entry: dict) -> bool:
    """Whether ``entry`` cannot change ``state``: the common case, decided without looking at the snapshot."""
    if state is None or state["subject"] != subject:
        return True   # tracking stopped, or moved to another subject, after this was fetched
    if state["fetched_at"] is not None and entry["fetched_at"] <= state["fetched_at"]:
        return True   # older than what is kept: a replay, or a poll overtaken by a push
    return (entry["outcome"] == "found" and entry["fp"] == state["fp"] and state["verification"] == "verified"
            and state["not_found_streak"] == 0)


def observe(state: dict | None, reservation_id: str, subject: str, entry: dict, now: float) -> Observation:
    """Diff ``entry`` against what ``state`` kept; see the module docstring for the entry's shape."""
    if settled(state, subject, entry):
        return NOTHING
    if entry["outcome"] == "not_found":
        return _not_found(state, reservation_id, subject, entry, now)
    return _found(state, reservation_id, subject, entry, now)


def _not_found(state: dict, reservation_id: str, subject: str, entry: dict, now: float) -> Observation:
    trust = verification_after(state, "not_found")
    kept = {**state, **trust, "fetched_at": entry["fetched_at"]}
    if trust["verification"] != "unverifiable" or state["verification"] == "unverifiable":
        return Observation(kept)
    # Never "cancelled": a provider that cannot find a booking has not said it was cancelled.
    changes = [{"path": "verification", "old": state["verification"], "new": "unverifiable",
                "severity": "major"}]
    return Observation(kept, change_event(state, reservation_id, subject, entry, changes, now,
                                          f"not_found@{entry['fetched_at']}"))


def _found(state: dict, reservation_id: str, subject: str, entry: dict, now: float) -> Observation:
    trust = verification_after(state, "found")
    trusted = all(state.get(k) == v for k, v in trust.items())
    old, snapshot = state["snapshot"], entry["snapshot"]
    if _older(snapshot, old):   # the provider's own clock says this is an earlier version than the one kept
        return NOTHING if trusted else Observation({**state, **trust})
    changes = diff_snapshots(old, snapshot) if old is not None else first_changes(state.get("booked"), snapshot)
    if state["verification"] == "unverifiable":
        changes.append({"path": "verification", "old": "unverifiable", "new": "verified", "severity": "info"})
    kept = carry_forward(old, snapshot)
    if kept == old and trusted and not changes:
        return NOTHING
    record = {**state, **trust, "snapshot": kept, "fp": entry["fp"], "fetched_at": entry["fetched_at"]}
    if not changes:
        return Observation(record)
    return Observation(record, change_event(state, reservation_id, subject, entry, changes, now, entry["fp"]))


def _older(new: dict, old: dict | None) -> bool:
    before, after = (old or {}).get("provider_changed_at"), new.get("provider_changed_at")
    return before is not None and after is not None and after < before   # both ...Z, so text order is time order


def change_event(state: dict, reservation_id: str, subject: str, entry: dict, changes: list[dict],
                 now: float, fingerprint: str) -> dict:
    """A ``reservation-changes`` message (schemas/reservation-changes.json)."""
    snapshot = entry.get("snapshot") or {}
    return {
        "schema_version": SCHEMA_VERSION,
        "change_id": change_id(reservation_id, changes, fingerprint),
        "reservation_id": reservation_id,
        "user_id": state["user_id"],
        "subject": subject,
        "provider": entry.get("provider"),
        "source": entry.get("source", "poll"),
        "severity": overall_severity(changes),
        "changes": changes,
        "detected_at": epoch_iso(now, millis=True),
        "provider_changed_at": snapshot.get("provider_changed_at"),
    }


def freshness_s(change: dict) -> float | None:
    """Seconds from the provider's change to our change event, when the provider said when it changed."""
    if not change.get("provider_changed_at"):
        return None
    return (to_utc(change["detected_at"]) - to_utc(change["provider_changed_at"])).total_seconds()

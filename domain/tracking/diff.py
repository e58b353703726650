"""Field-level changes between two provider snapshots, each with how much it matters to the traveller."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterable
from datetime import datetime

from domain.tracking.snapshots import SECTIONS

SEVERITIES = ("info", "major", "critical")
RANK = {name: rank for rank, name in enumerate(SEVERITIES)}
MOVE_MINUTES = 15
# uuid5 namespace for change IDs; changing it would give every replayed change a new ID.
CHANGE_NAMESPACE = uuid.UUID("6f1d4b52-3c0e-5a7e-9b1e-2a4c8d0f7e31")
_EMPTY: dict = {}

# A rule gets (old value, new value, the old section) once the two values differ and the new one is
# known; it returns the severity, or None when the difference is no news.
Rule = Callable[[object, object, dict], "str | None"]


def _info(old: object, new: object, section: dict) -> str:
    return "info"


# A value stated for the first time is not a move: the airport or flight number was only unknown before.
def _major(old: object, new: object, section: dict) -> str:
    return "major" if old is not None else "info"


def _critical(old: object, new: object, section: dict) -> str:
    return "critical" if old is not None else "info"


def _flight_status(old: object, new: object, section: dict) -> str | None:
    if new == "unknown":
        return None  # the provider lost track; that says nothing about the flight
    return "critical" if new in ("cancelled", "diverted") else "info"


def _booking_status(old: object, new: object, section: dict) -> str:
    return "critical" if new == "cancelled" else "info"


def _moved(before: dict, after: dict) -> float:
    """Seconds between two Ts' instants, either way."""
    delta = datetime.fromisoformat(after["utc"]) - datetime.fromisoformat(before["utc"])
    return abs(delta.total_seconds())


def _time(*fallbacks: str) -> Rule:
    """A time's move against its last value or, when it first appears, the best earlier time we had."""
    def rule(old: dict | None, new: dict, section: dict) -> str | None:
        reference = old
        for name in fallbacks:
            if reference is not None:
                break
            reference = section.get(name)
        if reference is None or not reference.get("utc") or not new.get("utc"):
            return "info"
        if old is not None and old.get("utc") == new["utc"]:
            return None  # same instant, only spelt differently
        return "major" if _moved(reference, new) >= MOVE_MINUTES * 60 else "info"
    return rule


def _stay_date(old: dict | None, new: dict, section: dict) -> str | None:
    if old is None:
        return "info"
    if old.get("utc") == new.get("utc"):
        return None
    return "major" if old.get("local", "")[:10] != new.get("local", "")[:10] else "info"


def _point(airport: Rule) -> tuple:
    return (("airport", airport), ("scheduled", _time()), ("estimated", _time("scheduled")),
            ("actual", _time("estimated", "scheduled")), ("terminal", _info), ("gate", _info))


_STOP = (("location", _info), ("time", _time()))
_RULES = {
    "flight": {None: (("status", _flight_status), ("carrier", _major), ("number", _major), ("date", _major),
                      ("aircraft", _info), ("seat", _info)),
               # A moved departure airport sends the traveller elsewhere, as much as a moved arrival.
               "departure": _point(_critical), "arrival": _point(_critical)},
    "hotel": {None: (("status", _booking_status), ("name", _info), ("address", _info),
                     ("check_in", _stay_date), ("check_out", _stay_date), ("room_type", _info),
                     ("guests", _info))},
    "car": {None: (("status", _booking_status), ("company", _info)), "pickup": _STOP, "dropoff": _STOP},
}
# Precomputed walk per kind: (section or None for top level, ((key, "section.key", rule), ...)).
PLAN = {
    kind: tuple((section, tuple((key, f"{section}.{key}" if section else key, rule) for key, rule in fields))
                for section, fields in sections.items())
    for kind, sections in _RULES.items()
}


def diff_snapshots(old: dict | None, new: dict | None) -> list[dict]:
    """FieldChange dicts ``{"path", "old", "new", "severity"}`` from ``old`` to ``new``, in plan order.

    No changes for a first snapshot (``old`` None), a failed fetch, or a field the new snapshot omits.
    """
    if old is None or new is None or old is new or "error" in new or "error" in old or old == new:
        return []
    kind = new.get("kind")
    if kind != old.get("kind") or kind not in PLAN:
        raise ValueError(f"cannot diff a {old.get('kind')} snapshot against a {kind} one")
    changes = []
    for section, fields in PLAN[kind]:
        if section is None:
            before, after = old, new
        else:
            after = new.get(section)
            if not after:
                continue
            before = old.get(section) or _EMPTY
            if before == after:
                continue
        for key, path, rule in fields:
            value = after.get(key)
            if value is None:
                continue
            previous = before.get(key)
            if value == previous:
                continue
            severity = rule(previous, value, before)
            if severity is not None:
                changes.append({"path": path, "old": previous, "new": value, "severity": severity})
    return changes


def overall_severity(changes: Iterable[dict]) -> str | None:
    """The worst severity among the changes; None when there are none."""
    worst = -1
    for change in changes:
        worst = max(worst, RANK[change["severity"]])
    return SEVERITIES[worst] if worst >= 0 else None


def change_id(reservation_id: str, changes: list[dict], snapshot_fingerprint: str) -> str:
    """A UUID that is the same whenever the same changes reach the same reservation from the same snapshot.

    A replayed diff therefore publishes the same ID and consumers can drop the duplicate.
    """
    body = json.dumps(sorted(changes, key=lambda c: c["path"]), sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False)
    return str(uuid.uuid5(CHANGE_NAMESPACE, f"{reservation_id}\n{snapshot_fingerprint}\n{body}"))


def carry_forward(old: dict | None, new: dict | None) -> dict | None:
    """The snapshot to keep after ``new``: what the provider left unsaid keeps its last known value.

    Keeping this (not ``new``) means a field that drops out and comes back is not reported as news.
    """
    if new is None or "error" in new:
        return old
    if old is None or "error" in old or old.get("kind") != new.get("kind"):
        return new
    merged = {**old, **{k: v for k, v in new.items() if v is not None}}
    if new.get("status") == "unknown" and old.get("status") is not None:
        merged["status"] = old["status"]
    for section in SECTIONS.get(new.get("kind"), ()):
        before, after = old.get(section), new.get(section)
        if before and after:
            merged[section] = {**before, **{k: v for k, v in after.items() if v is not None}}
    return merged

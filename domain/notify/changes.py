"""Change events for notifications: manual edits read as changes, and the reservation a provider change describes."""

from __future__ import annotations

from domain.reservations.commands import merge_patch
from domain.tracking.updates import KIND as PROVIDER_UPDATE
from domain.tracking.updates import provider_patch

# Fields a traveller cares most about; anything not named here is "info" news.
SEVERITY = {
    "status": "major", "start": "major", "end": "major", "type": "major",
    "flight.from": "major", "flight.to": "major", "flight.airline": "major", "flight.number": "major",
    "flight.departure_gate": "major", "flight.departure_terminal": "major",
    "hotel.name": "major", "hotel.address": "major",
    "car.pickup_location": "major", "car.dropoff_location": "major", "car.company": "major",
}
# A zone moves with the time it belongs to; the time's own line says it all.
SILENT = {"start_time_zone", "end_time_zone", "source", "version", "updated_at", "created_at", "id"}
NESTED = ("flight", "hotel", "car")
# What a reservation event may say about the command behind it, if its producer tells us.
ORIGIN_FIELDS = ("command_kind", "kind", "origin", "cause")


def from_provider(event: dict) -> bool:
    """True for an event caused by a provider's update: tracking already announced that change.

    Read from whatever the event names its origin by, or from the update that made the reservation a
    provider's. Otherwise the change ID backs this up: the reservations agent takes tracking's change ID
    as the command's, hence the event's, and the notifier drops a change ID it has seen.
    """
    if any(event.get(name) in (PROVIDER_UPDATE, "provider") for name in ORIGIN_FIELDS):
        return True
    reservation = event.get("reservation") or {}
    return "source" in (event.get("changed_fields") or ()) and reservation.get("source") == "provider"


def manual_change(event: dict, before: dict | None) -> dict | None:
    """The change event (reservation-changes shape, ``source: manual``) of a ``reservation.updated`` event.

    ``before`` is the reservation as last seen; without it only the new values are known. None when
    nothing a traveller would hear about changed.
    """
    after = event.get("reservation") or {}
    items = field_changes(before or {}, after, event.get("changed_fields") or [])
    if not items:
        return None
    return {
        "schema_version": 1,
        "change_id": event["event_id"],
        "reservation_id": event["reservation_id"],
        "user_id": event["user_id"],
        "source": "manual",
        "severity": worst(items),
        "changes": items,
        "detected_at": event["occurred_at"],
        "provider_changed_at": None,
        "reservation": after,
    }


def field_changes(before: dict, after: dict, changed_fields: list[str]) -> list[dict]:
    """``{path, old, new, severity}`` for each changed field, nested details as ``flight.departure_gate``."""
    names = set(changed_fields) or (set(before) | set(after))
    items = []
    for name in sorted(names - SILENT):
        old, new = before.get(name), after.get(name)
        if name in NESTED and (isinstance(old, dict) or isinstance(new, dict)):
            old, new = old if isinstance(old, dict) else {}, new if isinstance(new, dict) else {}
            items += [_item(f"{name}.{k}", old.get(k), new.get(k)) for k in sorted(set(old) | set(new))
                      if old.get(k) != new.get(k)]
        elif old != new:
            items.append(_item(name, old, new))
    return items


def _item(path: str, old: object, new: object) -> dict:
    severity = SEVERITY.get(path, "info")
    if path == "status" and str(new).startswith("cancel"):
        severity = "critical"
    return {"path": path, "old": old, "new": new, "severity": severity}


def worst(items: list[dict]) -> str:
    rank = {"info": 0, "major": 1, "critical": 2}
    return max((item["severity"] for item in items), key=rank.__getitem__, default="info")


def with_reservation(change: dict, reservation: dict | None) -> dict:
    """``change`` carrying the reservation it is about, as it is once the change applies (for the wording).

    A tracking change names no reservation; the one we hold may not have the change applied yet, so the
    provider's values are laid over it the way the reservations agent will apply them.
    """
    if change.get("reservation") or not reservation:
        return change
    patch = provider_patch(reservation, {"changes": change.get("changes") or []})
    return {**change, "reservation": merge_patch(reservation, patch) if patch else reservation}

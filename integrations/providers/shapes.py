"""Snapshot records as adapters return them: times as T, and a check that completes a provider's snapshot.

The shape itself is ``domain.tracking.snapshots``; this module holds what adapters and the simulator add to it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from domain.common.errors import ValidationError
from domain.common.places import zone_info
from domain.common.timestamps import to_utc
from domain.tracking.flight_status import STATUSES as FLIGHT_STATUSES
from domain.tracking.snapshots import BOOKING_STATUSES, car_snapshot, flight_snapshot, hotel_snapshot, point, stop
from domain.tracking.snapshots_check import UTC_ISO, validate

__all__ = ["BOOKING_STATUSES", "FLIGHT_STATUSES", "check_snapshot", "instant", "moment_of", "segment_snapshot",
           "text"]


def moment_of(t: dict) -> datetime:
    """T back to an aware datetime in its zone."""
    return to_utc(t["utc"]).astimezone(zone_info(t["zone"]))


def text(value: Any, path: str) -> str:
    if not isinstance(value, str) or not value:
        raise ValueError(f"{path}: expected a non-empty string")
    return value


def instant(value: Any, path: str) -> str:
    """A UTC time like 2026-12-01T07:30:00Z, as snapshots carry them."""
    if not isinstance(value, str) or not UTC_ISO.match(value):
        raise ValueError(f"{path}: expected a UTC time like 2026-12-01T07:30:00Z")
    return value


def check_snapshot(value: Any, path: str = "snapshot") -> dict:
    """The snapshot with every documented key present; ValueError naming the first bad field."""
    if isinstance(value, dict) and value.get("kind") == "pnr":
        return _record(value, path)
    return segment_snapshot(value, path)


def segment_snapshot(value: Any, path: str = "snapshot") -> dict:
    """A flight, hotel or car snapshot checked by ``domain.tracking.snapshots_check`` and completed with None."""
    if not isinstance(value, dict) or "error" in value:
        raise ValueError(f"{path}: expected a flight, hotel or car snapshot")
    try:
        validate(value)
    except ValidationError as exc:
        first = exc.errors[0] if exc.errors else {"field": "kind", "message": exc.title}
        raise ValueError(f"{path}.{first['field']}: {first['message']}") from None
    fields = {key: item for key, item in value.items() if key != "kind"}
    if value["kind"] == "flight":
        for side in ("departure", "arrival"):
            fields[side] = point(**(fields.get(side) or {}))
        return flight_snapshot(**fields)
    if value["kind"] == "car":
        for side in ("pickup", "dropoff"):
            fields[side] = stop(**(fields.get(side) or {}))
        return car_snapshot(**fields)
    return hotel_snapshot(**fields)


def _record(value: dict, path: str) -> dict:
    """A GDS booking record: locator, status and segments, each segment with its own subject."""
    if value.get("status") not in BOOKING_STATUSES:
        raise ValueError(f"{path}.status: expected one of {', '.join(BOOKING_STATUSES)}")
    segments = value.get("segments")
    if not isinstance(segments, list):
        raise ValueError(f"{path}.segments: expected an array")
    checked = []
    for index, segment in enumerate(segments):
        where = f"{path}.segments[{index}]"
        if not isinstance(segment, dict):
            raise ValueError(f"{where}: expected an object")
        checked.append({"subject": text(segment.get("subject"), f"{where}.subject"),
                        "snapshot": segment_snapshot(segment.get("snapshot"), f"{where}.snapshot")})
    changed_at = value.get("provider_changed_at")
    return {
        "kind": "pnr", "status": value["status"],
        "record_locator": text(value.get("record_locator"), f"{path}.record_locator"), "segments": checked,
        "provider_changed_at": None if changed_at is None else instant(changed_at, f"{path}.provider_changed_at"),
    }

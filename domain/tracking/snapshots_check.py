"""Validation of provider snapshots: every field's type, every time's three parts agreeing."""

from __future__ import annotations

import re
from datetime import date

from domain.common.errors import FieldErrors
from domain.common.places import airport_zone
from domain.reservations.fields import AIRLINE, FLIGHT_NUMBER
from domain.tracking.flight_status import STATUSES as FLIGHT_STATUSES
from domain.tracking.snapshots import (
    BOOKING_STATUSES,
    ERRORS,
    KINDS,
    SECTION_FIELDS,
    SECTIONS,
    TOP_FIELDS,
    time_from_utc,
)

UTC_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
TIME_FIELDS = {"scheduled", "estimated", "actual", "check_in", "check_out", "time"}
REQUIRED = {"flight": ("carrier", "number", "date"), "hotel": (), "car": ()}


def validate(snapshot: object) -> dict:
    """Check a snapshot against the shape in ``domain.tracking.snapshots``; return it, or raise ValidationError."""
    errors = FieldErrors()
    if not isinstance(snapshot, dict) or snapshot.get("kind") not in KINDS:
        errors.add("kind", f"must be one of {', '.join(KINDS)}")
        errors.raise_if_any("The snapshot is invalid.")
    kind = snapshot["kind"]
    if "error" in snapshot:
        if snapshot["error"] not in ERRORS:
            errors.add("error", f"must be one of {', '.join(ERRORS)}")
        errors.raise_if_any("The snapshot is invalid.")
        return snapshot
    known = {"kind", "provider_changed_at", *TOP_FIELDS[kind], *SECTIONS[kind]}
    for name in sorted(set(snapshot) - known):
        errors.add(name, "unknown field")
    for name in REQUIRED[kind]:
        if snapshot.get(name) is None:
            errors.add(name, "is required")
    for name in TOP_FIELDS[kind]:
        _field(kind, name, snapshot.get(name), name, errors)
    for section in SECTIONS[kind]:
        _section(section, snapshot.get(section), errors)
    changed_at = snapshot.get("provider_changed_at")
    if changed_at is not None and not (isinstance(changed_at, str) and UTC_ISO.match(changed_at)):
        errors.add("provider_changed_at", "must be a UTC time like 2026-12-01T07:30:00Z")
    errors.raise_if_any("The snapshot is invalid.")
    return snapshot


def _section(section: str, value: object, errors: FieldErrors) -> None:
    if value is None:
        return
    if not isinstance(value, dict):
        errors.add(section, "must be an object")
        return
    for name in sorted(set(value) - set(SECTION_FIELDS[section])):
        errors.add(f"{section}.{name}", "unknown field")
    for name in SECTION_FIELDS[section]:
        _field(section, name, value.get(name), f"{section}.{name}", errors)


def _field(kind: str, name: str, value: object, path: str, errors: FieldErrors) -> None:
    if value is None:
        return
    if name == "status":
        allowed = FLIGHT_STATUSES if kind == "flight" else BOOKING_STATUSES
        if value not in allowed:
            errors.add(path, f"must be one of {', '.join(allowed)}")
    elif name in TIME_FIELDS:
        check_time(value, path, errors)
    elif name == "airport":
        if not isinstance(value, str) or airport_zone(value) is None:
            errors.add(path, "must be a known IATA airport code")
    elif name == "date":
        _date(value, path, errors)
    elif name == "guests":
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            errors.add(path, "must be a positive integer")
    elif not isinstance(value, str) or not value.strip():
        errors.add(path, "must be a non-empty string")
    elif name in ("carrier", "number"):
        pattern = AIRLINE if name == "carrier" else FLIGHT_NUMBER
        if not pattern.match(value):
            errors.add(path, "must be an IATA airline code" if name == "carrier" else "must be a flight number")


def _date(value: object, path: str, errors: FieldErrors) -> None:
    try:
        date.fromisoformat(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        errors.add(path, "must be a date like 2026-12-01")


def check_time(value: object, path: str, errors: FieldErrors) -> None:
    """A T must have its local time, zone and UTC instant agree."""
    if not isinstance(value, dict) or set(value) != {"local", "zone", "utc"}:
        errors.add(path, "must be an object with local, zone and utc")
        return
    if not isinstance(value["utc"], str) or not UTC_ISO.match(value["utc"]):
        errors.add(path, "utc must be a UTC time like 2026-12-01T07:30:00Z")
        return
    try:
        expected = time_from_utc(value["utc"], value["zone"])
    except (ValueError, TypeError):
        errors.add(path, "zone must be an IANA time zone")
        return
    if value["local"] != expected["local"]:
        errors.add(path, f"local must be {expected['local']} for {value['utc']} in {value['zone']}")

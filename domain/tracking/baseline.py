"""A reservation's first snapshot against the reservation as booked: the news a provider's first answer carries.

Before its first snapshot a reservation has no earlier one to diff against, so the first is compared with
what was booked (:func:`booked`, kept in the tracking record until then) and with the provider's own
scheduled times against its estimated and actual ones. A flight added while it is already delayed,
cancelled, diverted or at another gate is news the moment it is first seen. The changes have the normal
diff's paths, shape and severities (``domain.tracking.diff``); a first snapshot that agrees with the booking gives
none, and neither does one that only says what the booking left unsaid (a gate, an aircraft).
"""

from __future__ import annotations

from collections.abc import Mapping

from domain.common.places import airport_zone, is_zone
from domain.tracking.diff import PLAN, diff_snapshots
from domain.tracking.flight_status import FINAL
from domain.tracking.snapshots import SECTIONS, is_error, time_from_any

# The flight statuses that contradict a booking; departed and landed are its progress, not news.
ASTRAY = ("delayed", *FINAL)
PROVIDER_TIMES = ("estimated", "actual")
# A time the booking gives a little off is how it was typed, not news: only a move the diff calls major
# (15 minutes, another day for a stay) is told.
TIMES = frozenset({"scheduled", "estimated", "actual", "time", "check_in", "check_out"})
ORDER = {kind: {path: n for n, path in enumerate(path for _, fields in plan for _, path, _ in fields)}
         for kind, plan in PLAN.items()}


def booked(reservation: Mapping | None) -> dict | None:
    """The reservation (its public representation) in a snapshot's shape, with only what it says."""
    kind = (reservation or {}).get("type")
    detail = reservation.get(kind) if kind in PLAN else None
    if not isinstance(detail, Mapping):
        return None
    start, end = _time(reservation, "start", detail.get("from")), _time(reservation, "end", detail.get("to"))
    if kind == "flight":
        # Booked and not cancelled (a cancelled booking is not tracked): expected to fly as scheduled.
        shape = {"status": "scheduled", "seat": detail.get("seat"),
                 "departure": {"airport": detail.get("from"), "scheduled": start,
                               "terminal": detail.get("departure_terminal"), "gate": detail.get("departure_gate")},
                 "arrival": {"airport": detail.get("to"), "scheduled": end,
                             "terminal": detail.get("arrival_terminal"), "gate": detail.get("arrival_gate")}}
    elif kind == "hotel":
        shape = {"status": reservation.get("status"), "name": detail.get("name"), "address": detail.get("address"),
                 "check_in": start, "check_out": end}
    else:
        shape = {"status": reservation.get("status"), "company": detail.get("company"),
                 "pickup": {"location": detail.get("pickup_location"), "time": start},
                 "dropoff": {"location": detail.get("dropoff_location"), "time": end}}
    return {"kind": kind, **_said(shape)}


def first_changes(booking: Mapping | None, first: dict | None) -> list[dict]:
    """FieldChange dicts (``domain.tracking.diff``) a first snapshot brings against ``booking`` (:func:`booked`).

    Pure and deterministic: the same booking and snapshot give the same changes, so a replay gets the
    same change ID. ``booking`` None (a record kept before bookings were) compares the provider's own times.
    """
    if is_error(first) or first.get("kind") not in PLAN:
        return []
    kind = first["kind"]
    booking = booking if booking and booking.get("kind") == kind else {}
    found = diff_snapshots(_as_booked(booking, first), first) + diff_snapshots(_on_time(booking, first), first)
    news = {change["path"]: change for change in found if _news(change)}
    return sorted(news.values(), key=lambda change: ORDER[kind][change["path"]])


def _as_booked(booking: Mapping, first: dict) -> dict:
    """``first`` as the booking says it should be: its values laid over what the provider said."""
    expected = dict(first)
    for key, value in booking.items():
        if key in SECTIONS[first["kind"]]:
            point = dict(first.get(key) or {})
            point.update({name: v for name, v in value.items() if not _same(v, point.get(name))})
            expected[key] = point
        elif key != "kind" and not _same(value, first.get(key)):
            expected[key] = value
    if first["kind"] == "flight":   # booked (or kept before bookings were): expected to fly as scheduled
        expected["status"] = "scheduled" if first.get("status") in ASTRAY else first.get("status")
    return expected


def _on_time(booking: Mapping, first: dict) -> dict:
    """``first`` without its estimated and actual times, each measured from the provider's own schedule."""
    expected = dict(first)
    for section in SECTIONS[first["kind"]]:
        point = first.get(section) or {}
        if any(point.get(name) for name in PROVIDER_TIMES):
            # No schedule from the provider: the booked one is what an estimate is late against.
            scheduled = point.get("scheduled") or (booking.get(section) or {}).get("scheduled")
            expected[section] = {**point, "scheduled": scheduled, "estimated": None, "actual": None}
    return expected


def _news(change: dict) -> bool:
    return change["path"].rsplit(".", 1)[-1] not in TIMES or change["severity"] != "info"


def _same(booked_value: object, said: object) -> bool:
    """Text the traveller typed matches the provider's regardless of case and spacing ("b 22" is "B 22")."""
    if isinstance(booked_value, str) and isinstance(said, str):
        return " ".join(booked_value.split()).casefold() == " ".join(said.split()).casefold()
    return booked_value == said


def _time(reservation: Mapping, end: str, airport: object) -> dict | None:
    value, zone = reservation.get(end), reservation.get(f"{end}_time_zone")
    if not is_zone(zone):
        zone = airport_zone(airport) if isinstance(airport, str) else None
    if not isinstance(value, str) or zone is None:
        return None
    try:
        return time_from_any(value, zone)
    except (TypeError, ValueError):
        return None


def _said(shape: dict) -> dict:
    """Only what the booking says: None values and empty sections go."""
    out = {}
    for key, value in shape.items():
        if isinstance(value, dict) and "utc" not in value:
            value = {name: v for name, v in value.items() if v is not None} or None
        if value is not None:
            out[key] = value
    return out

"""Provider snapshots: what a provider says about a booking as plain JSON-able dicts; None means "not said"."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from domain.common.places import zone_info
from domain.common.timestamps import to_utc, utc_iso

KINDS = ("flight", "hotel", "car")
BOOKING_STATUSES = ("confirmed", "cancelled", "pending", "hold")
ERRORS = ("timeout", "unavailable", "rate_limited", "not_found", "invalid_response")
POINT_FIELDS = ("airport", "scheduled", "estimated", "actual", "terminal", "gate")
POINT_TIMES = ("scheduled", "estimated", "actual")
STOP_FIELDS = ("location", "time")
TOP_FIELDS = {
    "flight": ("status", "carrier", "number", "date", "aircraft", "seat"),
    "hotel": ("status", "name", "address", "check_in", "check_out", "room_type", "guests"),
    "car": ("status", "company"),
}
SECTIONS = {"flight": ("departure", "arrival"), "hotel": (), "car": ("pickup", "dropoff")}
SECTION_FIELDS = {"departure": POINT_FIELDS, "arrival": POINT_FIELDS, "pickup": STOP_FIELDS,
                  "dropoff": STOP_FIELDS}


def _zone(name: str) -> ZoneInfo:
    try:
        return zone_info(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError) as exc:
        raise ValueError(f"{name!r} is not an IANA time zone") from exc


def _parse(value: str) -> datetime:
    if not isinstance(value, str):
        raise ValueError("must be an ISO 8601 string")
    return datetime.fromisoformat(value)


def time_at(moment: datetime, zone: str) -> dict:
    """T for an aware instant, shown in ``zone``, to the second.

    ``T = {"local": "2026-12-01T08:30:00", "zone": "Europe/Berlin", "utc": "2026-12-01T07:30:00Z"}``:
    what the traveller's clock shows there, where, and the instant to compare and sort by.
    """
    utc = moment.astimezone(UTC).replace(microsecond=0)
    local = utc.astimezone(_zone(zone)).replace(tzinfo=None)
    return {"local": local.isoformat(timespec="seconds"), "zone": zone,
            "utc": utc_iso(utc)}


def time_from_local(local: str, zone: str) -> dict:
    """T from wall-clock time in ``zone``.

    An ambiguous time (clocks going back) is the first occurrence; a time that does not exist
    (clocks going forward) is read with the offset before the jump, so 02:30 becomes 03:30.
    """
    moment = _parse(local)
    if moment.tzinfo is not None:
        raise ValueError("a local time carries no UTC offset; use time_from_offset")
    return time_at(moment.replace(tzinfo=_zone(zone)), zone)


def time_from_offset(value: str, zone: str) -> dict:
    """T from an ISO string with a UTC offset (``...+02:00`` or ``...Z``), shown in ``zone``."""
    moment = _parse(value)
    if moment.tzinfo is None:
        raise ValueError("an offset time needs a UTC offset; use time_from_local")
    return time_at(moment, zone)


def time_from_utc(value: str | datetime, zone: str) -> dict:
    """T from a UTC instant; a naive value is read as UTC."""
    moment = value if isinstance(value, datetime) else _parse(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return time_at(moment, zone)


def time_from_any(value: str, zone: str) -> dict:
    """T from an ISO string: naive means local in ``zone``, with an offset means that instant."""
    return time_from_offset(value, zone) if _parse(value).tzinfo else time_from_local(value, zone)


def utc_seconds(t: dict) -> float:
    """The instant of T as seconds since the epoch."""
    return to_utc(t["utc"]).timestamp()


def minutes_between(earlier: dict, later: dict) -> float:
    """Minutes from ``earlier`` to ``later`` (negative when ``later`` is before)."""
    return (utc_seconds(later) - utc_seconds(earlier)) / 60.0


def point(airport: str | None = None, scheduled: dict | None = None, estimated: dict | None = None,
          actual: dict | None = None, terminal: str | None = None, gate: str | None = None) -> dict:
    """A flight's departure or arrival: ``{"airport", "scheduled", "estimated", "actual": T, "terminal", "gate"}``."""
    return {"airport": airport, "scheduled": scheduled, "estimated": estimated, "actual": actual,
            "terminal": terminal, "gate": gate}


def flight_snapshot(carrier: str, number: str, date: str, *, status: str = "unknown",
                    departure: dict | None = None, arrival: dict | None = None,
                    aircraft: str | None = None, seat: str | None = None,
                    provider_changed_at: str | None = None) -> dict:
    """A flight instance: status (one of ``flight_status.STATUSES``), identity, two points, aircraft.

    Any value may be None: the provider did not say, which is never "removed". ``seat`` only comes
    from per-booking providers, since a flight instance is shared by many travellers.
    ``provider_changed_at`` (UTC, ``...Z``) is when the provider last changed it, if it says.
    """
    return {"kind": "flight", "status": status, "carrier": carrier, "number": number, "date": date,
            "departure": departure or point(), "arrival": arrival or point(), "aircraft": aircraft,
            "seat": seat, "provider_changed_at": provider_changed_at}


def hotel_snapshot(*, status: str | None = None, name: str | None = None, address: str | None = None,
                   check_in: dict | None = None, check_out: dict | None = None,
                   room_type: str | None = None, guests: int | None = None,
                   provider_changed_at: str | None = None) -> dict:
    """A hotel stay; status is one of BOOKING_STATUSES, check-in and check-out are Ts."""
    return {"kind": "hotel", "status": status, "name": name, "address": address, "check_in": check_in,
            "check_out": check_out, "room_type": room_type, "guests": guests,
            "provider_changed_at": provider_changed_at}


def stop(location: str | None = None, time: dict | None = None) -> dict:
    """A car's pick-up or drop-off: ``{"location": str, "time": T}``."""
    return {"location": location, "time": time}


def car_snapshot(*, status: str | None = None, company: str | None = None, pickup: dict | None = None,
                 dropoff: dict | None = None, provider_changed_at: str | None = None) -> dict:
    """A car rental; status is one of BOOKING_STATUSES."""
    return {"kind": "car", "status": status, "company": company, "pickup": pickup or stop(),
            "dropoff": dropoff or stop(), "provider_changed_at": provider_changed_at}


def is_error(snapshot: dict | None) -> bool:
    return snapshot is None or snapshot.get("error") is not None


def fingerprint(snapshot: dict) -> str:
    """A stable digest of the whole snapshot (key order does not matter)."""
    text = json.dumps(snapshot, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()

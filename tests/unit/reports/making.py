"""Reservations and trips for report tests, written as the API shows them (local times with their offsets)."""

from __future__ import annotations

from datetime import UTC, datetime

from domain.common.places import airport_zone, zone_info
from domain.reports.facts import reservation_fact, trip_fact

NOW = datetime(2026, 12, 31, 12, tzinfo=UTC)


def local(text: str, zone: str) -> str:
    """A wall-clock time at a place, with that place's offset then (what the API writes)."""
    return datetime.fromisoformat(text).replace(tzinfo=zone_info(zone)).isoformat()


def flight(rid: str, origin: str, destination: str, departs: str, arrives: str, airline: str = "LH",
           status: str = "confirmed") -> dict:
    """A flight leaving ``departs`` on the origin's clocks and landing ``arrives`` on the destination's."""
    start_zone, end_zone = airport_zone(origin), airport_zone(destination)
    return {"id": rid, "type": "flight", "status": status, "start": local(departs, start_zone),
            "end": local(arrives, end_zone), "start_time_zone": start_zone, "end_time_zone": end_zone,
            "flight": {"airline": airline, "number": "1", "from": origin, "to": destination}}


def stay(rid: str, kind: str, starts: str, ends: str, zone: str, status: str = "confirmed") -> dict:
    detail = {"hotel": {"name": "Hotel"}} if kind == "hotel" else {"car": {"company": "Hertz"}}
    return {"id": rid, "type": kind, "status": status, "start": local(starts, zone), "end": local(ends, zone),
            "start_time_zone": zone, "end_time_zone": zone, **detail}


def trip(tid: str, name: str, starts: str, start_zone: str, ends: str, end_zone: str) -> dict:
    return {"id": tid, "name": name, "start": local(starts, start_zone), "end": local(ends, end_zone),
            "start_time_zone": start_zone, "end_time_zone": end_zone}


def facts(*items: dict) -> list[dict]:
    """The facts of reservations and trips (a trip is what has no ``type``)."""
    return [reservation_fact(item) if "type" in item else trip_fact(item["id"], item) for item in items]

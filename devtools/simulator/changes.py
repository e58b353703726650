"""Changes to one booking (delays, gates, diversions, new dates...): applied to a copy, or drawn at random."""

from __future__ import annotations

import copy
from datetime import date, datetime, timedelta

from devtools.simulator.baseline import place
from domain.common.places import airport, zone_info
from domain.tracking.flight_status import DELAY_MINUTES
from domain.tracking.snapshots import time_at
from integrations.providers.shapes import BOOKING_STATUSES, check_snapshot, moment_of

SIDES = ("departure", "arrival")
DIVERSION_EXTRA = timedelta(minutes=45)


class ChangeRejected(ValueError):
    """The change is malformed or cannot happen to the booking in its current state."""


def apply_change(state: dict, change: dict) -> dict:
    """A new state with ``change`` applied; ChangeRejected when it does not apply."""
    if not isinstance(change, dict) or not isinstance(change.get("type"), str):
        raise ChangeRejected("a change is an object with a type")
    handler = _HANDLERS.get((state["kind"], change["type"])) or _HANDLERS.get(("*", change["type"]))
    if handler is None:
        raise ChangeRejected(f"no change {change['type']!r} for a {state['kind']}")
    updated = copy.deepcopy(state)
    try:
        handler(updated, change)
        if updated["kind"] != "pnr":
            check_snapshot(updated)  # served as is, so it must stay a valid snapshot
        return updated
    except (KeyError, TypeError, ValueError) as exc:
        raise ChangeRejected(str(exc) or repr(exc)) from None


def _require(state: dict, *statuses: str) -> None:
    if state["status"] not in statuses:
        raise ChangeRejected(f"not while the booking is {state['status']}")


def _delay(state: dict, change: dict) -> None:
    _require(state, "scheduled", "delayed")
    minutes = int(change["minutes"])
    for side in SIDES:
        point = state[side]
        point["estimated"] = _shifted(point["scheduled"], timedelta(minutes=minutes)) if minutes else None
    state["status"] = "delayed" if minutes >= DELAY_MINUTES else "scheduled"


def _gate(state: dict, change: dict) -> None:
    state[_side(change)]["gate"] = change.get("gate")


def _terminal(state: dict, change: dict) -> None:
    state[_side(change)]["terminal"] = change.get("terminal")


def _divert(state: dict, change: dict) -> None:
    _require(state, "scheduled", "delayed", "departed")
    code = change["airport"]
    if airport(code) is None or code == state["arrival"]["airport"]:
        raise ChangeRejected(f"cannot divert to {code!r}")
    arrival, zone = state["arrival"], place(code)[1]
    expected = moment_of(arrival["estimated"] or arrival["scheduled"]) + DIVERSION_EXTRA
    state["arrival"] = {
        "airport": code, "scheduled": time_at(moment_of(arrival["scheduled"]), zone),
        "estimated": time_at(expected, zone), "actual": None, "terminal": None, "gate": None,
    }
    state["status"] = "diverted"


def _depart(state: dict, change: dict) -> None:
    _require(state, "scheduled", "delayed")
    departure = state["departure"]
    departure["actual"] = departure["estimated"] or departure["scheduled"]
    state["status"] = "departed"


def _land(state: dict, change: dict) -> None:
    _require(state, "departed", "diverted")
    arrival = state["arrival"]
    arrival["actual"] = arrival["estimated"] or arrival["scheduled"]
    state["status"] = "diverted" if state["status"] == "diverted" else "landed"


def _aircraft(state: dict, change: dict) -> None:
    state["aircraft"] = change["aircraft"]


def _cancel(state: dict, change: dict) -> None:
    if state["status"] in ("cancelled", "landed"):
        raise ChangeRejected(f"not while the booking is {state['status']}")
    state["status"] = "cancelled"


def _status(state: dict, change: dict) -> None:
    if change["status"] not in BOOKING_STATUSES:
        raise ChangeRejected(f"status must be one of {', '.join(BOOKING_STATUSES)}")
    state["status"] = change["status"]


def _dates(state: dict, change: dict) -> None:
    shift = timedelta(days=int(change.get("shift_days", 0)))
    for key in ("check_in", "check_out"):
        day = date.fromisoformat(change[key]) if change.get(key) else moment_of(state[key]).date() + shift
        state[key] = _on_day(state[key], day)
    if moment_of(state["check_out"]) <= moment_of(state["check_in"]):
        raise ChangeRejected("check_out must follow check_in")


def _room(state: dict, change: dict) -> None:
    state["room_type"] = change["room_type"]


def _guests(state: dict, change: dict) -> None:
    state["guests"] = int(change["guests"])


def _car_place(state: dict, change: dict) -> None:
    place_ = state[change["type"]]
    if change.get("location"):
        place_["location"] = change["location"]
    if change.get("time"):
        zone = place_["time"]["zone"]
        wall = datetime.fromisoformat(change["time"]).replace(tzinfo=zone_info(zone))
        place_["time"] = time_at(wall, zone)
    if moment_of(state["dropoff"]["time"]) <= moment_of(state["pickup"]["time"]):
        raise ChangeRejected("dropoff must follow pickup")


def _remove_segment(state: dict, change: dict) -> None:
    if change["subject"] not in state["segments"]:
        raise ChangeRejected("no such segment in the record")
    state["segments"] = [subject for subject in state["segments"] if subject != change["subject"]]


def _patch(state: dict, change: dict) -> None:
    """Test hook: deep-merge any fields (null sets null); the result must still be a valid snapshot."""
    _merge(state, change["snapshot"])
    if state["kind"] == "pnr":
        raise ChangeRejected("patch a record's segments, not the record")


def _merge(target: dict, patch: dict) -> None:
    for key, value in patch.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            _merge(target[key], value)
        else:
            target[key] = value


def _side(change: dict) -> str:
    side = change.get("side", "departure")
    if side not in SIDES:
        raise ChangeRejected("side must be departure or arrival")
    return side


def _shifted(point: dict, by: timedelta) -> dict:
    return time_at(moment_of(point) + by, point["zone"])


def _on_day(point: dict, day: date) -> dict:
    wall = datetime.combine(day, moment_of(point).time(), zone_info(point["zone"]))
    return time_at(wall, point["zone"])


_HANDLERS = {
    ("flight", "delay"): _delay, ("flight", "gate"): _gate, ("flight", "terminal"): _terminal,
    ("flight", "divert"): _divert, ("flight", "depart"): _depart, ("flight", "land"): _land,
    ("flight", "aircraft"): _aircraft, ("*", "cancel"): _cancel, ("hotel", "status"): _status,
    ("car", "status"): _status, ("pnr", "status"): _status, ("hotel", "dates"): _dates,
    ("hotel", "room"): _room, ("hotel", "guests"): _guests, ("car", "pickup"): _car_place,
    ("car", "dropoff"): _car_place, ("pnr", "remove_segment"): _remove_segment, ("*", "patch"): _patch,
}

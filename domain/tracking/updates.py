"""A provider's news applied to the reservation: the ``provider-update`` command's merge patch.

The command (``reservation-commands``, kind ``provider-update``, command ID = the change ID, so a replay
is recognised) carries the change event's field diffs; :func:`provider_patch` turns those that have a
place in the canonical reservation into an RFC 7396 merge patch for ``domain.reservations.commands``. Estimated
and actual times, the aircraft and the like stay in the history: the reservation holds the booking.
"""

from __future__ import annotations

from domain.common.places import parse_local
from domain.common.timestamps import to_utc
from domain.reservations.fields import STATUSES

KIND = "provider-update"

# (reservation type, change path) -> (where it goes in the reservation, how the new value is written there)
_TIME = "time"
_FIELDS: dict[tuple[str, str], tuple[tuple[str, ...], str | None]] = {
    ("flight", "departure.gate"): (("flight", "departure_gate"), None),
    ("flight", "departure.terminal"): (("flight", "departure_terminal"), None),
    ("flight", "arrival.gate"): (("flight", "arrival_gate"), None),
    ("flight", "arrival.terminal"): (("flight", "arrival_terminal"), None),
    ("flight", "seat"): (("flight", "seat"), None),
    ("flight", "departure.airport"): (("flight", "from"), None),
    ("flight", "arrival.airport"): (("flight", "to"), None),
    ("flight", "departure.scheduled"): (("start",), _TIME),
    ("flight", "arrival.scheduled"): (("end",), _TIME),
    ("hotel", "name"): (("hotel", "name"), None),
    ("hotel", "address"): (("hotel", "address"), None),
    ("hotel", "check_in"): (("start",), _TIME),
    ("hotel", "check_out"): (("end",), _TIME),
    ("car", "company"): (("car", "company"), None),
    ("car", "pickup.location"): (("car", "pickup_location"), None),
    ("car", "dropoff.location"): (("car", "dropoff_location"), None),
    ("car", "pickup.time"): (("start",), _TIME),
    ("car", "dropoff.time"): (("end",), _TIME),
}


def provider_patch(current: dict | None, data: dict) -> dict:
    """The merge patch for ``current`` from a change's diffs; ``{}`` when nothing in it differs."""
    if current is None:
        return {}
    kind = current.get("type")
    patch: dict = {}
    for change in data.get("changes", ()):
        path, new = change.get("path"), change.get("new")
        if path == "status":
            _status(current, kind, new, patch)
        elif (kind, path) in _FIELDS:
            where, how = _FIELDS[(kind, path)]
            value = _instant(new, current, where[0], kind) if how == _TIME else new
            if value is not None and not _same(_get(current, where), value):
                _put(patch, where, value)
    return {**patch, "source": "provider"} if patch else {}


def _status(current: dict, kind: str, new: object, patch: dict) -> None:
    status = new
    if kind == "flight" and new != "cancelled":
        return   # delayed, diverted or landed describe the flight; only a cancellation ends the booking
    if status in STATUSES and current.get("status") != status:
        patch["status"] = status


def _instant(new: object, current: dict, field: str, kind: str) -> str | None:
    """A T's UTC instant (the reservation's validation moves it into the place's zone)."""
    if not isinstance(new, dict) or not isinstance(new.get("utc"), str):
        return None
    if kind == "flight" and field == "start" and not _same_local_day(current, new):
        return None   # the flight is tracked by its departure date: another day is another flight
    return new["utc"]


def _same_local_day(current: dict, new: dict) -> bool:
    zone = current.get("start_time_zone")
    try:
        return parse_local(new["utc"], zone).date() == parse_local(current["start"], zone).date()
    except (KeyError, TypeError, ValueError):
        return False


def _same(old: object, new: object) -> bool:
    if isinstance(old, str) and isinstance(new, str) and new.endswith("Z"):
        try:
            return to_utc(old) == to_utc(new)
        except ValueError:
            return False
    return old == new


def _get(target: dict, where: tuple[str, ...]) -> object:
    value: object = target
    for key in where:
        value = value.get(key) if isinstance(value, dict) else None
    return value


def _put(patch: dict, where: tuple[str, ...], value: object) -> None:
    node = patch
    for key in where[:-1]:
        node = node.setdefault(key, {})
    node[where[-1]] = value


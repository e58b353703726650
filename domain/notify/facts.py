"""What a changed field means for the traveller: each change item read as one kind of news."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from domain.common.places import airport_zone
from domain.notify import moments

RANK = {"info": 0, "major": 1, "critical": 2}
# The order sentences appear in: what changes the trip most comes first.
ORDER = ("cancellation", "diversion", "diverted", "delay", "earlier", "arrival_time", "gate", "gate_assigned",
         "terminal", "hotel_dates", "car_time", "car_location", "field")
# Providers and our own records spell the same place differently (departure.gate, flight.departure_gate).
SPELLINGS = (("check_in", "checkin"), ("check-in", "checkin"), ("check_out", "checkout"),
             ("check-out", "checkout"), ("pick_up", "pickup"), ("pick-up", "pickup"),
             ("drop_off", "dropoff"), ("drop-off", "dropoff"))
START_WORDS = {"departure", "departs", "depart", "origin", "from", "start", "checkin", "pickup"}
END_WORDS = {"arrival", "arrives", "arrive", "destination", "to", "end", "checkout", "dropoff", "return"}
TIME_WORDS = {"time", "start", "end", "scheduled", "estimated", "actual", "datetime", "at", "date",
              "checkin", "checkout", "utc", "local"}
FIELDS = {  # (topic, side) -> field label key; time labels depend on the reservation type
    ("gate", "start"): "departure_gate", ("gate", "end"): "arrival_gate",
    ("terminal", "start"): "departure_terminal", ("terminal", "end"): "arrival_terminal",
    ("airport", "start"): "origin", ("airport", "end"): "destination",
    ("location", "start"): "pickup_location", ("location", "end"): "dropoff_location",
}
# Of several readings of one time, the latest-informed wins: actual over estimated over scheduled.
PRECEDENCE = {"actual": 0, "estimated": 1}
TIME_FIELDS = {"flight": ("departure_time", "arrival_time"), "hotel": ("check_in", "check_out"),
               "car": ("pickup_time", "dropoff_time")}


@dataclass(frozen=True)
class Fact:
    """One piece of news: its kind, which end of the trip (start/end), a label for plain lines, old and new."""

    kind: str
    side: str
    field: str
    path: str
    old: object
    new: object
    severity: str


def facts(change: dict) -> list[Fact]:
    """The change's items as facts, most important first, one per kind and side."""
    reservation = change.get("reservation") or {}
    found = [fact for item in change.get("changes") or [] if (fact := read_item(item, reservation))]
    if any(f.kind == "diversion" for f in found):  # the new airport says more than the bare status
        found = [f for f in found if f.kind != "diverted"]
    found.sort(key=lambda f: (ORDER.index(f.kind), -RANK.get(f.severity, 1),
                              PRECEDENCE.get(f.path.rsplit(".", 1)[-1], 2)))
    kept, seen = [], set()
    for fact in found:
        key = (fact.kind, fact.side, (fact.field or fact.path) if fact.kind == "field" else "")
        if key not in seen:  # departure.scheduled and departure.estimated are one delay
            seen.add(key)
            kept.append(fact)
    return kept


def read_item(item: dict, reservation: dict) -> Fact | None:
    """One change item as a Fact; None for what a traveller needs no word about (a zone that follows a time)."""
    path = str(item.get("path", ""))
    words = _words(path)
    old, new = item.get("old"), item.get("new")
    topic = _topic(words, old, new)
    if topic == "zone":
        return None
    side = _side(words)
    kind = reservation.get("type")
    fact = Fact("field", side, _field(topic, side, kind), path, old, new, str(item.get("severity", "major")))
    if topic == "time":
        return _time_fact(fact, kind, reservation)
    return _plain_fact(fact, topic, kind)


def _plain_fact(fact: Fact, topic: str, kind: str | None) -> Fact:
    had_value = fact.old not in (None, "")
    status = str(fact.new).lower() if topic == "status" else ""
    if status.startswith("cancel"):
        return _as(fact, "cancellation")
    if status == "diverted" and kind in ("flight", None):
        return _as(fact, "diverted")
    if topic == "gate" and fact.side != "end" and kind in ("flight", None):
        return _as(fact, "gate" if had_value else "gate_assigned")
    if topic == "terminal" and fact.side != "end" and had_value and kind in ("flight", None):
        return _as(fact, "terminal")
    if topic == "airport" and fact.side == "end" and had_value and kind in ("flight", None):
        return _as(fact, "diversion")
    if topic == "location" and fact.side and had_value and kind in ("car", None):
        return _as(fact, "car_location")
    return fact


def _time_fact(fact: Fact, kind: str | None, reservation: dict) -> Fact:
    side = fact.side or "start"
    zone = place_zone(reservation, side)
    old, new = moments.read(fact.old, zone), moments.read(fact.new, zone)
    if fact.old is None:  # an estimate appearing for the first time moves the time the booking had
        old = moments.read(reservation.get(side), zone)
        old = None if old == new else old
    fact = Fact(fact.kind, side, fact.field, fact.path, old or fact.old, new or fact.new, fact.severity)
    if old is None or new is None or type(old) is not type(new) or new == old:
        return fact
    if kind == "hotel":  # a stay is told by its dates; an hour moved on the same day is a plain line
        return _as(fact, "hotel_dates") if _day(new) != _day(old) else fact
    if not isinstance(new, datetime):
        return fact
    if kind == "car":
        return _as(fact, "car_time")
    if side == "end":
        return _as(fact, "arrival_time")
    return _as(fact, "delay" if new > old else "earlier")


def place_zone(reservation: dict, side: str) -> str | None:
    """The zone of the trip's start or end: the reservation's, else its airport's."""
    zone = reservation.get(f"{side}_time_zone")
    if zone:
        return zone
    flight = reservation.get("flight") or {}
    return airport_zone(str(flight.get("from" if side == "start" else "to", "")))


def _as(fact: Fact, kind: str) -> Fact:
    return Fact(kind, fact.side, fact.field, fact.path, fact.old, fact.new, fact.severity)


def _words(path: str) -> list[str]:
    text = path.lower()
    for spelling, word in SPELLINGS:
        text = text.replace(spelling, word)
    return [w for w in re.split(r"[^a-z0-9]+", text) if w and not w.isdigit()]


def _side(words: list[str]) -> str:
    for word in reversed(words):
        if word in START_WORDS:
            return "start"
        if word in END_WORDS:
            return "end"
    return ""


def _topic(words: list[str], old: object, new: object) -> str:
    named = set(words)
    if words and words[-1] == "date" and not _looks_like_time(new):
        return "date"
    for topic in ("zone", "status", "gate", "terminal", "seat", "confirmation", "location"):
        if topic in named:
            return topic
    if "address" in named and named & {"pickup", "dropoff"}:
        return "location"
    if named & {"airport", "iata", "origin", "destination"} or (words and words[-1] in ("from", "to")):
        return "airport"
    if _looks_like_time(old) or _looks_like_time(new) or named & TIME_WORDS:
        return "time"
    return "number" if "number" in named else ""


def _looks_like_time(value: object) -> bool:
    if isinstance(value, dict):
        return bool({"utc", "local"} & set(value))
    return isinstance(value, (datetime, date))


def _day(moment: datetime | date) -> date:
    return moment.date() if isinstance(moment, datetime) else moment


def _field(topic: str, side: str, kind: str | None) -> str:
    if topic == "time" and kind in TIME_FIELDS:
        return TIME_FIELDS[kind][side == "end"]
    if topic in ("seat", "status", "confirmation", "number", "date"):
        return topic
    return FIELDS.get((topic, side), "")

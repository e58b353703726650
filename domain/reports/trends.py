"""Travel trends: what each reservation adds to its route and month, and the row per route-month it sums to."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from domain.common.timestamps import to_utc

SCHEMA_VERSION = 1
MAX_LEAD_DAYS = 730   # the histogram's last bucket: two years ahead or more (keeps a row's state bounded)
Origin = tuple[int, int]   # (partition, offset) of the reservation event a delta comes from


def trend_key(origin: str, destination: str, month: str) -> str:
    """``FRA-JFK/2026-12``: the travel-trends key of a route and the month of its departures."""
    return f"{origin}-{destination}/{month}"


def contribution(reservation: dict | None) -> dict | None:
    """``{key, lead_minutes}`` a reservation adds to travel trends; None unless it is a flight not cancelled.

    The month is the departure's, local at the origin (``start`` carries that airport's offset). The lead time
    runs from when Road Warrior first saw the reservation (``created_at``) to the departure; a flight entered
    after it left counts 0.
    """
    if not reservation or reservation.get("type") != "flight" or reservation.get("status") == "cancelled":
        return None
    flight, start = reservation["flight"], reservation["start"]
    lead = (to_utc(start) - to_utc(reservation["created_at"])).total_seconds() // 60
    return {"key": trend_key(flight["from"], flight["to"], start[:7]), "lead_minutes": max(0, int(lead))}


def deltas(before: dict | None, after: dict | None) -> dict[str, dict]:
    """Per trend key, the lead time to take away (``remove``) and to add (``add``); empty when nothing moved."""
    if before == after:
        return {}
    out: dict[str, dict] = {}
    if before is not None:
        out[before["key"]] = {"remove": before["lead_minutes"], "add": None}
    if after is not None:
        out.setdefault(after["key"], {"remove": None})["add"] = after["lead_minutes"]
    return out


@dataclass
class Step:
    """What one reservation event does: the reservation's new fact (None: keep none), whether it changed, and
    the deltas to send, each marked with the event's origin."""

    fact: dict | None
    changed: bool
    deltas: dict[str, dict] = field(default_factory=dict)
    origin: Origin = (0, 0)


def follow(fact: dict | None, event: dict, origin: Origin) -> Step:
    """The step for one ``reservation-events`` value, given the fact kept for the reservation."""
    if fact is not None and event["event_id"] == fact["event_id"]:
        # The same event again (replayed, or republished later): its deltas again, with the first copy's origin,
        # so the aggregate drops them if it had them and takes them if a crash lost them.
        return Step(fact, False, deltas(fact["previous"], fact["contribution"]), tuple(fact["origin"]))
    if fact is not None and not _newer(fact, event):
        return Step(fact, False)
    before = fact["contribution"] if fact else None
    after = contribution(event["reservation"]) if event["event_type"] != "reservation.deleted" else None
    if fact is None and after is None:
        return Step(None, False)   # a hotel, a car, a cancelled flight: nothing to remember
    new = {"version": event["version"], "event_id": event["event_id"], "origin": list(origin),
           "deleted": event["event_type"] == "reservation.deleted", "contribution": after, "previous": before}
    return Step(new, True, deltas(before, after), origin)


def _newer(fact: dict, event: dict) -> bool:
    # After a deletion a reservation ID can be created again, starting at version 1 (schemas/README.md).
    return event["version"] > fact["version"] or (fact["deleted"] and event["event_type"] == "reservation.created")


def empty_aggregate() -> dict:
    return {"flights": 0, "lead_days": {}, "lead_minutes": 0, "seen": {}, "updated_at": None}


def apply_delta(aggregate: dict | None, delta: dict) -> dict | None:
    """The aggregate after one delta ``{remove, add, origin, at}``; None when it already holds it (a replay).

    Deltas of one source partition reach a key in offset order, so the highest offset applied per source
    partition tells a replayed delta from a new one.
    """
    state = aggregate or empty_aggregate()
    partition, offset = str(delta["origin"][0]), delta["origin"][1]
    if state["seen"].get(partition, -1) >= offset:
        return None
    hist, flights, minutes = dict(state["lead_days"]), state["flights"], state["lead_minutes"]
    if delta.get("remove") is not None:
        flights, minutes = flights - 1, minutes - delta["remove"]
        _count(hist, delta["remove"], -1)
    if delta.get("add") is not None:
        flights, minutes = flights + 1, minutes + delta["add"]
        _count(hist, delta["add"], +1)
    return {"flights": max(0, flights), "lead_days": hist, "lead_minutes": max(0, minutes),
            "seen": {**state["seen"], partition: offset}, "updated_at": max(state["updated_at"] or "", delta["at"])}


def _count(hist: dict[str, int], lead_minutes: int, step: int) -> None:
    day = str(min(MAX_LEAD_DAYS, lead_minutes // 1440))   # JSON object keys are strings
    n = hist.get(day, 0) + step
    if n > 0:
        hist[day] = n
    else:
        hist.pop(day, None)   # never negative: a retraction of what this key never had changes nothing


def percentile(hist: dict[str, int], q: float) -> int | None:
    """The nearest-rank ``q`` percentile of a histogram of whole days; None when it is empty."""
    total = sum(hist.values())
    if total == 0:
        return None
    rank, seen = math.ceil(q * total), 0
    for day in sorted(hist, key=int):
        seen += hist[day]
        if seen >= rank:
            return int(day)
    return None


def row(key: str, aggregate: dict | None) -> dict | None:
    """The travel-trends value of a key (schemas/travel-trends.json); None (a tombstone) once no flight is left."""
    if not aggregate or aggregate["flights"] <= 0:
        return None
    route, month = key.split("/")
    origin, destination = route.split("-")
    flights, hist = aggregate["flights"], aggregate["lead_days"]
    lead = {"p50": percentile(hist, 0.5), "p90": percentile(hist, 0.9),
            "mean": round(aggregate["lead_minutes"] / flights / 1440, 1)}
    return {"schema_version": SCHEMA_VERSION, "origin": origin, "destination": destination, "month": month,
            "flights": flights, "lead_time_days": lead, "updated_at": aggregate["updated_at"]}

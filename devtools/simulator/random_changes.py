"""The random changer's choices: a plausible next change for a booking in its current state."""

from __future__ import annotations

import random
import re
from datetime import timedelta

from devtools.simulator.baseline import AIRCRAFT, AIRPORTS, ROOM_TYPES, place
from integrations.providers.shapes import moment_of

DELAYS = (0, 10, 20, 30, 45, 60, 90, 120, 180)
_FLIGHT_CHANGES = ("delay", "gate", "terminal", "aircraft", "cancel", "depart")
_FLIGHT_WEIGHTS = (35, 25, 10, 8, 4, 18)
_AIRPORT_LOCATION = re.compile(r"^(.*) Airport \(([A-Z]{3})\)$")


def draw(rng: random.Random, state: dict) -> dict | None:
    """A change that can happen to ``state`` now, or None when nothing can (cancelled, landed)."""
    if state["status"] in ("cancelled", "landed"):
        return None
    return {"flight": _flight, "hotel": _hotel, "car": _car}[state["kind"]](rng, state)


def _flight(rng: random.Random, state: dict) -> dict | None:
    if state["status"] == "diverted":
        return None if state["arrival"]["actual"] else {"type": "land"}
    if state["status"] == "departed":
        if rng.random() < 0.1:
            return {"type": "divert", "airport": _other_airport(rng, state["arrival"]["airport"])}
        return rng.choice(({"type": "land"}, {"type": "gate", "side": "arrival", "gate": _gate(rng)}))
    choice = rng.choices(_FLIGHT_CHANGES, _FLIGHT_WEIGHTS)[0]
    if choice == "delay":
        return {"type": "delay", "minutes": rng.choice(DELAYS)}
    if choice == "gate":
        return {"type": "gate", "side": rng.choice(("departure", "arrival")), "gate": _gate(rng)}
    if choice == "terminal":
        return {"type": "terminal", "side": "departure", "terminal": rng.choice(("1", "2", "3", "5"))}
    if choice == "aircraft":
        return {"type": "aircraft", "aircraft": rng.choice(AIRCRAFT)}
    return {"type": choice}


def _hotel(rng: random.Random, state: dict) -> dict:
    choice = rng.choices(("dates", "room", "guests", "cancel"), (40, 35, 20, 5))[0]
    if choice == "dates":
        return {"type": "dates", "shift_days": rng.choice((-2, -1, 1, 2))}
    if choice == "room":
        return {"type": "room", "room_type": rng.choice(ROOM_TYPES)}
    if choice == "guests":
        return {"type": "guests", "guests": rng.randint(1, 4)}
    return {"type": "cancel"}


def _car(rng: random.Random, state: dict) -> dict:
    choice = rng.choices(("pickup", "dropoff", "pickup_time", "cancel"), (30, 30, 35, 5))[0]
    if choice == "cancel":
        return {"type": "cancel"}
    if choice == "pickup_time":
        pickup = moment_of(state["pickup"]["time"])
        dropoff = moment_of(state["dropoff"]["time"])
        hours = rng.choice([h for h in (-3, -2, -1, 1, 2, 3) if pickup + timedelta(hours=h) < dropoff])
        moved = (pickup + timedelta(hours=hours)).replace(tzinfo=None)
        return {"type": "pickup", "time": moved.isoformat(timespec="seconds")}
    return {"type": choice, "location": _nearby(rng, state[choice]["location"])}


def _nearby(rng: random.Random, location: str) -> str:
    """Another desk in the same city: the station instead of the airport, or back."""
    match = _AIRPORT_LOCATION.match(location)
    if match:
        return f"{match.group(1)} {rng.choice(('Central Station', 'Downtown'))}"
    city = location.rsplit(" ", 2)[0] if location.endswith(("Central Station", "Downtown")) else location
    code = next((code for code in AIRPORTS if place(code)[0] == city), None)
    return f"{city} Airport ({code})" if code else f"{location} (Terminal desk)"


def _gate(rng: random.Random) -> str:
    return f"{rng.choice('ABCDEFG')}{rng.randint(1, 60)}"


def _other_airport(rng: random.Random, current: str) -> str:
    return rng.choice([code for code in AIRPORTS if code != current])

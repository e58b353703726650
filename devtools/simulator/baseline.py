"""Baselines: every subject's unchanged snapshot, derived from a hash of (seed, subject) so none is stored."""

from __future__ import annotations

import math
import random
from datetime import date, datetime, time, timedelta
from functools import cache, lru_cache

from domain.common.places import airport, zone_info
from domain.tracking.snapshots import time_at

AIRPORTS = (
    "FRA", "MUC", "BER", "HAM", "LHR", "CDG", "AMS", "MAD", "BCN", "FCO", "ZRH", "VIE", "CPH", "ARN", "OSL",
    "HEL", "DUB", "LIS", "IST", "JFK", "EWR", "BOS", "ORD", "ATL", "SFO", "LAX", "SEA", "YYZ", "DXB", "DOH",
    "SIN", "HKG", "NRT", "ICN", "SYD", "GRU", "JNB", "DEL",
)
CARRIERS = ("LH", "BA", "AF", "KL", "IB", "AZ", "LX", "OS", "SK", "AY", "TP", "TK", "UA", "AA", "DL", "AC",
            "EK", "QR", "SQ", "CX", "NH", "KE", "QF", "EI")
AIRCRAFT = ("A320", "A20N", "A321", "B738", "B38M", "A359", "B77W", "B789", "E190", "A388")
HOTEL_CHAINS = ("Marriott", "Hilton", "Hyatt Regency", "InterContinental", "Novotel", "Radisson Blu",
                "Motel One", "NH Collection")
STREETS = ("Main Street", "Station Road", "Harbour View", "Market Square", "Park Avenue", "King Street")
ROOM_TYPES = ("Standard Double", "Superior King", "Twin Room", "Junior Suite", "Executive Room")
CAR_COMPANIES = ("Hertz", "Avis", "Sixt", "Europcar", "Enterprise", "National")
FLIGHT_NUMBERS = 9000


def rng_for(seed: int, key: str) -> random.Random:
    # A str seed is hashed with SHA-512, so the stream is the same in every process (no PYTHONHASHSEED).
    return random.Random(f"{seed}:{key}")


@cache
def place(code: str) -> tuple[str, str, float, float]:
    """(city, zone, lat, lon) of an IATA airport."""
    record = airport(code)
    return record["city"], record["tz"], record["lat"], record["lon"]


@lru_cache(maxsize=65_536)
def route(seed: int, carrier: str, number: int) -> tuple[str, str]:
    """A flight number flies one route every day; the even number of a pair flies it back."""
    origin, destination = rng_for(seed, f"route/{carrier}/{(number + 1) // 2}").sample(AIRPORTS, 2)
    return (origin, destination) if number % 2 else (destination, origin)


@lru_cache(maxsize=65_536)
def block_time(origin: str, destination: str) -> timedelta:
    """Great-circle distance at 800 km/h plus 40 minutes of taxi, climb and approach, to 5 minutes."""
    _, _, lat1, lon1 = place(origin)
    _, _, lat2, lon2 = place(destination)
    p1, p2, dl = math.radians(lat1), math.radians(lat2), math.radians(lon2 - lon1)
    km = 6371 * math.acos(min(1.0, math.sin(p1) * math.sin(p2) + math.cos(p1) * math.cos(p2) * math.cos(dl)))
    return timedelta(minutes=5 * round((km / 800 * 60 + 40) / 5))


def flight(seed: int, carrier: str, number: str, day: str) -> dict:
    plan = _flight_plan(seed, carrier, number)
    departs = datetime.combine(date.fromisoformat(day), plan["departs"], zone_info(place(plan["origin"])[1]))
    arrives = departs + plan["block"]
    return {
        "kind": "flight", "status": "scheduled", "carrier": carrier, "number": number, "date": day,
        "departure": _point(plan["origin"], departs, *plan["departure"]),
        "arrival": _point(plan["destination"], arrives, *plan["arrival"]),
        "aircraft": plan["aircraft"], "provider_changed_at": None,
    }


@lru_cache(maxsize=262_144)
def _flight_plan(seed: int, carrier: str, number: str) -> dict:
    """What a flight number does every day: route, departure time, terminals, gates, aircraft."""
    origin, destination = route(seed, carrier, int("".join(ch for ch in number if ch.isdigit())))
    rng = rng_for(seed, f"flight/{carrier}/{number}")
    departs = time(rng.randrange(6, 22), rng.randrange(0, 60, 5))
    ends = [(rng.choice(("1", "2", "3", None)), _gate(rng) if rng.random() < 0.6 else None) for _ in "da"]
    return {"origin": origin, "destination": destination, "departs": departs,
            "block": block_time(origin, destination), "departure": ends[0], "arrival": ends[1],
            "aircraft": rng.choice(AIRCRAFT)}


def _gate(rng: random.Random) -> str:
    return f"{rng.choice('ABCDEFG')}{rng.randint(1, 60)}"


def _point(code: str, moment: datetime, terminal: str | None, gate: str | None) -> dict:
    return {"airport": code, "scheduled": time_at(moment, place(code)[1]), "estimated": None,
            "actual": None, "terminal": terminal, "gate": gate}


def hotel(seed: int, key: str, city_airport: str, check_in: date, nights: int) -> dict:
    rng = rng_for(seed, key)
    city, zone, _, _ = place(city_airport)
    tz = zone_info(zone)
    arrive = datetime.combine(check_in, time(15), tz)
    leave = datetime.combine(check_in + timedelta(days=nights), time(11), tz)
    return {
        "kind": "hotel", "status": "confirmed", "name": f"{rng.choice(HOTEL_CHAINS)} {city}",
        "address": f"{rng.randint(1, 200)} {rng.choice(STREETS)}, {city}",
        "check_in": time_at(arrive, zone), "check_out": time_at(leave, zone),
        "room_type": rng.choice(ROOM_TYPES), "guests": rng.randint(1, 3), "provider_changed_at": None,
    }


def car(seed: int, key: str, city_airport: str, pickup_day: date, days: int) -> dict:
    rng = rng_for(seed, key)
    city, zone, _, _ = place(city_airport)
    pickup = datetime.combine(pickup_day, time(rng.randrange(8, 20)), zone_info(zone))
    location = f"{city} Airport ({city_airport})"
    return {
        "kind": "car", "status": "confirmed", "company": rng.choice(CAR_COMPANIES),
        "pickup": {"location": location, "time": time_at(pickup, zone)},
        "dropoff": {"location": location, "time": time_at(pickup + timedelta(days=days), zone)},
        "provider_changed_at": None,
    }


def stay(seed: int, key: str, start: date) -> tuple[str, date, int]:
    """(city airport, first day, nights) of a standalone hotel or car booking."""
    rng = rng_for(seed, f"stay/{key}")
    return rng.choice(AIRPORTS), start + timedelta(days=rng.randrange(0, 60)), rng.randint(1, 7)


def trip(seed: int, provider: str, locator: str, start: date) -> dict:
    """A booking record's plan: a flight out, maybe one back, maybe a hotel and a car at the destination."""
    rng = rng_for(seed, f"pnr/{provider}/{locator}")
    carrier, number = rng.choice(CARRIERS), 2 * rng.randrange(FLIGHT_NUMBERS // 2) + 1
    day, nights = start + timedelta(days=rng.randrange(0, 60)), rng.randint(1, 6)
    segments = [f"flight/{carrier}/{number}/{day.isoformat()}"]
    if rng.random() < 0.7:
        segments.append(f"flight/{carrier}/{number + 1}/{(day + timedelta(days=nights)).isoformat()}")
    if rng.random() < 0.6:
        segments.append(f"hotel/{provider}/{locator}-H")
    if rng.random() < 0.4:
        segments.append(f"car/{provider}/{locator}-C")
    destination = route(seed, carrier, number)[1]
    return {"segments": segments, "destination": destination, "day": day, "nights": nights}

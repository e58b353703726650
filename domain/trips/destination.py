"""Where a trip goes: the place of most nights, else the point farthest from home or from where it began."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from domain.common.timestamps import to_utc
from domain.trips.geography import Place, airport_place, distance_km, zone_place


def counted(reservations: list[dict]) -> list[dict]:
    """The reservations that shape a trip: the ones not cancelled, or all of them when all are."""
    active = [r for r in reservations if r.get("status") != "cancelled"]
    return active or list(reservations)


def destination(reservations: list[dict], home: frozenset[str] = frozenset()) -> Place | None:
    """The trip's main destination: where most nights are spent, then the farthest, then the first reached.

    Nights at a place come from the flights (from landing there to the next take-off from the same city, or
    to the end of the trip after the last flight) and from its hotels; the larger of the two counts, since
    both count the same nights. A hotel is in the city of the last landing before check-in or else of the
    first take-off after it, if that airport is in the hotel's time zone, and otherwise only in the country
    of that zone. Distances run from the nearest home airport, or without a home from the first flight's
    airport. Home airports are never the destination. None when no place is known (a hotel in UTC).
    """
    items = sorted(counted(reservations), key=lambda r: (to_utc(r["start"]), r["id"]))
    flights = [r for r in items if r.get("type") == "flight"]
    reached = _reached(items, flights, home)
    if not reached:
        return None
    nights = _nights(items, flights, home)
    origin = home or frozenset({_code(flights[0], "from")} if flights else ())
    ranked = [(nights[place], _distance(place, origin), -order) for order, place in enumerate(reached)]
    return reached[ranked.index(max(ranked))]


def _code(flight: dict, end: str) -> str:
    return (flight.get("flight") or {}).get(end) or ""


def _reached(items: list[dict], flights: list[dict], home: frozenset[str]) -> list[Place]:
    """Every place the trip touches away from home, in the order first reached."""
    places: dict[Place, Place] = {}
    for item in items:
        if item.get("type") == "flight":
            found = [airport_place(_code(item, end)) for end in ("from", "to") if _code(item, end) not in home]
        elif item.get("type") == "hotel":
            found = [_hotel_place(item, flights)]
        else:
            found = [zone_place(item.get("start_time_zone"))]
        for place in found:
            if place is not None:
                places.setdefault(place, place)
    return list(places.values())


def _nights(items: list[dict], flights: list[dict], home: frozenset[str]) -> Counter:
    by_flights, by_hotels = Counter(), Counter()
    trip_end = max(items, key=lambda r: to_utc(r["end"]))["end"]
    for flight, following in zip(flights, [*flights[1:], None], strict=False):  # None: after the last
        place = airport_place(_code(flight, "to"))
        if place is None or _code(flight, "to") in home:
            continue
        if following is None:
            by_flights[place] += _nights_between(flight["end"], trip_end)
        elif airport_place(_code(following, "from")) == place:  # left overland: the hotels will tell
            by_flights[place] += _nights_between(flight["end"], following["start"])
    for hotel in (item for item in items if item.get("type") == "hotel"):
        place = _hotel_place(hotel, flights)
        if place is not None:
            by_hotels[place] += _nights_between(hotel["start"], hotel["end"])
    return by_flights | by_hotels  # per place, the larger count


def _nights_between(start: str, end: str) -> int:
    """Midnights passed between two local times, each in its own place's offset."""
    return max(0, (datetime.fromisoformat(end).date() - datetime.fromisoformat(start).date()).days)


def _hotel_place(hotel: dict, flights: list[dict]) -> Place | None:
    """The city of the last landing before check-in, else of the first take-off after it, if in the hotel's
    zone; else the country of that zone."""
    check_in = to_utc(hotel["start"])
    landed = [airport_place(_code(f, "to")) for f in flights if to_utc(f["start"]) <= check_in][-1:]
    leaving = [airport_place(_code(f, "from")) for f in flights if to_utc(f["start"]) > check_in][:1]
    for place in landed + leaving:
        if place is not None and place.zone == hotel.get("start_time_zone"):
            return place
    return zone_place(hotel.get("start_time_zone"))


def _distance(place: Place, origin: frozenset[str]) -> float:
    if place.airport is None or not origin:
        return 0.0
    return min(distance_km(place.airport, code) for code in origin)

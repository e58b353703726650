"""Places a trip goes to: cities with airports, the countries of time zones, and great-circle distances."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from domain.common.places import airport

EARTH_RADIUS_KM = 6371.0


@dataclass(frozen=True)
class Place:
    """A city in a country, as the airport data names it (in English), or only a country.

    Two places are the same city whatever airport reached it (JFK and LGA are both New York): ``airport``
    and ``zone`` only say how it was first reached, and a place known from a time zone has no city.
    """

    country: str | None
    city: str | None
    airport: str | None = field(default=None, compare=False)
    zone: str | None = field(default=None, compare=False)


def airport_place(code: str | None) -> Place | None:
    record = airport(code or "")
    if record is None:
        return None
    return Place(record["country"] or None, record["city"] or None, code, record["tz"])


def zone_place(zone: str | None) -> Place | None:
    """The country of a time zone, all that a hotel or a car desk tells of its place when no flight does."""
    country = _zone_countries().get(zone or "")
    return Place(country, None, None, zone) if country else None


def distance_km(a: str, b: str) -> float:
    """The great-circle distance between two airports (IATA codes), by the haversine formula."""
    first, second = airport(a), airport(b)
    lat1, lon1, lat2, lon2 = map(math.radians, (first["lat"], first["lon"], second["lat"], second["lon"]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


@lru_cache(maxsize=1)
def _zone_countries() -> dict[str, str]:
    """Zone -> its ISO 3166 country, from the zone database's own zone.tab (UTC and Etc/ zones have none)."""
    table = resources.files("tzdata").joinpath("zoneinfo/zone.tab").read_text(encoding="utf-8")
    rows = (line.split("\t") for line in table.splitlines() if line and not line.startswith("#"))
    return {row[2]: row[0] for row in rows if len(row) >= 3}

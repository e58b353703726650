"""A traveller's year in travel from their facts: the JSON of GET /api/v1/me/summary/{year}.

``facts`` are the traveller's facts (domain/reports/facts.py), in any order; facts of other years are left
out here, so a caller may pass more than the year's. How each fact counts is in domain/reports/counting.py.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import UTC, datetime

from domain.common.places import zone_info
from domain.common.timestamps import utc_iso
from domain.reports import counting as c
from domain.trips.geography import zone_place


def year_summary(facts: Iterable[dict], year: int, *, zone: str, home: str | None, now: datetime) -> dict:
    """The year's figures and, under ``previous``, the same figures for the year before.

    ``zone`` is the traveller's IANA zone (years and months are counted on its clocks); ``home`` their home
    country (ISO code) or None: it is among the countries only when a flight of the year left or reached it,
    never for a hotel or car at home; ``now`` (aware) ends the year so far.
    """
    kept = list(facts)
    return {**figures(kept, year, zone=zone, home=home, now=now),
            "previous": figures(kept, year - 1, zone=zone, home=home, now=now)}


def figures(facts: list[dict], year: int, *, zone: str, home: str | None, now: datetime) -> dict:
    """The figures of one year (year_summary without ``previous``)."""
    tally = _Tally(year, zone_info(zone), home, now.astimezone(UTC))
    for fact in facts:
        getattr(tally, fact["kind"])(fact)
    return {"year": year, "as_of": utc_iso(now), "time_zone": zone, **tally.result()}


class _Tally:
    """The running counts of one year, fed one fact at a time."""

    def __init__(self, year: int, tz, home: str | None, now: datetime) -> None:
        self.year, self.tz, self.home, self.now = year, tz, home, now
        self.flights = self.trips = self.nights = self.car_days = self.cancellations = 0
        self.km = self.minutes = 0.0
        self.airlines, self.airports, self.countries = Counter(), Counter(), Counter()
        self.cities, self.stay_countries = set(), set()
        self.month_flights, self.month_trips, self.month_km = Counter(), Counter(), Counter()
        self.delays: list[int] = []
        self.longest: tuple | None = None

    def _in_year(self, text: str) -> int | None:
        """The month of an instant on the traveller's clock, if it is in the year."""
        year, month = c.local_year_month(text, self.tz)
        return month if year == self.year else None

    def flight(self, fact: dict) -> None:
        month = self._in_year(fact["dep"])
        if month is None:
            return
        if fact["status"] == "cancelled":
            self.cancellations += 1
        if not c.flown(fact, self.now):
            return
        distance = c.km(fact["from"], fact["to"])
        self.flights += 1
        self.km += distance
        self.minutes += c.block_minutes(fact)
        self.month_flights[month] += 1
        self.month_km[month] += distance
        self.airlines[fact["airline"]] += 1
        self._places(fact["from"], fact["to"])
        if delay := c.delay_minutes(fact):
            self.delays.append(delay)

    def _places(self, *codes: str) -> None:
        self.airports.update(codes)
        self.cities.update(name for name in map(c.city, codes) if name)
        self.countries.update({country for country in map(c.country, codes) if country})

    def hotel(self, fact: dict) -> None:
        self._stay(fact, c.nights(fact, self.year, self.now), "nights")

    def car(self, fact: dict) -> None:
        self._stay(fact, c.rental_days(fact, self.year, self.now), "car_days")

    def _stay(self, fact: dict, count: int, field: str) -> None:
        if fact["status"] == "cancelled":
            self.cancellations += self._in_year(fact["start"]) is not None
            return
        setattr(self, field, getattr(self, field) + count)
        place = zone_place(fact.get("zone"))
        if count and place and place.country != self.home:
            self.stay_countries.add(place.country)

    def trip(self, fact: dict) -> None:
        days, month = c.trip_days(fact, self.year, self.now)
        if not days:
            return
        self.trips += 1
        self.month_trips[month] += 1
        rank = (days, _negated(fact["start"]))
        if self.longest is None or rank > self.longest[0]:
            self.longest = (rank, {"trip_id": fact["id"], "name": fact["name"], "days": days})

    def result(self) -> dict:
        countries = set(self.countries) | self.stay_countries
        return {
            "trips": self.trips, "flights": self.flights, "distance_km": round(self.km),
            "air_hours": round(self.minutes / 60, 1), "airports": sorted(self.airports),
            "countries": sorted(countries), "cities": sorted(self.cities),
            "hotel_nights": self.nights, "car_rental_days": self.car_days,
            "delays": {"count": len(self.delays), "total_minutes": sum(self.delays),
                       "longest_minutes": max(self.delays, default=0)},
            "cancellations": self.cancellations,
            "top_airline": _top(self.airlines, "flights"), "top_airport": _top(self.airports, "visits"),
            "busiest_month": self._busiest(), "longest_trip": self.longest[1] if self.longest else None,
            "months": [{"month": m, "trips": self.month_trips[m], "flights": self.month_flights[m],
                        "distance_km": round(self.month_km[m])} for m in range(1, 13)],
            "airlines": _ranked(self.airlines, "flights"),
            "country_visits": _ranked(Counter({k: self.countries[k] for k in countries}), "flights"),
        }

    def _busiest(self) -> dict | None:
        # Most flights, then most trips; the earlier month on a tie.
        month = max(range(1, 13), key=lambda m: (self.month_flights[m], self.month_trips[m], -m))
        if not (self.month_flights[month] or self.month_trips[month]):
            return None
        return {"month": month, "trips": self.month_trips[month], "flights": self.month_flights[month]}


def _ranked(counts: Counter, field: str) -> list[dict]:
    """Most first, then by code, so equal counts come out the same every time."""
    return [{"code": code, field: n} for code, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))]


def _top(counts: Counter, field: str) -> dict | None:
    ranked = _ranked(counts, field)
    return ranked[0] if ranked else None


def _negated(start: str) -> float:
    """Sorts an earlier start first among trips of equal length."""
    return -c.instant(start).timestamp()

"""How each fact counts in a year: flights flown, nights slept, rental days, trip days, delays.

Rules (the README's "A traveller's year" says the same):
- A flight counts in the year and month of its scheduled departure on the traveller's clock, once flown: not
  cancelled, and departed by now (the latest departure tracking heard of, else the scheduled one).
- A flight is delayed when its latest known departure is 15 minutes or more after the scheduled one, the
  threshold the US DOT uses for on-time statistics; the delay is that difference in whole minutes.
- A hotel night is a local date slept at the hotel (check-in date up to the day before check-out), in the
  year of that date, counted once the date has come at the hotel. Local dates need no zone arithmetic, so a
  stay across a DST change or in a far zone has the nights its guest sees.
- A car rental day is each 24 hours begun from pickup (as rental companies charge), in the year of the local
  date it begins on at the pickup desk, counted once begun.
- A trip counts in each year holding one of its local dates (its first day at its start, its last at its end),
  with the days that fall in that year, once it has begun; its month is the first of those days'.
"""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

from domain.common.places import airport, zone_or_none
from domain.trips.geography import distance_km

DELAY_MINUTES = 15
_DAY = timedelta(days=1)


def flown(fact: dict, now: datetime) -> bool:
    return fact["status"] != "cancelled" and instant(fact.get("latest_dep") or fact["dep"]) <= now


def delay_minutes(fact: dict) -> int:
    """Minutes the latest known departure is after the scheduled one (0 when not delayed)."""
    if not fact.get("latest_dep"):
        return 0
    minutes = int((instant(fact["latest_dep"]) - instant(fact["dep"])).total_seconds() // 60)
    return minutes if minutes >= DELAY_MINUTES else 0


def block_minutes(fact: dict) -> float:
    return max(0.0, (instant(fact["arr"]) - instant(fact["dep"])).total_seconds() / 60)


@lru_cache(maxsize=4096)
def km(origin: str | None, destination: str | None) -> float:
    if airport(origin or "") is None or airport(destination or "") is None:
        return 0.0
    return distance_km(origin, destination)


def country(code: str | None) -> str | None:
    return _place(code)[0]


def city(code: str | None) -> str | None:
    return _place(code)[1]


@lru_cache(maxsize=4096)
def _place(code: str | None) -> tuple[str | None, str | None]:
    record = airport(code or "")
    return ((record["country"] or None), (record["city"] or None)) if record else (None, None)


def nights(fact: dict, year: int, now: datetime) -> int:
    """Hotel nights in ``year`` (local dates slept), counted once each date has come at the hotel."""
    first, leave = local_date(fact["start"]), local_date(fact["end"])
    today = _today(now, fact.get("zone"), fact["start"])
    last = min(leave - _DAY, today, date(year, 12, 31))
    first = max(first, date(year, 1, 1))
    return max(0, (last - first).days + 1)


def rental_days(fact: dict, year: int, now: datetime) -> int:
    """Car rental days (24-hour periods begun from pickup) whose local start date falls in ``year``."""
    start, end = datetime.fromisoformat(fact["start"]), datetime.fromisoformat(fact["end"])
    periods = max(1, math.ceil((end - start) / _DAY))
    zone = zone_or_none(fact.get("zone") or "") or start.tzinfo
    # Period i begins at start + i days: those in the year are i in [ceil(a), ceil(b)), begun i <= floor(c).
    first = math.ceil((datetime(year, 1, 1, tzinfo=zone) - start) / _DAY)
    after = math.ceil((datetime(year + 1, 1, 1, tzinfo=zone) - start) / _DAY)
    begun = math.floor((now - start) / _DAY) + 1
    return max(0, min(periods, after, begun) - max(0, first))


def trip_days(fact: dict, year: int, now: datetime) -> tuple[int, int | None]:
    """(days of the trip in ``year``, the month of its first day there); (0, None) when none or not begun."""
    if instant(fact["start"]) > now:
        return 0, None
    first = max(local_date(fact["start"]), date(year, 1, 1))
    last = min(local_date(fact["end"]), date(year, 12, 31))
    if last < first:
        return 0, None
    return (last - first).days + 1, first.month


# A traveller's facts are summarised again at every event of theirs: the same texts parse once.
@lru_cache(maxsize=65536)
def local_year_month(text: str, zone) -> tuple[int, int]:
    moment = instant(text).astimezone(zone)
    return moment.year, moment.month


def local_date(text: str) -> date:
    """The local date of a local time with its offset (the date its place's clocks show)."""
    return date.fromisoformat(text[:10])


@lru_cache(maxsize=65536)
def instant(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def _today(now: datetime, zone: str | None, fallback: str) -> date:
    tz = zone_or_none(zone or "") or datetime.fromisoformat(fallback).tzinfo
    return now.astimezone(tz).date()


def home_country(home: list[str] | None) -> str | None:
    """The country of a profile's home airports (the first known one's; a home spans one city)."""
    return next((found for found in map(country, home or ()) if found), None)

"""Quiet hours: a nightly span of the user's wall-clock time, read as real instants so DST nights come out right."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from domain.common.places import zone_or_none

HH_MM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


@dataclass(frozen=True)
class QuietHours:
    """From ``start`` to ``end`` wall-clock time; ``end`` at or before ``start`` means it runs past midnight."""

    start: time
    end: time

    @classmethod
    def parse(cls, raw: object) -> QuietHours | None:
        """``{"start": "22:00", "end": "07:00"}`` as QuietHours; None when absent, malformed or empty (start == end)."""
        if not isinstance(raw, dict):
            return None
        start, end = parse_hh_mm(raw.get("start")), parse_hh_mm(raw.get("end"))
        if start is None or end is None or start == end:
            return None
        return cls(start, end)


def parse_hh_mm(value: object) -> time | None:
    match = HH_MM.match(value) if isinstance(value, str) else None
    return time(int(match[1]), int(match[2])) if match else None


def quiet_until(quiet: QuietHours | None, zone: str, now: datetime) -> datetime | None:
    """When the quiet period holding ``now`` ends (UTC), or None when ``now`` is outside quiet hours.

    Each night's period runs between real instants, so it lasts an hour less on the night clocks
    spring forward and an hour more when they fall back, and it never starts twice in one night.
    """
    if quiet is None:
        return None
    tz = zone_or_none(zone) or ZoneInfo("UTC")
    today = now.astimezone(tz).date()
    crosses_midnight = quiet.end <= quiet.start
    for day in (today - timedelta(days=1), today):
        begins = first_instant(day, quiet.start, tz)
        ends = first_instant(day + timedelta(days=1 if crosses_midnight else 0), quiet.end, tz)
        if begins <= now < ends:
            return ends.astimezone(UTC)
    return None


def first_instant(day: date, wall: time, tz: ZoneInfo) -> datetime:
    """The first instant of ``day`` whose wall clock reads ``wall`` or later.

    A time that happens twice (clocks fall back) is its first occurrence; a time that never happens
    (clocks spring forward) becomes the moment of the jump.
    """
    local = datetime.combine(day, wall, tzinfo=tz)  # fold=0: the first of a repeated time
    if _exists(local):
        return local
    wanted = local.replace(tzinfo=None)
    readings = sorted(int(local.replace(fold=fold).timestamp()) for fold in (0, 1))
    low, high = readings
    while low < high:  # the wall clock only moves forward across the jump, so bisect to the second
        middle = (low + high) // 2
        if datetime.fromtimestamp(middle, tz).replace(tzinfo=None) >= wanted:
            high = middle
        else:
            low = middle + 1
    return datetime.fromtimestamp(high, tz)


def _exists(local: datetime) -> bool:
    return local.astimezone(UTC).astimezone(local.tzinfo).replace(tzinfo=None) == local.replace(tzinfo=None)

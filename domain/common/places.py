"""Places: IATA airports with their zones, and times kept as local time + zone + UTC instant."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

import airportsdata

from domain.common.timestamps import utc_iso

IATA_AIRPORT = re.compile(r"^[A-Z]{3}$")
# The years a trip can have. Far beyond them, moving a time between offsets overflows datetime (year 1 or 9999).
FIRST_YEAR, LAST_YEAR = 1900, 2200


class OutOfRange(ValueError):
    """A time outside FIRST_YEAR..LAST_YEAR, as written or at the place."""

    def __init__(self) -> None:
        super().__init__(f"must be in the years {FIRST_YEAR} to {LAST_YEAR}")


@lru_cache(maxsize=1)
def _airports() -> dict[str, dict]:
    return airportsdata.load("IATA")


def airport(code: str) -> dict | None:
    """The airport record for an IATA code (upper-case), or None when there is no such airport."""
    if not isinstance(code, str) or not IATA_AIRPORT.match(code):
        return None
    return _airports().get(code)


def airport_zone(code: str) -> str | None:
    record = airport(code)
    return record["tz"] if record else None


@lru_cache(maxsize=1)
def zones() -> frozenset[str]:
    """Every IANA time zone name this machine's tz database knows."""
    return frozenset(available_timezones())


def is_zone(name: object) -> bool:
    return isinstance(name, str) and name in zones()


@lru_cache(maxsize=1024)
def zone_info(name: str) -> ZoneInfo:
    """ZoneInfo(name), kept: ZoneInfo holds only a few zones strongly and re-reads the tz file for the
    rest, which was 8% of the worker's time while reservations were loaded. Unknown names still raise."""
    return ZoneInfo(name)


def parse_local(value: str, zone: str) -> datetime:
    """Parse ISO 8601; a naive time is read as wall-clock time in ``zone``, an offset time is moved there.

    Raises ValueError on anything else, OutOfRange (a ValueError) outside the years a trip can have.
    The result is aware, in ``zone``; a naive time the clocks skip (a spring-forward gap) comes out as
    the clock shows it after the jump (02:30 in Paris on 2025-03-30 is 03:30+02:00), so that parsing
    the result again gives the same time.
    """
    if not isinstance(value, str):
        raise ValueError("must be an ISO 8601 string")
    moment = datetime.fromisoformat(value)
    tz = zone_info(zone)
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise OutOfRange()
    # Through UTC even for a naive time: a gap time takes the offset before the jump (PEP 495,
    # fold=0) and comes back as the wall clock after it; any other time comes back unchanged.
    local = (moment if moment.tzinfo else moment.replace(tzinfo=tz)).astimezone(UTC).astimezone(tz)
    if not FIRST_YEAR <= local.year <= LAST_YEAR:
        raise OutOfRange()
    return local


def iso(moment: datetime) -> str:
    """ISO 8601 with the place's offset, to the second (what the API shows).

    Before a place took standard time its offset was local mean time, with seconds (Pacific/Tahiti -09:58:16
    until 1912, Africa/Monrovia -00:44:30 until 1972). RFC 3339 cannot write that offset: such a moment is
    written in UTC instead, the same instant.
    """
    offset = moment.utcoffset()
    if offset is not None and offset.total_seconds() % 60:
        return utc_iso(moment)
    return moment.isoformat(timespec="seconds")


def zone_or_none(name: str) -> ZoneInfo | None:
    try:
        return zone_info(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None

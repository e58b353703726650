"""Times out of mail markup: loose ISO 8601 in, wall-clock time in the place's own zone out."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from domain.common.places import is_zone
from domain.common.timestamps import utc_iso

# Senders write "+0:00" (KItinerary's hotel-json-ld-fallback sample); fromisoformat wants "+00:00".
_SHORT_OFFSET = re.compile(r"([+-])(\d)(:?\d\d)$")
_SPACE_SEPARATOR = re.compile(r"^(\d{4}-\d\d-\d\d) (\d)")
# An arrival printed on the departure's date can be at most this many days later (date-line crossings).
MAX_ROLLOVER_DAYS = 2


class Moment(NamedTuple):
    """A time as the mail gave it: naive or aware, the IANA zone it named, and whether it is a sure instant."""

    at: datetime
    zone: str | None = None
    exact: bool = False


def parse_moment(value: Any) -> Moment | None:
    """An ISO 8601 string or KItinerary's ``{"@type": "QDateTime", "@value": ..., "timezone": ...}``.

    ``exact`` comes from the calendar reader: iCalendar times are computed instants, not typed-in text.
    """
    zone, exact = None, False
    if isinstance(value, dict):
        zone = value.get("timezone") if is_zone(value.get("timezone")) else None
        exact = value.get("exact") is True
        value = value.get("@value")
    if not isinstance(value, str):
        return None
    cleaned = _SHORT_OFFSET.sub(lambda m: f"{m[1]}0{m[2]}{m[3]}", value.strip())
    cleaned = _SPACE_SEPARATOR.sub(r"\1T\2", cleaned)
    try:
        moment = datetime.fromisoformat(cleaned)
    except ValueError:
        return None
    return Moment(moment, zone, exact and moment.tzinfo is not None)


def agrees(moment: Moment) -> bool:
    """Whether the offset is the one the named zone has then: the sender knew the zone, the instant is sure."""
    if moment.zone is None or moment.at.tzinfo is None:
        return False
    return ZoneInfo(moment.zone).utcoffset(moment.at.replace(tzinfo=None)) == moment.at.utcoffset()


def localise(moment: Moment, zone: str, *, trust_utc: bool) -> datetime:
    """The moment as wall-clock time in ``zone``.

    A naive time is local time there. An exact instant, or an offset that agrees with the zone, is converted.
    An offset that contradicts the zone means the sender printed the local time with a wrong offset
    (KItinerary's implausible-time-zone rule), so the wall-clock time is kept; except that UTC times of
    flights are real instants (airline systems send Z).
    """
    tz = ZoneInfo(zone)
    at = moment.at
    if at.tzinfo is None:
        return at.replace(tzinfo=tz)
    local = at.astimezone(tz)
    if moment.exact or local.utcoffset() == at.utcoffset():
        return local
    if trust_utc and at.utcoffset() == timedelta(0):
        return local
    return at.replace(tzinfo=tz)


def roll_forward(start: datetime, end: datetime) -> datetime:
    """An end printed on the start's date but before it is on a later day (overnight flights)."""
    days = 0
    while end < start and days < MAX_ROLLOVER_DAYS:
        end = end + timedelta(days=1)  # wall-clock arithmetic: the zone's offset on the new day applies
        days += 1
    return end


def utc_stamp(value: Any) -> str | None:
    """An ordering stamp (ISO 8601 UTC) from a loose time; a naive time is taken as UTC."""
    if isinstance(value, datetime):
        moment = value
    else:
        parsed = parse_moment(value)
        if parsed is None:
            return None
        moment = parsed.at
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return utc_iso(moment)

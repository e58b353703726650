"""Times in a message: snapshot values read as instants at the place, written with Babel in the place's own zone."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_datetime, format_interval

from domain.common.local_time import date_text, when_text, zone_pattern
from domain.common.places import zone_or_none

__all__ = ["date_text", "pair_text", "range_text", "read", "when_text", "zone_label"]


def read(value: object, zone: str | None) -> datetime | date | None:
    """A snapshot time as an aware datetime in the place's zone (a bare date stays a date).

    Accepts T dicts ``{"local", "zone", "utc"}``, ISO 8601 with an offset (moved to ``zone``), and
    naive ISO 8601 (read as wall-clock time in ``zone``). Anything else is None.
    """
    if isinstance(value, dict):
        return _read_t(value, zone)
    if not isinstance(value, str) or not value:
        return None
    tz = zone_or_none(zone) if zone else None
    try:
        if len(value) == 10:
            return date.fromisoformat(value)
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=tz) if tz else None
    return moment.astimezone(tz) if tz else moment


def _read_t(value: dict, zone: str | None) -> datetime | date | None:
    place = value.get("zone") if zone_or_none(value.get("zone") or "") else zone
    if value.get("utc"):
        moment = read(value["utc"], None)
        if isinstance(moment, datetime) and place:
            return moment.astimezone(ZoneInfo(place))
        return moment
    return read(value.get("local"), place)


def pair_text(old: datetime, new: datetime, locale: Locale) -> tuple[str, str]:
    """A new and an old time, saying only what a reader needs: the date when it moved, the zone once."""
    moved_day = _day(new) != _day(old)
    same_zone = zone_label(new, locale) == zone_label(old, locale)
    new_text = when_text(new, locale, with_date=moved_day)
    old_text = when_text(old, locale, with_date=moved_day, zone=not same_zone)
    return new_text, old_text


def range_text(start: datetime | date, end: datetime | date, locale: Locale) -> str:
    """A stay's dates as one range the locale's way: "Tue, Mar 4 – Fri, Mar 7", "3月4日(火)～7日(金)"."""
    return format_interval(_day(start), _day(end), "MMMEd", locale=locale)


def zone_label(moment: datetime, locale: Locale) -> str:
    return format_datetime(moment, zone_pattern(moment, locale), tzinfo=moment.tzinfo, locale=locale)


def _day(moment: datetime | date) -> date:
    return moment.date() if isinstance(moment, datetime) else moment

"""Times in a message: snapshot values read as instants at the place, written with Babel in the place's own zone."""

from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_datetime, format_interval, format_skeleton

from domain.common.places import zone_or_none

OFFSET_LIKE = re.compile(r"\d")


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


def zone_pattern(moment: datetime, locale: Locale) -> str:
    """``z`` where the locale has a name for the zone (CET, EST, MEZ, JST), else its long name ``zzzz``.

    Babel writes a bare offset (+0100) when the locale has no short name; a reader should see a name.
    """
    short = format_datetime(moment, "z", tzinfo=moment.tzinfo, locale=locale)
    return "zzzz" if OFFSET_LIKE.search(short) else "z"


def time_text(moment: datetime, locale: Locale, *, zone: bool = True) -> str:
    """The locale's short time, with the place's zone named: "10:15 AM CET", "10:15 MEZ", "10:15 JST"."""
    pattern = locale.time_formats["short"].pattern
    if zone and moment.tzinfo is not None:
        pattern = f"{pattern} {zone_pattern(moment, locale)}"
    return format_datetime(moment, pattern, tzinfo=moment.tzinfo, locale=locale)


def date_text(moment: datetime | date, locale: Locale) -> str:
    """Weekday, day and month: "Tue, Mar 4", "Di., 4. März", "3月4日(火)"."""
    return format_skeleton("MMMEd", moment, tzinfo=getattr(moment, "tzinfo", None), locale=locale)


def when_text(moment: datetime | date, locale: Locale, *, with_date: bool = True, zone: bool = True) -> str:
    """Date and time as the locale joins them ("{1}, {0}"); a bare date is just the date."""
    if not isinstance(moment, datetime):
        return date_text(moment, locale)
    clock = time_text(moment, locale, zone=zone)
    if not with_date:
        return clock
    return locale.datetime_formats["medium"].replace("{1}", date_text(moment, locale)).replace("{0}", clock)


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

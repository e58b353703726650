"""The one way a time is written for people: Babel's format for the reader's locale, in the place's own zone, named.

Used by the notification renderer (domain/notify/moments.py) and, through runtime/i18n.py, by the web
pages' templates. Numbers and distances the locale's way too.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from babel import Locale
from babel.dates import format_datetime, format_skeleton
from babel.numbers import format_decimal
from babel.units import format_unit

from domain.common.places import zone_info
from domain.common.timestamps import to_utc

OFFSET_LIKE = re.compile(r"\d")


def local_time(instant: datetime | str, zone: str, locale: Locale | str, *, with_date: bool = False) -> str:
    """``instant`` (aware, or ISO 8601 with an offset) at the place of ``zone``: "14:05 CET", "2:05 PM EST",
    "14:05 JST"; with the date the locale's way ("Tue, Mar 4, 2:05 PM CET", "3月4日(火) 14:05 JST")."""
    moment = (to_utc(instant) if isinstance(instant, str) else instant).astimezone(zone_info(zone))
    locale = Locale.parse(locale)
    return when_text(moment, locale) if with_date else time_text(moment, locale)


def day_mark(instant: datetime | str, zone: str, reference: datetime | str, reference_zone: str) -> str:
    """"+1" when ``instant`` falls on the next calendar day at its place than ``reference`` at its own
    (an overnight flight's arrival against its departure), "-1" the day before, "" the same day."""
    days = (_local_day(instant, zone) - _local_day(reference, reference_zone)).days
    return f"{days:+d}" if days else ""


def number(value: float, locale: Locale | str) -> str:
    """1234.5 as "1,234.5", "1.234,5", "1 234,5" (a narrow no-break space in French)."""
    return format_decimal(value, locale=locale)


def distance(kilometres: float, locale: Locale | str) -> str:
    """A distance in the locale's words for kilometres, rounded to the kilometre: "1,234 km", "1.234 km"."""
    return format_unit(round(kilometres), "length-kilometer", length="short", locale=locale)


def zone_pattern(moment: datetime, locale: Locale) -> str:
    """``z`` where the locale has a short name for the zone (EST, MEZ, JST), else the time zone database's
    abbreviation (CET, IST) quoted as a literal, else ``z``'s offset form (GMT-3).

    Babel writes a bare offset (+0100) when the locale has no short name; a reader should see a name, and a
    short one: "14:05 CET" reads better in a line of an itinerary than "Central European Standard Time".
    """
    key = (str(moment.tzinfo), moment.utcoffset(), moment.tzname() or "", str(locale))
    # Keyed by what the answer depends on (the zone, its offset and name then, the locale), not the moment:
    # a page of an itinerary asks it for every time, and Babel's formatting is most of a page's render.
    pattern = _ZONE_PATTERNS.get(key)
    if pattern is None:
        short = format_datetime(moment, "z", tzinfo=moment.tzinfo, locale=locale)
        if not OFFSET_LIKE.search(short) and " " not in short:   # some locales' "short" name is the long one
            pattern = "z"
        else:
            pattern = f"'{key[2]}'" if key[2].isalpha() else "ZZZZ"
        if len(_ZONE_PATTERNS) < 10_000:
            _ZONE_PATTERNS[key] = pattern
    return pattern


_ZONE_PATTERNS: dict[tuple, str] = {}


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


def _local_day(instant: datetime | str, zone: str) -> date:
    return (to_utc(instant) if isinstance(instant, str) else instant).astimezone(zone_info(zone)).date()

"""A year summary's figures as people read them: labelled, in their language, km or miles, against last year."""

from __future__ import annotations

from dataclasses import dataclass

from babel import Locale
from babel.dates import get_month_names
from babel.numbers import format_decimal
from babel.units import format_unit

from domain.common.words import N_
from domain.notify.locales import Lang

KM_PER_MILE = 1.609344
# Where road signs are in miles (CLDR's "measurementSystem" for road distances): a traveller there thinks in
# miles. Decided by the locale's territory only: a bare "en" has none and gets kilometres, like most of the world.
MILES_TERRITORIES = frozenset({"US", "GB", "LR", "MM"})
UP, DOWN, SAME = "up", "down", "same"

LABELS = {
    "trips": N_("Trips"),
    "flights": N_("Flights"),
    "distance_km": N_("Distance flown"),
    "air_hours": N_("Hours in the air"),
    "countries": N_("Countries"),
    "airports": N_("Airports"),
    "hotel_nights": N_("Hotel nights"),
    "car_rental_days": N_("Car rental days"),
}
HEADLINE = ("trips", "flights", "distance_km", "air_hours", "countries", "hotel_nights")


@dataclass(frozen=True)
class Figure:
    """One headline figure: its key, label and value in words, last year's, and which way it went."""

    key: str
    label: str
    value: str
    previous: str | None
    trend: str | None


def uses_miles(locale: Locale) -> bool:
    return (locale.territory or "") in MILES_TERRITORIES


def distance(kilometres: float, locale: Locale) -> str:
    """"41,234 km", or "25,622 mi" where the locale's territory measures roads in miles."""
    if uses_miles(locale):
        return format_unit(round(kilometres / KM_PER_MILE), "length-mile", length="short", locale=locale)
    return format_unit(round(kilometres), "length-kilometer", length="short", locale=locale)


def in_unit(kilometres: float, locale: Locale) -> int:
    """The distance as a whole number in the locale's unit (for charts' scales)."""
    return round(kilometres / KM_PER_MILE) if uses_miles(locale) else round(kilometres)


def unit_name(locale: Locale) -> str:
    """The unit's short name alone ("km", "mi"), for a chart's axis."""
    unit = "length-mile" if uses_miles(locale) else "length-kilometer"
    return format_unit(0, unit, length="short", locale=locale).replace(format_decimal(0, locale=locale), "").strip()


def count(summary: dict, key: str) -> float:
    """A figure as a number: lists (countries, airports) by their length, anything missing as 0."""
    value = summary.get(key)
    if isinstance(value, list):
        return len(value)
    return value if isinstance(value, int | float) and not isinstance(value, bool) else 0


def value_text(key: str, value: float, locale: Locale) -> str:
    if key == "distance_km":
        return distance(value, locale)
    if key == "air_hours":
        return format_decimal(round(value, 1), format="#,##0.0", locale=locale)
    return format_decimal(value, locale=locale)


def figure(summary: dict, key: str, lang: Lang) -> Figure:
    now, before = count(summary, key), summary.get("previous")
    previous = count(before, key) if isinstance(before, dict) else None
    trend = None if previous is None else UP if now > previous else DOWN if now < previous else SAME
    return Figure(key, lang.words.gettext(LABELS[key]), value_text(key, now, lang.locale),
                  None if previous is None else value_text(key, previous, lang.locale), trend)


def headline(summary: dict, lang: Lang, keys: tuple[str, ...] = HEADLINE) -> list[Figure]:
    return [figure(summary, key, lang) for key in keys]


def month_name(month: int, locale: Locale, width: str = "wide") -> str:
    """January as the locale writes it standing alone ("Januar", "1月"); ``width`` "abbreviated" for charts."""
    return get_month_names(width, context="stand-alone", locale=locale)[month]


def number(value: float, locale: Locale) -> str:
    return format_decimal(value, locale=locale)

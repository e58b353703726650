"""A trip's name after its main destination, in the traveller's language where one exists, and its two ends."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from babel import Locale

from domain.common.timestamps import to_utc
from domain.notify.locales import locale_for
from domain.trips.destination import counted, destination
from domain.trips.geography import Place


@dataclass(frozen=True)
class Summary:
    """What a trip shows of itself: its name and destination, and where and when it starts and ends.

    ``start``/``end`` are local times in the offset of their place, as the reservations hold them, with the
    zone of that place: a trip from Zurich to Tokyo starts in Europe/Zurich and may end in Asia/Tokyo.
    ``name`` is None when no place is known (only a hotel in UTC): the web layer then shows a generic word.
    """

    name: str | None
    destination: Place | None
    start: str
    start_time_zone: str
    end: str
    end_time_zone: str


def summarise(reservations: list[dict], home: frozenset[str] = frozenset(), language: str | None = None) -> Summary:
    """A trip's summary from its reservations (at least one), its traveller's home airports and language tag.

    The ends follow the reservations that are not cancelled (all of them when all are): the earliest start
    and the latest end, as instants, each with its own local time and zone.
    """
    shaping = counted(reservations)
    first = min(shaping, key=lambda r: (to_utc(r["start"]), r["id"]))
    last = max(shaping, key=lambda r: (to_utc(r["end"]), r["id"]))
    place = destination(reservations, home)
    return Summary(name=place_name(place, language) if place else None, destination=place,
                   start=first["start"], start_time_zone=first["start_time_zone"],
                   end=last["end"], end_time_zone=last["end_time_zone"])


def place_name(place: Place, language: str | None = None) -> str | None:
    """The city, else the country, in the language of ``language`` (resolved as notifications resolve it,
    so a trip's name never speaks another language than the words around it).

    Country names are always localised (CLDR has them all). Cities come from the airport data in English;
    CLDR only names the cities time zones are named after, so those are localised (Wien, Tokio, Londres)
    and every other city keeps its English name (Munich stays Munich in German).
    """
    locale = locale_for(language)
    if place.city:
        return _city_name(place, locale)
    if place.country:
        return locale.territories.get(place.country, place.country)
    return None


def _city_name(place: Place, locale: Locale) -> str:
    if place.zone is None or _english_exemplar(place.zone) != place.city:
        return place.city
    return (locale.time_zones.get(place.zone) or {}).get("city") or place.city


@lru_cache(maxsize=512)
def _english_exemplar(zone: str) -> str:
    """The city a zone is named after, in English: CLDR's name, else the zone ID's last part (New_York)."""
    named = (Locale("en").time_zones.get(zone) or {}).get("city")
    return named or zone.rsplit("/", 1)[-1].replace("_", " ")

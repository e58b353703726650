"""A traveller's home as the airports it stands for: IATA codes, or a city resolved with the airport data."""

from __future__ import annotations

from collections import Counter
from functools import lru_cache

import airportsdata
from babel import Locale

from domain.common.errors import ValidationError
from domain.common.places import IATA_AIRPORT, airport

MAX_AIRPORTS = 10
MAX_TEXT = 200


def resolve_home(value: object) -> frozenset[str]:
    """The airports of a home given as a list of IATA codes, one code, or a place name.

    A place name is a city as the airport data writes it ("London", "New York"), optionally followed by a
    country code or English country name ("Paris, FR", "Paris, France"). Without a country the city's
    country with the most airports of that name wins (Paris is in France before Texas), because that is
    the city people mean; a tie is refused rather than guessed. Raises ValidationError on field ``home``.
    """
    if isinstance(value, list):
        return _codes(value)
    if not isinstance(value, str) or not value.strip() or len(value) > MAX_TEXT:
        raise _invalid("must be IATA airport codes or a city name")
    text = value.strip()
    if IATA_AIRPORT.match(text.upper()) and airport(text.upper()):
        return frozenset({text.upper()})
    return _city(text)


def _codes(values: list) -> frozenset[str]:
    if not 0 < len(values) <= MAX_AIRPORTS:
        raise _invalid(f"must list 1 to {MAX_AIRPORTS} airports")
    codes = [v.strip().upper() if isinstance(v, str) else "" for v in values]
    unknown = [i for i, code in enumerate(codes) if airport(code) is None]
    if unknown:
        raise ValidationError("The request has invalid fields.", [
            {"field": f"home[{i}]", "message": "must be a known IATA airport code"} for i in unknown])
    return frozenset(codes)


def _city(text: str) -> frozenset[str]:
    name, _, country_text = text.partition(",")
    by_country = _cities().get(name.strip().casefold(), {})
    if country_text.strip():
        country = _country_code(country_text.strip())
        by_country = {country: by_country[country]} if country in by_country else {}
    if not by_country:
        raise _invalid("must be IATA airport codes or a city with an airport")
    ranked = Counter({country: len(codes) for country, codes in by_country.items()}).most_common(2)
    if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
        raise _invalid("names cities in several countries: add the country, as in 'Paris, FR'")
    return frozenset(by_country[ranked[0][0]])


@lru_cache(maxsize=1)
def _cities() -> dict[str, dict[str, list[str]]]:
    """Case-folded city -> country code -> the city's IATA airports."""
    cities: dict[str, dict[str, list[str]]] = {}
    for code, record in airportsdata.load("IATA").items():
        if record["city"]:
            cities.setdefault(record["city"].casefold(), {}).setdefault(record["country"], []).append(code)
    return cities


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    """Case-folded English country name -> ISO 3166 code."""
    return {name.casefold(): code for code, name in Locale("en").territories.items() if code.isalpha()}


def _country_code(text: str) -> str | None:
    if len(text) == 2 and text.isalpha():
        return text.upper()
    return _country_names().get(text.casefold())


def _invalid(message: str) -> ValidationError:
    return ValidationError("The request has invalid fields.", [{"field": "home", "message": message}])

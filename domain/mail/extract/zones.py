"""The IANA zone of a hotel or a rental desk, from its address, the zone the mail named and the offset it used."""

from __future__ import annotations

import re
from collections import Counter
from datetime import datetime, timedelta
from functools import lru_cache
from importlib import resources
from typing import Any
from zoneinfo import ZoneInfo

import airportsdata

from domain.common.places import is_zone

_ALIASES = {
    "USA": "US", "U.S.A.": "US", "UNITED STATES OF AMERICA": "US", "UK": "GB", "U.K.": "GB",
    "UNITED KINGDOM": "GB", "GREAT BRITAIN": "GB", "ENGLAND": "GB", "SCOTLAND": "GB", "WALES": "GB",
}
MAX_ADDRESS_CHARS = 500  # an address is a line or two; the bound keeps _POSTCODE linear on junk
_POSTCODE = re.compile(r"\b(?:[A-Z]{1,2}-)?\d[\d -]*\b")


@lru_cache(maxsize=1)
def _airports() -> tuple[dict, ...]:
    return tuple(airportsdata.load("IATA").values())


@lru_cache(maxsize=1)
def _country_zones() -> dict[str, list[str]]:
    """Each country's zones, the one with most airports first: a fair guess at where travellers go."""
    counts: dict[str, Counter] = {}
    for record in _airports():
        counts.setdefault(record["country"], Counter())[record["tz"]] += 1
    return {country: [z for z, _ in c.most_common() if is_zone(z)] for country, c in counts.items()}


@lru_cache(maxsize=1)
def _city_zones() -> dict[tuple[str, str], str]:
    """(country, city) -> the zone most of the city's airports are in."""
    counts: dict[tuple[str, str], Counter] = {}
    for record in _airports():
        for key in ((record["country"], record["city"].casefold()), ("", record["city"].casefold())):
            counts.setdefault(key, Counter())[record["tz"]] += 1
    return {key: c.most_common(1)[0][0] for key, c in counts.items() if len(c) == 1 or key[0]}


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    """Upper-case country name -> ISO 3166 code, from the zone database's own iso3166.tab."""
    names = dict(_ALIASES)
    try:
        table = resources.files("tzdata").joinpath("zoneinfo/iso3166.tab").read_text(encoding="utf-8")
    except (ModuleNotFoundError, OSError):
        table = ""
    for line in table.splitlines():
        code, _, name = line.partition("\t")
        if len(code) == 2 and name:
            names[name.strip().upper()] = code
            names.setdefault(name.split("(")[0].strip().upper(), code)  # "Britain (UK)", "Korea (South)"
    return names


def country_code(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("name") or value.get("identifier")
    if not isinstance(value, str) or not value.strip():
        return None
    value = value.strip().upper()
    if len(value) == 2 and value in _country_zones():
        return value
    return _country_names().get(value)


def _address_parts(address: Any) -> tuple[str | None, list[str]]:
    """Country code and candidate city names of a PostalAddress, a Place or a one-line address."""
    if isinstance(address, dict) and "address" in address:
        return _address_parts(address["address"])
    if isinstance(address, dict):
        cities = [address.get(k) for k in ("addressLocality", "addressRegion")]
        return country_code(address.get("addressCountry")), [c for c in cities if isinstance(c, str)]
    if not isinstance(address, str):
        return None, []
    parts = [p.strip() for p in re.split(r"[,\n]", address[:MAX_ADDRESS_CHARS]) if p.strip()]
    country = country_code(parts[-1]) if parts else None
    cities = [_POSTCODE.sub(" ", p).strip() for p in (parts[:-1] if country else parts)]
    return country, [c for c in cities if c]


def place_zone(address: Any, *, named: str | None = None, moment: datetime | None = None) -> str | None:
    """The zone of a place: the named one when plausible for the country, else the city's, else the country's."""
    country, cities = _address_parts(address)
    zones = _country_zones().get(country, []) if country else []
    if is_zone(named) and (not zones or named in zones):
        return named
    for city in cities:
        zone = _city_zones().get((country or "", city.casefold()))
        if zone and (not zones or zone in zones):
            return zone
    if len(zones) > 1 and moment is not None and moment.tzinfo is not None:
        wall = moment.replace(tzinfo=None)
        matching = [z for z in zones if ZoneInfo(z).utcoffset(wall) == moment.utcoffset()]
        if matching:
            return matching[0]
    if zones:
        return zones[0]
    return _fixed_zone(moment)


def _fixed_zone(moment: datetime | None) -> str | None:
    """With no place at all, a fixed-offset zone keeps at least the instant the mail gave."""
    offset = moment.utcoffset() if moment is not None and moment.tzinfo is not None else None
    if offset is None or offset % timedelta(hours=1):
        return None
    hours = int(offset / timedelta(hours=1))
    return "UTC" if hours == 0 else f"Etc/GMT{-hours:+d}"  # POSIX sign: Etc/GMT+8 is UTC-08:00

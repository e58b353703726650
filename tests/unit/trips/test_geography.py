"""Places: one city whatever its airport, countries of zones, great-circle distances."""

from __future__ import annotations

import pytest

from domain.trips.geography import Place, airport_place, distance_km, zone_place


def test_an_airport_is_a_city_in_a_country_and_airports_of_one_city_are_one_place():
    assert airport_place("LGA") == airport_place("JFK") == Place("US", "New York")
    assert (airport_place("LGA").airport, airport_place("LGA").zone) == ("LGA", "America/New_York")
    assert airport_place("XXX") is None and airport_place(None) is None


def test_a_zone_gives_its_country_and_utc_gives_none():
    assert zone_place("Europe/Paris") == Place("FR", None)
    assert zone_place("America/Denver").country == "US"
    assert zone_place("UTC") is None and zone_place("Etc/GMT+5") is None and zone_place(None) is None


def test_great_circle_distances():
    assert distance_km("LHR", "JFK") == pytest.approx(5540, rel=0.01)
    assert distance_km("SYD", "SCL") == pytest.approx(11350, rel=0.01)  # across the date line
    assert distance_km("ZRH", "ZRH") == 0

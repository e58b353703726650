"""A home as airports: codes, a city, a city with its country, and what is refused."""

from __future__ import annotations

import pytest

from domain.common.errors import ValidationError
from domain.trips.home import MAX_AIRPORTS, resolve_home


def errors_of(value: object) -> dict[str, str]:
    with pytest.raises(ValidationError) as caught:
        resolve_home(value)
    return {e["field"]: e["message"] for e in caught.value.errors}


def test_codes_are_taken_as_airports():
    assert resolve_home(["zrh", " BSL "]) == {"ZRH", "BSL"}
    assert resolve_home("jfk") == {"JFK"}


def test_a_city_stands_for_all_its_airports():
    assert resolve_home("Tokyo") == {"NRT", "HND"}
    assert resolve_home("new york") == {"JFK", "LGA", "ISP", "SWF", "NYS"}


def test_a_city_in_several_countries_is_the_one_with_most_airports_unless_a_country_is_named():
    assert resolve_home("Paris") == {"CDG", "ORY", "LBG"}
    assert resolve_home("Paris, US") == {"PHT", "PRX"}
    assert resolve_home("Paris, united states") == {"PHT", "PRX"}
    assert resolve_home("London, Canada") == {"YXU"}


def test_a_city_in_two_countries_with_as_many_airports_is_refused():
    # Kingston has one airport in Canada and one in Jamaica.
    assert errors_of("Kingston") == {
        "home": "names cities in several countries: add the country, as in 'Paris, FR'"}
    assert resolve_home("Kingston, Jamaica") == {"KIN"}
    assert errors_of("Paris, Japan") == {"home": "must be IATA airport codes or a city with an airport"}


def test_unknown_places_and_bad_values_are_refused():
    assert errors_of("Atlantis") == {"home": "must be IATA airport codes or a city with an airport"}
    assert errors_of(["ZRH", "XXX", 7]) == {"home[1]": "must be a known IATA airport code",
                                             "home[2]": "must be a known IATA airport code"}
    assert errors_of([]) == {"home": f"must list 1 to {MAX_AIRPORTS} airports"}
    assert errors_of(["ZRH"] * (MAX_AIRPORTS + 1)) == {"home": f"must list 1 to {MAX_AIRPORTS} airports"}
    for value in (None, 3, "", "   ", "x" * 201):
        assert errors_of(value) == {"home": "must be IATA airport codes or a city name"}

"""A trip's destination and name: most nights, else the farthest; localised where CLDR has the name."""

from __future__ import annotations

from domain.reservations.fields import check
from domain.trips.destination import destination
from domain.trips.geography import Place
from domain.trips.naming import place_name, summarise

HOME = frozenset({"ZRH"})


def fly(rid: str, origin: str, to: str, start: str, end: str, **more) -> dict:
    flight = {"airline": "LX", "number": "1", "from": origin, "to": to}
    return {"id": rid, **check({"type": "flight", "start": start, "end": end, "flight": flight, **more})}


def hotel(rid: str, start: str, end: str, zone: str, **more) -> dict:
    return {"id": rid, **check({"type": "hotel", "start": start, "end": end, "start_time_zone": zone,
                                "hotel": {"name": "Hotel"}, **more})}


def car(rid: str, start: str, end: str, zone: str) -> dict:
    return {"id": rid, **check({"type": "car", "start": start, "end": end, "start_time_zone": zone,
                                "car": {"company": "Hertz"}})}


def named(reservations: list[dict], home: frozenset[str] = HOME, language: str = "en") -> str | None:
    return summarise(reservations, home, language).name


def test_the_place_of_most_nights_names_the_trip():
    trip = [fly("1", "ZRH", "JFK", "2025-07-01T10:00", "2025-07-01T13:00"),
            fly("2", "JFK", "BOS", "2025-07-03T09:00", "2025-07-03T10:30"),
            fly("3", "BOS", "ZRH", "2025-07-08T18:00", "2025-07-09T08:00")]
    assert named(trip) == "Boston"
    assert destination(trip, HOME) == Place("US", "Boston", "BOS", "America/New_York")


def test_airports_of_one_city_count_together():
    trip = [fly("1", "ZRH", "JFK", "2025-07-01T10:00", "2025-07-01T13:00"),
            fly("2", "LGA", "BOS", "2025-07-04T09:00", "2025-07-04T10:30"),
            fly("3", "BOS", "ZRH", "2025-07-06T18:00", "2025-07-07T08:00")]
    assert named(trip) == "New York"


def test_a_hotel_and_the_flights_around_it_count_its_nights_once():
    # Paris: 2 nights by the flights and 2 by the hotel, not 4; Rome: 3 nights, no hotel.
    trip = [fly("1", "ZRH", "CDG", "2025-07-01T08:00", "2025-07-01T09:10"),
            hotel("2", "2025-07-01T15:00", "2025-07-03T11:00", "Europe/Paris"),
            fly("3", "CDG", "FCO", "2025-07-03T13:00", "2025-07-03T15:00"),
            fly("4", "FCO", "ZRH", "2025-07-06T18:00", "2025-07-06T19:30")]
    assert named(trip) == "Rome" and named(trip, language="de") == "Rom"


def test_a_hotel_reached_overland_is_in_the_city_flown_home_from():
    trip = [fly("1", "ZRH", "CDG", "2025-07-01T08:00", "2025-07-01T09:10"),
            hotel("2", "2025-07-01T20:00", "2025-07-05T11:00", "Europe/Rome"),
            fly("3", "FCO", "ZRH", "2025-07-05T18:00", "2025-07-05T19:30")]
    assert named(trip) == "Rome"


def test_a_hotel_no_flight_places_is_in_the_country_of_its_zone():
    trip = [hotel("1", "2025-07-01T15:00", "2025-07-03T11:00", "Europe/Paris")]
    assert [named(trip, language=lang) for lang in ("en", "de", "ja")] == ["France", "Frankreich", "フランス"]
    assert named([car("1", "2025-07-01T09:00", "2025-07-04T09:00", "America/Denver")], language="es") == \
        "Estados Unidos"


def test_without_nights_the_farthest_point_names_the_trip():
    day_trip = [fly("1", "ZRH", "LHR", "2025-07-01T07:00", "2025-07-01T07:45"),
                fly("2", "LHR", "ZRH", "2025-07-01T19:00", "2025-07-01T21:45")]
    assert named(day_trip) == "London" and named(day_trip, frozenset()) == "London"
    one_way = [fly("1", "GVA", "CDG", "2025-07-01T07:00", "2025-07-01T08:10"),
               fly("2", "CDG", "JFK", "2025-07-01T10:00", "2025-07-01T12:30")]
    assert named(one_way, frozenset()) == "New York"


def test_as_many_nights_in_two_places_the_farther_one_wins_then_the_first():
    trip = [fly("1", "ZRH", "CDG", "2025-07-01T08:00", "2025-07-01T09:10"),
            fly("2", "CDG", "JFK", "2025-07-03T10:00", "2025-07-03T12:30"),
            fly("3", "JFK", "ZRH", "2025-07-05T18:00", "2025-07-06T08:00")]
    assert named(trip) == "New York"


def test_cities_are_localised_only_where_cldr_names_them():
    trip = [fly("1", "ZRH", "NRT", "2025-07-01T13:00", "2025-07-02T08:00"),
            fly("2", "NRT", "ZRH", "2025-07-09T10:00", "2025-07-09T17:00")]
    assert [named(trip, language=lang) for lang in ("en", "de", "ja", "pt-BR")] == \
        ["Tokyo", "Tokio", "東京", "Tóquio"]
    munich = [fly("1", "ZRH", "MUC", "2025-07-01T08:00", "2025-07-01T09:00"),
              fly("2", "MUC", "ZRH", "2025-07-03T18:00", "2025-07-03T19:00")]
    assert named(munich, language="de") == "Munich"  # its zone is Europe/Berlin: CLDR has no German name
    assert named(trip, language="xx") == named(trip, language=None) == "Tokyo"


def test_ends_are_the_first_start_and_last_end_in_their_own_zones():
    trip = [fly("1", "ZRH", "NRT", "2025-07-01T13:00", "2025-07-02T08:00"),
            hotel("2", "2025-07-02T15:00", "2025-07-05T11:00", "Asia/Tokyo"),
            car("3", "2025-06-30T09:00", "2025-06-30T10:00", "Europe/Zurich") | {"status": "cancelled"}]
    summary = summarise(trip, HOME, "de")
    assert (summary.start, summary.start_time_zone) == ("2025-07-01T13:00:00+02:00", "Europe/Zurich")
    assert (summary.end, summary.end_time_zone) == ("2025-07-05T11:00:00+09:00", "Asia/Tokyo")
    assert summary.name == "Tokio" and summary.destination.airport == "NRT"


def test_a_trip_of_cancelled_reservations_only_still_has_ends_and_a_name():
    trip = [hotel("1", "2025-07-01T15:00", "2025-07-03T11:00", "Europe/Vienna", status="cancelled")]
    summary = summarise(trip, HOME, "de")
    assert (summary.start, summary.end, summary.name) == \
        ("2025-07-01T15:00:00+02:00", "2025-07-03T11:00:00+02:00", "Österreich")


def test_a_trip_with_no_known_place_has_no_name():
    summary = summarise([hotel("1", "2025-07-01T15:00", "2025-07-03T11:00", "UTC")], HOME, "en")
    assert summary.name is None and summary.destination is None
    assert place_name(Place(None, None)) is None

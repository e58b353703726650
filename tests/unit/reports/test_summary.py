"""year_summary on hand-made reservations and trips: every figure of the contract."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from domain.reports.facts import with_departure
from domain.reports.summary import year_summary
from tests.unit.reports.making import NOW, facts, flight, stay, trip

BERLIN = "Europe/Berlin"


def summary(items, year: int = 2026, zone: str = BERLIN, home: str | None = "DE", now: datetime = NOW) -> dict:
    return year_summary(items, year, zone=zone, home=home, now=now)


def test_an_empty_year_has_zeros_nulls_and_twelve_empty_months():
    result = summary([])
    assert result["year"] == 2026 and result["time_zone"] == BERLIN and result["as_of"] == "2026-12-31T12:00:00Z"
    assert (result["trips"], result["flights"], result["distance_km"], result["air_hours"]) == (0, 0, 0, 0.0)
    assert result["airports"] == result["countries"] == result["cities"] == result["airlines"] == []
    assert result["delays"] == {"count": 0, "total_minutes": 0, "longest_minutes": 0}
    assert None is result["top_airline"] is result["top_airport"] is result["busiest_month"] is result["longest_trip"]
    assert result["months"] == [{"month": m, "trips": 0, "flights": 0, "distance_km": 0} for m in range(1, 13)]
    assert result["previous"]["year"] == 2025 and "previous" not in result["previous"]


@pytest.mark.parametrize(("origin", "destination", "km"), [
    ("JFK", "LHR", 5540), ("FRA", "NRT", 9370), ("SYD", "LAX", 12050), ("SIN", "EWR", 15340), ("CDG", "FRA", 447)])
def test_distances_are_great_circle_between_the_airports(origin, destination, km):
    result = summary(facts(flight("a", origin, destination, "2026-05-01T10:00", "2026-05-01T23:00")))
    assert result["distance_km"] == pytest.approx(km, rel=0.003)
    assert result["months"][4]["distance_km"] == result["distance_km"]


def test_countries_cities_and_airports_come_from_the_airports_flown():
    result = summary(facts(flight("a", "FRA", "JFK", "2026-05-01T10:00", "2026-05-01T13:00"),
                           flight("b", "LGA", "ORD", "2026-05-03T10:00", "2026-05-03T12:00", airline="AA"),
                           flight("c", "ORD", "LHR", "2026-05-05T18:00", "2026-05-06T08:00", airline="BA")))
    assert result["airports"] == ["FRA", "JFK", "LGA", "LHR", "ORD"]
    assert result["countries"] == ["DE", "GB", "US"]
    assert result["cities"] == ["Chicago", "Frankfurt am Main", "London", "New York"]  # as the airport data names them
    # A domestic flight is one visit to its country.
    assert result["country_visits"] == [{"code": "US", "flights": 3}, {"code": "DE", "flights": 1},
                                        {"code": "GB", "flights": 1}]


def test_home_is_a_country_only_when_flown_from_not_for_a_stay_at_home():
    at_home = facts(stay("h", "hotel", "2026-02-01T15:00", "2026-02-03T11:00", BERLIN),
                    stay("c", "car", "2026-02-05T09:00", "2026-02-06T09:00", "Europe/Paris"))
    assert summary(at_home)["countries"] == ["FR"]
    flown = at_home + facts(flight("a", "FRA", "CDG", "2026-02-04T10:00", "2026-02-04T11:15", airline="AF"))
    assert summary(flown)["countries"] == ["DE", "FR"]
    assert {"code": "FR", "flights": 1} in summary(flown)["country_visits"]


def test_air_hours_are_scheduled_block_time_across_zones_with_one_decimal():
    # FRA 10:00 (08:00 UTC) -> JFK 12:40 (16:40 UTC): 8 h 40 min; NRT-FRA 11 h 20 min.
    result = summary(facts(flight("a", "FRA", "JFK", "2026-06-01T10:00", "2026-06-01T12:40"),
                           flight("b", "NRT", "FRA", "2026-06-10T10:00", "2026-06-10T14:20")))
    assert result["air_hours"] == 20.0
    one = summary(facts(flight("a", "FRA", "CDG", "2026-06-01T10:00", "2026-06-01T11:05")))
    assert one["air_hours"] == 1.1


def test_years_and_months_are_on_the_travellers_clock():
    # 00:30 on New Year's Day in Frankfurt is 23:30 UTC on 31 December: 2026 in Berlin, 2025 in New York.
    items = facts(flight("a", "FRA", "CDG", "2026-01-01T00:30", "2026-01-01T01:45"))
    assert summary(items)["flights"] == 1 and summary(items)["months"][0]["flights"] == 1
    new_york = summary(items, zone="America/New_York")
    assert new_york["flights"] == 0 and new_york["previous"]["flights"] == 1
    assert new_york["previous"]["months"][11]["flights"] == 1


def test_only_flights_flown_by_now_count():
    items = facts(flight("a", "FRA", "CDG", "2026-03-01T10:00", "2026-03-01T11:15"),
                  flight("b", "CDG", "FRA", "2026-03-05T10:00", "2026-03-05T11:15"))
    assert summary(items, now=datetime(2026, 3, 3, tzinfo=UTC))["flights"] == 1
    assert summary(items, now=datetime(2026, 3, 6, tzinfo=UTC))["flights"] == 2


def test_a_cancelled_flight_or_stay_leaves_every_total_but_cancellations():
    kept = facts(flight("a", "FRA", "CDG", "2026-03-01T10:00", "2026-03-01T11:15"))
    cancelled = facts(flight("b", "FRA", "NRT", "2026-03-05T10:00", "2026-03-06T06:00", airline="NH",
                             status="cancelled"),
                      stay("h", "hotel", "2026-03-06T15:00", "2026-03-09T11:00", "Asia/Tokyo", status="cancelled"),
                      stay("c", "car", "2026-03-06T15:00", "2026-03-09T11:00", "Asia/Tokyo", status="cancelled"))
    with_them, without = summary(kept + cancelled), summary(kept)
    assert with_them["cancellations"] == 3 and without["cancellations"] == 0
    assert {k: v for k, v in with_them.items() if k not in ("cancellations", "previous")} == \
        {k: v for k, v in without.items() if k not in ("cancellations", "previous")}


def test_hotel_nights_are_local_dates_slept_across_dst_and_zones():
    # Europe's clocks go forward on 29 March 2026: three nights all the same.
    spring = facts(stay("h", "hotel", "2026-03-27T15:00", "2026-03-30T11:00", BERLIN))
    assert summary(spring)["hotel_nights"] == 3
    # Tokyo's dates, whatever the traveller's zone: check-in 1 May, check-out 4 May is three nights.
    tokyo = facts(stay("t", "hotel", "2026-05-01T23:30", "2026-05-04T06:00", "Asia/Tokyo"))
    assert summary(tokyo, zone="America/Los_Angeles")["hotel_nights"] == 3
    day_use = facts(stay("d", "hotel", "2026-05-01T09:00", "2026-05-01T17:00", BERLIN))
    assert summary(day_use)["hotel_nights"] == 0


def test_hotel_nights_split_across_new_year_and_count_once_come():
    items = facts(stay("h", "hotel", "2025-12-30T15:00", "2026-01-02T11:00", "America/New_York"))
    result = summary(items)
    assert (result["hotel_nights"], result["previous"]["hotel_nights"]) == (1, 2)
    ongoing = facts(stay("h", "hotel", "2026-12-29T15:00", "2027-01-03T11:00", BERLIN))
    assert summary(ongoing)["hotel_nights"] == 3   # 29, 30 and tonight (31 December); 2027's not yet


def test_car_rental_days_are_24_hour_periods_begun():
    items = facts(stay("c", "car", "2026-07-01T09:00", "2026-07-04T10:00", "America/Denver"))
    assert summary(items)["car_rental_days"] == 4
    short = facts(stay("c", "car", "2026-07-01T09:00", "2026-07-01T13:00", "America/Denver"))
    assert summary(short)["car_rental_days"] == 1
    new_year = facts(stay("c", "car", "2025-12-31T09:00", "2026-01-02T09:00", BERLIN))
    assert (summary(new_year)["car_rental_days"], summary(new_year)["previous"]["car_rental_days"]) == (1, 1)


def test_a_trip_across_new_year_counts_in_both_years_with_its_days_in_each():
    items = facts(trip("t1", "Sydney", "2025-12-28T08:00", BERLIN, "2026-01-03T20:00", "Australia/Sydney"))
    result = summary(items)
    assert result["trips"] == 1 and result["longest_trip"] == {"trip_id": "t1", "name": "Sydney", "days": 3}
    assert result["months"][0]["trips"] == 1
    assert result["previous"]["trips"] == 1
    assert result["previous"]["longest_trip"] == {"trip_id": "t1", "name": "Sydney", "days": 4}
    assert result["previous"]["months"][11]["trips"] == 1


def test_the_longest_trip_is_the_most_days_and_a_trip_not_begun_is_not_counted():
    items = facts(trip("t1", "Paris", "2026-02-01T08:00", BERLIN, "2026-02-03T20:00", BERLIN),
                  trip("t2", "Tokyo", "2026-04-01T08:00", BERLIN, "2026-04-12T20:00", "Asia/Tokyo"),
                  trip("t3", "Rome", "2026-06-01T08:00", BERLIN, "2026-06-03T20:00", BERLIN))
    result = summary(items, now=datetime(2026, 5, 1, tzinfo=UTC))
    assert result["trips"] == 2 and result["longest_trip"] == {"trip_id": "t2", "name": "Tokyo", "days": 12}
    assert summary(items)["trips"] == 3


def test_top_airline_top_airport_and_airlines_most_first():
    items = facts(flight("a", "FRA", "JFK", "2026-05-01T10:00", "2026-05-01T13:00"),
                  flight("b", "JFK", "FRA", "2026-05-04T18:00", "2026-05-05T08:00"),
                  flight("c", "FRA", "CDG", "2026-06-01T10:00", "2026-06-01T11:15", airline="AF"),
                  flight("d", "CDG", "FRA", "2026-06-02T10:00", "2026-06-02T11:15", airline="AF"),
                  flight("e", "FRA", "MUC", "2026-06-03T10:00", "2026-06-03T11:00"))
    result = summary(items)
    assert result["top_airline"] == {"code": "LH", "flights": 3}
    assert result["airlines"] == [{"code": "LH", "flights": 3}, {"code": "AF", "flights": 2}]
    assert result["top_airport"] == {"code": "FRA", "visits": 5}


def test_the_busiest_month_has_most_flights_then_trips():
    items = facts(flight("a", "FRA", "CDG", "2026-03-01T10:00", "2026-03-01T11:15"),
                  flight("b", "CDG", "FRA", "2026-03-03T10:00", "2026-03-03T11:15"),
                  flight("c", "FRA", "CDG", "2026-09-01T10:00", "2026-09-01T11:15"),
                  flight("d", "CDG", "FRA", "2026-09-03T10:00", "2026-09-03T11:15"),
                  trip("t", "Paris", "2026-09-01T08:00", BERLIN, "2026-09-03T20:00", BERLIN))
    assert summary(items)["busiest_month"] == {"month": 9, "trips": 1, "flights": 2}
    tie = summary(items[:4])["busiest_month"]
    assert tie == {"month": 3, "trips": 0, "flights": 2}


def test_delays_count_departures_15_minutes_late_or_more_on_flown_flights():
    def late(rid: str, minutes: int, status: str = "confirmed") -> dict:
        (fact,) = facts(flight(rid, "FRA", "CDG", "2026-04-01T10:00", "2026-04-01T11:15", status=status))
        scheduled = datetime.fromisoformat(fact["dep"])
        return with_departure(fact, {"utc": (scheduled.replace(minute=minutes)).isoformat()})

    items = [late("a", 14), late("b", 15), late("c", 50), late("d", 59, status="cancelled")]
    assert summary(items)["delays"] == {"count": 2, "total_minutes": 65, "longest_minutes": 50}


def test_the_previous_year_has_the_same_figures():
    items = facts(flight("a", "FRA", "JFK", "2025-05-01T10:00", "2025-05-01T13:00"),
                  flight("b", "FRA", "CDG", "2026-05-01T10:00", "2026-05-01T11:15"))
    result = summary(items)
    assert (result["flights"], result["countries"]) == (1, ["DE", "FR"])
    previous = result["previous"]
    assert (previous["year"], previous["flights"], previous["countries"]) == (2025, 1, ["DE", "US"])
    assert previous["distance_km"] == pytest.approx(6188, abs=1)
    assert set(previous) == set(result) - {"previous"}


def test_an_edited_flight_moves_between_years():
    before = facts(flight("a", "FRA", "CDG", "2025-12-30T10:00", "2025-12-30T11:15"))
    after = facts(flight("a", "FRA", "CDG", "2026-01-02T10:00", "2026-01-02T11:15"))
    assert (summary(before)["flights"], summary(before)["previous"]["flights"]) == (0, 1)
    assert (summary(after)["flights"], summary(after)["previous"]["flights"]) == (1, 0)


def test_a_rental_across_years_counts_its_days_in_each_without_walking_them():
    # A year from 1 July 2025: 184 days begin in 2025, 181 in 2026.
    items = facts(stay("c", "car", "2025-07-01T09:00", "2026-07-01T09:00", BERLIN))
    result = summary(items)
    assert (result["car_rental_days"], result["previous"]["car_rental_days"]) == (181, 184)
    endless = summary(facts(stay("c", "car", "2025-07-01T09:00", "2199-07-01T09:00", BERLIN)))
    assert endless["car_rental_days"] + endless["previous"]["car_rental_days"] == 400   # the first 400 days
    # 24-hour periods from 09:00 summer time (07:00 UTC): 2026's first begins at 08:00 in Berlin's winter.
    assert summary(items, now=datetime(2026, 1, 1, 6, 59, tzinfo=UTC))["car_rental_days"] == 0
    assert summary(items, now=datetime(2026, 1, 1, 7, tzinfo=UTC))["car_rental_days"] == 1

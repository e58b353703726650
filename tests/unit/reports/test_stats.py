"""The traveller-year-stats record: the year's figures under a pseudonym, with nothing personal."""

from __future__ import annotations

import hashlib
import hmac
import json
from pathlib import Path

from jsonschema import Draft202012Validator

from domain.reports.stats import pseudonym, stats_key, year_stats
from domain.reports.summary import figures
from tests.unit.reports.making import NOW, facts, flight, trip

USER = "a" * 32


def test_the_pseudonym_is_the_first_32_hex_digits_of_the_hmac_of_the_user_id():
    expected = hmac.new(b"key", USER.encode(), hashlib.sha256).hexdigest()[:32]
    assert pseudonym(USER, "key") == expected and len(expected) == 32
    assert pseudonym(USER, "other key") != expected and pseudonym("b" * 32, "key") != expected
    assert stats_key(expected, 2026) == f"{expected}/2026"


def test_the_record_counts_airports_names_codes_and_leaves_names_out():
    year = figures(facts(flight("a", "FRA", "JFK", "2026-05-01T10:00", "2026-05-01T13:00"),
                         trip("t", "Mum's birthday", "2026-05-01T08:00", "Europe/Berlin", "2026-05-04T20:00",
                              "America/New_York")), 2026, zone="Europe/Berlin", home="DE", now=NOW)
    record = year_stats(year, "p" * 32, "2026-12-31T12:00:00Z")
    assert record == {
        "schema_version": 1, "pseudonym": "p" * 32, "year": 2026, "trips": 1, "flights": 1,
        "distance_km": year["distance_km"], "air_hours": 9.0, "airports": 2, "countries": ["DE", "US"],
        "hotel_nights": 0, "car_rental_days": 0, "delays": {"count": 0, "total_minutes": 0, "longest_minutes": 0},
        "cancellations": 0, "top_airline": "LH", "busiest_month": 5, "longest_trip_days": 4,
        "updated_at": "2026-12-31T12:00:00Z"}
    assert "Mum" not in repr(record)


def test_the_record_matches_its_schema_with_figures_and_without():
    schema = json.loads((Path(__file__).parents[3] / "schemas" / "traveller-year-stats.json").read_text())
    Draft202012Validator.check_schema(schema)
    check = Draft202012Validator(schema)
    busy = figures(facts(flight("a", "FRA", "JFK", "2026-05-01T10:00", "2026-05-01T13:00"),
                         trip("t", "NY", "2026-05-01T08:00", "Europe/Berlin", "2026-05-04T20:00", "America/New_York")),
                   2026, zone="Europe/Berlin", home="DE", now=NOW)
    empty = figures([], 2026, zone="Europe/Berlin", home=None, now=NOW)
    for year in (busy, empty):
        check.validate(year_stats(year, "0f" * 16, "2026-12-31T12:00:00.000Z"))

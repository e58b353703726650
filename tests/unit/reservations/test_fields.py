"""Validation of a reservation's fields: every field, its error path, zones and times at the place."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.common.errors import ValidationError
from domain.common.timestamps import to_utc
from domain.reservations.fields import (
    SOURCES,
    STATUSES,
    SUB_FIELDS,
    TOP_FIELDS,
    TYPES,
    check,
)


def flight(**changes) -> dict:
    base = {"type": "flight", "confirmation": "ABC123", "travellers": ["Ada Lovelace"],
            "start": "2025-07-01T10:00:00", "end": "2025-07-01T12:30:00",
            "flight": {"airline": "AF", "number": "22", "from": "CDG", "to": "JFK"}}
    return {**base, **changes}


def hotel(**changes) -> dict:
    base = {"type": "hotel", "start": "2025-07-01T15:00", "end": "2025-07-03T11:00",
            "start_time_zone": "Europe/Paris", "hotel": {"name": "Hôtel du Nord"}}
    return {**base, **changes}


def car(**changes) -> dict:
    base = {"type": "car", "start": "2025-07-01T09:00", "end": "2025-07-05T09:00",
            "start_time_zone": "America/Denver", "car": {"company": "Hertz"}}
    return {**base, **changes}


def errors_of(fields: dict) -> dict[str, str]:
    with pytest.raises(ValidationError) as caught:
        check(fields)
    return {e["field"]: e["message"] for e in caught.value.errors}


def test_vocabularies():
    assert TYPES == ("flight", "hotel", "car")
    assert STATUSES == ("confirmed", "cancelled", "pending", "hold")
    assert SOURCES == ("manual", "email", "provider")
    assert set(SUB_FIELDS) == set(TYPES) <= TOP_FIELDS


def test_a_flight_is_normalised():
    out = check(flight(flight={"airline": "af", "number": "22a", "from": "cdg", "to": " jfk "}))
    assert out["flight"] == {"airline": "AF", "number": "22A", "from": "CDG", "to": "JFK"}
    assert (out["start_time_zone"], out["end_time_zone"]) == ("Europe/Paris", "America/New_York")
    assert (out["start"], out["end"]) == ("2025-07-01T10:00:00+02:00", "2025-07-01T12:30:00-04:00")
    assert (out["status"], out["source"], out["travellers"]) == ("confirmed", "manual", ["Ada Lovelace"])


def test_null_is_the_same_as_leaving_a_field_out():
    nulls = {"status": None, "confirmation": None, "provider": None, "travellers": None, "notes": None,
             "end_time_zone": None, "hotel": None, "flight": None}
    assert check({**car(), **nulls}) == check(car())
    assert errors_of({**car(), "car": None, "start": None}) == {
        "car": "is required for a car reservation and must be an object", "start": "is required"}


def test_a_flights_zones_come_from_its_airports_whatever_the_client_said():
    out = check(flight(start_time_zone="Asia/Tokyo", end_time_zone="Not/A_Zone"))
    assert (out["start_time_zone"], out["end_time_zone"]) == ("Europe/Paris", "America/New_York")


def test_offset_times_are_moved_to_the_airports_zones():
    out = check(flight(start="2025-07-01T08:00:00Z", end="2025-07-01T16:30:00+00:00"))
    assert (out["start"], out["end"]) == ("2025-07-01T10:00:00+02:00", "2025-07-01T12:30:00-04:00")


def test_winter_times_take_the_winter_offset():
    out = check(flight(start="2025-01-10T10:00", end="2025-01-10T12:30"))
    assert (out["start"], out["end"]) == ("2025-01-10T10:00:00+01:00", "2025-01-10T12:30:00-05:00")


def test_an_overnight_flight_lands_the_next_day():
    out = check(flight(start="2025-07-01T22:00", end="2025-07-02T11:40",
                       flight={"airline": "DL", "number": "264", "from": "JFK", "to": "CDG"}))
    assert to_utc(out["end"]) - to_utc(out["start"]) == timedelta(hours=7, minutes=40)


def test_a_flight_may_land_at_an_earlier_clock_time_than_it_left():
    # Tokyo 21:00 is 12:00 UTC; Honolulu 09:00 the same date is 19:00 UTC: across the date line.
    out = check(flight(start="2025-07-01T21:00", end="2025-07-01T09:00",
                       flight={"airline": "HA", "number": "822", "from": "NRT", "to": "HNL"}))
    assert out["end"] == "2025-07-01T09:00:00-10:00"


def test_end_before_start_is_refused_on_end():
    assert errors_of(flight(end="2025-07-01T03:59")) == {"end": "must not be before start"}
    assert errors_of(hotel(end="2025-06-30T11:00")) == {"end": "must not be before start"}


def test_end_equal_to_start_is_allowed():
    out = check(car(end="2025-07-01T17:00:00+02:00", start="2025-07-01T09:00"))
    assert out["end"] == "2025-07-01T09:00:00-06:00"


def test_a_hotel_ends_in_its_start_zone_unless_told_otherwise():
    out = check(hotel())
    assert out["end_time_zone"] == "Europe/Paris"
    assert (out["start"], out["end"]) == ("2025-07-01T15:00:00+02:00", "2025-07-03T11:00:00+02:00")


def test_a_one_way_car_hire_ends_in_another_zone():
    out = check(car(end_time_zone="America/Los_Angeles", end="2025-07-05T09:00:00Z"))
    assert out["end"] == "2025-07-05T02:00:00-07:00"
    assert out["start"] == "2025-07-01T09:00:00-06:00"


@pytest.mark.parametrize("make", [hotel, car])
def test_hotels_and_cars_need_a_zone(make):
    fields = make()
    del fields["start_time_zone"]
    assert set(errors_of(fields)) >= {"start_time_zone"}
    assert errors_of(make(start_time_zone="Mars/Olympus_Mons"))["start_time_zone"].startswith("must be an IANA")
    assert errors_of(make(end_time_zone="Europe/Atlantis")) == {
        "end_time_zone": "must be an IANA time zone such as Europe/Paris"}


@pytest.mark.parametrize("make", [flight, hotel, car])
@pytest.mark.parametrize("end", ["start", "end"])
def test_start_and_end_are_required(make, end):
    fields = make()
    del fields[end]
    assert errors_of(fields) == {end: "is required"}


@pytest.mark.parametrize("value", ["next tuesday", "2025-02-30T10:00", 1751364000, ["2025-07-01"]])
def test_times_must_be_iso_8601(value):
    assert errors_of(hotel(start=value)) == {"start": "must be an ISO 8601 date-time"}


def test_unknown_fields_are_named_at_their_path():
    errors = errors_of(flight(colour="red", flight={"airline": "AF", "number": "22", "from": "CDG",
                                                     "to": "JFK", "meal": "veg"}))
    assert errors == {"colour": "unknown field", "flight.meal": "unknown field"}


@pytest.mark.parametrize("kind,missing", [("flight", "airline"), ("flight", "number"), ("flight", "from"),
                                          ("flight", "to"), ("hotel", "name"), ("car", "company")])
def test_required_details(kind, missing):
    fields = {"flight": flight, "hotel": hotel, "car": car}[kind]()
    del fields[kind][missing]
    assert errors_of(fields)[f"{kind}.{missing}"] == "is required"


@pytest.mark.parametrize("make", [flight, hotel, car])
def test_the_detail_object_is_required(make):
    fields = make()
    kind = fields["type"]
    fields[kind] = "yes"
    assert errors_of(fields)[kind] == f"is required for a {kind} reservation and must be an object"


def test_another_types_details_are_refused():
    assert errors_of(hotel(car={"company": "Hertz"})) == {"car": "not allowed on a hotel reservation"}


def test_optional_details_are_kept_and_trimmed():
    out = check(hotel(hotel={"name": " Ritz ", "address": "15 Place Vendôme", "phone": "+33 1 43 16 30 30"}))
    assert out["hotel"] == {"name": "Ritz", "address": "15 Place Vendôme", "phone": "+33 1 43 16 30 30"}
    seat = {"airline": "AF", "number": "22", "from": "CDG", "to": "JFK", "seat": "12A", "departure_gate": None}
    assert check(flight(flight=seat))["flight"]["seat"] == "12A"
    assert "departure_gate" not in check(flight(flight=seat))["flight"]


@pytest.mark.parametrize("airline", ["A", "AFR", "A-", "ÅF"])
def test_airline_codes(airline):
    assert errors_of(flight(flight={"airline": airline, "number": "22", "from": "CDG", "to": "JFK"})) == {
        "flight.airline": "must be a 2-character IATA airline code"}


@pytest.mark.parametrize("number", ["12345", "AB12", "12AB", "-1", "1 2"])
def test_flight_numbers(number):
    assert errors_of(flight(flight={"airline": "U2", "number": number, "from": "CDG", "to": "JFK"})) == {
        "flight.number": "must be 1-4 digits, optionally a letter"}


@pytest.mark.parametrize("end", ["from", "to"])
@pytest.mark.parametrize("code", ["ZZZ", "PARIS", "C D"])
def test_airports_must_be_known_iata_codes(end, code):
    fields = flight()
    fields["flight"] = {**fields["flight"], end: code}
    # No zone error on top: the airport error already says what is wrong.
    assert errors_of(fields) == {f"flight.{end}": "must be a known IATA airport code"}


def test_an_unknown_type_is_the_only_error_whatever_details_come_with_it():
    # With no valid type there is no telling which detail object is the wrong one.
    assert errors_of(hotel(type="boat", car={"company": "Hertz"})) == {"type": "must be one of flight, hotel, car"}


@pytest.mark.parametrize("name", ["type", "status", "source"])
def test_enumerations(name):
    assert errors_of(hotel(**{name: "bogus"}))[name].startswith("must be one of")
    fields = hotel()
    del fields["type"]
    assert "type" in errors_of(fields)


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("source", SOURCES)
def test_every_status_and_source_is_accepted(status, source):
    out = check(car(status=status, source=source))
    assert (out["status"], out["source"]) == (status, source)


@pytest.mark.parametrize("name,limit", [("confirmation", 200), ("provider", 200), ("notes", 2000)])
def test_text_fields(name, limit):
    assert check(car(**{name: "  x  "}))[name] == "x"
    assert check(car(**{name: "y" * limit}))[name] == "y" * limit
    assert errors_of(car(**{name: "y" * (limit + 1)})) == {name: f"must be at most {limit} characters"}
    assert errors_of(car(**{name: "   "})) == {name: "must be a non-empty string"}
    assert errors_of(car(**{name: 42})) == {name: "must be a non-empty string"}
    assert name not in check(car(**{name: None}))


@pytest.mark.parametrize("name,limit", [("confirmation", 200), ("provider", 200), ("notes", 2000)])
def test_text_length_is_counted_after_trimming(name, limit):
    assert check(car(**{name: "  " + "y" * limit + "\n"}))[name] == "y" * limit
    assert check(hotel(hotel={"name": " " + "h" * 200 + " "}))["hotel"]["name"] == "h" * 200


def test_travellers():
    assert check(car())["travellers"] == []
    assert check(car(travellers=[" Ada ", "Grace"]))["travellers"] == ["Ada", "Grace"]
    assert errors_of(car(travellers="Ada")) == {"travellers": "must be a list of at most 20 names"}
    assert errors_of(car(travellers=["x"] * 21)) == {"travellers": "must be a list of at most 20 names"}
    assert check(car(travellers=["x"] * 20))["travellers"] == ["x"] * 20
    assert check(car(travellers=[" " + "z" * 200 + " "]))["travellers"] == ["z" * 200]
    assert errors_of(car(travellers=["Ada", " ", 7, "z" * 201])) == {
        "travellers[1]": "must be a non-empty name", "travellers[2]": "must be a non-empty name",
        "travellers[3]": "must be a non-empty name"}


def test_every_bad_field_is_reported_at_once():
    errors = errors_of({"type": "hotel", "status": "maybe", "travellers": [""], "hotel": {"stars": 5},
                        "start": "2025-07-01T15:00", "start_time_zone": "Nowhere", "wifi": True})
    assert set(errors) == {"status", "travellers[0]", "hotel.stars", "hotel.name", "start_time_zone",
                           "end_time_zone", "wifi"}


def test_check_does_not_change_its_input():
    fields = flight(flight={"airline": "af", "number": "22", "from": "cdg", "to": "jfk"})
    snapshot = repr(fields)
    check(fields)
    assert repr(fields) == snapshot


# Scalars and containers a JSON body can carry, in any field, "type" included.
JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
                    max_leaves=6)


@given(st.sampled_from([flight(), hotel(), car()]),
       st.dictionaries(st.sampled_from(sorted(TOP_FIELDS) + ["extra"]), JSON, max_size=4))
def test_any_json_either_validates_or_is_refused_field_by_field(base, garbage):
    try:
        check({**base, **garbage})
    except ValidationError as exc:
        assert exc.errors and all(set(e) == {"field", "message"} for e in exc.errors)


@pytest.mark.parametrize("kind", [["flight"], {"a": 1}, 7, None])
def test_a_type_of_any_json_shape_is_a_validation_error(kind):
    # A list or object is unhashable: it must come back as a field error, not a TypeError.
    assert errors_of(hotel(type=kind)) == {"type": "must be one of flight, hotel, car"}


@pytest.mark.parametrize("start", ["9999-12-31T23:00:00-05:00", "0001-01-01T00:30:00+01:00", "9999-12-31T23:00",
                                   "1899-12-31T23:00", "2201-01-01T00:00", "2200-12-31T23:30:00-01:00"])
def test_a_time_outside_the_years_a_trip_can_have_is_a_validation_error(start):
    # The last one is 2200 as written but 2201 at the place: what is stored is what must be in range.
    assert errors_of(car(start=start, start_time_zone="Europe/Paris", end_time_zone="UTC")) == {
        "start": "must be in the years 1900 to 2200"}


def test_the_first_and_last_years_are_accepted():
    out = check(car(start="1900-01-01T00:00", end="2200-12-31T23:59:59", start_time_zone="UTC"))
    assert (out["start"], out["end"]) == ("1900-01-01T00:00:00+00:00", "2200-12-31T23:59:59+00:00")


AIRPORTS = st.sampled_from(["CDG", "JFK", "NRT", "HNL", "SYD", "LHR", "DEL", "SCL", "AKL", "ANC", "KTM"])
INSTANTS = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2040, 1, 1),
                        timezones=st.sampled_from([UTC, timezone(timedelta(hours=5, minutes=45))]))


@given(AIRPORTS, AIRPORTS, INSTANTS, st.integers(0, 20 * 60).map(lambda m: timedelta(minutes=m)))
def test_check_is_idempotent_and_keeps_the_instants(origin, destination, start, duration):
    start = start.replace(microsecond=0)
    fields = flight(start=start.isoformat(), end=(start + duration).isoformat(),
                    flight={"airline": "XX", "number": "1", "from": origin, "to": destination})
    out = check(fields)
    assert check(out) == out
    assert (to_utc(out["start"]), to_utc(out["end"])) == (start, start + duration)


def test_a_naive_time_in_a_dst_gap_is_normalised_once_and_for_all():
    # 02:30 does not exist in Paris that night: stored as the clock shows it after the jump.
    out = check(car(start="2025-03-30T02:30", start_time_zone="Europe/Paris"))
    assert out["start"] == "2025-03-30T03:30:00+02:00"
    assert check(out) == out


def test_end_before_start_compares_instants_across_the_autumn_fold():
    # 01:50 EDT is 05:50 UTC; 01:10 EST is 06:10 UTC: twenty minutes later.
    out = check(car(start="2025-11-02T01:50:00-04:00", end="2025-11-02T01:10:00-05:00",
                    start_time_zone="America/New_York"))
    assert to_utc(out["end"]) - to_utc(out["start"]) == timedelta(minutes=20)
    assert errors_of(car(start="2025-11-02T01:10:00-05:00", end="2025-11-02T01:50:00-04:00",
                         start_time_zone="America/New_York")) == {"end": "must not be before start"}

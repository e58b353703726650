"""The iCalendar feed, read back with icalendar's own parser: zones across DST, UIDs, SEQUENCE, secrets left out."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import icalendar

from domain.reservations.fields import check
from domain.trips.calendar import feed

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)


def booked(rid: str, version: int = 1, **fields) -> dict:
    """A reservation as the API shows it: checked and normalised by the reservations rules."""
    return {"id": rid, "version": version, "updated_at": "2027-02-01T10:00:00Z", **check(fields)}


def flight(rid: str = "r1", day: str = "2027-03-27", **overrides) -> dict:
    fields = {"type": "flight", "confirmation": "ABC123", "travellers": ["Ann", "Bob Other"],
              "start": f"{day}T10:00", "end": f"{day}T12:40",
              "flight": {"airline": "LH", "number": "400", "from": "FRA", "to": "JFK", "seat": "12A"}}
    return booked(rid, **{**fields, **overrides})


def hotel(rid: str = "h1", **overrides) -> dict:
    fields = {"type": "hotel", "confirmation": "HX-99", "start": "2027-03-27T15:00", "end": "2027-03-30T11:00",
              "start_time_zone": "America/New_York", "notes": "late arrival, pay on site",
              "hotel": {"name": "The Jane", "address": "113 Jane St", "phone": "+1 212 000 0000"}}
    return booked(rid, **{**fields, **overrides})


def events(document: bytes) -> dict[str, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(document)
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def zones_of(document: bytes) -> dict[str, icalendar.Timezone]:
    return {str(tz["TZID"]): tz for tz in icalendar.Calendar.from_ical(document).walk("VTIMEZONE")}


def test_a_flight_starts_in_the_departure_zone_and_ends_in_the_arrival_zone():
    document = feed([flight()], NOW)
    (item,) = events(document).values()
    start, end = item.decoded("DTSTART"), item.decoded("DTEND")
    assert item["DTSTART"].params["TZID"] == "Europe/Berlin" and item["DTEND"].params["TZID"] == "America/New_York"
    assert (start.hour, start.minute, end.hour, end.minute) == (10, 0, 12, 40)   # the clocks at each airport
    assert start.astimezone(UTC) == datetime(2027, 3, 27, 9, 0, tzinfo=UTC)
    assert end.astimezone(UTC) == datetime(2027, 3, 27, 16, 40, tzinfo=UTC)
    assert set(zones_of(document)) == {"Europe/Berlin", "America/New_York"}


def test_the_vtimezones_follow_each_zone_across_its_own_dst_change():
    # 27 March 2027: New York already on summer time (since 14 March), Frankfurt not until the 28th.
    before, after = flight("r1", "2027-03-27"), flight("r2", "2027-03-29")
    document = feed([before, after], NOW)
    found, zones = events(document), zones_of(document)
    for rid, berlin_hours in (("r1", 1), ("r2", 2)):
        item = found[f"{rid}@roadwarrior.example"]
        for name, hours in (("DTSTART", berlin_hours), ("DTEND", -4)):
            # The offset the feed's own VTIMEZONE gives, as a calendar app without a zone database reads it.
            moment = item.decoded(name).replace(tzinfo=None)
            rules = zones[item[name].params["TZID"]].to_tz()
            assert rules.utcoffset(moment).total_seconds() == hours * 3600, (rid, name)
            local = moment.replace(tzinfo=ZoneInfo(str(item[name].params["TZID"])))
            assert local.utcoffset() == rules.utcoffset(moment)


def test_the_uid_stays_and_the_sequence_goes_up_with_every_change():
    first = events(feed([flight(version=1)], NOW))["r1@roadwarrior.example"]
    moved = events(feed([flight(version=3, start="2027-03-27T11:00", end="2027-03-27T13:40")], NOW))
    later = moved["r1@roadwarrior.example"]
    assert (first["SEQUENCE"], later["SEQUENCE"]) == (0, 2)
    assert later.decoded("DTSTART").hour == 11


def test_a_cancelled_reservation_stays_in_the_feed_as_cancelled():
    found = events(feed([flight(status="cancelled"), hotel(status="pending"), hotel("h2")], NOW))
    assert [str(found[f"{rid}@roadwarrior.example"]["STATUS"]) for rid in ("r1", "h1", "h2")] == \
        ["CANCELLED", "TENTATIVE", "CONFIRMED"]


def test_a_hotel_runs_from_check_in_to_check_out_in_its_zone_with_the_trip_name():
    item = events(feed([hotel()], NOW, trip_names={"h1": "New York"}))["h1@roadwarrior.example"]
    assert item["DTSTART"].params["TZID"] == "America/New_York" == item["DTEND"].params["TZID"]
    assert (item.decoded("DTSTART").hour, item.decoded("DTEND").day) == (15, 30)
    assert str(item["SUMMARY"]) == "Hotel: The Jane" and str(item["LOCATION"]) == "The Jane, 113 Jane St"
    assert str(item["DESCRIPTION"]).splitlines() == ["Trip: New York", "Confirmation: HX-99",
                                                     "late arrival, pay on site"]


def test_a_car_runs_from_pick_up_to_drop_off_where_each_happens():
    car = booked("c1", type="car", start="2027-03-28T09:00+02:00", end="2027-03-29T18:00",
                 start_time_zone="Europe/Berlin", end_time_zone="Europe/Paris",
                 car={"company": "Sixt", "pickup_location": "FRA T1", "dropoff_location": "CDG T2"})
    item = events(feed([car], NOW))["c1@roadwarrior.example"]
    assert (item["DTSTART"].params["TZID"], item["DTEND"].params["TZID"]) == ("Europe/Berlin", "Europe/Paris")
    assert str(item["SUMMARY"]) == "Car: Sixt" and str(item["LOCATION"]) == "FRA T1"


def test_the_owners_feed_has_the_booking_details_and_the_latest_tracked_status():
    tracked = {"r1": {"snapshot": {"kind": "flight", "status": "delayed"}}}
    item = events(feed([flight()], NOW, tracked=tracked))["r1@roadwarrior.example"]
    assert str(item["DESCRIPTION"]).splitlines() == ["Latest status: delayed", "Confirmation: ABC123",
                                                     "Travellers: Ann, Bob Other"]
    assert str(item["SUMMARY"]) == "Flight LH 400: FRA → JFK"


def test_a_shared_trips_feed_keeps_out_codes_names_notes_addresses_and_unknown_fields():
    reservations = [{**flight(), "price": "812.40 EUR"}, hotel()]
    document = feed(reservations, NOW, trip_names={"r1": "New York", "h1": "New York"}, shared=True)
    text = document.decode()
    for secret in ("ABC123", "HX-99", "Bob Other", "Ann", "812.40", "113 Jane St", "late arrival", "12A", "+1 212"):
        assert secret not in text, secret
    found = events(document)
    assert str(found["h1@roadwarrior.example"]["DESCRIPTION"]) == "Trip: New York"
    assert str(found["r1@roadwarrior.example"]["SUMMARY"]) == "Flight LH 400: FRA → JFK"   # what to follow stays
    assert found["r1@roadwarrior.example"]["SEQUENCE"] == 0


def test_deleted_reservations_are_left_out_and_an_empty_feed_is_a_valid_calendar():
    document = feed([{"id": "r9", "version": 4, "deleted": True}], NOW, name="Ann's trips")
    calendar = icalendar.Calendar.from_ical(document)
    assert calendar.walk("VEVENT") == [] and calendar.walk("VTIMEZONE") == []
    assert (str(calendar["VERSION"]), str(calendar["X-WR-CALNAME"])) == ("2.0", "Ann's trips")
    assert b"\r\nX-PUBLISHED-TTL:PT1H\r\n" in document and b"REFRESH-INTERVAL;VALUE=DURATION:PT1H" in document


def test_every_event_is_stamped_with_the_time_the_feed_was_made():
    item = events(feed([flight()], NOW))["r1@roadwarrior.example"]
    assert item.decoded("DTSTAMP") == NOW
    assert item.decoded("LAST-MODIFIED") == datetime(2027, 2, 1, 10, 0, tzinfo=UTC)

"""Extraction rules: passengers and segments, each end's own zone, fallbacks, keys and the merge decision."""

from __future__ import annotations

import copy
import json
from datetime import datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from commands.extract_email import extract_file
from domain.mail.extract.reservations import ExtractedReservation, email_key, extract_reservations
from domain.mail.extract.schema import status_of
from domain.mail.extract.zones import place_zone
from domain.mail.merge import merge_decision

SAMPLES = Path(__file__).parents[4].parent / "shared" / "data" / "reservation-samples"
GMAIL_FLIGHT = json.loads((SAMPLES / "email-markup" / "flight_cancelled.jsonld").read_text())[0]


def mail(html: str | None = None, text: str = "Your booking", date: str = "Tue, 14 Sep 2021 17:00:00 +0200") -> bytes:
    message = EmailMessage()
    message["From"], message["Subject"], message["Date"] = "Airline <a@example.com>", "Booking", date
    message.set_content(text)
    if html is not None:
        message.add_alternative(html, subtype="html")
    return message.as_bytes()


def markup(*items: dict) -> str:
    return f'<html><head><script type="application/ld+json">{json.dumps(list(items))}</script></head></html>'


def flight(passenger: str, seat: str, number: str = "110", departure: str = "2027-03-04T20:15:00-08:00",
           arrival: str = "2027-03-05T06:30:00-05:00", origin: str = "SFO", destination: str = "JFK") -> dict:
    item = copy.deepcopy(GMAIL_FLIGHT)
    item["reservationStatus"] = "http://schema.org/Confirmed"
    item["underName"], item["airplaneSeat"] = {"@type": "Person", "name": passenger}, seat
    booked = item["reservationFor"]
    booked["flightNumber"], booked["departureTime"], booked["arrivalTime"] = number, departure, arrival
    booked["departureAirport"]["iataCode"], booked["arrivalAirport"]["iataCode"] = origin, destination
    return item


def only(html: str) -> dict:
    (reservation,) = extract_reservations(mail(html)).reservations
    return reservation


def test_one_reservation_per_segment_listing_every_passenger():
    back = {"number": "111", "departure": "2027-03-10T08:00:00-05:00", "arrival": "2027-03-10T11:30:00-08:00",
            "origin": "JFK", "destination": "SFO"}
    html = markup(flight("Eva Green", "9A"), flight("John Smith", "9B"),
                  flight("Eva Green", "20C", **back), flight("John Smith", "20D", **back))
    result = extract_reservations(mail(html))
    assert [r["flight"]["number"] for r in result.reservations] == ["110", "111"]
    assert all(r["travellers"] == ["Eva Green", "John Smith"] for r in result.reservations)
    assert [r["flight"]["seat"] for r in result.reservations] == ["9A, 9B", "20C, 20D"]
    assert len({e.email_key for e in result.extracted}) == 2


def test_under_name_list_and_duplicate_markup_give_one_reservation():
    item = flight("Eva Green", "9A")
    item["underName"] = [{"@type": "Person", "givenName": "Eva", "familyName": "Green"}, {"name": "Max Mustermann"}]
    html = markup(item).replace("</head>", "</head>" + _microdata_copy())
    assert only(html)["travellers"] == ["Eva Green", "Max Mustermann"]


def _microdata_copy() -> str:
    return (SAMPLES / "email-markup" / "flight_basic_microdata.html").read_text()


def test_overnight_flight_arriving_two_days_later_keeps_each_end_in_its_zone():
    reservation = only(markup(flight("Eva Green", "1A", "11", "2027-03-04T22:30:00", "2027-03-06T07:00:00",
                                     "LAX", "SYD")))
    assert (reservation["start"], reservation["end"]) == ("2027-03-04T22:30:00-08:00", "2027-03-06T07:00:00+11:00")
    assert (reservation["start_time_zone"], reservation["end_time_zone"]) == ("America/Los_Angeles", "Australia/Sydney")


def test_arrival_printed_with_the_departure_date_rolls_across_the_date_line():
    reservation = only(markup(flight("Eva Green", "1A", "11", "2027-03-04T22:30:00", "2027-03-04T07:00:00",
                                     "LAX", "SYD")))
    assert reservation["end"] == "2027-03-06T07:00:00+11:00"


@pytest.mark.parametrize(("departure", "start"), [
    ("2027-07-04T20:15:00", "2027-07-04T20:15:00-07:00"),  # naive: local time at the airport
    ("2027-07-04T20:15:00-08:00", "2027-07-04T20:15:00-07:00"),  # winter offset in July: the wall clock counts
    ("2027-07-05T03:15:00Z", "2027-07-04T20:15:00-07:00"),  # airline systems' UTC: a real instant
    ({"@type": "QDateTime", "@value": "2027-07-05T05:15:00+02:00", "timezone": "Europe/Paris"},
     "2027-07-04T20:15:00-07:00"),  # a named zone that agrees with its offset vouches for the instant
])
def test_departure_time_is_read_in_the_departure_airports_zone(departure, start):
    item = flight("Eva Green", "1A", departure=departure, arrival="2027-07-05T06:30:00-04:00")
    assert only(markup(item))["start"] == start


@pytest.mark.parametrize(("value", "status"), [
    ("http://schema.org/Confirmed", "confirmed"), ("https://schema.org/ReservationConfirmed", "confirmed"),
    ("http://schema.org/Cancelled", "cancelled"), ("ReservationCancelled", "cancelled"),
    ("https://schema.org/ReservationHold", "hold"), ("https://schema.org/ReservationPending", "pending"),
    ({"@id": "http://schema.org/ReservationCancelled"}, "cancelled"), (None, "confirmed"),
])
def test_status_of_both_dialects(value, status):
    assert status_of(value) == status


def test_unsupported_reservations_are_skipped_and_other_markup_ignored():
    train = {"@context": "http://schema.org", "@type": "TrainReservation", "reservationNumber": "T1",
             "reservationFor": {"@type": "TrainTrip", "trainNumber": "ICE 1"}}
    email_message = {"@context": "http://schema.org", "@type": "EmailMessage", "description": "View booking"}
    result = extract_reservations(mail(markup(train, email_message)))
    assert result.reservations == []
    assert result.skipped == ("TrainReservation T1: TrainTrip booking is not supported",
                              "plain text names no flight number with an airline code")


def test_plain_text_fallback_reads_reference_flight_airports_and_times():
    text = ("Thank you for booking.\nBooking reference: QX7P2B\n\nFlight LH 400 Frankfurt (FRA) to New York (JFK)\n"
            "Departure: 12 Jun 2027 10:05\nArrival: 12 Jun 2027 12:45\n\n"
            "Flight LH 401 New York (JFK) to Frankfurt (FRA)\nDeparture: Jun 20, 2027 5:55 PM\n"
            "Arrival: Jun 21, 2027 7:40 AM\n")
    result = extract_reservations(mail(text=text))
    out, back = result.reservations
    assert (out["confirmation"], out["flight"]["airline"], out["flight"]["number"]) == ("QX7P2B", "LH", "400")
    assert (out["start"], out["end"]) == ("2027-06-12T10:05:00+02:00", "2027-06-12T12:45:00-04:00")
    assert (back["start"], back["end"]) == ("2027-06-20T17:55:00-04:00", "2027-06-21T07:40:00+02:00")


def test_html_without_markup_falls_back_to_its_visible_text():
    html = ("<html><body><p>Booking reference: <b>QX7P2B</b></p><table><tr><td>Flight UA 110</td>"
            "<td>SFO</td><td>JFK</td><td>2027-03-04T20:15</td><td>2027-03-05T06:30</td></tr></table></body></html>")
    reservation = only(html)
    assert (reservation["confirmation"], reservation["flight"]["from"], reservation["end"]) == \
        ("QX7P2B", "SFO", "2027-03-05T06:30:00-05:00")


def test_nothing_found_has_a_reason():
    result = extract_reservations(mail(text="Lunch on Friday?"))
    assert result.reason == "no reservation found: plain text names no flight number with an airline code"


def test_received_at_orders_the_mail_over_its_date_header():
    result = extract_reservations(mail(markup(flight("Eva Green", "1A"))), received_at="2027-01-02T03:04:05+01:00")
    assert result.extracted[0].message_date == result.message_date == "2027-01-02T02:04:05Z"


def test_keys_name_booking_and_segment():
    hotel = {"type": "hotel", "confirmation": " ab c1 ", "start": "2027-05-01T15:00:00+02:00",
             "hotel": {"name": "Glo Hotel Sello"}}
    assert email_key(hotel) == "ABC1|hotel|glohotelsello"
    moved = {**hotel, "start": "2027-05-03T15:00:00+02:00"}
    assert email_key(moved) == email_key(hotel)  # a mail moving the stay updates the same reservation
    assert email_key({**hotel, "confirmation": ""}) == "|hotel|glohotelsello|2027-05-01"
    car = {"type": "car", "confirmation": "546323", "start": "2027-08-05T16:00:00-07:00", "car": {"company": "Hertz"}}
    assert email_key(car) == "546323|car|hertz"
    # Flights key on the local departure date: SFO 20:15 on the 4th is already the 5th in UTC.
    (found,) = extract_reservations(mail(markup(flight("Eva Green", "1A")))).extracted
    assert found.email_key == "RXJ34P|flight|UA110|2027-03-04"


def stamp(status: str = "confirmed", modified: str | None = None, date: str | None = None) -> dict:
    return {"status": status, "modified_time": modified, "message_date": date}


@pytest.mark.parametrize(("existing", "incoming", "decision"), [
    (None, stamp(), "create"),
    (None, stamp("cancelled"), "ignore"),
    (stamp(modified="2027-01-01T00:00:00Z"), stamp(modified="2027-02-01T00:00:00Z"), "update"),
    (stamp(modified="2027-02-01T00:00:00Z"), stamp(modified="2027-01-01T00:00:00Z"), "ignore"),
    (stamp(modified="2027-01-01T00:00:00Z"), stamp(modified="2027-01-01T00:00:00Z"), "ignore"),
    (stamp(modified="2027-01-01T00:00:00Z"), stamp("cancelled", modified="2027-02-01T00:00:00Z"), "cancel"),
    (stamp("cancelled", "2027-01-01T00:00:00Z"), stamp("cancelled", modified="2027-02-01T00:00:00Z"), "ignore"),
    (stamp("cancelled", "2027-01-01T00:00:00Z"), stamp(modified="2027-02-01T00:00:00Z"), "update"),
    (stamp(date="2027-01-01T00:00:00Z"), stamp(date="2027-01-02T00:00:00Z"), "update"),
    (stamp(date="2027-01-02T00:00:00Z"), stamp(date="2027-01-01T00:00:00Z"), "ignore"),
    (stamp(modified="2027-01-01T00:00:00Z", date="2027-01-05T00:00:00Z"),
     stamp(modified="2027-01-02T00:00:00Z", date="2027-01-03T00:00:00Z"), "update"),  # modifiedTime first
    (stamp(), stamp("cancelled"), "cancel"),  # nothing to order by: mail mostly arrives in order
])
def test_merge_decision(existing, incoming, decision):
    assert merge_decision(existing, incoming) == decision


moments = st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2030, 1, 1)).map(
    lambda d: d.replace(microsecond=0).isoformat() + "Z")


@given(moments, moments, st.sampled_from(["confirmed", "cancelled"]), st.sampled_from(["confirmed", "cancelled"]))
def test_of_two_mails_only_the_newer_one_changes_anything(first, second, first_status, second_status):
    one, two = stamp(first_status, first), stamp(second_status, second)
    forward, backward = merge_decision(one, two), merge_decision(two, one)
    if first == second:
        assert forward == backward == "ignore"
    else:
        older_after_newer = forward if first > second else backward
        assert older_after_newer == "ignore"


def test_merge_decision_takes_extracted_reservations():
    (found,) = extract_reservations(mail(markup(flight("Eva Green", "1A")))).extracted
    later = ExtractedReservation({**found.reservation, "status": "cancelled"}, found.email_key, None,
                                 "2030-01-01T00:00:00Z")
    assert merge_decision(None, found) == "create"
    assert merge_decision(found.stamp(), later) == "cancel"


@pytest.mark.parametrize(("address", "moment", "zone"), [
    ({"addressCountry": "Finland", "addressLocality": "Espoo"}, None, "Europe/Helsinki"),
    ({"addressCountry": "US", "addressLocality": "New York"}, None, "America/New_York"),
    ({"addressCountry": "US"}, datetime(2027, 1, 10, 15, tzinfo=ZoneInfo("America/Denver")), "America/Denver"),
    ("Leppävaarankatu 1, FI-02600 Espoo, Finland", None, "Europe/Helsinki"),
    (None, datetime(2027, 1, 10, 15, tzinfo=ZoneInfo("Etc/GMT-3")), "Etc/GMT-3"),
    (None, None, None),
])
def test_place_zone(address, moment, zone):
    assert place_zone(address, moment=moment) == zone


@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2037, 1, 1)),
       st.sampled_from(["SFO", "LHR", "SYD", "NRT", "GRU", "DEL"]))
def test_naive_departure_is_wall_clock_time_at_the_airport(moment, code):
    moment = moment.replace(second=0, microsecond=0)
    zone = ZoneInfo({"SFO": "America/Los_Angeles", "LHR": "Europe/London", "SYD": "Australia/Sydney",
                     "NRT": "Asia/Tokyo", "GRU": "America/Sao_Paulo", "DEL": "Asia/Kolkata"}[code])
    local = moment.replace(tzinfo=zone)
    if local.astimezone(ZoneInfo("UTC")).astimezone(zone).replace(tzinfo=None) != moment:
        return  # a wall-clock time skipped by a DST change does not exist
    arrival = (moment + timedelta(hours=30)).isoformat()
    item = flight("E", "1", departure=moment.isoformat(), arrival=arrival, origin=code, destination="ORD")
    result = extract_reservations(mail(markup(item)), budget_s=60)
    assert datetime.fromisoformat(result.reservations[0]["start"]).replace(tzinfo=None) == moment


def test_extract_file_reads_mail_and_bare_documents(tmp_path):
    eml = SAMPLES / "kitinerary" / "extractordata" / "synthetic" / "flight-booking.eml"
    reservations, reasons = extract_file(eml)
    assert [r["confirmation"] for r in reservations] == ["RXJ34P"] and reasons == []
    reservations, _ = extract_file(SAMPLES / "kitinerary" / "calendarhandlerdata" / "hotel.ics")
    assert reservations[0]["hotel"]["name"] == "Glo Hotel Sello"
    reservations, reasons = extract_file(SAMPLES / "kitinerary" / "mergedata" / "cancellation.rhs.json")
    assert reservations == [] and reasons == ["cancels every flight of booking RXJ34P"]
    empty = tmp_path / "lunch.eml"
    empty.write_bytes(mail(text="Lunch on Friday?"))
    assert extract_file(empty) == ([], ["plain text names no flight number with an airline code",
                                        "no reservation found: plain text names no flight number with an airline code"])

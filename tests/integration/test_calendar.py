"""A traveller's calendar feed on a real worker and broker: made through the API, read by a real iCalendar parser."""

from __future__ import annotations

import icalendar
import pytest

from tests.integration.conftest import TRIP_DAY, Api, eventually, flight
from tests.integration.test_trip_shares import trip_holding

pytestmark = pytest.mark.integration


@pytest.fixture
def worker(module_worker):
    return module_worker   # one worker for this module's tests (conftest.module_worker)

HOTEL = {"type": "hotel", "confirmation": "HX-1", "start": f"{TRIP_DAY}T15:00", "end": f"{TRIP_DAY}T23:00",
         "start_time_zone": "America/New_York", "hotel": {"name": "The Jane"}}


async def test_the_feed_lists_the_reservations_in_their_zones_and_regenerating_closes_the_old_url(worker, http):
    api = Api(http, worker.url)
    await api.sign_up_and_log_in("Ann")
    created = []
    for body in (flight(), HOTEL):
        status, reservation, _ = await api.call("POST", "/api/v1/reservations", body)
        assert status == 201, reservation
        created.append(reservation["id"])

    status, feed, _ = await api.call("GET", "/api/v1/me/calendar")
    assert status == 200, feed
    assert feed["webcal_url"].startswith("webcal://") and feed["url"].startswith(worker.url + "/calendar/")
    async with http.get(feed["url"]) as response:   # no login: the URL is the credential
        assert response.status == 200 and response.content_type == "text/calendar"
        calendar = icalendar.Calendar.from_ical(await response.read())
    events = {str(e["UID"]).split("@")[0]: e for e in calendar.walk("VEVENT")}
    assert sorted(events) == sorted(created)
    flight_event, hotel_event = events[created[0]], events[created[1]]
    assert flight_event["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert flight_event["DTEND"].params["TZID"] == "America/New_York"
    assert flight_event.decoded("DTSTART").hour == 8 and flight_event.decoded("DTEND").hour == 11
    assert hotel_event["DTSTART"].params["TZID"] == "America/New_York"
    assert {str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")} == {"Europe/Berlin", "America/New_York"}

    status, renewed, _ = await api.call("POST", "/api/v1/me/calendar/regenerate")
    assert status == 200 and renewed["url"] != feed["url"]
    async with http.get(feed["url"]) as response:
        assert response.status == 404
    async with http.get(renewed["url"]) as response:
        assert response.status == 200


async def test_a_follower_subscribes_to_a_shared_trip_without_its_confirmation_until_it_is_withdrawn(worker, http):
    ann, bob = Api(http, worker.url), Api(http, worker.url)
    owner = await ann.sign_up_and_log_in("Ann")
    follower = await bob.sign_up_and_log_in("Bob")
    status, booking, _ = await ann.call("POST", "/api/v1/reservations", flight())
    assert status == 201, booking
    trip = await eventually(lambda: trip_holding(ann, booking["id"]))
    status, share, _ = await ann.call("POST", f"/api/v1/trips/{trip['id']}/shares",
                                      {"email": follower["email"], "role": "viewer"})
    assert status == 201, share

    status, feed, _ = await bob.call("GET", f"/api/v1/shared-trips/{owner['id']}/{trip['id']}/calendar")
    assert status == 200, feed
    assert feed["url"].startswith(worker.url + "/calendar/trips/") and feed["webcal_url"].startswith("webcal://")
    async with http.get(feed["url"]) as response:   # no login: the URL is the credential
        assert response.status == 200 and response.content_type == "text/calendar"
        body = await response.read()
    calendar = icalendar.Calendar.from_ical(body)
    (event,) = calendar.walk("VEVENT")
    assert str(event["UID"]).split("@")[0] == booking["id"] and str(calendar["X-WR-CALNAME"]) == trip["name"]
    assert f"Trip: {trip['name']}" in str(event["DESCRIPTION"]) and booking["confirmation"].encode() not in body

    status, _, _ = await ann.call("DELETE", f"/api/v1/trips/{trip['id']}/shares/{share['id']}")
    assert status == 204
    async with http.get(feed["url"]) as response:
        assert response.status == 404

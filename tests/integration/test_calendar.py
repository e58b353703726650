"""A traveller's calendar feed on a real worker and broker: made through the API, read by a real iCalendar parser."""

from __future__ import annotations

import icalendar
import pytest

from tests.integration.conftest import TRIP_DAY, Api, flight

pytestmark = pytest.mark.integration

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

"""A follower's calendar feed over HTTP: the URL, the feed a calendar app reads, and 404 once withdrawn."""

from __future__ import annotations

import icalendar
import orjson
import pytest
from yarl import URL

from agents.trips.regroup_trips import regroup_trips
from tables.logins import logins
from tables.trips import trips
from tables.user_reservations import entry_key, user_reservations
from tests.unit.trips import test_share_views
from tests.unit.trips.test_agents import BACK, HOTEL, OUT, reservation_event
from tests.unit.trips.test_share_views import FRIEND, STRANGER, as_user, share

USER = "0a" * 16   # a user ID as accounts make them: the feed's token must name it
pytestmark = pytest.mark.usefixtures("clock")
client = test_share_views.client   # the share views' worker, its agents applying what they send


@pytest.fixture
async def trip_id(faust_app, sent) -> str:
    async with regroup_trips.test_context() as agent:
        for reservation in ({**OUT, "confirmation": "ABC123", "travellers": ["Ann Owner"]}, HOTEL, BACK):
            change = {**reservation_event(reservation), "user_id": USER}
            user_reservations.data[entry_key(USER, reservation["id"])] = change["reservation"]
            await agent.put(key=USER, value=orjson.dumps(change))
    logins.data["friend@example.com"] = {"user_id": FRIEND, "password_hash": "x", "role": "traveller"}
    (only,) = trips[USER]["trips"]
    return only


async def feed_urls(client, trip_id: str, user: str = FRIEND):
    return await client.get(f"/api/v1/shared-trips/{USER}/{trip_id}/calendar", headers=as_user(user))


async def test_a_follower_subscribes_to_the_trip_without_its_booking_secrets(client, trip_id):
    await share(client, trip_id, role="editor", user=USER)   # even an editor's calendar leaves the booking secrets out
    renamed = await client.patch(f"/api/v1/shared-trips/{USER}/{trip_id}", json={"name": "Picking Ann up"},
                                 headers=as_user(FRIEND))
    assert renamed.status == 200
    response = await feed_urls(client, trip_id)
    assert response.status == 200, await response.text()
    urls = await response.json()
    assert urls["webcal_url"] == "webcal://" + urls["url"].split("://", 1)[1]
    assert (await (await feed_urls(client, trip_id)).json()) == urls   # the same URL on every visit
    token = URL(urls["url"]).name.removesuffix(".ics")
    assert token.startswith(f"{USER}.") and token.split(".")[1] not in str(trips[USER])
    got = await client.get(URL(urls["url"]).path)
    assert got.status == 200 and got.content_type == "text/calendar"
    body = await got.text()
    calendar = icalendar.Calendar.from_ical(body)
    assert calendar["X-WR-CALNAME"] == "Picking Ann up"
    events = calendar.walk("VEVENT")
    assert [str(e["UID"]).split("@")[0] for e in events] == [OUT["id"], HOTEL["id"], BACK["id"]]
    assert all("Trip: Picking Ann up" in str(e["DESCRIPTION"]) for e in events)
    assert "ABC123" not in body and "Ann Owner" not in body


async def test_strangers_the_owner_and_invitations_get_no_feed(client, trip_id):
    await share(client, trip_id, "new@example.com", user=USER)
    assert (await feed_urls(client, trip_id, STRANGER)).status == 404
    assert (await feed_urls(client, trip_id, USER)).status == 404   # the owner has their own feed
    assert (await feed_urls(client, "0" * 32)).status == 404
    assert (await client.get(f"/calendar/trips/{USER}.{'x' * 43}.ics")).status == 404


async def test_withdrawing_the_share_closes_the_feed_at_once(client, trip_id):
    made = await (await share(client, trip_id, user=USER)).json()
    path = URL((await (await feed_urls(client, trip_id)).json())["url"]).path
    assert (await client.get(path)).status == 200
    await client.delete(f"/api/v1/trips/{trip_id}/shares/{made['id']}", headers=as_user(USER))
    assert (await client.get(path)).status == 404
    assert (await feed_urls(client, trip_id)).status == 404

"""The share views over HTTP, with the lookup, trips and index agents applying what they send (test_context())."""

from __future__ import annotations

import pytest

from agents.trips.apply_trip_commands import apply_trip_commands
from agents.trips.index_shared_trips import index_shared_trips
from agents.trips.resolve_share_addresses import resolve_share_addresses
from streams import topics
from tables.logins import logins
from tables.trips import trips
from tests.unit.trips.serving import serving
from tests.unit.trips.serving import signed_in as as_user
from tests.unit.trips.test_agents import BACK, FRIEND, HOTEL, OUT, USER

STRANGER = "5" * 32
pytestmark = pytest.mark.usefixtures("clock")   # the trips' clock before the itinerary
READERS = {topics.share_address_lookups: [resolve_share_addresses], topics.trip_commands: [apply_trip_commands],
           topics.share_events: [index_shared_trips]}


@pytest.fixture
async def client(faust_app, sent, aiohttp_client, monkeypatch):
    """The web layer of a worker that owns every key, each agent applying what is sent to its topic."""
    async with serving(faust_app, aiohttp_client, monkeypatch, READERS) as client:
        yield client


async def share(client, trip_id: str, email: str = "Friend@Example.com", role: str = "viewer", user: str = USER):
    return await client.post(f"/api/v1/trips/{trip_id}/shares", json={"email": email, "role": role},
                             headers=as_user(user))


async def test_the_owner_shares_a_trip_and_the_viewer_reads_it_without_booking_secrets(client, trip_id):
    response = await share(client, trip_id)
    assert response.status == 201, await response.text()
    made = await response.json()
    assert made["email"] == "friend@example.com" and made["status"] == "active" and made["role"] == "viewer"
    assert response.headers["Location"] == f"/api/v1/trips/{trip_id}/shares/{made['id']}"
    listed = await (await client.get(f"/api/v1/trips/{trip_id}/shares", headers=as_user(USER))).json()
    assert listed == {"items": [made]}
    (followed,) = (await (await client.get("/api/v1/shared-trips", headers=as_user(FRIEND))).json())["items"]
    assert followed["owner_id"] == USER and followed["trip_id"] == trip_id and followed["role"] == "viewer"
    assert followed["name"] == "New York" and followed["start"] == OUT["start"] and followed["end"] == BACK["end"]
    seen = await client.get(followed["href"], headers=as_user(FRIEND))
    assert seen.status == 200
    body = await seen.json()
    assert body["role"] == "viewer" and [r["id"] for r in body["reservations"]] == [OUT["id"], HOTEL["id"], BACK["id"]]
    assert all("confirmation" not in r and "travellers" not in r for r in body["reservations"])


async def test_strangers_and_other_travellers_get_404_and_cannot_list_or_share(client, trip_id):
    await share(client, trip_id)
    assert (await client.get(f"/api/v1/shared-trips/{USER}/{trip_id}", headers=as_user(STRANGER))).status == 404
    assert (await client.get(f"/api/v1/trips/{trip_id}/shares", headers=as_user(FRIEND))).status == 404
    refused = await share(client, trip_id, "x@example.com", user=FRIEND)
    assert refused.status == 404, await refused.text()
    assert (await client.get("/api/v1/shared-trips", headers=as_user(STRANGER))).status == 200


async def test_a_withdrawn_share_answers_404_on_the_next_read(client, trip_id):
    made = await (await share(client, trip_id)).json()
    deleted = await client.delete(f"/api/v1/trips/{trip_id}/shares/{made['id']}", headers=as_user(USER))
    assert deleted.status == 204
    assert (await client.get(f"/api/v1/shared-trips/{USER}/{trip_id}", headers=as_user(FRIEND))).status == 404
    assert (await (await client.get("/api/v1/shared-trips", headers=as_user(FRIEND))).json()) == {"items": []}


async def test_an_unregistered_address_is_invited(client, trip_id):
    made = await (await share(client, trip_id, "new@example.com", "editor")).json()
    assert made["status"] == "invited" and made["role"] == "editor"


async def test_a_private_trip_and_a_bad_body_are_refused(client, trip_id):
    assert (await share(client, trip_id, "not-an-address")).status == 422
    assert (await share(client, trip_id, role="owner")).status == 422
    trips.data[USER] = {**trips[USER], "trips": {trip_id: {**trips[USER]["trips"][trip_id], "private": True}}}
    refused = await share(client, trip_id)
    assert refused.status == 422 and (await refused.json())["type"].endswith("trip-private")


async def test_an_editor_renames_the_trip_and_a_viewer_may_not(client, trip_id):
    await share(client, trip_id, role="editor")
    path = f"/api/v1/shared-trips/{USER}/{trip_id}"
    renamed = await client.patch(path, json={"name": "Picking Ann up"}, headers=as_user(FRIEND))
    assert renamed.status == 200, await renamed.text()
    assert (await renamed.json())["name"] == trips[USER]["trips"][trip_id]["name"] == "Picking Ann up"
    private = await client.patch(path, json={"private": True}, headers=as_user(FRIEND))
    assert private.status == 403 and not trips[USER]["trips"][trip_id]["private"]
    logins.data["viewer@example.com"] = {"user_id": "7" * 32, "password_hash": "x", "role": "traveller"}
    await share(client, trip_id, "viewer@example.com")
    assert (await client.patch(path, json={"name": "Mine"}, headers=as_user("7" * 32))).status == 403
    assert (await client.patch(path, json={"name": "Mine"}, headers=as_user(STRANGER))).status == 404


async def test_a_follower_leaves_and_reads_404_after(client, trip_id):
    await share(client, trip_id)
    path = f"/api/v1/shared-trips/{USER}/{trip_id}"
    assert (await client.delete(path, headers=as_user(STRANGER))).status == 404
    assert (await client.delete(path, headers=as_user(FRIEND))).status == 204
    assert (await client.get(path, headers=as_user(FRIEND))).status == 404
    assert trips[USER]["trips"][trip_id]["shares"] == []

"""An editor's writes over HTTP, with the reservations, index, grouping and trips agents applying what is sent."""

from __future__ import annotations

import pytest

from agents.reservations.apply_reservation_commands import apply_reservation_commands
from agents.reservations.index_user_reservations import index_user_reservations
from agents.trips.regroup_trips import regroup_trips
from streams import partitions, topics
from tables.reservations import reservations
from tables.trips import trips
from tests.unit.trips.serving import serving
from tests.unit.trips.test_share_views import FRIEND, READERS, STRANGER, USER, as_user, share

pytestmark = pytest.mark.usefixtures("clock")
# A week after the trip: the automatic grouping alone would give it a trip of its own.
LATER_HOTEL = {"type": "hotel", "start": "2025-01-20T15:00", "end": "2025-01-22T11:00",
               "start_time_zone": "Europe/Berlin", "hotel": {"name": "Adlon"}, "confirmation": "XYZ9"}


@pytest.fixture
async def client(faust_app, sent, aiohttp_client, monkeypatch):
    """The web layer of a worker that owns every key, each agent applying what is sent to its topic."""
    readers = {**READERS, topics.reservation_commands: [apply_reservation_commands],
               topics.user_reservation_events: [index_user_reservations, regroup_trips]}
    async with serving(faust_app, aiohttp_client, monkeypatch, readers) as client:
        yield client


def add(client, trip_id: str, user: str = FRIEND, body: dict = LATER_HOTEL):
    return client.post(f"/api/v1/shared-trips/{USER}/{trip_id}/reservations", json=body, headers=as_user(user))


async def test_an_editor_adds_a_reservation_of_the_owners_placed_in_the_trip(client, trip_id):
    await share(client, trip_id, role="editor")
    response = await add(client, trip_id)
    assert response.status == 201, await response.text()
    made = await response.json()
    assert made["hotel"]["name"] == "Adlon" and response.headers["ETag"] == '"1"'
    assert reservations[made["id"]]["user_id"] == USER   # the owner's, not the editor's
    assert made["id"] in trips[USER]["trips"][trip_id]["reservations"]
    assert trips[USER]["placed"][made["id"]] == trip_id   # by hand: the grouping will not move it away
    seen = await (await client.get(f"/api/v1/shared-trips/{USER}/{trip_id}", headers=as_user(FRIEND))).json()
    assert made["id"] in [r["id"] for r in seen["reservations"]]


async def test_the_new_reservation_is_answered_on_the_owners_trips_worker(client, trip_id):
    await share(client, trip_id, role="editor")
    made = await (await add(client, trip_id)).json()
    assert (partitions.partition_of(topics.reservation_commands, made["id"])
            == partitions.partition_of(topics.trip_commands, USER))


async def test_a_viewer_gets_403_a_stranger_404_and_nothing_is_created(client, trip_id):
    await share(client, trip_id, role="viewer")
    assert (await add(client, trip_id)).status == 403
    assert (await add(client, trip_id, user=STRANGER)).status == 404
    assert (await add(client, "0" * 32)).status == 404
    assert len(reservations) == 0


async def test_a_bad_reservation_is_refused_before_anything_is_sent(client, trip_id):
    await share(client, trip_id, role="editor")
    response = await add(client, trip_id, body={**LATER_HOTEL, "end": "2025-01-19T11:00"})
    assert response.status == 422
    assert len(reservations) == 0


def change(client, trip_id: str, reservation_id: str, patch: dict, user: str = FRIEND, headers: dict | None = None):
    return client.patch(f"/api/v1/shared-trips/{USER}/{trip_id}/reservations/{reservation_id}", json=patch,
                        headers={**as_user(user), **(headers or {})})


async def test_an_editor_changes_a_reservation_of_the_trip_as_the_owners(client, trip_id):
    await share(client, trip_id, role="editor")
    made = await (await add(client, trip_id)).json()
    response = await change(client, trip_id, made["id"], {"hotel": {"name": "Hotel de Rome"}},
                            headers={"If-Match": '"1"'})
    assert response.status == 202, await response.text()
    assert response.headers["Location"] == f"/api/v1/shared-trips/{USER}/{trip_id}"
    changed = reservations[made["id"]]
    assert changed["hotel"]["name"] == "Hotel de Rome" and changed["version"] == 2 and changed["user_id"] == USER


async def test_a_change_is_refused_before_it_is_sent_when_it_could_not_apply(client, trip_id):
    await share(client, trip_id, role="editor")
    made = await (await add(client, trip_id)).json()
    stale = await change(client, trip_id, made["id"], {"notes": "x"}, headers={"If-Match": '"7"'})
    invalid = await change(client, trip_id, made["id"], {"end": "2025-01-19T11:00"})
    elsewhere = await change(client, trip_id, "e" * 32, {"notes": "x"})
    assert (stale.status, invalid.status, elsewhere.status) == (412, 422, 404)
    assert reservations[made["id"]]["version"] == 1


async def test_a_viewer_may_not_change_a_reservation_and_a_stranger_finds_nothing(client, trip_id):
    await share(client, trip_id, role="editor")
    made = await (await add(client, trip_id)).json()
    await share(client, trip_id, role="viewer")   # the same address again: now a viewer
    assert (await change(client, trip_id, made["id"], {"notes": "x"})).status == 403
    assert (await change(client, trip_id, made["id"], {"notes": "x"}, user=STRANGER)).status == 404
    assert reservations[made["id"]]["version"] == 1

"""An editor's writes over HTTP, with the reservations, index, grouping and trips agents applying what is sent."""

from __future__ import annotations

import pytest

from agents.reservations.apply_reservation_commands import apply_reservation_commands
from agents.reservations.index_user_reservations import index_user_reservations
from agents.trips.regroup_trips import regroup_trips
from streams import partitions, topics
from tables.reservations import reservations
from tables.trips import trips
from tests.unit.trips.itineraries import stay
from tests.unit.trips.serving import serving
from tests.unit.trips.test_agents import arrive
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


def delete(client, trip_id: str, reservation_id: str, user: str = FRIEND, headers: dict | None = None):
    return client.delete(f"/api/v1/shared-trips/{USER}/{trip_id}/reservations/{reservation_id}",
                         headers={**as_user(user), **(headers or {})})


async def test_an_editor_deletes_a_reservation_of_the_trip_and_it_leaves_the_trip(client, trip_id):
    await share(client, trip_id, role="editor")
    made = await (await add(client, trip_id)).json()
    stale = await delete(client, trip_id, made["id"], headers={"If-Match": '"7"'})
    assert stale.status == 412 and made["id"] in reservations
    response = await delete(client, trip_id, made["id"], headers={"If-Match": '"1"'})
    assert response.status == 202, await response.text()
    assert response.headers["Location"] == f"/api/v1/shared-trips/{USER}/{trip_id}"
    assert reservations.get(made["id"]) is None   # gone from the owner's account, as if they deleted it
    assert made["id"] not in trips[USER]["trips"][trip_id]["reservations"]


async def test_an_editor_deletes_nothing_outside_the_shared_trip_and_a_viewer_nothing_at_all(client, trip_id):
    await share(client, trip_id, role="editor")
    await arrive(stay("d" * 32, 24 * 14, 48))   # the owner's, two weeks later: a trip of its own, not shared
    (other,) = set(trips[USER]["trips"]) - {trip_id}
    assert (await delete(client, trip_id, "d" * 32)).status == 404
    assert (await delete(client, other, "d" * 32)).status == 404
    made = await (await add(client, trip_id)).json()
    await share(client, trip_id, role="viewer")   # the same address again: now a viewer
    assert (await delete(client, trip_id, made["id"])).status == 403
    assert (await delete(client, trip_id, made["id"], user=STRANGER)).status == 404
    assert made["id"] in reservations and "d" * 32 in trips[USER]["trips"][other]["reservations"]


async def test_the_same_idempotency_key_adds_the_reservation_once(client, trip_id):
    await share(client, trip_id, role="editor")
    path, key = f"/api/v1/shared-trips/{USER}/{trip_id}/reservations", {"Idempotency-Key": "add-adlon-1"}
    first = await client.post(path, json=LATER_HOTEL, headers={**as_user(FRIEND), **key})
    again = await client.post(path, json=LATER_HOTEL, headers={**as_user(FRIEND), **key})
    assert (first.status, again.status) == (201, 201), await again.text()
    assert (await first.json())["id"] == (await again.json())["id"] and len(reservations) == 1
    assert (partitions.partition_of(topics.reservation_commands, (await first.json())["id"])
            == partitions.partition_of(topics.trip_commands, USER))   # still answered on the owner's worker
    other = await client.post(path, json={**LATER_HOTEL, "notes": "x"}, headers={**as_user(FRIEND), **key})
    assert other.status == 409 and len(reservations) == 1
    fresh = await client.post(path, json=LATER_HOTEL, headers={**as_user(FRIEND), "Idempotency-Key": "add-adlon-2"})
    assert fresh.status == 201 and len(reservations) == 2
    bad = await client.post(path, json=LATER_HOTEL, headers={**as_user(FRIEND), "Idempotency-Key": "x" * 201})
    assert bad.status == 422 and len(reservations) == 2   # as POST /api/v1/reservations answers it

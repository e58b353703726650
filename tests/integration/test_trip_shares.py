"""A trip shared with a person on a real broker and worker: the viewer finds it under shared-trips, reads it
without the confirmation code, hears a provider's delay on their own stream and in their own mailbox, and loses
it when withdrawn; an invited address finds the trip once it signs up."""

from __future__ import annotations

import uuid

import pytest

from devtools.cluster import JWT_SECRET
from domain.trips.shares import claim_token
from tests.integration import test_notifications_support as support
from tests.integration.conftest import Api, eventually, flight
from tests.integration.test_notifications_support import SseClient, delay, inject, notifying_env, traveller

pytestmark = pytest.mark.integration
mailbox, push = support.mailbox, support.push


async def test_a_viewer_follows_a_shared_trip_until_the_share_is_withdrawn(cluster, http, mailbox, push, tmp_path):
    cluster.extra_env.update(notifying_env(mailbox, push, tmp_path, None))
    worker = cluster.worker("w1").start()
    worker.wait_ready()
    ann, bob, eve = Api(http, worker.url), Api(http, worker.url), Api(http, worker.url)
    owner = await ann.sign_up_and_log_in("Ann")
    follower = await traveller(bob, push, locale="en", quiet_hours=False)   # the e-mail must not wait for morning
    await eve.sign_up_and_log_in("Eve")
    status, booking, _ = await ann.call("POST", "/api/v1/reservations", flight())
    assert status == 201, booking
    trip = await eventually(lambda: trip_holding(ann, booking["id"]))

    status, share, headers = await ann.call("POST", f"/api/v1/trips/{trip['id']}/shares",
                                            {"email": follower["email"].upper(), "role": "viewer"})
    assert status == 201 and share["status"] == "active" and share["email"] == follower["email"], share
    (listed,) = (await eventually(lambda: _shared_with(bob)))
    assert listed["owner_id"] == owner["id"] and listed["trip_id"] == trip["id"] and listed["role"] == "viewer"

    status, seen, _ = await bob.call("GET", listed["href"])
    assert status == 200 and seen["role"] == "viewer" and seen["reservation_ids"] == [booking["id"]], seen
    assert "confirmation" not in seen["reservations"][0] and "travellers" not in seen["reservations"][0]
    status, _, _ = await eve.call("GET", listed["href"])
    assert status == 404

    async with SseClient(http, worker.url, bob.token) as stream:
        await inject(cluster, delay(booking["id"], owner["id"], 45))
        heard = await stream.next()
    assert heard["reservation_id"] == booking["id"] and "9:45" in heard["summary"], heard
    # The same news by e-mail, through the follower's own preferences, to their own address, in their language.
    (mail,) = await eventually(lambda: _mail_to(mailbox, follower["email"]))
    assert mail["Content-Language"] == "en" and "9:45" in mail.get_body(("plain",)).get_content()

    status, _, _ = await ann.call("DELETE", f"/api/v1/trips/{trip['id']}/shares/{share['id']}")
    assert status == 204
    status, _, _ = await bob.call("GET", listed["href"])
    assert status == 404

    carol_email = f"carol-{uuid.uuid4().hex[:8]}@example.com"
    status, invited, _ = await ann.call("POST", f"/api/v1/trips/{trip['id']}/shares",
                                        {"email": carol_email, "role": "editor"})
    assert status == 201 and invited["status"] == "invited", invited
    carol = Api(http, worker.url)
    await _sign_up(carol, carol_email)   # the address alone: the share stays waiting for its e-mail's token
    status, now, _ = await ann.call("GET", f"/api/v1/trips/{trip['id']}/shares")
    assert [s["status"] for s in now["items"]] == ["invited"]
    carol = Api(http, worker.url)
    carol_email = f"carol-{uuid.uuid4().hex[:8]}@example.com"
    status, invited, _ = await ann.call("POST", f"/api/v1/trips/{trip['id']}/shares",
                                        {"email": carol_email, "role": "editor"})
    assert status == 201 and invited["status"] == "invited", invited
    # What the invitation e-mail's link carries (tests/integration/test_trip_invitations.py reads a real one).
    await _sign_up(carol, carol_email, claim_token(JWT_SECRET, invited["id"], carol_email))
    (for_carol,) = await eventually(lambda: _shared_with(carol))
    assert for_carol["trip_id"] == trip["id"] and for_carol["role"] == "editor"
    status, seen, _ = await carol.call("GET", for_carol["href"])
    assert status == 200 and seen["reservations"][0]["confirmation"] == "ABC123"   # an editor sees it
    status, now, _ = await ann.call("GET", f"/api/v1/trips/{trip['id']}/shares")
    assert sorted(s["status"] for s in now["items"]) == ["active", "invited"]


async def _sign_up(api: Api, email: str, invitation: str | None = None) -> None:
    body = {"email": email, "password": "correct horse battery", "name": "Carol", "time_zone": "Europe/Berlin",
            "invitation": invitation}
    status, user, _ = await api.call("POST", "/api/v1/auth/signup", body)
    assert status == 201, user
    status, tokens, _ = await api.call("POST", "/api/v1/auth/login", {"email": email, "password": body["password"]})
    assert status == 200, tokens
    api.token = tokens["access_token"]


async def trip_holding(api: Api, reservation_id: str) -> dict | None:
    status, page, _ = await api.call("GET", "/api/v1/trips")
    return status == 200 and next((t for t in page["items"] if reservation_id in t["reservation_ids"]), None)


async def _mail_to(mailbox: support.Mailbox, address: str) -> list:
    return [message for message in mailbox.messages if message["To"] == address]


async def _shared_with(api: Api) -> list[dict]:
    status, page, _ = await api.call("GET", "/api/v1/shared-trips")
    return status == 200 and page["items"]


async def test_an_editor_adds_and_changes_the_trips_reservations_through_either_worker(cluster, http):
    """The new reservation's create is answered on the owner's worker (its ID drawn onto the owner's partition
    number), whichever worker the editor asks; a viewer may not write."""
    first, second = cluster.worker("w1").start(), cluster.worker("w2").start()
    first.wait_ready()
    second.wait_ready()

    async def both_own_partitions():
        async with http.get(first.url + "/router/") as response:
            router = await response.json()
        return len([url for url in router if router[url]]) == 2 and second.health()[0] == 200

    await eventually(both_own_partitions, timeout_s=60, interval_s=0.5)
    ann, bob, vic = Api(http, first.url), Api(http, first.url), Api(http, first.url)
    owner = await ann.sign_up_and_log_in("Ann")
    editor = await bob.sign_up_and_log_in("Bob")
    viewer = await vic.sign_up_and_log_in("Vic")
    status, booking, _ = await ann.call("POST", "/api/v1/reservations", flight())
    assert status == 201, booking
    trip = await eventually(lambda: trip_holding(ann, booking["id"]))
    for person, role in ((editor, "editor"), (viewer, "viewer")):
        status, made, _ = await ann.call("POST", f"/api/v1/trips/{trip['id']}/shares",
                                         {"email": person["email"], "role": role})
        assert status == 201, made
    path = f"/api/v1/shared-trips/{owner['id']}/{trip['id']}/reservations"
    hotel = {"type": "hotel", "start": flight()["end"][:10] + "T15:00", "end": flight()["end"][:10] + "T23:00",
             "start_time_zone": "America/New_York", "hotel": {"name": "Hotel Chelsea"}}
    added = []
    for worker in (first, second):   # one of them owns Ann's trips, the other forwards
        status, made, headers = await bob.call("POST", path, hotel, base=worker.url)
        assert status == 201 and made["hotel"]["name"] == "Hotel Chelsea", made
        added.append(made["id"])
    status, refused, _ = await vic.call("POST", path, hotel)
    assert status == 403, refused
    placed = await eventually(lambda: trip_holding(ann, added[1]))
    assert set(added) <= set(placed["reservation_ids"]) and placed["id"] == trip["id"]

    status, _, _ = await bob.call("PATCH", f"{path}/{added[0]}", {"hotel": {"name": "The Standard"}},
                                  base=second.url)
    assert status == 202

    async def renamed():
        status, body, _ = await ann.call("GET", f"/api/v1/reservations/{added[0]}")
        return status == 200 and body["hotel"]["name"] == "The Standard" and body

    assert (await eventually(renamed))["version"] == 2
    status, _, _ = await vic.call("PATCH", f"{path}/{added[0]}", {"hotel": {"name": "Mine"}})
    assert status == 403

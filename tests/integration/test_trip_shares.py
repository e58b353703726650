"""A trip shared with a person on a real broker and worker: the viewer finds it under shared-trips, reads it
without the confirmation code, hears a provider's delay on their own stream, and loses it when withdrawn; an
invited address finds the trip once it signs up."""

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
    follower = await traveller(bob, push, locale="en")
    await eve.sign_up_and_log_in("Eve")
    status, booking, _ = await ann.call("POST", "/api/v1/reservations", flight())
    assert status == 201, booking
    trip = await eventually(lambda: _trip_holding(ann, booking["id"]))

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


async def _trip_holding(api: Api, reservation_id: str) -> dict | None:
    status, page, _ = await api.call("GET", "/api/v1/trips")
    return status == 200 and next((t for t in page["items"] if reservation_id in t["reservation_ids"]), None)


async def _shared_with(api: Api) -> list[dict]:
    status, page, _ = await api.call("GET", "/api/v1/shared-trips")
    return status == 200 and page["items"]

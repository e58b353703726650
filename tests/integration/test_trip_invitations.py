"""An address a trip is shared with, belonging to nobody yet, gets the invitation e-mail from a real worker."""

from __future__ import annotations

import asyncio
import re
import uuid

import pytest

from tests.integration import test_notifications_support as support
from tests.integration.conftest import Api, eventually, flight
from tests.integration.test_trip_shares import trip_holding

pytestmark = pytest.mark.integration
mailbox = support.mailbox


async def test_an_unregistered_address_is_e_mailed_a_link_to_sign_up(cluster, http, mailbox):
    cluster.extra_env.update({"ROADWARRIOR_SMTP_HOST": "127.0.0.1", "ROADWARRIOR_SMTP_PORT": str(mailbox.port),
                              "ROADWARRIOR_SMTP_TLS": "none", "ROADWARRIOR_PUBLIC_URL": "https://app.example"})
    worker = cluster.worker("w1").start()
    worker.wait_ready()
    ann = Api(http, worker.url)
    await ann.sign_up_and_log_in("Ann")
    status, booking, _ = await ann.call("POST", "/api/v1/reservations", flight())
    assert status == 201, booking
    trip = await eventually(lambda: trip_holding(ann, booking["id"]))
    address = f"carol-{uuid.uuid4().hex[:8]}@example.com"
    status, share, _ = await ann.call("POST", f"/api/v1/trips/{trip['id']}/shares",
                                      {"email": address, "role": "viewer"})
    assert status == 201 and share["status"] == "invited", share

    await asyncio.wait_for(mailbox.arrived.wait(), 30)
    (message,) = mailbox.messages
    assert message["To"] == address and message["Subject"] == f"Ann shared a trip with you: {trip['name']}"
    text = message.get_body(("plain",)).get_content()
    token = re.search(r"https://app\.example/signup\?invitation=([0-9a-f]{64})", text).group(1)

    carol = Api(http, worker.url)   # signs up with the link's token: the share attaches to her
    body = {"email": address, "password": "correct horse battery", "name": "Carol", "invitation": token}
    status, _, _ = await carol.call("POST", "/api/v1/auth/signup", body)
    assert status == 201
    status, tokens, _ = await carol.call("POST", "/api/v1/auth/login", {"email": address, "password": body["password"]})
    carol.token = tokens["access_token"]
    (shared,) = await eventually(lambda: _shared_with(carol))
    assert shared["trip_id"] == trip["id"] and shared["role"] == "viewer"


async def _shared_with(api: Api) -> list[dict]:
    status, body, _ = await api.call("GET", "/api/v1/shared-trips")
    return body["items"] if status == 200 else []

"""An address a trip is shared with, belonging to nobody yet, gets the invitation e-mail from a real worker."""

from __future__ import annotations

import asyncio
import uuid

import pytest

from tests.integration import test_notifications_support as support
from tests.integration.conftest import Api, eventually, flight
from tests.integration.test_trip_shares import _trip_holding

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
    trip = await eventually(lambda: _trip_holding(ann, booking["id"]))
    address = f"carol-{uuid.uuid4().hex[:8]}@example.com"
    status, share, _ = await ann.call("POST", f"/api/v1/trips/{trip['id']}/shares",
                                      {"email": address, "role": "viewer"})
    assert status == 201 and share["status"] == "invited", share

    await asyncio.wait_for(mailbox.arrived.wait(), 30)
    (message,) = mailbox.messages
    assert message["To"] == address and message["Subject"] == f"Ann shared a trip with you: {trip['name']}"
    assert "https://app.example/api/v1/auth/signup" in message.get_body(("plain",)).get_content()

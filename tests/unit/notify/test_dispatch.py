"""The dispatcher: nothing goes out before its claim is stored; full queues and hung sends are put off."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from agents.notify import dispatch
from agents.notify.dispatch import Dispatcher
from integrations.channels.base import DeliveryResult

NOW = datetime(2026, 1, 10, 12, 0, tzinfo=UTC)


class Channel:
    name = "email"

    def __init__(self) -> None:
        self.sent, self.gate = [], None

    async def send(self, notification):
        if self.gate is not None:
            await self.gate.wait()
        self.sent.append(notification.notification_id)
        return DeliveryResult(self.name, notification.notification_id, "<id>", 250)


def job(n: int = 1, channel: str = "email") -> dict:
    nid = f"00000000-0000-0000-0000-{n:012d}"
    return {"kind": "deliver", "user_id": "u1", "notification_id": nid, "attempt": 1, "notification": {
        "notification_id": nid, "channel": channel, "user_id": "u1", "reservation_id": "r1", "change_ids": ["c1"],
        "severity": "major", "locale": "en", "title": "t", "summary": "s", "text": "t", "html": "h",
        "created_at": "2026-01-10T12:00:00Z", "expires_at": "2026-01-12T12:00:00Z", "target": {"email": "a@b.c"}}}


@pytest.fixture
async def outcomes():
    seen: list[dict] = []

    async def report(user_id: str, outcome: dict) -> None:
        seen.append(outcome)

    yield seen, report


async def test_nothing_is_sent_before_its_claim_is_on_the_broker(outcomes):
    seen, report = outcomes
    channel, claim = Channel(), asyncio.get_running_loop().create_future()
    dispatcher = Dispatcher({"email": channel}, report, clock=lambda: NOW)
    dispatcher.submit("u1", job(), claim)
    await asyncio.sleep(0.05)  # time enough to send, were it not waiting
    assert channel.sent == [] and dispatcher.in_flight(job()["notification_id"])
    claim.set_result(None)
    await dispatcher.drain()
    assert channel.sent == [job()["notification_id"]] and seen[0]["outcome"] == "sent"
    await dispatcher.close()


async def test_a_claim_that_was_not_stored_puts_the_send_off(outcomes):
    seen, report = outcomes
    channel, claim = Channel(), asyncio.get_running_loop().create_future()
    claim.set_exception(RuntimeError("producer stopped"))
    dispatcher = Dispatcher({"email": channel}, report, clock=lambda: NOW)
    dispatcher.submit("u1", job(), claim)
    await dispatcher.drain()
    assert channel.sent == [] and seen[0]["outcome"] == "retry" and seen[0]["reason"] == "claim-not-stored"
    await dispatcher.close()


async def test_unconfigured_channels_fail_and_full_queues_and_hung_sends_retry(outcomes, monkeypatch):
    seen, report = outcomes
    monkeypatch.setattr(dispatch, "QUEUE_LIMIT", 1)
    monkeypatch.setattr(dispatch, "SEND_TIMEOUT_S", 0.2)
    channel = Channel()
    channel.gate = asyncio.Event()  # never opens: the provider hangs
    dispatcher = Dispatcher({"email": channel}, report, concurrency=1, wait_for_claims=False, clock=lambda: NOW)
    dispatcher.submit("u1", job(9, channel="apns"))
    for n in range(1, 4):  # one in the worker, one queued, one too many
        dispatcher.submit("u1", job(n))
        await asyncio.sleep(0)
    await dispatcher.drain()
    by_id = {o["notification_id"][-1]: (o["outcome"], o["reason"]) for o in seen}
    assert by_id["9"] == ("failed", "channel-not-configured")
    assert by_id["3"] == ("retry", "queue-full")
    assert by_id["1"] == by_id["2"] == ("retry", "timeout")
    assert all(o["retry_at"] > "2026-01-10T12:00:20" for o in seen if o["outcome"] == "retry")
    await dispatcher.close()

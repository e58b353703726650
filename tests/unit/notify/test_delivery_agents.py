"""The delivering agent and the settings agent through test_context(): once per channel, retries, read marks."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime
from pathlib import Path

import orjson
import pytest
from jsonschema import Draft202012Validator

from agents.notify import delivery_state
from agents.notify.apply_notification_commands import apply_notification_commands
from agents.notify.deliver_notifications import deliver_notifications
from agents.notify.dispatch import Dispatcher
from agents.notify.retry_deliveries import send_due_retries
from domain.notify.notification import notification_id
from integrations.channels.base import DeliveryResult
from integrations.channels.errors import DeviceTokenInvalid, RetryableError
from streams import topics
from streams.replies import replies
from tables.devices import devices
from tables.notification_preferences import notification_preferences
from tables.notification_reads import notification_reads
from tables.notifications import notifications
from tables.sent_notifications import sent_notifications

NOON = datetime(2026, 1, 10, 12, 0, tzinfo=UTC)
U1 = "0123456789abcdef0123456789abcdef"
SENT_SCHEMA = Draft202012Validator(json.loads((Path(__file__).parents[3] / "schemas" / "notifications-sent.json")
                                             .read_text()), format_checker=Draft202012Validator.FORMAT_CHECKER)


class Recorder:
    """A channel that records what it sends and fails as told (the agents' outbound dependency)."""

    def __init__(self, name: str, *errors: Exception) -> None:
        self.name, self.errors, self.sent = name, list(errors), []
        self.gate: asyncio.Event | None = None
        self.called, self.delivered = asyncio.Event(), asyncio.Event()

    async def send(self, notification):
        self.called.set()
        if self.gate is not None:
            await self.gate.wait()
        if self.errors:
            raise self.errors.pop(0)
        self.sent.append(notification)
        self.delivered.set()
        return DeliveryResult(self.name, notification.notification_id, f"<{notification.notification_id}>", 250)


@pytest.fixture
def channels(faust_app):
    made = {"email": Recorder("email"), "fcm": Recorder("fcm")}
    dispatcher = Dispatcher(made, delivery_state.report, concurrency=2, wait_for_claims=False,
                            clock=lambda: NOON)
    delivery_state.use(dispatcher)
    yield made
    delivery_state.use(None)
    delivery_state.retries.clear()


def job(channel: str = "email", attempt: int = 1, target=None) -> dict:
    nid = notification_id("c1", channel)
    notification = {"notification_id": nid, "channel": channel, "user_id": U1, "reservation_id": "r1",
                    "change_ids": ["c1"], "severity": "major", "locale": "en", "title": "Gate B2", "summary": "s",
                    "text": "t", "html": "<p>t</p>", "created_at": "2026-01-10T12:00:00Z",
                    "expires_at": "2026-01-12T18:05:00Z", "target": target or {"email": "ann@example.com"}}
    return {"kind": "deliver", "user_id": U1, "notification_id": nid, "attempt": attempt,
            "notification": notification, "detected_at": "2026-01-10T11:59:59Z"}


async def run_jobs(agent, sent, *jobs: dict) -> list[dict]:
    """Put jobs, let the dispatcher try them, feed the outcomes back; return the outcomes."""
    start = len(sent.to(topics.notification_deliveries))
    for item in jobs:
        await agent.put(key=U1, value=orjson.dumps(item))
    await delivery_state.dispatcher().drain()
    outcomes = [v for _, v in sent.to(topics.notification_deliveries)[start:]]
    for value in outcomes:
        await agent.put(key=U1, value=value)
    return [orjson.loads(v) for v in outcomes]


async def test_a_job_is_sent_once_even_when_redelivered(faust_app, sent, channels):
    async with deliver_notifications.test_context() as agent:
        outcome, = await run_jobs(agent, sent, job())
        assert outcome["outcome"] == "sent"
        assert await run_jobs(agent, sent, job()) == []
    assert len(channels["email"].sent) == 1
    entry = sent_notifications[U1][job()["notification_id"]]
    assert entry["status"] == "sent" and "job" not in entry
    record, = [orjson.loads(v) for _, v in sent.to(topics.notifications_sent)]
    assert record["status"] == "sent" and record["channel"] == "email" and record["latency_ms"] > 0


async def test_a_claim_left_by_a_stopped_worker_is_not_sent_again(faust_app, sent, channels):
    async with deliver_notifications.test_context() as agent:
        channels["email"].gate = asyncio.Event()  # the send is under way when the worker "dies"
        await agent.put(key=U1, value=orjson.dumps(job()))
        await channels["email"].called.wait()
        delivery_state.use(Dispatcher(channels, delivery_state.report, wait_for_claims=False))  # a new process
        await agent.put(key=U1, value=orjson.dumps(job()))  # the uncommitted job, replayed
    assert sent_notifications[U1][job()["notification_id"]]["status"] == "unknown"
    assert channels["email"].sent == []
    unknown = orjson.loads(sent.to(topics.notifications_sent)[0][1])
    assert unknown["status"] == "unknown"
    SENT_SCHEMA.validate(unknown)


async def test_failures_retry_with_backoff_then_dead_letter_and_forget_a_dead_device(faust_app, sent, channels):
    channels["email"].errors.append(RetryableError("busy", channel="email", reason="smtp-451"))
    channels["fcm"].errors.append(DeviceTokenInvalid("gone", channel="fcm", reason="UNREGISTERED", status=404))
    push = job("fcm", target={"token": "f" * 40, "device": "d1"})
    async with deliver_notifications.test_context() as agent:
        failed, retry = sorted(await run_jobs(agent, sent, job(), push), key=lambda o: o["outcome"])
        assert failed["outcome"] == "failed" and failed["device_gone"] and retry["outcome"] == "retry"
        waiting = sent_notifications[U1][job()["notification_id"]]
        assert waiting["status"] == "retrying" and waiting["retry_at"] > "2026-01-10T12:00:20"
        delivery_state.retries.set((U1, job()["notification_id"]), 0.0)  # its backoff has passed
        await send_due_retries()
        again = orjson.loads(sent.to(topics.notification_deliveries)[-1][1])
        assert again == {**job(), "attempt": 2}
        retried, = await run_jobs(agent, sent, again)
    assert retried["outcome"] == "sent" and len(channels["email"].sent) == 1
    assert sent_notifications[U1][push["notification_id"]]["status"] == "failed"
    records = [orjson.loads(v) for _, v in sent.to(topics.notifications_sent)]
    for record in records:
        SENT_SCHEMA.validate(record)
    statuses = sorted((r["channel"], r["status"]) for r in records)
    assert statuses == [("email", "retried"), ("email", "sent"), ("fcm", "failed")]
    dead, = [orjson.loads(v) for _, v in sent.to(topics.dead_letters)]
    assert dead["reason"] == "fcm: UNREGISTERED" and dead["agent"] == "deliver_notifications"
    (key, forget), = sent.to(topics.notification_commands)
    assert key == U1 and orjson.loads(forget)["device_id"] == "d1"


async def test_a_slow_channel_holds_up_only_itself(faust_app, sent, channels):
    channels["fcm"].gate = asyncio.Event()
    push = job("fcm", target={"token": "f" * 40, "device": "d1"})
    async with deliver_notifications.test_context() as agent:
        await agent.put(key=U1, value=orjson.dumps(push))
        await channels["fcm"].called.wait()
        await agent.put(key=U1, value=orjson.dumps(job()))
        await asyncio.wait_for(channels["email"].delivered.wait(), 5)  # while the push is still stuck
        assert channels["fcm"].sent == []
        channels["fcm"].gate.set()
        await delivery_state.dispatcher().drain()
    assert len(channels["fcm"].sent) == 1


async def command(agent, kind: str, n: int, **fields) -> dict:
    waiting = replies.expect(f"k{n}")
    await agent.put(key=U1, value=orjson.dumps({"command_id": f"k{n}", "kind": kind, "user_id": U1, **fields}))
    return waiting.result()


async def test_preferences_devices_and_read_marks(faust_app, sent):
    notifications.data[U1] = {"next_seq": 3, "items": [{"id": "n1", "seq": 1}, {"id": "n2", "seq": 2}]}
    async with apply_notification_commands.test_context() as agent:
        saved = await command(agent, "set-preferences", 1, preferences={"quiet_hours": None, "locale": "fr"})
        refused = await command(agent, "set-preferences", 2, preferences={"channels": {"sms": {}}})
        added = await command(agent, "add-device", 3, device={"kind": "apns", "token": "ab" * 32})
        assert (await command(agent, "remove-device", 4, device_id="nope"))["status"] == 404
        read = await command(agent, "read", 5, notification_id="n2")
        assert (await command(agent, "read", 6, notification_id="n9"))["status"] == 404
        await agent.put(key=U1, value=orjson.dumps({"kind": "forget-device", "user_id": U1,
                                                      "device_id": added["device"]["id"]}))
        all_read = await command(agent, "read-all", 7)
    assert saved["status"] == 200 and notification_preferences[U1]["locale"] == "fr"
    assert notification_preferences[U1]["quiet_hours"] is None
    assert refused["status"] == 422 and refused["errors"][0]["field"] == "channels.sms"
    assert added["status"] == 201 and "token" not in added["device"] and devices[U1] == {}
    assert read["unread_count"] == 1 and all_read["unread_count"] == 0
    assert notification_reads[U1] == {"before": 2, "ids": []}

"""The notifier's agents through Faust's test_context(): routing, manual edits, publishing, its clock."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import orjson
import pytest
from jsonschema import Draft202012Validator

from agents.notify import publish_notifications
from agents.notify.derive_manual_changes import derive_manual_changes
from agents.notify.hub import hub
from agents.notify.release_notifications import tick_due_users
from agents.notify.route_changes_to_users import route_changes_to_users
from domain.notify.notification import notification_id
from streams import topics
from tables.devices import devices
from tables.notification_batches import notification_batches
from tables.notification_preferences import notification_preferences
from tables.notifications import notifications
from tables.users import users

NOON = datetime(2026, 1, 10, 12, 0, tzinfo=UTC)
U1 = "0123456789abcdef0123456789abcdef"
FLIGHT = {"id": "r1", "type": "flight", "status": "confirmed", "start": "2026-01-12T10:15:00+01:00",
          "end": "2026-01-12T13:05:00-05:00", "start_time_zone": "Europe/Berlin", "end_time_zone": "America/New_York",
          "flight": {"airline": "LH", "number": "400", "from": "FRA", "to": "JFK", "departure_gate": "A1"},
          "version": 1}
CHANGE = {"change_id": "c1", "reservation_id": "r1", "user_id": U1, "severity": "major", "source": "poll",
          "detected_at": "2026-01-10T11:59:58.000Z", "provider_changed_at": None,
          "changes": [{"path": "departure.gate", "old": "A1", "new": "B2", "severity": "major"}]}
PROFILE = {"id": U1, "email": "ann@example.com", "locale": "de", "time_zone": "Europe/Berlin", "version": 1}
SENT_SCHEMA = Draft202012Validator(json.loads((Path(__file__).parents[3] / "schemas" / "notifications-sent.json")
                                             .read_text()), format_checker=Draft202012Validator.FORMAT_CHECKER)
FCM_DEVICE = {"id": "d1", "kind": "fcm", "token": "f" * 40, "name": None, "created_at": "t", "updated_at": "t"}


@pytest.fixture
def clock(monkeypatch):
    now = [NOON]
    monkeypatch.setattr(publish_notifications, "clock", lambda: now[0])
    # The deployment's configured channels (settings): e-mail and FCM here.
    monkeypatch.setattr(publish_notifications, "CHANNELS", frozenset({"email", "fcm"}))
    return now


def user_setup() -> None:
    users.data[U1] = PROFILE
    devices.data[U1] = {"d1": FCM_DEVICE}


async def test_tracking_changes_are_rekeyed_by_their_owner(faust_app, sent):
    async with route_changes_to_users.test_context() as agent:
        await agent.put(key="r1", value=orjson.dumps(CHANGE))
        await agent.put(key="r9", value=orjson.dumps(CHANGE))  # the key is not the change's reservation
    (key, value), = sent.to(topics.user_changes)
    assert key == U1 and orjson.loads(value) == {"kind": "change", "user_id": U1, "change": CHANGE}
    assert "not its reservation_id" in orjson.loads(sent.to(topics.dead_letters)[0][1])["reason"]


def event(kind: str, version: int, reservation: dict | None, changed=(), **extra) -> bytes:
    return orjson.dumps({"event_id": f"cmd-{version}", "event_type": kind, "reservation_id": "r1", "user_id": U1,
                         "version": version, "occurred_at": "2026-01-10T12:00:00.000Z",
                         "changed_fields": list(changed), "reservation": reservation, **extra})


async def test_manual_updates_become_changes_and_provider_updates_are_left_to_tracking(faust_app, sent):
    moved = {**FLIGHT, "flight": {**FLIGHT["flight"], "departure_gate": "C9"}, "version": 2}
    async with derive_manual_changes.test_context() as agent:
        await agent.put(key="r1", value=event("reservation.created", 1, FLIGHT))
        await agent.put(key="r1", value=event("reservation.updated", 2, moved, ["flight"], previous=FLIGHT))
        await agent.put(key="r1", value=event("reservation.updated", 2, moved, ["flight"], previous=FLIGHT))
        again = {**moved, "flight": {**moved["flight"], "departure_gate": "D1"}, "version": 3}
        await agent.put(key="r1", value=event("reservation.updated", 3, again, ["flight"], previous=moved,
                                              command_kind="provider-update"))
    first, redelivered = sent.to(topics.user_changes)
    assert redelivered == first  # the same change ID: the notifier keeps one (next test)
    change = orjson.loads(first[1])["change"]
    assert first[0] == U1 and change["change_id"] == "cmd-2" and change["source"] == "manual"
    assert change["changes"] == [{"path": "flight.departure_gate", "old": "A1", "new": "C9", "severity": "major"}]


def user_change(change: dict = CHANGE) -> bytes:
    return orjson.dumps({"kind": "change", "user_id": U1, "change": change})


async def test_a_change_reaches_the_feed_and_the_stream_at_once_and_the_channels_after_the_window(
        faust_app, sent, clock):
    user_setup()
    stream = await hub.subscribe(U1)
    try:
        async with publish_notifications.publish_notifications.test_context() as agent:
            await agent.put(key=U1, value=user_change())
            entry = stream.queue.get_nowait()
            assert entry["seq"] == 1 and entry["locale"] == "de" and "B2" in entry["title"]
            assert notifications[U1]["items"][0]["id"] == notification_id("c1", "web")
            assert sent.to(topics.notification_deliveries) == []
            assert publish_notifications.due._due[U1] == (NOON + timedelta(minutes=2)).timestamp()
            clock[0] = NOON + timedelta(minutes=2)
            await agent.put(key=U1, value=orjson.dumps({"kind": "tick", "user_id": U1}))
            await agent.put(key=U1, value=user_change())  # redelivered after it went out
    finally:
        hub.unsubscribe(stream)
    jobs = [orjson.loads(v) for _, v in sent.to(topics.notification_deliveries)]
    assert sorted(j["notification"]["channel"] for j in jobs) == ["email", "fcm"]
    assert {j["notification_id"] for j in jobs} == {notification_id("c1", "email"), notification_id("c1", "fcm", "d1")}
    assert jobs[0]["notification"]["locale"] == "de" and jobs[0]["detected_at"] == CHANGE["detected_at"]
    assert stream.queue.empty() and len(notifications[U1]["items"]) == 1
    web, = [orjson.loads(v) for _, v in sent.to(topics.notifications_sent)]
    assert web["channel"] == "web" and web["latency_ms"] == 2000
    SENT_SCHEMA.validate(web)
    assert notification_batches[U1]["batches"]["r1"]["pending"] is None


async def test_the_users_preferences_and_quiet_hours_hold_the_noise_until_morning(faust_app, sent, clock):
    user_setup()
    notification_preferences.data[U1] = {"channels": {"push": {"major": False}}, "quiet_hours":
                                         {"start": "23:00", "end": "06:30"}, "locale": "es"}
    clock[0] = datetime(2026, 1, 10, 22, 30, tzinfo=UTC)  # 23:30 in Berlin
    async with publish_notifications.publish_notifications.test_context() as agent:
        await agent.put(key=U1, value=user_change())
        clock[0] += timedelta(minutes=2)
        await agent.put(key=U1, value=orjson.dumps({"kind": "tick", "user_id": U1}))
        assert sent.to(topics.notification_deliveries) == []
        assert notifications[U1]["items"][0]["locale"] == "es"  # the feed makes no sound: not held
        morning = datetime(2026, 1, 11, 5, 30, tzinfo=UTC)  # 06:30 in Berlin
        assert publish_notifications.due._due[U1] == morning.timestamp()
        clock[0] = morning
        await agent.put(key=U1, value=orjson.dumps({"kind": "tick", "user_id": U1}))
    job, = [orjson.loads(v) for _, v in sent.to(topics.notification_deliveries)]
    assert job["notification"]["channel"] == "email" and job["notification"]["locale"] == "es"
    assert notification_batches[U1]["held"] == []


async def test_no_jobs_for_a_channel_the_deployment_has_no_settings_for(faust_app, sent, clock, monkeypatch):
    user_setup()
    monkeypatch.setattr(publish_notifications, "CHANNELS", frozenset({"fcm"}))
    critical = {**CHANGE, "severity": "critical",
                "changes": [{"path": "status", "old": "scheduled", "new": "cancelled", "severity": "critical"}]}
    async with publish_notifications.publish_notifications.test_context() as agent:
        await agent.put(key=U1, value=user_change(critical))
    jobs = [orjson.loads(v) for _, v in sent.to(topics.notification_deliveries)]
    assert [j["notification"]["channel"] for j in jobs] == ["fcm"]


async def test_the_timer_ticks_users_whose_notifications_are_due(faust_app, sent):
    publish_notifications.due.set("u7", 0.0)
    publish_notifications.due.set("u8", 4e9)
    await tick_due_users()
    assert sent.to(topics.user_changes) == [("u7", orjson.dumps({"kind": "tick", "user_id": "u7"}))]
    publish_notifications.due.clear()

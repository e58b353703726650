"""The delivering agent: the one writer of the ledger, so a notification ID reaches each channel once.

A job is claimed in the ledger before it is handed to the channel's queue (agents/notify/dispatch.py),
and the channel sends only once that claim is on the broker. A redelivered job finds its claim or its
outcome and is dropped; a claim found with no sender behind it (a crash, a handover) becomes ``unknown``
and is not sent again: a traveller may miss one push in that rare case, but never gets two.
"""

from __future__ import annotations

from datetime import UTC, datetime

import orjson
from faust.types import EventT

from agents.notify.delivery_state import dispatcher, retries
from domain.common.timestamps import to_utc, utc_iso
from domain.notify import ledger as ledger_rules
from faust_app import app
from streams import topics
from streams.dead_letters import Rejected, dead_letter, process
from tables.sent_notifications import sent_notifications

REQUIRED = ("kind", "user_id", "notification_id", "attempt")


def clock() -> datetime:
    return datetime.now(UTC)


@app.agent(topics.notification_deliveries, name="agents.deliver_notifications.deliver_notifications")
async def deliver_notifications(messages):
    """notification-deliveries -> channels, notifications-sent, dead-letters: each notification once, retried."""
    await process(messages, "deliver_notifications", deliver_one, REQUIRED, ("deliver", "result"), "user_id")


async def deliver_one(event: EventT, message: dict) -> None:
    if message["kind"] == "deliver":
        await _claim(event.key, message)
    else:
        await _settle(event, message)


async def _claim(user_id: str, job: dict) -> None:
    if not isinstance(job.get("notification"), dict) or job["notification"].get("notification_id") != \
            job["notification_id"]:
        raise Rejected("a delivery job needs its notification")
    ledger, nid = dict(sent_notifications.get(user_id) or {}), job["notification_id"]
    now = utc_iso(clock(), millis=True)
    action, entry = ledger_rules.claim(ledger.get(nid), job, dispatcher().in_flight(nid), now)
    if entry is None:
        return
    ledger[nid] = entry
    sent_notifications[user_id] = ledger_rules.prune(ledger)
    retries.set((user_id, nid), None)
    if action == "send":
        dispatcher().submit(user_id, job, sent_notifications.last_write)
    else:  # interrupted: record that we cannot know, and send nothing
        await _publish(user_id, nid, entry)


async def _settle(event: EventT, result: dict) -> None:
    user_id, nid = event.key, result["notification_id"]
    ledger = dict(sent_notifications.get(user_id) or {})
    entry = ledger_rules.settle(ledger.get(nid), result, utc_iso(clock(), millis=True))
    if entry is None:
        return  # an outcome already recorded (a replay) or of an attempt superseded since
    ledger[nid] = entry
    sent_notifications[user_id] = ledger_rules.prune(ledger)
    if entry["status"] == "retrying":
        retries.set((user_id, nid), to_utc(entry["retry_at"]).timestamp())
    await _publish(user_id, nid, entry)
    if entry["status"] == "failed":
        await dead_letter(event, "deliver_notifications", f"{entry['channel']}: {entry.get('reason')}")
        if result.get("device_gone") and result.get("device"):
            await topics.notification_commands.send(key=user_id, value=orjson.dumps({
                "kind": "forget-device", "user_id": user_id, "device_id": result["device"],
                "reason": entry.get("reason")}))


async def _publish(user_id: str, nid: str, entry: dict) -> None:
    record = ledger_rules.record(entry, user_id, nid)
    await topics.notifications_sent.send(key=record["reservation_id"], value=orjson.dumps(record))

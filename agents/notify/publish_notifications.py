"""The notifier: each user's changes in order, decided, collapsed, rendered and handed to the feed and the channels.

The feed (and so SSE) hears of a change at once; e-mail and push get a burst once its window closes, or
when quiet hours end (domain/notify/plan.py). Delivery jobs are on the broker before the state that says
they were made, so a crash in between replays the change rather than losing it; their IDs are stable, so
the delivering agent drops the copy (agents/notify/deliver_notifications.py).
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import orjson
from faust.types import EventT

from agents.notify.channels import configured
from agents.notify.hub import hub
from domain.common.timestamps import utc_iso
from domain.notify import feed as notify_feed
from domain.notify.changes import with_reservation
from domain.notify.devices import targets
from domain.notify.due import DueIndex
from domain.notify.ledger import latency_ms
from domain.notify.plan import Audience, Delivery, on_change, on_tick
from faust_app import app, settings
from runtime.i18n import translators
from streams import topics
from streams.dead_letters import Rejected, process
from tables.devices import devices
from tables.notification_batches import notification_batches
from tables.notification_preferences import notification_preferences
from tables.notifications import notifications
from tables.user_reservations import entry_key, user_reservations
from tables.users import users

REQUIRED = ("kind", "user_id")
CHANGE_FIELDS = ("change_id", "reservation_id", "user_id", "changes")
WINDOW = timedelta(seconds=settings.notify.collapse_s)
CHANNELS = configured(settings.notify)  # no jobs for a channel this deployment has no settings for
due = DueIndex()  # user ID -> when a tick has work (agents/notify/release_notifications.py sends it)


def clock() -> datetime:
    return datetime.now(UTC)


@app.agent(topics.user_changes, name="agents.publish_notifications.publish_notifications")
async def publish_notifications(messages):
    """user-changes -> notifications table, SSE, notification-deliveries: who hears what, when, in which words."""
    await process(messages, "publish_notifications", publish_one, REQUIRED, ("change", "tick"), "user_id")


async def publish_one(event: EventT, message: dict) -> None:
    user_id, now = event.key, clock()
    state = notification_batches.get(user_id)
    if message["kind"] == "change":
        plan = on_change(state, _change(user_id, message.get("change")), audience_of(user_id), now, WINDOW)
    else:
        plan = on_tick(state, audience_of(user_id), now, WINDOW)
    sent = [await topics.notification_deliveries.send(key=user_id, value=orjson.dumps(job(user_id, d, now)))
            for d in plan.deliveries]
    if sent:
        await asyncio.gather(*sent)
    if plan.feed:
        await _to_feed(user_id, plan.feed, now)
    if plan.state != state:
        notification_batches[user_id] = plan.state
    due.set(user_id, plan.due.timestamp() if plan.due else None)


def _change(user_id: str, change: object) -> dict:
    if not isinstance(change, dict) or any(name not in change for name in CHANGE_FIELDS):
        raise Rejected(f"a change needs {', '.join(CHANGE_FIELDS)}")
    if change["user_id"] != user_id:
        raise Rejected("the change is not this user's")
    held = user_reservations.get(entry_key(user_id, change["reservation_id"]))
    return with_reservation(change, held if held and not held.get("deleted") else None)


def audience_of(user_id: str) -> Audience:
    profile = users.get(user_id) or {}
    reachable = {name: found for name, found in targets(profile, devices.get(user_id)).items() if name in CHANNELS}
    return Audience(prefs=notification_preferences.get(user_id), time_zone=profile.get("time_zone") or "UTC",
                    locale=profile.get("locale"), targets=reachable, catalogs=translators())


def job(user_id: str, delivery: Delivery, now: datetime) -> dict:
    notification = delivery.notification
    return {"kind": "deliver", "user_id": user_id, "notification_id": notification.notification_id,
            "attempt": 1, "notification": notification.to_dict(), "detected_at": delivery.detected_at,
            "queued_at": utc_iso(now)}


async def _to_feed(user_id: str, entries: list[Delivery], now: datetime) -> None:
    feed, stamp = notifications.get(user_id), utc_iso(now, millis=True)
    fresh = []
    for delivery in entries:
        feed, stored = notify_feed.upsert(feed, notify_feed.entry_of(delivery.notification.to_dict()), stamp)
        if stored is not None:
            fresh.append((delivery, stored))
    if not fresh:
        return
    notifications[user_id] = feed
    for delivery, stored in fresh:
        hub.publish(user_id, {**notify_feed.shown(stored, None), "user_id": user_id})
        await topics.notifications_sent.send(key=stored["reservation_id"], value=orjson.dumps(
            web_record(user_id, stored, delivery.detected_at, stamp)))


def web_record(user_id: str, stored: dict, detected_at: str | None, now: str) -> dict:
    """The notifications-sent message for a feed entry: the in-app channel delivers by being written."""
    return {"schema_version": 1, "notification_id": stored["id"], "user_id": user_id,
            "reservation_id": stored["reservation_id"], "change_ids": stored["change_ids"], "channel": "web",
            "status": "sent", "attempt": 1, "reason": None, "provider_message_id": None,
            "detected_at": detected_at, "notified_at": now, "finished_at": now,
            "latency_ms": latency_ms(detected_at, now)}

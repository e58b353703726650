"""The notification settings agent: the one writer of preferences, devices and read marks."""

from __future__ import annotations

from faust.types import EventT

from domain.common.errors import DomainError
from domain.common.timestamps import now_iso
from domain.notify import devices as notify_devices
from domain.notify import feed as notify_feed
from domain.notify.prefs import parse_preferences
from faust_app import app
from streams import topics
from streams.dead_letters import process
from streams.replies import replies
from tables.devices import devices
from tables.notification_preferences import notification_preferences
from tables.notification_reads import notification_reads
from tables.notifications import notifications

REQUIRED = ("kind", "user_id")
KINDS = ("set-preferences", "add-device", "remove-device", "forget-device", "read", "read-all")


@app.agent(topics.notification_commands, name="agents.apply_notification_commands.apply_notification_commands")
async def apply_notification_commands(commands):
    """notification-commands -> notification-preferences, devices, notification-reads tables."""
    await process(commands, "apply_notification_commands", apply_one, REQUIRED, KINDS, "user_id")


async def apply_one(event: EventT, command: dict) -> None:
    user_id, kind = event.key, command["kind"]
    handler = {"set-preferences": _preferences, "add-device": _add_device, "read": _read,
               "read-all": _read_all}.get(kind, _remove_device)
    try:
        reply = handler(user_id, command)
    except DomainError as exc:  # the view checked already; a bad command from elsewhere is refused the same way
        reply = {"ok": False, "status": exc.status, "kind": exc.kind, "title": exc.title, "errors": exc.errors}
    if "command_id" in command:
        replies.resolve(command["command_id"], reply)


def _preferences(user_id: str, command: dict) -> dict:
    prefs = parse_preferences(command.get("preferences"))
    if notification_preferences.get(user_id) != prefs:
        notification_preferences[user_id] = prefs
    return {"ok": True, "status": 200, "preferences": prefs}


def _add_device(user_id: str, command: dict) -> dict:
    record = notify_devices.parse_device(command.get("device"))
    mine, stored = notify_devices.add(devices.get(user_id), record, command.get("issued_at") or now_iso())
    devices[user_id] = mine
    return {"ok": True, "status": 201, "device": notify_devices.public(stored)}


def _remove_device(user_id: str, command: dict) -> dict:
    mine = dict(devices.get(user_id) or {})
    if mine.pop(str(command.get("device_id")), None) is None:
        return {"ok": False, "status": 404, "kind": "not-found", "title": "No such device."}
    devices[user_id] = mine
    return {"ok": True, "status": 204}


def _read(user_id: str, command: dict) -> dict:
    feed = notifications.get(user_id)
    if notify_feed.find(feed, str(command.get("notification_id"))) is None:
        return {"ok": False, "status": 404, "kind": "not-found", "title": "No such notification."}
    reads = notify_feed.mark_read(notification_reads.get(user_id), feed, command["notification_id"])
    if reads != notification_reads.get(user_id):
        notification_reads[user_id] = reads
    return {"ok": True, "status": 204, "unread_count": notify_feed.unread_count(feed, reads)}


def _read_all(user_id: str, command: dict) -> dict:
    feed = notifications.get(user_id)
    reads = notify_feed.mark_all_read(feed, notification_reads.get(user_id))
    if reads != notification_reads.get(user_id):
        notification_reads[user_id] = reads
    return {"ok": True, "status": 204, "unread_count": 0}

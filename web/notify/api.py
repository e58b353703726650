"""The caller's notifications: the feed in pages, read marks, and the Web Push key (/api/v1/notifications)."""

from __future__ import annotations

import base64
import re
from functools import lru_cache

from aiohttp import web
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from faust import web as faust_web
from py_vapid import Vapid

from domain.common.errors import NotFound
from domain.notify import feed as notify_feed
from faust_app import settings
from streams import topics
from tables.notification_reads import notification_reads
from tables.notifications import notifications
from web.apidoc import SEQ_CURSOR, STR, TIME, answer, limit, op, param, ref
from web.auth import caller
from web.problems import json_response
from web.routing import forward_to_owner, send_command

blueprint = faust_web.Blueprint("notifications")
NOTIFICATION_ID = re.compile(r"^[0-9a-f-]{36}$")


def listing(user_id: str, query: dict) -> dict:
    """The feed page a query asks for (``after``: what changed since an event ID, oldest first)."""
    feed, reads = notifications.get(user_id), notification_reads.get(user_id)
    after = notify_feed.parse_seq(query.get("after"))
    if after is not None:
        items, cursor = notify_feed.after(feed, reads, after), None
    else:
        items, cursor = notify_feed.page(feed, reads, query.get("cursor"), query.get("limit"))
    return {"items": items, "next_cursor": cursor, "unread_count": notify_feed.unread_count(feed, reads),
            "last_event_id": notify_feed.last_seq(feed)}


@blueprint.route("/notifications", name="list")
class Notifications(faust_web.View):
    async def get(self, request: web.Request) -> web.Response:
        who = caller(request)
        if (routed := await forward_to_owner(request, notifications.name, who.user_id)) is not None:
            return routed
        return json_response(listing(who.user_id, dict(request.query)))


@blueprint.route("/notifications/{notification_id}/read", name="read")
class Read(faust_web.View):
    async def post(self, request: web.Request, notification_id: str) -> web.Response:
        who = caller(request)
        if not NOTIFICATION_ID.fullmatch(notification_id):
            raise NotFound("No such notification.")
        if (routed := await forward_to_owner(request, notifications.name, who.user_id)) is not None:
            return routed
        reply = await send_command(topics.notification_commands, who.user_id,
                                   {"kind": "read", "notification_id": notification_id, "user_id": who.user_id})
        return json_response({"unread_count": reply["unread_count"]})


@blueprint.route("/notifications/read-all", name="read_all")
class ReadAll(faust_web.View):
    async def post(self, request: web.Request) -> web.Response:
        who = caller(request)
        if (routed := await forward_to_owner(request, notifications.name, who.user_id)) is not None:
            return routed
        reply = await send_command(topics.notification_commands, who.user_id,
                                   {"kind": "read-all", "user_id": who.user_id})
        return json_response({"unread_count": reply["unread_count"]})


@blueprint.route("/notifications/vapid-public-key", name="vapid_key")
class VapidKey(faust_web.View):
    async def get(self, request: web.Request) -> web.Response:
        # The applicationServerKey a browser subscribes with (PushManager.subscribe).
        return json_response({"public_key": vapid_public_key(settings.notify.vapid_private_key.value)})


@lru_cache(maxsize=4)
def vapid_public_key(private_key: str) -> str:
    vapid = Vapid.from_pem(private_key.encode()) if "-----BEGIN" in private_key else Vapid.from_string(private_key)
    raw = vapid.public_key.public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


OPENAPI = {
    "schemas": {
        "Notification": {"type": "object", "properties": {
            "id": {"type": "string", "format": "uuid", "description": "stable: derived from the change and channel"},
            "seq": {"type": "integer", "description": "the SSE event ID; an entry updated in place gets a new one"},
            "reservation_id": STR, "change_ids": {"type": "array", "items": STR},
            "severity": {"enum": ["info", "major", "critical"]},
            "title": STR, "summary": STR, "locale": STR, "read": {"type": "boolean"},
            "created_at": TIME, "updated_at": TIME, "expires_at": TIME}},
        "NotificationPage": {"type": "object", "properties": {
            "items": {"type": "array", "items": ref("Notification")}, "next_cursor": {"type": ["string", "null"]},
            "unread_count": {"type": "integer"},
            "last_event_id": {"type": "integer",
                              "description": "pass as last_event_id to the stream to miss nothing"}}},
        "UnreadCount": {"type": "object", "properties": {"unread_count": {"type": "integer"}}},
        "VapidKey": {"type": "object", "properties": {"public_key": {
            "type": "string", "description": "base64url P-256 point: PushManager.subscribe's applicationServerKey"}}},
    },
    "paths": {
        "/api/v1/notifications": {
            "get": op("The caller's notifications, newest first, with the unread count",
                      {"200": answer(ref("NotificationPage"))},
                      params=[SEQ_CURSOR, limit(100),
                              param("after", schema={"type": "integer", "description": "entries changed after this "
                                                     "event ID, oldest first"})], errors=(422, 503))},
        "/api/v1/notifications/{notification_id}/read": {
            "post": op("Mark one notification read", {"200": answer(ref("UnreadCount"))},
                       params=[param("notification_id", "path", {"type": "string", "format": "uuid"})],
                       errors=(404, 503))},
        "/api/v1/notifications/read-all": {
            "post": op("Mark every notification read", {"200": answer(ref("UnreadCount"))}, errors=(503,))},
        "/api/v1/notifications/vapid-public-key": {
            "get": op("The Web Push (VAPID) public key browsers subscribe with", {"200": answer(ref("VapidKey"))},
                      auth=False)},
    },
}

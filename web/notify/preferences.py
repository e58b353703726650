"""The caller's notification preferences and push devices (/api/v1/me/notification-preferences, /api/v1/me/devices)."""

from __future__ import annotations

from aiohttp import web
from faust import web as faust_web

from domain.common.errors import NotFound
from domain.common.ids import HEX_ID as DEVICE_ID
from domain.notify.devices import APNS_TOKEN, B64URL, TOKEN, parse_device, public
from domain.notify.prefs import effective, parse_preferences
from streams import topics
from tables.devices import devices
from tables.notification_preferences import notification_preferences
from web.apidoc import STR, TIME, answer, op, param, ref
from web.auth import caller
from web.problems import json_response
from web.routing import forward_to_owner, read_json, send_command

blueprint = faust_web.Blueprint("notification_preferences")


@blueprint.route("/me/notification-preferences", name="preferences")
class Preferences(faust_web.View):
    async def get(self, request: web.Request) -> web.Response:
        who = caller(request)
        if (routed := await forward_to_owner(request, notification_preferences.name, who.user_id)) is not None:
            return routed
        return json_response(effective(notification_preferences.get(who.user_id)))

    async def put(self, request: web.Request) -> web.Response:
        who = caller(request)
        prefs = parse_preferences(await read_json(request))
        if (routed := await forward_to_owner(request, notification_preferences.name, who.user_id)) is not None:
            return routed
        reply = await send_command(topics.notification_commands, who.user_id,
                                   {"kind": "set-preferences", "preferences": prefs, "user_id": who.user_id})
        return json_response(reply["preferences"])


@blueprint.route("/me/devices", name="devices")
class Devices(faust_web.View):
    async def get(self, request: web.Request) -> web.Response:
        who = caller(request)
        if (routed := await forward_to_owner(request, devices.name, who.user_id)) is not None:
            return routed
        mine = sorted((devices.get(who.user_id) or {}).values(), key=lambda d: d["created_at"])
        return json_response({"items": [public(d) for d in mine]})

    async def post(self, request: web.Request) -> web.Response:
        who = caller(request)
        device = parse_device(await read_json(request))
        if (routed := await forward_to_owner(request, devices.name, who.user_id)) is not None:
            return routed
        reply = await send_command(topics.notification_commands, who.user_id,
                                   {"kind": "add-device", "device": device, "user_id": who.user_id})
        return json_response(reply["device"], 201, headers={"Location": f"/api/v1/me/devices/{reply['device']['id']}"})


@blueprint.route("/me/devices/{device_id}", name="device")
class Device(faust_web.View):
    async def delete(self, request: web.Request, device_id: str) -> web.Response:
        who = caller(request)
        if not DEVICE_ID.fullmatch(device_id):
            raise NotFound("No such device.")
        if (routed := await forward_to_owner(request, devices.name, who.user_id)) is not None:
            return routed
        await send_command(topics.notification_commands, who.user_id,
                           {"kind": "remove-device", "device_id": device_id, "user_id": who.user_id})
        return web.Response(status=204)


_DEVICE_NAME = {"type": ["string", "null"], "maxLength": 100, "description": "what the traveller calls it"}
_LEVELS = {"type": "object", "additionalProperties": False,
           "properties": {level: {"type": "boolean"} for level in ("critical", "major", "info")}}
_CLOCK = {"type": "string", "pattern": "^([01]\\d|2[0-3]):[0-5]\\d$"}
OPENAPI = {
    "schemas": {
        "NotificationPreferences": {"type": "object", "additionalProperties": False, "properties": {
            "channels": {"type": "object", "additionalProperties": False, "description": "per channel, per severity",
                         "properties": {c: _LEVELS for c in ("web", "email", "push", "webpush")}},
            "quiet_hours": {"oneOf": [{"type": "null"}, {"type": "object", "required": ["start", "end"],
                                                          "additionalProperties": False,
                                                          "properties": {"start": _CLOCK, "end": _CLOCK}}],
                            "description": "in the profile's time zone; critical news goes through"},
            "locale": {"type": ["string", "null"], "minLength": 2, "maxLength": 35,
                       "description": "a language tag (es-MX, pt_BR); null: the profile's locale"},
            "year_summary": {"type": "boolean", "default": False,
                             "description": "on 1 January, e-mail and push the year just ended (off by default)"}}},
        "DeviceInput": {"oneOf": [
            {"type": "object", "additionalProperties": False, "required": ["kind", "token"], "properties": {
                "kind": {"const": "fcm"}, "name": _DEVICE_NAME,
                "token": {"type": "string", "pattern": TOKEN.pattern,
                          "description": "the registration token Firebase gave the app"}}},
            {"type": "object", "additionalProperties": False, "required": ["kind", "token"], "properties": {
                "kind": {"const": "apns"}, "name": _DEVICE_NAME,
                "token": {"type": "string", "pattern": APNS_TOKEN.pattern,
                          "description": "the device token APNs gave the app, in hex"}}},
            {"type": "object", "additionalProperties": False, "required": ["kind", "subscription"], "properties": {
                "kind": {"const": "webpush"}, "name": _DEVICE_NAME,
                "subscription": {"type": "object", "required": ["endpoint", "keys"],
                                 "description": "the browser's PushSubscription JSON", "properties": {
                                     "endpoint": {"type": "string", "format": "uri", "maxLength": 2000,
                                                  "pattern": "^https?://[^/?#]+"},
                                     "keys": {"type": "object", "required": ["p256dh", "auth"], "properties": {
                                         k: {"type": "string", "maxLength": 200, "pattern": B64URL.pattern}
                                         for k in ("p256dh", "auth")}}}}}}]},
        "Device": {"type": "object", "description": "tokens and subscriptions are never shown", "properties": {
            "id": STR, "kind": {"enum": ["fcm", "apns", "webpush"]}, "name": {"type": ["string", "null"]},
            "created_at": TIME, "updated_at": TIME}},
        "DeviceList": {"type": "object", "properties": {"items": {"type": "array", "items": ref("Device")}}},
    },
    "paths": {
        "/api/v1/me/notification-preferences": {
            "get": op("The caller's notification preferences (defaults filled in)",
                      {"200": answer(ref("NotificationPreferences"))}, errors=(503,)),
            "put": op("Replace the caller's notification preferences",
                      {"200": answer(ref("NotificationPreferences"))},
                      body="NotificationPreferences", errors=(400, 413, 415, 422, 503))},
        "/api/v1/me/devices": {
            "get": op("The caller's push devices", {"200": answer(ref("DeviceList"))}, errors=(503,)),
            "post": op("Register a mobile push token or a Web Push subscription (the same one again is one device)",
                       {"201": answer(ref("Device"), "Registered", ["Location"])}, body="DeviceInput",
                       errors=(400, 413, 415, 422, 503))},
        "/api/v1/me/devices/{device_id}": {
            "delete": op("Forget a push device", {"204": {"description": "Forgotten"}},
                         params=[param("device_id", "path", {"type": "string", "pattern": DEVICE_ID.pattern})],
                         errors=(404, 503))},
    },
}

"""The caller's notification preferences and push devices (/api/v1/me/notification-preferences, /api/v1/me/devices)."""

from __future__ import annotations

import re

from aiohttp import web
from faust import web as faust_web

from domain.common.errors import NotFound
from domain.notify.devices import parse_device, public
from domain.notify.prefs import effective, parse_preferences
from streams import topics
from tables.devices import devices
from tables.notification_preferences import notification_preferences
from web.auth import caller
from web.problems import json_response
from web.routing import forward_to_owner, read_json, send_command

blueprint = faust_web.Blueprint("notification_preferences")
DEVICE_ID = re.compile(r"^[0-9a-f]{32}$")


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
        if not DEVICE_ID.match(device_id):
            raise NotFound("No such device.")
        if (routed := await forward_to_owner(request, devices.name, who.user_id)) is not None:
            return routed
        await send_command(topics.notification_commands, who.user_id,
                           {"kind": "remove-device", "device_id": device_id, "user_id": who.user_id})
        return web.Response(status=204)

"""The provider registry for administrators: /api/v1/admin/providers (role admin)."""

from __future__ import annotations

import secrets

from aiohttp import web
from faust import web as faust_web

from domain.common.errors import NotFound
from domain.providers import registry as rules
from streams import topics
from tables.providers import providers
from web.auth import require_role
from web.problems import json_response
from web.routing import forward_to_consumer, read_json, send_command

blueprint = faust_web.Blueprint("providers")


@blueprint.route("/admin/providers", name="collection")
class Providers(faust_web.View):
    async def get(self, request: web.Request) -> web.Response:
        require_role(request, "admin", "support")
        # A GlobalTable: every worker holds every provider, so any worker can list them.
        items = sorted((rules.public(p) for p in providers.values()), key=lambda p: p["provider_id"])
        return json_response({"items": items})

    async def post(self, request: web.Request) -> web.Response:
        require_role(request, "admin")
        record = rules.check(await read_json(request), creating=True)
        if (routed := await forward_to_consumer(request, topics.provider_commands, record["provider_id"])):
            return routed
        secret = secrets.token_urlsafe(32) if record["can_push"] else None
        reply = await send_command(topics.provider_commands, record["provider_id"], {
            "kind": "register", "provider_id": record["provider_id"], "data": {**record, "webhook_secret": secret}})
        shown = rules.public(reply["provider"])
        if secret:  # shown once, to configure the provider's pushes; never again
            shown["webhook_secret"] = secret
            shown["webhook_url"] = f"/api/v1/webhooks/providers/{record['provider_id']}"
        return json_response(shown, 201, headers={"Location": f"/api/v1/admin/providers/{record['provider_id']}"})


@blueprint.route("/admin/providers/{provider_id}", name="detail")
class Provider(faust_web.View):
    async def get(self, request: web.Request, provider_id: str) -> web.Response:
        require_role(request, "admin", "support")
        record = providers.get(provider_id)
        if record is None:
            raise NotFound("No such provider.")
        return json_response(rules.public(record), headers={"ETag": f'"{record["version"]}"'})

    async def patch(self, request: web.Request, provider_id: str) -> web.Response:
        require_role(request, "admin")
        changes = rules.check(await read_json(request), creating=False)
        changes.pop("provider_id", None)
        return await _update(request, provider_id, changes)

    async def delete(self, request: web.Request, provider_id: str) -> web.Response:
        """Disable, not forget: tracking stops polling it; its history and records stay."""
        require_role(request, "admin")
        return await _update(request, provider_id, {"enabled": False})


async def _update(request: web.Request, provider_id: str, changes: dict) -> web.Response:
    if (routed := await forward_to_consumer(request, topics.provider_commands, provider_id)):
        return routed
    reply = await send_command(topics.provider_commands, provider_id,
                               {"kind": "update", "provider_id": provider_id, "data": changes})
    return json_response(rules.public(reply["provider"]))

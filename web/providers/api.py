"""The provider registry for administrators: /api/v1/admin/providers (role admin)."""

from __future__ import annotations

import secrets

from aiohttp import web
from faust import web as faust_web

from domain.common.errors import NotFound
from domain.providers import registry as rules
from streams import topics
from tables.providers import providers
from web.apidoc import STR, answer, op, param, ref
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


_PROVIDER = param("provider_id", "path")
_CREDENTIALS = {"type": "object", "additionalProperties": STR}
_TUNING = {"batch_size": {"type": "integer"}, "can_push": {"type": "boolean"}, "enabled": {"type": "boolean"},
           "timeout_s": {"type": "number"}, "max_concurrency": {"type": "integer"}}
OPENAPI = {
    "schemas": {
        "ProviderInput": {"type": "object", "additionalProperties": False,
                          "required": ["provider_id", "kind", "base_url"],
                          "properties": {"provider_id": {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]{1,62}$"},
                                         "kind": {"enum": ["standard", "amadeus", "gds"]}, "name": STR,
                                         "base_url": {"type": "string", "format": "uri"},
                                         "credentials": _CREDENTIALS,
                                         "quota": {"type": "object", "properties": {
                                             "per_second": {"type": "number"}, "per_day": {"type": "number"}}},
                                         **_TUNING}},
        "ProviderPatch": {"type": "object", "additionalProperties": False, "description": "any ProviderInput field",
                          "properties": {"kind": {"enum": ["standard", "amadeus", "gds"]}, "name": STR,
                                         "base_url": STR, "credentials": _CREDENTIALS, **_TUNING,
                                         "quota": {"type": "object"}}},
        "Provider": {"type": "object", "description": "credentials are never shown: only credential_names",
                     "properties": {"provider_id": STR, "kind": STR, "base_url": STR, "enabled": {"type": "boolean"},
                                    "credential_names": {"type": "array", "items": STR},
                                    "version": {"type": "integer"},
                                    "webhook_secret": {"type": "string", "description": "only in the 201 response"}}},
    },
    "paths": {
        "/api/v1/admin/providers": {
            "get": op("List providers (admin, support)", {"200": answer({"type": "object", "properties": {
                "items": {"type": "array", "items": ref("Provider")}}})}, errors=(403,)),
            "post": op("Register a provider (admin)", {"201": answer(ref("Provider"), "Created", ["Location"])},
                       body="ProviderInput", errors=(400, 403, 409, 415, 422, 503))},
        "/api/v1/admin/providers/{provider_id}": {
            "get": op("One provider (admin, support)", {"200": answer(ref("Provider"), headers=["ETag"])},
                      params=[_PROVIDER], errors=(403, 404)),
            "patch": op("Change a provider (admin)", {"200": answer(ref("Provider"))}, body="ProviderPatch",
                        params=[_PROVIDER], errors=(400, 403, 404, 415, 422, 503)),
            "delete": op("Disable a provider (admin); its record stays", {"200": answer(ref("Provider"))},
                         params=[_PROVIDER], errors=(403, 404, 503))},
    },
}

"""Provider pushes: POST /api/v1/webhooks/providers/{provider_id}, HMAC-signed and replay-protected."""

from __future__ import annotations

import time

from aiohttp import web
from faust import web as faust_web

from agents.tracking.index_tracked_subjects import ingest_pushed
from domain.common.errors import NotFound
from integrations.providers.webhook import ReplayedEvent, ReplayGuard, WebhookRejected, verify_push
from tables.providers import providers
from web.apidoc import STR, answer, op, param
from web.problems import json_response, problem

blueprint = faust_web.Blueprint("webhooks")
# Per worker: a push retried to another worker passes this guard there, which is harmless because the
# diff downstream is idempotent (the same snapshot again is no change, and change IDs are stable).
_guard = ReplayGuard()


@blueprint.route("/webhooks/providers/{provider_id}", name="provider-push")
class ProviderPush(faust_web.View):
    async def post(self, request: web.Request, provider_id: str) -> web.Response:
        provider = providers.get(provider_id)
        if provider is None or not provider.get("can_push") or not provider.get("webhook_secret"):
            raise NotFound("No provider pushes here.")
        if not provider.get("enabled", True):
            return problem(409, "provider-disabled", "This provider is disabled; its pushes are not accepted.")
        body = await request.read()
        try:
            event = verify_push(provider["webhook_secret"], request.headers, body, time.time(), _guard)
        except ReplayedEvent:
            # Already taken: say so with a success, or a provider whose first answer was lost retries forever.
            return json_response({"accepted": request.headers.get("X-RW-Event-Id"), "duplicate": True}, 200)
        except WebhookRejected as exc:
            return problem(401, "bad-signature", f"The push was not accepted: {exc}.")
        except ValueError as exc:
            return problem(422, "malformed-push", f"The push body is not a valid event: {exc}.")
        await ingest_pushed({**event, "provider_id": provider_id})
        return json_response({"accepted": event["event_id"]}, 202)


# Signed by the provider, not by a user: no bearer token.
_PUSH_HEADERS = [param(h, "header", required=True) for h in ("X-RW-Timestamp", "X-RW-Signature", "X-RW-Event-Id")]
OPENAPI = {
    "schemas": {
        "ProviderPush": {"type": "object", "required": ["event_id", "subject", "snapshot"],
                         "description": "schemas/provider-standard-interface.json describes the snapshot",
                         "properties": {"event_id": STR, "subject": STR, "snapshot": {"type": "object"},
                                        "changed_at": {"type": ["string", "null"], "format": "date-time"}}},
    },
    "paths": {
        "/api/v1/webhooks/providers/{provider_id}": {
            "post": op("A provider pushes a changed snapshot (HMAC-SHA256 over '<timestamp>.<body>')",
                       {"202": answer({"type": "object", "properties": {"accepted": STR}}, "Accepted"),
                        "200": answer({"type": "object", "properties": {"accepted": STR, "duplicate": {"const": True}}},
                                      "Already received")},
                       body="ProviderPush", auth=False, params=[param("provider_id", "path"), *_PUSH_HEADERS],
                       errors=(401, 404, 409, 413, 422))},
    },
}

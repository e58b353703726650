"""GET /healthz: 200 once the worker is Ready (assigned and recovered), 503 while it is not."""

from __future__ import annotations

from aiohttp import web
from faust import web as faust_web

from faust_app import app
from web.apidoc import answer, op, ref
from web.problems import json_response

blueprint = faust_web.Blueprint("health")


@blueprint.route("/healthz", name="healthz")
class Health(faust_web.View):
    async def get(self, request: web.Request) -> web.Response:
        recovery = app.tables.recovery
        consumer = app.consumer
        broker_ok = bool(consumer.assignment()) or not app.rebalancing
        state = {
            "broker": {"connected": broker_ok, "assigned_partitions": len(consumer.assignment())},
            "tables": {
                "recovered": recovery.completed.is_set() and not recovery.in_recovery,
                "in_recovery": recovery.in_recovery,
                "active_remaining": recovery.active_remaining_total(),
                "standby_remaining": recovery.standby_remaining_total(),
            },
            "rebalancing": app.rebalancing,
        }
        ready = state["tables"]["recovered"] and not app.rebalancing and broker_ok
        return json_response({"status": "ready" if ready else "starting", **state}, 200 if ready else 503)


OPENAPI = {
    "schemas": {"Health": {"type": "object", "properties": {"status": {"enum": ["ready", "starting"]}}}},
    "paths": {"/healthz": {"get": op("Readiness", {"200": answer(ref("Health")),
                                                   "503": answer(ref("Health"), "Not ready")}, auth=False)}},
}

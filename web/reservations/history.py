"""A reservation's change history: GET /api/v1/reservations/{id}/history, newest first, in pages."""

from __future__ import annotations

from aiohttp import web
from faust import web as faust_web

from domain.common.errors import NotFound
from domain.tracking import history
from tables.reservation_history import reservation_history
from tables.reservations import reservations
from web.apidoc import SEQ_CURSOR, TIME, answer, limit, op, ref
from web.auth import caller
from web.problems import json_response
from web.reservations.api import ID_PARAM, RESERVATION_ID
from web.routing import forward_to_owner

blueprint = faust_web.Blueprint("history")


@blueprint.route("/reservations/{reservation_id}/history", name="history")
class History(faust_web.View):
    async def get(self, request: web.Request, reservation_id: str) -> web.Response:
        who = caller(request)
        if not RESERVATION_ID.fullmatch(reservation_id):
            raise NotFound("No such reservation.")
        # The history and the reservations tables are keyed alike and so owned by the same worker.
        if (routed := await forward_to_owner(request, reservations.name, reservation_id)) is not None:
            return routed
        state = reservations.get(reservation_id)
        if state is None or state["user_id"] != who.user_id:
            raise NotFound("No such reservation.")
        items, cursor = history.page(reservation_history.get(reservation_id),
                                              request.query.get("cursor"), request.query.get("limit"))
        return json_response({"items": items, "next_cursor": cursor})


_SEVERITY = {"enum": ["info", "major", "critical"]}
OPENAPI = {
    "schemas": {
        "FieldChange": {"type": "object", "required": ["path", "old", "new", "severity"], "properties": {
            "path": {"type": "string", "description": "e.g. departure.gate, status, hotel check_in"},
            "old": {}, "new": {}, "severity": _SEVERITY}},
        "HistoryEntry": {"type": "object", "properties": {
            "seq": {"type": "integer"}, "change_id": {"type": "string", "format": "uuid"}, "severity": _SEVERITY,
            "changes": {"type": "array", "items": ref("FieldChange")}, "detected_at": TIME,
            "provider_changed_at": {"type": ["string", "null"], "format": "date-time"},
            "source": {"enum": ["poll", "push"]}, "provider": {"type": ["string", "null"]}}},
        "HistoryPage": {"type": "object", "properties": {
            "items": {"type": "array", "items": ref("HistoryEntry")}, "next_cursor": {"type": ["string", "null"]}}},
    },
    "paths": {
        "/api/v1/reservations/{reservation_id}/history": {
            "get": op("The changes tracking found in a reservation, newest first", {"200": answer(ref("HistoryPage"))},
                      params=[ID_PARAM, SEQ_CURSOR, limit(200)], errors=(404, 422, 503))},
    },
}

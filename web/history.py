"""A reservation's change history: GET /api/v1/reservations/{id}/history, newest first, in pages."""

from __future__ import annotations

from aiohttp import web
from faust import web as faust_web

from domain.common.errors import NotFound
from domain.tracking import history
from tables.reservation_history import reservation_history
from tables.reservations import reservations
from web.auth import caller
from web.problems import json_response
from web.reservations import RESERVATION_ID
from web.routing import forward_to_owner

blueprint = faust_web.Blueprint("history")


@blueprint.route("/reservations/{reservation_id}/history", name="history")
class History(faust_web.View):
    async def get(self, request: web.Request, reservation_id: str) -> web.Response:
        who = caller(request)
        if not RESERVATION_ID.match(reservation_id):
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

"""POST /api/v1/test-clock: move this worker's trip clock forward, served only with the test clock on.

Tests end trips this way without waiting for real hours. Each worker has its own clock: a test moves every
worker's. Off (the default), the route does not exist, so it is not part of the API (web/openapi.py).
"""

from __future__ import annotations

from aiohttp import web
from faust import web as faust_web

from domain.common.errors import FieldErrors
from domain.common.timestamps import utc_iso
from runtime.clock import trips_clock
from web.auth import caller
from web.problems import json_response
from web.routing import read_json

blueprint = faust_web.Blueprint("clock")
MAX_ADVANCE_S = 400 * 86400.0


@blueprint.route("/test-clock", name="advance")
class AdvanceClock(faust_web.View):
    async def post(self, request: web.Request) -> web.Response:
        caller(request)
        seconds = (await read_json(request)).get("advance_s")
        if isinstance(seconds, bool) or not isinstance(seconds, int | float) or not 0 < seconds <= MAX_ADVANCE_S:
            errors = FieldErrors()
            errors.add("advance_s", f"must be a number of seconds above 0, at most {MAX_ADVANCE_S:.0f}")
            errors.raise_if_any()
        return json_response({"now": utc_iso(trips_clock.advance(seconds))})

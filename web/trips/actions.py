"""The trip page's forms: rename or mark private, delete, merge, split, move a reservation (POST, then 303)."""

from __future__ import annotations

from aiohttp import web
from faust import web as faust_web

from web.pages import call_api, login_first, redirect
from web.trips.pages import failed, trip_page

blueprint = faust_web.Blueprint("trip_actions")
NO_TRIP = "none"


@blueprint.route("/trips/{trip_id}/edit", name="edit")
class EditTrip(faust_web.View):
    async def post(self, request: web.Request, trip_id: str) -> web.Response:
        form = await request.post()
        name = str(form.get("name", "")).strip()
        # An emptied name gives the trip back its automatic one.
        body = {"name": name or None, "private": form.get("private") == "on"}
        return await _then_trip(request, trip_id, "PATCH", f"/api/v1/trips/{trip_id}", body)


@blueprint.route("/trips/{trip_id}/delete", name="delete")
class DeleteTrip(faust_web.View):
    async def post(self, request: web.Request, trip_id: str) -> web.Response:
        if (away := login_first(request)) is not None:
            return away
        answer = await call_api(request, "DELETE", f"/api/v1/trips/{trip_id}")
        return redirect("/") if answer.ok else failed(request, answer)


@blueprint.route("/trips/{trip_id}/merge", name="merge")
class MergeTrip(faust_web.View):
    async def post(self, request: web.Request, trip_id: str) -> web.Response:
        form = await request.post()
        body = {"trip_id": str(form.get("other_trip_id", ""))}
        return await _then_trip(request, trip_id, "POST", f"/api/v1/trips/{trip_id}/merge", body)


@blueprint.route("/trips/{trip_id}/split", name="split")
class SplitTrip(faust_web.View):
    async def post(self, request: web.Request, trip_id: str) -> web.Response:
        if (away := login_first(request)) is not None:
            return away
        form = await request.post()
        body = {"reservation_ids": [str(v) for v in form.getall("reservation_ids", [])]}
        answer = await call_api(request, "POST", f"/api/v1/trips/{trip_id}/split", body)
        if not answer.ok:
            return await _refused(request, trip_id, answer)
        return redirect(f"/trips/{answer.body['id']}")


@blueprint.route("/trips/{trip_id}/move", name="move")
class MoveReservation(faust_web.View):
    async def post(self, request: web.Request, trip_id: str) -> web.Response:
        """A reservation into another trip, into this one, or out of this one into no trip."""
        form = await request.post()
        reservation_id, target = str(form.get("reservation_id", "")), str(form.get("target", ""))
        if target == NO_TRIP:
            path = f"/api/v1/trips/{trip_id}/reservations/{reservation_id}"
            return await _then_trip(request, trip_id, "DELETE", path, None)
        path = f"/api/v1/trips/{target}/reservations"
        return await _then_trip(request, trip_id, "POST", path, {"reservation_id": reservation_id})


async def _then_trip(request: web.Request, trip_id: str, method: str, path: str, body: dict | None):
    """Ask the API, then back to the trip's page (or the page again with the API's message)."""
    if (away := login_first(request)) is not None:
        return away
    answer = await call_api(request, method, path, body)
    if not answer.ok:
        return await _refused(request, trip_id, answer)
    return redirect(f"/trips/{trip_id}")


async def _refused(request: web.Request, trip_id: str, answer) -> web.Response:
    if answer.status in (401, 404):
        return failed(request, answer)
    return await trip_page(request, trip_id, answer)

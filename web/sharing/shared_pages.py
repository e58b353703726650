"""Trips others shared with the traveller: the list (/shared) and one trip as their role sees it
(/shared/{owner_id}/{trip_id}), which an editor may rename and add a flight to.

Every read asks the API, which checks the share in the owner's book: a withdrawn share answers the not-found
page on the next request.
"""

from __future__ import annotations

import asyncio

from aiohttp import web
from faust import web as faust_web

from domain.common.ids import HEX_ID
from web import session
from web.pages import Answer, call_api, redirect, render
from web.trips.pages import itinerary

blueprint = faust_web.Blueprint("shared_pages")
FLIGHT_FIELDS = ("airline", "number", "from", "to", "start", "end", "confirmation")


@blueprint.route("/shared", name="shared_trips")
class SharedTrips(faust_web.View):
    async def get(self, request: web.Request) -> web.Response:
        if not session.token_of(request):
            return redirect("/login?next=/shared")
        me, listed = await asyncio.gather(call_api(request, "GET", "/api/v1/me"),
                                          call_api(request, "GET", "/api/v1/shared-trips"))
        if not listed.ok:
            return _failed(request, listed)
        return render(request, "sharing/shared_list.html", profile=me.body if me.ok else None,
                      trips=listed.body["items"])


@blueprint.route("/shared/{owner_id}/{trip_id}", name="shared_trip")
class SharedTrip(faust_web.View):
    async def get(self, request: web.Request, owner_id: str, trip_id: str) -> web.Response:
        if (refused := _refused(request, owner_id, trip_id)) is not None:
            return refused
        return await _page(request, owner_id, trip_id)


@blueprint.route("/shared/{owner_id}/{trip_id}/rename", name="rename_shared_trip")
class Rename(faust_web.View):
    async def post(self, request: web.Request, owner_id: str, trip_id: str) -> web.Response:
        if (refused := _refused(request, owner_id, trip_id)) is not None:
            return refused
        form = await request.post()
        name = str(form.get("name", "")).strip()
        answer = await call_api(request, "PATCH", f"/api/v1/shared-trips/{owner_id}/{trip_id}", {"name": name})
        if not answer.ok:
            return await _page(request, owner_id, trip_id, refused=("rename", answer, {"name": name}))
        return redirect(f"/shared/{owner_id}/{trip_id}")


@blueprint.route("/shared/{owner_id}/{trip_id}/reservations", name="add_to_shared_trip")
class AddFlight(faust_web.View):
    async def post(self, request: web.Request, owner_id: str, trip_id: str) -> web.Response:
        """An editor adds a flight to the trip (the owner's reservation, placed in this trip)."""
        if (refused := _refused(request, owner_id, trip_id)) is not None:
            return refused
        form = await request.post()
        values = {name: str(form.get(name, "")).strip() for name in FLIGHT_FIELDS}
        answer = await call_api(request, "POST", f"/api/v1/shared-trips/{owner_id}/{trip_id}/reservations",
                                _flight(values))
        if not answer.ok:
            return await _page(request, owner_id, trip_id, refused=("flight", answer, values))
        return redirect(f"/shared/{owner_id}/{trip_id}")


@blueprint.route("/shared/{owner_id}/{trip_id}/leave", name="leave_shared_trip")
class Leave(faust_web.View):
    async def post(self, request: web.Request, owner_id: str, trip_id: str) -> web.Response:
        if (refused := _refused(request, owner_id, trip_id)) is not None:
            return refused
        answer = await call_api(request, "DELETE", f"/api/v1/shared-trips/{owner_id}/{trip_id}")
        return redirect("/shared") if answer.ok or answer.status == 404 else _failed(request, answer)


async def _page(request: web.Request, owner_id: str, trip_id: str, refused: tuple | None = None) -> web.Response:
    """The trip as the caller's role sees it, with their calendar feed for it; ``refused`` is a form the API
    turned down (its name, the answer, the values sent), shown with the messages next to its fields."""
    base = f"/api/v1/shared-trips/{owner_id}/{trip_id}"
    me, trip, feed = await asyncio.gather(call_api(request, "GET", "/api/v1/me"), call_api(request, "GET", base),
                                          call_api(request, "GET", base + "/calendar"))
    if not trip.ok:
        return _failed(request, trip)
    form, answer, values = refused or (None, Answer(200, None), {})
    return render(request, "sharing/shared_trip.html", status=answer.status if refused else 200,
                  profile=me.body if me.ok else None, trip=itinerary(trip.body), owner_id=owner_id,
                  feed=feed.body if feed.ok else None, form=form, errors=answer.field_errors(),
                  message=answer.title or None, values=values)


def _flight(values: dict) -> dict:
    """The API's reservation body from the form: the API checks every field and says what is wrong."""
    flight = {name: values[name] for name in ("airline", "number", "from", "to")}
    body = {"type": "flight", "start": values["start"], "end": values["end"], "flight": flight}
    return {**body, "confirmation": values["confirmation"]} if values["confirmation"] else body


def _refused(request: web.Request, *ids: str) -> web.Response | None:
    if not session.token_of(request):
        return redirect("/login?next=/shared")
    if not all(HEX_ID.fullmatch(i) for i in ids):
        return _not_found(request)
    return None


def _failed(request: web.Request, answer: Answer) -> web.Response:
    if answer.status == 401:
        session.sign_out(request)
        return redirect("/login?next=/shared")
    if answer.status in (403, 404):
        return _not_found(request)
    return render(request, "error.html", status=503, message=answer.title)


def _not_found(request: web.Request) -> web.Response:
    return render(request, "sharing/not_shared.html", status=404)

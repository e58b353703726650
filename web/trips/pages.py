"""The traveller's trips: the dashboard (/), the trips by status (/trips) and one trip's page (/trips/{id})."""

from __future__ import annotations

import asyncio

from aiohttp import web
from faust import web as faust_web

from domain.trips.itinerary import day_mark, tracked_status
from web import session
from web.pages import Answer, call_api, login_first, profile_of, redirect, render
from web.sharing.pages import sharing_context

blueprint = faust_web.Blueprint("trip_pages")
STATUSES = ("upcoming", "current", "past")
LIST_PAGE = "20"


@blueprint.route("/", name="dashboard")
class Dashboard(faust_web.View):
    async def get(self, request: web.Request) -> web.Response:
        if not session.token_of(request):
            return redirect("/login")
        me, trips = await asyncio.gather(call_api(request, "GET", "/api/v1/me"),
                                         call_api(request, "GET", "/api/v1/trips", query={"limit": "50"}))
        if me.status == 401:
            session.sign_out(request)
            return redirect("/login")
        if not (me.ok and trips.ok):
            return render(request, "error.html", status=503, message=trips.title or me.title)
        return render(request, "trips/dashboard.html", profile=me.body,
                      trips=[itinerary(trip) for trip in trips.body["items"]])


@blueprint.route("/trips", name="list")
class TripList(faust_web.View):
    async def get(self, request: web.Request) -> web.Response:
        if (away := login_first(request)) is not None:
            return away
        status = request.query.get("status", "upcoming")
        status = status if status in STATUSES else "upcoming"
        query = {"status": status, "limit": LIST_PAGE}
        if request.query.get("cursor"):
            query["cursor"] = request.query["cursor"]
        listed, me = await asyncio.gather(call_api(request, "GET", "/api/v1/trips", query=query), profile_of(request))
        if not listed.ok:
            return failed(request, listed)
        return render(request, "trips/list.html", profile=me, status_shown=status, statuses=STATUSES,
                      trips=[itinerary(trip) for trip in listed.body["items"]],
                      next_cursor=listed.body.get("next_cursor"))


@blueprint.route("/trips/{trip_id}", name="trip")
class TripPage(faust_web.View):
    async def get(self, request: web.Request, trip_id: str) -> web.Response:
        if (away := login_first(request)) is not None:
            return away
        return await trip_page(request, trip_id)


async def trip_page(request: web.Request, trip_id: str, answer: Answer | None = None) -> web.Response:
    """The trip with its reservations and the forms that change it; after a refused change, its message."""
    found, others, sharing, me = await asyncio.gather(
        call_api(request, "GET", f"/api/v1/trips/{trip_id}"),
        call_api(request, "GET", "/api/v1/trips", query={"limit": "100"}), sharing_context(request, trip_id),
        profile_of(request))
    if not found.ok:
        return failed(request, found)
    other_trips = [t for t in (others.body["items"] if others.ok else []) if t["id"] != trip_id]
    elsewhere = [(t, r) for t in other_trips for r in t.get("reservations", [])]
    return render(request, "trips/trip.html", status=answer.status if answer is not None else 200, profile=me,
                  trip=itinerary(found.body), other_trips=other_trips, elsewhere=elsewhere,
                  errors=answer.field_errors() if answer is not None else {},
                  message=answer.title if answer is not None else None, **sharing)


def itinerary(trip: dict) -> dict:
    """The trip with each reservation's tracked status and arrival day mark, for the templates."""
    reservations = [{**r, "tracked": tracked_status(r), "day_mark": day_mark(r.get("start"), r.get("end"))}
                    for r in trip.get("reservations", [])]
    return {**trip, "reservations": reservations}


def failed(request: web.Request, answer: Answer) -> web.Response:
    """The API's refusal as a page: 404 for a trip this traveller may not see, its own title otherwise."""
    if answer.status == 401:
        session.sign_out(request)
        return redirect("/login")
    return render(request, "error.html", status=answer.status, message=answer.title)

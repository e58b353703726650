"""The traveller's dashboard: current and upcoming trips with their reservations and tracked status (/)."""

from __future__ import annotations

import asyncio

from aiohttp import web
from faust import web as faust_web

from domain.trips.itinerary import day_mark, tracked_status
from web import session
from web.pages import call_api, redirect, render

blueprint = faust_web.Blueprint("trip_pages")


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


def itinerary(trip: dict) -> dict:
    """The trip with each reservation's tracked status and arrival day mark, for the templates."""
    reservations = [{**r, "tracked": tracked_status(r), "day_mark": day_mark(r.get("start"), r.get("end"))}
                    for r in trip.get("reservations", [])]
    return {**trip, "reservations": reservations}

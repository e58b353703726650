"""Sharing a trip from the web app: its public links and the people it is shared with, as a section of the trip
page (sharing/trip_sharing.html, filled by sharing_context) and on its own page (/trips/{id}/sharing).

The forms post here; each route calls the API and goes back to the trip's page with a see-other. What the next
page must show once (a new link's URL, the API's messages for a refused form) travels in web/sharing/flash.py.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

from aiohttp import web
from faust import web as faust_web

from domain.common.ids import HEX_ID
from domain.common.timestamps import utc_iso
from domain.trips.intents import share_intents
from runtime.clock import trips_clock
from web import session
from web.pages import call_api, redirect, render
from web.sharing import flash

blueprint = faust_web.Blueprint("sharing_pages")
EXPIRIES = {"": None, "1": 1, "7": 7, "30": 30}   # the link's lifetime in days offered by the form
ROLES = ("viewer", "editor")


async def sharing_context(request: web.Request, trip_id: str) -> dict:
    """The variables sharing/trip_sharing.html reads besides ``trip`` and ``csrf_token``: ``sharing``, with
    ``links`` and ``shares`` (the API's lists, None when it would not give them), ``new_link`` (``{id, url,
    share}`` right after it was made, else None), ``errors``/``values``/``message`` for the form the API refused
    (``form`` names it: "link" or "share"). Pass it on: ``render(..., trip=trip, **await sharing_context(...))``."""
    links, shares = await asyncio.gather(call_api(request, "GET", f"/api/v1/trips/{trip_id}/links"),
                                         call_api(request, "GET", f"/api/v1/trips/{trip_id}/shares"))
    message = flash.take(request, trip_id)
    new_link = await link_to_show(request, trip_id, message.get("new_link"))
    return {"sharing": {
        "links": links.body["items"] if links.ok else None, "shares": shares.body["items"] if shares.ok else None,
        "new_link": new_link, "form": message.get("form"), "errors": message.get("errors") or {},
        "values": message.get("values") or {}, "message": message.get("message"), "roles": ROLES,
        "expiries": [k for k in EXPIRIES if k]}}


@blueprint.route("/trips/{trip_id}/sharing", name="trip_sharing")
class TripSharingPage(faust_web.View):
    async def get(self, request: web.Request, trip_id: str) -> web.Response:
        """The sharing section on a page of its own (the trip page includes the same section)."""
        if (refused := _refused(request, trip_id)) is not None:
            return refused
        me, trip = await asyncio.gather(call_api(request, "GET", "/api/v1/me"),
                                        call_api(request, "GET", f"/api/v1/trips/{trip_id}"))
        if not trip.ok:
            return _failed(request, trip)
        return render(request, "sharing/sharing_page.html", profile=me.body if me.ok else None, trip=trip.body,
                      **await sharing_context(request, trip_id))


@blueprint.route("/trips/{trip_id}/links", name="make_link")
class MakeLink(faust_web.View):
    async def post(self, request: web.Request, trip_id: str) -> web.Response:
        if (refused := _refused(request, trip_id)) is not None:
            return refused
        form = await request.post()
        choice = str(form.get("expires_in", ""))
        if choice not in EXPIRIES:   # the template words it: the page's own message, in the reader's language
            return _back(request, trip_id, form, {"form": "link", "errors": {"expires_in": "unknown"}})
        days = EXPIRIES[choice]
        body = {"expires_at": utc_iso(trips_clock.now() + timedelta(days=days))} if days else {}
        answer = await call_api(request, "POST", f"/api/v1/trips/{trip_id}/links", body)
        if not answer.ok:
            return _back(request, trip_id, form, _refusal("link", answer, {"expires_in": choice}))
        return _back(request, trip_id, form, {"new_link": {"id": answer.body["id"], "url": answer.body["url"]}})


@blueprint.route("/trips/{trip_id}/links/{link_id}/revoke", name="revoke_link")
class RevokeLink(faust_web.View):
    async def post(self, request: web.Request, trip_id: str, link_id: str) -> web.Response:
        if (refused := _refused(request, trip_id, link_id)) is not None:
            return refused
        answer = await call_api(request, "DELETE", f"/api/v1/trips/{trip_id}/links/{link_id}")
        return _back(request, trip_id, await request.post(), None if answer.ok else _refusal("link", answer))


@blueprint.route("/trips/{trip_id}/shares", name="share")
class Share(faust_web.View):
    async def post(self, request: web.Request, trip_id: str) -> web.Response:
        if (refused := _refused(request, trip_id)) is not None:
            return refused
        form = await request.post()
        values = {"email": str(form.get("email", "")).strip(), "role": str(form.get("role", ""))}
        answer = await call_api(request, "POST", f"/api/v1/trips/{trip_id}/shares", values)
        return _back(request, trip_id, form, None if answer.ok else _refusal("share", answer, values))


@blueprint.route("/trips/{trip_id}/shares/{share_id}/withdraw", name="withdraw_share")
class WithdrawShare(faust_web.View):
    async def post(self, request: web.Request, trip_id: str, share_id: str) -> web.Response:
        if (refused := _refused(request, trip_id, share_id)) is not None:
            return refused
        answer = await call_api(request, "DELETE", f"/api/v1/trips/{trip_id}/shares/{share_id}")
        return _back(request, trip_id, await request.post(), None if answer.ok else _refusal("share", answer))


async def link_to_show(request: web.Request, trip_id: str, made) -> dict | None:
    """The link just made, with its share intents titled by the trip's name; None for anything else (the cookie
    came back from the browser: a URL that is not ours is not shown)."""
    if not isinstance(made, dict) or not isinstance(made.get("url"), str):
        return None
    scheme = "https" if request.headers.get("X-Forwarded-Proto", request.scheme) == "https" else "http"
    base = f"{scheme}://{request.host}/t/"   # where the API made it (web.pages.call_api passes the host on)
    if not made["url"].startswith(base):
        return None
    trip = await call_api(request, "GET", f"/api/v1/trips/{trip_id}")
    title = (trip.body or {}).get("name") if trip.ok else None
    return {"id": made.get("id"), "url": made["url"], "share": share_intents(made["url"], title or "Road Warrior")}


def _refused(request: web.Request, *ids: str) -> web.Response | None:
    """Signed-out visitors go to the login; an ID that cannot be one answers the not-found page."""
    if not session.token_of(request):
        return redirect(f"/login?next=/trips/{ids[0]}" if HEX_ID.fullmatch(ids[0]) else "/login")
    if not all(HEX_ID.fullmatch(i) for i in ids):
        return render(request, "error.html", status=404, message=None)
    return None


def _failed(request: web.Request, answer) -> web.Response:
    if answer.status == 401:
        session.sign_out(request)
        return redirect("/login")
    return render(request, "error.html", status=answer.status if answer.status in (403, 404) else 503,
                  message=answer.title)


def _refusal(form: str, answer, values: dict | None = None) -> dict:
    """The API's messages for the form, next to its fields on the next page."""
    return {"form": form, "errors": answer.field_errors(), "message": answer.title, "values": values or {}}


def _back(request: web.Request, trip_id: str, form, message: dict | None) -> web.Response:
    """See-other to the page the form was on (the trip page or the sharing page), at its sharing section."""
    pages = {f"/trips/{trip_id}", f"/trips/{trip_id}/sharing"}
    back = str(form.get("back", ""))
    response = redirect(f"{back if back in pages else f'/trips/{trip_id}'}#sharing")
    if message:
        flash.keep(request, response, trip_id, message)
    return response

"""The traveller's calendar feed (/calendar): the secret address to subscribe to, and a new one on request.

The regenerate form posts to /calendar itself: paths under /calendar/ are the feeds, which carry no session
(web/session.py), so a form there would reach the API signed out.
"""

from __future__ import annotations

import asyncio

from aiohttp import web
from faust import web as faust_web

from web import session
from web.pages import call_api, redirect, render

blueprint = faust_web.Blueprint("calendar_page")


@blueprint.route("/calendar", name="calendar")
class CalendarPage(faust_web.View):
    async def get(self, request: web.Request) -> web.Response:
        if not session.token_of(request):
            return redirect("/login?next=/calendar")
        me, feed = await asyncio.gather(call_api(request, "GET", "/api/v1/me"),
                                        call_api(request, "GET", "/api/v1/me/calendar"))
        return _page(request, me, feed)

    async def post(self, request: web.Request) -> web.Response:
        """A new address: the old one answers 404 from now on (the form asks first)."""
        if not session.token_of(request):
            return redirect("/login?next=/calendar")
        feed = await call_api(request, "POST", "/api/v1/me/calendar/regenerate")
        if not feed.ok:
            return _page(request, await call_api(request, "GET", "/api/v1/me"), feed)
        return redirect("/calendar")


def _page(request: web.Request, me, feed) -> web.Response:
    if feed.status == 401:
        session.sign_out(request)
        return redirect("/login?next=/calendar")
    if not feed.ok:
        return render(request, "error.html", status=503, profile=me.body if me.ok else None, message=feed.title)
    return render(request, "sharing/calendar.html", profile=me.body if me.ok else None, feed=feed.body)

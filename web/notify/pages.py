"""The notification pages: the notification centre (/notifications) and the notification settings
(/settings/notifications: preferences per channel and severity, quiet hours, push devices)."""

from __future__ import annotations

import asyncio

from aiohttp import web
from faust import web as faust_web
from multidict import MultiDictProxy

from domain.notify.locales import SUPPORTED as LANGUAGES
from domain.notify.prefs import CHANNELS, SEVERITIES
from web.accounts.settings_pages import API_ID, LANGUAGE_NAMES, my_profile, signed_in
from web.pages import Answer, call_api, redirect, render

blueprint = faust_web.Blueprint("notify_pages")
PAGE_SIZE = "20"


@blueprint.route("/notifications", name="centre")
class Centre(faust_web.View):
    @signed_in
    async def get(self, request: web.Request) -> web.Response:
        profile = await my_profile(request)
        query = {"limit": PAGE_SIZE} | ({"cursor": request.query["cursor"]} if request.query.get("cursor") else {})
        feed = await call_api(request, "GET", "/api/v1/notifications", query=query)
        if not feed.ok:
            return render(request, "error.html", status=feed.status, profile=profile, message=feed.title)
        return render(request, "notify/centre.html", profile=profile, feed=feed.body)


@blueprint.route("/notifications/read-all", name="read_all")
class ReadAll(faust_web.View):
    async def post(self, request: web.Request) -> web.Response:
        answer = await call_api(request, "POST", "/api/v1/notifications/read-all")
        return _back(request, answer, "/notifications")


@blueprint.route("/notifications/{notification_id}/read", name="read")
class ReadOne(faust_web.View):
    async def post(self, request: web.Request, notification_id: str) -> web.Response:
        if not API_ID.fullmatch(notification_id):
            return render(request, "error.html", status=404)
        answer = await call_api(request, "POST", f"/api/v1/notifications/{notification_id}/read")
        return _back(request, answer, "/notifications")


@blueprint.route("/settings/notifications", name="settings")
class NotificationSettings(faust_web.View):
    @signed_in
    async def get(self, request: web.Request) -> web.Response:
        profile = await my_profile(request)
        prefs, devices = await _read(request)
        if not prefs.ok:
            return render(request, "error.html", status=prefs.status, profile=profile, message=prefs.title)
        return _page(request, profile, prefs.body, devices, saved="saved" in request.query)

    @signed_in
    async def post(self, request: web.Request) -> web.Response:
        profile = await my_profile(request)
        form = await request.post()
        wanted = preferences_from(form)
        answer = await call_api(request, "PUT", "/api/v1/me/notification-preferences", wanted)
        if answer.ok:
            return redirect("/settings/notifications?saved=1")
        _, devices = await _read(request)
        shown = {**wanted, "quiet_hours": {"start": form.get("quiet_start", ""), "end": form.get("quiet_end", "")}}
        return _page(request, profile, shown, devices, answer, quiet_on=bool(form.get("quiet")))


@blueprint.route("/settings/devices/{device_id}/delete", name="delete_device")
class DeleteDevice(faust_web.View):
    async def post(self, request: web.Request, device_id: str) -> web.Response:
        if not API_ID.fullmatch(device_id):
            return render(request, "error.html", status=404)
        answer = await call_api(request, "DELETE", f"/api/v1/me/devices/{device_id}")
        return _back(request, answer, "/settings/notifications")


def preferences_from(form: MultiDictProxy) -> dict:
    """The PUT body a settings form stands for: an unticked box is a channel turned off for that severity."""
    channels = {c: {s: form.get(f"{c}.{s}") == "on" for s in SEVERITIES} for c in CHANNELS}
    quiet = {"start": form.get("quiet_start", ""), "end": form.get("quiet_end", "")} if form.get("quiet") else None
    return {"channels": channels, "quiet_hours": quiet, "locale": form.get("locale") or None,
            "year_summary": form.get("year_summary") == "on"}


async def _read(request: web.Request) -> tuple[Answer, list]:
    prefs, devices = await asyncio.gather(call_api(request, "GET", "/api/v1/me/notification-preferences"),
                                          call_api(request, "GET", "/api/v1/me/devices"))
    return prefs, devices.body.get("items", []) if devices.ok and devices.body else []


def _page(request: web.Request, profile: dict, prefs: dict, devices: list, answer: Answer | None = None,
          saved: bool = False, quiet_on: bool | None = None) -> web.Response:
    errors = answer.field_errors() if answer else {}
    return render(request, "notify/settings.html", status=answer.status if answer else 200, profile=profile,
                  prefs=prefs, devices=devices, errors=errors, message=answer.title if answer else None,
                  saved=saved, channels=CHANNELS, severities=SEVERITIES, languages=LANGUAGES,
                  language_names=LANGUAGE_NAMES,
                  quiet_on=prefs.get("quiet_hours") is not None if quiet_on is None else quiet_on)


def _back(request: web.Request, answer: Answer, to: str) -> web.Response:
    """After a small action: back to the page, or the API's refusal (404 for what is not the caller's)."""
    if answer.status == 401:
        return redirect("/login")
    if not answer.ok:
        return render(request, "error.html", status=answer.status, message=answer.title)
    return redirect(to)

"""The reservation pages: add a flight, hotel or car, see one with its change history, edit and delete it."""

from __future__ import annotations

import asyncio
import secrets

from aiohttp import web
from faust import web as faust_web
from yarl import URL

from domain.tracking.change_lines import change_lines
from domain.trips.itinerary import day_mark, tracked_status
from web.pages import Answer, call_api, login_first, profile_of, redirect, render
from web.reservations.forms import TYPES, body_of, fields_of, values_of

blueprint = faust_web.Blueprint("reservation_pages")
HISTORY_PAGE = "20"


@blueprint.route("/reservations/new", name="new")
class NewReservation(faust_web.View):
    async def get(self, request: web.Request) -> web.Response:
        if (away := login_first(request)) is not None:
            return away
        kind = request.query.get("type")
        me = await call_api(request, "GET", "/api/v1/me")
        if kind not in TYPES:
            return render(request, "reservations/choose.html", profile=me.body if me.ok else None)
        zone = (me.body or {}).get("time_zone", "") if me.ok else ""
        return _form(request, kind, {"start_time_zone": zone, "end_time_zone": ""}, me=me)

    async def post(self, request: web.Request) -> web.Response:
        if (away := login_first(request)) is not None:
            return away
        form = await request.post()
        kind = str(form.get("type", ""))
        if kind not in TYPES:
            return redirect("/reservations/new")
        key = str(form.get("idempotency_key", ""))[:200]
        answer = await call_api(request, "POST", "/api/v1/reservations", body_of(kind, form),
                                headers={"Idempotency-Key": key} if key else None)
        if not answer.ok:
            # Not confirmed in time: the same key again, so sending the form again meets the first one.
            again = key if answer.status >= 500 else None
            return _form(request, kind, _submitted(kind, form), answer=answer, idempotency_key=again)
        return redirect(f"/reservations/{answer.body['id']}")


@blueprint.route("/reservations/{reservation_id}", name="detail")
class ReservationPage(faust_web.View):
    async def get(self, request: web.Request, reservation_id: str) -> web.Response:
        if (away := login_first(request)) is not None:
            return away
        cursor = request.query.get("cursor")
        query = {"limit": HISTORY_PAGE, **({"cursor": cursor} if cursor else {})}
        path = f"/api/v1/reservations/{reservation_id}"
        found, history, me = await asyncio.gather(call_api(request, "GET", path),
                                                  call_api(request, "GET", f"{path}/history", query=query),
                                                  profile_of(request))
        if not found.ok:
            return _failed(request, found)
        reservation = found.body
        entries = history.body["items"] if history.ok else []
        latest = entries[0] if entries and not cursor else None
        shown = {**reservation, "latest_change": latest}
        return render(request, "reservations/detail.html", profile=me, r={
            **shown, "tracked": tracked_status(shown), "day_mark": day_mark(shown.get("start"), shown.get("end"))},
            history=[{**e, "lines": change_lines(e, reservation.get("type"))} for e in entries],
            next_cursor=history.body.get("next_cursor") if history.ok else None,
            history_failed=not history.ok, first_page=not cursor)


@blueprint.route("/reservations/{reservation_id}/edit", name="edit")
class EditReservation(faust_web.View):
    async def get(self, request: web.Request, reservation_id: str) -> web.Response:
        if (away := login_first(request)) is not None:
            return away
        found, me = await asyncio.gather(call_api(request, "GET", f"/api/v1/reservations/{reservation_id}"),
                                         call_api(request, "GET", "/api/v1/me"))
        if not found.ok:
            return _failed(request, found)
        return _form(request, found.body["type"], values_of(found.body), reservation=found.body, me=me)

    async def post(self, request: web.Request, reservation_id: str) -> web.Response:
        if (away := login_first(request)) is not None:
            return away
        form = await request.post()
        path = f"/api/v1/reservations/{reservation_id}"
        found = await call_api(request, "GET", path)
        if not found.ok:
            return _failed(request, found)
        kind = found.body["type"]
        # The version the form was read at: a change made meanwhile (by the provider, say) is not overwritten.
        answer = await call_api(request, "PATCH", path, body_of(kind, form, patch=True),
                                headers={"If-Match": f'"{form.get("version", "")}"'})
        if answer.status == 412:
            # Changed meanwhile: the form comes back at the current version, so saving again is a choice.
            return _form(request, kind, _submitted(kind, form), answer=answer, reservation=found.body, stale=True)
        if not answer.ok:
            return _form(request, kind, _submitted(kind, form), answer=answer,
                         reservation={**found.body, "version": form.get("version", "")})
        return redirect(f"/reservations/{reservation_id}")


@blueprint.route("/reservations/{reservation_id}/delete", name="delete")
class DeleteReservation(faust_web.View):
    async def post(self, request: web.Request, reservation_id: str) -> web.Response:
        if (away := login_first(request)) is not None:
            return away
        form = await request.post()
        answer = await call_api(request, "DELETE", f"/api/v1/reservations/{reservation_id}",
                                headers={"If-Match": f'"{form.get("version", "")}"'})
        if not answer.ok:
            return _failed(request, answer)
        return redirect("/")


def _form(request: web.Request, kind: str, values: dict, *, answer: Answer | None = None,
          reservation: dict | None = None, me: Answer | None = None, stale: bool = False,
          idempotency_key: str | None = None) -> web.Response:
    status = answer.status if answer is not None else 200
    # A new form, a new key: a second submission of the same page adds nothing twice.
    key = idempotency_key or secrets.token_urlsafe(16)
    return render(request, "reservations/form.html", status=status, kind=kind, values=values, stale=stale,
                  idempotency_key=key,
                  errors=answer.field_errors() if answer is not None else {},
                  message=answer.title if answer is not None else None, reservation=reservation,
                  profile=me.body if me is not None and me.ok else None)


def _submitted(kind: str, form) -> dict:
    return {name: str(form.get(name, "")) for name in fields_of(kind)}


def _failed(request: web.Request, answer: Answer) -> web.Response:
    """The API's refusal as a page: 404 for what this traveller may not see, its own title otherwise."""
    if answer.status == 401:
        return redirect(str(URL("/login").with_query(next=request.path)))
    return render(request, "error.html", status=answer.status, message=answer.title)

"""A trip shared with people: the owner's shares (/api/v1/trips/{id}/shares) and the followers' side
(/api/v1/shared-trips).

The owner's trip book (tables/trips.py, keyed by owner ID) is the one truth. The follower's list comes from
their index (tables/shared_trips.py, keyed by follower ID); reading a shared trip names its owner in the URL,
so the request goes to the owner's worker in one hop and the share is checked in the book on every read: a
withdrawn share answers 404 at once, whatever the index still says.
"""

from __future__ import annotations

import uuid

from aiohttp import web
from faust import web as faust_web

from domain.common.errors import NotFound
from domain.trips import acting, listing, shares, sharing
from domain.trips.book import to_api
from runtime.clock import trips_clock
from streams import topics
from tables.shared_trips import shared_trips
from web.apidoc import STR, TIME, ZONE, answer, nullable, op, param, ref
from web.auth import caller
from web.problems import json_response
from web.routing import read_json, send_command
from web.trips.books import OWNER_ID, TRIP_ID, book_of, owned_trip, reservations_by_id, to_book, with_reservations

blueprint = faust_web.Blueprint("trip_shares")
_INPUTS = (topics.trip_commands,)   # what decides a share: the owner's commands, applied before each read


@blueprint.route("/trips/{trip_id}/shares", name="shares")
class TripShares(faust_web.View):
    async def get(self, request: web.Request, trip_id: str) -> web.Response:
        who = caller(request)
        if (routed := await to_book(request, who.user_id, _INPUTS)) is not None:
            return routed
        trip = owned_trip(who.user_id, trip_id)
        return json_response({"items": [shares.to_api(s) for s in trip.get("shares") or []]})

    async def post(self, request: web.Request, trip_id: str) -> web.Response:
        who = caller(request)
        data = shares.check_share(await read_json(request))
        if (routed := await to_book(request, who.user_id, _INPUTS)) is not None:
            return routed
        # Through the address's logins partition to learn its account; answered by the trips agent here.
        reply = await send_command(topics.share_address_lookups, data["email"], {
            "kind": "share", "user_id": who.user_id,
            "data": {**data, "trip_id": trip_id, "share_id": uuid.uuid4().hex}})
        made = reply["share"]
        return json_response(made, 201, {"Location": f"/api/v1/trips/{trip_id}/shares/{made['id']}"})


@blueprint.route("/trips/{trip_id}/shares/{share_id}", name="share")
class TripShare(faust_web.View):
    async def delete(self, request: web.Request, trip_id: str, share_id: str) -> web.Response:
        who = caller(request)
        if (routed := await to_book(request, who.user_id, _INPUTS)) is not None:
            return routed
        await send_command(topics.trip_commands, who.user_id, {
            "kind": "withdraw-share", "user_id": who.user_id, "data": {"trip_id": trip_id, "share_id": share_id}})
        return web.Response(status=204)


@blueprint.route("/shared-trips", name="shared_trips")
class SharedTrips(faust_web.View):
    async def get(self, request: web.Request) -> web.Response:
        who = caller(request)
        if (routed := await to_book(request, who.user_id, (), shared_trips.name)) is not None:
            return routed
        followed = shared_trips.get(who.user_id) or {}
        items = [{"owner_id": f["owner_id"], "trip_id": trip_id, "role": f["role"], "shared_at": f["shared_at"],
                  **{name: f.get(name) for name in shares.LISTED},
                  "href": f"/api/v1/shared-trips/{f['owner_id']}/{trip_id}"}
                 for trip_id, f in sorted(followed.items(), key=lambda item: item[1]["shared_at"])]
        return json_response({"items": items})


@blueprint.route("/shared-trips/{owner_id}/{trip_id}", name="shared_trip")
class SharedTrip(faust_web.View):
    async def get(self, request: web.Request, owner_id: str, trip_id: str) -> web.Response:
        who = caller(request)
        if (routed := await to_book(request, owner_id, _INPUTS)) is not None:
            return routed
        return _follower_response(book_of(owner_id), trip_id, owner_id, who.user_id, 200)

    async def patch(self, request: web.Request, owner_id: str, trip_id: str) -> web.Response:
        """An editor renames the trip. The trips agent checks the share again when it applies the rename."""
        who = caller(request)
        data = listing.check_trip(await read_json(request), new=False)
        if (routed := await to_book(request, owner_id, _INPUTS)) is not None:
            return routed
        reply = await _as_actor(who.user_id, owner_id, "update", {**data, "trip_id": trip_id})
        return _follower_response(book_of(owner_id), reply["trip"]["id"], owner_id, who.user_id, 200)

    async def delete(self, request: web.Request, owner_id: str, trip_id: str) -> web.Response:
        """The person stops following the trip: their share is withdrawn as if by the owner."""
        who = caller(request)
        if (routed := await to_book(request, owner_id, _INPUTS)) is not None:
            return routed
        book = book_of(owner_id)
        held = shares.share_of(book, trip_id, who.user_id)
        if held is None or not sharing.may(held["role"], sharing.LEAVE):
            raise NotFound("No such trip.")
        await send_command(topics.trip_commands, owner_id, {
            "kind": "withdraw-share", "user_id": owner_id, "data": {"trip_id": trip_id, "share_id": held["id"]}})
        return web.Response(status=204)


async def _as_actor(actor_id: str, owner_id: str, kind: str, data: dict) -> dict:
    """Send a follower's trip command to the owner's trips agent, refused here already when the book says
    so (a stranger's command never reaches the topic), and checked there again at apply time."""
    command = {"kind": kind, "user_id": owner_id, "actor_id": actor_id, "data": data}
    acting.check(book_of(owner_id), command, trips_clock.now())
    return await send_command(topics.trip_commands, owner_id, command)


def _follower_response(book: dict, trip_id: str, owner_id: str, user_id: str, status: int) -> web.Response:
    """The trip as ``user_id`` sees it now (their role read again: the command may have changed it)."""
    role = shares.viewing_role(book, trip_id, user_id, trips_clock.now())
    if role is None:
        raise NotFound("No such trip.")   # unknown, not shared with the caller, withdrawn or private alike
    trip = with_reservations(to_api(book["trips"][trip_id]), reservations_by_id(owner_id))
    return json_response(shares.follower_view(trip, role), status, {"ETag": f'"{trip["version"]}"'})


_SHARE = {"type": "object", "properties": {
    "id": STR, "email": {"type": "string", "format": "email"}, "role": {"enum": list(sharing.SHARE_ROLES)},
    "status": {"enum": [shares.ACTIVE, shares.INVITED],
               "description": "invited: the address belongs to nobody registered yet"},
    "created_at": TIME}}
OPENAPI = {
    "schemas": {
        "TripShare": _SHARE,
        "TripShareInput": {"type": "object", "additionalProperties": False, "required": ["email", "role"],
                           "properties": {"email": {"type": "string", "format": "email"},
                                          "role": {"enum": list(sharing.SHARE_ROLES)}}},
        "TripShareList": {"type": "object", "properties": {"items": {"type": "array", "items": ref("TripShare")}}},
        "SharedTripList": {"type": "object", "properties": {"items": {"type": "array", "items": {
            "type": "object", "properties": {"owner_id": STR, "trip_id": STR, "role": STR, "shared_at": TIME,
                                             "name": nullable(STR), "start": nullable(TIME),
                                             "start_time_zone": nullable(ZONE), "end": nullable(TIME),
                                             "end_time_zone": nullable(ZONE), "href": STR}}}}},
        "SharedTrip": {"allOf": [ref("Trip"), {"type": "object", "properties": {"role": STR}}],
                       "description": "a viewer's copy leaves out confirmation codes, travellers and notes"},
    },
    "paths": {
        "/api/v1/trips/{trip_id}/shares": {
            "get": op("The trip's shares with people (owner only)", {"200": answer(ref("TripShareList"))},
                      params=[TRIP_ID], errors=(404, 503)),
            "post": op("Share the trip with a person by e-mail, as viewer or editor (owner only; not a private trip)",
                       {"201": answer(ref("TripShare"), "Created", ["Location"])}, body="TripShareInput",
                       params=[TRIP_ID], errors=(400, 404, 415, 422, 503))},
        "/api/v1/trips/{trip_id}/shares/{share_id}": {
            "delete": op("Withdraw a share: the person's next read answers 404", {"204": {"description": "Withdrawn"}},
                         params=[TRIP_ID, param("share_id", "path")], errors=(404, 503))},
        "/api/v1/shared-trips": {
            "get": op("Trips others shared with the caller", {"200": answer(ref("SharedTripList"))}, errors=(503,))},
        "/api/v1/shared-trips/{owner_id}/{trip_id}": {
            "get": op("A trip shared with the caller, as their role sees it",
                      {"200": answer(ref("SharedTrip"), headers=["ETag"])},
                      params=[OWNER_ID, TRIP_ID], errors=(404, 503)),
            "patch": op("Rename a trip shared with the caller as editor (a viewer gets 403)",
                        {"200": answer(ref("SharedTrip"), headers=["ETag"])}, body="TripPatch",
                        params=[OWNER_ID, TRIP_ID], errors=(400, 403, 404, 415, 422, 503)),
            "delete": op("Stop following a trip shared with the caller", {"204": {"description": "Left"}},
                         params=[OWNER_ID, TRIP_ID], errors=(404, 503))},
    },
}

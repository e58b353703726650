"""Trips: the caller's reservations grouped into trips, listed, edited, merged and split (/api/v1/trips).

Every route is served by the worker owning the caller's trip book (tables/trips.py, keyed by user ID): a trip
is looked up among its owner's trips, so another traveller's trip ID answers 404 like an unknown one.
"""

from __future__ import annotations

import uuid

from aiohttp import web
from faust import web as faust_web

from domain.common.ids import HEX_ID
from domain.trips import listing
from domain.trips.book import to_api
from domain.trips.ending import STATUSES
from streams import topics
from tables.trips import trips
from tables.user_reservations import entries_of
from web.apidoc import STR, TIME, ZONE, answer, limit, nullable, op, param, ref
from web.auth import caller
from web.problems import json_response
from web.routing import read_json, send_command
from web.trips.books import TRIP_ID, book_of, owned_trip, reservations_by_id, to_book, with_reservations

blueprint = faust_web.Blueprint("trips")


@blueprint.route("/trips", name="collection")
class Trips(faust_web.View):
    async def get(self, request: web.Request) -> web.Response:
        who = caller(request)
        query = listing.parse_query(dict(request.query))
        if (routed := await to_book(request, who.user_id)) is not None:
            return routed
        await _build_book_if_missing(who.user_id)
        items, cursor = listing.page([to_api(trip) for trip in book_of(who.user_id)["trips"].values()], query)
        reservations = reservations_by_id(who.user_id)
        return json_response({"items": [with_reservations(t, reservations) for t in items], "next_cursor": cursor})

    async def post(self, request: web.Request) -> web.Response:
        who = caller(request)
        data = listing.check_trip(await read_json(request), new=True)
        if (routed := await to_book(request, who.user_id)) is not None:
            return routed
        return await _command(who.user_id, "create", {**data, "trip_id": uuid.uuid4().hex})


@blueprint.route("/trips/{trip_id}", name="detail")
class Trip(faust_web.View):
    async def get(self, request: web.Request, trip_id: str) -> web.Response:
        who = caller(request)
        if (routed := await to_book(request, who.user_id)) is not None:
            return routed
        return _trip_response(who.user_id, to_api(owned_trip(who.user_id, trip_id)), 200)

    async def patch(self, request: web.Request, trip_id: str) -> web.Response:
        who = caller(request)
        data = listing.check_trip(await read_json(request), new=False)
        if (routed := await to_book(request, who.user_id)) is not None:
            return routed
        return await _command(who.user_id, "update", {**data, "trip_id": trip_id})

    async def delete(self, request: web.Request, trip_id: str) -> web.Response:
        who = caller(request)
        if (routed := await to_book(request, who.user_id)) is not None:
            return routed
        return await _command(who.user_id, "delete", {"trip_id": trip_id})


@blueprint.route("/trips/{trip_id}/reservations", name="reservations")
class TripReservations(faust_web.View):
    async def post(self, request: web.Request, trip_id: str) -> web.Response:
        who = caller(request)
        reservation_id = listing.check_id(await read_json(request), "reservation_id")
        if (routed := await to_book(request, who.user_id)) is not None:
            return routed
        return await _command(who.user_id, "add-reservation", {"trip_id": trip_id, "reservation_id": reservation_id})


@blueprint.route("/trips/{trip_id}/reservations/{reservation_id}", name="reservation")
class TripReservation(faust_web.View):
    async def delete(self, request: web.Request, trip_id: str, reservation_id: str) -> web.Response:
        who = caller(request)
        if (routed := await to_book(request, who.user_id)) is not None:
            return routed
        return await _command(who.user_id, "remove-reservation", {"trip_id": trip_id, "reservation_id": reservation_id})


@blueprint.route("/trips/{trip_id}/merge", name="merge")
class Merge(faust_web.View):
    async def post(self, request: web.Request, trip_id: str) -> web.Response:
        who = caller(request)
        other = listing.check_id(await read_json(request), "trip_id")
        if (routed := await to_book(request, who.user_id)) is not None:
            return routed
        return await _command(who.user_id, "merge", {"trip_id": trip_id, "other_trip_id": other})


@blueprint.route("/trips/{trip_id}/split", name="split")
class Split(faust_web.View):
    async def post(self, request: web.Request, trip_id: str) -> web.Response:
        who = caller(request)
        moving = listing.check_ids((await read_json(request)).get("reservation_ids"), "reservation_ids")
        if (routed := await to_book(request, who.user_id)) is not None:
            return routed
        return await _command(who.user_id, "split", {"trip_id": trip_id, "new_trip_id": uuid.uuid4().hex,
                                                     "reservation_ids": moving})


async def _command(user_id: str, kind: str, data: dict) -> web.Response:
    reply = await send_command(topics.trip_commands, user_id, {"kind": kind, "user_id": user_id, "data": data})
    if reply["status"] == 204:
        return web.Response(status=204)
    return _trip_response(user_id, reply["trip"], reply["status"])


def _trip_response(user_id: str, trip: dict, status: int) -> web.Response:
    headers = {"ETag": f'"{trip["version"]}"', "Location": f"/api/v1/trips/{trip['id']}"}
    return json_response(with_reservations(trip, reservations_by_id(user_id)), status, headers)


async def _build_book_if_missing(user_id: str) -> None:
    """A traveller whose reservations were all made before trips existed has no trip book until one of them
    changes: the dashboard asks the trips agent to group them now (a tick settles a book from nothing)."""
    if trips.get(user_id) is None and any(not entry.get("deleted") for _, entry in entries_of(user_id)):
        await send_command(topics.trip_commands, user_id, {"kind": "tick", "user_id": user_id, "data": {}})


RESERVATION_ID = param("reservation_id", "path", {"type": "string", "pattern": HEX_ID.pattern})
_ID = {"type": "string", "pattern": HEX_ID.pattern}
_IDS = {"type": "array", "items": _ID, "maxItems": listing.MAX_IDS, "uniqueItems": True}
_NAME = {"type": "string", "minLength": 1, "maxLength": listing.MAX_NAME, "pattern": r"\S"}
_PLACE = {"type": "object", "properties": {"city": nullable(STR), "country": nullable(STR), "airport": nullable(STR)}}
_WRITES = (400, 404, 415, 422, 503)
_TRACKED = {"type": "object", "properties": {"latest_change": {**nullable({"type": "object", "properties": {
    "change_id": STR, "severity": STR, "source": STR, "detected_at": TIME,
    "changes": {"type": "array", "items": {"type": "object"}}}}),
    "description": "the latest change tracking found (schemas/reservation-changes.json); null for none"}}}
OPENAPI = {
    "schemas": {
        "Trip": {"type": "object", "properties": {
            "id": STR, "name": nullable(STR), "named_by_traveller": {"type": "boolean"},
            "private": {"type": "boolean"}, "created_by_hand": {"type": "boolean"},
            "status": {"enum": [*STATUSES, None], "description": "null while the trip holds no reservation"},
            "start": nullable(TIME), "start_time_zone": nullable(ZONE), "end": nullable(TIME),
            "end_time_zone": nullable(ZONE), "destination": nullable(_PLACE), "reservation_ids": _IDS,
            "reservations": {"type": "array", "items": {"allOf": [ref("Reservation"), _TRACKED]},
                             "description": "in time order. When each was last checked is not here: it is kept "
                                            "on the worker owning the reservation, not the trips' owner, so it is "
                                            "read from GET /api/v1/reservations/{reservation_id} (tracking)"},
            "version": {"type": "integer"}, "created_at": TIME, "updated_at": TIME}},
        "TripPage": {"type": "object", "properties": {
            "items": {"type": "array", "items": ref("Trip")}, "next_cursor": {"type": ["string", "null"]}}},
        "TripInput": {"type": "object", "additionalProperties": False, "properties": {
            "name": nullable(_NAME), "reservation_ids": _IDS},
            "description": "reservations named move into the new trip by hand"},
        "TripPatch": {"type": "object", "additionalProperties": False, "properties": {
            "name": {**nullable(_NAME), "description": "null: back to the automatic name"},
            "private": {"type": "boolean"}}},
        "TripReservationInput": {"type": "object", "additionalProperties": False, "required": ["reservation_id"],
                                 "properties": {"reservation_id": _ID}},
        "TripMerge": {"type": "object", "additionalProperties": False, "required": ["trip_id"],
                      "properties": {"trip_id": {**_ID, "description": "the trip merged into this one, then gone"}}},
        "TripSplit": {"type": "object", "additionalProperties": False, "required": ["reservation_ids"],
                      "properties": {"reservation_ids": {**_IDS, "description": "moved to a new trip"}}},
    },
    "paths": {
        "/api/v1/trips": {
            "get": op("List the caller's trips: by default those not over yet",
                      {"200": answer(ref("TripPage"))}, errors=(422, 503),
                      params=[param("status", schema={"enum": ["", *STATUSES]}), param("cursor"),
                              limit(listing.MAX_LIMIT)]),
            "post": op("Create a trip", {"201": answer(ref("Trip"), "Created", ["ETag", "Location"])},
                       body="TripInput", errors=_WRITES)},
        "/api/v1/trips/{trip_id}": {
            "get": op("One trip", {"200": answer(ref("Trip"), headers=["ETag"])}, params=[TRIP_ID],
                      errors=(404, 503)),
            "patch": op("Rename a trip or mark it private", {"200": answer(ref("Trip"), headers=["ETag"])},
                        body="TripPatch", params=[TRIP_ID], errors=_WRITES),
            "delete": op("Delete a trip; its reservations stay, in no trip", {"204": {"description": "Deleted"}},
                         params=[TRIP_ID], errors=(404, 503))},
        "/api/v1/trips/{trip_id}/reservations": {
            "post": op("Move a reservation into the trip (it stays there)", {"200": answer(ref("Trip"))},
                       body="TripReservationInput", params=[TRIP_ID], errors=_WRITES)},
        "/api/v1/trips/{trip_id}/reservations/{reservation_id}": {
            "delete": op("Take a reservation out of the trip (it stays in no trip)", {"200": answer(ref("Trip"))},
                         params=[TRIP_ID, RESERVATION_ID], errors=(404, 503))},
        "/api/v1/trips/{trip_id}/merge": {
            "post": op("Merge another trip into this one", {"200": answer(ref("Trip"))}, body="TripMerge",
                       params=[TRIP_ID], errors=_WRITES)},
        "/api/v1/trips/{trip_id}/split": {
            "post": op("Move some of the trip's reservations to a new trip",
                       {"201": answer(ref("Trip"), "Created", ["ETag", "Location"])}, body="TripSplit",
                       params=[TRIP_ID], errors=_WRITES)},
    },
}

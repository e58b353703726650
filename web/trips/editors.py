"""An editor adds and changes a shared trip's reservations (/api/v1/shared-trips/{owner}/{trip}/reservations).

The reservations are the owner's (their account, their listing, their tracking); one added is placed in the
trip by hand. The request goes to the owner's trips worker, where the owner's book says who may write, and
the trips agent checks it again when it applies the editor's command. A new reservation's ID is drawn so that
its reservation-commands partition has the number of the owner's trip-commands partition (streams/partitions.py
id_beside): the reservations agent answering the create runs on this worker too, one hop as for every write.
"""

from __future__ import annotations

from aiohttp import web
from faust import web as faust_web

from domain.common.errors import NotFound, from_refusal
from domain.reservations import commands as reservation_rules
from domain.reservations.commands import check_api_input, etag
from domain.reservations.fields import check
from domain.trips import acting
from domain.trips.commands import RESERVATION_KINDS
from faust_app import settings
from runtime.clock import trips_clock
from streams import topics
from streams.partitions import id_beside
from streams.replies import progress
from tables.user_reservations import entry_key, user_reservations
from web.apidoc import answer, op, ref
from web.auth import caller
from web.problems import json_response, problem
from web.reservations.api import ID_PARAM, IDEMPOTENCY_KEY, IF_MATCH, idempotency_key, if_match, request_digest
from web.routing import read_json, send_command
from web.trips.books import OWNER_ID, TRIP_ID, book_of, to_book

blueprint = faust_web.Blueprint("trip_editors")


@blueprint.route("/shared-trips/{owner_id}/{trip_id}/reservations", name="shared_trip_reservations")
class SharedTripReservations(faust_web.View):
    async def post(self, request: web.Request, owner_id: str, trip_id: str) -> web.Response:
        """A new reservation of the owner's, in this trip (editors only: a viewer gets 403, others 404)."""
        who = caller(request)
        body = check_api_input(await read_json(request))
        check({"source": "manual", **body})  # reject early; the agent checks again authoritatively
        if (routed := await to_book(request, owner_id, (topics.trip_commands,))) is not None:
            return routed
        placing = {"kind": "add-reservation", "user_id": owner_id, "actor_id": who.user_id,
                   "data": {"trip_id": trip_id}}
        acting.check(book_of(owner_id), placing, trips_clock.now())
        # The same editor, trip and Idempotency-Key always name the same reservation: a retry meets the first.
        key = idempotency_key(request)
        reservation_id = id_beside(topics.reservation_commands, topics.trip_commands, owner_id,
                                   None if key is None else f"{who.user_id}:{owner_id}:{trip_id}:{key}")
        created = await send_command(topics.reservation_commands, reservation_id, {
            "kind": "create", "reservation_id": reservation_id, "user_id": owner_id, "data": body,
            "request_digest": request_digest(body)})
        # The trips agent knows a reservation from the owner's index, one hop behind the reservations agent.
        if not await progress.caught_up(topics.user_reservation_events.get_topic_name(), owner_id,
                                        settings.web.request_timeout_s):
            return problem(503, "index-catching-up", "The reservation was added but not yet placed in the trip; "
                           "read the trip again shortly.", headers={"Retry-After": "1"})
        # Checked again where it is applied: a share withdrawn meanwhile places nothing (see the README).
        await send_command(topics.trip_commands, owner_id,
                           {**placing, "data": {"trip_id": trip_id, "reservation_id": reservation_id}})
        location = f"/api/v1/shared-trips/{owner_id}/{trip_id}"
        return json_response(created["reservation"], 201, {"ETag": etag(created), "Location": location})


@blueprint.route("/shared-trips/{owner_id}/{trip_id}/reservations/{reservation_id}", name="shared_trip_reservation")
class SharedTripReservation(faust_web.View):
    async def patch(self, request: web.Request, owner_id: str, trip_id: str, reservation_id: str) -> web.Response:
        """Change one of the trip's reservations (a merge patch, as for /api/v1/reservations/{id}); 202.

        The reservation's own worker applies it, and its answer cannot come back to this one (the owner's)
        within one hop: the change is tried here on the owner's copy first, so a bad patch or a stale
        If-Match is answered now, and the trips agent hands it on once the owner's book allowed it.
        """
        patch = check_api_input(await read_json(request))
        return await _on_reservation(request, owner_id, "change-reservation", {
            "trip_id": trip_id, "reservation_id": reservation_id, "patch": patch, "if_match": if_match(request)})

    async def delete(self, request: web.Request, owner_id: str, trip_id: str, reservation_id: str) -> web.Response:
        """Delete one of the trip's reservations (the owner's, gone from their account as if they deleted it,
        never one outside this trip); 202, applied shortly after the answer, as a change is."""
        return await _on_reservation(request, owner_id, "delete-reservation", {
            "trip_id": trip_id, "reservation_id": reservation_id, "if_match": if_match(request)})


async def _on_reservation(request: web.Request, owner_id: str, kind: str, data: dict) -> web.Response:
    who = caller(request)
    if (routed := await to_book(request, owner_id, (topics.trip_commands,))) is not None:
        return routed
    command = {"kind": kind, "user_id": owner_id, "actor_id": who.user_id, "data": data}
    acting.check(book_of(owner_id), command, trips_clock.now())
    _try_on_owners_copy(owner_id, command)
    await send_command(topics.trip_commands, owner_id, command)
    return web.Response(status=202, headers={"Location": f"/api/v1/shared-trips/{owner_id}/{data['trip_id']}"})


def _try_on_owners_copy(owner_id: str, command: dict) -> None:
    """Raise what the reservations agent would answer to the change or deletion, applied to the owner's index
    copy: a reservation the trip does not hold (404), a stale If-Match (412), a patch leaving it invalid (422)."""
    data = command["data"]
    trip = book_of(owner_id)["trips"].get(data["trip_id"]) or {}
    if data["reservation_id"] not in trip.get("reservations", ()):
        raise NotFound("The trip holds no such reservation.")
    held = user_reservations.get(entry_key(owner_id, data["reservation_id"]))
    if held is None or held.get("deleted"):
        raise NotFound("No such reservation.")
    trial = reservation_rules.apply({**held, "user_id": owner_id}, {
        "command_id": "", "kind": RESERVATION_KINDS[command["kind"]], "reservation_id": data["reservation_id"],
        "user_id": owner_id, "data": data.get("patch") or {}, "if_match": data["if_match"]},
        trips_clock.now().isoformat())
    if not trial.reply["ok"]:
        raise from_refusal(trial.reply)


OPENAPI = {
    "schemas": {},
    "paths": {
        "/api/v1/shared-trips/{owner_id}/{trip_id}/reservations": {
            "post": op("Add a reservation to a trip shared with the caller as editor: the owner's, placed in the "
                       "trip (a viewer gets 403)", {"201": answer(ref("Reservation"), "Created", ["ETag", "Location"])},
                       body="ReservationInput", params=[OWNER_ID, TRIP_ID, IDEMPOTENCY_KEY],
                       errors=(400, 403, 404, 409, 413, 415, 422, 503))},
        "/api/v1/shared-trips/{owner_id}/{trip_id}/reservations/{reservation_id}": {
            "patch": op("Change a reservation of a trip shared with the caller as editor (merge patch); applied "
                        "shortly after the answer (a viewer gets 403)", {"202": {"description": "Accepted"}},
                        body="ReservationPatch", params=[OWNER_ID, TRIP_ID, ID_PARAM, IF_MATCH],
                        errors=(400, 403, 404, 412, 415, 422, 503)),
            "delete": op("Delete a reservation of a trip shared with the caller as editor (the owner's, only one the "
                         "trip holds); applied shortly after the answer (a viewer gets 403)",
                         {"202": {"description": "Accepted"}}, params=[OWNER_ID, TRIP_ID, ID_PARAM, IF_MATCH],
                         errors=(400, 403, 404, 412, 503))},
    },
}

"""Reservations: create, read, change, delete and list the caller's own (/api/v1/reservations)."""

from __future__ import annotations

import hashlib
import re
import uuid

import orjson
from aiohttp import web
from faust import web as faust_web

from domain.common.errors import NotFound, ValidationError
from domain.common.numbers import whole_number
from domain.reservations import listing
from domain.reservations.commands import check_api_input, etag, to_api
from domain.reservations.fields import check
from faust_app import settings
from streams import topics
from streams.replies import progress
from tables.reservations import reservations
from tables.user_reservations import reservations_of, user_reservations
from web.auth import caller
from web.problems import json_response, problem
from web.routing import forward_to_owner, read_json, send_command, was_forwarded

blueprint = faust_web.Blueprint("reservations")
RESERVATION_ID = re.compile(r"^[0-9a-f]{32}$")
ID_HEADER = "X-RoadWarrior-Id"  # the ID chosen by the first worker, trusted only on a forwarded request
IDEMPOTENCY = uuid.UUID("6f1c1a52-61d4-4be3-9a0c-7d1b7f2b9e10")


@blueprint.route("/reservations", name="collection")
class Reservations(faust_web.View):
    async def post(self, request: web.Request) -> web.Response:
        who = caller(request)
        body = check_api_input(await read_json(request))
        check({"source": "manual", **body})  # reject early; the agent checks again authoritatively
        reservation_id = _new_id(request, who.user_id)
        routed = await forward_to_owner(request, reservations.name, reservation_id, {ID_HEADER: reservation_id})
        if routed is not None:
            return routed
        command = {"kind": "create", "reservation_id": reservation_id, "user_id": who.user_id, "data": body,
                   "request_digest": hashlib.sha256(orjson.dumps(body, option=orjson.OPT_SORT_KEYS)).hexdigest()}
        return _applied(await send_command(topics.reservation_commands, reservation_id, command))

    async def get(self, request: web.Request) -> web.Response:
        who = caller(request)
        query = listing.parse_query(dict(request.query))
        if (routed := await forward_to_owner(request, user_reservations.name, who.user_id)) is not None:
            return routed
        # The index is one hop behind the reservations agent: wait for writes made before this request.
        if not await progress.caught_up(topics.user_reservation_events.get_topic_name(), who.user_id,
                                        settings.request_timeout_s):
            # Serving the index now could omit a write this caller already saw acknowledged.
            return problem(503, "index-catching-up", "The listing is catching up after a restart; retry shortly.",
                           headers={"Retry-After": "1"})
        items, cursor = listing.page(reservations_of(who.user_id), query)
        return json_response({"items": items, "next_cursor": cursor})


@blueprint.route("/reservations/{reservation_id}", name="detail")
class Reservation(faust_web.View):
    async def get(self, request: web.Request, reservation_id: str) -> web.Response:
        who = caller(request)
        _check_id(reservation_id)
        if (routed := await forward_to_owner(request, reservations.name, reservation_id)) is not None:
            return routed
        state = reservations.get(reservation_id)
        if state is None or state["user_id"] != who.user_id:
            raise NotFound("No such reservation.")
        return _representation({"reservation": to_api(state), "version": state["version"]}, 200)

    async def patch(self, request: web.Request, reservation_id: str) -> web.Response:
        who = caller(request)
        _check_id(reservation_id)
        patch = check_api_input(await read_json(request))
        if (routed := await forward_to_owner(request, reservations.name, reservation_id)) is not None:
            return routed
        return _applied(await send_command(topics.reservation_commands, reservation_id, {
            "kind": "update", "reservation_id": reservation_id, "user_id": who.user_id, "data": patch,
            "if_match": _if_match(request)}))

    async def delete(self, request: web.Request, reservation_id: str) -> web.Response:
        who = caller(request)
        _check_id(reservation_id)
        if (routed := await forward_to_owner(request, reservations.name, reservation_id)) is not None:
            return routed
        return _applied(await send_command(topics.reservation_commands, reservation_id, {
            "kind": "delete", "reservation_id": reservation_id, "user_id": who.user_id, "data": {},
            "if_match": _if_match(request)}))


def _applied(reply: dict) -> web.Response:
    """The answer to an applied command: nothing after a delete, the reservation as it now is otherwise."""
    if reply["status"] == 204:
        return web.Response(status=204)
    return _representation(reply, reply["status"])


def _representation(reply: dict, status: int) -> web.Response:
    body = reply["reservation"]
    headers = {"ETag": etag(reply), "Location": f"/api/v1/reservations/{body['id']}"}
    return json_response(body, status, headers)


def _new_id(request: web.Request, user_id: str) -> str:
    if was_forwarded(request) and RESERVATION_ID.match(request.headers.get(ID_HEADER, "")):
        return request.headers[ID_HEADER]
    key = request.headers.get("Idempotency-Key")
    if key is None:
        return uuid.uuid4().hex
    if not 1 <= len(key) <= 200:
        raise ValidationError("Bad Idempotency-Key.", [{"field": "Idempotency-Key", "message": "1-200 characters"}])
    # The same user and key always name the same reservation: a retried POST meets the first one.
    return uuid.uuid5(IDEMPOTENCY, f"{user_id}:{key}").hex


def _check_id(reservation_id: str) -> None:
    if not RESERVATION_ID.match(reservation_id):
        raise NotFound("No such reservation.")


def _if_match(request: web.Request) -> int | None:
    value = request.headers.get("If-Match")
    if value is None or value.strip() == "*":
        return None
    version = whole_number(value.strip().removeprefix("W/").strip('"'))
    if version is None:
        raise ValidationError("Bad If-Match.", [{"field": "If-Match", "message": 'must be an ETag like "3"'}])
    return version

"""Reservations: create, read, change, delete and list the caller's own (/api/v1/reservations)."""

from __future__ import annotations

import hashlib
import uuid

import orjson
from aiohttp import web
from faust import web as faust_web

from domain.common.errors import NotFound, ValidationError
from domain.common.ids import HEX_ID as RESERVATION_ID
from domain.common.numbers import whole_number
from domain.reservations import listing
from domain.reservations.commands import check_api_input, etag, to_api
from domain.reservations.fields import MAX_TRAVELLERS, REQUIRED_DETAILS, SOURCES, STATUSES, SUB_FIELDS, TYPES, check
from faust_app import settings
from streams import topics
from streams.replies import progress
from tables.reservations import reservations
from tables.user_reservations import reservations_of, user_reservations
from web.apidoc import EMPTY, STR, TEXT, TIME, ZONE, answer, limit, nullable, op, param, ref
from web.auth import caller
from web.problems import json_response, problem
from web.reservations.tracked import TRACKING, tracking_of
from web.routing import forward_to_owner, read_json, send_command, was_forwarded

blueprint = faust_web.Blueprint("reservations")
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
                   "request_digest": request_digest(body)}
        return _applied(await send_command(topics.reservation_commands, reservation_id, command))

    async def get(self, request: web.Request) -> web.Response:
        who = caller(request)
        query = listing.parse_query(dict(request.query))
        if (routed := await forward_to_owner(request, user_reservations.name, who.user_id)) is not None:
            return routed
        # The index is one hop behind the reservations agent: wait for writes made before this request.
        if not await progress.caught_up(topics.user_reservation_events.get_topic_name(), who.user_id,
                                        settings.web.request_timeout_s):
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
        shown = {**to_api(state), "tracking": tracking_of(reservation_id)}
        return _representation({"reservation": shown, "version": state["version"]}, 200)

    async def patch(self, request: web.Request, reservation_id: str) -> web.Response:
        who = caller(request)
        _check_id(reservation_id)
        patch = check_api_input(await read_json(request))
        if (routed := await forward_to_owner(request, reservations.name, reservation_id)) is not None:
            return routed
        return _applied(await send_command(topics.reservation_commands, reservation_id, {
            "kind": "update", "reservation_id": reservation_id, "user_id": who.user_id, "data": patch,
            "if_match": if_match(request)}))

    async def delete(self, request: web.Request, reservation_id: str) -> web.Response:
        who = caller(request)
        _check_id(reservation_id)
        if (routed := await forward_to_owner(request, reservations.name, reservation_id)) is not None:
            return routed
        return _applied(await send_command(topics.reservation_commands, reservation_id, {
            "kind": "delete", "reservation_id": reservation_id, "user_id": who.user_id, "data": {},
            "if_match": if_match(request)}))


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
    if was_forwarded(request) and RESERVATION_ID.fullmatch(request.headers.get(ID_HEADER, "")):
        return request.headers[ID_HEADER]
    key = idempotency_key(request)
    if key is None:
        return uuid.uuid4().hex
    # The same user and key always name the same reservation: a retried POST meets the first one.
    return uuid.uuid5(IDEMPOTENCY, f"{user_id}:{key}").hex


def idempotency_key(request: web.Request) -> str | None:
    """The request's Idempotency-Key header, checked; None without one."""
    key = request.headers.get("Idempotency-Key")
    if key is not None and not 1 <= len(key) <= 200:
        raise ValidationError("Bad Idempotency-Key.", [{"field": "Idempotency-Key", "message": "1-200 characters"}])
    return key


def request_digest(body: dict) -> str:
    """What a create with an Idempotency-Key remembers of its body: the same key with another body is a 409."""
    return hashlib.sha256(orjson.dumps(body, option=orjson.OPT_SORT_KEYS)).hexdigest()


def _check_id(reservation_id: str) -> None:
    if not RESERVATION_ID.fullmatch(reservation_id):
        raise NotFound("No such reservation.")


def if_match(request: web.Request) -> int | None:
    value = request.headers.get("If-Match")
    if value is None or value.strip() == "*":
        return None
    version = whole_number(value.strip().removeprefix("W/").strip('"'))
    if version is None:
        raise ValidationError("Bad If-Match.", [{"field": "If-Match", "message": 'must be an ETag like "3"'}])
    return version


# The OpenAPI part: the input schemas restate domain/reservations/fields.py for clients.
ID_PARAM = param("reservation_id", "path", {"type": "string", "pattern": RESERVATION_ID.pattern})
IF_MATCH = param("If-Match", "header", {"type": "string", "pattern": r'^(\*|(W/)?"?[0-9]{1,18}"?)$',
                                        "description": 'the ETag of the version you changed, e.g. "3"'})
IDEMPOTENCY_KEY = param("Idempotency-Key", "header", {"type": "string", "minLength": 1, "maxLength": 200})
_DATE = r"(19[0-9]{2}|2[01][0-9]{2}|2200)-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
_CLOCK = r"([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?"
_LOCAL_TIME = {"type": "string", "examples": ["2027-03-01T08:30", "2027-03-01T08:30+01:00"],
               "pattern": f"^{_DATE}([T ]{_CLOCK}(Z|[+-]([01][0-9]|2[0-3]):?[0-5][0-9])?)?$",
               "description": "ISO 8601, years 1900-2200. Without an offset: the wall-clock time of the place "
                              "(the airport for flights). Answers carry the place's UTC offset."}
_LIST_PARAMS = [param("status", schema={"enum": ["", *STATUSES]}), param("type", schema={"enum": ["", *TYPES]}),
                param("from", schema={"anyOf": [_LOCAL_TIME, EMPTY]}),
                param("to", schema={"anyOf": [_LOCAL_TIME, EMPTY]}), param("cursor"), limit(listing.MAX_LIMIT)]
_CODES = {"airline": {"type": "string", "pattern": "^[A-Za-z0-9]{2}$", "description": "IATA airline code"},
          "number": {"type": "string", "pattern": "^[0-9]{1,4}[A-Za-z]?$"},
          "from": {"type": "string", "pattern": "^[A-Za-z]{3}$", "description": "a known IATA airport code"},
          "to": {"type": "string", "pattern": "^[A-Za-z]{3}$", "description": "a known IATA airport code"}}
_COMMON = {
    "status": {"enum": list(STATUSES)}, "confirmation": TEXT, "provider": TEXT,
    "travellers": {"type": "array", "maxItems": MAX_TRAVELLERS, "items": TEXT},
    "start": _LOCAL_TIME, "end": _LOCAL_TIME, "start_time_zone": ZONE, "end_time_zone": ZONE,
    "notes": {**TEXT, "maxLength": 2000},
}
_REMOVABLE = {"status", "confirmation", "provider", "travellers", "notes", "end_time_zone"}


def _detail(kind: str) -> dict:
    required = list(REQUIRED_DETAILS[kind])
    return {"type": "object", "additionalProperties": False, "required": required,
            "properties": {f: _CODES.get(f, TEXT) if f in required else nullable(_CODES.get(f, TEXT))
                           for f in sorted(SUB_FIELDS[kind])}}


def _input(kind: str) -> dict:
    """A new reservation of one type: its own details object, and the zones where no airport gives them."""
    zone = [] if kind == "flight" else ["start_time_zone"]  # end_time_zone defaults to start_time_zone
    required = ["type", "start", "end", kind, *zone]
    common = {name: schema if name in required else nullable(schema) for name, schema in _COMMON.items()}
    return {"type": "object", "additionalProperties": False, "required": required,
            "description": "null is the same as leaving an optional field out",
            "properties": {"type": {"const": kind}, **common, kind: _detail(kind),
                           **{other: {"type": "null"} for other in TYPES if other != kind}}}


_WRITABLE = {"type": {"enum": list(TYPES)}, **_COMMON, **{k: _detail(k) for k in TYPES}}


def _patch_properties() -> dict:
    """A merge patch: null removes what may be absent; a details object may name only the fields it changes."""
    out = {name: nullable(schema) if name in _REMOVABLE else schema for name, schema in _WRITABLE.items()}
    for kind in TYPES:
        out[kind] = {key: value for key, value in _detail(kind).items() if key != "required"}
    return out


OPENAPI = {
    "schemas": {
        "Tracking": TRACKING,
        "ReservationInput": {"oneOf": [ref(f"{kind.title()}Input") for kind in TYPES],
                             "discriminator": {"propertyName": "type"},
                             "description": "flight times are in the airports' zones; end must not be before start"},
        **{f"{kind.title()}Input": _input(kind) for kind in TYPES},
        "ReservationPatch": {"type": "object", "additionalProperties": False,
                             "description": "RFC 7396 merge patch: null removes an optional field; the result must "
                                            "be a valid reservation (ReservationInput)",
                             "properties": _patch_properties()},
        "Reservation": {"type": "object", "properties": {
            "id": STR, **_WRITABLE, "start": TIME, "end": TIME, "source": {"enum": list(SOURCES)},
            "version": {"type": "integer"}, "created_at": TIME, "updated_at": TIME,
            "tracking": {**ref("Tracking"), "description": "only in GET /api/v1/reservations/{reservation_id}"}}},
        "ReservationPage": {"type": "object", "properties": {
            "items": {"type": "array", "items": ref("Reservation")}, "next_cursor": {"type": ["string", "null"]}}},
    },
    "paths": {
        "/api/v1/reservations": {
            "get": op("List the caller's reservations, newest trip first", {"200": answer(ref("ReservationPage"))},
                      params=_LIST_PARAMS, errors=(422, 503)),
            "post": op("Add a reservation", {"201": answer(ref("Reservation"), "Created", ["ETag", "Location"])},
                       body="ReservationInput", params=[IDEMPOTENCY_KEY], errors=(400, 409, 413, 415, 422, 503))},
        "/api/v1/reservations/{reservation_id}": {
            "get": op("One reservation", {"200": answer(ref("Reservation"), headers=["ETag"])}, params=[ID_PARAM],
                      errors=(404,)),
            "patch": op("Change a reservation (merge patch)", {"200": answer(ref("Reservation"), headers=["ETag"])},
                        body="ReservationPatch", params=[ID_PARAM, IF_MATCH],
                        errors=(400, 404, 412, 415, 422, 503)),
            "delete": op("Delete a reservation", {"204": {"description": "Deleted"}}, params=[ID_PARAM, IF_MATCH],
                         errors=(404, 412, 422, 503))},
    },
}

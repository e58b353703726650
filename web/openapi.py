"""GET /api/openapi.json: the OpenAPI 3.1 description of every route (tests check it against the router)."""

from __future__ import annotations

from aiohttp import web
from faust import web as faust_web

from domain.accounts import LOCALES
from domain.reservation_fields import SOURCES, STATUSES, SUB_FIELDS, TYPES
from web.problems import json_response

blueprint = faust_web.Blueprint("openapi")
REF = "#/components/schemas/"


def _ref(name: str) -> dict:
    return {"$ref": REF + name}


def _json(schema: dict, description: str = "OK", headers: dict | None = None) -> dict:
    out = {"description": description, "content": {"application/json": {"schema": schema}}}
    if headers:
        out["headers"] = {h: {"schema": {"type": "string"}} for h in headers}
    return out


def _problems(*codes: int) -> dict:
    return {str(c): {"description": "Problem", "content": {"application/problem+json": {"schema": _ref("Problem")}}}
            for c in codes}


def _op(summary: str, responses: dict, *, body: str | None = None, auth: bool = True,
        params: list | None = None, errors: tuple = ()) -> dict:
    op = {"summary": summary, "responses": {**responses, **_problems(*errors, *((401,) if auth else ()))}}
    if body:
        op["requestBody"] = {"required": True, "content": {"application/json": {"schema": _ref(body)}}}
    if auth:
        op["security"] = [{"bearer": []}]
    if params:
        op["parameters"] = params
    return op


def _param(name: str, where: str = "query", schema: dict | None = None, required: bool = False) -> dict:
    return {"name": name, "in": where, "required": required or where == "path", "schema": schema or {"type": "string"}}


_ID = _param("reservation_id", "path", {"type": "string", "pattern": "^[0-9a-f]{32}$"})
_IF_MATCH = _param("If-Match", "header")
_PROVIDER = _param("provider_id", "path")
_STR = {"type": "string"}
_TIME = {"type": "string", "format": "date-time"}


def _detail(kind: str) -> dict:
    return {"type": "object", "additionalProperties": False, "properties": {f: _STR for f in sorted(SUB_FIELDS[kind])}}


_WRITABLE = {
    "type": {"enum": list(TYPES)}, "status": {"enum": list(STATUSES)}, "confirmation": _STR, "provider": _STR,
    "travellers": {"type": "array", "items": _STR}, "start": _TIME, "end": _TIME, "start_time_zone": _STR,
    "end_time_zone": _STR, "notes": _STR, **{k: _detail(k) for k in TYPES},
}
SCHEMAS = {
    "Problem": {"type": "object", "required": ["type", "title", "status"], "properties": {
        "type": _STR, "title": _STR, "status": {"type": "integer"},
        "errors": {"type": "array", "items": {"type": "object", "properties": {"field": _STR, "message": _STR}}}}},
    "ReservationInput": {"type": "object", "additionalProperties": False, "required": ["type", "start"],
                         "properties": _WRITABLE},
    "ReservationPatch": {"type": "object", "additionalProperties": False, "description": "RFC 7396 merge patch",
                         "properties": _WRITABLE},
    "Reservation": {"type": "object", "properties": {
        "id": _STR, **_WRITABLE, "source": {"enum": list(SOURCES)}, "version": {"type": "integer"},
        "created_at": _TIME, "updated_at": _TIME}},
    "ReservationPage": {"type": "object", "properties": {
        "items": {"type": "array", "items": _ref("Reservation")}, "next_cursor": {"type": ["string", "null"]}}},
    "Signup": {"type": "object", "additionalProperties": False, "required": ["email", "password", "name"],
               "properties": {"email": {"type": "string", "format": "email"}, "password": {"type": "string",
                              "minLength": 10}, "name": _STR, "locale": {"enum": list(LOCALES)}, "time_zone": _STR}},
    "Login": {"type": "object", "required": ["email", "password"], "properties": {"email": _STR, "password": _STR}},
    "RefreshToken": {"type": "object", "required": ["refresh_token"], "properties": {"refresh_token": _STR}},
    "Tokens": {"type": "object", "properties": {"access_token": _STR, "token_type": {"const": "Bearer"},
               "expires_in": {"type": "integer"}, "refresh_token": _STR, "user_id": _STR}},
    "User": {"type": "object", "properties": {"id": _STR, "email": _STR, "name": _STR, "locale": _STR,
             "time_zone": _STR, "role": {"enum": ["traveller", "support", "admin"]}, "version": {"type": "integer"},
             "created_at": _TIME, "updated_at": _TIME}},
    "ProfilePatch": {"type": "object", "additionalProperties": False,
                     "properties": {"name": _STR, "locale": {"enum": list(LOCALES)}, "time_zone": _STR}},
    "Health": {"type": "object", "properties": {"status": {"enum": ["ready", "starting"]}}},
    "ProviderInput": {"type": "object", "additionalProperties": False, "required": ["provider_id", "kind", "base_url"],
                      "properties": {"provider_id": {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]{1,62}$"},
                                     "kind": {"enum": ["standard", "amadeus", "gds"]}, "name": _STR,
                                     "base_url": {"type": "string", "format": "uri"},
                                     "credentials": {"type": "object", "additionalProperties": _STR},
                                     "quota": {"type": "object", "properties": {"per_second": {"type": "number"},
                                                                                "per_day": {"type": "number"}}},
                                     "batch_size": {"type": "integer"}, "can_push": {"type": "boolean"},
                                     "enabled": {"type": "boolean"}, "timeout_s": {"type": "number"},
                                     "max_concurrency": {"type": "integer"}}},
    "ProviderPatch": {"type": "object", "additionalProperties": False, "description": "any ProviderInput field",
                      "properties": {"kind": {"enum": ["standard", "amadeus", "gds"]}, "name": _STR, "base_url": _STR,
                                     "credentials": {"type": "object", "additionalProperties": _STR},
                                     "batch_size": {"type": "integer"}, "can_push": {"type": "boolean"},
                                     "enabled": {"type": "boolean"}, "timeout_s": {"type": "number"},
                                     "max_concurrency": {"type": "integer"}, "quota": {"type": "object"}}},
    "Provider": {"type": "object", "description": "credentials are never shown: only credential_names",
                 "properties": {"provider_id": _STR, "kind": _STR, "base_url": _STR, "enabled": {"type": "boolean"},
                                "credential_names": {"type": "array", "items": _STR}, "version": {"type": "integer"},
                                "webhook_secret": {"type": "string", "description": "only in the 201 response"}}},
}
_LIST_PARAMS = [_param("status", schema={"enum": list(STATUSES)}), _param("type", schema={"enum": list(TYPES)}),
                _param("from"), _param("to"), _param("cursor"), _param("limit", schema={"type": "integer"})]
PATHS = {
    "/api/v1/auth/signup": {"post": _op("Create an account", {"201": _json(_ref("User"), "Created")},
                                        body="Signup", auth=False, errors=(400, 409, 413, 415, 422, 503))},
    "/api/v1/auth/login": {"post": _op("Log in", {"200": _json(_ref("Tokens"))}, body="Login", auth=False,
                                       errors=(400, 401, 415))},
    "/api/v1/auth/refresh": {"post": _op("Rotate the refresh token", {"200": _json(_ref("Tokens"))},
                                         body="RefreshToken", auth=False, errors=(400, 401, 415, 503))},
    "/api/v1/auth/logout": {"post": _op("Revoke the session", {"204": {"description": "Logged out"}},
                                        body="RefreshToken", auth=False, errors=(400, 401, 415, 503))},
    "/api/v1/me": {
        "get": _op("The caller's profile", {"200": _json(_ref("User"), headers=["ETag"])}, errors=(404,)),
        "patch": _op("Change name, locale or time zone", {"200": _json(_ref("User"), headers=["ETag"])},
                     body="ProfilePatch", errors=(400, 404, 415, 422, 503))},
    "/api/v1/reservations": {
        "get": _op("List the caller's reservations, newest trip first", {"200": _json(_ref("ReservationPage"))},
                   params=_LIST_PARAMS, errors=(422, 503)),
        "post": _op("Add a reservation", {"201": _json(_ref("Reservation"), "Created", ["ETag", "Location"])},
                    body="ReservationInput", params=[_param("Idempotency-Key", "header")],
                    errors=(400, 409, 413, 415, 422, 503))},
    "/api/v1/reservations/{reservation_id}": {
        "get": _op("One reservation", {"200": _json(_ref("Reservation"), headers=["ETag"])}, params=[_ID],
                   errors=(404,)),
        "patch": _op("Change a reservation (merge patch)", {"200": _json(_ref("Reservation"), headers=["ETag"])},
                     body="ReservationPatch", params=[_ID, _IF_MATCH], errors=(400, 404, 412, 415, 422, 503)),
        "delete": _op("Delete a reservation", {"204": {"description": "Deleted"}}, params=[_ID, _IF_MATCH],
                      errors=(404, 412, 503))},
    "/api/v1/admin/providers": {
        "get": _op("List providers (admin, support)", {"200": _json({"type": "object", "properties": {
            "items": {"type": "array", "items": _ref("Provider")}}})}, errors=(403,)),
        "post": _op("Register a provider (admin)", {"201": _json(_ref("Provider"), "Created", ["Location"])},
                    body="ProviderInput", errors=(400, 403, 409, 415, 422, 503))},
    "/api/v1/admin/providers/{provider_id}": {
        "get": _op("One provider (admin, support)", {"200": _json(_ref("Provider"), headers=["ETag"])},
                   params=[_PROVIDER], errors=(403, 404)),
        "patch": _op("Change a provider (admin)", {"200": _json(_ref("Provider"))}, body="ProviderPatch",
                     params=[_PROVIDER], errors=(400, 403, 404, 415, 422, 503)),
        "delete": _op("Disable a provider (admin); its record stays", {"200": _json(_ref("Provider"))},
                      params=[_PROVIDER], errors=(403, 404, 503))},
    "/healthz": {"get": _op("Readiness", {"200": _json(_ref("Health")), "503": _json(_ref("Health"), "Not ready")},
                            auth=False)},
    "/api/openapi.json": {"get": _op("This document", {"200": _json({"type": "object"})}, auth=False)},
}
SPEC = {
    "openapi": "3.1.0",
    "info": {"title": "Road Warrior API", "version": "1.0.0"},
    "paths": PATHS,
    "components": {"schemas": SCHEMAS,
                   "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}}},
}


@blueprint.route("/api/openapi.json", name="openapi")
class OpenAPI(faust_web.View):
    async def get(self, request: web.Request) -> web.Response:
        return json_response(SPEC)

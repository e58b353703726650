"""GET /api/openapi.json: the OpenAPI 3.1 description of every route (tests check it against the router)."""

from __future__ import annotations

from aiohttp import web
from faust import web as faust_web

from domain.accounts.rules import LOCALES, MAX_PASSWORD, MIN_PASSWORD
from domain.common.ids import HEX_ID
from domain.common.places import zones
from domain.mail.mailboxes import HOST_NAME
from domain.notify.devices import APNS_TOKEN, B64URL, TOKEN
from domain.reservations.fields import (
    MAX_TEXT,
    MAX_TRAVELLERS,
    REQUIRED_DETAILS,
    SOURCES,
    STATUSES,
    SUB_FIELDS,
    TYPES,
)
from domain.reservations.listing import MAX_LIMIT
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


_ID = _param("reservation_id", "path", {"type": "string", "pattern": HEX_ID.pattern})
_IF_MATCH = _param("If-Match", "header", {"type": "string", "pattern": r'^(\*|(W/)?"?[0-9]{1,18}"?)$',
                                          "description": 'the ETag of the version you changed, e.g. "3"'})
_PROVIDER = _param("provider_id", "path")
_STR = {"type": "string"}
_TIME = {"type": "string", "format": "date-time"}
_TEXT = {"type": "string", "minLength": 1, "maxLength": MAX_TEXT, "pattern": r"\S",
         "description": "trimmed; must not be blank"}
_ZONE = _ref("TimeZone")
_DATE = r"(19[0-9]{2}|2[01][0-9]{2}|2200)-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
_CLOCK = r"([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?"
_LOCAL_TIME = {"type": "string", "examples": ["2027-03-01T08:30", "2027-03-01T08:30+01:00"],
               "pattern": f"^{_DATE}([T ]{_CLOCK}(Z|[+-]([01][0-9]|2[0-3]):?[0-5][0-9])?)?$",
               "description": "ISO 8601, years 1900-2200. Without an offset: the wall-clock time of the place "
                              "(the airport for flights). Answers carry the place's UTC offset."}
_LOCALE = {"type": "string", "examples": ["de", "de-DE", "pt-BR"],
           "pattern": "^(" + "|".join("".join(f"[{c}{c.upper()}]" for c in tag) for tag in LOCALES)
                      + ")([-_][A-Za-z0-9]{1,8}){0,6}$",
           "description": f"a BCP 47 language tag in one of {', '.join(LOCALES)}, region optional; "
                          "stored in BCP 47 form (pt_BR is kept as pt-BR)"}


_CODES = {"airline": {"type": "string", "pattern": "^[A-Za-z0-9]{2}$", "description": "IATA airline code"},
          "number": {"type": "string", "pattern": "^[0-9]{1,4}[A-Za-z]?$"},
          "from": {"type": "string", "pattern": "^[A-Za-z]{3}$", "description": "a known IATA airport code"},
          "to": {"type": "string", "pattern": "^[A-Za-z]{3}$", "description": "a known IATA airport code"}}


def _nullable(schema: dict) -> dict:
    return {"anyOf": [schema, {"type": "null"}]}


def _detail(kind: str) -> dict:
    required = list(REQUIRED_DETAILS[kind])
    return {"type": "object", "additionalProperties": False, "required": required,
            "properties": {f: _CODES.get(f, _TEXT) if f in required else _nullable(_CODES.get(f, _TEXT))
                           for f in sorted(SUB_FIELDS[kind])}}


_COMMON = {
    "status": {"enum": list(STATUSES)}, "confirmation": _TEXT, "provider": _TEXT,
    "travellers": {"type": "array", "maxItems": MAX_TRAVELLERS, "items": _TEXT},
    "start": _LOCAL_TIME, "end": _LOCAL_TIME, "start_time_zone": _ZONE, "end_time_zone": _ZONE,
    "notes": {**_TEXT, "maxLength": 2000},
}


def _input(kind: str) -> dict:
    """A new reservation of one type: its own details object, and the zones where no airport gives them."""
    zone = [] if kind == "flight" else ["start_time_zone"]  # end_time_zone defaults to start_time_zone
    required = ["type", "start", "end", kind, *zone]
    common = {name: schema if name in required else _nullable(schema) for name, schema in _COMMON.items()}
    return {"type": "object", "additionalProperties": False, "required": required,
            "description": "null is the same as leaving an optional field out",
            "properties": {"type": {"const": kind}, **common, kind: _detail(kind),
                           **{other: {"type": "null"} for other in TYPES if other != kind}}}


_WRITABLE = {"type": {"enum": list(TYPES)}, **_COMMON, **{k: _detail(k) for k in TYPES}}
_REMOVABLE = {"status", "confirmation", "provider", "travellers", "notes", "end_time_zone"}


def _patch_properties() -> dict:
    """A merge patch: null removes what may be absent; a details object may name only the fields it changes."""
    out = {name: _nullable(schema) if name in _REMOVABLE else schema for name, schema in _WRITABLE.items()}
    for kind in TYPES:
        out[kind] = {key: value for key, value in _detail(kind).items() if key != "required"}
    return out


SCHEMAS = {
    "TimeZone": {"enum": sorted(zones()), "description": "an IANA time zone name"},
    "Problem": {"type": "object", "required": ["type", "title", "status"], "properties": {
        "type": _STR, "title": _STR, "status": {"type": "integer"},
        "errors": {"type": "array", "items": {"type": "object", "properties": {"field": _STR, "message": _STR}}}}},
    "ReservationInput": {"oneOf": [_ref(f"{kind.title()}Input") for kind in TYPES],
                         "discriminator": {"propertyName": "type"},
                         "description": "flight times are in the airports' zones; end must not be before start"},
    **{f"{kind.title()}Input": _input(kind) for kind in TYPES},
    "ReservationPatch": {"type": "object", "additionalProperties": False,
                         "description": "RFC 7396 merge patch: null removes an optional field; the result must be "
                                        "a valid reservation (ReservationInput)",
                         "properties": _patch_properties()},
    "Reservation": {"type": "object", "properties": {
        "id": _STR, **_WRITABLE, "start": _TIME, "end": _TIME, "source": {"enum": list(SOURCES)},
        "version": {"type": "integer"},
        "created_at": _TIME, "updated_at": _TIME}},
    "ReservationPage": {"type": "object", "properties": {
        "items": {"type": "array", "items": _ref("Reservation")}, "next_cursor": {"type": ["string", "null"]}}},
    "Signup": {"type": "object", "additionalProperties": False, "required": ["email", "password", "name"],
               "properties": {"email": {"type": "string", "format": "email"}, "password": {"type": "string",
                              "minLength": MIN_PASSWORD, "maxLength": MAX_PASSWORD}, "name": _TEXT,
                              "locale": _nullable(_LOCALE), "time_zone": _nullable(_ZONE)},
               "description": "locale and time_zone left out or null: en and UTC"},
    "Login": {"type": "object", "required": ["email", "password"], "properties": {"email": _STR, "password": _STR}},
    "RefreshToken": {"type": "object", "required": ["refresh_token"], "properties": {"refresh_token": _STR}},
    "Tokens": {"type": "object", "properties": {"access_token": _STR, "token_type": {"const": "Bearer"},
               "expires_in": {"type": "integer"}, "refresh_token": _STR, "user_id": _STR}},
    "User": {"type": "object", "properties": {"id": _STR, "email": _STR, "name": _STR, "locale": _STR,
             "time_zone": _STR, "role": {"enum": ["traveller", "support", "admin"]}, "version": {"type": "integer"},
             "created_at": _TIME, "updated_at": _TIME}},
    "ProfilePatch": {"type": "object", "additionalProperties": False,
                     "description": "null (or leaving a field out) keeps it as it is",
                     "properties": {k: _nullable(v) for k, v in
                                    {"name": _TEXT, "locale": _LOCALE, "time_zone": _ZONE}.items()}},
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
_EMPTY = {"const": "", "description": "no filter"}
def _limit(most: int) -> dict:
    return _param("limit", schema={"anyOf": [{"type": "integer", "minimum": 1, "maximum": most}, _EMPTY]})


_SEQ_CURSOR = _param("cursor", schema={"anyOf": [{"type": "string", "pattern": "^[0-9]{1,18}$"}, _EMPTY],
                                       "description": "next_cursor of the previous page"})
_IDEMPOTENCY_KEY = _param("Idempotency-Key", "header", {"type": "string", "minLength": 1, "maxLength": 200})
_LIST_PARAMS = [_param("status", schema={"enum": ["", *STATUSES]}), _param("type", schema={"enum": ["", *TYPES]}),
                _param("from", schema={"anyOf": [_LOCAL_TIME, _EMPTY]}),
                _param("to", schema={"anyOf": [_LOCAL_TIME, _EMPTY]}), _param("cursor"),
                _limit(MAX_LIMIT)]
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
                    body="ReservationInput", params=[_IDEMPOTENCY_KEY],
                    errors=(400, 409, 413, 415, 422, 503))},
    "/api/v1/reservations/{reservation_id}": {
        "get": _op("One reservation", {"200": _json(_ref("Reservation"), headers=["ETag"])}, params=[_ID],
                   errors=(404,)),
        "patch": _op("Change a reservation (merge patch)", {"200": _json(_ref("Reservation"), headers=["ETag"])},
                     body="ReservationPatch", params=[_ID, _IF_MATCH], errors=(400, 404, 412, 415, 422, 503)),
        "delete": _op("Delete a reservation", {"204": {"description": "Deleted"}}, params=[_ID, _IF_MATCH],
                      errors=(404, 412, 422, 503))},
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


# Tracking: a reservation's change history.
_ANY = {}
SCHEMAS.update({
    "FieldChange": {"type": "object", "required": ["path", "old", "new", "severity"], "properties": {
        "path": {"type": "string", "description": "e.g. departure.gate, status, hotel check_in"},
        "old": _ANY, "new": _ANY, "severity": {"enum": ["info", "major", "critical"]}}},
    "HistoryEntry": {"type": "object", "properties": {
        "seq": {"type": "integer"}, "change_id": {"type": "string", "format": "uuid"},
        "severity": {"enum": ["info", "major", "critical"]},
        "changes": {"type": "array", "items": _ref("FieldChange")}, "detected_at": _TIME,
        "provider_changed_at": {"type": ["string", "null"], "format": "date-time"},
        "source": {"enum": ["poll", "push"]}, "provider": {"type": ["string", "null"]}}},
    "HistoryPage": {"type": "object", "properties": {
        "items": {"type": "array", "items": _ref("HistoryEntry")}, "next_cursor": {"type": ["string", "null"]}}},
})
PATHS.update({
    "/api/v1/reservations/{reservation_id}/history": {
        "get": _op("The changes tracking found in a reservation, newest first", {"200": _json(_ref("HistoryPage"))},
                   params=[_ID, _SEQ_CURSOR, _limit(200)],
                   errors=(404, 422, 503))},
})   # /metrics (Prometheus text) is operational, like Faust's monitor pages: not part of this API


# Provider pushes: signed by the provider, not by a user.
_PUSH_HEADERS = [_param(h, "header", required=True) for h in ("X-RW-Timestamp", "X-RW-Signature", "X-RW-Event-Id")]
SCHEMAS["ProviderPush"] = {"type": "object", "required": ["event_id", "subject", "snapshot"],
                           "description": "schemas/provider-standard-interface.json describes the snapshot",
                           "properties": {"event_id": _STR, "subject": _STR, "snapshot": {"type": "object"},
                                          "changed_at": {"type": ["string", "null"], "format": "date-time"}}}
PATHS.update({
    "/api/v1/webhooks/providers/{provider_id}": {
        "post": _op("A provider pushes a changed snapshot (HMAC-SHA256 over '<timestamp>.<body>')",
                    {"202": _json({"type": "object", "properties": {"accepted": _STR}}, "Accepted"),
                     "200": _json({"type": "object", "properties": {"accepted": _STR, "duplicate": {"const": True}}},
                                  "Already received")},
                    body="ProviderPush", auth=False, params=[_PROVIDER, *_PUSH_HEADERS],
                    errors=(401, 404, 409, 413, 422))},
})


# E-mail discovery: mailboxes, their OAuth callback, and the sender filters.
_MAILBOX_ID = _param("mailbox_id", "path", {"type": "string", "pattern": HEX_ID.pattern})
_NULLABLE_TIME = {"type": ["string", "null"], "format": "date-time"}
_DOMAINS = {"type": "array", "maxItems": 200,
            "items": {"type": "string", "maxLength": 320, "pattern": "^([^@\\s]*@)?[^@\\s.]+(\\.[^@\\s.]+)+$",
                      "description": "an e-mail address or a domain"}}


def _line(limit: int, description: str) -> dict:
    """Text on one line, not blank."""
    return {"type": "string", "minLength": 1, "maxLength": limit, "pattern": "^[^\\r\\n\\u0000]*\\S[^\\r\\n\\u0000]*$",
            "description": description}


SCHEMAS.update({
    "MailboxConnect": {"oneOf": [
        {"type": "object", "additionalProperties": False, "required": ["provider"],
         "description": "gmail, outlook: the answer is a consent URL to send the traveller to",
         "properties": {"provider": {"enum": ["gmail", "outlook"]}}},
        {"type": "object", "additionalProperties": False, "required": ["provider", "username", "app_password"],
         "properties": {"provider": {"const": "icloud"}, "username": _line(320, "the Apple ID's mail address"),
                        "app_password": _line(1024, "an app-specific password; never returned"),
                        "host": {"description": "ignored: iCloud is imap.mail.me.com"},
                        "port": {"description": "ignored: 993"}}},
        {"type": "object", "additionalProperties": False,
         "required": ["provider", "username", "app_password", "host"],
         "properties": {"provider": {"const": "imap"}, "username": _line(320, "the mailbox's login"),
                        "app_password": _line(1024, "the password; never returned"),
                        "host": {"type": "string", "pattern": HOST_NAME.pattern,
                                 "description": "a public IMAP server's name"},
                        "port": {"type": "integer", "minimum": 1, "maximum": 65535, "default": 993}}}]},
    "MailboxConsent": {"type": "object", "properties": {
        "provider": {"enum": ["gmail", "outlook"]}, "authorization_url": {"type": "string", "format": "uri"},
        "expires_in": {"type": "integer", "description": "seconds the consent may take"}}},
    "Mailbox": {"type": "object", "description": "tokens and passwords are never shown", "properties": {
        "id": _STR, "provider": {"enum": ["gmail", "outlook", "icloud", "imap"]},
        "account": {"type": ["string", "null"]}, "host": {"type": ["string", "null"]},
        "port": {"type": ["integer", "null"]},
        "status": {"type": "string", "description": "connected, connecting, auth expired, or error: <reason>"},
        "connected_at": _TIME, "last_polled_at": _NULLABLE_TIME, "last_success_at": _NULLABLE_TIME,
        "next_poll_at": _NULLABLE_TIME, "messages_seen": {"type": "integer"},
        "reservations_found": {"type": "integer"},
        "skipped": {"type": "array", "items": {"type": "object", "properties": {
            "ref": _STR, "reason": _STR, "at": _TIME}}}}},
    "MailboxList": {"type": "object", "properties": {"items": {"type": "array", "items": _ref("Mailbox")}}},
    "EmailFiltersInput": {"type": "object", "additionalProperties": False, "properties": {
        "allow": _DOMAINS, "block": _DOMAINS, "use_defaults": {"type": "boolean", "default": True},
        "default_whitelist": {"description": "read-only: ignored, so a GET can be edited and PUT back"}},
        "description": "an entry may not be in both lists"},
    "EmailFilters": {"type": "object", "properties": {
        "allow": _DOMAINS, "block": _DOMAINS, "use_defaults": {"type": "boolean"},
        "default_whitelist": {"type": "array", "items": _STR}}},
})
PATHS.update({
    "/api/v1/me/mailboxes": {
        "get": _op("The caller's mailboxes with their status", {"200": _json(_ref("MailboxList"))}, errors=(503,)),
        "post": _op("Connect a mailbox: an OAuth consent URL (gmail, outlook) or IMAP credentials (icloud, imap)",
                    {"200": _json({"oneOf": [_ref("MailboxConsent"), _ref("Mailbox")]},
                                  "gmail, outlook: visit authorization_url; icloud, imap: an account connected again"),
                     "201": _json(_ref("Mailbox"), "Connected", ["Location"])},
                    body="MailboxConnect", errors=(400, 413, 415, 422, 503))},
    "/api/v1/me/mailboxes/{mailbox_id}": {
        "get": _op("One mailbox", {"200": _json(_ref("Mailbox"))}, params=[_MAILBOX_ID], errors=(404, 503)),
        "delete": _op("Disconnect a mailbox and delete its stored tokens or password",
                      {"204": {"description": "Disconnected"}}, params=[_MAILBOX_ID], errors=(404, 503))},
    "/api/v1/oauth/callback": {
        "get": _op("Where Google or Microsoft send the traveller back after consent",
                   {"201": _json(_ref("Mailbox"), "Connected", ["Location"])}, auth=False,
                   params=[_param("state", required=True), _param("code"), _param("error")], errors=(400, 503))},
    "/api/v1/me/email-filters": {
        "get": _op("The caller's sender filters", {"200": _json(_ref("EmailFilters"))}),
        "put": _op("Replace the caller's sender filters", {"200": _json(_ref("EmailFilters"))},
                   body="EmailFiltersInput", errors=(400, 413, 415, 422, 503))},
})


# Notifications: the feed, its live stream, read marks, preferences and push devices.
_SEVERITY = {"enum": ["info", "major", "critical"]}
_DEVICE_NAME = {"type": ["string", "null"], "maxLength": 100, "description": "what the traveller calls it"}
_LEVELS = {"type": "object", "additionalProperties": False,
           "properties": {level: {"type": "boolean"} for level in ("critical", "major", "info")}}
SCHEMAS.update({
    "Notification": {"type": "object", "properties": {
        "id": {"type": "string", "format": "uuid", "description": "stable: derived from the change and channel"},
        "seq": {"type": "integer", "description": "the SSE event ID; an entry updated in place gets a new one"},
        "reservation_id": _STR, "change_ids": {"type": "array", "items": _STR}, "severity": _SEVERITY,
        "title": _STR, "summary": _STR, "locale": _STR, "read": {"type": "boolean"},
        "created_at": _TIME, "updated_at": _TIME, "expires_at": _TIME}},
    "NotificationPage": {"type": "object", "properties": {
        "items": {"type": "array", "items": _ref("Notification")}, "next_cursor": {"type": ["string", "null"]},
        "unread_count": {"type": "integer"},
        "last_event_id": {"type": "integer", "description": "pass as last_event_id to the stream to miss nothing"}}},
    "UnreadCount": {"type": "object", "properties": {"unread_count": {"type": "integer"}}},
    "VapidKey": {"type": "object", "properties": {"public_key": {
        "type": "string", "description": "base64url P-256 point: PushManager.subscribe's applicationServerKey"}}},
    "NotificationPreferences": {"type": "object", "additionalProperties": False, "properties": {
        "channels": {"type": "object", "additionalProperties": False, "description": "per channel, per severity",
                     "properties": {c: _LEVELS for c in ("web", "email", "push", "webpush")}},
        "quiet_hours": {"oneOf": [{"type": "null"}, {"type": "object", "required": ["start", "end"],
                                                      "additionalProperties": False, "properties": {
            "start": {"type": "string", "pattern": "^([01]\\d|2[0-3]):[0-5]\\d$"},
            "end": {"type": "string", "pattern": "^([01]\\d|2[0-3]):[0-5]\\d$"}}}],
            "description": "in the profile's time zone; critical news goes through"},
        "locale": {"type": ["string", "null"], "minLength": 2, "maxLength": 35,
                   "description": "a language tag (es-MX, pt_BR); null: the profile's locale"}}},
    "DeviceInput": {"oneOf": [
        {"type": "object", "additionalProperties": False, "required": ["kind", "token"], "properties": {
            "kind": {"const": "fcm"}, "name": _DEVICE_NAME,
            "token": {"type": "string", "pattern": TOKEN.pattern,
                      "description": "the registration token Firebase gave the app"}}},
        {"type": "object", "additionalProperties": False, "required": ["kind", "token"], "properties": {
            "kind": {"const": "apns"}, "name": _DEVICE_NAME,
            "token": {"type": "string", "pattern": APNS_TOKEN.pattern,
                      "description": "the device token APNs gave the app, in hex"}}},
        {"type": "object", "additionalProperties": False, "required": ["kind", "subscription"], "properties": {
            "kind": {"const": "webpush"}, "name": _DEVICE_NAME,
            "subscription": {"type": "object", "required": ["endpoint", "keys"],
                             "description": "the browser's PushSubscription JSON", "properties": {
                                 "endpoint": {"type": "string", "format": "uri", "maxLength": 2000,
                                              "pattern": "^https?://[^/?#]+"},
                                 "keys": {"type": "object", "required": ["p256dh", "auth"], "properties": {
                                     k: {"type": "string", "maxLength": 200, "pattern": B64URL.pattern}
                                     for k in ("p256dh", "auth")}}}}}}]},
    "Device": {"type": "object", "description": "tokens and subscriptions are never shown", "properties": {
        "id": _STR, "kind": {"enum": ["fcm", "apns", "webpush"]}, "name": {"type": ["string", "null"]},
        "created_at": _TIME, "updated_at": _TIME}},
    "DeviceList": {"type": "object", "properties": {"items": {"type": "array", "items": _ref("Device")}}},
})
_NOTIFICATION_ID = _param("notification_id", "path", {"type": "string", "format": "uuid"})
PATHS.update({
    "/api/v1/notifications": {
        "get": _op("The caller's notifications, newest first, with the unread count",
                   {"200": _json(_ref("NotificationPage"))},
                   params=[_SEQ_CURSOR, _limit(100),
                           _param("after", schema={"type": "integer", "description": "entries changed after this "
                                                   "event ID, oldest first"})], errors=(422, 503))},
    "/api/v1/notifications/stream": {
        "get": {**_op("Live notifications as Server-Sent Events (event: notification, id: seq)", {"200": {
            "description": "An endless event stream", "content": {"text/event-stream": {"schema": _STR}}}},
            params=[_param("Last-Event-ID", "header"), _param("last_event_id", schema={"type": "integer"}),
                    _param("access_token")],
            errors=(503,))}},
    "/api/v1/notifications/{notification_id}/read": {
        "post": _op("Mark one notification read", {"200": _json(_ref("UnreadCount"))}, params=[_NOTIFICATION_ID],
                    errors=(404, 503))},
    "/api/v1/notifications/read-all": {
        "post": _op("Mark every notification read", {"200": _json(_ref("UnreadCount"))}, errors=(503,))},
    "/api/v1/notifications/vapid-public-key": {
        "get": _op("The Web Push (VAPID) public key browsers subscribe with", {"200": _json(_ref("VapidKey"))},
                   auth=False)},
    "/api/v1/me/notification-preferences": {
        "get": _op("The caller's notification preferences (defaults filled in)",
                   {"200": _json(_ref("NotificationPreferences"))}, errors=(503,)),
        "put": _op("Replace the caller's notification preferences", {"200": _json(_ref("NotificationPreferences"))},
                   body="NotificationPreferences", errors=(400, 413, 415, 422, 503))},
    "/api/v1/me/devices": {
        "get": _op("The caller's push devices", {"200": _json(_ref("DeviceList"))}, errors=(503,)),
        "post": _op("Register a mobile push token or a Web Push subscription (the same one again is one device)",
                    {"201": _json(_ref("Device"), "Registered", ["Location"])}, body="DeviceInput",
                    errors=(400, 413, 415, 422, 503))},
    "/api/v1/me/devices/{device_id}": {
        "delete": _op("Forget a push device", {"204": {"description": "Forgotten"}},
                      params=[_param("device_id", "path", {"type": "string", "pattern": HEX_ID.pattern})],
                      errors=(404, 503))},
})

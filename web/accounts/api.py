"""Accounts: sign-up, login, token refresh and logout, and the caller's own profile (/api/v1/auth, /api/v1/me)."""

from __future__ import annotations

import time
import uuid

import orjson
from aiohttp import web
from faust import web as faust_web

from domain.accounts.rules import (
    LOCALES,
    MAX_PASSWORD,
    MIN_PASSWORD,
    check_profile_patch,
    check_signup,
    normalise_email,
    token_hash,
)
from domain.common.errors import NotFound, Unauthorized
from faust_app import settings
from streams import topics
from streams.replies import progress
from tables.logins import logins
from tables.sessions import sessions
from tables.users import users
from web import auth
from web.accounts.attempts import check_attempt, record_failure, record_success
from web.accounts.sessions import start_session
from web.apidoc import STR, TEXT, TIME, ZONE, answer, nullable, op, ref
from web.problems import json_response
from web.routing import forward_to_owner, read_json, send_command, utc_now

blueprint = faust_web.Blueprint("accounts")
_REFRESH_FAILURES = {
    "unknown": "The refresh token is not valid.",
    "expired": "The session has expired; log in again.",
    "revoked": "The session was ended; log in again.",
    "reused": "This refresh token was already used: the session is revoked. Log in again.",
}


@blueprint.route("/auth/signup", name="signup")
class Signup(faust_web.View):
    async def post(self, request: web.Request) -> web.Response:
        fields = check_signup(await read_json(request))
        if (routed := await forward_to_owner(request, logins.name, fields["email"])) is not None:
            return routed
        await check_attempt(request, "signup", fields["email"])
        user_id = uuid.uuid4().hex
        profile = {k: fields[k] for k in ("name", "locale", "time_zone")}
        command = {"kind": "register", "user_id": user_id, "role": "traveller", "profile": profile,
                   "password_hash": await auth.hash_password(fields["password"])}
        if "invitation" in fields:
            command["invitation"] = fields["invitation"]   # attaches the trip shared with this address
        await send_command(topics.login_commands, fields["email"], command)
        user = {"id": user_id, "email": fields["email"], "role": "traveller", **profile}
        return json_response(user, 201, headers={"Location": "/api/v1/me"})


@blueprint.route("/auth/login", name="login")
class Login(faust_web.View):
    async def post(self, request: web.Request) -> web.Response:
        body = await read_json(request)
        email, password = normalise_email(body.get("email")), body.get("password")
        if email is None or not isinstance(password, str):
            raise Unauthorized("E-mail or password is wrong.")
        if (routed := await forward_to_owner(request, logins.name, email)) is not None:
            return routed
        account = await _checked_account(request, email, password)
        return json_response(await start_session(email, account["user_id"], account["role"]))


@blueprint.route("/auth/refresh", name="refresh")
class Refresh(faust_web.View):
    async def post(self, request: web.Request) -> web.Response:
        session_id, secret = auth.split_refresh_token((await read_json(request)).get("refresh_token"))
        if (routed := await forward_to_owner(request, sessions.name, session_id)) is not None:
            return routed
        refresh, new_secret = auth.new_refresh_token(session_id)
        command = {"kind": "rotate", "presented_hash": token_hash(secret), "new_hash": token_hash(new_secret),
                   "now": time.time()}
        reply = await send_command(topics.session_commands, session_id, command)
        if reply["outcome"] != "ok":
            raise Unauthorized(_REFRESH_FAILURES[reply["outcome"]])
        session = reply["session"]
        return json_response(_tokens(session["user_id"], session["role"], session_id, refresh))


@blueprint.route("/auth/logout", name="logout")
class Logout(faust_web.View):
    async def post(self, request: web.Request) -> web.Response:
        session_id, _ = auth.split_refresh_token((await read_json(request)).get("refresh_token"))
        if (routed := await forward_to_owner(request, sessions.name, session_id)) is not None:
            return routed
        await send_command(topics.session_commands, session_id, {"kind": "revoke"})
        return web.Response(status=204)


@blueprint.route("/me", name="me")
class Me(faust_web.View):
    async def get(self, request: web.Request) -> web.Response:
        who = auth.caller(request)
        if (routed := await forward_to_owner(request, users.name, who.user_id)) is not None:
            return routed
        # A profile is created one hop after sign-up: wait (bounded) for that hop to land here.
        await progress.caught_up(topics.user_commands.get_topic_name(), who.user_id, settings.web.request_timeout_s)
        return _profile(users.get(who.user_id))

    async def patch(self, request: web.Request) -> web.Response:
        who = auth.caller(request)
        patch = check_profile_patch(await read_json(request))
        if (routed := await forward_to_owner(request, users.name, who.user_id)) is not None:
            return routed
        reply = await send_command(topics.user_commands, who.user_id,
                                   {"kind": "update", "user_id": who.user_id, "data": patch})
        if patch.keys() & {"home", "locale"}:
            await _regroup_trips(reply["user"])
        return _profile(reply["user"])


async def _checked_account(request: web.Request, email: str, password: str) -> dict:
    """The account whose password this is; 401 when it is not, 429 after too many failures (counted here)."""
    await check_attempt(request, "login", email)
    account = logins.get(email)
    if not await auth.verify_password(account and account["password_hash"], password):
        await record_failure(request, "login", email)
        raise Unauthorized("E-mail or password is wrong.")
    await record_success(request, "login", email)
    return account


async def _regroup_trips(user: dict) -> None:
    """Tell the traveller's trips their home and language: grouping and trip names depend on them.

    Not waited for: the trip agent answers in the worker owning the trips, and a listing of trips waits for
    this command to be applied (web/trips/api.py)."""
    command = {"command_id": uuid.uuid4().hex, "kind": "set-profile", "user_id": user["id"],
               "data": {"home": user.get("home") or [], "language": user.get("locale")}, "issued_at": utc_now()}
    await (await topics.trip_commands.send(key=user["id"], value=orjson.dumps(command)))


def _profile(user: dict | None) -> web.Response:
    if user is None:
        raise NotFound("No such user.")
    return json_response(user, headers={"ETag": f'"{user["version"]}"'})


def _tokens(user_id: str, role: str, session_id: str, refresh: str) -> dict:
    return {"access_token": auth.access_token(user_id, role, session_id), "token_type": "Bearer",
            "expires_in": auth.ACCESS_TTL_S, "refresh_token": refresh, "user_id": user_id}


_LOCALE = {"type": "string", "examples": ["de", "de-DE", "pt-BR"],
           "pattern": "^(" + "|".join("".join(f"[{c}{c.upper()}]" for c in tag) for tag in LOCALES)
                      + ")([-_][A-Za-z0-9]{1,8}){0,6}$",
           "description": f"a BCP 47 language tag in one of {', '.join(LOCALES)}, region optional; "
                          "stored in BCP 47 form (pt_BR is kept as pt-BR)"}
_AIRPORTS = {"type": "array", "minItems": 1, "maxItems": 10, "items": {"type": "string", "pattern": "^[A-Za-z]{3}$"},
             "description": "IATA airport codes; as text, a city with an airport (\"London\", \"Paris, FR\")"}
OPENAPI = {
    "schemas": {
        "Signup": {"type": "object", "additionalProperties": False, "required": ["email", "password", "name"],
                   "properties": {"email": {"type": "string", "format": "email"},
                                  "password": {"type": "string", "minLength": MIN_PASSWORD,
                                               "maxLength": MAX_PASSWORD},
                                  "name": TEXT, "locale": nullable(_LOCALE), "time_zone": nullable(ZONE),
                                  "invitation": {"type": ["string", "null"], "minLength": 1, "maxLength": 128,
                                                 "description": "the token of an invitation e-mail's link: the "
                                                 "trips shared with this address attach to the new account"}},
                   "description": "locale and time_zone left out or null: en and UTC"},
        "Login": {"type": "object", "required": ["email", "password"], "properties": {"email": STR, "password": STR}},
        "RefreshToken": {"type": "object", "required": ["refresh_token"], "properties": {"refresh_token": STR}},
        "Tokens": {"type": "object", "properties": {"access_token": STR, "token_type": {"const": "Bearer"},
                   "expires_in": {"type": "integer"}, "refresh_token": STR, "user_id": STR}},
        "User": {"type": "object", "properties": {"id": STR, "email": STR, "name": STR, "locale": STR,
                 "time_zone": STR, "role": {"enum": ["traveller", "support", "admin"]}, "home": nullable(_AIRPORTS),
                 "version": {"type": "integer"}, "created_at": TIME, "updated_at": TIME}},
        "ProfilePatch": {"type": "object", "additionalProperties": False,
                         "description": "null (or leaving a field out) keeps it as it is; home: null clears it",
                         "properties": {**{k: nullable(v) for k, v in
                                           {"name": TEXT, "locale": _LOCALE, "time_zone": ZONE}.items()},
                                        "home": nullable({"anyOf": [_AIRPORTS, TEXT]})}},
    },
    "paths": {
        "/api/v1/auth/signup": {"post": op("Create an account", {"201": answer(ref("User"), "Created")},
                                           body="Signup", auth=False, errors=(400, 409, 413, 415, 422, 429, 503))},
        "/api/v1/auth/login": {"post": op("Log in", {"200": answer(ref("Tokens"))}, body="Login", auth=False,
                                          errors=(400, 401, 415, 429))},
        "/api/v1/auth/refresh": {"post": op("Rotate the refresh token", {"200": answer(ref("Tokens"))},
                                            body="RefreshToken", auth=False, errors=(400, 401, 415, 503))},
        "/api/v1/auth/logout": {"post": op("Revoke the session", {"204": {"description": "Logged out"}},
                                           body="RefreshToken", auth=False, errors=(400, 401, 415, 503))},
        "/api/v1/me": {
            "get": op("The caller's profile", {"200": answer(ref("User"), headers=["ETag"])}, errors=(404,)),
            "patch": op("Change name, locale, time zone or home", {"200": answer(ref("User"), headers=["ETag"])},
                        body="ProfilePatch", errors=(400, 404, 415, 422, 503))},
    },
}

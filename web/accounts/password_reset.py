"""Password reset by an e-mailed link: ask for the link (always 202), then set a new password with its token."""

from __future__ import annotations

import secrets
import time
import uuid

import orjson
from aiohttp import web
from faust import web as faust_web

from domain.accounts.reset import LIFETIME_S, PAGE_PATH, opened
from domain.accounts.rules import MAX_PASSWORD, MIN_PASSWORD, normalise_email, token_hash
from domain.common.errors import DomainError, FieldErrors
from faust_app import settings
from streams import topics
from tables.logins import logins
from tables.password_resets import password_resets
from web import auth
from web.accounts.attempts import check_attempt, record_success
from web.apidoc import STR, op
from web.routing import forward_to_owner, read_json, send_command, utc_now

blueprint = faust_web.Blueprint("password_reset")


class ResetTokenInvalid(DomainError):
    """The token was never issued by us, was used already, was replaced by a newer one, or expired."""

    kind = "reset-token-invalid"
    status = 400


@blueprint.route("/auth/password-reset", name="password-reset")
class PasswordReset(faust_web.View):
    async def post(self, request: web.Request) -> web.Response:
        email = _checked(email=normalise_email((await read_json(request)).get("email")))["email"]
        if (routed := await forward_to_owner(request, logins.name, email)) is not None:
            return routed
        await check_attempt(request, "reset", email)
        # Sent whether or not the address has an account, and not waited for: the answer and its timing are the
        # same either way, so nobody learns who has an account here. The agent mails only existing accounts.
        command = {"command_id": uuid.uuid4().hex, "kind": "request-reset", "reset_id": secrets.token_hex(16),
                   "expires_at": time.time() + LIFETIME_S, "issued_at": utc_now()}
        await (await topics.credential_commands.send(key=email, value=orjson.dumps(command)))
        return web.Response(status=202)


@blueprint.route("/auth/password-reset/confirm", name="password-reset-confirm")
class PasswordResetConfirm(faust_web.View):
    async def post(self, request: web.Request) -> web.Response:
        body = await read_json(request)
        password = _checked(password=body.get("password"))["password"]
        sealed = opened(settings.accounts.jwt_secret.value, body.get("token"))
        if sealed is None:
            raise ResetTokenInvalid("This reset link is not valid; ask for a new one.")
        email = sealed[0]
        if (routed := await forward_to_owner(request, password_resets.name, email)) is not None:
            return routed
        command = {"kind": "confirm-reset", "token_hash": token_hash(body["token"]),
                   "password_hash": await auth.hash_password(password), "now": time.time()}
        await send_command(topics.credential_commands, email, command)
        await record_success(request, "login", email)   # locked out by guessers, now back in at once
        return web.Response(status=204)


def _checked(**fields) -> dict:
    errors = FieldErrors()
    if "email" in fields and fields["email"] is None:
        errors.add("email", "must be an e-mail address")
    password = fields.get("password", "")
    if not isinstance(password, str) or ("password" in fields and not MIN_PASSWORD <= len(password) <= MAX_PASSWORD):
        errors.add("password", f"must be {MIN_PASSWORD} to {MAX_PASSWORD} characters")
    errors.raise_if_any()
    return fields


OPENAPI = {
    "schemas": {
        "PasswordResetRequest": {"type": "object", "required": ["email"],
                                 "properties": {"email": {"type": "string", "format": "email"}}},
        "PasswordResetConfirm": {
            "type": "object", "required": ["token", "password"],
            "properties": {"token": {**STR, "description": f"the `token` of the e-mailed link (`{PAGE_PATH}?token=`)"},
                           "password": {"type": "string", "minLength": MIN_PASSWORD, "maxLength": MAX_PASSWORD}}},
    },
    "paths": {
        "/api/v1/auth/password-reset": {"post": {
            **op("E-mail a password-reset link", {"202": {"description": "Accepted, whether or not the address has "
                                                                          "an account (a link is mailed if it has)"}},
                 body="PasswordResetRequest", auth=False, errors=(400, 413, 415, 422, 429, 503)),
            "description": f"The link ({PAGE_PATH}?token=...) works once, for {LIFETIME_S // 60} minutes; a newer "
                           "request replaces it. Limited per address asked for and per client (429 + Retry-After)."}},
        "/api/v1/auth/password-reset/confirm": {"post": {
            **op("Set a new password with a reset link's token", {"204": {"description": "Password set; every "
                                                                                        "session of the account "
                                                                                        "ended"}},
                 body="PasswordResetConfirm", auth=False, errors=(400, 413, 415, 422, 503)),
            "description": "400 `reset-token-invalid`: the token is unknown, used, replaced or expired."}},
    },
}

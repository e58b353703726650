"""The parts of an OpenID sign-in the views share: configured providers, the flow cookie, and the account
(linked or created) on the identity's partition."""

from __future__ import annotations

import html
import time
import uuid

import jwt
import orjson
from aiohttp import web

from domain.accounts.identities import identity_key, new_profile
from domain.common.errors import DomainError
from faust_app import app, settings
from integrations.identity.claims import Identity
from integrations.identity.oidc import Flow, OidcClient, OidcProvider
from streams import topics
from web.problems import ProblemError, problem
from web.routing import call_owner, send_command

FLOW_COOKIE = "rw_oidc"
FLOW_PATH = "/auth/oidc/"   # sent back only to the callbacks
FLOW_TTL_S = 600
TITLES = {"google": "Google", "microsoft": "Microsoft"}
LINK_PATH = "/api/v1/auth/oidc/link"


class Failure(Exception):
    """A sign-in that cannot go on, worded for the person who tried."""

    def __init__(self, status: int, kind: str, title: str) -> None:
        super().__init__(title)
        self.status, self.kind, self.title = status, kind, title


def providers() -> dict[str, OidcProvider]:
    """The providers with a client ID set: only those get a button."""
    ident, base = settings.identity, settings.web.public_url.rstrip("/")
    found = {}
    for name in TITLES:
        client_id = getattr(ident, f"{name}_client_id")
        if client_id:
            found[name] = OidcProvider(name, getattr(ident, f"{name}_issuer"), client_id,
                                       f"{base}{FLOW_PATH}{name}/callback", getattr(ident, f"{name}_client_secret"))
    return found


def client(name: str) -> OidcClient:
    provider = providers().get(name)
    if provider is None:
        raise Failure(404, "provider-not-found", "Sign-in with this provider is not offered here.")
    return OidcClient(app.http_client, provider, timeout_s=settings.web.request_timeout_s)


def seal_flow(provider: str, flow: Flow) -> str:
    """The flow's secrets for the callback, signed: a cookie only this server could have written."""
    claims = {"typ": "oidc-flow", "provider": provider, "state": flow.state, "nonce": flow.nonce,
              "verifier": flow.code_verifier, "exp": int(time.time()) + FLOW_TTL_S}
    return jwt.encode(claims, settings.accounts.jwt_secret.value, algorithm="HS256")


def open_flow(sealed: str | None) -> dict:
    if not sealed:
        raise Failure(400, "sign-in-expired", "This sign-in was not started in this browser or took too long; "
                                              "start it again.")
    try:
        flow = jwt.decode(sealed, settings.accounts.jwt_secret.value, algorithms=["HS256"],
                          options={"require": ["exp"]})
    except jwt.ExpiredSignatureError:
        raise Failure(400, "sign-in-expired", "This sign-in took too long; start it again.") from None
    except jwt.InvalidTokenError:
        raise Failure(400, "sign-in-state-invalid", "This sign-in cannot be trusted; start it again.") from None
    if flow.get("typ") != "oidc-flow":
        raise Failure(400, "sign-in-state-invalid", "This sign-in cannot be trusted; start it again.")
    return flow


def link_request(provider: str, person: Identity) -> dict:
    if person.email is None:
        raise Failure(403, "email-missing", "Your provider did not share an e-mail address; allow it, or sign "
                                            "up with your e-mail and a password.")
    return {"provider": provider, "subject": person.subject, "email": person.email,
            "email_verified": person.email_verified, "name": person.name, "locale": person.locale}


async def account_for(request_body: dict) -> dict:
    """{user_id, role, email, outcome} (email: the account's login) from the worker owning the identity, which
    applies the sign-in command."""
    key = identity_key(request_body["provider"], request_body["subject"])
    answered = await call_owner("identities", key, LINK_PATH, request_body)
    if answered is None:
        return await link_here(request_body)
    if answered.status != 200:
        body = _json(answered)
        raise Failure(answered.status, body.get("type", "").rsplit("/", 1)[-1] or "sign-in-failed",
                      body.get("title", "The sign-in could not be completed; try again."))
    return _json(answered)


async def link_here(body: dict) -> dict:
    """On the identity's owner: the sign-in command, and the account it ends in."""
    command = {"kind": "sign-in", "email": body["email"], "email_verified": bool(body["email_verified"]),
               "user_id": uuid.uuid4().hex, "profile": new_profile(body.get("name"), body["email"], body.get("locale"))}
    try:
        reply = await send_command(topics.identity_commands, identity_key(body["provider"], body["subject"]), command)
    except DomainError as exc:
        raise Failure(exc.status, exc.kind, exc.title) from None
    except ProblemError as exc:
        raise Failure(exc.response.status, "sign-in-timeout", "The sign-in took too long; try again.") from None
    return {k: reply[k] for k in ("user_id", "role", "email", "outcome")}


def failure_response(request: web.Request, failure: Failure) -> web.Response:
    """JSON for API clients, a short page for a browser (it arrived by a redirect from the provider)."""
    if "text/html" in request.headers.get("Accept", "") and not wants_json(request):
        page = (f"<!doctype html><html lang=en><meta charset=utf-8><title>Sign-in failed</title>"
                f"<h1>Sign-in failed</h1><p>{html.escape(failure.title)}</p><p><a href=\"/\">Back</a></p>")
        return web.Response(status=failure.status, text=page, content_type="text/html")
    return problem(failure.status, failure.kind, failure.title)


def wants_json(request: web.Request) -> bool:
    return request.headers.get("Accept", "").split(",")[0].strip().startswith("application/json")


def _json(response: web.Response) -> dict:
    try:
        body = orjson.loads(response.body)
    except (orjson.JSONDecodeError, TypeError):
        return {}
    return body if isinstance(body, dict) else {}

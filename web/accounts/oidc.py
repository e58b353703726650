"""Sign in with Google or Microsoft (OpenID Connect, PKCE): the redirect out, the callback back, the buttons."""

from __future__ import annotations

import hmac

from aiohttp import web
from faust import web as faust_web

from integrations.identity.oidc import OidcError, ProviderUnavailable
from web import session
from web.accounts import oidc_flow as flow
from web.accounts.sessions import start_session
from web.apidoc import STR, answer, op, param, ref
from web.problems import json_response
from web.routing import read_json, was_forwarded

pages = faust_web.Blueprint("oidc")     # /auth/oidc/...: where browsers are sent, outside the JSON API
api = faust_web.Blueprint("oidc-api")   # /api/v1/auth/...
DENIED = "You did not allow the sign-in at {provider}; nothing was changed."


@pages.route("/auth/oidc/{provider}/start", name="start")
class Start(faust_web.View):
    async def get(self, request: web.Request, provider: str) -> web.Response:
        try:
            started = await flow.client(provider).start()
        except flow.Failure as failure:
            return flow.failure_response(request, failure)
        except OidcError as exc:
            return flow.failure_response(request, _unavailable(exc))
        response = web.Response(status=302, headers={"Location": started.url, "Cache-Control": "no-store"})
        response.set_cookie(flow.FLOW_COOKIE, flow.seal_flow(provider, started), max_age=flow.FLOW_TTL_S,
                            path=flow.FLOW_PATH, httponly=True, samesite="Lax", secure=request.secure)
        return response


@pages.route("/auth/oidc/{provider}/callback", name="callback")
class Callback(faust_web.View):
    async def get(self, request: web.Request, provider: str) -> web.Response:
        try:
            tokens = await _signed_in(request, provider)
        except flow.Failure as failure:
            response = flow.failure_response(request, failure)
        else:
            if flow.wants_json(request):
                response = json_response(tokens)
            else:   # the web app's cookie session (web/session.py) writes its cookies on the way out
                session.sign_in(request, tokens)
                response = web.Response(status=302, headers={"Location": "/"})
        response.headers["Cache-Control"] = "no-store"
        response.del_cookie(flow.FLOW_COOKIE, path=flow.FLOW_PATH)   # one use, whatever happened
        return response


async def _signed_in(request: web.Request, provider: str) -> dict:
    client = flow.client(provider)
    if "error" in request.query:
        # Shown whatever the state says: it changes nothing (and some providers leave the state out of errors).
        title = flow.TITLES.get(provider, provider)
        if request.query["error"] == "access_denied":
            raise flow.Failure(400, "sign-in-denied", DENIED.format(provider=title))
        raise flow.Failure(400, "sign-in-failed", f"{title} could not sign you in; try again.")
    started = flow.open_flow(request.cookies.get(flow.FLOW_COOKIE))
    state = request.query.get("state", "")
    if started["provider"] != provider or not hmac.compare_digest(state.encode(), started["state"].encode()):
        raise flow.Failure(400, "sign-in-state-invalid", "This answer does not belong to the sign-in started in "
                                                         "this browser; start it again.")
    if not request.query.get("code"):
        raise flow.Failure(400, "sign-in-failed", "The provider's answer carries no authorization code.")
    try:
        person = await client.finish(request.query["code"], started["nonce"], started["verifier"])
    except ProviderUnavailable as exc:
        raise _unavailable(exc) from None
    except OidcError as exc:
        raise flow.Failure(400, "sign-in-failed", f"The sign-in could not be verified: {exc}.") from None
    account = await flow.account_for(flow.link_request(provider, person))
    return await start_session(account["email"], account["user_id"], account["role"])


def _unavailable(exc: OidcError) -> flow.Failure:
    return flow.Failure(503, "provider-unavailable", f"The sign-in provider is not reachable now ({exc}); "
                                                     "try again in a moment.")


@api.route("/auth/providers", name="providers")
class Providers(faust_web.View):
    async def get(self, request: web.Request) -> web.Response:
        listed = [{"id": name, "name": flow.TITLES[name], "start_url": f"{flow.FLOW_PATH}{name}/start"}
                  for name in flow.providers()]
        return json_response({"items": listed})


@api.route("/auth/oidc/link", name="link")
class Link(faust_web.View):
    """Worker to worker only: the callback's worker asks the identity's owner for the account."""

    async def post(self, request: web.Request) -> web.Response:
        if not was_forwarded(request):
            raise web.HTTPNotFound()
        try:
            return json_response(await flow.link_here(await read_json(request)))
        except flow.Failure as failure:
            return flow.failure_response(request, failure)


_FLOW_ERRORS = (400, 403, 404, 503)
OPENAPI = {
    "schemas": {
        "SignInProviders": {"type": "object", "properties": {"items": {"type": "array", "items": {
            "type": "object", "properties": {"id": {"enum": list(flow.TITLES)}, "name": STR,
                                             "start_url": STR}}}}},
        "IdentityLink": {"type": "object", "required": ["provider", "subject", "email", "email_verified"],
                         "properties": {"provider": STR, "subject": STR, "email": STR,
                                        "email_verified": {"type": "boolean"}, "name": STR, "locale": STR}},
        "LinkedAccount": {"type": "object", "properties": {"user_id": STR, "role": STR, "email": STR,
                                                           "outcome": {"enum": ["signed-in", "linked", "taken-over",
                                                                                "created"]}}},
    },
    "paths": {
        "/api/v1/auth/providers": {"get": op("The sign-in providers configured here (the login page's buttons)",
                                             {"200": answer(ref("SignInProviders"))}, auth=False)},
        "/auth/oidc/{provider}/start": {"get": op(
            "Start signing in with a provider: a redirect to it, the flow kept in a signed cookie for 10 minutes",
            {"302": {"description": "To the provider's consent page"}}, auth=False,
            params=[param("provider", "path")], errors=(404, 503))},
        "/auth/oidc/{provider}/callback": {"get": op(
            "Where the provider sends the person back: signs in (linking a verified e-mail's account, or creating "
            "one); the tokens as JSON when asked with Accept: application/json, else cookies and a redirect to /",
            {"200": answer(ref("Tokens")), "302": {"description": "Signed in: session cookies set, to /"}},
            auth=False, params=[param("provider", "path"), param("state"), param("code"), param("error")],
            errors=_FLOW_ERRORS)},
        "/api/v1/auth/oidc/link": {"post": op(
            "Between workers only (404 to anyone else): the account of an identity, on the worker owning it",
            {"200": answer(ref("LinkedAccount"))}, body="IdentityLink", auth=False, errors=(403, 404, 503))},
    },
}

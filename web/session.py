"""The web app's cookie session: the API's own tokens kept in HttpOnly cookies, refreshed as they expire, and
CSRF checks on every cookie-authenticated or form write.

The access token (15 minutes) rides in ``rw_access``; the refresh token in ``rw_refresh``; both HttpOnly and
SameSite=Lax (a link from an e-mail still opens the app signed in), Secure when served over TLS. CSRF is a
double submit: a random ``rw_csrf`` cookie the page repeats in a form field or the ``X-CSRF-Token`` header; a
write carrying the session cookie without it is refused, as is any form post without it (login CSRF).
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import secrets
import time
from http.cookies import SimpleCookie

import jwt
import orjson
from aiohttp import ClientError, web

from faust_app import app, settings
from web import auth

ACCESS, REFRESH, CSRF = "rw_access", "rw_refresh", "rw_csrf"
CSRF_FIELD, CSRF_HEADER = "csrf_token", "X-CSRF-Token"
_TOKEN = auth.SESSION_TOKEN
_NEW_CSRF = web.RequestKey("rw.new_csrf", str)
_NEW_TOKENS = web.RequestKey("rw.new_tokens", dict)
_CLEAR = web.RequestKey("rw.clear", bool)
_SAFE = {"GET", "HEAD", "OPTIONS"}
_FORMS = {"application/x-www-form-urlencoded", "multipart/form-data"}
REFRESH_MARGIN_S = 60
# Assets and the public pages need no session: no refresh is spent on them.
_NO_SESSION = ("/static/", "/t/", "/calendar/", "/metrics", "/monitor")
# A page and its event stream often refresh at the same moment with the same cookie; the API rotates the
# refresh token and takes a second use for theft (revoking the session). So one refresh per token per worker,
# its answer kept briefly for the requests that arrive with the old cookie.
_REFRESHED_TTL_S = 30.0
_refreshed: dict[str, tuple[float, asyncio.Future]] = {}
log = logging.getLogger(__name__)


def token_of(request: web.Request) -> str | None:
    """The access token the session cookie carries (after a refresh, the new one); None when signed out."""
    return request.get(_TOKEN)


def csrf_token(request: web.Request) -> str:
    """The token a form repeats: the browser's cookie, or a new one this response sets."""
    known = request.cookies.get(CSRF) or request.get(_NEW_CSRF)
    if not known:
        known = request[_NEW_CSRF] = secrets.token_urlsafe(32)
    return known


def keep_csrf_cookie(request: web.Request, response: web.StreamResponse) -> None:
    if request.get(_NEW_CSRF) and not request.cookies.get(CSRF):
        _add_cookie(request, response, CSRF, request[_NEW_CSRF], max_age=auth.REFRESH_TTL_S, same_site="Strict")


def sign_in(request: web.Request, tokens: dict) -> None:
    """The response to this request carries the session cookies for ``tokens`` (the API's login answer)."""
    request[_NEW_TOKENS] = tokens
    request[_TOKEN] = tokens["access_token"]


def sign_out(request: web.Request) -> None:
    request[_CLEAR] = True
    request[_TOKEN] = None


def refresh_token_of(request: web.Request) -> str | None:
    return request.cookies.get(REFRESH)


@web.middleware
async def session_middleware(request: web.Request, handler):
    """Sign the request in from its cookies (refreshing the access token when it is about to expire), check
    CSRF on writes, and write the session's cookies on the way out."""
    if "Authorization" not in request.headers and not request.path.startswith(_NO_SESSION):
        await _sign_in_from_cookies(request)
        if request.method not in _SAFE and (token_of(request) or request.content_type in _FORMS):
            if not await _csrf_ok(request):
                from web.problems import problem  # noqa: PLC0415  (problems imports nothing of ours)
                return problem(403, "csrf", "The form expired or came from another site; reload the page and "
                                            "try again.")
    return await handler(request)


async def on_prepare(request: web.Request, response: web.StreamResponse) -> None:
    """aiohttp's on_response_prepare: reaches streams (SSE) too, which are prepared early. aiohttp has already
    turned ``response.cookies`` into headers by then, so the cookies go in as headers."""
    if request.get(_CLEAR):
        for name in (ACCESS, REFRESH):
            _add_cookie(request, response, name, "", max_age=0)
    elif tokens := request.get(_NEW_TOKENS):
        _add_cookie(request, response, ACCESS, tokens["access_token"], max_age=auth.REFRESH_TTL_S)
        _add_cookie(request, response, REFRESH, tokens["refresh_token"], max_age=auth.REFRESH_TTL_S)


def _add_cookie(request: web.Request, response: web.StreamResponse, name: str, value: str, *, max_age: int,
                same_site: str = "Lax") -> None:
    morsel = SimpleCookie({name: value})[name]
    morsel.update({"path": "/", "max-age": str(max_age), "httponly": True, "samesite": same_site})
    if request.secure:
        morsel["secure"] = True
    response.headers.add("Set-Cookie", morsel.OutputString())


async def _sign_in_from_cookies(request: web.Request) -> None:
    access = request.cookies.get(ACCESS)
    if access and _expires_at(access) > time.time() + REFRESH_MARGIN_S:
        request[_TOKEN] = access
        return
    if (refresh := request.cookies.get(REFRESH)) is None:
        request[_TOKEN] = None
        return
    outcome, tokens = await _refresh_once(refresh)
    if tokens is not None:
        sign_in(request, tokens)
    elif outcome == "refused":
        sign_out(request)   # expired, revoked or reused: the cookies are dead, drop them
    else:
        request[_TOKEN] = None   # the API did not answer: signed out for this request, cookies kept


async def _refresh_once(refresh_token: str) -> tuple[str, dict | None]:
    now = time.monotonic()
    for stale in [t for t, (at, _) in _refreshed.items() if now - at > _REFRESHED_TTL_S]:
        del _refreshed[stale]
    if refresh_token not in _refreshed:
        _refreshed[refresh_token] = (now, asyncio.ensure_future(_refresh(refresh_token)))
    outcome = await asyncio.shield(_refreshed[refresh_token][1])
    if outcome[0] == "unavailable":
        _refreshed.pop(refresh_token, None)   # try again on the next request
    return outcome


def _expires_at(token: str) -> float:
    try:
        claims = jwt.decode(token, settings.accounts.jwt_secret.value, algorithms=["HS256"],
                            options={"verify_exp": False, "require": ["exp"]})
    except jwt.InvalidTokenError:
        return 0.0
    return float(claims["exp"])


async def _refresh(refresh_token: str) -> tuple[str, dict | None]:
    """The API's refresh on this worker (it routes the session to its owner): ok, refused or unavailable."""
    url = app.conf.canonical_url.with_path("/api/v1/auth/refresh")
    try:
        async with app.http_client.post(url, data=orjson.dumps({"refresh_token": refresh_token}),
                                        headers={"Content-Type": "application/json"},
                                        timeout=settings.web.request_timeout_s + 3) as response:
            if response.status == 200:
                return "ok", orjson.loads(await response.read())
            return ("refused" if response.status in (400, 401) else "unavailable"), None
    except (TimeoutError, ClientError):
        log.warning("session refresh did not answer")
        return "unavailable", None


async def _csrf_ok(request: web.Request) -> bool:
    expected = request.cookies.get(CSRF, "")
    given = request.headers.get(CSRF_HEADER)
    if given is None and request.content_type in _FORMS:
        given = (await request.post()).get(CSRF_FIELD)   # aiohttp keeps the parsed form for the view
    return bool(expected) and isinstance(given, str) and hmac.compare_digest(given, expected)

"""The web app's cookie session: CSRF on writes, cookie flags, and the refresh of an expiring access token."""

from __future__ import annotations

import time

import jwt
import pytest
from aiohttp import web

from faust_app import settings
from web import auth, session
from web.accounts.pages import _local


async def _echo(request: web.Request) -> web.Response:
    if request.path == "/sign-in":
        session.sign_in(request, {"access_token": "new-access", "refresh_token": "new-refresh"})
    elif request.path == "/sign-out":
        session.sign_out(request)
    return web.json_response({"token": session.token_of(request)})


@pytest.fixture
async def client(aiohttp_client, monkeypatch):
    refreshed = []

    async def fake_refresh(token):   # the API's refresh answer, without a worker behind it
        refreshed.append(token)
        if token == "good":
            return "ok", {"access_token": _access(900), "refresh_token": "rotated"}
        return "refused", None

    monkeypatch.setattr(session, "_refresh", fake_refresh)
    monkeypatch.setattr(session, "_refreshed", {})
    app = web.Application(middlewares=[session.session_middleware])
    app.on_response_prepare.append(session.on_prepare)
    for path in ("/", "/sign-in", "/sign-out"):
        app.router.add_route("*", path, _echo)
    test_client = await aiohttp_client(app)
    test_client.refreshed = refreshed
    return test_client


def _access(seconds_left: int) -> str:
    now = int(time.time())
    return jwt.encode({"iss": auth.ISSUER, "sub": "u1", "typ": "access", "iat": now, "exp": now + seconds_left},
                      settings.accounts.jwt_secret.value, algorithm="HS256")


async def test_a_form_post_without_the_csrf_token_is_refused(client):
    answer = await client.post("/", data={"name": "x"}, cookies={session.CSRF: "abc"})
    assert answer.status == 403 and (await answer.json())["type"].endswith("/csrf")
    answer = await client.post("/", data={"name": "x", "csrf_token": "abd"}, cookies={session.CSRF: "abc"})
    assert answer.status == 403
    answer = await client.post("/", data={"name": "x", "csrf_token": "abc"}, cookies={session.CSRF: "abc"})
    assert answer.status == 200


async def test_a_form_post_without_a_csrf_cookie_is_refused_even_with_a_field(client):
    answer = await client.post("/", data={"csrf_token": ""})
    assert answer.status == 403


async def test_a_json_write_with_the_session_cookie_needs_the_header(client):
    cookies = {session.ACCESS: _access(900), session.CSRF: "abc"}
    assert (await client.post("/", json={}, cookies=cookies)).status == 403
    answer = await client.post("/", json={}, cookies=cookies, headers={session.CSRF_HEADER: "abc"})
    assert answer.status == 200


async def test_a_bearer_call_needs_no_csrf(client):
    answer = await client.post("/", json={}, headers={"Authorization": "Bearer x"})
    assert answer.status == 200 and (await answer.json())["token"] is None   # bearer: the cookie is not read


async def test_a_fresh_access_cookie_signs_the_request_in_without_a_refresh(client):
    token = _access(900)
    answer = await client.get("/", cookies={session.ACCESS: token, session.REFRESH: "good"})
    assert (await answer.json())["token"] == token and client.refreshed == []


async def test_an_expiring_access_cookie_is_refreshed_once_and_new_cookies_set(client):
    cookies = {session.ACCESS: _access(10), session.REFRESH: "good"}
    first = await client.get("/", cookies=cookies)
    second = await client.get("/", cookies=cookies)   # the same old cookie again: the refresh is not repeated
    assert client.refreshed == ["good"]
    assert (await first.json())["token"] == (await second.json())["token"] != cookies[session.ACCESS]
    set_cookies = first.headers.getall("Set-Cookie")
    assert any(c.startswith("rw_refresh=rotated;") for c in set_cookies)
    assert all("HttpOnly" in c and "SameSite=Lax" in c and "Path=/" in c for c in set_cookies)


async def test_a_refused_refresh_signs_out_and_drops_the_cookies(client):
    answer = await client.get("/", cookies={session.ACCESS: "garbage", session.REFRESH: "stolen"})
    assert (await answer.json())["token"] is None
    dropped = answer.headers.getall("Set-Cookie")
    assert {c.split("=")[0] for c in dropped} == {"rw_access", "rw_refresh"} and all("Max-Age=0" in c for c in dropped)


async def test_sign_in_sets_both_cookies_http_only(client):
    answer = await client.post("/sign-in", json={})
    names = {c.split("=")[0]: c for c in answer.headers.getall("Set-Cookie")}
    assert names["rw_access"].startswith("rw_access=new-access;") and "HttpOnly" in names["rw_refresh"]


@pytest.mark.parametrize(("target", "kept"), [("/trips/abc", "/trips/abc"), ("//evil.example/", "/"),
                                              ("https://evil.example/", "/"), ("/\\evil.example", "/")])
def test_login_goes_back_only_to_a_page_of_this_site(target, kept):
    assert _local(target) == kept
